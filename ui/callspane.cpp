#include "callspane.h"

#include "calldetailspanel.h"
#include "callview.h"
#include "historyfilterbar.h"
#include "icons.h"
#include "messagebanner.h"
#include "recordingplayer.h"
#include "searchresults.h"
#include "transcriptexport.h"
#include "transcriptview.h"

#include "api/platform.h"
#include "models/agentlistmodel.h"
#include "models/callcache.h"
#include "models/callhistorymodel.h"
#include "models/searchmodel.h"
#include "models/syncservice.h"

#include <QAction>
#include <QDataStream>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QListView>
#include <QLocale>
#include <QLoggingCategory>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

Q_LOGGING_CATEGORY(lcCallsPane, "switchboard.ui")

using namespace sb::api;
using sb::models::CallHistoryModel;
using sb::models::SearchModel;
using sb::models::SyncService;

namespace sb::ui {

namespace {

QAction *makeAction(QObject *parent, const QString &text, const QKeySequence &shortcut,
                    const QString &tip)
{
    auto *action = new QAction(text, parent);
    action->setShortcut(shortcut);
    action->setToolTip(
        CallsPane::tr("%1 (%2)").arg(tip, shortcut.toString(QKeySequence::NativeText)));
    return action;
}

} // namespace

CallsPane::CallsPane(const ConsoleContext &context, QWidget *parent)
    : Pane(QStringLiteral("calls"), context, parent)
    , m_filterBar(new HistoryFilterBar(context.agents, this))
    , m_table(new QTableView(this))
    , m_details(new CallDetailsPanel(context, this))
    , m_tabs(new QTabWidget(this))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
    , m_count(new QLabel(this))
    , m_staleness(new QLabel(this))
{
    auto *historyPage = new QWidget(m_tabs);
    auto *historyLayout = new QVBoxLayout(historyPage);
    historyLayout->addWidget(m_filterBar);
    historyLayout->addWidget(m_table, 1);
    m_tabs->addTab(historyPage, tr("&History"));
    m_tabs->setAccessibleName(tr("History and search"));

    m_splitter->addWidget(m_tabs);
    m_splitter->addWidget(m_details);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setChildrenCollapsible(false);

    m_staleness->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *statusRow = new QHBoxLayout;
    statusRow->addWidget(m_count);
    statusRow->addStretch(1);
    statusRow->addWidget(m_staleness);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addLayout(statusRow);
    layout->addWidget(m_splitter, 1);

    setUpTable();
    buildActions();
    connect(m_banner, &MessageBanner::retryRequested, this, [this] {
        if (auto retry = std::exchange(m_retry, {}))
            retry();
    });
    if (auto *sync = context.sync) {
        connect(sync, &SyncService::callOpened, this, &CallsPane::onCallOpened);
        connect(sync, &SyncService::openFailed, this, &CallsPane::onOpenFailed);
        connect(sync, &SyncService::callDeleted, this, &CallsPane::onCallDeleted);
        connect(sync, &SyncService::deleteFailed, this, &CallsPane::onDeleteFailed);
        connect(sync, &SyncService::stateChanged, this, &CallsPane::updateStaleness);
        connect(sync, &SyncService::passFinished, this, &CallsPane::updateStaleness);
    }
    if (context.navigator) {
        connect(context.navigator, &Navigator::showHistoryCall, this,
                [this](const QString &callId) { openCall(callId); });
    }
    if (context.agents) {
        connect(context.agents, &QAbstractItemModel::modelReset, this,
                &CallsPane::updateAgentNames);
        connect(context.agents, &QAbstractItemModel::rowsInserted, this,
                &CallsPane::updateAgentNames);
        connect(context.agents, &QAbstractItemModel::dataChanged, this,
                &CallsPane::updateAgentNames);
    }
    connect(m_details, &CallDetailsPanel::recordingAvailableChanged, this,
            &CallsPane::updateActions);
    // Moving through the history shows each call once the cursor rests (arrow keys held down
    // open only the row they stop on).
    m_selectTimer.setSingleShot(true);
    m_selectTimer.setInterval(300);
    connect(&m_selectTimer, &QTimer::timeout, this, [this] {
        const QModelIndex current = m_table->currentIndex();
        const QString id =
            current.isValid() ? current.data(CallHistoryModel::IdRole).toString() : QString();
        if (!id.isEmpty() && id != m_openId)
            openCall(id);
    });
    m_stalenessTimer.setInterval(30000); // "updated 3 min ago" moves on by itself
    connect(&m_stalenessTimer, &QTimer::timeout, this, &CallsPane::updateStaleness);
    updateActions();
}

CallsPane::~CallsPane() = default;

QIcon CallsPane::icon() const
{
    return themedIcon(QStringLiteral("calls"), palette());
}

void CallsPane::setUpTable()
{
    m_table->setAccessibleName(tr("Call history"));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setSortingEnabled(false); // enabled with the model, on the model's own order
    m_table->verticalHeader()->hide();
    // Fixed row heights: a view over a million rows must never measure them.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->horizontalHeader()->setSectionsMovable(true);
    connect(m_table, &QTableView::activated, this, [this] { openCurrent(); });
}

void CallsPane::buildActions()
{
    m_searchAction = makeAction(this, tr("&Search Transcripts"), QKeySequence::Find,
                                tr("Search the cached transcripts"));
    connect(m_searchAction, &QAction::triggered, this, [this] {
        ensureLoaded();
        m_tabs->setCurrentWidget(m_results);
        m_results->focusQuery();
    });
    m_filterAction = makeAction(this, tr("&Filter History"), QKeySequence(tr("Ctrl+L")),
                                tr("Filter the call history by number or contact"));
    connect(m_filterAction, &QAction::triggered, this, [this] {
        m_tabs->setCurrentIndex(0);
        m_filterBar->focusText();
    });
    // Enter and Delete belong to the lists only: in a text field they edit the text.
    m_openAction = makeAction(this, tr("&Open Call"), QKeySequence(Qt::Key_Return),
                              tr("Show the selected call's details"));
    m_openAction->setShortcutContext(Qt::WidgetShortcut);
    connect(m_openAction, &QAction::triggered, this, &CallsPane::openCurrent);
    m_deleteAction = makeAction(this, tr("&Delete Call…"), QKeySequence::Delete,
                                tr("Delete the call on the server"));
    m_deleteAction->setShortcutContext(Qt::WidgetShortcut);
    connect(m_deleteAction, &QAction::triggered, this, &CallsPane::deleteTarget);
    m_exportAction = makeAction(this, tr("&Export Transcript…"), QKeySequence(tr("Ctrl+E")),
                                tr("Save the shown call's transcript as text, JSON or CSV"));
    connect(m_exportAction, &QAction::triggered, this, &CallsPane::exportTranscript);
    m_exportRecordingAction =
        makeAction(this, tr("Export &Recording…"), QKeySequence(tr("Ctrl+Shift+E")),
                   tr("Save a copy of the shown call's recording"));
    connect(m_exportRecordingAction, &QAction::triggered, this, &CallsPane::exportRecording);
    m_syncAction = makeAction(this, tr("S&ync Now"), QKeySequence::Refresh,
                              tr("Fetch what changed on the server now"));
    connect(m_syncAction, &QAction::triggered, this, [this] {
        if (context().sync)
            context().sync->syncNow();
    });
    for (QAction *a : {m_openAction, m_deleteAction})
        m_table->addAction(a);
    m_details->callView()->transcriptView()->listView()->addAction(m_deleteAction);
}

QList<QAction *> CallsPane::paneActions() const
{
    return {m_searchAction, m_filterAction,          m_openAction, m_deleteAction,
            m_exportAction, m_exportRecordingAction, m_syncAction};
}

void CallsPane::activated()
{
    ensureLoaded();
    updateStaleness();
    if (m_history->isSentimentEstimated())
        m_prefetchTimer.start();
}

void CallsPane::ensureLoaded()
{
    if (m_loaded)
        return;
    m_loaded = true;
    m_history = new CallHistoryModel(context().cache, this);
    if (context().platform)
        m_history->setSentimentEstimated(
            !context().platform->can(sb::api::Platform::Capability::ServerSentiment));
    m_search = new SearchModel(context().cache, this);
    updateAgentNames();
    m_table->setModel(m_history);
    auto *header = m_table->horizontalHeader();
    const QFontMetrics fm = fontMetrics();
    // Widths from the font, not from the rows: measuring contents would read every row.
    const auto width = [&fm](const char *sample) {
        return fm.horizontalAdvance(QString::fromLatin1(sample)) + 16;
    };
    header->resizeSection(CallHistoryModel::Created, width("00 Mmm 0000 00:00:0"));
    header->resizeSection(CallHistoryModel::Direction, width("Outbound"));
    header->resizeSection(CallHistoryModel::Number, width("+000000000000"));
    header->resizeSection(CallHistoryModel::Contact, width("Isabella Jacks"));
    header->resizeSection(CallHistoryModel::Agent, width("Ethan - Payment"));
    header->resizeSection(CallHistoryModel::Status, width("In progress"));
    header->resizeSection(CallHistoryModel::Duration, width("0:00:00"));
    header->setStretchLastSection(true);
    header->setSortIndicator(m_history->sortColumn(), m_history->sortOrder());
    m_table->setSortingEnabled(true);
    // Contact and Direction have no index to sort on: the indicator goes back to the order
    // the model keeps instead of claiming one it does not show.
    connect(header, &QHeaderView::sortIndicatorChanged, this, [this, header](int column) {
        if (!CallHistoryModel::isSortable(column)) {
            const QSignalBlocker block(header);
            header->setSortIndicator(m_history->sortColumn(), m_history->sortOrder());
        }
    });
    connect(m_history, &CallHistoryModel::countChanged, this, &CallsPane::updateCount);
    connect(m_history, &QAbstractItemModel::modelReset, this, &CallsPane::updateCount);
    connect(m_history, &CallHistoryModel::stalenessChanged, this, &CallsPane::updateStaleness);
    connect(m_history, &CallHistoryModel::queryFailed, this, [this](const QString &message) {
        if (context().navigator)
            context().navigator->statusMessage(
                tr("The call history could not be read: %1").arg(message));
    });
    connect(m_filterBar, &HistoryFilterBar::filterChanged, m_history, &CallHistoryModel::setFilter);
    // The platform's list carries no sentiment (SpeakNode): the rows in view fetch their
    // details, from which it is estimated.
    if (context().sync && m_history->isSentimentEstimated()) {
        m_prefetchTimer.setSingleShot(true);
        m_prefetchTimer.setInterval(400);
        connect(&m_prefetchTimer, &QTimer::timeout, this, &CallsPane::prefetchVisibleDetails);
        const auto later = [this] { m_prefetchTimer.start(); };
        connect(m_table->verticalScrollBar(), &QScrollBar::valueChanged, this, later);
        connect(m_history, &QAbstractItemModel::modelReset, this, later);
        connect(m_history, &QAbstractItemModel::layoutChanged, this, later);
        connect(m_history, &QAbstractItemModel::rowsInserted, this, later);
    }
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        updateActions();
        m_selectTimer.start();
    });

    m_results = new SearchResults(m_search, m_tabs);
    m_tabs->addTab(m_results, tr("&Transcript Search"));
    connect(m_results, &SearchResults::hitActivated, this, &CallsPane::onHitActivated);
    for (QAction *a : {m_openAction, m_deleteAction})
        m_results->view()->addAction(a);
    setTabOrder(m_table, m_details);

    if (!m_pendingState.isEmpty())
        restoreState(std::exchange(m_pendingState, {}));
    updateCount();
    m_stalenessTimer.start();
}

