#pragma once

#include "pagedlistmodel.h"

#include <functional>

namespace sb::models {

//! The organization's phone numbers as a table: number, name, routing and the agent behind it.
class PhoneNumberModel : public TypedListModel<sb::api::PhoneNumber>
{
    Q_OBJECT
public:
    enum Column {
        Number,
        FriendlyName,
        Agent,
        Status,
        Routing,
        Capabilities,
        Created,
        ColumnCount
    };
    //! Agent id → display name; empty when unknown (the id is shown then).
    using AgentNameLookup = std::function<QString(const QString &agentId)>;

    explicit PhoneNumberModel(QObject *parent = nullptr);

    const sb::api::PhoneNumber &numberAt(int row) const { return itemAt(row); }

    //! How the Agent column names agents (e.g. through AgentListModel::rowOf/agentAt).
    void setAgentNameLookup(AgentNameLookup lookup);
    //! Re-reads agent names (after the agents changed): one dataChanged over the Agent column.
    void refreshAgentNames();

protected:
    sb::api::Pager<sb::api::PhoneNumber> makePager(sb::api::Platform *platform,
                                                   int pageSize) override;
    QVariant cellData(int row, int column, int role) const override;
    QString headerText(int section) const override;

private:
    QString agentName(const QString &agentId) const;

    AgentNameLookup m_agentName;
};

} // namespace sb::models
