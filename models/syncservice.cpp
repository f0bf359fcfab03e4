#include "syncservice.h"

#include "callcache.h"

#include "api/livestream.h"
#include "api/platform.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QRandomGenerator>

#include <algorithm>
#include <limits>
#include <utility>

namespace sb::models {

Q_LOGGING_CATEGORY(lcSync, "switchboard.models")

using sb::api::ApiError;
using sb::api::Call;

namespace {

// Keys of the sync state persisted in the cache, each written in the same transaction as the
// calls it describes.
const QString kCursor = QStringLiteral("fullSyncCursor");
const QString kDone = QStringLiteral("fullSyncDone");
const QString kPages = QStringLiteral("fullSyncPages");
const QString kCalls = QStringLiteral("fullSyncCalls");
const QString kUpdatedSince = QStringLiteral("updatedSince");
const QString kLastSyncAt = QStringLiteral("lastSyncAt");

QString isoUtc(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODateWithMs);
}

QDateTime parseIso(const QVariant &v)
{
    if (v.metaType().id() == QMetaType::QDateTime)
        return v.toDateTime();
    return QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
}

// The later of two times; an invalid one counts as "never".
QDateTime later(const QDateTime &a, const QDateTime &b)
{
    if (!a.isValid())
        return b;
    if (!b.isValid())
        return a;
    return a < b ? b : a;
}

// The server's own clock for the watermark; a platform without updatedAt falls back to the
// newest timestamp the call has.
QDateTime changedAt(const Call &c)
{
    if (c.updatedAt.isValid())
        return c.updatedAt;
    return later(c.createdAt, c.endedAt);
}

} // namespace

bool SyncService::isOffline(const ApiError &e)
{
    return e.kind == ApiError::Kind::Network || e.kind == ApiError::Kind::Timeout;
}

SyncService::SyncService(sb::api::Platform *platform, CallCache *cache, sb::api::LiveStream *stream,
                         QObject *parent)
    : QObject(parent)
    , m_platform(platform)
    , m_cache(cache)
    , m_stream(stream)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if (!m_running)
            return;
        if (m_pass == Pass::None)
            beginPass(Pass::Incremental);
        pump();
    });
    if (m_cache) {
        connect(m_cache, &CallCache::callsStored, this, &SyncService::onCallsStored);
        connect(m_cache, &CallCache::writeFailed, this, &SyncService::onCacheWriteFailed);
        connect(m_cache, &CallCache::recovered, this, &SyncService::onCacheRecovered);
    }
    if (m_stream) {
        connect(m_stream, &sb::api::LiveStream::eventsReady, this, &SyncService::onStreamEvents);
        connect(m_stream, &sb::api::LiveStream::stateChanged, this,
                [this](sb::api::StreamState s, qint64) { onStreamState(s); });
    }
}

SyncService::~SyncService()
{
    stop();
}

void SyncService::start()
{
    if (!m_platform || !m_cache || m_running)
        return;
    m_running = true;
    m_failures = 0;
    loadSyncState();
    if (m_stream)
        m_stream->setCallsChannel(true);
    beginPass(isFullSyncDone() ? Pass::Incremental : Pass::Full);
    pump();
}

void SyncService::stop()
{
    m_running = false;
    ++m_generation;
    m_timer.stop();
    m_busy = false;
    m_awaitCommitOf.clear();
    m_pass = Pass::None;
    // Replies of an older generation are ignored, so cancel() finishing at once is harmless.
    const auto page = std::exchange(m_pageReply, {});
    const auto details = std::exchange(m_detailsReply, {});
    page.cancel();
    details.cancel();
    setState(State::Idle);
}

void SyncService::syncNow()
{
    if (!m_running)
        return;
    if (m_pass == Pass::None)
        beginPass(Pass::Incremental);
    m_timer.stop();
    pump();
}

void SyncService::watch(const QString &callId)
{
    m_watched.insert(callId);
}

void SyncService::unwatch(const QString &callId)
{
    m_watched.remove(callId);
}

bool SyncService::isFullSyncDone() const
{
    return m_syncState.value(kDone).toBool();
}

int SyncService::fullSyncPages() const
{
    return m_syncState.value(kPages).toInt();
}

