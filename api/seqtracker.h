#pragma once

#include <QHash>
#include <QString>

namespace sb::api {

//! Per-call sequence bookkeeping of the live stream (pure): drops duplicates, detects gaps and
//! remembers the last applied seq of each call for `since` on resubscribe.
class SeqTracker
{
public:
    enum class Verdict {
        Apply,     //!< the next seq (or the first of a call)
        Duplicate, //!< seq <= last applied: drop
        Gap,       //!< seq jumped: apply it, but something was missed (backfill)
    };

    //! Judges `seq` of `callId` and, unless Duplicate, records it as the last applied. A call's
    //! first event is a Gap when it is not seq 1 (history before it is missing).
    Verdict observe(const QString &callId, qint64 seq);
    //! Last applied seq of `callId`; 0 = none.
    qint64 last(const QString &callId) const { return m_last.value(callId, 0); }
    //! Accepts everything up to `seq` as known (replay_gap: the server starts at oldestSeq).
    void skipTo(const QString &callId, qint64 seq);
    void forget(const QString &callId) { m_last.remove(callId); }
    void clear() { m_last.clear(); }

private:
    QHash<QString, qint64> m_last;
};

} // namespace sb::api
