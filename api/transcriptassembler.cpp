#include "transcriptassembler.h"

namespace sb::api {

namespace {

bool keyLess(qint64 startMs, SpeakerRole role, qint64 otherStart, SpeakerRole otherRole)
{
    if (startMs != otherStart)
        return startMs < otherStart;
    return static_cast<int>(role) < static_cast<int>(otherRole);
}

bool sameContent(const TranscriptLine &a, const TranscriptLine &b)
{
    return a.text == b.text && a.endMs == b.endMs && a.sentiment == b.sentiment &&
           a.interrupted == b.interrupted && a.confidence == b.confidence;
}

} // namespace

int TranscriptAssembler::lowerBound(qint64 startMs, SpeakerRole role) const
{
    // Lines arrive nearly in order: check the tail before searching.
    const int n = size();
    if (n == 0 ||
        keyLess(m_lines.at(n - 1).line.startMs, m_lines.at(n - 1).line.role, startMs, role))
        return n;
    int lo = 0;
    int hi = n;
    while (lo < hi) {
        const int mid = lo + (hi - lo) / 2;
        const TranscriptLine &l = m_lines.at(mid).line;
        if (keyLess(l.startMs, l.role, startMs, role))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

TranscriptAssembler::Outcome TranscriptAssembler::merge(const TranscriptLine &line, bool isFinal)
{
    const int row = lowerBound(line.startMs, line.role);
    if (row < size()) {
        Entry &e = m_lines[row];
        if (e.line.startMs == line.startMs && e.line.role == line.role) {
            if (e.isFinal && !isFinal)
                return {}; // a late interim never undoes a final line
            if (e.isFinal == isFinal && sameContent(e.line, line))
                return {};
            e.line = line;
            e.isFinal = isFinal;
            return {Change::Updated, row};
        }
    }
    m_lines.insert(row, Entry{line, isFinal});
    return {Change::Inserted, row};
}

QList<TranscriptAssembler::Outcome>
TranscriptAssembler::mergeSnapshot(const QList<TranscriptLine> &lines)
{
    QList<Outcome> out;
    out.reserve(lines.size());
    for (const TranscriptLine &line : lines)
        out.append(merge(line, true)); // REST wins for its keys; stream-only lines stay
    return out;
}

QList<TranscriptLine> TranscriptAssembler::finalLines() const
{
    QList<TranscriptLine> out;
    out.reserve(m_lines.size());
    for (const Entry &e : m_lines) {
        if (e.isFinal)
            out.append(e.line);
    }
    return out;
}

} // namespace sb::api
