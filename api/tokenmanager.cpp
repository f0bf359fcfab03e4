#include "tokenmanager.h"

#include "credentialstore.h"
#include "logging.h"
#include "oauthpkce.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace sb::api {

namespace {

ApiError signInError(const QString &code, const QString &message)
{
    ApiError e(ApiError::Kind::Unauthorized, message);
    e.code = code;
    return e;
}

} // namespace

TokenManager::TokenManager(QNetworkAccessManager *nam, CredentialStore *store,
                           const QString &credentialKey, QObject *parent)
    : TokenSource(parent)
    , m_nam(nam)
    , m_store(store)
    , m_credentialKey(credentialKey)
{
    qRegisterMetaType<sb::api::ApiError>();
    m_retryTimer.setSingleShot(true);
    m_expiryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &TokenManager::startRefresh);
    connect(&m_expiryTimer, &QTimer::timeout, this, [this] {
        if (m_refreshToken.isEmpty()) {
            // Nothing to renew it with: say so now rather than at the next request's 401.
            loseSession(signInError(QStringLiteral("token_expired"),
                                    m_pasted ? tr("The pasted access token has expired. Sign in "
                                                  "again.")
                                             : tr("The sign-in has expired. Sign in again.")));
            return;
        }
        requestRefresh(); // proactive: before the server starts answering 401
    });
    if (m_store) {
        const QString key = refreshTokenKey(m_credentialKey);
        connect(m_store, &CredentialStore::readFinished, this,
                [this, key](const QString &id, const QString &secret, bool found) {
                    if (id != key || !m_restoring)
                        return;
                    m_restoring = false;
                    if (!m_refreshToken.isEmpty())
                        return; // a sign-in finished while the keychain was answering
                    if (!found || secret.isEmpty()) {
                        loseSession(signInError(QStringLiteral("not_signed_in"),
                                                tr("Sign in to continue.")));
                        finishRefresh(false);
                        return;
                    }
                    m_refreshToken = secret;
                    if (!m_endpoints.token.isValid()) {
                        loseSession(notConfigured());
                        finishRefresh(false);
                        return;
                    }
                    m_refreshAttempt = 0;
                    startRefresh();
                });
        connect(m_store, &CredentialStore::written, this,
                [this, key](const QString &id, bool persisted) {
                    if (id == key)
                        Q_EMIT refreshTokenStored(persisted);
                });
    }
}

TokenManager::~TokenManager()
{
    dropReply(m_refreshReply);
    dropReply(m_revokeReply);
}

void TokenManager::dropReply(QPointer<QNetworkReply> &reply)
{
    if (!reply)
        return;
    reply->disconnect(this);
    reply->abort();
    reply->deleteLater();
    reply = nullptr;
}

void TokenManager::setEndpoints(const OAuthEndpoints &endpoints, const OAuthClientConfig &client)
{
    m_endpoints = endpoints;
    m_client = client;
}

QString TokenManager::refreshTokenKey(const QString &credentialKey)
{
    return credentialKey + QLatin1String(":refresh");
}

qint64 TokenManager::proactiveRefreshDelayMs(qint64 lifetimeMs)
{
    if (lifetimeMs <= 0)
        return 0;
    return lifetimeMs - std::min<qint64>(60 * 1000, lifetimeMs / 5);
}

ApiError TokenManager::notConfigured() const
{
    return signInError(QStringLiteral("not_configured"),
                       tr("Sign-in is not configured for this profile."));
}

void TokenManager::adoptTokens(const TokenSet &tokens)
{
    if (!tokens.isValid())
        return;
    m_signingOut = false;
    m_pasted = false;
    m_restoring = false;
    m_retryTimer.stop();
    dropReply(m_refreshReply);
    if (tokens.refreshToken.isEmpty()) {
        // A new sign-in without offline access: an older grant's token must not linger.
        if (!m_refreshToken.isEmpty()) {
            m_refreshToken.clear();
            forgetStoredRefreshToken();
        }
    } else if (tokens.refreshToken != m_refreshToken) {
        m_refreshToken = tokens.refreshToken;
        storeRefreshToken(m_refreshToken);
    }
    m_idToken = tokens.idToken;
    setAccessToken(tokens.accessToken, tokens.expiresInSec);
    finishRefresh(true); // requests that waited for a token may go now
}

void TokenManager::usePastedAccessToken(const QString &token)
{
    const QString trimmed = token.trimmed();
    if (trimmed.isEmpty())
        return;
    m_signingOut = false;
    m_restoring = false;
    m_retryTimer.stop();
    dropReply(m_refreshReply);
    m_refreshToken.clear(); // a pasted token is for this run: nothing to refresh or store
    m_idToken.clear();
    m_pasted = true;
    const QDateTime expiry = oauth::jwtExpiry(trimmed);
    const qint64 left =
        expiry.isValid() ? std::max<qint64>(0, QDateTime::currentDateTimeUtc().secsTo(expiry)) : 0;
    if (expiry.isValid() && left == 0) {
        loseSession(signInError(QStringLiteral("token_expired"),
                                tr("The pasted access token has already expired.")));
        finishRefresh(false); // requests that waited for a token must not wait forever
        return;
    }
    setAccessToken(trimmed, left);
    finishRefresh(true);
}

void TokenManager::restore()
{
    if (!m_store) {
        loseSession(signInError(QStringLiteral("not_signed_in"), tr("Sign in to continue.")));
        finishRefresh(false);
        return;
    }
    m_restoring = true;
    m_store->read(refreshTokenKey(m_credentialKey));
}

