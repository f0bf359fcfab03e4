#pragma once

#include <QSortFilterProxyModel>

namespace sb::models {

//! Sorts a list model by its raw SortRole and keeps the rows whose text contains a filter string.
//! The filter is local and case-insensitive over every column; searches the server does
//! better (contacts) belong in the model's own parameters.
class ListFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit ListFilterProxy(QObject *parent = nullptr);

    QString filterText() const { return m_filterText; }
    void setFilterText(const QString &text);

private:
    QString m_filterText;
};

} // namespace sb::models
