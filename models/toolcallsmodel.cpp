#include "toolcallsmodel.h"

#include "alertrules.h"
#include "sentimenttimelinemodel.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace sb::models {

using sb::api::StreamEvent;
using sb::api::ToolCall;

namespace {
QString compactJson(const QJsonValue &v)
{
    if (v.isUndefined() || v.isNull())
        return {};
    if (v.isObject())
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    if (v.isString())
        return v.toString();
    return v.toVariant().toString();
}

bool sameCall(const ToolCall &a, const ToolCall &b)
{
    return a.tool == b.tool && a.args == b.args && a.result == b.result && a.atMs == b.atMs;
}
} // namespace

ToolCallsModel::ToolCallsModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

ToolCallsModel::Row ToolCallsModel::makeRow(const ToolCall &call)
{
    return Row{call, AlertRules::toolResultError(call.result)};
}

void ToolCallsModel::setCallId(const QString &callId)
{
    beginResetModel();
    m_callId = callId;
    m_rows.clear();
    m_dropped = 0;
    m_callMs = 0;
    endResetModel();
}

void ToolCallsModel::setMaxRows(int max)
{
    m_maxRows = qMax(1, max);
    trim();
}

void ToolCallsModel::applyBatch(const QList<StreamEvent> &events)
{
    if (m_callId.isEmpty())
        return;
    for (const StreamEvent &e : events) {
        if (e.callId != m_callId)
            continue;
        if (e.type == StreamEvent::Type::Transcript && e.isFinal) {
            m_callMs = qMax(m_callMs, e.line.endMs);
        } else if (e.type == StreamEvent::Type::ToolCall) {
            appendRow(
                makeRow(ToolCall{e.tool, e.args, QJsonValue(QJsonValue::Undefined), m_callMs}));
        } else if (e.type == StreamEvent::Type::ToolResult) {
            int row = 0;
            while (row < m_rows.size() &&
                   (m_rows.at(row).call.tool != e.tool || !m_rows.at(row).pending()))
                ++row;
            if (row == m_rows.size()) {
                // A result without its call (the call was before we focused): a row of its own.
                appendRow(makeRow(
                    ToolCall{e.tool, QJsonValue(QJsonValue::Undefined), e.result, m_callMs}));
                continue;
            }
            m_rows[row] = makeRow(
                ToolCall{e.tool, m_rows.at(row).call.args, e.result, m_rows.at(row).call.atMs});
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
        }
    }
}

void ToolCallsModel::applySnapshot(const sb::api::CallSnapshot &snapshot)
{
    if (!m_callId.isEmpty() && snapshot.callId == m_callId)
        mergeToolCalls(snapshot.details.toolCalls);
}

void ToolCallsModel::mergeToolCalls(const QList<ToolCall> &calls)
{
    const qint64 shown = m_dropped + m_rows.size();
    for (qsizetype i = 0; i < calls.size() && i < shown; ++i) {
        const qint64 row = i - m_dropped;
        if (row < 0 || sameCall(m_rows.at(row).call, calls.at(i)))
            continue;
        m_rows[row] = makeRow(calls.at(i));
        Q_EMIT dataChanged(index(int(row), 0), index(int(row), ColumnCount - 1));
    }
    for (qsizetype i = shown; i < calls.size(); ++i)
        appendRow(makeRow(calls.at(i)));
    if (!calls.isEmpty())
        m_callMs = qMax(m_callMs, calls.last().atMs);
}

void ToolCallsModel::appendRow(const Row &row)
{
    const int at = int(m_rows.size());
    beginInsertRows({}, at, at);
    m_rows.append(row);
    endInsertRows();
    trim();
}

void ToolCallsModel::trim()
{
    const int excess = int(m_rows.size()) - m_maxRows;
    if (excess <= 0)
        return;
    beginRemoveRows({}, 0, excess - 1);
    m_rows.remove(0, excess);
    m_dropped += excess;
    endRemoveRows();
}

int ToolCallsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ToolCallsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ToolCallsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows.at(index.row());
    switch (role) {
    case AtMsRole:
        return r.call.atMs;
    case ToolRole:
        return r.call.tool;
    case ArgsRole:
        return QVariant::fromValue(r.call.args);
    case ResultRole:
        return QVariant::fromValue(r.call.result);
    case ErrorRole:
        return r.error;
    case PendingRole:
        return r.pending();
    case Qt::ToolTipRole:
        if (index.column() == Arguments)
            return compactJson(r.call.args);
        if (index.column() == Result)
            return compactJson(r.call.result);
        return {};
    case Qt::DisplayRole:
    case SortRole:
        break;
    default:
        return {};
    }
    const bool raw = role == SortRole;
    switch (Column(index.column())) {
    case Time:
        return raw ? QVariant(r.call.atMs) : QVariant(callTimeText(r.call.atMs));
    case Tool:
        return r.call.tool;
    case Arguments:
        return compactJson(r.call.args);
    case Result:
        return compactJson(r.call.result);
    case State: {
        const int state = r.pending() ? 0 : (r.error.isEmpty() ? 1 : 2);
        if (raw)
            return state;
        if (state == 0)
            return tr("Waiting");
        return state == 1 ? tr("Done") : tr("Failed: %1").arg(r.error);
    }
    case ColumnCount:
        break;
    }
    return {};
}

QVariant ToolCallsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Time:
        return tr("Time");
    case Tool:
        return tr("Tool");
    case Arguments:
        return tr("Arguments");
    case Result:
        return tr("Result");
    case State:
        return tr("State");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace sb::models
