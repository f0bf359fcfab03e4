#include "transcriptfeedmodel.h"

#include "callwallpalette.h"

#include "models/sentimenttimelinemodel.h"
#include "models/toolcallsmodel.h"
#include "models/transcriptmodel.h"

#include <algorithm>

namespace sb::ui {

using sb::models::ToolCallsModel;
using sb::models::TranscriptModel;

TranscriptFeedModel::TranscriptFeedModel(QObject *parent)
    : QAbstractListModel(parent)
{}

namespace {

template<class Handler>
QList<QMetaObject::Connection> follow(QAbstractItemModel *source, TranscriptFeedModel *feed,
                                      Handler handler)
{
    using M = QAbstractItemModel;
    QList<QMetaObject::Connection> c;
    c << QObject::connect(source, &M::rowsInserted, feed,
                          [handler](const QModelIndex &p, int f, int l) {
                              if (!p.isValid())
                                  handler(0, f, l);
                          });
    c << QObject::connect(source, &M::rowsRemoved, feed,
                          [handler](const QModelIndex &p, int f, int l) {
                              if (!p.isValid())
                                  handler(1, f, l);
                          });
    c << QObject::connect(source, &M::dataChanged, feed,
                          [handler](const QModelIndex &tl, const QModelIndex &br) {
                              handler(2, tl.row(), br.row());
                          });
    c << QObject::connect(source, &M::modelAboutToBeReset, feed, [handler] { handler(3, 0, 0); });
    c << QObject::connect(source, &M::modelReset, feed, [handler] { handler(4, 0, 0); });
    // Not emitted by the call models; taken as a reset so the feed can never go stale.
    c << QObject::connect(source, &M::layoutChanged, feed, [handler] { handler(5, 0, 0); });
    c << QObject::connect(source, &M::rowsMoved, feed, [handler] { handler(5, 0, 0); });
    return c;
}

} // namespace

void TranscriptFeedModel::setTranscript(TranscriptModel *model)
{
    for (const auto &c : std::as_const(m_lineConnections))
        disconnect(c);
    m_lineConnections.clear();
    m_lines = model;
    if (model) {
        m_lineConnections = follow(model, this, [this](int what, int f, int l) {
            switch (what) {
            case 0:
                return onInserted(Kind::Line, f, l);
            case 1:
                return onRemoved(Kind::Line, f, l);
            case 2:
                return onChanged(Kind::Line, f, l);
            case 3:
                return beginResetModel();
            case 4:
                m_highlightLine = -1;
                rebuild();
                return endResetModel();
            default:
                beginResetModel();
                rebuild();
                return endResetModel();
            }
        });
    }
    beginResetModel();
    m_highlightLine = -1;
    rebuild();
    endResetModel();
}

void TranscriptFeedModel::setToolCalls(ToolCallsModel *model)
{
    for (const auto &c : std::as_const(m_toolConnections))
        disconnect(c);
    m_toolConnections.clear();
    m_tools = model;
    if (model) {
        m_toolConnections = follow(model, this, [this](int what, int f, int l) {
            switch (what) {
            case 0:
                return onInserted(Kind::Tool, f, l);
            case 1:
                return onRemoved(Kind::Tool, f, l);
            case 2:
                return onChanged(Kind::Tool, f, l);
            case 3:
                return beginResetModel();
            case 4:
                m_expanded.clear();
                rebuild();
                return endResetModel();
            default:
                beginResetModel();
                rebuild();
                return endResetModel();
            }
        });
    }
    beginResetModel();
    m_expanded.clear();
    rebuild();
    endResetModel();
}

void TranscriptFeedModel::rebuild()
{
    m_rows.clear();
    const int lines = m_lines ? m_lines->rowCount() : 0;
    const int tools = m_tools ? m_tools->rowCount() : 0;
    m_rows.reserve(lines + tools);
    for (int i = 0; i < lines; ++i)
        m_rows.append(Entry{Kind::Line, i});
    for (int i = 0; i < tools; ++i)
        m_rows.append(Entry{Kind::Tool, i});
    // Stable: each source keeps its own order, lines before tool calls of the same time.
    std::stable_sort(m_rows.begin(), m_rows.end(), [this](const Entry &a, const Entry &b) {
        const qint64 ta = sourceTime(a.kind, a.source);
        const qint64 tb = sourceTime(b.kind, b.source);
        return ta != tb ? ta < tb : (a.kind == Kind::Line && b.kind == Kind::Tool);
    });
    reindex();
}

void TranscriptFeedModel::reindex()
{
    m_feedOfLine.fill(-1, m_lines ? m_lines->rowCount() : 0);
    m_feedOfTool.fill(-1, m_tools ? m_tools->rowCount() : 0);
    for (int row = 0; row < m_rows.size(); ++row) {
        const Entry &e = m_rows.at(row);
        QList<int> &index = e.kind == Kind::Line ? m_feedOfLine : m_feedOfTool;
        if (e.source >= 0 && e.source < index.size())
            index[e.source] = row;
    }
}

qint64 TranscriptFeedModel::sourceTime(Kind kind, int sourceRow) const
{
    if (kind == Kind::Line)
        return m_lines
                   ? m_lines->index(sourceRow, 0).data(TranscriptModel::StartMsRole).toLongLong()
                   : 0;
    return m_tools ? m_tools->index(sourceRow, 0).data(ToolCallsModel::AtMsRole).toLongLong() : 0;
}

int TranscriptFeedModel::insertPosition(qint64 timeMs, Kind kind) const
{
    const int rank = kind == Kind::Line ? 0 : 1;
    // Upper bound of (time, rank): after everything at the same time and kind.
    int lo = 0;
    int hi = int(m_rows.size());
    while (lo < hi) {
        const int mid = (lo + hi) / 2;
        const Entry &e = m_rows.at(mid);
        const qint64 t = sourceTime(e.kind, e.source);
        const int r = e.kind == Kind::Line ? 0 : 1;
        if (t < timeMs || (t == timeMs && r <= rank))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void TranscriptFeedModel::onInserted(Kind kind, int first, int last)
{
    const int count = last - first + 1;
    for (Entry &e : m_rows) {
        if (e.kind == kind && e.source >= first)
            e.source += count;
    }
    // New rows usually all land at the end: one insert for the whole batch.
    QList<Entry> tail;
    qint64 tailTime = 0;
    auto flushTail = [&] {
        if (tail.isEmpty())
            return;
        const int at = int(m_rows.size());
        beginInsertRows({}, at, at + int(tail.size()) - 1);
        m_rows.append(tail);
        endInsertRows();
        tail.clear();
    };
    for (int s = first; s <= last; ++s) {
        const qint64 t = sourceTime(kind, s);
        int pos = insertPosition(t, kind);
        if (pos == m_rows.size() && (tail.isEmpty() || t >= tailTime)) {
            tail.append(Entry{kind, s});
            tailTime = t;
            continue;
        }
        flushTail();
        pos = insertPosition(t, kind);
        beginInsertRows({}, pos, pos);
        m_rows.insert(pos, Entry{kind, s});
        endInsertRows();
    }
    flushTail();
    if (kind == Kind::Line && m_highlightLine >= first)
        m_highlightLine += count;
    reindex();
}

void TranscriptFeedModel::onRemoved(Kind kind, int first, int last)
{
    const int count = last - first + 1;
    // Remove from the end so the rows still to remove keep their numbers; contiguous runs at once.
    int row = int(m_rows.size()) - 1;
    while (row >= 0) {
        const Entry &e = m_rows.at(row);
        if (e.kind != kind || e.source < first || e.source > last) {
            --row;
            continue;
        }
        int start = row;
        while (start > 0) {
            const Entry &p = m_rows.at(start - 1);
            if (p.kind != kind || p.source < first || p.source > last)
                break;
            --start;
        }
        beginRemoveRows({}, start, row);
        m_rows.remove(start, row - start + 1);
        endRemoveRows();
        row = start - 1;
    }
    for (Entry &e : m_rows) {
        if (e.kind == kind && e.source > last)
            e.source -= count;
    }
    if (kind == Kind::Line && m_highlightLine >= first)
        m_highlightLine = m_highlightLine > last ? m_highlightLine - count : -1;
    reindex();
}

void TranscriptFeedModel::onChanged(Kind kind, int first, int last)
{
    const QList<int> &index = kind == Kind::Line ? m_feedOfLine : m_feedOfTool;
    for (int s = first; s <= last && s < index.size(); ++s) {
        const int row = index.at(s);
        if (row < 0)
            continue;
        const qint64 t = sourceTime(kind, s);
        const bool afterPrev = row == 0 || timeAt(row - 1) <= t;
        const bool beforeNext = row + 1 >= m_rows.size() || t <= timeAt(row + 1);
        if (afterPrev && beforeNext) {
            Q_EMIT dataChanged(this->index(row), this->index(row));
            continue;
        }
        // A REST snapshot moved a tool call in time: take it out and put it back in place.
        beginRemoveRows({}, row, row);
        m_rows.removeAt(row);
        endRemoveRows();
        const int pos = insertPosition(t, kind);
        beginInsertRows({}, pos, pos);
        m_rows.insert(pos, Entry{kind, s});
        endInsertRows();
        reindex();
    }
}

int TranscriptFeedModel::rowOfLine(int lineRow) const
{
    return lineRow >= 0 && lineRow < m_feedOfLine.size() ? m_feedOfLine.at(lineRow) : -1;
}

qint64 TranscriptFeedModel::timeAt(int row) const
{
    const Entry &e = m_rows.at(row);
    return sourceTime(e.kind, e.source);
}

QString TranscriptFeedModel::toolKey(int sourceRow) const
{
    if (!m_tools)
        return {};
    const QModelIndex i = m_tools->index(sourceRow, 0);
    return i.data(ToolCallsModel::ToolRole).toString() + QLatin1Char('@') +
           QString::number(i.data(ToolCallsModel::AtMsRole).toLongLong());
}

void TranscriptFeedModel::setExpanded(int row, bool expanded)
{
    if (row < 0 || row >= m_rows.size() || m_rows.at(row).kind != Kind::Tool)
        return;
    const QString key = toolKey(m_rows.at(row).source);
    if (expanded == m_expanded.contains(key))
        return;
    if (expanded)
        m_expanded.insert(key);
    else
        m_expanded.remove(key);
    Q_EMIT dataChanged(index(row), index(row), {ExpandedRole});
}

bool TranscriptFeedModel::isExpanded(int row) const
{
    return row >= 0 && row < m_rows.size() && m_rows.at(row).kind == Kind::Tool &&
           m_expanded.contains(toolKey(m_rows.at(row).source));
}

int TranscriptFeedModel::setHighlightTimeMs(qint64 ms)
{
    m_highlightMs = ms;
    int line = -1;
    if (ms >= 0 && m_lines) {
        // Lines are ordered by start: the last one started at or before ms is being spoken.
        int lo = 0;
        int hi = m_lines->rowCount();
        while (lo < hi) {
            const int mid = (lo + hi) / 2;
            if (m_lines->index(mid, 0).data(TranscriptModel::StartMsRole).toLongLong() <= ms)
                lo = mid + 1;
            else
                hi = mid;
        }
        line = lo - 1;
    }
    if (line != m_highlightLine) {
        const int oldRow = rowOfLine(m_highlightLine);
        m_highlightLine = line;
        if (oldRow >= 0)
            Q_EMIT dataChanged(index(oldRow), index(oldRow), {HighlightedRole});
        const int newRow = rowOfLine(line);
        if (newRow >= 0)
            Q_EMIT dataChanged(index(newRow), index(newRow), {HighlightedRole});
    }
    return rowOfLine(m_highlightLine);
}

int TranscriptFeedModel::highlightedRow() const
{
    return rowOfLine(m_highlightLine);
}

int TranscriptFeedModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant TranscriptFeedModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry &e = m_rows.at(index.row());
    switch (role) {
    case KindRole:
        return int(e.kind);
    case TimeMsRole:
        return sourceTime(e.kind, e.source);
    case ExpandedRole:
        return isExpanded(index.row());
    case HighlightedRole:
        return e.kind == Kind::Line && e.source == m_highlightLine;
    default:
        break;
    }
    if (e.kind == Kind::Line) {
        if (!m_lines)
            return {};
        const QModelIndex src = m_lines->index(e.source, 0);
        if (role == Qt::AccessibleTextRole || role == Qt::ToolTipRole) {
            const auto speaker =
                sb::api::SpeakerRole(src.data(TranscriptModel::SpeakerRole).toInt());
            const QString text = tr("%1 at %2: %3")
                                     .arg(CallPalette::speakerName(speaker),
                                          sb::models::callTimeText(sourceTime(e.kind, e.source)),
                                          src.data(TranscriptModel::TextRole).toString());
            if (!src.data(TranscriptModel::IsFinalRole).toBool())
                return tr("%1 (still speaking)").arg(text);
            return src.data(TranscriptModel::InterruptedRole).toBool()
                       ? tr("%1 (cut off)").arg(text)
                       : text;
        }
        return src.data(role);
    }
    if (!m_tools)
        return {};
    const QModelIndex src = m_tools->index(e.source, 0);
    if (role == Qt::AccessibleTextRole || role == Qt::DisplayRole) {
        const QModelIndex state = m_tools->index(e.source, ToolCallsModel::State);
        return tr("Tool call %1 at %2: %3")
            .arg(src.data(ToolCallsModel::ToolRole).toString(),
                 sb::models::callTimeText(sourceTime(e.kind, e.source)), state.data().toString());
    }
    return src.data(role);
}

} // namespace sb::ui