void CallsPane::updateAgentNames()
{
    m_agentNames.clear();
    if (auto *agents = context().agents) {
        for (int row = 0; row < agents->rowCount(); ++row)
            m_agentNames.insert(agents->agentAt(row).id, agents->agentAt(row).name);
    }
    if (m_history)
        m_history->setAgentNames(m_agentNames);
}

QString CallsPane::agentName(const QString &agentId) const
{
    return m_agentNames.value(agentId);
}

void CallsPane::updateCount()
{
    if (!m_history)
        return;
    const int count = m_history->rowCount();
    m_count->setText(m_history->filter().isEmpty()
                         ? tr("%n call(s)", nullptr, count)
                         : tr("%n call(s) match the filter", nullptr, count));
}

void CallsPane::updateStaleness()
{
    SyncService *sync = context().sync;
    if (!sync) {
        m_staleness->setText(m_history ? m_history->stalenessText() : QString());
        return;
    }
    m_staleness->setText(sync->stalenessText());
    const bool trouble =
        sync->state() == SyncService::State::Offline || sync->state() == SyncService::State::Failed;
    m_staleness->setToolTip(sync->stateText());
    QFont font = m_staleness->font();
    font.setBold(trouble);
    m_staleness->setFont(font);
}

void CallsPane::updateActions()
{
    // Which call Delete means follows the focus (deleteTarget() finds it when triggered), so
    // only the platform's capability decides whether it is offered.
    m_deleteAction->setEnabled(context().platform &&
                               context().platform->can(Platform::Capability::CallDelete));
    m_exportAction->setEnabled(m_details->hasDetails());
    m_exportRecordingAction->setEnabled(m_details->hasDetails() &&
                                        !m_details->player()->recordingFile().isEmpty());
}

