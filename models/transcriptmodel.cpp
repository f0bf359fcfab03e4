#include "transcriptmodel.h"

namespace sb::models {

using sb::api::StreamEvent;
using sb::api::TranscriptLine;
using Entry = sb::api::TranscriptAssembler::Entry;

namespace {
// The assembler's order: startMs, then role.
bool keyLess(qint64 startMs, int role, qint64 otherStart, int otherRole)
{
    return startMs != otherStart ? startMs < otherStart : role < otherRole;
}

bool sameKey(const TranscriptLine &a, const TranscriptLine &b)
{
    return a.startMs == b.startMs && a.role == b.role;
}

int lowerBound(const QList<Entry> &lines, const TranscriptLine &key)
{
    int lo = 0;
    int hi = int(lines.size());
    while (lo < hi) {
        const int mid = lo + (hi - lo) / 2;
        const TranscriptLine &l = lines.at(mid).line;
        if (keyLess(l.startMs, int(l.role), key.startMs, int(key.role)))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}
} // namespace

TranscriptModel::TranscriptModel(QObject *parent)
    : QAbstractListModel(parent)
{}

void TranscriptModel::setCallId(const QString &callId)
{
    beginResetModel();
    m_callId = callId;
    m_lines.clear();
    m_pending.clear();
    m_hasFloor = false;
    m_dropped = 0;
    endResetModel();
}

void TranscriptModel::setMaxLines(int max)
{
    m_maxLines = qMax(1, max);
    trim();
}

void TranscriptModel::applyBatch(const QList<StreamEvent> &events)
{
    if (m_callId.isEmpty())
        return;
    for (const StreamEvent &e : events) {
        if (e.type == StreamEvent::Type::Transcript && e.callId == m_callId)
            merge(e.line, e.isFinal);
    }
    flushPending();
}

void TranscriptModel::applySnapshot(const sb::api::CallSnapshot &snapshot)
{
    if (!m_callId.isEmpty() && snapshot.callId == m_callId)
        mergeLines(snapshot.details.transcript);
}

void TranscriptModel::mergeLines(const QList<TranscriptLine> &lines)
{
    for (const TranscriptLine &line : lines)
        merge(line, true);
    flushPending();
}

bool TranscriptModel::belowFloor(const TranscriptLine &line) const
{
    return m_hasFloor && keyLess(line.startMs, int(line.role), m_floorStartMs, m_floorRole);
}

void TranscriptModel::merge(const TranscriptLine &line, bool isFinal)
{
    if (belowFloor(line))
        return; // a late chunk of a line already dropped by the bound must not come back
    // Lines after the last row wait in m_pending, merged there with the assembler's rules.
    if (!m_pending.isEmpty()) {
        const TranscriptLine &tail = m_pending.last().line;
        for (Entry &p : m_pending) {
            if (!sameKey(p.line, line))
                continue;
            if (p.isFinal && !isFinal)
                return;
            p.line = line;
            p.isFinal = isFinal;
            return;
        }
        if (keyLess(tail.startMs, int(tail.role), line.startMs, int(line.role))) {
            m_pending.append(Entry{line, isFinal});
            return;
        }
        flushPending();
    }
    const QList<Entry> &rows = m_lines.lines();
    const int row = lowerBound(rows, line);
    if (row < rows.size() && sameKey(rows.at(row).line, line)) {
        const auto outcome = m_lines.merge(line, isFinal);
        if (outcome.change == sb::api::TranscriptAssembler::Change::Updated)
            Q_EMIT dataChanged(index(outcome.row), index(outcome.row));
        return;
    }
    if (row == rows.size()) {
        m_pending.append(Entry{line, isFinal});
        return;
    }
    // An earlier line (a REST line the stream missed): inserted in place.
    beginInsertRows({}, row, row);
    m_lines.merge(line, isFinal);
    endInsertRows();
    trim();
}

void TranscriptModel::flushPending()
{
    if (m_pending.isEmpty())
        return;
    const int first = m_lines.size();
    beginInsertRows({}, first, first + int(m_pending.size()) - 1);
    for (const Entry &p : std::as_const(m_pending))
        m_lines.merge(p.line, p.isFinal); // each lands on the tail, in order
    m_pending.clear();
    endInsertRows();
    trim();
}

void TranscriptModel::trim()
{
    const int size = m_lines.size();
    if (size <= m_maxLines)
        return;
    // Drop a tenth at once so the assembler is rebuilt rarely, not for every new line.
    const int keep = qMax(1, m_maxLines - m_maxLines / 10);
    const int drop = size - keep;
    beginRemoveRows({}, 0, drop - 1);
    const QList<Entry> kept = m_lines.lines().mid(drop);
    m_lines.clear();
    for (const Entry &e : kept)
        m_lines.merge(e.line, e.isFinal);
    m_hasFloor = true;
    m_floorStartMs = kept.first().line.startMs;
    m_floorRole = int(kept.first().line.role);
    m_dropped += drop;
    endRemoveRows();
}

int TranscriptModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_lines.size();
}

QVariant TranscriptModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry &e = m_lines.lines().at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case TextRole:
        return e.line.text;
    case SpeakerRole:
        return int(e.line.role);
    case IsFinalRole:
        return e.isFinal;
    case StartMsRole:
        return e.line.startMs;
    case EndMsRole:
        return e.line.endMs;
    case SentimentRole:
        return int(e.line.sentiment);
    case InterruptedRole:
        return e.line.interrupted;
    default:
        break;
    }
    return {};
}

QHash<int, QByteArray> TranscriptModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(SpeakerRole, "speaker");
    names.insert(TextRole, "text");
    names.insert(IsFinalRole, "isFinal");
    names.insert(StartMsRole, "startMs");
    names.insert(EndMsRole, "endMs");
    names.insert(SentimentRole, "sentiment");
    names.insert(InterruptedRole, "interrupted");
    return names;
}

} // namespace sb::models
