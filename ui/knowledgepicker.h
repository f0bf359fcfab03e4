#pragma once

#include <QStringList>
#include <QWidget>

class QLabel;
class QListWidget;

namespace sb::models {
class CollectionModel;
}

namespace sb::ui {

//! Checkable list of the organization's knowledge collections for an agent. Ids the list
//! does not know (not loaded yet, or of a deleted collection) stay selected and are shown.
class KnowledgePicker : public QWidget
{
    Q_OBJECT
public:
    explicit KnowledgePicker(sb::models::CollectionModel *collections, QWidget *parent = nullptr);

    void setSelectedIds(const QStringList &ids);
    //! The checked collections' ids, in the list's order.
    QStringList selectedIds() const;
    void setReadOnly(bool readOnly);
    QListWidget *list() const { return m_list; }

Q_SIGNALS:
    //! The person checked or unchecked a collection.
    void changed();

private:
    void rebuild();

    sb::models::CollectionModel *m_collections;
    QStringList m_selected;
    bool m_readOnly = false;
    bool m_building = false;
    QListWidget *m_list;
    QLabel *m_state;
};

} // namespace sb::ui
