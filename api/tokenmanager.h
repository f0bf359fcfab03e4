#pragma once

#include "apierror.h"
#include "oauthdiscovery.h"
#include "tokenendpoint.h"
#include "tokensource.h"

#include <QDateTime>
#include <QList>
#include <QPair>
#include <QPointer>
#include <QTimer>

class QNetworkAccessManager;
class QNetworkReply;

namespace sb::api {

class CredentialStore;

//! The OAuth token lifecycle of one profile: holds the access token, refreshes it before it
//! runs out and when a request got 401 (one refresh shared by everyone), keeps the refresh
//! token only in the keychain (key "<credentialKey>:refresh"), revokes and forgets on sign-out.
//! Plug it into a Session with Session::setTokenSource().
class TokenManager : public TokenSource
{
    Q_OBJECT
public:
    //! `nam` sends token and revocation requests (the Session's is fine). `store` may be null
    //! (nothing persisted, e.g. tests).
    TokenManager(QNetworkAccessManager *nam, CredentialStore *store, const QString &credentialKey,
                 QObject *parent = nullptr);
    ~TokenManager() override;

    //! Endpoints from OAuthDiscovery and the client's settings; needed before anything else.
    void setEndpoints(const OAuthEndpoints &endpoints, const OAuthClientConfig &client);
    const OAuthEndpoints &endpoints() const { return m_endpoints; }

    //! Keychain key of the refresh token for a profile's credential key.
    static QString refreshTokenKey(const QString &credentialKey);
    //! When to refresh a token that lives `lifetimeMs`: 60 s before the end, or after 80 % of
    //! a short lifetime.
    static qint64 proactiveRefreshDelayMs(qint64 lifetimeMs);

    //! Tokens from a finished OAuthSignIn: used at once; the refresh token goes to the keychain.
    void adoptTokens(const TokenSet &tokens);
    //! An access token pasted from the platform's token page: this run only, nothing stored,
    //! no refresh. When it expires (JWT `exp`) or gets 401, signInRequired() follows.
    void usePastedAccessToken(const QString &token);
    //! At start-up: reads the stored refresh token and refreshes. signedIn() or
    //! signInRequired() follows.
    void restore();
    //! Revokes (RFC 7009: refresh token, then access token), removes the keychain entry and
    //! forgets everything in memory at once; signedOut() follows when the server has answered.
    void signOut();

    //! RP-initiated logout URL for the app to open in the browser (ends the provider's browser
    //! session too): end_session_endpoint with client_id and the id_token_hint of this run's
    //! sign-in. Ask before signOut(), which forgets the hint. Empty when none is published.
    QUrl endSessionUrl(const QUrl &postLogoutRedirect = {}) const;

    QString accessToken() const override { return m_accessToken; }
    //! Invalid when unknown.
    QDateTime accessTokenExpiry() const { return m_expiry; }
    bool hasRefreshToken() const { return !m_refreshToken.isEmpty(); }
    bool isPasted() const { return m_pasted; }
    bool isRefreshing() const { return m_refreshReply || m_retryTimer.isActive() || m_restoring; }
    void requestRefresh() override;

    //! Waits between refresh attempts after network errors and 5xx (default 1 s, 3 s).
    void setRefreshRetryDelaysMs(const QList<int> &delays) { m_retryDelaysMs = delays; }
    //! Number of refresh requests sent (tests and diagnostics).
    int refreshRequestCount() const { return m_refreshRequests; }

Q_SIGNALS:
    //! A usable access token is here (after sign-in, restore, or recovery).
    void signedIn();
    //! Sign-out finished; `revokeError` says if the server could not be told (tokens are
    //! forgotten locally either way).
    void signedOut(const sb::api::ApiError &revokeError);
    //! The refresh token was written; `persisted` false = memory only (no keychain).
    void refreshTokenStored(bool persisted);

private:
    void startRefresh();
    void onRefreshReply();
    void setAccessToken(const QString &token, qint64 expiresInSec);
    void storeRefreshToken(const QString &token);
    void forgetStoredRefreshToken();
    void loseSession(const ApiError &error);
    void finishRefresh(bool ok);
    void revokeNext();
    void dropReply(QPointer<QNetworkReply> &reply);
    ApiError notConfigured() const;

    QNetworkAccessManager *m_nam;
    QPointer<CredentialStore> m_store;
    QString m_credentialKey;
    OAuthEndpoints m_endpoints;
    OAuthClientConfig m_client;

    QString m_accessToken;
    QString m_refreshToken;
    QString m_idToken; //!< memory only: the logout hint
    QDateTime m_expiry;
    bool m_pasted = false;
    bool m_signedIn = false;
    bool m_lost = false; //!< signInRequired() was emitted for the current loss
    bool m_restoring = false;

    QPointer<QNetworkReply> m_refreshReply;
    QTimer m_retryTimer;
    QTimer m_expiryTimer;
    int m_refreshAttempt = 0;
    int m_refreshRequests = 0;
    QList<int> m_retryDelaysMs{1000, 3000};

    QList<QPair<QString, QString>> m_toRevoke; //!< (token, token_type_hint)
    QPointer<QNetworkReply> m_revokeReply;
    ApiError m_revokeError;
    bool m_signingOut = false;
};

} // namespace sb::api
