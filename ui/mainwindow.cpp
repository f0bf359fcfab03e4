#include "mainwindow.h"

#include "commandpalette.h"
#include "icons.h"
#include "messagebanner.h"
#include "pane.h"
#include "placecalldialog.h"
#include "shortcutsdialog.h"

#include "api/livestream.h"
#include "api/platform.h"
#include "api/session.h"
#include "models/settings.h"
#include "models/syncservice.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTimer>
#include <QVBoxLayout>

namespace sb::ui {

using sb::api::StreamState;

namespace {
QString shortcutText(const QAction *action)
{
    return action->shortcut().toString(QKeySequence::NativeText);
}

//! Puts the shortcut into the tooltip so that it is discoverable by mouse too.
void describe(QAction *action, const QString &tip)
{
    action->setToolTip(action->shortcut().isEmpty()
                           ? tip
                           : MainWindow::tr("%1 (%2)").arg(tip, shortcutText(action)));
    action->setStatusTip(tip);
}
} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_rail(new QListWidget(this))
    , m_stack(new QStackedWidget(this))
    , m_banner(new MessageBanner(this))
    , m_connection(new QLabel(this))
    , m_freshness(new QLabel(this))
    , m_budget(new QLabel(this))
    , m_profile(new QLabel(this))
    , m_tick(new QTimer(this))
{
    setWindowTitle(tr("Switchboard"));
    resize(1400, 880);

    m_rail->setObjectName(QStringLiteral("navigationRail"));
    m_rail->setAccessibleName(tr("Navigation"));
    m_rail->setViewMode(QListView::ListMode);
    m_rail->setIconSize(QSize(22, 22));
    m_rail->setSpacing(2);
    m_rail->setFrameShape(QFrame::NoFrame);
    m_rail->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_rail->setFixedWidth(168);
    // The rail sits on the window colour, not the white of a list: it is chrome, not content.
    m_rail->viewport()->setBackgroundRole(QPalette::Window);
    m_rail->viewport()->setAutoFillBackground(true);
    QFont railFont = m_rail->font();
    railFont.setPointSizeF(railFont.pointSizeF() * 1.08);
    m_rail->setFont(railFont);
    connect(m_rail, &QListWidget::currentRowChanged, this, &MainWindow::onRailRowChanged);

    m_stack->setObjectName(QStringLiteral("paneStack"));

    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->setSpacing(0);
    rightLayout->addWidget(m_banner);
    rightLayout->addWidget(m_stack, 1);

    auto *central = new QWidget(this);
    auto *layout = new QHBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    auto *separator = new QFrame(this);
    separator->setFrameShape(QFrame::VLine);
    separator->setFrameShadow(QFrame::Sunken);
    layout->addWidget(m_rail);
    layout->addWidget(separator);
    layout->addWidget(right, 1);
    setCentralWidget(central);

    m_connection->setObjectName(QStringLiteral("connectionStatus"));
    m_freshness->setObjectName(QStringLiteral("cacheFreshness"));
    m_budget->setObjectName(QStringLiteral("requestBudget"));
    m_profile->setObjectName(QStringLiteral("profileStatus"));
    m_budget->setToolTip(tr("API requests left in the current minute"));
    m_freshness->setToolTip(tr("How up to date the local call history is"));
    for (QLabel *label : {m_connection, m_freshness, m_budget, m_profile})
        label->setContentsMargins(10, 0, 10, 0);
    statusBar()->addPermanentWidget(m_connection);
    statusBar()->addPermanentWidget(m_freshness);
    statusBar()->addPermanentWidget(m_budget);
    statusBar()->addPermanentWidget(m_profile);
    m_connection->setText(tr("Not connected"));

    connect(m_banner, &MessageBanner::retryRequested, this, &MainWindow::retryRequested);
    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, this, [this] {
        updateConnection();
        if (QDateTime::currentDateTime().time().second() % 15 == 0)
            updateFreshness();
    });
    buildMenus();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    m_placeCall = file->addAction(tr("&Place a Call…"));
    m_placeCall->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N));
    describe(m_placeCall, tr("Place an outbound call"));
    file->addSeparator();
    m_switchProfile = file->addMenu(tr("&Switch Profile"));
    m_manageProfiles = file->addAction(tr("&Manage Profiles…"));
    describe(m_manageProfiles, tr("Add, edit or remove connection profiles"));
    m_signOut = file->addAction(tr("Sign &Out"));
    m_signOut->setObjectName(QStringLiteral("signOutAction"));
    describe(m_signOut, tr("Sign out of this profile's account and forget the stored sign-in"));
    m_signOut->setVisible(false);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"));
    quit->setShortcut(QKeySequence::Quit);
    describe(quit, tr("Quit Switchboard"));
    connect(quit, &QAction::triggered, this, &QWidget::close);

    QMenu *go = m_goMenu = menuBar()->addMenu(tr("&Go"));
    m_palette = go->addAction(tr("&Command Palette…"));
    m_palette->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    describe(m_palette, tr("Find and run any command"));
    connect(m_palette, &QAction::triggered, this, [this] {
        if (!m_commandPalette) {
            m_commandPalette = new CommandPalette(this);
            // A pane's command runs on its pane: show that pane first.
            connect(m_commandPalette, &CommandPalette::commandTriggered, this,
                    [this](QAction *action) {
                        for (Pane *p : std::as_const(m_panes))
                            if (p->paneActions().contains(action))
                                showPane(p->paneId());
                    });
        }
        // Read each time: panes may have enabled, disabled or renamed their actions.
        m_commandPalette->setActions(allActions());
        m_commandPalette->popup();
        Q_EMIT commandPaletteRequested();
    });
    go->addSeparator();
    m_goActions.clear();
    m_paneMenu = menuBar()->addMenu(tr("&Pane"));
    m_paneMenu->setEnabled(false);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    m_shortcuts = help->addAction(tr("&Keyboard Shortcuts"));
    m_shortcuts->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Slash));
    m_shortcuts->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Slash), QKeySequence(Qt::Key_F1)});
    describe(m_shortcuts, tr("List every keyboard shortcut"));
    connect(m_shortcuts, &QAction::triggered, this, [this] {
        auto *dialog = new ShortcutsDialog(this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setActions(allActions());
        dialog->show();
    });
    QAction *about = help->addAction(tr("&About Switchboard"));
    connect(about, &QAction::triggered, this, [this] {
        QMessageBox::about(this, tr("About Switchboard"),
                           tr("<b>Switchboard %1</b><p>An operator console for voice-AI calling "
                              "platforms.</p>")
                               .arg(QApplication::applicationVersion()));
    });
    m_windowActions = {m_placeCall, m_manageProfiles, quit, m_palette, m_shortcuts};
}

