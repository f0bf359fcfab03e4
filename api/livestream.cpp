#include "livestream.h"

#include "logging.h"
#include "platform.h"
#include "session.h"
#include "streamworker.h"

#include <QDateTime>

namespace sb::api {

namespace {
//! The stream's values cross threads in queued signals.
void registerStreamTypes()
{
    qRegisterMetaType<StreamEvent>();
    qRegisterMetaType<QList<StreamEvent>>();
    qRegisterMetaType<CallSnapshot>();
    qRegisterMetaType<StreamState>();
    qRegisterMetaType<BackfillReason>();
}
} // namespace

LiveStream::LiveStream(Platform *platform, QObject *parent)
    : QObject(parent)
    , m_platform(platform)
    , m_shared(std::make_shared<StreamShared>())
{
    registerStreamTypes();

    m_worker = new StreamWorker(m_shared);
    m_worker->moveToThread(&m_thread);
    // The worker lives in another thread: these connections are queued.
    connect(m_worker, &StreamWorker::batchReady, this, &LiveStream::onBatch);
    connect(m_worker, &StreamWorker::backfillNeeded, this, &LiveStream::onBackfillNeeded);
    connect(m_worker, &StreamWorker::stateChanged, this, &LiveStream::onWorkerState);
    connect(m_worker, &StreamWorker::credentialRejected, this, &LiveStream::credentialRejected);
    connect(m_worker, &StreamWorker::accessForbidden, this, &LiveStream::accessForbidden);
    m_thread.setObjectName(QStringLiteral("switchboard-stream"));
    m_thread.start();
}

LiveStream::LiveStream(Platform *platform, NoWorker, QObject *parent)
    : QObject(parent)
    , m_platform(platform)
    , m_shared(std::make_shared<StreamShared>())
{
    registerStreamTypes();
}

LiveStream::~LiveStream()
{
    if (!m_worker)
        return;
    StreamWorker *worker = m_worker;
    QMetaObject::invokeMethod(
        worker, [worker] { worker->shutdown(); }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    delete m_worker; // its thread has ended; nothing of it is running any more
}

QUrl LiveStream::streamUrlFor(const QUrl &baseUrl)
{
    QUrl url = baseUrl;
    const QString scheme = baseUrl.scheme().toLower();
    if (scheme == QLatin1String("https"))
        url.setScheme(QStringLiteral("wss"));
    else if (scheme == QLatin1String("http"))
        url.setScheme(QStringLiteral("ws"));
    else
        return QUrl();
    QString path = url.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    url.setPath(path + QStringLiteral("/stream"));
    url.setQuery(QString());
    url.setFragment(QString());
    return url;
}

Platform *LiveStream::platform() const
{
    return m_platform;
}

QUrl LiveStream::streamUrl() const
{
    if (!m_urlOverride.isEmpty())
        return m_urlOverride;
    if (!m_platform || !m_platform->session())
        return QUrl();
    return streamUrlFor(m_platform->session()->baseUrl());
}

void LiveStream::start()
{
    const QUrl url = streamUrl();
    if (!url.isValid() || !m_platform) {
        qCWarning(lcStream) << "no stream URL: set the Session's base URL first";
        return;
    }
    const QByteArray authorization = m_platform->session()->authorizationHeader();
    const StreamOptions options = m_options;
    StreamWorker *worker = m_worker;
    QMetaObject::invokeMethod(worker, [worker, url, authorization, options] {
        worker->start(url, authorization, options);
    });
}

void LiveStream::stop()
{
    StreamWorker *worker = m_worker;
    QMetaObject::invokeMethod(worker, [worker] { worker->stop(); });
}

void LiveStream::setCallsChannel(bool enabled)
{
    StreamWorker *worker = m_worker;
    QMetaObject::invokeMethod(worker, [worker, enabled] { worker->setCallsChannel(enabled); });
}

void LiveStream::subscribeCall(const QString &callId, qint64 sinceSeq)
{
    if (callId.isEmpty())
        return;
    m_subscribed.insert(callId);
    StreamWorker *worker = m_worker;
    QMetaObject::invokeMethod(
        worker, [worker, callId, sinceSeq] { worker->subscribeCall(callId, sinceSeq); });
}

void LiveStream::unsubscribeCall(const QString &callId)
{
    m_subscribed.remove(callId);
    m_backfillAgain.remove(callId);
    StreamWorker *worker = m_worker;
    QMetaObject::invokeMethod(worker, [worker, callId] { worker->unsubscribeCall(callId); });
}

StreamCounters LiveStream::counters() const
{
    StreamCounters c;
    const StreamShared &s = *m_shared;
    c.eventsDelivered = s.eventsDelivered.load(std::memory_order_relaxed);
    c.batchesDelivered = s.batchesDelivered.load(std::memory_order_relaxed);
    c.duplicatesDropped = s.duplicatesDropped.load(std::memory_order_relaxed);
    c.gapsDetected = s.gapsDetected.load(std::memory_order_relaxed);
    c.malformedFrames = s.malformedFrames.load(std::memory_order_relaxed);
    c.oversizedFrames = s.oversizedFrames.load(std::memory_order_relaxed);
    c.reconnects = s.reconnects.load(std::memory_order_relaxed);
    c.backfillsRequested = s.backfillsRequested.load(std::memory_order_relaxed);
    return c;
}

QString LiveStream::stateText() const
{
    switch (m_state) {
    case StreamState::Idle:
        return tr("Live updates off");
    case StreamState::Connecting:
        return tr("Connecting to live updates…");
    case StreamState::Connected:
        return tr("Live");
    case StreamState::Backoff: {
        const qint64 ms = m_nextAttemptAtMs - QDateTime::currentMSecsSinceEpoch();
        const int seconds = static_cast<int>(std::max<qint64>(0, (ms + 999) / 1000));
        return tr("Live updates lost; retrying in %n second(s)", nullptr, seconds);
    }
    case StreamState::Unauthorized:
        return tr("Live updates stopped: the API key was rejected");
    case StreamState::Forbidden:
        return tr("Live updates stopped: access denied");
    }
    return QString();
}

void LiveStream::onBatch(const QList<StreamEvent> &events)
{
    // Cleared before the models run: the worker may prepare the next batch meanwhile, but
    // never queues a second one behind this.
    m_shared->batchInFlight.store(false);
    m_shared->eventsDelivered.fetch_add(static_cast<quint64>(events.size()),
                                        std::memory_order_relaxed);
    m_shared->batchesDelivered.fetch_add(1, std::memory_order_relaxed);
    Q_EMIT eventsReady(events);
}

void LiveStream::onBackfillNeeded(const QString &callId, BackfillReason reason)
{
    if (!m_subscribed.contains(callId))
        return;
    if (m_backfillInFlight.contains(callId)) {
        // The answer in flight may predate what was just missed: fetch once more after it.
        m_backfillAgain.insert(callId);
        return;
    }
    fetchBackfill(callId, reason);
}

void LiveStream::fetchBackfill(const QString &callId, BackfillReason reason)
{
    if (!m_platform)
        return;
    m_backfillInFlight.insert(callId);
    qCInfo(lcStream) << "backfilling a call by REST, reason" << static_cast<int>(reason);
    m_platform->callDetails(callId).onFinished(
        this, [this, callId, reason](const Result<CallDetails> &result) {
            m_backfillInFlight.remove(callId);
            if (result) {
                Q_EMIT snapshotReady(CallSnapshot{callId, reason, result.value()});
            } else {
                qCWarning(lcStream).noquote() << "backfill failed:" << result.error().caption();
                Q_EMIT backfillFailed(callId, result.error());
            }
            if (m_backfillAgain.remove(callId) && m_subscribed.contains(callId))
                fetchBackfill(callId, reason);
        });
}

void LiveStream::onWorkerState(StreamState state, qint64 nextAttemptAtMs)
{
    setStreamState(state, nextAttemptAtMs);
}

void LiveStream::setStreamState(StreamState state, qint64 nextAttemptAtMs)
{
    m_state = state;
    m_nextAttemptAtMs = state == StreamState::Backoff ? nextAttemptAtMs : 0;
    Q_EMIT stateChanged(m_state, m_nextAttemptAtMs);
}

} // namespace sb::api
