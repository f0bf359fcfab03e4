#include "callview.h"

#include "callwallpalette.h"
#include "sentimentchart.h"
#include "toolcallsview.h"
#include "transcriptview.h"

#include "api/livestream.h"
#include "api/platform.h"
#include "models/agentlistmodel.h"
#include "models/alertlogmodel.h"
#include "models/alertservice.h"
#include "models/contactmodel.h"
#include "models/livecallsmodel.h"
#include "models/sentimenttimelinemodel.h"
#include "models/toolcallsmodel.h"
#include "models/transcriptmodel.h"

#include <QAction>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLoggingCategory>
#include <QPushButton>
#include <QSplitter>
#include <QStackedLayout>
#include <QTimer>
#include <QVBoxLayout>

Q_LOGGING_CATEGORY(lcCallView, "switchboard.ui")

namespace sb::ui {

using sb::api::CallStatus;
using sb::models::AlertSeverity;

namespace {

bool isFinalStatus(CallStatus s)
{
    return s == CallStatus::Completed || s == CallStatus::Failed || s == CallStatus::NoAnswer ||
           s == CallStatus::Busy || s == CallStatus::Canceled;
}

//! Order of the lifecycle, so an older report (a slow REST reply) never moves a call back.
int statusRank(CallStatus s)
{
    if (isFinalStatus(s))
        return 4;
    switch (s) {
    case CallStatus::InProgress:
        return 3;
    case CallStatus::Ringing:
        return 2;
    case CallStatus::Initiated:
        return 1;
    default:
        break;
    }
    return 0;
}

QString durationText(qint64 seconds)
{
    return seconds >= 3600 ? QStringLiteral("%1:%2:%3")
                                 .arg(seconds / 3600)
                                 .arg((seconds / 60) % 60, 2, 10, QLatin1Char('0'))
                                 .arg(seconds % 60, 2, 10, QLatin1Char('0'))
                           : QStringLiteral("%1:%2")
                                 .arg(seconds / 60)
                                 .arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

} // namespace

CallView::CallView(const ConsoleContext &context, QWidget *parent)
    : QWidget(parent)
    , m_context(context)
    , m_transcriptModel(new sb::models::TranscriptModel(this))
    , m_sentimentModel(new sb::models::SentimentTimelineModel(this))
    , m_toolModel(new sb::models::ToolCallsModel(this))
    , m_header(new QLabel(this))
    , m_badge(new QLabel(this))
    , m_ackButton(new QPushButton(tr("&Acknowledge"), this))
    , m_empty(new QLabel(tr("Open a call to follow its transcript."), this))
    , m_splitter(new QSplitter(Qt::Vertical, this))
    , m_transcript(new TranscriptView(m_splitter))
    , m_chart(new SentimentChart(m_splitter))
    , m_tools(new ToolCallsView(m_splitter))
    , m_ackAction(new QAction(tr("Acknowledge Alerts"), this))
    , m_jumpAction(new QAction(tr("Jump to Latest Line"), this))
{
    m_transcript->setModel(m_transcriptModel);
    m_transcript->setToolCalls(m_toolModel);
    m_chart->setModel(m_sentimentModel);
    m_chart->setEstimated(context.platform &&
                          !context.platform->can(sb::api::Platform::Capability::ServerSentiment));
    m_tools->setToolCalls(m_toolModel);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setStretchFactor(0, 5);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setStretchFactor(2, 1);
    m_splitter->setSizes({420, 120, 110});
    m_splitter->setObjectName(QStringLiteral("callViewSplitter"));

    // Two fixed lines (who, then state) rather than wrapping: a wrapped label in a row with
    // buttons gets one line's height and clips.
    m_header->setWordWrap(false);
    m_header->setTextFormat(Qt::PlainText);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_header->setMinimumWidth(120);
    m_header->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_badge->setAutoFillBackground(true);
    m_badge->setMargin(4);
    m_badge->hide();
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setMargin(24);
    m_empty->setForegroundRole(QPalette::PlaceholderText);

    const QKeySequence ackKeys(Qt::CTRL | Qt::SHIFT | Qt::Key_A);
    m_ackAction->setShortcut(ackKeys);
    m_ackAction->setToolTip(
        tr("Acknowledge this call's alerts (%1)").arg(ackKeys.toString(QKeySequence::NativeText)));
    m_ackAction->setEnabled(false);
    m_ackButton->setToolTip(m_ackAction->toolTip());
    m_ackButton->setAccessibleName(tr("Acknowledge alerts"));
    m_ackButton->setEnabled(false);
    m_ackButton->hide();
    connect(m_ackAction, &QAction::triggered, this, &CallView::acknowledgeAlerts);
    connect(m_ackButton, &QPushButton::clicked, this, &CallView::acknowledgeAlerts);

    const QKeySequence endKey(Qt::Key_End);
    m_jumpAction->setShortcut(endKey);
    m_jumpAction->setToolTip(tr("Scroll to the newest line and follow (%1)")
                                 .arg(endKey.toString(QKeySequence::NativeText)));
    connect(m_jumpAction, &QAction::triggered, m_transcript, &TranscriptView::jumpToLatest);

    auto *headerRow = new QHBoxLayout;
    headerRow->addWidget(m_header, 1);
    headerRow->addWidget(m_badge);
    headerRow->addWidget(m_ackButton);

    auto *content = new QWidget(this);
    auto *contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    contentLayout->addLayout(headerRow);
    contentLayout->addWidget(m_splitter, 1);
    auto *stack = new QStackedLayout(this);
    stack->addWidget(m_empty);
    stack->addWidget(content);

    if (m_context.stream) {
        connect(m_context.stream, &sb::api::LiveStream::eventsReady, this, &CallView::onEvents);
        connect(m_context.stream, &sb::api::LiveStream::snapshotReady, this, &CallView::onSnapshot);
    }
    if (m_context.alerts) {
        connect(m_context.alerts, &sb::models::AlertService::callSeverityChanged, this,
                [this](const QString &id) {
                    if (id == m_call.id)
                        onAlertsChanged();
                });
        connect(m_context.alerts, &sb::models::AlertService::alertAcknowledged, this,
                [this](const sb::models::Alert &a) {
                    if (a.callId == m_call.id)
                        onAlertsChanged();
                });
    }
    if (m_context.liveCalls) {
        connect(m_context.liveCalls, &QAbstractItemModel::dataChanged, this,
                &CallView::onLiveRowChanged);
        connect(m_context.liveCalls, &sb::models::LiveCallsModel::callAdded, this,
                [this](const QString &id) {
                    if (id != m_call.id)
                        return;
                    const int row = m_context.liveCalls->rowOf(id);
                    onLiveRowChanged(m_context.liveCalls->index(row, 0),
                                     m_context.liveCalls->index(row, 0));
                });
    }
    // The header's duration ticks while the call runs.
    auto *tick = new QTimer(this);
    tick->setInterval(1000);
    connect(tick, &QTimer::timeout, this, [this] {
        if (m_live)
            updateHeader();
    });
    tick->start();
    updateHeader();
}

CallView::~CallView()
{
    stopFollowing();
}

void CallView::showLiveCall(const QString &callId)
{
    if (callId.isEmpty())
        return clear();
    if (callId == m_call.id && m_live)
        return;
    stopFollowing();
    resetModels(callId);
    m_call = sb::api::Call();
    m_call.id = callId;
    if (m_context.liveCalls) {
        const int row = m_context.liveCalls->rowOf(callId);
        if (row >= 0)
            m_call = m_context.liveCalls->callAt(row);
    }
    m_live = true;
    m_transcript->setFollowLive(true);
    m_chart->setCursorMs(-1);
    m_chart->setDurationMs(0);
    if (m_context.stream && !m_context.stream->subscribedCalls().contains(callId)) {
        // Not followed by the live list yet (just placed): a fresh subscription replays it all.
        m_subscribedHere = true;
        m_context.stream->subscribeCall(callId);
    }
    if (isVisible())
        watch();
    // What was said before this view opened is already past on the stream: REST has it.
    fetchDetails();
    onAlertsChanged();
    updateHeader();
}

void CallView::showDetails(const sb::api::CallDetails &details)
{
    stopFollowing();
    resetModels(details.call.id);
    m_call = details.call;
    m_live = false;
    m_transcript->setFollowLive(false);
    m_transcriptModel->mergeLines(details.transcript);
    m_sentimentModel->mergePoints(details.sentimentTimeline);
    m_toolModel->mergeToolCalls(details.toolCalls);
    m_chart->setDurationMs(qint64(details.call.durationSeconds) * 1000);
    onAlertsChanged();
    updateHeader();
}

void CallView::clear()
{
    stopFollowing();
    resetModels(QString());
    m_call = sb::api::Call();
    m_live = false;
    onAlertsChanged();
    updateHeader();
}

void CallView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        onAlertsChanged(); // the badge's colours derive from the palette
}

void CallView::setPlaceholderText(const QString &text)
{
    m_empty->setText(text);
}

void CallView::setPlaybackMs(qint64 ms)
{
    m_transcript->setHighlightTimeMs(ms);
    m_chart->setCursorMs(ms);
}

QByteArray CallView::saveState() const
{
    return m_splitter->saveState();
}

void CallView::restoreState(const QByteArray &state)
{
    m_splitter->restoreState(state);
}

int CallView::acknowledgeAlerts()
{
    if (!m_context.alerts || m_call.id.isEmpty())
        return 0;
    int done = 0;
    const QList<sb::models::Alert> alerts = m_context.alerts->alerts();
    for (const sb::models::Alert &a : alerts) {
        if (a.callId != m_call.id || a.isAcknowledged())
            continue;
        // Through the log model when there is one: it records the acknowledgement in the cache.
        const bool ok = m_context.alertLog
                            ? m_context.alertLog->acknowledge(a.id, m_context.userName)
                            : m_context.alerts->acknowledge(a.id, m_context.userName);
        if (ok)
            ++done;
    }
    onAlertsChanged();
    return done;
}

void CallView::onEvents(const QList<sb::api::StreamEvent> &events)
{
    if (m_call.id.isEmpty())
        return;
    // The models skip other calls' events themselves.
    m_transcriptModel->applyBatch(events);
    m_sentimentModel->applyBatch(events);
    m_toolModel->applyBatch(events);
    bool changed = false;
    for (const sb::api::StreamEvent &e : events) {
        const QString &id = e.callId.isEmpty() ? e.call.id : e.callId;
        if (id != m_call.id)
            continue;
        using Type = sb::api::StreamEvent::Type;
        if (e.type == Type::Status && statusRank(e.status) >= statusRank(m_call.status)) {
            m_call.status = e.status;
            // The server's send time is the answer's time (the REST row may lag behind).
            const QDateTime at = e.serverTsMs > 0
                                     ? QDateTime::fromMSecsSinceEpoch(e.serverTsMs, Qt::UTC)
                                     : QDateTime::currentDateTimeUtc();
            if (e.status == CallStatus::InProgress && !m_call.startedAt.isValid())
                m_call.startedAt = at;
            if (isFinalStatus(e.status) && !m_call.endedAt.isValid())
                m_call.endedAt = at;
            changed = true;
        } else if ((e.type == Type::CallStarted || e.type == Type::CallEnded) &&
                   statusRank(e.call.status) >= statusRank(m_call.status)) {
            m_call = e.call;
            changed = true;
        }
    }
    if (m_live)
        extendChartToTranscript();
    // The stream has said everything; REST gives the final duration and truth.
    finishIfEnded(true);
    if (changed)
        updateHeader();
}

void CallView::onSnapshot(const sb::api::CallSnapshot &snapshot)
{
    if (snapshot.callId != m_call.id)
        return;
    m_transcriptModel->applySnapshot(snapshot);
    m_sentimentModel->applySnapshot(snapshot);
    m_toolModel->applySnapshot(snapshot);
    if (statusRank(snapshot.details.call.status) >= statusRank(m_call.status))
        m_call = snapshot.details.call;
    finishIfEnded(false); // e.g. opened after its end: the stream answered not_live
    updateHeader();
}

void CallView::onLiveRowChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight)
{
    if (m_call.id.isEmpty() || !m_context.liveCalls)
        return;
    const int row = m_context.liveCalls->rowOf(m_call.id);
    if (row < topLeft.row() || row > bottomRight.row() || row < 0)
        return;
    const sb::api::Call c = m_context.liveCalls->callAt(row);
    if (statusRank(c.status) >= statusRank(m_call.status)) {
        m_call = c;
        finishIfEnded(true);
        updateHeader();
    }
}

