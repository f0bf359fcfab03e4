#pragma once

#include <QDialog>
#include <QList>
#include <QPointer>

class QAction;
class QLineEdit;
class QTreeWidget;

namespace sb::ui {

//! Help › Keyboard Shortcuts (Ctrl+/ or F1): every command and its shortcuts, grouped by pane
//! or menu (the same groups as the command palette), with a filter field.
class ShortcutsDialog : public QDialog
{
    Q_OBJECT
public:
    enum Column { CommandColumn, ShortcutColumn };

    explicit ShortcutsDialog(QWidget *parent = nullptr);

    //! Lists \a actions (read now: call again after shortcuts or panes changed).
    void setActions(const QList<QAction *> &actions);
    void setFilter(const QString &text);

    QTreeWidget *tree() const { return m_tree; }
    QLineEdit *filterField() const { return m_filter; }

private:
    void applyFilter();

    QLineEdit *m_filter;
    QTreeWidget *m_tree;
};

} // namespace sb::ui
