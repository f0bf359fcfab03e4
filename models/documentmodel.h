#pragma once

#include "pagedlistmodel.h"

namespace sb::models {

//! The documents of one knowledge collection as a table. A server without the document list
//! leaves the model in State::NotSupported with notSupportedReason(), not Failed.
class DocumentModel : public TypedListModel<sb::api::Document>
{
    Q_OBJECT
public:
    enum Column { Title, Source, Status, Chunks, Size, Created, ColumnCount };

    explicit DocumentModel(QObject *parent = nullptr);

    const sb::api::Document &documentAt(int row) const { return itemAt(row); }

    QString collectionId() const { return m_collectionId; }
    //! Shows the documents of \a collectionId (reloads when it changed and a platform is set);
    //! empty = none (state Idle).
    void setCollectionId(const QString &collectionId);

protected:
    sb::api::Pager<sb::api::Document> makePager(sb::api::Platform *platform, int pageSize) override;
    std::optional<sb::api::Platform::Capability> requiredCapability() const override;
    bool canLoad() const override { return !m_collectionId.isEmpty(); }
    QVariant cellData(int row, int column, int role) const override;
    QString headerText(int section) const override;

private:
    QString m_collectionId;
};

} // namespace sb::models