qint64 SyncService::fullSyncCalls() const
{
    return m_syncState.value(kCalls).toLongLong();
}

QDateTime SyncService::updatedSince() const
{
    return parseIso(m_syncState.value(kUpdatedSince));
}

QDateTime SyncService::lastSyncAt() const
{
    const QDateTime t = parseIso(m_syncState.value(kLastSyncAt));
    return t.isValid() ? t.toLocalTime() : t;
}

void SyncService::loadSyncState()
{
    m_syncState = m_cache->syncState();
    qCDebug(lcSync) << "sync state: full done" << isFullSyncDone() << "pages" << fullSyncPages()
                    << "calls" << fullSyncCalls();
}

void SyncService::beginPass(Pass pass)
{
    m_pass = pass;
    m_cursor = pass == Pass::Full ? m_syncState.value(kCursor).toString() : QString();
    m_passWatermark = {};
    m_passFirstPage = true;
    m_passPages = 0;
    m_passCalls = 0;
    // Offline and Failed stay until a page arrives, so the status does not flicker.
    if (m_state != State::Offline && m_state != State::Failed)
        setState(pass == Pass::Full ? State::FullSync : State::Incremental);
}

void SyncService::pump()
{
    if (!m_running || m_busy || !m_awaitCommitOf.isEmpty() || !m_platform || !m_cache)
        return;
    if (!m_detailsQueue.isEmpty())
        fetchQueuedDetails(m_detailsQueue.first());
    else if (!m_prefetch.isEmpty())
        fetchQueuedDetails(m_prefetch.first());
    else if (m_pass != Pass::None)
        fetchPage();
}

void SyncService::fetchPage()
{
    sb::api::CallFilter filter;
    if (m_pass == Pass::Incremental) {
        const QDateTime since = updatedSince();
        if (since.isValid())
            filter.updatedSince = since.addMSecs(-m_options.overlapMs);
    }
    auto pager = m_platform->calls(filter, m_options.pageSize, sb::api::Lane::Background);
    if (!m_cursor.isEmpty())
        pager.setCursor(m_cursor);
    m_pageReply = pager.fetchNext();
    if (!m_pageReply.isValid())
        return;
    m_busy = true;
    const quint64 generation = m_generation;
    m_pageReply.onFinished(this, [this, generation](const auto &result) {
        if (generation != m_generation)
            return;
        m_busy = false;
        m_pageReply = {};
        onPage(result);
        pump();
    });
}

void SyncService::onPage(const sb::api::Result<sb::api::Page<Call>> &result)
{
    if (!m_cache)
        return;
    if (!result.ok()) {
        onBackgroundError(result.error());
        return;
    }
    ++m_pagesFetched;
    ++m_passPages;
    m_passCalls += result.value().items.size();
    m_failures = 0;
    m_error = {};

    QList<Call> calls = result.value().items;
    if (!m_deleted.isEmpty()) {
        calls.removeIf([this](const Call &c) { return m_deleted.contains(c.id); });
    }
    const QString next = result.value().nextCursor;
    const bool last = next.isEmpty();
    QDateTime newest;
    for (const Call &c : std::as_const(calls))
        newest = later(newest, changedAt(c));

    QVariantMap delta;
    if (m_pass == Pass::Full) {
        delta.insert(kCursor, next);
        delta.insert(kDone, last);
        delta.insert(kPages, fullSyncPages() + 1);
        delta.insert(kCalls, fullSyncCalls() + result.value().items.size());
        // The first page of a full pull holds the newest rows as the pull began: anything that
        // changes afterwards gets a later updatedAt, so this (not the max over all pages, which
        // can be later than an unseen change to an early page) is where incremental starts.
        if (!updatedSince().isValid() && newest.isValid())
            delta.insert(kUpdatedSince, isoUtc(newest));
    } else {
        if (m_passFirstPage)
            m_passWatermark = newest;
        if (last) {
            const QDateTime since = later(updatedSince(), m_passWatermark);
            if (since.isValid())
                delta.insert(kUpdatedSince, isoUtc(since));
        }
    }
    if (last)
        delta.insert(kLastSyncAt, isoUtc(QDateTime::currentDateTimeUtc()));
    m_passFirstPage = false;
    m_cursor = next;
    for (auto it = delta.cbegin(); it != delta.cend(); ++it)
        m_syncState.insert(it.key(), it.value());
    // The next page waits for this one's commit: with one page queued at a time, a failed
    // write can be undone by rewinding to the committed cursor (onCacheWriteFailed) and no later
    // page can commit a cursor past a page that was lost.
    if (!calls.isEmpty()) {
        m_cache->storeCalls(calls, delta);
        m_awaitCommitOf = calls.first().id;
    } else if (!delta.isEmpty()) {
        m_cache->storeCalls(calls, delta);
        m_cache->flush(); // no callsStored() for a state alone; rare (an empty last page)
    }

    if (!last)
        setState(m_pass == Pass::Full ? State::FullSync : State::Incremental);
    Q_EMIT pageStored(int(calls.size()));
    if (m_pass == Pass::Full)
        Q_EMIT progressChanged(fullSyncPages(), fullSyncCalls());
    if (last)
        finishPass();
}

