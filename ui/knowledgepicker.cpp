#include "knowledgepicker.h"

#include "models/collectionmodel.h"

#include <QLabel>
#include <QListWidget>
#include <QVBoxLayout>

namespace sb::ui {

using sb::models::CollectionModel;
using sb::models::PagedListModel;

KnowledgePicker::KnowledgePicker(CollectionModel *collections, QWidget *parent)
    : QWidget(parent)
    , m_collections(collections)
    , m_list(new QListWidget(this))
    , m_state(new QLabel(this))
{
    m_list->setAccessibleName(tr("Knowledge collections"));
    m_state->setWordWrap(true);
    m_state->hide();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_state);
    layout->addWidget(m_list, 1);

    connect(m_list, &QListWidget::itemChanged, this, [this](QListWidgetItem *item) {
        if (m_building)
            return;
        const QString id = item->data(Qt::UserRole).toString();
        m_selected.removeAll(id);
        if (item->checkState() == Qt::Checked)
            m_selected.append(id);
        Q_EMIT changed();
    });
    if (m_collections) {
        // The list follows the model: collections created in the Knowledge pane appear here.
        connect(m_collections, &QAbstractItemModel::modelReset, this, &KnowledgePicker::rebuild);
        connect(m_collections, &QAbstractItemModel::rowsInserted, this, &KnowledgePicker::rebuild);
        connect(m_collections, &QAbstractItemModel::rowsRemoved, this, &KnowledgePicker::rebuild);
        connect(m_collections, &QAbstractItemModel::dataChanged, this, &KnowledgePicker::rebuild);
        connect(m_collections, &PagedListModel::stateChanged, this, &KnowledgePicker::rebuild);
    }
    rebuild();
}

void KnowledgePicker::setSelectedIds(const QStringList &ids)
{
    m_selected = ids;
    rebuild();
}

QStringList KnowledgePicker::selectedIds() const
{
    QStringList ids;
    for (int i = 0; i < m_list->count(); ++i) {
        const QListWidgetItem *item = m_list->item(i);
        if (item->checkState() == Qt::Checked)
            ids.append(item->data(Qt::UserRole).toString());
    }
    return ids;
}

void KnowledgePicker::setReadOnly(bool readOnly)
{
    m_readOnly = readOnly;
    rebuild();
}

void KnowledgePicker::rebuild()
{
    m_building = true;
    const int current = m_list->currentRow();
    m_list->clear();
    QStringList shown;
    const auto add = [this, &shown](const QString &id, const QString &text, const QString &tip) {
        auto *item = new QListWidgetItem(text, m_list);
        item->setData(Qt::UserRole, id);
        item->setToolTip(tip);
        Qt::ItemFlags flags = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
        if (!m_readOnly)
            flags |= Qt::ItemIsUserCheckable;
        item->setFlags(flags);
        item->setCheckState(m_selected.contains(id) ? Qt::Checked : Qt::Unchecked);
        shown.append(id);
    };
    const int rows = m_collections ? m_collections->rowCount() : 0;
    for (int row = 0; row < rows; ++row) {
        const auto &c = m_collections->collectionAt(row);
        add(c.id, c.name.isEmpty() ? c.id : c.name,
            c.description.isEmpty()
                ? tr("%n document(s)", nullptr, c.documentCount)
                : tr("%1 (%n document(s))", nullptr, c.documentCount).arg(c.description));
    }
    for (const QString &id : std::as_const(m_selected)) {
        if (!shown.contains(id))
            add(id, tr("Unknown collection (%1)").arg(id),
                tr("Not in the loaded list of collections"));
    }
    m_list->setCurrentRow(qMin(current, m_list->count() - 1));
    m_building = false;

    QString state;
    if (!m_collections)
        state = tr("Knowledge collections are not available.");
    else if (m_collections->state() == PagedListModel::State::NotSupported)
        state = m_collections->notSupportedReason();
    else if (m_collections->state() == PagedListModel::State::Loading && rows == 0)
        state = tr("Loading collections…");
    else if (m_collections->state() == PagedListModel::State::Failed)
        state =
            tr("The collections could not be loaded: %1").arg(m_collections->lastError().caption());
    else if (rows == 0)
        state = tr("This organization has no knowledge collections yet.");
    m_state->setText(state);
    m_state->setVisible(!state.isEmpty());
}

} // namespace sb::ui
