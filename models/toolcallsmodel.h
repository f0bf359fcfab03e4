#pragma once

#include "api/streamevent.h"

#include <QAbstractTableModel>

namespace sb::models {

//! The focused call's tool calls, each joined with its result in one row (args, result, error).
//! A tool_result completes the oldest pending call of the same tool; a REST snapshot is the
//! truth: its n-th tool call replaces the n-th row.
class ToolCallsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Time, Tool, Arguments, Result, State, ColumnCount };
    enum Role {
        SortRole = Qt::UserRole + 1, //!< raw value
        AtMsRole,
        ToolRole,
        ArgsRole,    //!< QJsonValue
        ResultRole,  //!< QJsonValue (Undefined while pending)
        ErrorRole,   //!< QString, empty when none
        PendingRole, //!< bool: no result yet
    };

    explicit ToolCallsModel(QObject *parent = nullptr);

    void setCallId(const QString &callId);
    QString callId() const { return m_callId; }
    //! Oldest rows are dropped past this (default 1,000).
    void setMaxRows(int max);

    void applyBatch(const QList<sb::api::StreamEvent> &events);
    void applySnapshot(const sb::api::CallSnapshot &snapshot);
    void mergeToolCalls(const QList<sb::api::ToolCall> &calls);

    sb::api::ToolCall toolCallAt(int row) const { return m_rows.at(row).call; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Row
    {
        sb::api::ToolCall call;
        QString error;
        bool pending() const { return call.result.isUndefined(); }
    };
    static Row makeRow(const sb::api::ToolCall &call);
    void appendRow(const Row &row);
    void trim();

    QString m_callId;
    QList<Row> m_rows;
    qint64 m_dropped = 0;
    qint64 m_callMs = 0; //!< call time of the last final line seen
    int m_maxRows = 1000;
};

} // namespace sb::models