void MainWindow::attach(const ConsoleContext &context, const QString &profileId,
                        const QList<Pane *> &panes)
{
    m_context = context;
    m_profileId = profileId;
    statusBar()->clearMessage();
    m_panes = panes;
    QMenu *go = m_goMenu;
    for (int i = 0; i < panes.size(); ++i) {
        Pane *pane = panes.at(i);
        m_stack->addWidget(pane);
        auto *item = new QListWidgetItem(paneIcon(pane), pane->title(), m_rail);
        item->setSizeHint(QSize(0, 40));
        const QByteArray state = context.settings
                                     ? context.settings->paneState(profileId, pane->paneId())
                                     : QByteArray();
        if (!state.isEmpty())
            pane->restoreState(state);
        for (QAction *action : pane->paneActions())
            pane->addAction(action);
        QAction *goTo = new QAction(tr("Go to %1").arg(pane->title()), this);
        if (i < 9)
            goTo->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
        describe(goTo, tr("Show the %1 pane").arg(pane->title()));
        goTo->setIcon(paneIcon(pane));
        connect(goTo, &QAction::triggered, this, [this, id = pane->paneId()] { showPane(id); });
        if (go)
            go->addAction(goTo);
        m_goActions.append(goTo);
        item->setToolTip(goTo->toolTip());
        const QString unavailable = pane->unavailableReason();
        if (!unavailable.isEmpty()) {
            // Shown, so the person sees what this platform lacks, but not selectable.
            item->setFlags(item->flags() & ~(Qt::ItemIsEnabled | Qt::ItemIsSelectable));
            item->setToolTip(unavailable);
            goTo->setEnabled(false);
            goTo->setStatusTip(unavailable);
            goTo->setToolTip(unavailable);
            pane->setEnabled(false);
        }
        connect(pane, &Pane::titleChanged, this, [this, i] { updateRailItem(i); });
    }

    if (Navigator *nav = context.navigator) {
        connect(nav, &Navigator::statusMessage, this, &MainWindow::showStatusMessage);
        connect(nav, &Navigator::showPane, this, &MainWindow::showPane);
        connect(nav, &Navigator::showLiveCall, this, [this] { showPane(QStringLiteral("live")); });
        connect(nav, &Navigator::showHistoryCall, this,
                [this] { showPane(QStringLiteral("calls")); });
        connect(nav, &Navigator::placeCall, this, &MainWindow::openPlaceCall);
    }
    if (context.platform)
        connect(m_placeCall, &QAction::triggered, this,
                [this] { openPlaceCall(QString(), QString()); });
    if (context.session)
        connect(
            context.session, &sb::api::Session::budgetChanged, this,
            [this](const sb::api::RateBudget &budget) {
                if (budget.limit <= 0)
                    m_budget->clear();
                else
                    m_budget->setText(
                        tr("Requests: %1/%2 this minute").arg(budget.remaining).arg(budget.limit));
            });
    if (context.stream) {
        // The stream may be up already (it starts with the runtime, before the window).
        m_streamState = int(context.stream->state());
        m_nextAttemptAtMs = context.stream->nextAttemptAtMs();
    }
    if (context.stream)
        connect(context.stream, &sb::api::LiveStream::stateChanged, this,
                [this](StreamState state, qint64 nextAttemptAtMs) {
                    m_streamState = int(state);
                    m_nextAttemptAtMs = nextAttemptAtMs;
                    updateConnection();
                });
    if (context.sync)
        connect(context.sync, &sb::models::SyncService::stateChanged, this,
                &MainWindow::updateFreshness);
    m_tick->start();
    updateConnection();
    updateFreshness();

    QString first = context.settings ? context.settings->currentPane() : QString();
    if (!pane(first) || !pane(first)->unavailableReason().isEmpty())
        first = panes.isEmpty() ? QString() : panes.first()->paneId();
    if (!first.isEmpty())
        showPane(first);
}

