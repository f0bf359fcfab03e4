#pragma once

#include "apierror.h"
#include "ratelimiter.h"
#include "request.h"
#include "retrypolicy.h"
#include "tokensource.h"

#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QRandomGenerator>
#include <QUrl>

namespace sb::api {

class PendingRequest;

//! The one owner of the network for one platform account: QNetworkAccessManager, base URL,
//! credential, rate limiter and retry policy. Requests never retry on their own; the Session
//! re-sends them according to its RetryPolicy and RateLimiter.
class Session : public QObject
{
    Q_OBJECT
public:
    explicit Session(QObject *parent = nullptr);
    ~Session() override;

    //! Sets the API base (e.g. https://api.talknex.ai/v1). http:// is accepted only for loopback
    //! hosts; anything else is refused: returns an InvalidRequest error and keeps the old URL.
    ApiError setBaseUrl(const QUrl &url);
    QUrl baseUrl() const { return m_baseUrl; }
    //! True for https, and for http on 127.0.0.0/8, ::1 or localhost.
    static bool isAllowedBaseUrl(const QUrl &url);

    //! Bearer credential sent on every request. Never logged.
    void setApiKey(const QString &key);
    bool hasApiKey() const { return !m_apiKey.isEmpty(); }
    //! For the live stream's handshake (same key or token). Do not log the result.
    QByteArray authorizationHeader() const;

    //! OAuth instead of an API key (SpeakNode): every request carries the source's access token;
    //! a 401 asks it to refresh once and sends again; its signInRequired() is forwarded as
    //! unauthorized(). Not owned; null switches back to the API key.
    void setTokenSource(TokenSource *source);
    TokenSource *tokenSource() const { return m_tokenSource; }

    //! Time allowed until the first response bytes arrive (default 15 s).
    void setConnectTimeoutMs(int ms) { m_connectTimeoutMs = ms; }
    int connectTimeoutMs() const { return m_connectTimeoutMs; }
    //! Longest silence during a transfer before it is aborted (default 30 s).
    void setInactivityTimeoutMs(int ms) { m_inactivityTimeoutMs = ms; }
    int inactivityTimeoutMs() const { return m_inactivityTimeoutMs; }

    void setRetryPolicy(const RetryPolicy &policy) { m_retryPolicy = policy; }
    const RetryPolicy &retryPolicy() const { return m_retryPolicy; }
    //! Seeds the jitter (tests); default is securely seeded.
    void setRandomSeed(quint32 seed) { m_rng.seed(seed); }

    RateLimiter *rateLimiter() const { return m_limiter; }
    QNetworkAccessManager *networkAccessManager() const { return m_nam; }

    //! Queues `request` (lane, retries, rate limit). The returned object is parented to the
    //! Session, emits finished() once and deletes itself afterwards.
    PendingRequest *send(Request request);
    //! A request that finishes (asynchronously) with `error` without touching the network.
    PendingRequest *fail(const ApiError &error);

    //! Fresh random Idempotency-Key (UUID v4).
    static QByteArray newIdempotencyKey();

Q_SIGNALS:
    //! Rate budget for the status bar (forwarded from the limiter).
    void budgetChanged(const sb::api::RateBudget &budget);
    //! A request got 401: the credential was revoked or is wrong (show the sign-in dialog).
    void unauthorized(const sb::api::ApiError &error);

private:
    friend class PendingRequest;
    QRandomGenerator &rng() { return m_rng; }

    QNetworkAccessManager *m_nam = nullptr;
    RateLimiter *m_limiter = nullptr;
    QUrl m_baseUrl;
    QString m_apiKey;
    QPointer<TokenSource> m_tokenSource;
    int m_connectTimeoutMs = 15000;
    int m_inactivityTimeoutMs = 30000;
    RetryPolicy m_retryPolicy;
    QRandomGenerator m_rng;
};

} // namespace sb::api
