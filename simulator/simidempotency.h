#pragma once

#include "simhttp.h"

#include <QByteArray>
#include <QHash>
#include <QString>

#include <deque>
#include <utility>

//! Remembered answers of POSTs with an Idempotency-Key, kept for 24 hours. Entries older than
//! that are dropped as new ones are stored (amortised O(1): a queue in insertion order).
class SimIdempotencyCache
{
public:
    static constexpr qint64 kWindowMs = 24LL * 3600 * 1000;

    struct Entry
    {
        QByteArray fingerprint; // method, path and body hash of the first request
        SimResponse response;
        qint64 atMs = 0;
    };

    //! The entry stored under slot less than 24 h before nowMs, or nullptr.
    const Entry *find(const QString &slot, qint64 nowMs) const;
    //! Stores (or replaces) the entry of slot at nowMs and drops the expired ones.
    void insert(const QString &slot, Entry entry, qint64 nowMs);
    qsizetype size() const { return m_entries.size(); }

private:
    void dropExpired(qint64 nowMs);

    QHash<QString, Entry> m_entries;
    std::deque<std::pair<qint64, QString>> m_order; // (atMs, slot), oldest first
};
