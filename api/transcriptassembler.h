#pragma once

#include "dto.h"

#include <QList>

namespace sb::api {

//! Pure transcript state of one call: merges interim and final stream chunks and REST snapshot
//! lines into lines ordered by startMs. Key = role + startMs: an interim chunk is replaced by a
//! later interim or final one, a final line is never replaced by an interim one, and merging the
//! same final line (or a whole snapshot) again changes nothing.
class TranscriptAssembler
{
public:
    //! One line and whether it is final.
    struct Entry
    {
        TranscriptLine line;
        bool isFinal = false;
    };
    enum class Change { None, Inserted, Updated };
    //! What a merge did, and where (row in lines()); row is -1 for Change::None.
    struct Outcome
    {
        Change change = Change::None;
        int row = -1;
    };

    //! A stream chunk (`isFinal` false = interim).
    Outcome merge(const TranscriptLine &line, bool isFinal);
    //! REST lines (all final, REST is the truth for their keys). Lines only the stream has so
    //! far are kept. Returns the outcome of each line, in the order given.
    QList<Outcome> mergeSnapshot(const QList<TranscriptLine> &lines);

    const QList<Entry> &lines() const { return m_lines; }
    int size() const { return static_cast<int>(m_lines.size()); }
    bool isEmpty() const { return m_lines.isEmpty(); }
    void clear() { m_lines.clear(); }
    //! Lines that are final, in order (e.g. to save).
    QList<TranscriptLine> finalLines() const;

private:
    //! First row whose key is not less than (startMs, role).
    int lowerBound(qint64 startMs, SpeakerRole role) const;

    QList<Entry> m_lines;
};

} // namespace sb::api
