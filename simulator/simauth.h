#pragma once

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QSet>
#include <QString>

#include <deque>

//! One organization of the simulator with its API keys.
struct SimOrg
{
    QString id;
    QString name;
    QStringList keys;
};

//! API keys → organizations, with revocation.
class SimKeyRing
{
public:
    void addOrg(const SimOrg &org);
    //! The org id of a valid key, or an empty string for a missing, unknown or revoked key.
    QString orgForKey(const QString &key) const;
    bool revoke(const QString &key);
    bool isKnown(const QString &key) const { return m_keyToOrg.contains(key); }
    const QList<SimOrg> &orgs() const { return m_orgs; }

private:
    QList<SimOrg> m_orgs;
    QHash<QString, QString> m_keyToOrg;
    QSet<QString> m_revoked;
};

//! Per-key sliding-window rate limiter: at most `limit` requests in any 60 seconds. Each key
//! keeps the times of its counted requests of the last minute (at most `limit` of them; refused
//! requests are not counted), so a burst across a calendar-minute boundary is refused too.
class SimRateLimiter
{
public:
    static constexpr qint64 kWindowMs = 60000;

    struct Decision
    {
        bool allowed = true;
        int limit = 0;
        int remaining = 0;     // requests still allowed now
        qint64 resetEpoch = 0; // epoch seconds (rounded up) when one more request is allowed:
                               // when the oldest counted request leaves the window, or later
                               // if the limit was lowered; now when nothing is counted
        int retryAfter = 0;    // seconds until a request is allowed (>= 1), only when !allowed
    };

    explicit SimRateLimiter(int limitPerMinute = 100)
        : m_limit(limitPerMinute)
    {}
    void setLimit(int limitPerMinute) { m_limit = qMax(1, limitPerMinute); }
    int limit() const { return m_limit; }

    //! Counts one request of the key and says whether it may pass.
    Decision take(const QString &key, qint64 nowMs);
    //! The current numbers without counting (for responses that are not counted, e.g. 401).
    Decision peek(const QString &key, qint64 nowMs) const;

private:
    int m_limit;
    QHash<QString, std::deque<qint64>> m_counted; // per key, oldest first
};
