#pragma once

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QSet>
#include <QString>

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

//! Per-key fixed-window rate limiter (60-second windows aligned to the epoch minute).
class SimRateLimiter
{
public:
    struct Decision
    {
        bool allowed = true;
        int limit = 0;
        int remaining = 0;
        qint64 resetEpoch = 0; // when the current window ends, epoch seconds
        int retryAfter = 0;    // seconds, only when !allowed
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
    struct Window
    {
        qint64 start = 0;
        int used = 0;
    };
    int m_limit;
    QHash<QString, Window> m_windows;
};
