#include "sentimenttimelinemodel.h"

#include <QLocale>

namespace sb::models {

using sb::api::SentimentPoint;
using sb::api::StreamEvent;

QString callTimeText(qint64 ms)
{
    const qint64 seconds = qMax<qint64>(0, ms) / 1000;
    const qint64 h = seconds / 3600;
    const QChar zero(u'0');
    if (h > 0)
        return QStringLiteral("%1:%2:%3")
            .arg(h)
            .arg((seconds / 60) % 60, 2, 10, zero)
            .arg(seconds % 60, 2, 10, zero);
    return QStringLiteral("%1:%2").arg(seconds / 60).arg(seconds % 60, 2, 10, zero);
}

namespace {
QString labelText(sb::api::Sentiment s)
{
    switch (s) {
    case sb::api::Sentiment::Positive:
        return SentimentTimelineModel::tr("Positive");
    case sb::api::Sentiment::Neutral:
        return SentimentTimelineModel::tr("Neutral");
    case sb::api::Sentiment::Negative:
        return SentimentTimelineModel::tr("Negative");
    case sb::api::Sentiment::Unknown:
    case sb::api::Sentiment::None:
        break;
    }
    return SentimentTimelineModel::tr("Unknown");
}

bool samePoint(const SentimentPoint &a, const SentimentPoint &b)
{
    return a.atMs == b.atMs && a.label == b.label && a.score == b.score;
}
} // namespace

SentimentTimelineModel::SentimentTimelineModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void SentimentTimelineModel::setCallId(const QString &callId)
{
    beginResetModel();
    m_callId = callId;
    m_points.clear();
    m_dropped = 0;
    m_callMs = 0;
    endResetModel();
}

void SentimentTimelineModel::setMaxPoints(int max)
{
    m_maxPoints = qMax(1, max);
    trim();
}

void SentimentTimelineModel::applyBatch(const QList<StreamEvent> &events)
{
    if (m_callId.isEmpty())
        return;
    QList<SentimentPoint> fresh;
    for (const StreamEvent &e : events) {
        if (e.callId != m_callId)
            continue;
        if (e.type == StreamEvent::Type::Transcript && e.isFinal)
            m_callMs = qMax(m_callMs, e.line.endMs);
        else if (e.type == StreamEvent::Type::Sentiment)
            fresh.append(SentimentPoint{m_callMs, e.sentiment, e.score});
    }
    appendPoints(fresh);
}

void SentimentTimelineModel::applySnapshot(const sb::api::CallSnapshot &snapshot)
{
    if (!m_callId.isEmpty() && snapshot.callId == m_callId)
        mergePoints(snapshot.details.sentimentTimeline);
}

void SentimentTimelineModel::mergePoints(const QList<SentimentPoint> &points)
{
    // Both sides append in the same order: the n-th REST point is the n-th streamed one.
    const qint64 shown = m_dropped + m_points.size();
    for (qsizetype i = 0; i < points.size() && i < shown; ++i) {
        const qint64 row = i - m_dropped;
        if (row < 0 || samePoint(m_points.at(row), points.at(i)))
            continue;
        m_points[row] = points.at(i);
        Q_EMIT dataChanged(index(int(row), 0), index(int(row), ColumnCount - 1));
    }
    if (!points.isEmpty())
        m_callMs = qMax(m_callMs, points.last().atMs);
    if (points.size() > shown)
        appendPoints(points.mid(shown));
}

void SentimentTimelineModel::appendPoints(const QList<SentimentPoint> &points)
{
    if (points.isEmpty())
        return;
    const int first = int(m_points.size());
    beginInsertRows({}, first, first + int(points.size()) - 1);
    m_points.append(points);
    endInsertRows();
    trim();
}

void SentimentTimelineModel::trim()
{
    const int excess = int(m_points.size()) - m_maxPoints;
    if (excess <= 0)
        return;
    beginRemoveRows({}, 0, excess - 1);
    m_points.remove(0, excess);
    m_dropped += excess;
    endRemoveRows();
}

int SentimentTimelineModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_points.size());
}

int SentimentTimelineModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SentimentTimelineModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const SentimentPoint &p = m_points.at(index.row());
    switch (role) {
    case AtMsRole:
        return p.atMs;
    case LabelRole:
        return int(p.label);
    case ScoreRole:
        return p.score ? QVariant(*p.score) : QVariant();
    case Qt::DisplayRole:
    case SortRole:
        break;
    default:
        return {};
    }
    const bool raw = role == SortRole;
    switch (Column(index.column())) {
    case Time:
        return raw ? QVariant(p.atMs) : QVariant(callTimeText(p.atMs));
    case Label:
        return raw ? QVariant(int(p.label)) : QVariant(labelText(p.label));
    case Score:
        if (raw)
            return p.score ? *p.score : -2.0;
        return p.score ? QLocale().toString(*p.score, 'f', 2) : QString();
    case ColumnCount:
        break;
    }
    return {};
}

QVariant SentimentTimelineModel::headerData(int section, Qt::Orientation orientation,
                                            int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Time:
        return tr("Time");
    case Label:
        return tr("Sentiment");
    case Score:
        return tr("Score");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace sb::models