void MainWindow::setProfile(const QString &name, const QString &endpoint)
{
    m_profile->setText(tr("Profile: %1").arg(name));
    m_profile->setToolTip(endpoint);
    setWindowTitle(tr("%1 — Switchboard").arg(name));
}

void MainWindow::showNotice(const QString &text, bool isError)
{
    m_banner->showMessage(isError ? MessageBanner::Kind::Error : MessageBanner::Kind::Warning,
                          text);
}

void MainWindow::showStatusMessage(const QString &text)
{
    statusBar()->showMessage(text, 10000);
}

Pane *MainWindow::currentPane() const
{
    return qobject_cast<Pane *>(m_stack->currentWidget());
}

Pane *MainWindow::pane(const QString &paneId) const
{
    for (Pane *p : m_panes)
        if (p->paneId() == paneId)
            return p;
    return nullptr;
}

bool MainWindow::showPane(const QString &paneId)
{
    const int index = int(m_panes.indexOf(pane(paneId)));
    if (index < 0)
        return false;
    const QString unavailable = m_panes.at(index)->unavailableReason();
    if (!unavailable.isEmpty()) {
        showStatusMessage(unavailable);
        return false;
    }
    if (m_stack->currentIndex() == index && m_rail->currentRow() == index)
        return true;
    Pane *current = currentPane();
    if (current && current != m_panes.at(index) && !current->confirmLeave())
        return false;
    activate(index);
    return true;
}

void MainWindow::onRailRowChanged(int row)
{
    if (m_switching || row < 0 || row >= m_panes.size())
        return;
    Pane *current = currentPane();
    if (current && current != m_panes.at(row) && !current->confirmLeave()) {
        // Stay: put the rail back on the pane that refused to be left.
        m_switching = true;
        m_rail->setCurrentRow(m_stack->currentIndex());
        m_switching = false;
        return;
    }
    activate(row);
}

