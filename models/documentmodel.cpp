#include "documentmodel.h"

#include <QLocale>

#include <algorithm>
#include <limits>

namespace sb::models {

using sb::api::Document;
using sb::api::DocumentSource;
using sb::api::DocumentStatus;

namespace {
QString sourceText(DocumentSource source)
{
    switch (source) {
    case DocumentSource::File:
        return DocumentModel::tr("File");
    case DocumentSource::Text:
        return DocumentModel::tr("Text");
    case DocumentSource::Url:
        return DocumentModel::tr("URL");
    case DocumentSource::Unknown:
        break;
    }
    return DocumentModel::tr("Unknown");
}

QString statusText(DocumentStatus status)
{
    switch (status) {
    case DocumentStatus::Processing:
        return DocumentModel::tr("Processing");
    case DocumentStatus::Ready:
        return DocumentModel::tr("Ready");
    case DocumentStatus::Failed:
        return DocumentModel::tr("Failed");
    case DocumentStatus::Unknown:
        break;
    }
    return DocumentModel::tr("Unknown");
}
} // namespace

DocumentModel::DocumentModel(QObject *parent)
    : TypedListModel(ColumnCount, parent)
{}

void DocumentModel::setCollectionId(const QString &collectionId)
{
    if (collectionId == m_collectionId)
        return;
    m_collectionId = collectionId;
    if (platform())
        reload();
    else
        clear();
}

sb::api::Pager<Document> DocumentModel::makePager(sb::api::Platform *platform, int pageSize)
{
    return platform->documents(m_collectionId, pageSize, sb::api::Lane::Interactive);
}

std::optional<sb::api::Platform::Capability> DocumentModel::requiredCapability() const
{
    return sb::api::Platform::Capability::DocumentList;
}

QVariant DocumentModel::cellData(int row, int column, int role) const
{
    const Document &document = itemAt(row);
    if (role == Qt::ToolTipRole) {
        if (column == Size)
            return tr("%Ln byte(s)", nullptr,
                      int(std::min<qint64>(document.sizeBytes, std::numeric_limits<int>::max())));
        if (column == Status && document.status == DocumentStatus::Failed)
            return tr("The platform could not process this document.");
        if (column == Status && document.status == DocumentStatus::Processing)
            return tr("The platform is still splitting this document into chunks.");
        return {};
    }
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    const bool raw = role == SortRole;
    switch (Column(column)) {
    case Title:
        return textValue(document.title, raw);
    case Source:
        return raw ? QVariant(int(document.source)) : QVariant(sourceText(document.source));
    case Status:
        return raw ? QVariant(int(document.status)) : QVariant(statusText(document.status));
    case Chunks:
        return raw ? QVariant(document.chunkCount)
                   : QVariant(QLocale().toString(document.chunkCount));
    case Size:
        return raw ? QVariant(document.sizeBytes)
                   : QVariant(QLocale().formattedDataSize(document.sizeBytes));
    case Created:
        return timeValue(document.createdAt, raw);
    case ColumnCount:
        break;
    }
    return {};
}

QString DocumentModel::headerText(int section) const
{
    switch (Column(section)) {
    case Title:
        return tr("Title");
    case Source:
        return tr("Source");
    case Status:
        return tr("Status");
    case Chunks:
        return tr("Chunks");
    case Size:
        return tr("Size");
    case Created:
        return tr("Created");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace sb::models
