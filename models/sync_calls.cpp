// SyncService, the per-call half: live events from the stream, details of watched calls,
// opening and deleting one call.
#include "callcache.h"
#include "syncservice.h"

#include "api/livestream.h"
#include "api/platform.h"

#include <QHash>
#include <QLoggingCategory>

namespace sb::models {

Q_DECLARE_LOGGING_CATEGORY(lcSync) // syncservice.cpp

using sb::api::ApiError;
using sb::api::Call;
using sb::api::CallDetails;
using sb::api::CallStatus;
using sb::api::StreamEvent;

namespace {

bool isFinalStatus(CallStatus s)
{
    return s == CallStatus::Completed || s == CallStatus::Failed || s == CallStatus::NoAnswer ||
           s == CallStatus::Busy || s == CallStatus::Canceled;
}

// Calls that end without a conversation have no transcript to wait for: their row is complete.
bool neverHasTranscript(CallStatus s)
{
    return s == CallStatus::Failed || s == CallStatus::NoAnswer || s == CallStatus::Busy ||
           s == CallStatus::Canceled;
}

} // namespace

void SyncService::onStreamEvents(const QList<StreamEvent> &events)
{
    if (!m_running || !m_cache)
        return;
    // One transaction per batch; a call started and ended within one batch is written once.
    QList<Call> calls;
    QHash<QString, qsizetype> index;
    const QSet<QString> subscribed = m_stream ? m_stream->subscribedCalls() : QSet<QString>();
    const auto watched = [&](const QString &id) {
        return m_watched.contains(id) || subscribed.contains(id);
    };
    const auto queueDetails = [this](const QString &id) {
        if (!m_detailsQueue.contains(id))
            m_detailsQueue.append(id);
    };
    for (const StreamEvent &e : events) {
        switch (e.type) {
        case StreamEvent::Type::CallStarted:
        case StreamEvent::Type::CallEnded:
            if (e.call.id.isEmpty() || m_deleted.contains(e.call.id))
                break;
            if (const auto it = index.constFind(e.call.id); it != index.cend()) {
                calls[*it] = e.call;
            } else {
                index.insert(e.call.id, calls.size());
                calls.append(e.call);
            }
            if (e.type == StreamEvent::Type::CallEnded && watched(e.call.id))
                queueDetails(e.call.id);
            break;
        case StreamEvent::Type::Status:
            // Without the calls channel a watched call's end shows as its final status event.
            if (isFinalStatus(e.status) && watched(e.callId))
                queueDetails(e.callId);
            break;
        default:
            break;
        }
    }
    if (!calls.isEmpty())
        m_cache->storeCalls(calls);
    pump();
}

void SyncService::onStreamState(sb::api::StreamState state)
{
    m_streamState = state;
    // call.ended events missed while the socket was down are not replayed: catch up by REST
    // once it is back (a reconnect passes Backoff → Connecting → Connected).
    if (state == sb::api::StreamState::Backoff)
        m_streamWasLost = true;
    else if (state == sb::api::StreamState::Connected && std::exchange(m_streamWasLost, false))
        syncNow();
}

void SyncService::prefetchDetails(const QStringList &callIds)
{
    m_prefetch.clear();
    if (!m_cache)
        return;
    for (const QString &id : callIds) {
        if (m_prefetch.size() >= prefetchLimit)
            break;
        if (id.isEmpty() || m_prefetched.contains(id) || m_deleted.contains(id) ||
            m_detailsQueue.contains(id) || m_prefetch.contains(id))
            continue;
        const std::optional<Call> call = m_cache->call(id);
        if (call && call->status == CallStatus::Completed && !m_cache->hasTranscript(id))
            m_prefetch.append(id);
    }
    pump();
}

void SyncService::fetchQueuedDetails(const QString &callId)
{
    m_detailsReply = m_platform->callDetails(callId, sb::api::Lane::Background);
    if (!m_detailsReply.isValid())
        return;
    m_busy = true;
    const quint64 generation = m_generation;
    m_detailsReply.onFinished(this, [this, generation,
                                     callId](const sb::api::Result<CallDetails> &result) {
        if (generation != m_generation)
            return;
        m_busy = false;
        m_detailsReply = {};
        const bool prefetch = !m_detailsQueue.contains(callId);
        // Done with it, whichever queue it came from: not asked for again this run.
        const auto forget = [this, &callId] {
            m_detailsQueue.removeAll(callId);
            m_watched.remove(callId);
            m_prefetch.removeAll(callId);
            m_prefetched.insert(callId);
        };
        if (result.ok()) {
            forget();
            if (!m_deleted.contains(callId))
                m_cache->storeDetails(result.value());
        } else if (prefetch) {
            // Only nice to have: a failure never holds up or stops the sync. Offline, the
            // next page fails too and sets the state; the row may ask again later.
            qCInfo(lcSync) << "details prefetch failed:" << result.error().caption();
            m_prefetch.removeAll(callId);
            if (!isOffline(result.error()) && result.error().kind != ApiError::Kind::RateLimited)
                m_prefetched.insert(callId);
        } else if (isOffline(result.error()) ||
                   result.error().kind == ApiError::Kind::RateLimited ||
                   result.error().kind == ApiError::Kind::Server) {
            // Stays queued; the retry timer pumps it again.
            onBackgroundError(result.error());
            return;
        } else {
            qCWarning(lcSync) << "details of a call not stored:" << result.error().caption();
            forget();
        }
        pump();
    });
}

void SyncService::openCall(const QString &callId)
{
    if (!m_cache || !m_platform)
        return;
    const std::optional<CallDetails> cached = m_cache->details(callId);
    if (cached && isFinalStatus(cached->call.status) &&
        (m_cache->hasTranscript(callId) || neverHasTranscript(cached->call.status))) {
        const CallDetails details = *cached;
        QMetaObject::invokeMethod(
            this, [this, details] { Q_EMIT callOpened(details, true); }, Qt::QueuedConnection);
        return;
    }
    m_platform->callDetails(callId, sb::api::Lane::Interactive)
        .onFinished(this, [this, callId](const sb::api::Result<CallDetails> &result) {
            if (result.ok()) {
                if (m_cache && !m_deleted.contains(callId))
                    m_cache->storeDetails(result.value());
                Q_EMIT callOpened(result.value(), false);
                return;
            }
            if (result.error().kind == ApiError::Kind::NotFound && m_cache)
                m_cache->removeCall(callId);
            Q_EMIT openFailed(callId, result.error());
        });
}

void SyncService::deleteCall(const QString &callId)
{
    if (!m_platform)
        return;
    m_platform->deleteCall(callId).onFinished(
        this, [this, callId](const sb::api::Result<sb::api::NoContent> &result) {
            if (!result.ok() && result.error().kind != ApiError::Kind::NotFound) {
                Q_EMIT deleteFailed(callId, result.error());
                return;
            }
            m_deleted.insert(callId);
            m_detailsQueue.removeAll(callId);
            m_prefetch.removeAll(callId);
            m_watched.remove(callId);
            if (m_cache)
                m_cache->removeCall(callId);
            Q_EMIT callDeleted(callId);
        });
}

} // namespace sb::models
