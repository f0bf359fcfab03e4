#include "speaknodesignindialog.h"

#include "accountform.h"
#include "browsersignin.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace sb::ui {

namespace {
sb::api::OAuthClientConfig clientOf(const sb::models::Profile &profile)
{
    sb::api::OAuthClientConfig client;
    client.issuer = profile.issuerUrl.isValid()
                        ? profile.issuerUrl
                        : sb::models::ProfileStore::defaultSpeakNodeIssuer();
    client.clientId = profile.clientId.isEmpty()
                          ? sb::models::ProfileStore::defaultSpeakNodeClientId()
                          : profile.clientId;
    return client;
}
} // namespace

SpeakNodeSignInDialog::SpeakNodeSignInDialog(const sb::models::Profile &profile,
                                             QNetworkAccessManager *nam, QWidget *parent)
    : QDialog(parent)
    , m_profile(profile)
    , m_browser(new BrowserSignIn(nam, clientOf(profile), this))
    , m_tester(new ConnectionTester(this))
    , m_reason(new QLabel(this))
    , m_browserButton(new QPushButton(tr("Sign In with &Browser…"), this))
    , m_browserStatus(new InlineStatus(this))
    , m_token(new ApiKeyField(this))
    , m_useToken(new QPushButton(tr("&Use Token"), this))
    , m_tokenStatus(new InlineStatus(this))
{
    setObjectName(QStringLiteral("speakNodeSignInDialog"));
    setWindowTitle(tr("Sign In to %1").arg(profile.name));
    auto *intro = new QLabel(
        tr("<b>%1</b> (SpeakNode) needs you to sign in. Your browser opens SpeakNode's sign-in "
           "page and comes back here; nothing you have open in the window is lost.")
            .arg(profile.name.toHtmlEscaped()),
        this);
    intro->setWordWrap(true);
    intro->setTextFormat(Qt::RichText);
    m_reason->setObjectName(QStringLiteral("reasonLabel"));
    m_reason->setWordWrap(true);
    m_reason->setTextFormat(Qt::PlainText);
    m_reason->setForegroundRole(QPalette::PlaceholderText);
    m_reason->hide();

    m_browserButton->setObjectName(QStringLiteral("browserSignInButton"));
    m_browserButton->setAccessibleName(tr("Sign in with the browser"));
    m_browserButton->setDefault(true);
    m_browserStatus->setObjectName(QStringLiteral("browserStatus"));
    m_token->setObjectName(QStringLiteral("tokenField"));
    m_token->lineEdit()->setAccessibleName(tr("Access token"));
    m_token->lineEdit()->setPlaceholderText(tr("Paste a token from SpeakNode's token page"));
    m_useToken->setObjectName(QStringLiteral("useTokenButton"));
    m_useToken->setAccessibleName(tr("Use the pasted token"));
    m_useToken->setAutoDefault(false);
    m_tokenStatus->setObjectName(QStringLiteral("tokenStatus"));

    auto *tokenNote = new QLabel(
        tr("A pasted token is used for this run only and never stored; when it expires you are "
           "asked again."),
        this);
    tokenNote->setWordWrap(true);
    tokenNote->setForegroundRole(QPalette::PlaceholderText);

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    auto *browserRow = new QHBoxLayout;
    browserRow->addWidget(m_browserButton);
    browserRow->addStretch(1);
    form->addRow(browserRow);
    form->addRow(m_browserStatus);
    auto *tokenLabel = new QLabel(tr("Or an access &token:"), this);
    tokenLabel->setBuddy(m_token->lineEdit());
    auto *tokenRow = new QHBoxLayout;
    tokenRow->addWidget(m_token, 1);
    tokenRow->addWidget(m_useToken);
    form->addRow(tokenLabel, tokenRow);
    form->addRow(QString(), m_tokenStatus);
    form->addRow(QString(), tokenNote);

    auto *buttons = new QDialogButtonBox(this);
    QPushButton *switchButton =
        buttons->addButton(tr("S&witch Profile…"), QDialogButtonBox::ActionRole);
    switchButton->setObjectName(QStringLiteral("switchProfileButton"));
    switchButton->setAutoDefault(false);
    QPushButton *cancel = buttons->addButton(QDialogButtonBox::Cancel);
    cancel->setAccessibleName(tr("Cancel"));
    cancel->setToolTip(tr("Keep working offline with what is already loaded"));

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_reason);
    layout->addLayout(form);
    layout->addStretch(1);
    layout->addWidget(buttons);

    connect(m_browserButton, &QPushButton::clicked, this,
            &SpeakNodeSignInDialog::signInWithBrowser);
    connect(m_useToken, &QPushButton::clicked, this, &SpeakNodeSignInDialog::usePastedToken);
    connect(buttons, &QDialogButtonBox::rejected, this, [this] {
        m_browser->cancel();
        reject();
    });
    connect(switchButton, &QPushButton::clicked, this, [this] {
        m_browser->cancel();
        Q_EMIT switchProfileRequested();
        done(SwitchProfile);
    });
    connect(m_token, &ApiKeyField::textChanged, m_tokenStatus, &InlineStatus::clearStatus);
    connect(m_browser, &BrowserSignIn::progress, this, [this](const QString &text) {
        m_browserStatus->setStatus(InlineStatus::Kind::Progress, text);
    });
    connect(m_browser, &BrowserSignIn::succeeded, this,
            [this](const sb::api::TokenSet &tokens, const sb::api::OAuthEndpoints &endpoints) {
                m_browserStatus->setStatus(InlineStatus::Kind::Ok, tr("Signed in."));
                Q_EMIT signedIn(tokens, endpoints);
                accept();
            });
    connect(m_browser, &BrowserSignIn::failed, this, [this](const QString &message, bool) {
        setBusy(false);
        m_browserStatus->setStatus(InlineStatus::Kind::Error, message);
    });
    connect(m_tester, &ConnectionTester::finished, this, [this](bool ok, const QString &message) {
        setBusy(false);
        if (!ok) {
            m_tokenStatus->setStatus(InlineStatus::Kind::Error, message);
            m_token->setFocus();
            return;
        }
        Q_EMIT accessTokenPasted(m_testedToken);
        accept();
    });
    resize(std::max(520, sizeHint().width()), sizeHint().height());
}

SpeakNodeSignInDialog::~SpeakNodeSignInDialog() = default;

void SpeakNodeSignInDialog::setReason(const QString &reason)
{
    m_reason->setText(reason);
    m_reason->setVisible(!reason.isEmpty());
}

QString SpeakNodeSignInDialog::reason() const
{
    return m_reason->text();
}

void SpeakNodeSignInDialog::setBusy(bool busy)
{
    m_browserButton->setEnabled(!busy);
    m_useToken->setEnabled(!busy);
    m_token->setEnabled(!busy);
}

void SpeakNodeSignInDialog::signInWithBrowser()
{
    setBusy(true);
    m_tokenStatus->clearStatus();
    m_browser->start();
}

void SpeakNodeSignInDialog::usePastedToken()
{
    const QString token = m_token->key();
    if (token.isEmpty()) {
        m_tokenStatus->setStatus(InlineStatus::Kind::Error, tr("Paste the access token first."));
        m_token->setFocus();
        return;
    }
    m_browser->cancel();
    m_testedToken = token;
    setBusy(true);
    m_tokenStatus->setStatus(InlineStatus::Kind::Progress,
                             tr("Checking the token with the server…"));
    m_tester->test(sb::api::PlatformKind::SpeakNode, m_profile.baseUrl, token);
}

} // namespace sb::ui
