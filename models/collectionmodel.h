#pragma once

#include "pagedlistmodel.h"

namespace sb::models {

//! The organization's knowledge collections as a table.
class CollectionModel : public TypedListModel<sb::api::KnowledgeCollection>
{
    Q_OBJECT
public:
    enum Column { Name, Description, Documents, Created, ColumnCount };

    explicit CollectionModel(QObject *parent = nullptr);

    const sb::api::KnowledgeCollection &collectionAt(int row) const { return itemAt(row); }

protected:
    sb::api::Pager<sb::api::KnowledgeCollection> makePager(sb::api::Platform *platform,
                                                           int pageSize) override;
    std::optional<sb::api::Platform::Capability> requiredCapability() const override;
    QVariant cellData(int row, int column, int role) const override;
    QString headerText(int section) const override;
};

} // namespace sb::models