void SyncService::onCallsStored(const QStringList &ids)
{
    if (!m_awaitCommitOf.isEmpty() && ids.contains(m_awaitCommitOf)) {
        m_awaitCommitOf.clear();
        pump();
    }
}

void SyncService::onCacheWriteFailed(const QString &message)
{
    if (!m_running)
        return;
    m_prefetched.clear(); // the details written may be what was lost
    // Which write failed is not known: take the committed state as the truth and go on from
    // there. Pages already stored come again (upserts), none is skipped.
    ++m_generation;
    std::exchange(m_pageReply, {}).cancel();
    std::exchange(m_detailsReply, {}).cancel();
    m_busy = false;
    m_awaitCommitOf.clear();
    m_cache->flush();
    loadSyncState();
    beginPass(isFullSyncDone() ? Pass::Incremental : Pass::Full);
    onBackgroundError(ApiError(ApiError::Kind::Io, message));
}

void SyncService::onCacheRecovered()
{
    if (!m_running)
        return;
    m_prefetched.clear(); // the details written may be what was lost
    // A damaged file was moved aside and the cache starts empty: so does the sync.
    ++m_generation;
    std::exchange(m_pageReply, {}).cancel();
    std::exchange(m_detailsReply, {}).cancel();
    m_busy = false;
    m_awaitCommitOf.clear();
    loadSyncState();
    beginPass(isFullSyncDone() ? Pass::Incremental : Pass::Full);
    pump();
}

void SyncService::finishPass()
{
    const bool full = m_pass == Pass::Full;
    m_pass = Pass::None;
    qCInfo(lcSync) << (full ? "full sync finished:" : "incremental sync finished:") << m_passCalls
                   << "calls in" << m_passPages << "pages";
    Q_EMIT passFinished(full);
    if (full) {
        // Rows created or changed while the pull walked back in time are newer than its first
        // page: one incremental pass picks them up.
        setState(State::Incremental);
        beginPass(Pass::Incremental);
        return;
    }
    setState(State::UpToDate);
    m_timer.start(m_options.incrementalIntervalMs);
}

void SyncService::onBackgroundError(const ApiError &error)
{
    if (error.kind == ApiError::Kind::Canceled)
        return;
    m_error = error;
    ++m_failures;
    qCWarning(lcSync) << "background sync failed:" << error.caption();
    if (error.kind == ApiError::Kind::Unauthorized || error.kind == ApiError::Kind::Forbidden) {
        // The key was refused: retrying would only spend it. start() again after a new key.
        setState(State::Failed);
        m_running = false;
        return;
    }
    setState(isOffline(error) ? State::Offline : State::Failed);
    qint64 delay = 0;
    if (error.retryAfterMs && *error.retryAfterMs > 0) {
        delay = *error.retryAfterMs;
    } else {
        const int shift = std::min(m_failures - 1, 16);
        const qint64 cap =
            std::min<qint64>(m_options.retryMaxMs, qint64(m_options.retryBaseMs) << shift);
        delay = cap / 2 + QRandomGenerator::global()->bounded(cap / 2 + 1);
    }
    m_timer.start(int(std::min<qint64>(delay, std::numeric_limits<int>::max())));
}

void SyncService::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

} // namespace sb::models
