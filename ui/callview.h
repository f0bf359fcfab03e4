#pragma once

#include "consolecontext.h"

#include "api/dto.h"
#include "api/streamevent.h"

#include <QWidget>

class QAction;
class QLabel;
class QPushButton;
class QSplitter;

namespace sb::models {
class SentimentTimelineModel;
class ToolCallsModel;
class TranscriptModel;
struct Alert;
} // namespace sb::models

namespace sb::ui {

class SentimentChart;
class ToolCallsView;
class TranscriptView;

//! One call in full: a header (agent, number, contact, status, duration, alert badge with
//! Acknowledge), its transcript with tool calls inline, its sentiment chart and its tool-call
//! list. Shows a live call as it streams (from ringing to its end) or a finished call's details.
//! It owns the per-call models; the views are reachable for a player to drive.
class CallView : public QWidget
{
    Q_OBJECT
public:
    explicit CallView(const ConsoleContext &context, QWidget *parent = nullptr);
    ~CallView() override;

    //! Follows \a callId live: subscribes it on context().stream, backfills what was said
    //! before by REST, streams the rest. Works before the call shows in the live list.
    void showLiveCall(const QString &callId);
    //! Shows a finished call from its REST details (no stream, no follow).
    void showDetails(const sb::api::CallDetails &details);
    //! Shows nothing (and stops following).
    void clear();

    QString callId() const { return m_call.id; }
    //! What is known of the call now (REST, stream status, the live list).
    sb::api::Call call() const { return m_call; }
    //! True while following a live call (until its final status).
    bool isLive() const { return m_live; }

    //! What the view says while it shows no call (each pane says how to open one).
    void setPlaceholderText(const QString &text);

    //! Drives the transcript highlight and the chart cursor (playback position; -1 clears).
    void setPlaybackMs(qint64 ms);

    TranscriptView *transcriptView() const { return m_transcript; }
    SentimentChart *sentimentChart() const { return m_chart; }
    ToolCallsView *toolCallsView() const { return m_tools; }
    sb::models::TranscriptModel *transcriptModel() const { return m_transcriptModel; }
    sb::models::SentimentTimelineModel *sentimentModel() const { return m_sentimentModel; }
    sb::models::ToolCallsModel *toolCallsModel() const { return m_toolModel; }
    QLabel *headerLabel() const { return m_header; }
    QLabel *alertBadge() const { return m_badge; }
    QPushButton *acknowledgeButton() const { return m_ackButton; }
    //! Acknowledge the call's open alerts (Ctrl+Shift+A); enabled while there are some.
    QAction *acknowledgeAction() const { return m_ackAction; }
    //! Scroll the transcript to the newest line and follow again (End).
    QAction *jumpToLatestAction() const { return m_jumpAction; }

    //! Splitter state (transcript / chart / tool list).
    QByteArray saveState() const;
    void restoreState(const QByteArray &state);

public Q_SLOTS:
    //! Acknowledges every open alert of the call as context().userName; returns how many.
    int acknowledgeAlerts();

Q_SIGNALS:
    //! The header data changed (status, duration, names).
    void callChanged(const sb::api::Call &call);
    //! The followed call reached a final status.
    void callEnded(const QString &callId);
    //! Loading the call by REST failed (for the pane's banner; \a callId to retry).
    void loadFailed(const QString &callId, const QString &message);

protected:
    void changeEvent(QEvent *event) override;
    //! A live call on screen is the stream's watched call (polled first); hidden, it is not.
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void watch();
    void unwatch();
    void onEvents(const QList<sb::api::StreamEvent> &events);
    void onSnapshot(const sb::api::CallSnapshot &snapshot);
    void onLiveRowChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight);
    void onAlertsChanged();
    void fetchDetails();
    void extendChartToTranscript();
    //! A live call that reached a final status stops being live (once): callEnded().
    void finishIfEnded(bool fetchFinal);
    void stopFollowing();
    void resetModels(const QString &callId);
    void updateHeader();

    ConsoleContext m_context;
    sb::models::TranscriptModel *m_transcriptModel;
    sb::models::SentimentTimelineModel *m_sentimentModel;
    sb::models::ToolCallsModel *m_toolModel;
    QLabel *m_header;
    QLabel *m_badge;
    QPushButton *m_ackButton;
    QLabel *m_empty;
    QSplitter *m_splitter;
    TranscriptView *m_transcript;
    SentimentChart *m_chart;
    ToolCallsView *m_tools;
    QAction *m_ackAction;
    QAction *m_jumpAction;
    sb::api::Call m_call;
    bool m_live = false;
    bool m_subscribedHere = false; //!< we subscribed it (the live list did not)
    bool m_watchingHere = false;   //!< we told the stream this call is the one watched
    quint64 m_fetchGeneration = 0;
};

} // namespace sb::ui