void CallView::onAlertsChanged()
{
    AlertSeverity severity = AlertSeverity::None;
    QStringList open;
    if (m_context.alerts && !m_call.id.isEmpty()) {
        severity = m_context.alerts->highestUnacknowledged(m_call.id);
        for (const sb::models::Alert &a : m_context.alerts->alerts()) {
            if (a.callId == m_call.id && !a.isAcknowledged())
                open << sb::models::AlertRules::ruleTitle(a.rule) + QStringLiteral(": ") + a.detail;
        }
    }
    const bool any = !open.isEmpty();
    m_badge->setVisible(any);
    m_ackButton->setVisible(any);
    m_ackButton->setEnabled(any);
    m_ackAction->setEnabled(any);
    if (!any)
        return;
    QPalette pal = m_badge->palette();
    const QColor color = CallPalette::severityColor(palette(), severity);
    pal.setColor(QPalette::Window, CallPalette::mix(palette().color(QPalette::Base), color, 0.25));
    pal.setColor(QPalette::WindowText, palette().color(QPalette::Text));
    m_badge->setPalette(pal);
    m_badge->setText(tr("⚠ %n open alert(s) (%1)", "", int(open.size()))
                         .arg(sb::models::AlertRules::severityText(severity)));
    m_badge->setToolTip(open.join(QLatin1Char('\n')));
}

