#include "seqtracker.h"

namespace sb::api {

SeqTracker::Verdict SeqTracker::observe(const QString &callId, qint64 seq)
{
    qint64 &last = m_last[callId];
    if (seq <= last)
        return Verdict::Duplicate;
    const bool gap = seq != last + 1;
    last = seq;
    return gap ? Verdict::Gap : Verdict::Apply;
}

void SeqTracker::skipTo(const QString &callId, qint64 seq)
{
    qint64 &last = m_last[callId];
    if (seq > last)
        last = seq;
}

} // namespace sb::api
