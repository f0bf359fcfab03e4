#pragma once

#include "api/streamevent.h"
#include "api/transcriptassembler.h"

#include <QAbstractListModel>

namespace sb::models {

//! The transcript of the focused call: stream chunks merged as TranscriptAssembler does (an
//! interim chunk is replaced by its final line, nothing shows twice), REST snapshots merged
//! idempotently, new lines appended in one insert per batch, the oldest dropped past maxLines().
class TranscriptModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role {
        SpeakerRole = Qt::UserRole + 1, //!< int(sb::api::SpeakerRole)
        TextRole,
        IsFinalRole,
        StartMsRole, //!< also the sort role
        EndMsRole,
        SentimentRole,   //!< int(sb::api::Sentiment)
        InterruptedRole, //!< bool: the speaker was cut off
        SortRole = StartMsRole,
    };

    explicit TranscriptModel(QObject *parent = nullptr);

    //! Focuses another call (a reset: the rows belong to another call now).
    void setCallId(const QString &callId);
    QString callId() const { return m_callId; }
    //! Keeps at most \a max lines; past it the oldest tenth is dropped (default 5,000).
    void setMaxLines(int max);
    int maxLines() const { return m_maxLines; }
    //! Lines dropped so far because of the bound.
    qint64 droppedLines() const { return m_dropped; }

    //! Events of other calls are ignored.
    void applyBatch(const QList<sb::api::StreamEvent> &events);
    //! Merges the snapshot's lines if it is the focused call's.
    void applySnapshot(const sb::api::CallSnapshot &snapshot);
    //! REST lines (final; REST wins for its keys, stream-only lines stay).
    void mergeLines(const QList<sb::api::TranscriptLine> &lines);

    sb::api::TranscriptAssembler::Entry entryAt(int row) const { return m_lines.lines().at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    void merge(const sb::api::TranscriptLine &line, bool isFinal);
    void flushPending();
    void trim();
    bool belowFloor(const sb::api::TranscriptLine &line) const;

    QString m_callId;
    sb::api::TranscriptAssembler m_lines;
    //! New lines past the last row, not shown yet: inserted together at the end of the batch.
    QList<sb::api::TranscriptAssembler::Entry> m_pending;
    bool m_hasFloor = false; //!< lines before the first kept one were dropped
    qint64 m_floorStartMs = 0;
    int m_floorRole = 0;
    qint64 m_dropped = 0;
    int m_maxLines = 5000;
};

} // namespace sb::models
