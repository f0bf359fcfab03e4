#include "collectionmodel.h"

#include <QLocale>

namespace sb::models {

using sb::api::KnowledgeCollection;

CollectionModel::CollectionModel(QObject *parent)
    : TypedListModel(ColumnCount, parent)
{}

sb::api::Pager<KnowledgeCollection> CollectionModel::makePager(sb::api::Platform *platform,
                                                               int pageSize)
{
    return platform->collections(pageSize, sb::api::Lane::Interactive);
}

std::optional<sb::api::Platform::Capability> CollectionModel::requiredCapability() const
{
    return sb::api::Platform::Capability::Knowledge;
}

QVariant CollectionModel::cellData(int row, int column, int role) const
{
    const KnowledgeCollection &collection = itemAt(row);
    if (role == Qt::ToolTipRole) {
        if (column == Name || column == Description)
            return collection.description;
        if (column == Documents)
            return tr("%n document(s)", nullptr, collection.documentCount);
        return {};
    }
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    const bool raw = role == SortRole;
    switch (Column(column)) {
    case Name:
        return textValue(collection.name, raw);
    case Description:
        return textValue(collection.description, raw);
    case Documents:
        return raw ? QVariant(collection.documentCount)
                   : QVariant(QLocale().toString(collection.documentCount));
    case Created:
        return timeValue(collection.createdAt, raw);
    case ColumnCount:
        break;
    }
    return {};
}

QString CollectionModel::headerText(int section) const
{
    switch (Column(section)) {
    case Name:
        return tr("Name");
    case Description:
        return tr("Description");
    case Documents:
        return tr("Documents");
    case Created:
        return tr("Created");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace sb::models
