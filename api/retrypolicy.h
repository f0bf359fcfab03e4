#pragma once

#include <QByteArray>
#include <QNetworkReply>
#include <QRandomGenerator>

namespace sb::api {

//! When and how long to wait before re-sending a failed request (capped exponential backoff
//! with full jitter, as the AWS and Google SDKs do).
struct RetryPolicy
{
    enum class Decision {
        Fail,        //!< give up: report the error
        Backoff,     //!< wait backoffMs() and retry
        AfterServer, //!< 429: wait the server's Retry-After (or backoff when absent), retry
    };

    int maxAttempts = 4;       //!< total attempts including the first
    qint64 baseDelayMs = 500;  //!< first retry waits up to this
    qint64 maxDelayMs = 20000; //!< cap of one wait
    //! A server asking for a longer wait (Retry-After) gets the error reported instead of a
    //! silent retry, so the UI can say "paused until"; the key stays paused either way.
    qint64 maxServerWaitMs = 60000;

    //! Full jitter: uniform in [0, min(maxDelayMs, baseDelayMs * 2^retryIndex)].
    qint64 backoffMs(int retryIndex, QRandomGenerator &rng) const;
    //! Upper bound of backoffMs() for `retryIndex`.
    qint64 backoffCapMs(int retryIndex) const;

    //! The retry table. `httpStatus` 0 = no HTTP answer (network error / timeout).
    //! GET/HEAD/PUT/PATCH/DELETE retry on network errors and 500/502/503/504; POST only with
    //! an Idempotency-Key; 429 always (the server did not act); other 4xx never.
    static Decision decide(const QByteArray &method, int httpStatus,
                           QNetworkReply::NetworkError networkError, bool hasIdempotencyKey);
    //! Transient transport failures worth another attempt.
    static bool isTransientNetworkError(QNetworkReply::NetworkError error);
};

} // namespace sb::api
