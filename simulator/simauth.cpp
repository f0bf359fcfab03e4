#include "simauth.h"

#include <QSet>

void SimKeyRing::addOrg(const SimOrg &org)
{
    m_orgs.append(org);
    for (const QString &k : org.keys)
        m_keyToOrg.insert(k, org.id);
}

QString SimKeyRing::orgForKey(const QString &key) const
{
    if (key.isEmpty() || m_revoked.contains(key))
        return {};
    return m_keyToOrg.value(key);
}

bool SimKeyRing::revoke(const QString &key)
{
    if (!m_keyToOrg.contains(key))
        return false;
    m_revoked.insert(key);
    return true;
}

static qint64 windowStart(qint64 nowMs)
{
    return (nowMs / 60000) * 60000;
}

SimRateLimiter::Decision SimRateLimiter::peek(const QString &key, qint64 nowMs) const
{
    Decision d;
    const qint64 start = windowStart(nowMs);
    const Window w = m_windows.value(key);
    const int used = (w.start == start) ? w.used : 0;
    d.limit = m_limit;
    d.remaining = qMax(0, m_limit - used);
    d.resetEpoch = (start + 60000) / 1000;
    d.allowed = used < m_limit;
    d.retryAfter = d.allowed ? 0 : int(qMax<qint64>(1, (start + 60000 - nowMs + 999) / 1000));
    return d;
}

SimRateLimiter::Decision SimRateLimiter::take(const QString &key, qint64 nowMs)
{
    const qint64 start = windowStart(nowMs);
    Window &w = m_windows[key];
    if (w.start != start) {
        w.start = start;
        w.used = 0;
    }
    Decision d = peek(key, nowMs);
    if (d.allowed) {
        ++w.used;
        d.remaining = qMax(0, m_limit - w.used);
    }
    return d;
}