QString CallsPane::targetCallId() const
{
    QWidget *focus = focusWidget();
    const bool inDetails = focus && m_details->isAncestorOf(focus);
    const bool inSearch = m_results && m_tabs->currentWidget() == m_results;
    if (inSearch && !inDetails) {
        const QString hit = m_results->currentHit().callId;
        if (!hit.isEmpty())
            return hit;
    }
    if (!inDetails && !inSearch && m_history) {
        const QModelIndex current = m_table->currentIndex();
        if (current.isValid())
            return current.data(CallHistoryModel::IdRole).toString();
    }
    return m_details->callId();
}

void CallsPane::openCurrent()
{
    if (m_results && m_tabs->currentWidget() == m_results) {
        const auto hit = m_results->currentHit();
        if (!hit.callId.isEmpty())
            onHitActivated(hit);
        return;
    }
    const QModelIndex current = m_table->currentIndex();
    if (current.isValid())
        openCall(current.data(CallHistoryModel::IdRole).toString());
}

void CallsPane::onHitActivated(const sb::models::SearchHit &hit)
{
    openCall(hit.callId, hit.startMs);
}

void CallsPane::openCall(const QString &callId, qint64 highlightMs)
{
    if (callId.isEmpty() || m_deleted.contains(callId))
        return;
    ensureLoaded();
    m_openId = callId;
    m_openHighlight = highlightMs;
    const int row = m_history->rowOf(callId);
    if (row >= 0 && m_table->currentIndex().row() != row)
        m_table->setCurrentIndex(m_history->index(row, 0));
    m_details->showLoading(callId);
    if (context().sync)
        context().sync->openCall(callId);
}

