#pragma once

#include "pane.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QSplitter;
class QTableView;
class QTimer;

namespace sb::models {
class ContactModel;
class ListFilterProxy;
} // namespace sb::models

namespace sb::ui {

class ContactEditor;

//! The address book: server-side search (debounced) and tag filter, a contact editor with
//! custom fields, and "call this contact" through the navigator.
class ContactsPane : public Pane
{
    Q_OBJECT
public:
    ContactsPane(const ConsoleContext &context, QWidget *parent = nullptr);

    QString title() const override;
    QString unavailableReason() const override;
    QList<QAction *> paneActions() const override;
    void activated() override;
    QByteArray saveState() const override;
    void restoreState(const QByteArray &state) override;
    bool confirmLeave() override;
    bool hasUnsavedChanges() const override;

    //! The pane's own list (the search narrows it; the context's full list stays whole).
    sb::models::ContactModel *model() const { return m_model; }
    ContactEditor *editor() const { return m_editor; }

private:
    void buildActions();
    void applySearch();
    void updateState();
    void updateTags();
    void openCurrent();
    void selectContact(const QString &id);

    sb::models::ContactModel *m_model;
    sb::models::ListFilterProxy *m_proxy;
    QLineEdit *m_search;
    QComboBox *m_tag;
    QLabel *m_state;
    QSplitter *m_splitter;
    QTableView *m_view;
    ContactEditor *m_editor;
    QTimer *m_debounce;
    QAction *m_newAction;
    QAction *m_saveAction;
    QAction *m_callAction;
    QAction *m_searchAction;
    QAction *m_refreshAction;
    bool m_loaded = false;
    bool m_columnsSized = false;
};

} // namespace sb::ui
