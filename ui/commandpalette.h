#pragma once

#include <QFrame>
#include <QList>
#include <QPointer>

class QAbstractItemDelegate;
class QAction;
class QLabel;
class QLineEdit;
class QListView;

namespace sb::ui {

class CommandPaletteModel;

//! Ctrl+K: a frameless popup over the window to find and run any command by typing.
//!
//! Holds the actions it is given (menus, every pane's paneActions(), "Go to <pane>"); typing
//! filters and ranks them with a fuzzy match, Up/Down choose, Enter or a click runs the chosen
//! command once (after the popup closed), Esc or a click outside closes. Disabled commands are
//! listed greyed and cannot be run. Recently run commands come first while the query is empty.
class CommandPalette : public QFrame
{
    Q_OBJECT
public:
    //! Dynamic property of a QAction naming its group, when groupOf() would guess wrong.
    static constexpr const char *GroupProperty = "commandGroup";

    //! \a parent is the window the palette is shown over.
    explicit CommandPalette(QWidget *parent);
    ~CommandPalette() override;

    //! Replaces the commands. Actions may be deleted later (they are dropped from the list).
    void setActions(const QList<QAction *> &actions);
    QList<QAction *> actions() const;

    //! Shows the palette over the parent's window with an empty query and focus in the field.
    void popup();
    //! The search text (tests, and to reopen with the last query if wanted).
    QString query() const;
    //! The commands run from the palette, most recent first (at most 8, no duplicates).
    QList<QAction *> recentActions() const;

    QLineEdit *searchField() const { return m_search; }
    QListView *listView() const { return m_list; }
    CommandPaletteModel *model() const { return m_model; }

    //! The group shown for \a action: its GroupProperty, else the title of the pane that owns
    //! it, else the title of its menu (without "&"), else "General".
    static QString groupOf(const QAction *action);

Q_SIGNALS:
    //! Emitted just before \a action is triggered from the palette.
    void commandTriggered(QAction *action);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void onQueryChanged(const QString &text);
    void moveSelection(int delta);
    void selectRow(int row);
    void runRow(int row);
    void placeOverWindow();

    QLineEdit *m_search;
    QListView *m_list;
    QLabel *m_empty;
    QLabel *m_hint;
    CommandPaletteModel *m_model;
    QAbstractItemDelegate *m_delegate = nullptr; //!< a CommandDelegate (commandpalette.cpp)
    QList<QPointer<QAction>> m_recent;
};

} // namespace sb::ui
