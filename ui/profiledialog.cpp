#include "profiledialog.h"

#include "accountform.h"
#include "messagebanner.h"

#include "api/credentialstore.h"
#include "api/oauthdiscovery.h"
#include "api/session.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

#include <memory>

namespace sb::ui {

using sb::api::CredentialStore;
using sb::models::Profile;

namespace {

const QString DefaultTalknexUrl = QStringLiteral("https://api.talknex.ai/v1");
const QString DefaultSpeakNodeUrl = QStringLiteral("https://api.speaknode.com/api/v1");

bool platformAvailable(sb::api::PlatformKind kind)
{
    sb::api::Session probe;
    std::unique_ptr<sb::api::Platform> platform(sb::api::createPlatform(kind, &probe));
    return platform != nullptr;
}

sb::api::PlatformKind kindOf(const QString &platform)
{
    return platform == QLatin1String("speaknode") ? sb::api::PlatformKind::SpeakNode
                                                  : sb::api::PlatformKind::Talknex;
}

} // namespace

ProfileDialog::ProfileDialog(sb::models::ProfileStore *store, CredentialStore *credentials,
                             const Profile &existing, QWidget *parent)
    : QDialog(parent)
    , m_store(store)
    , m_credentials(credentials)
    , m_existing(existing)
    , m_banner(new MessageBanner(this))
    , m_name(new QLineEdit(this))
    , m_nameStatus(new InlineStatus(this))
    , m_platform(new QComboBox(this))
    , m_platformStatus(new InlineStatus(this))
    , m_url(new QLineEdit(this))
    , m_urlStatus(new InlineStatus(this))
    , m_key(new ApiKeyField(this))
    , m_keyStatus(new InlineStatus(this))
    , m_test(new QPushButton(tr("&Test Connection"), this))
    , m_testStatus(new InlineStatus(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this))
    , m_tester(new ConnectionTester(this))
    , m_issuer(new QLineEdit(this))
    , m_issuerStatus(new InlineStatus(this))
    , m_clientId(new QLineEdit(this))
{
    setObjectName(QStringLiteral("profileDialog"));
    setWindowTitle(isEditing() ? tr("Edit Profile") : tr("Add Profile"));
    m_save = m_buttons->button(QDialogButtonBox::Save);
    m_save->setObjectName(QStringLiteral("saveButton"));
    m_save->setAccessibleName(tr("Save profile"));
    m_buttons->button(QDialogButtonBox::Cancel)->setAccessibleName(tr("Cancel"));

    m_name->setObjectName(QStringLiteral("nameField"));
    m_name->setAccessibleName(tr("Profile name"));
    m_name->setPlaceholderText(tr("e.g. Production"));
    m_nameStatus->setObjectName(QStringLiteral("nameStatus"));

    m_platform->setObjectName(QStringLiteral("platformField"));
    m_platform->setAccessibleName(tr("Platform"));
    m_platform->addItem(tr("Talknex"), QStringLiteral("talknex"));
    m_platform->addItem(tr("SpeakNode"), QStringLiteral("speaknode"));
    m_platformStatus->setObjectName(QStringLiteral("platformStatus"));

    m_url->setObjectName(QStringLiteral("urlField"));
    m_url->setAccessibleName(tr("API address"));
    m_url->setPlaceholderText(DefaultTalknexUrl);
    m_url->setInputMethodHints(Qt::ImhUrlCharactersOnly | Qt::ImhNoAutoUppercase);
    m_urlStatus->setObjectName(QStringLiteral("urlStatus"));
    m_key->setObjectName(QStringLiteral("keyField"));
    m_keyStatus->setObjectName(QStringLiteral("keyStatus"));
    m_test->setObjectName(QStringLiteral("testButton"));
    m_test->setAccessibleName(tr("Test connection"));
    m_test->setToolTip(tr("Ask the server with this address and key, without saving"));
    m_test->setAutoDefault(false);
    m_testStatus->setObjectName(QStringLiteral("testStatus"));

    m_issuer->setObjectName(QStringLiteral("issuerField"));
    m_issuer->setAccessibleName(tr("Sign-in realm"));
    m_issuer->setToolTip(tr("SpeakNode's identity realm; its discovery document names the sign-in "
                            "endpoints"));
    m_issuer->setInputMethodHints(Qt::ImhUrlCharactersOnly | Qt::ImhNoAutoUppercase);
    m_issuerStatus->setObjectName(QStringLiteral("issuerStatus"));
    m_clientId->setObjectName(QStringLiteral("clientIdField"));
    m_clientId->setAccessibleName(tr("Client ID"));

    auto *form = new QFormLayout;
    m_form = form;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    auto addRow = [this, form](const QString &label, QWidget *field, InlineStatus *status) {
        auto *l = new QLabel(label, this);
        l->setBuddy(field);
        form->addRow(l, field);
        form->addRow(QString(), status);
    };
    addRow(tr("&Name:"), m_name, m_nameStatus);
    addRow(tr("&Platform:"), m_platform, m_platformStatus);
    addRow(tr("API &address:"), m_url, m_urlStatus);
    addRow(tr("Sign-in &realm:"), m_issuer, m_issuerStatus);
    form->addRow(tr("&Client ID:"), m_clientId);
    addRow(tr("API &key:"), m_key, m_keyStatus);
    auto *testRow = new QHBoxLayout;
    testRow->addWidget(m_test);
    testRow->addStretch(1);
    form->addRow(QString(), testRow);
    form->addRow(QString(), m_testStatus);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    if (existing.demo) {
        auto *note = new QLabel(tr("The demo profile runs the bundled simulator on this computer; "
                                   "only its name can be changed."),
                                this);
        note->setWordWrap(true);
        layout->addWidget(note);
    }
    layout->addLayout(form);
    layout->addStretch(1);
    layout->addWidget(m_buttons);

    if (isEditing()) {
        m_name->setText(existing.name);
        m_platform->setCurrentIndex(std::max(0, m_platform->findData(existing.platform)));
        // Another platform is another account: add a profile for it instead.
        m_platform->setEnabled(false);
        m_url->setText(existing.baseUrl.toString());
        m_key->lineEdit()->setPlaceholderText(tr("Leave empty to keep the stored key"));
        m_issuer->setText(existing.issuerUrl.toString());
        m_clientId->setText(existing.clientId);
    } else {
        m_url->setText(DefaultTalknexUrl);
        m_key->lineEdit()->setPlaceholderText(tr("Paste the key from your Talknex dashboard"));
    }
    if (m_issuer->text().isEmpty())
        m_issuer->setText(sb::models::ProfileStore::defaultSpeakNodeIssuer().toString());
    if (m_clientId->text().isEmpty())
        m_clientId->setText(sb::models::ProfileStore::defaultSpeakNodeClientId());
    const bool demo = existing.demo;
    m_platform->setVisible(!demo);
    m_url->setVisible(!demo);
    m_key->setVisible(!demo);
    m_test->setVisible(!demo);
    for (QWidget *field : {static_cast<QWidget *>(m_platform), static_cast<QWidget *>(m_url),
                           static_cast<QWidget *>(m_key)})
        if (QWidget *label = form->labelForField(field))
            label->setVisible(!demo);
    updatePlatformFields();
    connect(m_platform, &QComboBox::currentIndexChanged, this, [this] {
        // Swap the address only while it is still the other platform's default.
        const QString url = m_url->text().trimmed();
        if (isSpeakNode() && (url.isEmpty() || url == DefaultTalknexUrl))
            m_url->setText(DefaultSpeakNodeUrl);
        else if (!isSpeakNode() && (url.isEmpty() || url == DefaultSpeakNodeUrl))
            m_url->setText(DefaultTalknexUrl);
        m_urlStatus->clearStatus();
        m_keyStatus->clearStatus();
        m_testStatus->clearStatus();
        updatePlatformFields();
    });
    connect(m_issuer, &QLineEdit::textEdited, this, [this] {
        m_issuerStatus->clearStatus();
        m_testStatus->clearStatus();
    });
    setTabOrder(m_name, m_platform);
    setTabOrder(m_platform, m_url);
    setTabOrder(m_url, m_issuer);
    setTabOrder(m_issuer, m_clientId);
    setTabOrder(m_clientId, m_key->lineEdit());
    setTabOrder(m_key->lineEdit(), m_key->toggleButton());
    setTabOrder(m_key->toggleButton(), m_test);

    if (m_credentials &&
        m_credentials->availability() == CredentialStore::Availability::Unavailable)
        m_banner->showMessage(MessageBanner::Kind::Warning, m_credentials->unavailableMessage());

    connect(m_name, &QLineEdit::textEdited, m_nameStatus, &InlineStatus::clearStatus);
    connect(m_url, &QLineEdit::textEdited, this, [this] {
        m_urlStatus->clearStatus();
        m_testStatus->clearStatus();
    });
    connect(m_key, &ApiKeyField::textChanged, this, [this] {
        m_keyStatus->clearStatus();
        m_testStatus->clearStatus();
    });
    connect(m_test, &QPushButton::clicked, this, &ProfileDialog::testConnection);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ProfileDialog::save);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_tester, &ConnectionTester::finished, this, [this](bool ok, const QString &message) {
        m_test->setEnabled(true);
        m_testStatus->setStatus(ok ? InlineStatus::Kind::Ok : InlineStatus::Kind::Error, message);
        Q_EMIT connectionTested(ok, message);
    });
    if (m_credentials)
        connect(m_credentials, &CredentialStore::written, this,
                [this](const QString &keyId, bool persisted) {
                    if (m_saving && keyId == m_pendingKeyId)
                        finishSave(persisted);
                });
    resize(std::max(sizeHint().width(), 560), sizeHint().height());
}

