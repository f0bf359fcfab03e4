#include "signindialog.h"

#include "accountform.h"

#include "api/credentialstore.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace sb::ui {

SignInDialog::SignInDialog(const sb::models::Profile &profile,
                           sb::api::CredentialStore *credentials, QWidget *parent)
    : QDialog(parent)
    , m_profile(profile)
    , m_credentials(credentials)
    , m_reason(new QLabel(this))
    , m_key(new ApiKeyField(this))
    , m_status(new InlineStatus(this))
    , m_signIn(new QPushButton(tr("&Sign In"), this))
    , m_switch(new QPushButton(tr("S&witch Profile…"), this))
    , m_tester(new ConnectionTester(this))
{
    setObjectName(QStringLiteral("signInDialog"));
    setWindowTitle(tr("Sign In to %1").arg(profile.name));
    auto *intro = new QLabel(
        tr("<b>%1</b> at %2 no longer accepts the stored API key. Paste a new key to continue; "
           "nothing you have open in the window is lost.")
            .arg(profile.name.toHtmlEscaped(), profile.baseUrl.host().toHtmlEscaped()),
        this);
    intro->setWordWrap(true);
    intro->setTextFormat(Qt::RichText);
    m_reason->setObjectName(QStringLiteral("reasonLabel"));
    m_reason->setWordWrap(true);
    m_reason->setTextFormat(Qt::PlainText);
    m_reason->setForegroundRole(QPalette::PlaceholderText);
    m_reason->hide();
    m_status->setObjectName(QStringLiteral("signInStatus"));
    m_key->lineEdit()->setPlaceholderText(tr("Paste the new key from your Talknex dashboard"));

    m_signIn->setObjectName(QStringLiteral("signInButton"));
    m_signIn->setAccessibleName(tr("Sign in"));
    m_signIn->setDefault(true);
    m_switch->setObjectName(QStringLiteral("switchProfileButton"));
    m_switch->setAccessibleName(tr("Switch profile"));
    m_switch->setAutoDefault(false);
    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_signIn, QDialogButtonBox::AcceptRole);
    buttons->addButton(m_switch, QDialogButtonBox::ActionRole);
    QPushButton *cancel = buttons->addButton(QDialogButtonBox::Cancel);
    cancel->setAccessibleName(tr("Cancel"));
    cancel->setToolTip(tr("Keep working offline with what is already loaded"));

    auto *form = new QFormLayout;
    auto *keyLabel = new QLabel(tr("New API &key:"), this);
    keyLabel->setBuddy(m_key);
    form->addRow(keyLabel, m_key);
    form->addRow(QString(), m_status);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_reason);
    layout->addLayout(form);
    layout->addStretch(1);
    layout->addWidget(buttons);

    // Sign In closes the dialog only after the server accepted the key (not on the click).
    connect(m_signIn, &QPushButton::clicked, this, &SignInDialog::signIn);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_switch, &QPushButton::clicked, this, [this] {
        Q_EMIT switchProfileRequested();
        done(SwitchProfile);
    });
    connect(m_key, &ApiKeyField::textChanged, m_status, &InlineStatus::clearStatus);
    connect(m_tester, &ConnectionTester::finished, this, [this](bool ok, const QString &message) {
        if (!ok) {
            setBusy(false);
            m_status->setStatus(InlineStatus::Kind::Error, message);
            m_key->setFocus();
            return;
        }
        m_status->setStatus(InlineStatus::Kind::Ok, message);
        if (!m_credentials) {
            m_keyPersisted = false;
            m_acceptedKey = m_testedKey;
            Q_EMIT signedIn(m_acceptedKey, false);
            accept();
            return;
        }
        m_storing = true;
        m_credentials->write(m_profile.credentialKey(), m_testedKey);
    });
    if (m_credentials)
        connect(m_credentials, &sb::api::CredentialStore::written, this,
                [this](const QString &keyId, bool persisted) {
                    if (!m_storing || keyId != m_profile.credentialKey())
                        return;
                    m_storing = false;
                    m_keyPersisted = persisted;
                    m_acceptedKey = m_testedKey;
                    Q_EMIT signedIn(m_acceptedKey, persisted);
                    accept();
                });
    resize(std::max(480, sizeHint().width()), sizeHint().height());
}

void SignInDialog::setReason(const QString &reason)
{
    m_reason->setText(reason);
    m_reason->setVisible(!reason.isEmpty());
}

QString SignInDialog::reason() const
{
    return m_reason->text();
}

void SignInDialog::setBusy(bool busy)
{
    m_signIn->setEnabled(!busy);
    m_key->setEnabled(!busy);
}

void SignInDialog::signIn()
{
    const QString key = m_key->key();
    if (key.isEmpty()) {
        m_status->setStatus(InlineStatus::Kind::Error, tr("Paste the new API key first."));
        m_key->setFocus();
        return;
    }
    m_testedKey = key;
    setBusy(true);
    m_status->setStatus(InlineStatus::Kind::Progress, tr("Checking the key with the server…"));
    const auto kind = m_profile.platform == QLatin1String("speaknode")
                          ? sb::api::PlatformKind::SpeakNode
                          : sb::api::PlatformKind::Talknex;
    m_tester->test(kind, m_profile.baseUrl, key);
}

} // namespace sb::ui