void CallView::fetchDetails()
{
    if (!m_context.platform || m_call.id.isEmpty())
        return;
    const quint64 generation = ++m_fetchGeneration;
    const QString id = m_call.id;
    m_context.platform->callDetails(id).onFinished(
        this, [this, generation, id](const sb::api::Result<sb::api::CallDetails> &result) {
            if (generation != m_fetchGeneration || id != m_call.id)
                return; // another call (or a newer fetch) since
            if (!result) {
                qCWarning(lcCallView) << "call details failed:" << result.error().caption();
                Q_EMIT loadFailed(id,
                                  tr("Could not load the call: %1").arg(result.error().caption()));
                return;
            }
            const sb::api::CallDetails &d = result.value();
            m_transcriptModel->mergeLines(d.transcript);
            m_sentimentModel->mergePoints(d.sentimentTimeline);
            m_toolModel->mergeToolCalls(d.toolCalls);
            if (statusRank(d.call.status) >= statusRank(m_call.status))
                m_call = d.call;
            if (isFinalStatus(m_call.status))
                m_chart->setDurationMs(qint64(m_call.durationSeconds) * 1000);
            else
                extendChartToTranscript();
            finishIfEnded(false); // opened after its end: this was the whole call
            updateHeader();
        });
}

void CallView::extendChartToTranscript()
{
    // While the call runs the time axis reaches the newest line, so a first sentiment point
    // does not sit on the right edge as if it were the end of the call.
    const int rows = m_transcriptModel->rowCount();
    if (rows == 0)
        return;
    const QModelIndex last = m_transcriptModel->index(rows - 1);
    const qint64 ms = qMax(last.data(sb::models::TranscriptModel::EndMsRole).toLongLong(),
                           last.data(sb::models::TranscriptModel::StartMsRole).toLongLong());
    if (ms > m_chart->durationMs())
        m_chart->setDurationMs(ms);
}