ProfileDialog::~ProfileDialog() = default;

QString ProfileDialog::apiKey() const
{
    return m_existing.demo ? QString() : m_key->key();
}

QUrl ProfileDialog::typedUrl() const
{
    return QUrl(m_url->text().trimmed(), QUrl::StrictMode);
}

Profile ProfileDialog::collect() const
{
    Profile p = m_existing;
    p.name = m_name->text().trimmed();
    if (!p.demo) {
        p.platform = m_platform->currentData().toString();
        p.baseUrl = typedUrl();
        if (isSpeakNode()) {
            p.issuerUrl = QUrl(m_issuer->text().trimmed(), QUrl::StrictMode);
            p.clientId = m_clientId->text().trimmed();
        }
    }
    return p;
}

bool ProfileDialog::validate()
{
    QWidget *firstBad = nullptr;
    auto fail = [&firstBad](InlineStatus *status, QWidget *field, const QString &text) {
        status->setStatus(InlineStatus::Kind::Error, text);
        if (!firstBad)
            firstBad = field;
    };
    const QString name = m_name->text().trimmed();
    if (name.isEmpty())
        fail(m_nameStatus, m_name, tr("Enter a name for this profile."));
    else if (m_store && m_store->isNameTaken(name, m_existing.id))
        fail(m_nameStatus, m_name, tr("Another profile is already called “%1”.").arg(name));
    else
        m_nameStatus->clearStatus();

    if (!m_existing.demo) {
        const QString platform = m_platform->currentData().toString();
        if (!platformAvailable(kindOf(platform)))
            fail(m_platformStatus, m_platform,
                 tr("This version of Switchboard cannot connect to %1 yet.")
                     .arg(m_platform->currentText()));
        else
            m_platformStatus->clearStatus();

        const QString urlProblem = baseUrlProblem(typedUrl());
        if (!urlProblem.isEmpty())
            fail(m_urlStatus, m_url, urlProblem);
        else
            m_urlStatus->clearStatus();

        if (isSpeakNode()) {
            const QUrl issuer(m_issuer->text().trimmed(), QUrl::StrictMode);
            const QString issuerProblem = baseUrlProblem(issuer);
            if (!issuerProblem.isEmpty())
                fail(m_issuerStatus, m_issuer, issuerProblem);
            else if (m_clientId->text().trimmed().isEmpty())
                fail(m_issuerStatus, m_clientId,
                     tr("Enter the client ID (normally “%1”).")
                         .arg(sb::models::ProfileStore::defaultSpeakNodeClientId()));
            else
                m_issuerStatus->clearStatus();
        }
        const QString key = m_key->key();
        if (isSpeakNode())
            m_keyStatus->clearStatus(); // SpeakNode signs in through the browser
        else if (key.isEmpty() && !isEditing())
            fail(m_keyStatus, m_key, tr("Paste the API key from your Talknex dashboard."));
        else if (key.contains(QLatin1Char(' ')) || key.contains(QLatin1Char('\n')))
            fail(m_keyStatus, m_key,
                 tr("An API key has no spaces or line breaks. Copy it again from the dashboard."));
        else
            m_keyStatus->clearStatus();
    }
    if (firstBad)
        firstBad->setFocus(Qt::OtherFocusReason);
    return firstBad == nullptr;
}

