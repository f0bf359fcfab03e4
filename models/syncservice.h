#pragma once

#include "api/apierror.h"
#include "api/apireply.h"
#include "api/dto.h"
#include "api/streamevent.h"

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QString>
#include <QTimer>
#include <QVariantMap>

namespace sb::api {
class LiveStream;
class Platform;
} // namespace sb::api

namespace sb::models {

class CallCache;

//! Keeps one profile's CallCache filled from the platform: a resumable full pull, then
//! incremental passes (updatedSince), live call events, and the details of watched and opened
//! calls. Background work goes one request at a time through Lane::Background; failures become
//! a state and a status text, never a dialog, and the cache keeps serving meanwhile.
class SyncService : public QObject
{
    Q_OBJECT
public:
    enum class State {
        Idle,        //!< not started (or stopped)
        FullSync,    //!< first pull of the history, page by page (see fullSyncPages())
        Incremental, //!< fetching what changed since the last pass
        UpToDate,    //!< the last pass finished; the next one is scheduled
        Offline,     //!< network unreachable: retrying with backoff, cache still serves
        Failed,      //!< the server refused (see lastError()); retried unless the key was refused
    };
    Q_ENUM(State)

    struct Options
    {
        int pageSize = 100;                //!< calls per page (the API's maximum)
        int incrementalIntervalMs = 60000; //!< pause between incremental passes
        //! Subtracted from the updatedSince watermark against out-of-order commits on the
        //! server; rows seen twice are harmless (upsert by id).
        qint64 overlapMs = 5000;
        int retryBaseMs = 5000;  //!< first retry after a failed pass (Session retries first)
        int retryMaxMs = 300000; //!< cap of the retry backoff
    };

    //! \a platform and \a cache must outlive the service; \a stream is optional (live events).
    SyncService(sb::api::Platform *platform, CallCache *cache, sb::api::LiveStream *stream,
                QObject *parent = nullptr);
    ~SyncService() override;

    void setOptions(const Options &options) { m_options = options; }
    const Options &options() const { return m_options; }

    //! Resumes where the cache left off: the full pull from its saved cursor, else an
    //! incremental pass. Turns on the stream's calls channel (the stream itself is not started).
    void start();
    //! Cancels the request in flight and stops scheduling; state becomes Idle.
    void stop();
    //! Runs an incremental pass now (or retries a failed one). No-op while a pass runs.
    void syncNow();

    //! The transcript of \a callId is stored when the call ends (subscribed calls count too).
    void watch(const QString &callId);
    void unwatch(const QString &callId);
    //! Fetches (Background lane, after the watched calls' details and before the next page of
    //! a pass) and stores the details of those of \a callIds that are Completed and have no
    //! cached transcript, so that their rows show a sentiment where the platform's list has
    //! none (SpeakNode estimates it from the transcript). Replaces the previous request: the
    //! Calls pane sends the rows in view. At most prefetchLimit ids; each at most once a run.
    void prefetchDetails(const QStringList &callIds);
    static constexpr int prefetchLimit = 60;
    //! Details from the cache when complete, else fetched (Interactive lane) and stored;
    //! answers with callOpened() or openFailed(). A call the server no longer has is removed.
    void openCall(const QString &callId);
    //! Deletes on the server, then from the cache (also when the server no longer had it).
    void deleteCall(const QString &callId);

    State state() const { return m_state; }
    bool isFullSyncDone() const;
    int fullSyncPages() const;    //!< pages of the full pull committed so far (over all runs)
    qint64 fullSyncCalls() const; //!< calls of the full pull committed so far (over all runs)
    //! Server time the next incremental pass asks from (before the overlap); invalid at first.
    QDateTime updatedSince() const;
    //! Local time the last pass finished; invalid when the cache was never synced.
    QDateTime lastSyncAt() const;
    sb::api::ApiError lastError() const { return m_error; }
    //! Pages fetched by this instance (both kinds): lets tests tell a resume from a restart.
    int pagesFetched() const { return m_pagesFetched; }

    //! Translated one-liner for the status bar: state, progress and staleness.
    QString stateText(const QDateTime &now = QDateTime::currentDateTime()) const;
    //! "Updated 3 min ago", "Offline — showing cached data from 10:42", "Not synced yet".
    QString stalenessText(const QDateTime &now = QDateTime::currentDateTime()) const;

Q_SIGNALS:
    void stateChanged(sb::models::SyncService::State state);
    //! A page was fetched and queued for the cache together with the sync state.
    void pageStored(int callsInPage);
    void progressChanged(int fullSyncPages, qint64 fullSyncCalls);
    //! A pass reached the end of its listing (\a full: the full pull).
    void passFinished(bool full);
    void callOpened(const sb::api::CallDetails &details, bool fromCache);
    void openFailed(const QString &callId, const sb::api::ApiError &error);
    void callDeleted(const QString &callId);
    void deleteFailed(const QString &callId, const sb::api::ApiError &error);

private:
    enum class Pass { None, Full, Incremental };

    void beginPass(Pass pass);
    void pump();
    void fetchPage();
    void onPage(const sb::api::Result<sb::api::Page<sb::api::Call>> &result);
    //! One queued details request: a watched call's, else a prefetch.
    void fetchQueuedDetails(const QString &callId);
    void onBackgroundError(const sb::api::ApiError &error);
    void finishPass();
    void onCallsStored(const QStringList &ids);
    void onCacheWriteFailed(const QString &message);
    void onCacheRecovered();
    void scheduleNext(int delayMs);
    void setState(State state);
    void onStreamEvents(const QList<sb::api::StreamEvent> &events);
    void onStreamState(sb::api::StreamState state);
    void loadSyncState();
    static bool isOffline(const sb::api::ApiError &error);
    QString cachedFrom(const QDateTime &now) const;

    QPointer<sb::api::Platform> m_platform;
    QPointer<CallCache> m_cache;
    QPointer<sb::api::LiveStream> m_stream;
    Options m_options;
    State m_state = State::Idle;
    sb::api::ApiError m_error;
    bool m_running = false;

    // Persisted (mirrors the cache's sync state).
    QVariantMap m_syncState;

    // The pass in progress.
    Pass m_pass = Pass::None;
    QString m_cursor;          //!< next page of the pass
    QDateTime m_passWatermark; //!< max updatedAt of the pass's first page
    bool m_passFirstPage = true;
    int m_passPages = 0;
    qint64 m_passCalls = 0;
    sb::api::ApiReply<sb::api::Page<sb::api::Call>> m_pageReply;
    sb::api::ApiReply<sb::api::CallDetails> m_detailsReply;
    bool m_busy = false;      //!< one Background request in flight at a time
    QString m_awaitCommitOf;  //!< a call of the page queued last: the next waits for its commit
    quint64 m_generation = 0; //!< bumped by stop(): replies of older generations are ignored
    int m_pagesFetched = 0;
    int m_failures = 0;
    QTimer m_timer; //!< next pass or retry

    QSet<QString> m_watched;
    QList<QString> m_detailsQueue; //!< ended watched calls whose details are still to fetch
    QList<QString> m_prefetch;     //!< rows in view whose details would give them a sentiment
    QSet<QString> m_prefetched;    //!< asked for this run (a call without lines stays without)
    QSet<QString> m_deleted; //!< deleted here: a page already in flight must not bring them back
    sb::api::StreamState m_streamState = sb::api::StreamState::Idle;
    bool m_streamWasLost = false; //!< Backoff seen since the last Connected
};

} // namespace sb::models
