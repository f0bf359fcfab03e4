#pragma once

#include "pagedlistmodel.h"

namespace sb::models {

//! Address-book contacts matching a server-side search (`q`) and tag, as a table.
class ContactModel : public TypedListModel<sb::api::Contact>
{
    Q_OBJECT
public:
    enum Column { Name, Phone, Email, Company, Tags, CustomFields, Updated, ColumnCount };

    explicit ContactModel(QObject *parent = nullptr);

    const sb::api::Contact &contactAt(int row) const { return itemAt(row); }

    //! Substring of name, phone, email or company (matched by the server); empty = all.
    QString query() const { return m_query; }
    //! Exact tag (matched by the server); empty = any.
    QString tag() const { return m_tag; }
    //! Sets both search parameters; reloads when they changed and a platform is set.
    void setSearch(const QString &query, const QString &tag);

protected:
    sb::api::Pager<sb::api::Contact> makePager(sb::api::Platform *platform, int pageSize) override;
    std::optional<sb::api::Platform::Capability> requiredCapability() const override;
    QVariant cellData(int row, int column, int role) const override;
    QString headerText(int section) const override;

private:
    QString m_query;
    QString m_tag;
};

} // namespace sb::models
