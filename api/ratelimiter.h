#pragma once

#include "request.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QTimer>

#include <functional>
#include <optional>

namespace sb::api {

//! The key's request budget, for the status bar.
struct RateBudget
{
    int limit = 0;            //!< requests per minute (server's, or our assumption)
    int remaining = 0;        //!< server's last X-RateLimit-Remaining (or our estimate)
    qint64 resetAtMs = 0;     //!< epoch ms when the server window resets (0 = unknown)
    qint64 pausedUntilMs = 0; //!< epoch ms until which we send nothing (0 = not paused)
};

//! Client-side token bucket with priority lanes that keeps one API key under its limit.
//! Rate = 90% of the server's per-minute limit (default 100 → 90/min), burst = the other 10%,
//! so no 60 s window can exceed the server's limit. Background requests leave a reserve of
//! tokens for Interactive ones. Server headers override the estimate: Remaining=0 waits until
//! Reset, Retry-After pauses the whole key. Time comes from an injectable clock.
class RateLimiter : public QObject
{
    Q_OBJECT
public:
    using Clock = std::function<qint64()>; //!< epoch milliseconds

    explicit RateLimiter(Clock clock = {}, QObject *parent = nullptr);

    //! Server limit the bucket is derived from (default 100/min); a higher X-RateLimit-Limit
    //! from the server raises it automatically.
    void setServerLimit(int perMinute);
    int serverLimit() const { return m_serverLimit; }
    double ratePerMinute() const;
    double capacity() const;
    double tokens() const;

    //! Takes a token for `lane` now if allowed. Does not look at the queue.
    bool tryAcquire(Lane lane);
    //! Milliseconds until tryAcquire(lane) can succeed (0 = now).
    qint64 msUntilAvailable(Lane lane) const;

    //! Feeds X-RateLimit-Limit/-Remaining/-Reset of a response (missing/garbage = ignored).
    void updateFromHeaders(const QByteArray &limit, const QByteArray &remaining,
                           const QByteArray &reset);
    //! Sends nothing before `epochMs` (Retry-After).
    void pauseUntil(qint64 epochMs);
    RateBudget budget() const;

    //! Queues `grant`, called once a token is taken for it (in lane order). Returns a ticket.
    quint64 enqueue(Lane lane, std::function<void()> grant);
    //! Forgets a queued ticket (cancel). No-op when already granted.
    void remove(quint64 ticket);
    int queuedCount() const;
    //! Grants as many queued requests as the budget allows now; re-arms the wake-up timer.
    //! Called by the timer; tests with a fake clock call it directly.
    void pump();

    //! Parses Retry-After (delta seconds or an HTTP-date) into a delay in ms from `nowMs`.
    //! nullopt for garbage; clamped to [0, 1 h].
    static std::optional<qint64> parseRetryAfter(const QByteArray &value, qint64 nowMs);

Q_SIGNALS:
    void budgetChanged(const sb::api::RateBudget &budget);

private:
    struct Ticket
    {
        quint64 id;
        Lane lane;
        std::function<void()> grant;
    };
    void refill() const;
    double reserveFor(Lane lane) const;
    qint64 now() const;
    void emitBudget();

    Clock m_clock;
    int m_serverLimit = 100;
    mutable double m_tokens = 0;
    mutable qint64 m_lastRefillMs = 0;
    qint64 m_pausedUntilMs = 0;
    int m_serverRemaining = -1;
    qint64 m_serverResetMs = 0;
    quint64 m_nextTicket = 1;
    QList<Ticket> m_queue[2];
    QTimer m_wakeTimer;
    bool m_pumping = false;
};

} // namespace sb::api

Q_DECLARE_METATYPE(sb::api::RateBudget)