void MainWindow::activate(int index)
{
    m_switching = true;
    m_rail->setCurrentRow(index);
    m_switching = false;
    Pane *pane = m_panes.at(index);
    m_stack->setCurrentIndex(index);
    m_paneMenu->clear();
    m_paneMenu->setTitle(pane->title());
    const QList<QAction *> actions = pane->paneActions();
    m_paneMenu->addActions(actions);
    m_paneMenu->setEnabled(!actions.isEmpty());
    if (m_context.settings)
        m_context.settings->setCurrentPane(pane->paneId());
    pane->activated();
}

QList<QAction *> MainWindow::allActions() const
{
    QList<QAction *> all = m_windowActions;
    all += m_goActions;
    for (Pane *p : m_panes)
        all += p->paneActions();
    return all;
}

bool MainWindow::confirmClose()
{
    Pane *current = currentPane();
    if (current && !current->confirmLeave())
        return false;
    for (Pane *p : std::as_const(m_panes)) {
        if (p == current || !p->hasUnsavedChanges())
            continue;
        showPane(p->paneId());
        if (!p->confirmLeave())
            return false;
    }
    return true;
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!confirmClose()) {
        event->ignore();
        return;
    }
    savePaneStates();
    event->accept();
}

void MainWindow::savePaneStates()
{
    if (!m_context.settings)
        return;
    for (Pane *p : std::as_const(m_panes)) {
        const QByteArray state = p->saveState();
        if (!state.isEmpty())
            m_context.settings->setPaneState(m_profileId, p->paneId(), state);
    }
    m_context.settings->setWindowGeometry(saveGeometry());
    m_context.settings->sync();
}

void MainWindow::updateRailItem(int index)
{
    QListWidgetItem *item = m_rail->item(index);
    Pane *p = m_panes.value(index);
    if (!item || !p)
        return;
    item->setText(p->hasUnsavedChanges() ? tr("%1 •").arg(p->title()) : p->title());
}

void MainWindow::updateConnection()
{
    switch (StreamState(m_streamState)) {
    case StreamState::Idle:
        m_connection->setText(m_context.stream ? tr("Live: off") : tr("Not connected"));
        break;
    case StreamState::Connecting:
        m_connection->setText(tr("Live: connecting…"));
        break;
    case StreamState::Connected:
        // A platform without a live transcript (SpeakNode) pushes call states and is polled.
        m_connection->setText(
            m_context.platform &&
                    !m_context.platform->can(sb::api::Platform::Capability::LiveTranscript)
                ? tr("Live: connected · transcripts polled")
                : tr("Live: connected"));
        break;
    case StreamState::Backoff: {
        const qint64 left = (m_nextAttemptAtMs - QDateTime::currentMSecsSinceEpoch() + 999) / 1000;
        m_connection->setText(left > 0 ? tr("Live: reconnecting in %n s", nullptr, int(left))
                                       : tr("Live: reconnecting…"));
        break;
    }
    case StreamState::Unauthorized:
        m_connection->setText(tr("Live: key refused"));
        break;
    case StreamState::Forbidden:
        m_connection->setText(tr("Live: access denied"));
        break;
    }
    m_connection->setToolTip(m_context.stream ? m_context.stream->stateText() : QString());
}

void MainWindow::updateFreshness()
{
    if (m_context.sync)
        m_freshness->setText(m_context.sync->stateText());
}

void MainWindow::openPlaceCall(const QString &toNumber, const QString &agentId)
{
    // Window-modal but not blocking the event loop: the wall keeps updating behind it.
    auto *dialog = new PlaceCallDialog(m_context, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (!agentId.isEmpty())
        dialog->setAgent(agentId);
    if (!toNumber.isEmpty())
        dialog->setTo(toNumber);
    dialog->open();
}

QIcon MainWindow::paneIcon(const Pane *pane) const
{
    // The rail's own line icons keep the rail consistent; a pane's icon only when it has none.
    const QIcon themed = themedIcon(pane->paneId(), palette());
    return themed.isNull() ? pane->icon() : themed;
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange) {
        for (int i = 0; i < m_panes.size() && i < m_rail->count(); ++i) {
            m_rail->item(i)->setIcon(paneIcon(m_panes.at(i)));
            m_goActions.value(i)->setIcon(paneIcon(m_panes.at(i)));
        }
    }
    QMainWindow::changeEvent(event);
}

} // namespace sb::ui
