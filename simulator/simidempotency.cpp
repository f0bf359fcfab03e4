#include "simidempotency.h"

const SimIdempotencyCache::Entry *SimIdempotencyCache::find(const QString &slot, qint64 nowMs) const
{
    const auto it = m_entries.constFind(slot);
    if (it == m_entries.constEnd() || nowMs - it->atMs >= kWindowMs)
        return nullptr;
    return &*it;
}

void SimIdempotencyCache::insert(const QString &slot, Entry entry, qint64 nowMs)
{
    dropExpired(nowMs);
    entry.atMs = nowMs;
    m_entries.insert(slot, std::move(entry));
    m_order.emplace_back(nowMs, slot);
}

void SimIdempotencyCache::dropExpired(qint64 nowMs)
{
    while (!m_order.empty() && nowMs - m_order.front().first >= kWindowMs) {
        const auto it = m_entries.find(m_order.front().second);
        // A slot stored again later has a newer time and a later place in the queue.
        if (it != m_entries.end() && it->atMs == m_order.front().first)
            m_entries.erase(it);
        m_order.pop_front();
    }
}