void ProfileDialog::testConnection()
{
    if (m_existing.demo)
        return;
    const QString urlProblem = baseUrlProblem(typedUrl());
    if (!urlProblem.isEmpty()) {
        m_urlStatus->setStatus(InlineStatus::Kind::Error, urlProblem);
        m_url->setFocus();
        return;
    }
    m_test->setEnabled(false);
    m_testStatus->setStatus(InlineStatus::Kind::Progress, tr("Testing the connection…"));
    if (isSpeakNode()) {
        testSpeakNode();
        return;
    }
    const QString key = m_key->key();
    if (!key.isEmpty() || !isEditing() || !m_credentials) {
        testWithKey(key);
        return;
    }
    // Editing with the key field left empty: test the key that is stored.
    const QString keyId = m_existing.credentialKey();
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection =
        connect(m_credentials, &CredentialStore::readFinished, this,
                [this, keyId, connection](const QString &id, const QString &secret, bool found) {
                    if (id != keyId)
                        return;
                    disconnect(*connection);
                    if (!found) {
                        m_test->setEnabled(true);
                        m_testStatus->clearStatus();
                        m_keyStatus->setStatus(InlineStatus::Kind::Error,
                                               tr("No key is stored for this profile. "
                                                  "Paste it here."));
                        return;
                    }
                    testWithKey(secret);
                });
    m_credentials->read(keyId);
}

