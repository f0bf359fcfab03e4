#pragma once

// Internal to LiveStream: the object that lives in the stream's thread.

#include "seqtracker.h"
#include "streamevent.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QRandomGenerator>
#include <QSet>
#include <QTimer>
#include <QUrl>

#include <atomic>

class QWebSocket;

namespace sb::api {

//! State shared by LiveStream (GUI thread) and its StreamWorker (stream thread).
struct StreamShared
{
    std::atomic<bool> batchInFlight{false}; //!< one batch queued to the GUI at a time
    std::atomic<quint64> eventsDelivered{0};
    std::atomic<quint64> batchesDelivered{0};
    std::atomic<quint64> duplicatesDropped{0};
    std::atomic<quint64> gapsDetected{0};
    std::atomic<quint64> malformedFrames{0};
    std::atomic<quint64> oversizedFrames{0};
    std::atomic<quint64> reconnects{0};
    std::atomic<quint64> backfillsRequested{0};
};

//! Owns the QWebSocket in the stream thread: connects, pings, watches for silence, parses,
//! de-duplicates by seq, batches, reconnects. Every public method runs in the stream thread
//! (LiveStream calls them through QMetaObject::invokeMethod).
class StreamWorker : public QObject
{
    Q_OBJECT
public:
    explicit StreamWorker(std::shared_ptr<StreamShared> shared);
    ~StreamWorker() override;

    void start(const QUrl &url, const QByteArray &authorization, const StreamOptions &options);
    void stop();
    void setCallsChannel(bool enabled);
    void subscribeCall(const QString &callId, qint64 sinceSeq);
    void unsubscribeCall(const QString &callId);
    //! Drops the socket and timers; the thread is about to end.
    void shutdown();

Q_SIGNALS:
    void batchReady(const QList<sb::api::StreamEvent> &events);
    void backfillNeeded(const QString &callId, sb::api::BackfillReason reason);
    void stateChanged(sb::api::StreamState state, qint64 nextAttemptAtMs);
    void credentialRejected();
    void accessForbidden();

private:
    void connectNow();
    void onConnected();
    void onDisconnected();
    void onText(const QString &text);
    void onBinary(const QByteArray &data);
    void onWatchdog();
    void handleEvent(StreamEvent &&event);
    void requestBackfill(const QString &callId, BackfillReason reason);
    void enqueue(StreamEvent &&event);
    void scheduleFlush();
    void flush();
    void dropSocket();
    void scheduleReconnect();
    void setState(StreamState state, qint64 nextAttemptAtMs = 0);
    void send(const QByteArray &message);
    void markLife() { m_sinceLife.restart(); }

    std::shared_ptr<StreamShared> m_shared;
    QWebSocket *m_socket = nullptr;
    QTimer *m_pingTimer = nullptr;
    QTimer *m_watchdog = nullptr;
    QTimer *m_reconnectTimer = nullptr;
    QTimer *m_flushTimer = nullptr;
    QUrl m_url;
    QByteArray m_authorization;
    StreamOptions m_options;
    StreamState m_state = StreamState::Idle;
    bool m_running = false;
    bool m_everConnected = false;
    bool m_callsChannel = false;
    QSet<QString> m_calls; //!< subscribed call ids
    SeqTracker m_seq;
    QList<StreamEvent> m_pending;
    QElapsedTimer m_sinceLife;
    QElapsedTimer m_sinceFlush;
    QElapsedTimer m_sinceConnected;
    int m_attempt = 0;
    QRandomGenerator m_rng;
};

} // namespace sb::api