void CallsPane::onCallOpened(const CallDetails &details, bool fromCache)
{
    Q_UNUSED(fromCache)
    if (details.call.id != m_openId)
        return; // opened elsewhere (another pane) or superseded by a newer choice
    m_details->showDetails(details, agentName(details.call.agentId));
    if (m_openHighlight >= 0)
        m_details->highlightLine(m_openHighlight);
    updateActions();
}

void CallsPane::onOpenFailed(const QString &callId, const ApiError &error)
{
    if (callId != m_openId || m_deleted.contains(callId))
        return;
    qCInfo(lcCallsPane) << "opening call" << callId << "failed:" << error.caption();
    if (error.kind == ApiError::Kind::NotFound) {
        m_details->showMessage(tr("This call no longer exists on the server. It was removed "
                                  "from the history."));
        m_banner->showMessage(MessageBanner::Kind::Warning,
                              tr("The call was deleted on the server."));
        return;
    }
    m_details->showMessage(tr("The call could not be opened."));
    const qint64 highlight = m_openHighlight;
    showFailure(tr("The call could not be opened: %1").arg(error.caption()),
                [this, callId, highlight] { openCall(callId, highlight); });
    updateActions();
}

void CallsPane::onDeleteFailed(const QString &callId, const ApiError &error)
{
    if (!m_deleting.remove(callId))
        return;
    qCInfo(lcCallsPane) << "deleting call" << callId << "failed:" << error.caption();
    showFailure(tr("The call could not be deleted: %1").arg(error.caption()),
                [this, callId] { startDelete(callId); });
}

void CallsPane::showFailure(const QString &text, std::function<void()> retry)
{
    m_retry = std::move(retry);
    m_banner->showMessage(MessageBanner::Kind::Error, text, bool(m_retry));
}

} // namespace sb::ui
