#include "shortcutsdialog.h"

#include "commandpalette.h"
#include "commandpalettemodel.h"
#include "models/fuzzymatch.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace sb::ui {

ShortcutsDialog::ShortcutsDialog(QWidget *parent)
    : QDialog(parent)
    , m_filter(new QLineEdit(this))
    , m_tree(new QTreeWidget(this))
{
    setObjectName(QStringLiteral("shortcutsDialog"));
    setWindowTitle(tr("Keyboard Shortcuts"));
    auto *label = new QLabel(tr("&Find:"), this);
    label->setBuddy(m_filter);
    m_filter->setObjectName(QStringLiteral("shortcutsFilter"));
    m_filter->setPlaceholderText(tr("Command or key"));
    m_filter->setAccessibleName(tr("Find a command or shortcut"));
    m_filter->setClearButtonEnabled(true);

    m_tree->setObjectName(QStringLiteral("shortcutsTree"));
    m_tree->setAccessibleName(tr("Keyboard shortcuts"));
    m_tree->setColumnCount(2);
    m_tree->setHeaderLabels({tr("Command"), tr("Shortcut")});
    m_tree->setRootIsDecorated(false);
    m_tree->setUniformRowHeights(true);
    m_tree->setSelectionMode(QAbstractItemView::NoSelection);
    m_tree->setFocusPolicy(Qt::StrongFocus);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(CommandColumn, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(ShortcutColumn, QHeaderView::ResizeToContents);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->button(QDialogButtonBox::Close)->setAccessibleName(tr("Close"));
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *top = new QHBoxLayout;
    top->addWidget(label);
    top->addWidget(m_filter, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_tree, 1);
    layout->addWidget(buttons);
    connect(m_filter, &QLineEdit::textChanged, this, &ShortcutsDialog::applyFilter);
    resize(560, 620);
}

void ShortcutsDialog::setActions(const QList<QAction *> &actions)
{
    m_tree->clear();
    QHash<QString, QTreeWidgetItem *> groups;
    QList<const QAction *> seen;
    for (const QAction *action : actions) {
        if (!action || action->isSeparator() || action->menu() || seen.contains(action))
            continue;
        const QString text = CommandPaletteModel::plainText(action->text());
        if (text.isEmpty())
            continue;
        seen.append(action);
        const QString group = CommandPalette::groupOf(action);
        QTreeWidgetItem *&groupItem = groups[group];
        if (!groupItem) {
            groupItem = new QTreeWidgetItem(m_tree, {group});
            QFont bold = groupItem->font(CommandColumn);
            bold.setBold(true);
            groupItem->setFont(CommandColumn, bold);
            groupItem->setFirstColumnSpanned(true);
            groupItem->setFlags(Qt::ItemIsEnabled);
        }
        QStringList keys;
        for (const QKeySequence &shortcut : action->shortcuts())
            keys.append(shortcut.toString(QKeySequence::NativeText));
        auto *item = new QTreeWidgetItem(groupItem, {text, keys.join(tr(" or "))});
        item->setFlags(Qt::ItemIsEnabled);
        item->setToolTip(CommandColumn, action->statusTip());
        if (keys.isEmpty())
            item->setForeground(ShortcutColumn, palette().brush(QPalette::PlaceholderText));
        item->setData(ShortcutColumn, Qt::AccessibleTextRole,
                      keys.isEmpty() ? tr("no shortcut") : keys.join(tr(" or ")));
    }
    m_tree->expandAll();
    applyFilter();
}

void ShortcutsDialog::setFilter(const QString &text)
{
    m_filter->setText(text);
}

void ShortcutsDialog::applyFilter()
{
    const QString query = m_filter->text().trimmed();
    for (int g = 0; g < m_tree->topLevelItemCount(); ++g) {
        QTreeWidgetItem *group = m_tree->topLevelItem(g);
        const bool groupMatches =
            !query.isEmpty() && group->text(CommandColumn).contains(query, Qt::CaseInsensitive);
        int shown = 0;
        for (int i = 0; i < group->childCount(); ++i) {
            QTreeWidgetItem *item = group->child(i);
            const bool match = query.isEmpty() || groupMatches ||
                               sb::models::fuzzyMatch(query, item->text(CommandColumn)) ||
                               item->text(ShortcutColumn).contains(query, Qt::CaseInsensitive);
            item->setHidden(!match);
            shown += match ? 1 : 0;
        }
        group->setHidden(shown == 0);
    }
}

} // namespace sb::ui
