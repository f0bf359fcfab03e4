#pragma once

#include "pagedlistmodel.h"

namespace sb::models {

//! The organization's agents as a table, loaded page by page from the platform.
class AgentListModel : public TypedListModel<sb::api::Agent>
{
    Q_OBJECT
public:
    enum Column { Name, Status, Language, Voice, LlmModel, Tools, Updated, ColumnCount };

    explicit AgentListModel(QObject *parent = nullptr);

    const sb::api::Agent &agentAt(int row) const { return itemAt(row); }

protected:
    sb::api::Pager<sb::api::Agent> makePager(sb::api::Platform *platform, int pageSize) override;
    QVariant cellData(int row, int column, int role) const override;
    QString headerText(int section) const override;
};

} // namespace sb::models