void TokenManager::requestRefresh()
{
    if (isRefreshing())
        return; // the running refresh answers every waiting request
    if (m_refreshToken.isEmpty() || !m_endpoints.token.isValid()) {
        const ApiError error =
            !m_refreshToken.isEmpty()
                ? notConfigured()
                : signInError(QStringLiteral("no_refresh_token"),
                              m_pasted ? tr("The pasted access token is no longer accepted. Sign "
                                            "in or paste a new token.")
                                       : tr("Sign in to continue."));
        loseSession(error);
        finishRefresh(false);
        return;
    }
    m_refreshAttempt = 0;
    startRefresh();
}

void TokenManager::startRefresh()
{
    if (m_refreshToken.isEmpty()) {
        finishRefresh(false);
        return;
    }
    ++m_refreshAttempt;
    ++m_refreshRequests;
    qCInfo(lcApi) << "OAuth: refreshing the access token, attempt" << m_refreshAttempt;
    m_refreshReply =
        oauth::postForm(m_nam, m_endpoints.token,
                        {{QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
                         {QStringLiteral("refresh_token"), m_refreshToken},
                         {QStringLiteral("client_id"), m_client.clientId}});
    connect(m_refreshReply, &QNetworkReply::finished, this, &TokenManager::onRefreshReply);
}

void TokenManager::onRefreshReply()
{
    QNetworkReply *reply = m_refreshReply;
    if (!reply)
        return;
    m_refreshReply = nullptr;
    reply->deleteLater();
    ApiError error;
    const TokenSet tokens = oauth::readTokenReply(reply, &error);

    if (!error.isError()) {
        // Rotation: a new refresh token replaces the old one, which the server now refuses.
        if (!tokens.refreshToken.isEmpty() && tokens.refreshToken != m_refreshToken) {
            m_refreshToken = tokens.refreshToken;
            storeRefreshToken(m_refreshToken);
        }
        if (!tokens.idToken.isEmpty())
            m_idToken = tokens.idToken;
        setAccessToken(tokens.accessToken, tokens.expiresInSec);
        finishRefresh(true);
        return;
    }
    const bool transient =
        error.kind == ApiError::Kind::Network || error.kind == ApiError::Kind::Timeout ||
        error.kind == ApiError::Kind::Server || error.kind == ApiError::Kind::RateLimited;
    if (transient && m_refreshAttempt <= m_retryDelaysMs.size()) {
        const int delay = m_retryDelaysMs.at(m_refreshAttempt - 1);
        qCInfo(lcApi).noquote() << "OAuth: refresh failed (" << error.message << "), retry in"
                                << delay << "ms";
        m_retryTimer.start(delay);
        return;
    }
    qCWarning(lcApi).noquote() << "OAuth: refresh failed:" << error.code << error.message;
    if (error.kind == ApiError::Kind::Unauthorized) {
        // invalid_grant: the grant was revoked or expired; the stored token is worthless.
        m_refreshToken.clear();
        forgetStoredRefreshToken();
    }
    ApiError shown = error;
    shown.kind = ApiError::Kind::Unauthorized;
    shown.message = transient
                        ? tr("Could not renew the sign-in (%1). Sign in again.").arg(error.message)
                        : tr("The sign-in has expired or was revoked. Sign in again.");
    loseSession(shown);
    finishRefresh(false);
}

void TokenManager::setAccessToken(const QString &token, qint64 expiresInSec)
{
    m_expiryTimer.stop();
    m_expiry =
        expiresInSec > 0 ? QDateTime::currentDateTimeUtc().addSecs(expiresInSec) : QDateTime();
    if (expiresInSec > 0) {
        // With a refresh token: renew ahead of the end. Without one: notice the end itself.
        const qint64 delay = m_refreshToken.isEmpty()
                                 ? expiresInSec * 1000
                                 : proactiveRefreshDelayMs(expiresInSec * 1000);
        m_expiryTimer.start(static_cast<int>(std::min<qint64>(delay, INT_MAX)));
    }
    const bool changed = token != m_accessToken;
    m_accessToken = token;
    m_lost = false;
    if (changed)
        Q_EMIT accessTokenChanged(m_accessToken);
    if (!m_signedIn) {
        m_signedIn = true;
        Q_EMIT signedIn();
    }
}

void TokenManager::storeRefreshToken(const QString &token)
{
    if (m_store)
        m_store->write(refreshTokenKey(m_credentialKey), token);
}

void TokenManager::forgetStoredRefreshToken()
{
    if (m_store)
        m_store->remove(refreshTokenKey(m_credentialKey));
}

void TokenManager::loseSession(const ApiError &error)
{
    m_expiryTimer.stop();
    m_signedIn = false;
    if (!m_accessToken.isEmpty()) {
        m_accessToken.clear();
        m_expiry = QDateTime();
        Q_EMIT accessTokenChanged(QString());
    }
    if (m_lost)
        return;
    m_lost = true;
    Q_EMIT signInRequired(error);
}

void TokenManager::finishRefresh(bool ok)
{
    // Always asynchronous: a request that asked for the refresh connects before asking.
    QMetaObject::invokeMethod(
        this, [this, ok] { Q_EMIT refreshFinished(ok); }, Qt::QueuedConnection);
}

} // namespace sb::api
