#include "livepane.h"

#include "callview.h"
#include "callwall.h"
#include "callwallpalette.h"
#include "icons.h"
#include "messagebanner.h"
#include "notifier.h"
#include "transcriptview.h"

#include "models/alertservice.h"
#include "models/livecallsmodel.h"

#include <QAction>
#include <QDataStream>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QIODevice>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLoggingCategory>
#include <QSplitter>
#include <QVBoxLayout>

Q_LOGGING_CATEGORY(lcLivePane, "switchboard.ui")

namespace sb::ui {

using sb::models::LiveCallsModel;

namespace {
constexpr quint32 kStateMagic = 0x4C495645; // "LIVE"
constexpr quint8 kStateVersion = 1;
} // namespace

LivePane::LivePane(const ConsoleContext &context, QWidget *parent)
    : Pane(QStringLiteral("live"), context, parent)
    , m_wall(new CallWall(this))
    , m_callView(new CallView(context, this))
    , m_filter(new QLineEdit(this))
    , m_count(new QLabel(this))
    , m_splitter(new QSplitter(Qt::Vertical, this))
    , m_notifier(new Notifier(context.settings, this))
    , m_focusFilter(new QAction(tr("Filter Live Calls"), this))
    , m_openCall(new QAction(tr("Open Selected Call"), this))
{
    m_filter->setPlaceholderText(tr("Agent, number, contact or words said"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setAccessibleName(tr("Filter live calls"));
    auto *filterLabel = new QLabel(tr("&Filter:"), this);
    filterLabel->setBuddy(m_filter);

    auto *filterRow = new QHBoxLayout;
    filterRow->addWidget(filterLabel);
    filterRow->addWidget(m_filter, 1);
    filterRow->addWidget(m_count);

    auto *left = new QWidget(m_splitter);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addLayout(filterRow);
    leftLayout->addWidget(m_wall, 1);
    m_splitter->addWidget(left);
    m_splitter->addWidget(m_callView);
    m_splitter->setStretchFactor(0, 2);
    m_splitter->setStretchFactor(1, 3);
    m_splitter->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_banner);
    layout->addWidget(m_splitter, 1);
    setTabOrder(m_filter, m_wall);
    setTabOrder(m_wall, m_callView);

    const QKeySequence findKeys(QKeySequence::Find);
    m_focusFilter->setShortcut(findKeys);
    m_focusFilter->setToolTip(
        tr("Filter live calls (%1)").arg(findKeys.toString(QKeySequence::NativeText)));
    connect(m_focusFilter, &QAction::triggered, this, [this] {
        m_filter->setFocus(Qt::ShortcutFocusReason);
        m_filter->selectAll();
    });
    const QKeySequence openKeys(Qt::Key_Return);
    m_openCall->setShortcut(openKeys);
    // Enter belongs to the wall only: the filter and buttons keep their own Enter.
    m_openCall->setShortcutContext(Qt::WidgetShortcut);
    m_openCall->setToolTip(
        tr("Open the selected call (%1)").arg(openKeys.toString(QKeySequence::NativeText)));
    m_wall->addAction(m_openCall);
    connect(m_openCall, &QAction::triggered, this, &LivePane::openCurrent);
    // End is the transcript's: in the wall or the filter it keeps its usual meaning.
    m_callView->jumpToLatestAction()->setShortcutContext(Qt::WidgetShortcut);
    m_callView->transcriptView()->listView()->addAction(m_callView->jumpToLatestAction());
    m_callView->addAction(m_callView->acknowledgeAction());
    m_callView->setPlaceholderText(
        tr("Select a call on the wall and press Enter, or double-click it, to follow it live."));

    connect(m_wall, &CallWall::callOpened, this, &LivePane::showCall);
    // Enter in the filter opens the best match: type a name, press Enter, follow the call.
    connect(m_filter, &QLineEdit::returnPressed, this, [this] {
        if (m_wall->proxy()->rowCount() == 0)
            return;
        if (!m_wall->currentIndex().isValid())
            m_wall->setCurrentIndex(m_wall->proxy()->index(0, 0));
        openCurrent();
    });
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_wall->proxy()->setFilterFixedString(text.trimmed());
        updateCount();
    });
    connect(m_callView, &CallView::loadFailed, this,
            [this](const QString &callId, const QString &message) {
                m_pendingSelect = callId;
                m_banner->showMessage(MessageBanner::Kind::Error, message, true);
            });
    connect(m_banner, &MessageBanner::retryRequested, this, [this] {
        const QString id = m_pendingSelect.isEmpty() ? m_callView->callId() : m_pendingSelect;
        m_callView->clear();
        showCall(id);
    });

