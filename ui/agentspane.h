#pragma once

#include "pane.h"

#include "api/dto.h"

class QLabel;
class QLineEdit;
class QSplitter;
class QTableView;
class QToolButton;

namespace sb::api {
class ApiError;
}
namespace sb::models {
class ListFilterProxy;
}

namespace sb::ui {

class AgentEditor;
class ConflictDialog;

//! The Agents pane: the organization's agents (filter, sort) beside an editor for every field.
//!
//! Saves send only the changed fields with If-Match; a 412 opens a ConflictDialog to merge
//! field by field and saves again with the server's new tag. Unsaved edits are guarded when
//! switching agents and when leaving the pane.
class AgentsPane : public Pane
{
    Q_OBJECT
public:
    AgentsPane(const ConsoleContext &context, QWidget *parent = nullptr);

    QString title() const override;
    QList<QAction *> paneActions() const override;
    void activated() override;
    QByteArray saveState() const override;
    void restoreState(const QByteArray &state) override;
    bool confirmLeave() override;
    bool hasUnsavedChanges() const override;

    //! Id of the agent in the editor (empty for a new agent not saved yet).
    QString currentAgentId() const { return m_currentId; }
    bool isDraft() const { return m_draft; }
    bool isSaving() const { return m_saving; }
    //! Why Save is disabled (or the save state), as shown beside the Save button.
    QString saveStatus() const;

    AgentEditor *editor() const { return m_editor; }
    QTableView *view() const { return m_view; }
    QLineEdit *filterEdit() const { return m_filter; }
    QAction *saveAction() const { return m_save; }
    QAction *newAction() const { return m_new; }
    QAction *duplicateAction() const { return m_duplicate; }
    QAction *deleteAction() const { return m_delete; }
    QAction *revertAction() const { return m_revert; }
    QAction *filterAction() const { return m_filterAction; }
    //! The open conflict dialog, if a save met a newer version.
    ConflictDialog *conflictDialog() const { return m_conflict; }

    //! Selects and opens \a id (asking about unsaved edits first); false when not listed.
    bool showAgent(const QString &id);

Q_SIGNALS:
    //! A save ended (\a ok false on any failure, a conflict included).
    void saveFinished(bool ok);
    //! The editor shows the server's copy of \a id (with its etag).
    void agentLoaded(const QString &id);

private:
    void createActions();
    void buildLayout();
    void currentRowChanged();
    void openAgent(const QString &id);
    void selectRow(const QString &id);
    void save();
    bool saveAndWait();
    void saved(const sb::api::Agent &agent, bool created);
    void saveFailed(const sb::api::ApiError &error);
    void showConflict(const sb::api::ApiError &error);
    void createNew();
    void duplicate();
    void deleteCurrent();
    void revert();
    void startDraft(const sb::api::Agent &draft);
    void selectFirstIfNone();
    void listStateChanged();
    void updateActions();
    //! Save / Discard / Cancel about unsaved edits; true when it is fine to move on.
    bool askAboutUnsaved();
    bool writable() const;

    QLineEdit *m_filter;
    QTableView *m_view;
    sb::models::ListFilterProxy *m_proxy;
    QSplitter *m_splitter;
    QLabel *m_heading;
    AgentEditor *m_editor;
    QLabel *m_saveStatus;
    QToolButton *m_saveButton;
    QToolButton *m_revertButton;

    QAction *m_save = nullptr;
    QAction *m_new = nullptr;
    QAction *m_duplicate = nullptr;
    QAction *m_delete = nullptr;
    QAction *m_revert = nullptr;
    QAction *m_filterAction = nullptr;
    ConflictDialog *m_conflict = nullptr;

    QString m_currentId;
    QString m_previousId; //!< the agent shown before a draft was started
    quint64 m_loadGeneration = 0;
    bool m_draft = false;
    bool m_loading = false;
    bool m_saving = false;
    bool m_selecting = false;
    bool m_wasModified = false;
    bool m_activated = false; //!< nothing is fetched before the pane is first shown
};

} // namespace sb::ui
