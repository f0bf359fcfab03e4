#include "agentlistmodel.h"

namespace sb::models {

using sb::api::Agent;
using sb::api::AgentStatus;

namespace {
QString statusText(AgentStatus status)
{
    switch (status) {
    case AgentStatus::Active:
        return AgentListModel::tr("Active");
    case AgentStatus::Paused:
        return AgentListModel::tr("Paused");
    case AgentStatus::Unknown:
        break;
    }
    return AgentListModel::tr("Unknown");
}

QString voiceText(const Agent &agent)
{
    if (agent.voiceProvider.isEmpty())
        return agent.voiceId;
    if (agent.voiceId.isEmpty())
        return agent.voiceProvider;
    return agent.voiceProvider + QStringLiteral(" · ") + agent.voiceId;
}
} // namespace

AgentListModel::AgentListModel(QObject *parent)
    : TypedListModel(ColumnCount, parent)
{}

sb::api::Pager<Agent> AgentListModel::makePager(sb::api::Platform *platform, int pageSize)
{
    return platform->agents(pageSize, sb::api::Lane::Interactive);
}

QVariant AgentListModel::cellData(int row, int column, int role) const
{
    const Agent &agent = itemAt(row);
    if (role == Qt::ToolTipRole && column == Name)
        return agent.firstMessage.isEmpty() ? agent.name : agent.firstMessage;
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    const bool raw = role == SortRole;
    switch (Column(column)) {
    case Name:
        return textValue(agent.name, raw);
    case Status:
        return raw ? QVariant(int(agent.status)) : QVariant(statusText(agent.status));
    case Language:
        return agent.language;
    case Voice:
        return textValue(voiceText(agent), raw);
    case LlmModel:
        return agent.llmModel;
    case Tools: {
        QStringList names = agent.builtinTools;
        for (const sb::api::AgentTool &tool : agent.tools)
            names.append(tool.name);
        return raw ? QVariant(int(names.size())) : QVariant(names.join(QStringLiteral(", ")));
    }
    case Updated:
        return timeValue(agent.updatedAt, raw);
    case ColumnCount:
        break;
    }
    return {};
}

QString AgentListModel::headerText(int section) const
{
    switch (Column(section)) {
    case Name:
        return tr("Name");
    case Status:
        return tr("Status");
    case Language:
        return tr("Language");
    case Voice:
        return tr("Voice");
    case LlmModel:
        return tr("Model");
    case Tools:
        return tr("Tools");
    case Updated:
        return tr("Updated");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace sb::models
