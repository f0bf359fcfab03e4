#pragma once

#include "pane.h"

#include "api/apierror.h"
#include "api/dto.h"

#include <QSet>
#include <QTimer>

#include <functional>

class QLabel;
class QSplitter;
class QTabWidget;
class QTableView;

namespace sb::models {
class CallHistoryModel;
class SearchModel;
struct HistoryFilter;
struct SearchHit;
} // namespace sb::models

namespace sb::ui {

class CallDetailsPanel;
class HistoryFilterBar;
class SearchResults;

//! The Calls pane: the call history over the local cache (true count, filters and sort in
//! SQL, staleness), full-text search over cached transcripts, and one call's details with its
//! recording. Opening, deleting and exporting go through SyncService and atomic file writes;
//! a failure shows in the pane's banner with Retry.
class CallsPane : public Pane
{
    Q_OBJECT
public:
    CallsPane(const ConsoleContext &context, QWidget *parent = nullptr);
    ~CallsPane() override;

    QString title() const override { return tr("Calls"); }
    QIcon icon() const override;
    QList<QAction *> paneActions() const override;
    void activated() override;
    QByteArray saveState() const override;
    void restoreState(const QByteArray &state) override;

    //! Opens \a callId in the details (from the cache when complete, else fetched) and, when
    //! \a highlightMs >= 0, highlights the transcript line starting there.
    void openCall(const QString &callId, qint64 highlightMs = -1);
    //! The call Delete and the export actions act on: the shown call when the details (or the
    //! search) have the focus, else the history's current row.
    QString targetCallId() const;
    //! Writes the shown call's transcript to \a path (the format from its suffix, else
    //! \a fallback); false with a banner message when it could not.
    bool exportTranscriptTo(const QString &path, int fallbackFormat = 0);

    QTableView *historyView() const { return m_table; }
    sb::models::CallHistoryModel *historyModel() const { return m_history; }
    sb::models::SearchModel *searchModel() const { return m_search; }
    HistoryFilterBar *filterBar() const { return m_filterBar; }
    SearchResults *searchResults() const { return m_results; }
    CallDetailsPanel *detailsPanel() const { return m_details; }
    QTabWidget *tabs() const { return m_tabs; }
    QSplitter *splitter() const { return m_splitter; }
    QLabel *countLabel() const { return m_count; }
    QLabel *stalenessLabel() const { return m_staleness; }
    QAction *searchAction() const { return m_searchAction; }
    QAction *filterAction() const { return m_filterAction; }
    QAction *openAction() const { return m_openAction; }
    QAction *deleteAction() const { return m_deleteAction; }
    QAction *exportAction() const { return m_exportAction; }
    QAction *exportRecordingAction() const { return m_exportRecordingAction; }
    QAction *syncAction() const { return m_syncAction; }

private:
    void buildActions();
    void ensureLoaded();
    void setUpTable();
    void updateAgentNames();
    void updateCount();
    void updateStaleness();
    void updateActions();
    //! Where the platform's list carries no sentiment (SpeakNode): the rows in view without
    //! details ask SyncService for them, so their sentiment is estimated and shows.
    void prefetchVisibleDetails();
    void openCurrent();
    void onHitActivated(const sb::models::SearchHit &hit);
    void onCallOpened(const sb::api::CallDetails &details, bool fromCache);
    void onOpenFailed(const QString &callId, const sb::api::ApiError &error);
    void onCallDeleted(const QString &callId);
    void onDeleteFailed(const QString &callId, const sb::api::ApiError &error);
    void deleteTarget();
    void startDelete(const QString &callId);
    void exportTranscript();
    void exportRecording();
    void showFailure(const QString &text, std::function<void()> retry);
    QString agentName(const QString &agentId) const;
    QString suggestedFileName(const QString &suffix) const;

    sb::models::CallHistoryModel *m_history = nullptr;
    sb::models::SearchModel *m_search = nullptr;
    HistoryFilterBar *m_filterBar;
    QTableView *m_table;
    SearchResults *m_results = nullptr;
    CallDetailsPanel *m_details;
    QTabWidget *m_tabs;
    QSplitter *m_splitter;
    QLabel *m_count;
    QLabel *m_staleness;
    QAction *m_searchAction = nullptr;
    QAction *m_filterAction = nullptr;
    QAction *m_openAction = nullptr;
    QAction *m_deleteAction = nullptr;
    QAction *m_exportAction = nullptr;
    QAction *m_exportRecordingAction = nullptr;
    QAction *m_syncAction = nullptr;
    QTimer m_stalenessTimer;
    QTimer m_selectTimer;   //!< opens the current row once the cursor rests on it
    QTimer m_prefetchTimer; //!< asks for the details of the rows in view once scrolling rests
    QHash<QString, QString> m_agentNames;
    QString m_openId; //!< the call being opened or shown
    qint64 m_openHighlight = -1;
    QSet<QString> m_deleting; //!< deletes started here (others' failures are not ours to show)
    QSet<QString> m_deleted;  //!< deleted while the pane lives: never opened again
    std::function<void()> m_retry;
    QByteArray m_pendingState; //!< restored before the first activation built the table
    bool m_loaded = false;
};

} // namespace sb::ui
