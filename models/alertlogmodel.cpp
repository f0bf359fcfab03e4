#include "alertlogmodel.h"

#include "alertservice.h"

#include <QLocale>

namespace sb::models {

AlertLogModel::AlertLogModel(AlertService *service, QObject *parent)
    : QAbstractTableModel(parent)
    , m_service(service)
{
    if (!service)
        return;
    for (const Alert &a : service->alerts())
        append(a);
    connect(service, &AlertService::alertRaised, this, &AlertLogModel::append);
    connect(service, &AlertService::alertAcknowledged, this, &AlertLogModel::update);
}

void AlertLogModel::setMaxRows(int max)
{
    m_maxRows = qMax(1, max);
    trim();
}

bool AlertLogModel::acknowledge(qint64 id, const QString &who)
{
    return m_service && m_service->acknowledge(id, who);
}

int AlertLogModel::rowOf(qint64 id) const
{
    const auto it = m_seqById.constFind(id);
    if (it == m_seqById.constEnd())
        return -1;
    return int(m_alerts.size()) - 1 - int(*it - m_dropped);
}

void AlertLogModel::append(const Alert &alert)
{
    if (m_seqById.contains(alert.id))
        return update(alert);
    beginInsertRows({}, 0, 0);
    m_seqById.insert(alert.id, m_dropped + m_alerts.size());
    m_alerts.append(alert);
    endInsertRows();
    trim();
}

void AlertLogModel::update(const Alert &alert)
{
    const int row = rowOf(alert.id);
    if (row < 0)
        return;
    m_alerts[toIndex(row)] = alert;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void AlertLogModel::trim()
{
    const int excess = int(m_alerts.size()) - m_maxRows;
    if (excess <= 0)
        return;
    // The oldest alerts are the last rows.
    const int first = int(m_alerts.size()) - excess;
    beginRemoveRows({}, first, int(m_alerts.size()) - 1);
    for (int i = 0; i < excess; ++i)
        m_seqById.remove(m_alerts.at(i).id);
    m_alerts.remove(0, excess);
    m_dropped += excess;
    endRemoveRows();
}

int AlertLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_alerts.size());
}

int AlertLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AlertLogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Alert &a = m_alerts.at(toIndex(index.row()));
    const AlertSeverity severity = AlertRules::severityOf(a.rule);
    switch (role) {
    case IdRole:
        return a.id;
    case CallIdRole:
        return a.callId;
    case RuleRole:
        return a.rule;
    case SeverityRole:
        return int(severity);
    case AcknowledgedRole:
        return a.isAcknowledged();
    case Qt::ToolTipRole:
        return a.detail;
    case Qt::DisplayRole:
    case SortRole:
        break;
    default:
        return {};
    }
    const bool raw = role == SortRole;
    switch (Column(index.column())) {
    case Time:
        if (raw)
            return a.at.toMSecsSinceEpoch();
        return QLocale().toString(a.at.toLocalTime().time(), QLocale::ShortFormat);
    case Severity:
        return raw ? QVariant(int(severity)) : QVariant(AlertRules::severityText(severity));
    case Rule:
        return raw ? QVariant(a.rule) : QVariant(AlertRules::ruleTitle(a.rule));
    case Call:
        return a.callId;
    case Detail:
        return a.detail;
    case Acknowledged:
        if (raw)
            return a.isAcknowledged() ? a.acknowledgedAt.toMSecsSinceEpoch() : qint64(0);
        if (!a.isAcknowledged())
            return QString();
        return tr("%1 at %2")
            .arg(a.acknowledgedBy,
                 QLocale().toString(a.acknowledgedAt.toLocalTime().time(), QLocale::ShortFormat));
    case ColumnCount:
        break;
    }
    return {};
}

QVariant AlertLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Time:
        return tr("Time");
    case Severity:
        return tr("Severity");
    case Rule:
        return tr("Rule");
    case Call:
        return tr("Call");
    case Detail:
        return tr("Detail");
    case Acknowledged:
        return tr("Acknowledged");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace sb::models
