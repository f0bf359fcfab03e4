#pragma once

#include "models/alertrules.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QPointer>

namespace sb::models {

class AlertService;

//! The alerts of this session, newest first, with acknowledgement; follows an AlertService.
class AlertLogModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Time, Severity, Rule, Call, Detail, Acknowledged, ColumnCount };
    enum Role {
        SortRole = Qt::UserRole + 1, //!< raw value (times as ms, severity as int)
        IdRole,
        CallIdRole,
        RuleRole,         //!< AlertRule::* name
        SeverityRole,     //!< int(AlertSeverity)
        AcknowledgedRole, //!< bool
    };

    //! Shows the service's alerts so far and every later one (at most maxRows()).
    explicit AlertLogModel(AlertService *service, QObject *parent = nullptr);

    void setMaxRows(int max);
    int maxRows() const { return m_maxRows; }

    //! Acknowledges through the service (and so the cache); false when unknown or done.
    bool acknowledge(qint64 id, const QString &who);
    int rowOf(qint64 id) const;
    Alert alertAt(int row) const { return m_alerts.at(toIndex(row)); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    void append(const Alert &alert);
    void update(const Alert &alert);
    void trim();
    //! Rows are newest first; m_alerts is oldest first.
    int toIndex(int row) const { return int(m_alerts.size()) - 1 - row; }

    QPointer<AlertService> m_service;
    QList<Alert> m_alerts;
    QHash<qint64, qint64> m_seqById; //!< id → sequence number (index + m_dropped)
    qint64 m_dropped = 0;
    int m_maxRows = 5000;
};

} // namespace sb::models
