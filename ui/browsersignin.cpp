#include "browsersignin.h"

#include <QDesktopServices>
#include <QNetworkAccessManager>

namespace sb::ui {

using sb::api::ApiError;

BrowserSignIn::BrowserSignIn(QNetworkAccessManager *nam, const sb::api::OAuthClientConfig &client,
                             QObject *parent)
    : QObject(parent)
    , m_nam(nam)
    , m_client(client)
    , m_opener([](const QUrl &url) { return QDesktopServices::openUrl(url); })
{}

BrowserSignIn::~BrowserSignIn()
{
    // Quietly: nobody listens any more.
    delete m_discovery;
    delete m_signIn;
}

void BrowserSignIn::setBrowserOpener(sb::api::OAuthSignIn::BrowserOpener opener)
{
    m_opener = std::move(opener);
}

void BrowserSignIn::start()
{
    cancel();
    m_running = true;
    Q_EMIT progress(tr("Contacting the sign-in service…"));
    m_discovery = new sb::api::OAuthDiscovery(m_nam, m_client.issuer, this);
    connect(m_discovery, &sb::api::OAuthDiscovery::finished, this, &BrowserSignIn::onDiscovered);
    m_discovery->start();
}

void BrowserSignIn::cancel()
{
    if (!m_running)
        return;
    if (m_discovery) {
        m_discovery->disconnect(this);
        m_discovery->deleteLater();
    }
    if (m_signIn && m_signIn->isRunning())
        m_signIn->cancel(); // reports through failed() with Kind::Canceled
    else
        finishFailed(ApiError(ApiError::Kind::Canceled, QString()));
}

void BrowserSignIn::onDiscovered()
{
    sb::api::OAuthDiscovery *discovery = m_discovery;
    if (!discovery)
        return;
    discovery->deleteLater();
    if (discovery->error().isError()) {
        finishFailed(discovery->error());
        return;
    }
    m_endpoints = discovery->endpoints();
    m_signIn = new sb::api::OAuthSignIn(m_nam, m_endpoints, m_client, m_opener, this);
    m_signIn->setTimeoutMs(m_timeoutMs);
    connect(m_signIn, &sb::api::OAuthSignIn::exchangingCode, this,
            [this] { Q_EMIT progress(tr("Signed in at the browser; fetching the tokens…")); });
    connect(m_signIn, &sb::api::OAuthSignIn::succeeded, this,
            [this](const sb::api::TokenSet &tokens) {
                m_running = false;
                m_signIn->deleteLater();
                Q_EMIT succeeded(tokens, m_endpoints);
            });
    connect(m_signIn, &sb::api::OAuthSignIn::failed, this, [this](const ApiError &error) {
        m_signIn->deleteLater();
        finishFailed(error);
    });
    Q_EMIT progress(tr("Waiting for you to sign in in the browser…"));
    m_signIn->start();
}

void BrowserSignIn::finishFailed(const ApiError &error)
{
    m_running = false;
    const bool canceled = error.kind == ApiError::Kind::Canceled;
    QString text;
    if (canceled)
        text = tr("Sign-in canceled.");
    else if (error.kind == ApiError::Kind::Network || error.kind == ApiError::Kind::Timeout)
        text = tr("The sign-in service could not be reached: %1").arg(error.caption());
    else
        text =
            tr("Sign-in failed: %1").arg(error.message.isEmpty() ? error.caption() : error.message);
    Q_EMIT failed(text, canceled);
}

} // namespace sb::ui
