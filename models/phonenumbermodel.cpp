#include "phonenumbermodel.h"

namespace sb::models {

using sb::api::PhoneNumber;
using sb::api::PhoneNumberStatus;
using sb::api::RoutingMode;

namespace {
QString statusText(PhoneNumberStatus status)
{
    switch (status) {
    case PhoneNumberStatus::Active:
        return PhoneNumberModel::tr("Active");
    case PhoneNumberStatus::Pending:
        return PhoneNumberModel::tr("Pending");
    case PhoneNumberStatus::Released:
        return PhoneNumberModel::tr("Released");
    case PhoneNumberStatus::Unknown:
        break;
    }
    return PhoneNumberModel::tr("Unknown");
}

QString routingText(const sb::api::PhoneRouting &routing)
{
    switch (routing.mode) {
    case RoutingMode::Agent:
        return PhoneNumberModel::tr("To agent");
    case RoutingMode::Forward:
        if (routing.forwardTo.isEmpty())
            return PhoneNumberModel::tr("Forward");
        return PhoneNumberModel::tr("Forward to %1").arg(routing.forwardTo);
    case RoutingMode::Unknown:
        break;
    }
    return PhoneNumberModel::tr("Unknown");
}

QString capabilitiesText(const PhoneNumber &number)
{
    QStringList parts;
    if (number.voice)
        parts.append(PhoneNumberModel::tr("Voice"));
    if (number.sms)
        parts.append(PhoneNumberModel::tr("SMS"));
    return parts.join(QStringLiteral(", "));
}
} // namespace

PhoneNumberModel::PhoneNumberModel(QObject *parent)
    : TypedListModel(ColumnCount, parent)
{}

sb::api::Pager<PhoneNumber> PhoneNumberModel::makePager(sb::api::Platform *platform, int pageSize)
{
    return platform->phoneNumbers(pageSize, sb::api::Lane::Interactive);
}

void PhoneNumberModel::setAgentNameLookup(AgentNameLookup lookup)
{
    m_agentName = std::move(lookup);
    refreshAgentNames();
}

void PhoneNumberModel::refreshAgentNames()
{
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, Agent), index(rowCount() - 1, Agent));
}

QString PhoneNumberModel::agentName(const QString &agentId) const
{
    if (agentId.isEmpty())
        return QString();
    const QString name = m_agentName ? m_agentName(agentId) : QString();
    return name.isEmpty() ? agentId : name;
}

QVariant PhoneNumberModel::cellData(int row, int column, int role) const
{
    const PhoneNumber &number = itemAt(row);
    if (role == Qt::ToolTipRole) {
        if (column == Agent && !number.agentId.isEmpty())
            return number.agentId;
        if (column == Number && !number.provider.isEmpty())
            return tr("%1 (via %2)").arg(number.number, number.provider);
        return {};
    }
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    const bool raw = role == SortRole;
    switch (Column(column)) {
    case Number:
        return number.number;
    case FriendlyName:
        return textValue(number.friendlyName, raw);
    case Agent:
        if (number.agentId.isEmpty())
            return raw ? QVariant(QString()) : QVariant(tr("Unassigned"));
        return textValue(agentName(number.agentId), raw);
    case Status:
        return raw ? QVariant(int(number.status)) : QVariant(statusText(number.status));
    case Routing:
        return raw ? QVariant(int(number.routing.mode)) : QVariant(routingText(number.routing));
    case Capabilities:
        return raw ? QVariant((number.voice ? 1 : 0) | (number.sms ? 2 : 0))
                   : QVariant(capabilitiesText(number));
    case Created:
        return timeValue(number.createdAt, raw);
    case ColumnCount:
        break;
    }
    return {};
}

QString PhoneNumberModel::headerText(int section) const
{
    switch (Column(section)) {
    case Number:
        return tr("Number");
    case FriendlyName:
        return tr("Name");
    case Agent:
        return tr("Agent");
    case Status:
        return tr("Status");
    case Routing:
        return tr("Routing");
    case Capabilities:
        return tr("Capabilities");
    case Created:
        return tr("Created");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace sb::models