void CallView::finishIfEnded(bool fetchFinal)
{
    if (!m_live || !isFinalStatus(m_call.status))
        return;
    m_live = false;
    if (fetchFinal)
        fetchDetails();
    Q_EMIT callEnded(m_call.id);
}

void CallView::stopFollowing()
{
    ++m_fetchGeneration;
    if (m_subscribedHere && m_context.stream && !m_call.id.isEmpty()) {
        // The live list may follow it by now: leave its subscription alone.
        const bool listed = m_context.liveCalls && m_context.liveCalls->rowOf(m_call.id) >= 0;
        if (!listed)
            m_context.stream->unsubscribeCall(m_call.id);
    }
    m_subscribedHere = false;
    unwatch();
}

void CallView::watch()
{
    if (!m_live || m_call.id.isEmpty() || !m_context.stream)
        return;
    // Someone is looking at this one: a polling stream fetches its lines first.
    m_context.stream->setWatchedCall(m_call.id);
    m_watchingHere = true;
}

void CallView::unwatch()
{
    if (m_watchingHere && m_context.stream && m_context.stream->watchedCall() == m_call.id)
        m_context.stream->setWatchedCall(QString());
    m_watchingHere = false;
}

void CallView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    watch();
}

void CallView::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    unwatch();
}

void CallView::resetModels(const QString &callId)
{
    m_transcriptModel->setCallId(callId);
    m_sentimentModel->setCallId(callId);
    m_toolModel->setCallId(callId);
    m_transcript->setHighlightTimeMs(-1);
    m_chart->setCursorMs(-1);
    m_chart->setDurationMs(0);
}