    if (LiveCallsModel *calls = context.liveCalls) {
        m_wall->setCalls(calls);
        connect(calls, &LiveCallsModel::callAdded, this, [this](const QString &id) {
            if (id == m_pendingSelect && m_wall->selectCall(id))
                m_pendingSelect.clear();
            updateCount();
        });
        connect(calls, &LiveCallsModel::callRemoved, this, &LivePane::updateCount);
        connect(m_wall->proxy(), &QAbstractItemModel::rowsInserted, this, &LivePane::updateCount);
        connect(m_wall->proxy(), &QAbstractItemModel::rowsRemoved, this, &LivePane::updateCount);
    }
    if (context.navigator)
        connect(context.navigator, &Navigator::showLiveCall, this, &LivePane::showCall);
    if (context.alerts)
        connect(context.alerts, &sb::models::AlertService::alertRaised, this,
                &LivePane::onAlertRaised);
    m_notifier->setIcon(icon());
    // A click on an alert's desktop notification brings its call up here.
    connect(m_notifier, &Notifier::callActivated, this, [this](const QString &callId) {
        if (this->context().navigator)
            Q_EMIT this->context().navigator->showPane(paneId());
        showCall(callId);
        window()->raise();
        window()->activateWindow();
    });
    updateCount();
}

QString LivePane::title() const
{
    return tr("Live");
}

QIcon LivePane::icon() const
{
    return themedIcon(QStringLiteral("live"), palette());
}

QList<QAction *> LivePane::paneActions() const
{
    return {m_focusFilter, m_openCall, m_callView->acknowledgeAction(),
            m_callView->jumpToLatestAction()};
}

void LivePane::activated()
{
    // The wall's data is live already (the runtime attached it to the stream at start).
    if (!m_wall->currentIndex().isValid() && m_wall->proxy()->rowCount() > 0 &&
        m_callView->callId().isEmpty())
        m_wall->setCurrentIndex(m_wall->proxy()->index(0, 0));
    m_wall->setFocus(Qt::OtherFocusReason);
}

QByteArray LivePane::saveState() const
{
    QByteArray out;
    QDataStream s(&out, QIODevice::WriteOnly);
    s << kStateMagic << kStateVersion << m_splitter->saveState()
      << m_wall->horizontalHeader()->saveState() << m_callView->saveState();
    return out;
}

void LivePane::restoreState(const QByteArray &state)
{
    QDataStream s(state);
    quint32 magic = 0;
    quint8 version = 0;
    s >> magic >> version;
    if (magic != kStateMagic || version != kStateVersion)
        return; // another layout's state: keep the defaults
    QByteArray splitter;
    QByteArray header;
    QByteArray view;
    s >> splitter >> header >> view;
    if (s.status() != QDataStream::Ok)
        return;
    m_splitterSized = m_splitter->restoreState(splitter);
    m_wall->horizontalHeader()->restoreState(header);
    m_callView->restoreState(view);
}

void LivePane::showEvent(QShowEvent *event)
{
    Pane::showEvent(event);
    if (m_splitterSized || height() < 200)
        return;
    // The wall above, full width for its eight columns; the call below gets the larger part
    // for its transcript. Each pane remembers what the person drags it to.
    m_splitterSized = true;
    const int total = m_splitter->height();
    m_splitter->setSizes({total * 38 / 100, total - total * 38 / 100});
}

void LivePane::showCall(const QString &callId)
{
    if (callId.isEmpty())
        return;
    m_banner->hide();
    m_callView->showLiveCall(callId);
    if (m_wall->selectCall(callId))
        m_pendingSelect.clear();
    else
        m_pendingSelect = callId; // just placed: its row comes with call.started
}

void LivePane::openCurrent()
{
    const QString id = m_wall->currentCallId();
    if (!id.isEmpty())
        showCall(id);
}

void LivePane::onAlertRaised(const sb::models::Alert &alert)
{
    QString callText;
    if (LiveCallsModel *calls = context().liveCalls) {
        const int row = calls->rowOf(alert.callId);
        if (row >= 0) {
            callText =
                tr("%1 · %2").arg(calls->index(row, LiveCallsModel::Agent).data().toString(),
                                  calls->index(row, LiveCallsModel::Number).data().toString());
        }
    }
    m_notifier->notifyAlert(alert, callText);
    qCDebug(lcLivePane) << "alert" << alert.rule << "on call" << alert.callId;
}

void LivePane::updateCount()
{
    const int shown = m_wall->proxy()->rowCount();
    const int all = context().liveCalls ? context().liveCalls->rowCount() : 0;
    m_count->setText(shown == all ? tr("%n live call(s)", "", all)
                                  : tr("%1 of %n live call(s)", "", all).arg(shown));
}

} // namespace sb::ui
