#pragma once

#include "models/alertrules.h"

#include "api/streamevent.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <functional>

namespace sb::models {

class CallCache;
struct AlertRecord;

//! Runs the alert rules on the live stream's batches, call by call, and keeps the alerts raised
//! in this session. Each rule fires once per episode (a negative spell, a silence, a keyword in a
//! call, a failed tool result, a transfer). Times are call time: the clock of a call follows its
//! final lines (endMs) and runs between them at `callTimeRate` call ms per wall ms.
class AlertService : public QObject
{
    Q_OBJECT
public:
    //! Where each new alert and acknowledgement goes besides the signals (the local cache).
    using Sink = std::function<void(const Alert &)>;

    explicit AlertService(QObject *parent = nullptr);

    void setRules(const AlertRules &rules);
    const AlertRules &rules() const { return m_rules; }
    //! Call ms per wall ms (1 for a real platform; the simulator's --speed for a fast one).
    void setCallTimeRate(double rate);
    double callTimeRate() const { return m_rate; }
    //! Called with every alert raised and every alert acknowledged (optional).
    void setSink(Sink sink) { m_sink = std::move(sink); }
    //! Records every alert and acknowledgement in \a cache (which numbers alerts itself: the
    //! service maps its ids to the cache's as the cache reports them stored).
    void setCache(CallCache *cache);
    //! Alerts kept in memory (oldest dropped first).
    void setMaxAlerts(int max) { m_maxAlerts = qMax(1, max); }
    //! The silence and sentiment timers run on this interval of wall time (0 stops them).
    void setCheckIntervalMs(int ms);
    //! Connect to LiveStream::stateChanged (Connected or not): while the stream is down the
    //! timed rules hold still, and silence counts again from the reconnect.
    void setStreamConnected(bool connected);
    //! How late transcript lines may arrive (ms), asked at each check. A platform whose lines
    //! come by polling hands over its poll interval, so silence is not mistaken for the gap
    //! between two polls.
    void setTranscriptDelay(std::function<qint64()> delayMs)
    {
        m_transcriptDelay = std::move(delayMs);
    }

    //! Connect to LiveStream::eventsReady. Timers are checked at the batch's last arrival time.
    void applyBatch(const QList<sb::api::StreamEvent> &events);
    //! Timed rules (silence, sentiment held) at \a steadyMs (steady clock ms, default now).
    void checkTimers(qint64 steadyMs = -1);

    //! Marks an alert acknowledged; false when unknown or already acknowledged.
    bool acknowledge(qint64 id, const QString &who, const QDateTime &at = {});
    //! Oldest first.
    const QList<Alert> &alerts() const { return m_alerts; }
    Alert alert(qint64 id) const;
    AlertSeverity highestUnacknowledged(const QString &callId) const;

    //! steady_clock now in ms, the clock of StreamEvent::receivedNs.
    static qint64 steadyNowMs();

Q_SIGNALS:
    void alertRaised(const sb::models::Alert &alert);
    void alertAcknowledged(const sb::models::Alert &alert);
    //! The highest unacknowledged severity of a call changed.
    void callSeverityChanged(const QString &callId, sb::models::AlertSeverity severity);

private:
    //! What the rules know of one live call.
    struct CallState
    {
        bool inProgress = false;
        qint64 lastSeq = 0;
        bool clockRunning = false; //!< call time known (answered or a line seen)
        qint64 anchorCallMs = 0;   //!< call time at anchorSteadyMs
        qint64 anchorSteadyMs = 0;
        qint64 lastSpeechSteadyMs = 0; //!< last transcript chunk (or the answer)
        bool silenceFired = false;
        bool negative = false;
        qint64 negativeSinceCallMs = 0;
        bool negativeFired = false;
        QSet<QString> keywordsFired;
        bool transferFired = false;
    };

    void applyEvent(const sb::api::StreamEvent &event, qint64 steadyMs);
    void applyCallEnded(const sb::api::Call &call, qint64 steadyMs);
    qint64 callNow(const CallState &s, qint64 steadyMs) const;
    void setInProgress(CallState &s, qint64 steadyMs);
    void checkCall(const QString &callId, CallState &s, qint64 steadyMs);
    void raise(const QString &callId, const QString &rule, const QString &detail, qint64 callMs);
    void refreshSeverity(const QString &callId);
    void onCacheAppended(const sb::models::AlertRecord &record);
    void acknowledgeInCache(const Alert &alert);

    AlertRules m_rules;
    QList<QRegularExpression> m_keywordPatterns;
    double m_rate = 1.0;
    Sink m_sink;
    std::function<qint64()> m_transcriptDelay;
    int m_maxAlerts = 10000;
    QHash<QString, CallState> m_calls;
    QList<Alert> m_alerts;
    QHash<QString, QList<qint64>> m_openByCall; //!< unacknowledged alert ids per call
    QHash<QString, AlertSeverity> m_severity;
    qint64 m_nextId = 1;
    bool m_streamConnected = true;
    QTimer m_timer;
    QPointer<CallCache> m_cache;
    QList<qint64> m_cachePending;        //!< our ids sent to the cache, not yet numbered there
    QHash<qint64, qint64> m_cacheIdById; //!< our id → the cache's id
};

} // namespace sb::models
