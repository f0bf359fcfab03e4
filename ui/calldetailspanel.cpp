#include "calldetailspanel.h"

#include "callview.h"
#include "recordingplayer.h"
#include "sentimentchart.h"
#include "transcriptexport.h"
#include "transcriptview.h"

#include "api/platform.h"
#include "models/callcache.h"
#include "models/sentimenttimelinemodel.h"

#include <QDataStream>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QSplitter>
#include <QStackedWidget>
#include <QVBoxLayout>

using namespace sb::api;

namespace sb::ui {

CallDetailsPanel::CallDetailsPanel(const ConsoleContext &context, QWidget *parent)
    : QWidget(parent)
    , m_context(context)
    , m_pages(new QStackedWidget(this))
    , m_message(new QLabel(this))
    , m_callPage(new QWidget(this))
    , m_title(new QLabel(m_callPage))
    , m_summary(new QLabel(m_callPage))
    , m_player(new RecordingPlayer(context, m_callPage))
    , m_callView(new CallView(context, m_callPage))
{
    setAccessibleName(tr("Call details"));
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setText(tr("Open a call from the history or a search hit to see it here."));

    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    // Two columns of metadata side by side: they are short, and the transcript wants the height.
    auto *left = new QFormLayout;
    auto *right = new QFormLayout;
    addField(left, QStringLiteral("time"), tr("Time:"));
    addField(left, QStringLiteral("direction"), tr("Direction:"));
    addField(left, QStringLiteral("number"), tr("Other party:"));
    addField(left, QStringLiteral("line"), tr("Our line:"));
    addField(right, QStringLiteral("agent"), tr("Agent:"));
    addField(right, QStringLiteral("status"), tr("Status:"));
    addField(right, QStringLiteral("duration"), tr("Duration:"));
    addField(right, QStringLiteral("sentiment"),
             m_context.platform && !m_context.platform->can(Platform::Capability::ServerSentiment)
                 ? tr("Sentiment (estimated):")
                 : tr("Sentiment:"));
    auto *columns = new QHBoxLayout;
    columns->addLayout(left, 1);
    columns->addLayout(right, 1);

    m_player->setAccessibleName(tr("Recording player"));
    auto *pageLayout = new QVBoxLayout(m_callPage);
    pageLayout->setContentsMargins(0, 0, 0, 0);
    pageLayout->addWidget(m_title);
    pageLayout->addLayout(columns);
    pageLayout->addWidget(m_summary);
    pageLayout->addWidget(m_player);
    pageLayout->addWidget(m_callView, 1);
    // The metadata above says what the call view's one-line header says, and more.
    m_callView->headerLabel()->hide();

    m_pages->addWidget(m_message);
    m_pages->addWidget(m_callPage);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_pages);

    connect(m_player, &RecordingPlayer::positionChanged, this, &CallDetailsPanel::setPlaybackMs);
    connect(m_callView->transcriptView(), &TranscriptView::lineActivated, m_player,
            &RecordingPlayer::seek);
    connect(m_callView->sentimentChart(), &SentimentChart::seekRequested, m_player,
            &RecordingPlayer::seek);
    connect(m_player, &RecordingPlayer::downloaded, this,
            [this] { Q_EMIT recordingAvailableChanged(true); });
}

CallDetailsPanel::~CallDetailsPanel() = default;

QLabel *CallDetailsPanel::addField(QFormLayout *form, const QString &key, const QString &label)
{
    auto *value = new QLabel(m_callPage);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // A narrow details side wraps long agent names and statuses instead of clipping them.
    value->setWordWrap(true);
    auto *name = new QLabel(label, m_callPage);
    name->setBuddy(value);
    form->addRow(name, value);
    m_fields.insert(key, value);
    return value;
}

QLabel *CallDetailsPanel::field(const QString &key) const
{
    return m_fields.value(key);
}

QString CallDetailsPanel::callId() const
{
    return m_pages->currentWidget() == m_callPage ? m_details.call.id : QString();
}

void CallDetailsPanel::showLoading(const QString &callId)
{
    m_pendingId = callId;
    if (callId == m_details.call.id && m_pages->currentWidget() == m_callPage)
        return; // already shown: refresh in place, no flicker
    m_message->setText(tr("Opening the call…"));
    m_pages->setCurrentWidget(m_message);
}

