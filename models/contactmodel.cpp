#include "contactmodel.h"

namespace sb::models {

using sb::api::Contact;

namespace {
QString customFieldsToolTip(const Contact &contact)
{
    QStringList lines;
    for (auto it = contact.customFields.cbegin(); it != contact.customFields.cend(); ++it)
        lines.append(it.key() + QStringLiteral(": ") + it.value());
    return lines.join(QLatin1Char('\n'));
}
} // namespace

ContactModel::ContactModel(QObject *parent)
    : TypedListModel(ColumnCount, parent)
{}

void ContactModel::setSearch(const QString &query, const QString &tag)
{
    const QString q = query.trimmed();
    const QString t = tag.trimmed();
    if (q == m_query && t == m_tag)
        return;
    m_query = q;
    m_tag = t;
    if (platform())
        reload();
}

sb::api::Pager<Contact> ContactModel::makePager(sb::api::Platform *platform, int pageSize)
{
    return platform->contacts(m_query, m_tag, pageSize, sb::api::Lane::Interactive);
}

std::optional<sb::api::Platform::Capability> ContactModel::requiredCapability() const
{
    return sb::api::Platform::Capability::Contacts;
}

QVariant ContactModel::cellData(int row, int column, int role) const
{
    const Contact &contact = itemAt(row);
    if (role == Qt::ToolTipRole) {
        if (column == CustomFields)
            return customFieldsToolTip(contact);
        if (column == Tags)
            return contact.tags.join(QLatin1Char('\n'));
        return {};
    }
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    const bool raw = role == SortRole;
    switch (Column(column)) {
    case Name:
        return textValue(contact.name, raw);
    case Phone:
        return contact.phone;
    case Email:
        return textValue(contact.email, raw);
    case Company:
        return textValue(contact.company, raw);
    case Tags:
        return textValue(contact.tags.join(QStringLiteral(", ")), raw);
    case CustomFields: {
        const int count = int(contact.customFields.size());
        if (raw)
            return count;
        return count == 0 ? QString() : tr("%n field(s)", nullptr, count);
    }
    case Updated:
        return timeValue(contact.updatedAt.isValid() ? contact.updatedAt : contact.createdAt, raw);
    case ColumnCount:
        break;
    }
    return {};
}

QString ContactModel::headerText(int section) const
{
    switch (Column(section)) {
    case Name:
        return tr("Name");
    case Phone:
        return tr("Phone");
    case Email:
        return tr("Email");
    case Company:
        return tr("Company");
    case Tags:
        return tr("Tags");
    case CustomFields:
        return tr("Custom fields");
    case Updated:
        return tr("Updated");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace sb::models
