#pragma once

#include "livestream.h"
#include "pager.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QSet>
#include <QStringList>
#include <QUrl>

#include <memory>

class QTimer;

namespace sb::api {

class SignalRClient;

//! SpeakNode's live view (CONTRACT §2.3) behind the LiveStream interface: session changes come
//! from the SignalR hub (AgentSessionUpdated → CallStarted / Status / CallEnded); SpeakNode
//! publishes no live transcript, so the history of each subscribed Active call is polled
//! (GET /conversations/{id}, at most every 3 s per call and within a share of the Session's
//! request budget) and its growth emitted as Transcript, ToolCall and ToolResult events, with
//! Sentiment events from the local estimate. Every call event gets a synthesized per-call seq.
//! The watched call (setWatchedCall) is polled every minIntervalMs (at most half the budget);
//! the others share what is left, earliest due first, so none of them starves.
class SpeakNodeStream : public LiveStream
{
    Q_OBJECT
public:
    struct PollOptions
    {
        int minIntervalMs = 3000;       //!< never poll one call more often (CONTRACT §2.3)
        double budgetShare = 0.6;       //!< share of the Session's requests/minute polling may use
        int maxInFlight = 4;            //!< polls outstanding at once
        int tickMs = 250;               //!< how often due polls are looked for
        double burst = 2;               //!< polls that may go at once before the budget paces them
        int finalPollTimeoutMs = 10000; //!< an ended call's last poll; Status follows anyway
        int catchUpPageSize = 100;      //!< Active sessions per page read after a reconnect
    };

    //! `platform` (and its Session) must outlive the stream.
    explicit SpeakNodeStream(Platform *platform, QObject *parent = nullptr);
    ~SpeakNodeStream() override;

    //! The hub of a REST base: https://host/api/v1 → https://host/hubs/notifications.
    static QUrl hubUrlFor(const QUrl &restBase);
    //! Overrides the hub URL derived from the Session's base URL. Empty = derived.
    void setHubUrl(const QUrl &url) { m_hubOverride = url; }
    QUrl streamUrl() const override;
    void setPollOptions(const PollOptions &options) { m_poll = options; }
    const PollOptions &pollOptions() const { return m_poll; }

    void start() override;
    void stop() override;
    void setCallsChannel(bool enabled) override;
    void subscribeCall(const QString &callId, qint64 sinceSeq = 0) override;
    void unsubscribeCall(const QString &callId) override;
    void setWatchedCall(const QString &callId) override;
    StreamCounters counters() const override;
    QString stateText() const override;

    //! The poll interval per call that the budget allows now, in ms (≥ minIntervalMs); the
    //! watched call is polled every minIntervalMs and its share is left out of the others'.
    int pollIntervalMs() const;
    //! The watched call's poll interval: minIntervalMs unless that would take more than half
    //! of polling's budget.
    int watchedPollIntervalMs() const;
    quint64 pollsSent() const { return m_pollsSent; }
    SignalRClient *hubClient() const { return m_client; }

private:
    //! What has been emitted of one subscribed call.
    struct Tracked
    {
        qint64 seq = 0;
        CallStatus status = CallStatus::Unknown;
        bool known = false;         // status came from the hub or a poll
        bool restart = false;       // subscribed with sinceSeq and nothing of ours: snapshot first
        QStringList lineKeys;       // startMs|role of each line sent, in history order
        QList<size_t> lineContents; // and a hash of what it said, to resend a changed one
        int tools = 0;              // tool calls emitted
        QSet<int> results;          // tool calls whose result was emitted
        int points = 0;             // sentiment points emitted
        qint64 lastPollMs = 0;
        bool inFlight = false;
        bool finalPending = false; // ended: one last poll, then the final Status
    };

    struct Intervals
    {
        int watchedMs;
        int othersMs;
    };
    Intervals intervals() const;
    void onInvocation(const QString &target, const QJsonArray &arguments);
    void onSession(const Call &call);
    void onHubState();
    //! After a reconnect: sessions that started or ended while the hub was away.
    void catchUpChannel();
    //! One page of the catch-up; the next follows until the list ends, then catchUpEnded().
    void catchUpPage(Pager<Call> pager, std::shared_ptr<QSet<QString>> running);
    //! Sessions announced as started that the catch-up did not list as running: how did they end?
    void catchUpEnded(const QSet<QString> &running);
    //! A new token after the hub refused the old ones: connect again.
    void onAccessTokenChanged(const QString &token);
    void tick();
    void poll(const QString &callId);
    void polled(const QString &callId, const CallDetails &details);
    void emitStatus(const QString &callId, Tracked &t, CallStatus status);
    void queue(StreamEvent event);
    void flush();
    StreamEvent callEvent(StreamEvent::Type type, const QString &callId, Tracked &t) const;
    bool wantsPolling(const Tracked &t) const;

    SignalRClient *m_client = nullptr;
    QUrl m_hubOverride;
    PollOptions m_poll;
    bool m_channel = false;
    bool m_closedByServer = false;
    QHash<QString, Tracked> m_tracked; // subscribed calls
    QSet<QString> m_started;           // sessions announced as CallStarted
    QList<StreamEvent> m_pending;
    QTimer *m_pollTimer;
    QTimer *m_flushTimer;
    QHash<QString, CallStatus> m_hubStatus; // last status the hub sent of a running session
    double m_pollTokens = 2;                // polling's own bucket: share·rate per minute
    qint64 m_pollTokensAtMs = 0;
    quint64 m_pollsSent = 0;
    quint64 m_eventsDelivered = 0;
    quint64 m_batchesDelivered = 0;
    quint64 m_malformedSessions = 0;
};

} // namespace sb::api
