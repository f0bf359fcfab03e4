#pragma once

#include "apierror.h"
#include "streamevent.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QThread>
#include <QUrl>

#include <memory>

namespace sb::api {

class Platform;
class StreamWorker;
struct StreamShared;

//! The live stream (CONTRACT §1.5) of one platform account: one WebSocket for the calls channel
//! and every per-call subscription. The socket lives in a worker thread where frames are parsed,
//! de-duplicated by seq and batched; the GUI thread gets at most one eventsReady() per display
//! frame. Reconnects with capped, jittered backoff and resubscribes with `since`; what cannot be
//! replayed is fetched by REST (Platform::callDetails) and handed on as snapshotReady().
class LiveStream : public QObject
{
    Q_OBJECT
public:
    //! `platform` (and its Session) must outlive the stream; REST backfills go through it.
    explicit LiveStream(Platform *platform, QObject *parent = nullptr);
    ~LiveStream() override;

    //! The stream for `platform`'s kind: this class for Talknex, SpeakNodeStream (hub + polling)
    //! for SpeakNode. Parented to `parent`; `platform` must outlive it.
    static LiveStream *create(Platform *platform, QObject *parent = nullptr);

    //! ws(s)://<base>/stream for a REST base URL http(s)://<base>; invalid for other schemes.
    static QUrl streamUrlFor(const QUrl &baseUrl);

    //! Must be set before start() to take effect.
    void setOptions(const StreamOptions &options) { m_options = options; }
    const StreamOptions &options() const { return m_options; }
    //! Overrides the URL derived from the Session's base URL (tests, proxies). Empty = derived.
    void setStreamUrl(const QUrl &url) { m_urlOverride = url; }
    virtual QUrl streamUrl() const;

    //! Connects (or reconnects at once with the Session's current key, e.g. after
    //! credentialRejected()). Subscriptions survive stop()/start().
    virtual void start();
    //! Closes the socket and stops reconnecting; state becomes Idle.
    virtual void stop();

    //! Lifecycle of every call of the organization (call.started / call.ended).
    virtual void setCallsChannel(bool enabled);
    //! Events of one call. `sinceSeq` > 0 resumes after that seq (the model already has it).
    virtual void subscribeCall(const QString &callId, qint64 sinceSeq = 0);
    virtual void unsubscribeCall(const QString &callId);
    QSet<QString> subscribedCalls() const { return m_subscribed; }
    //! The call a person is looking at (empty: none). Streams that must poll for transcripts
    //! (SpeakNode) poll it at their shortest interval ahead of the others; a stream that pushes
    //! every call's events (Talknex) has nothing to hurry.
    virtual void setWatchedCall(const QString &callId) { m_watched = callId; }
    QString watchedCall() const { return m_watched; }

    StreamState state() const { return m_state; }
    //! Epoch ms of the next connection attempt while state() is Backoff, else 0.
    qint64 nextAttemptAtMs() const { return m_nextAttemptAtMs; }
    //! Snapshot of the counters (thread-safe).
    virtual StreamCounters counters() const;
    //! Translated one-liner for the status bar.
    virtual QString stateText() const;

Q_SIGNALS:
    //! Events in arrival order, duplicates removed; at most one signal per batch interval.
    void eventsReady(const QList<sb::api::StreamEvent> &events);
    //! REST truth of a call after a gap, a replay_gap or not_live.
    void snapshotReady(const sb::api::CallSnapshot &snapshot);
    //! A backfill's REST request failed (the Session already retried).
    void backfillFailed(const QString &callId, const sb::api::ApiError &error);
    void stateChanged(sb::api::StreamState state, qint64 nextAttemptAtMs);
    //! Closed with 4001 (bad or revoked key): ask for a new key, then start() again.
    void credentialRejected();
    //! Closed with 4003: the key may not use the stream. No retries.
    void accessForbidden();

protected:
    //! For streams of other platforms: no Talknex socket worker is created, and every virtual
    //! above must be overridden except streamUrl() and stateText().
    struct NoWorker
    {};
    LiveStream(Platform *platform, NoWorker, QObject *parent);

    Platform *platform() const;
    //! Sets state() and nextAttemptAtMs() and emits stateChanged().
    void setStreamState(sb::api::StreamState state, qint64 nextAttemptAtMs = 0);
    //! Calls currently subscribed (kept up to date by subscribeCall/unsubscribeCall overrides).
    QSet<QString> &subscribedSet() { return m_subscribed; }

private:
    void onBatch(const QList<sb::api::StreamEvent> &events);
    void onBackfillNeeded(const QString &callId, sb::api::BackfillReason reason);
    void fetchBackfill(const QString &callId, sb::api::BackfillReason reason);
    void onWorkerState(sb::api::StreamState state, qint64 nextAttemptAtMs);

    QPointer<Platform> m_platform;
    StreamOptions m_options;
    QUrl m_urlOverride;
    QThread m_thread;
    StreamWorker *m_worker = nullptr;
    std::shared_ptr<StreamShared> m_shared;
    QSet<QString> m_subscribed;
    QString m_watched;
    QSet<QString> m_backfillInFlight;
    QSet<QString> m_backfillAgain; //!< asked again while in flight: fetch once more afterwards
    StreamState m_state = StreamState::Idle;
    qint64 m_nextAttemptAtMs = 0;
};

} // namespace sb::api
