#include "retrypolicy.h"

#include <algorithm>

namespace sb::api {

qint64 RetryPolicy::backoffCapMs(int retryIndex) const
{
    const int shift = std::clamp(retryIndex, 0, 30); // 2^30 * base overflows nothing in qint64
    return std::min(maxDelayMs, baseDelayMs << shift);
}

qint64 RetryPolicy::backoffMs(int retryIndex, QRandomGenerator &rng) const
{
    const qint64 cap = backoffCapMs(retryIndex);
    if (cap <= 0)
        return 0;
    // Full jitter (uniform over [0, cap]) spreads clients that failed together.
    return static_cast<qint64>(rng.bounded(static_cast<quint64>(cap) + 1));
}

bool RetryPolicy::isTransientNetworkError(QNetworkReply::NetworkError error)
{
    switch (error) {
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::RemoteHostClosedError:
    case QNetworkReply::HostNotFoundError:
    case QNetworkReply::TimeoutError:
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::UnknownNetworkError:
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyTimeoutError:
    case QNetworkReply::UnknownProxyError:
    case QNetworkReply::ProtocolFailure: // e.g. the connection died mid-response
        return true;
    default:
        return false;
    }
}

RetryPolicy::Decision RetryPolicy::decide(const QByteArray &method, int httpStatus,
                                          QNetworkReply::NetworkError networkError,
                                          bool hasIdempotencyKey)
{
    // The server refused before acting: always safe to repeat, whatever the method.
    if (httpStatus == 429)
        return Decision::AfterServer;
    const QByteArray m = method.toUpper();
    const bool safeToRepeat = m == "GET" || m == "HEAD" || m == "PUT" || m == "PATCH" ||
                              m == "DELETE" || m == "OPTIONS" || hasIdempotencyKey;
    if (!safeToRepeat)
        return Decision::Fail;
    if (httpStatus == 0)
        return isTransientNetworkError(networkError) ? Decision::Backoff : Decision::Fail;
    if (httpStatus == 500 || httpStatus == 502 || httpStatus == 503 || httpStatus == 504)
        return Decision::Backoff;
    return Decision::Fail;
}

} // namespace sb::api
