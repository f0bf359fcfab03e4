#pragma once

#include "api/streamevent.h"

#include <QAbstractTableModel>

namespace sb::models {

//! The focused call's sentiment over time. A stream point is placed at the call time of the
//! last final line; a REST snapshot is the truth: its n-th point replaces the n-th row.
class SentimentTimelineModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Time, Label, Score, ColumnCount };
    enum Role {
        SortRole = Qt::UserRole + 1, //!< raw value (atMs, int label, score)
        AtMsRole,
        LabelRole, //!< int(sb::api::Sentiment)
        ScoreRole, //!< double, invalid when none
    };

    explicit SentimentTimelineModel(QObject *parent = nullptr);

    void setCallId(const QString &callId);
    QString callId() const { return m_callId; }
    //! Oldest points are dropped past this (default 2,000).
    void setMaxPoints(int max);

    void applyBatch(const QList<sb::api::StreamEvent> &events);
    void applySnapshot(const sb::api::CallSnapshot &snapshot);
    void mergePoints(const QList<sb::api::SentimentPoint> &points);

    sb::api::SentimentPoint pointAt(int row) const { return m_points.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    void appendPoints(const QList<sb::api::SentimentPoint> &points);
    void trim();

    QString m_callId;
    QList<sb::api::SentimentPoint> m_points;
    qint64 m_dropped = 0; //!< ordinal of row 0 among all points of the call
    qint64 m_callMs = 0;  //!< call time of the last final line seen
    int m_maxPoints = 2000;
};

//! "m:ss" (or "h:mm:ss") of a call-time offset in ms.
QString callTimeText(qint64 ms);

} // namespace sb::models
