#include "agentlistmodel.h"

#include "api/platform.h"

#include <QLocale>

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
    : QAbstractTableModel(parent)
{}

void AgentListModel::load(sb::api::Platform *platform)
{
    m_platform = platform;
    reload();
}

void AgentListModel::reload()
{
    ++m_generation;
    if (!m_agents.isEmpty()) {
        beginResetModel();
        m_agents.clear();
        m_rowById.clear();
        endResetModel();
    }
    m_error = {};
    if (!m_platform) {
        m_error = sb::api::ApiError(sb::api::ApiError::Kind::InvalidRequest,
                                    QStringLiteral("no platform"));
        setState(State::Failed);
        return;
    }
    m_pager = m_platform->agents(100, sb::api::Lane::Interactive);
    setState(State::Loading);
    fetchNextPage();
}

void AgentListModel::fetchNextPage()
{
    auto reply = m_pager.fetchNext();
    if (!reply.isValid()) {
        m_loadedAt = QDateTime::currentDateTimeUtc();
        setState(State::Loaded);
        return;
    }
    const quint64 generation = m_generation;
    reply.onFinished(this, [this, generation](const auto &result) {
        if (generation != m_generation)
            return;
        if (!result.ok()) {
            m_error = result.error();
            setState(State::Failed);
            return;
        }
        appendPage(result.value().items);
        if (m_pager.hasMore()) {
            fetchNextPage();
        } else {
            m_loadedAt = QDateTime::currentDateTimeUtc();
            setState(State::Loaded);
        }
    });
}

void AgentListModel::appendPage(const QList<Agent> &agents)
{
    // A page may repeat an agent we already hold (inserted between pages): update it in place.
    QList<Agent> fresh;
    for (const Agent &agent : agents) {
        if (m_rowById.contains(agent.id))
            upsert(agent);
        else
            fresh.append(agent);
    }
    if (fresh.isEmpty())
        return;
    const int first = int(m_agents.size());
    beginInsertRows({}, first, first + int(fresh.size()) - 1);
    m_agents.append(fresh);
    rebuildIndex(first);
    endInsertRows();
}

void AgentListModel::upsert(const Agent &agent)
{
    const int row = rowOf(agent.id);
    if (row < 0) {
        const int at = int(m_agents.size());
        beginInsertRows({}, at, at);
        m_agents.append(agent);
        m_rowById.insert(agent.id, at);
        endInsertRows();
        return;
    }
    m_agents[row] = agent;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void AgentListModel::remove(const QString &id)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_agents.removeAt(row);
    m_rowById.remove(id);
    rebuildIndex(row);
    endRemoveRows();
}

void AgentListModel::rebuildIndex(int fromRow)
{
    for (int row = fromRow; row < m_agents.size(); ++row)
        m_rowById.insert(m_agents.at(row).id, row);
}

void AgentListModel::setState(State state)
{
    if (m_state == state && state != State::Failed)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

int AgentListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_agents.size());
}

int AgentListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AgentListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Agent &agent = m_agents.at(index.row());
    if (role == IdRole)
        return agent.id;
    if (role == Qt::ToolTipRole && index.column() == Name)
        return agent.firstMessage.isEmpty() ? agent.name : agent.firstMessage;
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    const bool raw = role == SortRole;
    switch (Column(index.column())) {
    case Name:
        return raw ? QVariant(agent.name.toCaseFolded()) : QVariant(agent.name);
    case Status:
        return raw ? QVariant(int(agent.status)) : QVariant(statusText(agent.status));
    case Language:
        return agent.language;
    case Voice:
        return voiceText(agent);
    case LlmModel:
        return agent.llmModel;
    case Tools: {
        QStringList names = agent.builtinTools;
        for (const sb::api::AgentTool &tool : agent.tools)
            names.append(tool.name);
        return raw ? QVariant(int(names.size())) : QVariant(names.join(QStringLiteral(", ")));
    }
    case Updated:
        if (raw)
            return agent.updatedAt.toMSecsSinceEpoch();
        return QLocale().toString(agent.updatedAt.toLocalTime(), QLocale::ShortFormat);
    case ColumnCount:
        break;
    }
    return {};
}

QVariant AgentListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
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
