#include "session.h"

#include "logging.h"
#include "pendingrequest.h"
#include "tokensource.h"

#include <QHostAddress>
#include <QUuid>

namespace sb::api {

Session::Session(QObject *parent)
    : QObject(parent)
    , m_nam(new QNetworkAccessManager(this))
    , m_limiter(new RateLimiter({}, this))
    , m_rng(QRandomGenerator::securelySeeded())
{
    qRegisterMetaType<sb::api::RateBudget>();
    qRegisterMetaType<sb::api::ApiError>();
    // Redirects would carry the bearer key to wherever they point; the API never redirects.
    m_nam->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    connect(m_limiter, &RateLimiter::budgetChanged, this, &Session::budgetChanged);
}

Session::~Session() = default;

bool Session::isAllowedBaseUrl(const QUrl &url)
{
    if (!url.isValid() || url.host().isEmpty())
        return false;
    const QString scheme = url.scheme().toLower();
    if (scheme == QLatin1String("https"))
        return true;
    if (scheme != QLatin1String("http"))
        return false;
    const QString host = url.host().toLower();
    if (host == QLatin1String("localhost"))
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

ApiError Session::setBaseUrl(const QUrl &url)
{
    if (!isAllowedBaseUrl(url)) {
        const bool insecure = url.scheme().toLower() == QLatin1String("http");
        ApiError e(ApiError::Kind::InvalidRequest,
                   insecure ? tr("plain http:// is only allowed for this computer (loopback); use "
                                 "https:// for %1")
                                  .arg(url.host())
                            : tr("\"%1\" is not a valid https:// address")
                                  .arg(url.toDisplayString(QUrl::RemoveUserInfo)));
        return e;
    }
    QUrl clean = url;
    clean.setQuery(QString());
    clean.setFragment(QString());
    QString path = clean.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    clean.setPath(path);
    m_baseUrl = clean;
    return ApiError();
}

void Session::setApiKey(const QString &key)
{
    m_apiKey = key.trimmed();
}

void Session::setTokenSource(TokenSource *source)
{
    if (m_tokenSource)
        disconnect(m_tokenSource, nullptr, this, nullptr);
    m_tokenSource = source;
    if (source)
        connect(source, &TokenSource::signInRequired, this, &Session::unauthorized);
}

QByteArray Session::authorizationHeader() const
{
    if (m_tokenSource)
        return m_tokenSource->authorizationHeader();
    return QByteArrayLiteral("Bearer ") + m_apiKey.toUtf8();
}

QByteArray Session::newIdempotencyKey()
{
    return QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
}

PendingRequest *Session::send(Request request)
{
    if (request.method.isEmpty())
        request.method = QByteArrayLiteral("GET");
    request.method = request.method.toUpper();
    if (!request.path.startsWith(QLatin1Char('/')))
        request.path.prepend(QLatin1Char('/'));
    if (request.method == "POST" && request.idempotencyKey.isEmpty() && !request.noIdempotencyKey)
        request.idempotencyKey = newIdempotencyKey();
    auto *pending = new PendingRequest(this, std::move(request));
    if (!m_baseUrl.isValid()) {
        pending->finishWith(ApiError(ApiError::Kind::InvalidRequest, tr("no server address set")));
        return pending;
    }
    if (m_tokenSource) {
        if (!m_tokenSource->hasAccessToken() && pending->request().sendAuthorization)
            pending->waitForToken(); // restoring or refreshing: send once a token is here
        else
            pending->enqueue();
        return pending;
    }
    if (m_apiKey.isEmpty()) {
        pending->finishWith(ApiError(ApiError::Kind::Unauthorized, tr("no API key set")));
        return pending;
    }
    pending->enqueue();
    return pending;
}

PendingRequest *Session::fail(const ApiError &error)
{
    auto *pending = new PendingRequest(this, Request{});
    pending->finishWith(error);
    return pending;
}

} // namespace sb::api