void CallDetailsPanel::showMessage(const QString &text)
{
    const bool hadRecording = !m_player->recordingFile().isEmpty();
    m_player->clear();
    m_callView->clear();
    m_details = {};
    m_pendingId.clear();
    m_highlightMs = -1;
    m_message->setText(text);
    m_pages->setCurrentWidget(m_message);
    if (hadRecording)
        Q_EMIT recordingAvailableChanged(false);
}

void CallDetailsPanel::showDetails(const CallDetails &details, const QString &agentName)
{
    const Call &c = details.call;
    const bool sameCall = c.id == m_details.call.id && m_pages->currentWidget() == m_callPage;
    m_details = details;
    m_agentName = agentName;
    m_pendingId = c.id;
    const QString remote = TranscriptExport::remoteNumber(c);
    const QString local = c.direction == CallDirection::Inbound ? c.to : c.from;
    const QString contact = m_context.cache && !c.contactId.isEmpty()
                                ? m_context.cache->contactName(c.contactId)
                                : QString();
    const QString party = contact.isEmpty() ? remote : tr("%1 (%2)").arg(contact, remote);
    m_title->setText(
        tr("%1 call with %2").arg(TranscriptExport::directionLabel(c.direction), party));
    const QLocale locale;
    QLabel *time = m_fields.value(QStringLiteral("time"));
    time->setText(locale.toString(c.createdAt.toLocalTime(), QLocale::ShortFormat));
    time->setToolTip(locale.toString(c.createdAt.toLocalTime(), QLocale::LongFormat));
    m_fields.value(QStringLiteral("direction"))
        ->setText(TranscriptExport::directionLabel(c.direction));
    m_fields.value(QStringLiteral("number"))->setText(remote);
    m_fields.value(QStringLiteral("line"))->setText(local);
    m_fields.value(QStringLiteral("agent"))->setText(agentName.isEmpty() ? c.agentId : agentName);
    const QString reason = TranscriptExport::endReasonLabel(c.endReason);
    m_fields.value(QStringLiteral("status"))
        ->setText(reason.isEmpty()
                      ? TranscriptExport::statusLabel(c.status)
                      : tr("%1 (%2)").arg(TranscriptExport::statusLabel(c.status), reason));
    m_fields.value(QStringLiteral("duration"))
        ->setText(sb::models::callTimeText(qint64(c.durationSeconds) * 1000));
    m_fields.value(QStringLiteral("sentiment"))
        ->setText(c.sentimentScore
                      ? tr("%1 (%2)").arg(TranscriptExport::sentimentLabel(c.sentiment),
                                          locale.toString(*c.sentimentScore, 'f', 2))
                      : TranscriptExport::sentimentLabel(c.sentiment));
    m_summary->setText(c.summary);
    m_summary->setVisible(!c.summary.isEmpty());

    m_callView->showDetails(details);
    m_callView->sentimentChart()->setDurationMs(qint64(c.durationSeconds) * 1000);
    m_pages->setCurrentWidget(m_callPage);
    if (sameCall)
        return; // a refresh of the shown call keeps the player where it is
    m_highlightMs = -1;
    const bool hadRecording = !m_player->recordingFile().isEmpty();
    if (m_context.platform && !m_context.platform->can(Platform::Capability::Recordings)) {
        m_player->setUnavailable(
            c.id, m_context.platform->unsupportedReason(Platform::Capability::Recordings));
    } else if (c.recordingUrl.isEmpty()) {
        m_player->setUnavailable(c.id, tr("This call has no recording."));
    } else {
        m_player->setCall(c.id, qint64(c.durationSeconds) * 1000);
    }
    const bool hasRecording = !m_player->recordingFile().isEmpty();
    if (hadRecording || hasRecording)
        Q_EMIT recordingAvailableChanged(hasRecording);
}

void CallDetailsPanel::highlightLine(qint64 startMs)
{
    m_highlightMs = startMs;
    m_callView->transcriptView()->setHighlightTimeMs(startMs);
}

void CallDetailsPanel::setPlaybackMs(qint64 ms)
{
    m_highlightMs = ms;
    m_callView->setPlaybackMs(ms);
}

QByteArray CallDetailsPanel::saveState() const
{
    return m_callView->saveState();
}

void CallDetailsPanel::restoreState(const QByteArray &state)
{
    m_callView->restoreState(state);
}

} // namespace sb::ui
