#include "speaknodeconnector.h"

#include "api/credentialstore.h"
#include "api/tokenmanager.h"
#include "ui/browsersignin.h"

#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>

Q_DECLARE_LOGGING_CATEGORY(lcRuntime)

namespace sb::app {

using sb::models::ProfileStore;

SpeakNodeConnector::SpeakNodeConnector(const Options &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_nam(new QNetworkAccessManager(this))
{
    const sb::models::Profile &p = options.profile;
    m_client.issuer = options.issuer.isValid() ? options.issuer
                      : p.issuerUrl.isValid()  ? p.issuerUrl
                                               : ProfileStore::defaultSpeakNodeIssuer();
    m_client.clientId = !options.clientId.isEmpty() ? options.clientId
                        : !p.clientId.isEmpty()     ? p.clientId
                                                    : ProfileStore::defaultSpeakNodeClientId();
    m_tokens = new sb::api::TokenManager(m_nam, options.credentials, p.credentialKey(), this);
    connect(m_tokens, &sb::api::TokenManager::signedIn, this, [this] {
        markReady();
        Q_EMIT signedIn();
    });
    connect(m_tokens, &sb::api::TokenSource::signInRequired, this,
            [this](const sb::api::ApiError &error) {
                markReady();
                Q_EMIT signInRequired(error.message.isEmpty() ? error.caption() : error.message);
            });
    connect(m_tokens, &sb::api::TokenManager::signedOut, this,
            [this](const sb::api::ApiError &revokeError) {
                Q_EMIT signedOut(revokeError.isError()
                                     ? tr("Signed out here; SpeakNode could not be told (%1).")
                                           .arg(revokeError.caption())
                                     : tr("Signed out of SpeakNode."));
            });
}

SpeakNodeConnector::~SpeakNodeConnector() = default;

void SpeakNodeConnector::start()
{
    auto *discovery = new sb::api::OAuthDiscovery(m_nam, m_client.issuer, this);
    connect(discovery, &sb::api::OAuthDiscovery::finished, this, [this, discovery] {
        discovery->deleteLater();
        if (discovery->error().isError()) {
            qCWarning(lcRuntime) << "SpeakNode discovery failed:" << discovery->error().caption();
            markReady();
            // A pasted token needs no realm: it works until it expires.
            if (!m_options.pastedToken.isEmpty()) {
                m_tokens->usePastedAccessToken(m_options.pastedToken);
                return;
            }
            Q_EMIT signInRequired(tr("SpeakNode's sign-in service could not be reached (%1).")
                                      .arg(discovery->error().message.isEmpty()
                                               ? discovery->error().caption()
                                               : discovery->error().message));
            return;
        }
        m_tokens->setEndpoints(discovery->endpoints(), m_client);
        onDiscovered();
    });
    discovery->start();
}

void SpeakNodeConnector::onDiscovered()
{
    if (!m_options.pastedToken.isEmpty())
        m_tokens->usePastedAccessToken(m_options.pastedToken);
    else if (m_options.demo)
        signInDemo();
    else
        m_tokens->restore();
}

void SpeakNodeConnector::signInDemo()
{
    m_demoSignIn = new sb::ui::BrowserSignIn(m_nam, m_client, this);
    // The simulator's realm approves at once: following its redirect back to our own
    // listener is all a browser would do here.
    QNetworkAccessManager *nam = m_nam;
    m_demoSignIn->setBrowserOpener([nam](const QUrl &url) {
        QNetworkRequest request(url);
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                             QNetworkRequest::NoLessSafeRedirectPolicy);
        QNetworkReply *reply = nam->get(request);
        QObject::connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
        return true;
    });
    connect(m_demoSignIn, &sb::ui::BrowserSignIn::succeeded, this,
            [this](const sb::api::TokenSet &tokens, const sb::api::OAuthEndpoints &endpoints) {
                m_demoSignIn->deleteLater();
                adopt(tokens, endpoints);
            });
    connect(m_demoSignIn, &sb::ui::BrowserSignIn::failed, this,
            [this](const QString &message, bool) {
                m_demoSignIn->deleteLater();
                markReady();
                Q_EMIT signInRequired(message);
            });
    m_demoSignIn->start();
}

void SpeakNodeConnector::adopt(const sb::api::TokenSet &tokens,
                               const sb::api::OAuthEndpoints &endpoints)
{
    m_tokens->setEndpoints(endpoints, m_client);
    m_tokens->adoptTokens(tokens);
}

void SpeakNodeConnector::usePasted(const QString &token)
{
    m_tokens->usePastedAccessToken(token);
}

void SpeakNodeConnector::signOut()
{
    m_tokens->signOut();
}

void SpeakNodeConnector::markReady()
{
    if (m_ready)
        return;
    m_ready = true;
    Q_EMIT readyToConnect();
}

} // namespace sb::app
