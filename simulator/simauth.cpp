#include "simauth.h"

#include <QSet>

#include <algorithm>

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

static qint64 ceilSeconds(qint64 ms)
{
    return ms >= 0 ? (ms + 999) / 1000 : -((-ms) / 1000);
}

SimRateLimiter::Decision SimRateLimiter::peek(const QString &key, qint64 nowMs) const
{
    Decision d;
    d.limit = m_limit;
    const auto it = m_counted.constFind(key);
    // Requests at or before nowMs - 60 s have left the window.
    std::deque<qint64>::const_iterator first, end;
    qsizetype used = 0;
    if (it != m_counted.constEnd()) {
        first = std::upper_bound(it->cbegin(), it->cend(), nowMs - kWindowMs);
        end = it->cend();
        used = end - first;
    }
    d.allowed = used < m_limit;
    d.remaining = int(qMax<qsizetype>(0, m_limit - used));
    if (used == 0) {
        d.resetEpoch = ceilSeconds(nowMs);
        return d;
    }
    // One more request fits when all but limit - 1 of the counted ones have left.
    const qsizetype leaving = used >= m_limit ? used - m_limit : 0;
    const qint64 freeAtMs = *(first + leaving) + kWindowMs;
    d.resetEpoch = ceilSeconds(freeAtMs);
    if (!d.allowed)
        d.retryAfter = int(qMax<qint64>(1, ceilSeconds(freeAtMs - nowMs)));
    return d;
}

SimRateLimiter::Decision SimRateLimiter::take(const QString &key, qint64 nowMs)
{
    std::deque<qint64> &times = m_counted[key];
    while (!times.empty() && times.front() <= nowMs - kWindowMs)
        times.pop_front();
    Decision d = peek(key, nowMs);
    if (d.allowed) {
        // Keep the queue sorted even if the wall clock steps back.
        times.push_back(times.empty() ? nowMs : qMax(nowMs, times.back()));
        d = peek(key, nowMs); // the numbers after this request
        d.allowed = true;
        d.retryAfter = 0;
    }
    return d;
}