void CallView::updateHeader()
{
    auto *stack = static_cast<QStackedLayout *>(layout());
    stack->setCurrentIndex(m_call.id.isEmpty() ? 0 : 1);
    if (m_call.id.isEmpty()) {
        m_header->clear();
        Q_EMIT callChanged(m_call);
        return;
    }
    QString agent;
    if (m_context.agents) {
        const int row = m_context.agents->rowOf(m_call.agentId);
        agent = row >= 0 ? m_context.agents->itemAt(row).name : QString();
    }
    QString contact;
    if (m_context.contacts && !m_call.contactId.isEmpty()) {
        const int row = m_context.contacts->rowOf(m_call.contactId);
        contact = row >= 0 ? m_context.contacts->itemAt(row).name : QString();
    }
    const bool inbound = m_call.direction == sb::api::CallDirection::Inbound;
    const QString number = inbound ? m_call.from : m_call.to;
    qint64 seconds = m_call.durationSeconds;
    if (!isFinalStatus(m_call.status) && m_call.startedAt.isValid())
        seconds = qMax<qint64>(0, m_call.startedAt.secsTo(QDateTime::currentDateTimeUtc()));
    QStringList who;
    who << (agent.isEmpty() ? tr("Agent %1").arg(m_call.agentId) : agent);
    if (!number.isEmpty())
        who << (inbound ? tr("from %1").arg(number) : tr("to %1").arg(number));
    if (!contact.isEmpty())
        who << contact;
    QStringList state;
    state << CallPalette::statusText(m_call.status);
    if (m_call.startedAt.isValid() || seconds > 0)
        state << durationText(seconds);
    if (m_live)
        state << tr("live");
    m_header->setText(who.join(QStringLiteral(" · ")) + QLatin1Char('\n') +
                      state.join(QStringLiteral(" · ")));
    m_header->setToolTip(m_header->text());
    m_header->setAccessibleName(QString()); // a label: screen readers read its text
    Q_EMIT callChanged(m_call);
}

} // namespace sb::ui