void ProfileDialog::testWithKey(const QString &key)
{
    if (key.isEmpty()) {
        m_test->setEnabled(true);
        m_testStatus->clearStatus();
        m_keyStatus->setStatus(InlineStatus::Kind::Error,
                               tr("Paste the API key to test the connection."));
        return;
    }
    m_tester->test(kindOf(m_platform->currentData().toString()), typedUrl(), key);
}

void ProfileDialog::save()
{
    if (m_saved.isValid() && !m_saving) {
        accept(); // second press after the keychain warning: "Close"
        return;
    }
    if (m_saving || !validate())
        return;
    m_saved = m_store ? m_store->save(collect()) : collect();
    const QString key = apiKey();
    if (key.isEmpty() || isSpeakNode()) {
        // SpeakNode keeps no key: its refresh token comes from the browser sign-in.
        finishSave(true); // demo, or an edit that keeps the stored key
        return;
    }
    if (!m_credentials) {
        finishSave(false);
        return;
    }
    m_saving = true;
    m_pendingKeyId = m_saved.credentialKey();
    m_save->setEnabled(false);
    m_banner->showMessage(MessageBanner::Kind::Information,
                          tr("Storing the API key in the system keychain…"));
    m_credentials->write(m_pendingKeyId, key);
}

void ProfileDialog::finishSave(bool persisted)
{
    m_saving = false;
    m_keyPersisted = persisted;
    m_save->setEnabled(true);
    Q_EMIT profileSaved(m_saved, persisted);
    if (persisted) {
        m_banner->hide();
        accept();
        return;
    }
    const QString why = m_credentials && !m_credentials->unavailableMessage().isEmpty()
                            ? m_credentials->unavailableMessage()
                            : tr("The system keychain could not store the API key. It is kept in "
                                 "memory for this session only and must be entered again next "
                                 "time.");
    m_banner->showMessage(MessageBanner::Kind::Warning,
                          tr("The profile “%1” is saved. %2").arg(m_saved.name, why));
    m_save->setText(tr("Close"));
    m_save->setAccessibleName(tr("Close"));
    m_buttons->button(QDialogButtonBox::Cancel)->hide();
}

} // namespace sb::ui

namespace sb::ui {

bool ProfileDialog::isSpeakNode() const
{
    return m_platform->currentData().toString() == QLatin1String("speaknode");
}

void ProfileDialog::updatePlatformFields()
{
    const bool speakNode = isSpeakNode() && !m_existing.demo;
    for (QWidget *field : {static_cast<QWidget *>(m_issuer), static_cast<QWidget *>(m_clientId)}) {
        field->setVisible(speakNode);
        if (QWidget *label = m_form->labelForField(field))
            label->setVisible(speakNode);
    }
    m_issuerStatus->setVisible(speakNode);
    const bool key = !isSpeakNode() && !m_existing.demo;
    m_key->setVisible(key);
    if (QWidget *label = m_form->labelForField(m_key))
        label->setVisible(key);
    m_keyStatus->setVisible(key);
    m_test->setToolTip(speakNode ? tr("Check that SpeakNode's sign-in service answers, without "
                                      "saving")
                                 : tr("Ask the server with this address and key, without saving"));
}

void ProfileDialog::testSpeakNode()
{
    const QUrl issuer(m_issuer->text().trimmed(), QUrl::StrictMode);
    const QString problem = baseUrlProblem(issuer);
    if (!problem.isEmpty()) {
        m_test->setEnabled(true);
        m_testStatus->clearStatus();
        m_issuerStatus->setStatus(InlineStatus::Kind::Error, problem);
        return;
    }
    if (!m_nam)
        m_nam = new QNetworkAccessManager(this);
    auto *discovery = new sb::api::OAuthDiscovery(m_nam, issuer, this);
    connect(discovery, &sb::api::OAuthDiscovery::finished, this, [this, discovery] {
        discovery->deleteLater();
        m_test->setEnabled(true);
        const bool ok = !discovery->error().isError();
        const QString message =
            ok ? tr("The sign-in service answers. You sign in with the browser when you open "
                    "this profile.")
               : tr("The sign-in service did not answer as expected: %1")
                     .arg(discovery->error().message.isEmpty() ? discovery->error().caption()
                                                               : discovery->error().message);
        m_testStatus->setStatus(ok ? InlineStatus::Kind::Ok : InlineStatus::Kind::Error, message);
        Q_EMIT connectionTested(ok, message);
    });
    discovery->start();
}

} // namespace sb::ui
