#include "streamworker.h"

#include "logging.h"
#include "talknexstream.h"

#include <QDateTime>
#include <QNetworkRequest>
#include <QWebSocket>

#include <algorithm>
#include <chrono>
#include <utility>

namespace sb::api {

namespace {

constexpr int kCloseBadKey = 4001;
constexpr int kCloseForbidden = 4003;

qint64 steadyNowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace

StreamWorker::StreamWorker(std::shared_ptr<StreamShared> shared)
    : m_shared(std::move(shared))
    , m_pingTimer(new QTimer(this))
    , m_watchdog(new QTimer(this))
    , m_reconnectTimer(new QTimer(this))
    , m_flushTimer(new QTimer(this))
    , m_rng(QRandomGenerator::securelySeeded())
{
    m_watchdog->setSingleShot(true);
    m_reconnectTimer->setSingleShot(true);
    m_flushTimer->setSingleShot(true);
    m_pingTimer->setTimerType(Qt::CoarseTimer);
    m_flushTimer->setTimerType(Qt::PreciseTimer);
    connect(m_pingTimer, &QTimer::timeout, this, [this] {
        if (m_socket && m_state == StreamState::Connected)
            m_socket->ping();
    });
    connect(m_watchdog, &QTimer::timeout, this, &StreamWorker::onWatchdog);
    connect(m_reconnectTimer, &QTimer::timeout, this, [this] {
        m_shared->reconnects.fetch_add(1, std::memory_order_relaxed);
        connectNow();
    });
    connect(m_flushTimer, &QTimer::timeout, this, &StreamWorker::flush);
}

StreamWorker::~StreamWorker() = default;

void StreamWorker::start(const QUrl &url, const QByteArray &authorization,
                         const StreamOptions &options)
{
    m_url = url;
    m_authorization = authorization;
    m_options = options;
    m_running = true;
    m_attempt = 0;
    m_reconnectTimer->stop();
    dropSocket();
    connectNow();
}

void StreamWorker::stop()
{
    m_running = false;
    m_reconnectTimer->stop();
    m_pingTimer->stop();
    m_watchdog->stop();
    if (m_socket) {
        // Detached first: the closing handshake must not schedule a reconnect.
        QWebSocket *socket = std::exchange(m_socket, nullptr);
        socket->disconnect(this);
        connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
        QTimer::singleShot(2000, socket, [socket] {
            socket->abort();
            socket->deleteLater();
        });
        socket->close();
    }
    flush();
    setState(StreamState::Idle);
}

void StreamWorker::shutdown()
{
    m_running = false;
    m_pingTimer->stop();
    m_watchdog->stop();
    m_reconnectTimer->stop();
    m_flushTimer->stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        delete m_socket;
        m_socket = nullptr;
    }
}

void StreamWorker::setCallsChannel(bool enabled)
{
    if (m_callsChannel == enabled)
        return;
    m_callsChannel = enabled;
    // The contract has no channel unsubscribe: a disabled channel is filtered here instead.
    if (enabled && m_state == StreamState::Connected)
        send(talknex::subscribeCallsMessage());
}

void StreamWorker::subscribeCall(const QString &callId, qint64 sinceSeq)
{
    if (m_calls.contains(callId))
        return;
    m_calls.insert(callId);
    if (sinceSeq > 0)
        m_seq.skipTo(callId, sinceSeq);
    if (m_state == StreamState::Connected)
        send(talknex::subscribeCallMessage(callId, m_seq.last(callId)));
}

void StreamWorker::unsubscribeCall(const QString &callId)
{
    if (!m_calls.remove(callId))
        return;
    m_seq.forget(callId);
    if (m_state == StreamState::Connected)
        send(talknex::unsubscribeCallMessage(callId));
}

void StreamWorker::connectNow()
{
    if (!m_running)
        return;
    dropSocket();
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    // QWebSocket closes the socket above its limit; ours (maxFrameBytes) only drops the frame.
    m_socket->setMaxAllowedIncomingMessageSize(
        static_cast<quint64>(std::max(m_options.hardMessageLimitBytes, m_options.maxFrameBytes)));
    connect(m_socket, &QWebSocket::connected, this, &StreamWorker::onConnected);
    connect(m_socket, &QWebSocket::disconnected, this, &StreamWorker::onDisconnected);
    connect(m_socket, &QWebSocket::textMessageReceived, this, &StreamWorker::onText);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, &StreamWorker::onBinary);
    connect(m_socket, &QWebSocket::pong, this, [this] { markLife(); });
    connect(m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this](QAbstractSocket::SocketError error) {
                qCInfo(lcStream) << "socket error" << error;
                // A refused or failed handshake may end without disconnected(): treat it the same.
                if (m_socket && m_socket->state() == QAbstractSocket::UnconnectedState)
                    onDisconnected();
            });

    QNetworkRequest request(m_url);
    request.setRawHeader("Authorization", m_authorization); // never logged
    m_sinceConnected.invalidate();
    markLife();
    m_watchdog->start(m_options.deadTimeoutMs); // also bounds a hanging handshake
    setState(StreamState::Connecting);
    qCInfo(lcStream).noquote() << "connecting to" << m_url.toDisplayString(QUrl::RemoveUserInfo);
    m_socket->open(request);
}

void StreamWorker::onConnected()
{
    m_sinceConnected.start();
    markLife();
    m_pingTimer->start(m_options.pingIntervalMs);
    setState(StreamState::Connected);
    qCInfo(lcStream) << "connected;" << m_calls.size() << "call subscriptions";
    if (m_callsChannel)
        send(talknex::subscribeCallsMessage());
    for (const QString &callId : std::as_const(m_calls))
        send(talknex::subscribeCallMessage(callId, m_seq.last(callId)));
}

void StreamWorker::onDisconnected()
{
    if (!m_socket)
        return;
    const int code = static_cast<int>(m_socket->closeCode());
    const QString reason = m_socket->closeReason();
    dropSocket();
    qCInfo(lcStream).noquote() << "disconnected, close code" << code << reason;
    if (code == kCloseBadKey || code == kCloseForbidden) {
        m_running = false;
        flush();
        const bool badKey = code == kCloseBadKey;
        setState(badKey ? StreamState::Unauthorized : StreamState::Forbidden);
        if (badKey)
            Q_EMIT credentialRejected();
        else
            Q_EMIT accessForbidden();
        return;
    }
    scheduleReconnect(); // 4008 (too slow a reader) and everything else
}

void StreamWorker::onWatchdog()
{
    if (!m_socket)
        return;
    const qint64 remaining = m_options.deadTimeoutMs - m_sinceLife.elapsed();
    if (remaining > 0) {
        m_watchdog->start(static_cast<int>(remaining));
        return;
    }
    qCWarning(lcStream) << "no frame or pong for" << m_sinceLife.elapsed()
                        << "ms: socket declared dead";
    dropSocket();
    scheduleReconnect();
}

void StreamWorker::onText(const QString &text)
{
    const qint64 receivedNs = steadyNowNs();
    markLife();
    // Each UTF-16 unit is at least one UTF-8 byte: too many units means too many bytes.
    if (text.size() > m_options.maxFrameBytes) {
        m_shared->oversizedFrames.fetch_add(1, std::memory_order_relaxed);
        qCWarning(lcStream) << "dropped oversized frame of" << text.size() << "characters";
        return;
    }
    talknex::FrameParse parsed =
        talknex::parseStreamFrame(text.toUtf8(), receivedNs, m_options.maxFrameBytes);
    if (!parsed.ok()) {
        auto &counter = parsed.problem == talknex::FrameParse::Problem::Oversized
                            ? m_shared->oversizedFrames
                            : m_shared->malformedFrames;
        counter.fetch_add(1, std::memory_order_relaxed);
        qCWarning(lcStream).noquote() << "dropped frame:" << parsed.error;
        return;
    }
    handleEvent(std::move(*parsed.event));
}

void StreamWorker::onBinary(const QByteArray &data)
{
    markLife();
    m_shared->malformedFrames.fetch_add(1, std::memory_order_relaxed);
    qCWarning(lcStream) << "dropped binary frame of" << data.size() << "bytes";
}

void StreamWorker::handleEvent(StreamEvent &&event)
{
    using Type = StreamEvent::Type;
    if (event.type == Type::CallStarted || event.type == Type::CallEnded) {
        if (m_callsChannel)
            enqueue(std::move(event));
        return;
    }
    if (event.type == Type::Error) {
        const QString &callId = event.callId;
        qCInfo(lcStream).noquote() << "server error" << event.errorCode << event.errorMessage;
        if (!callId.isEmpty() && m_calls.contains(callId)) {
            if (event.errorCode == QLatin1String("replay_gap")) {
                // The server replays from oldestSeq on: those events are not a second gap.
                if (event.oldestSeq)
                    m_seq.skipTo(callId, *event.oldestSeq - 1);
                requestBackfill(callId, BackfillReason::ReplayGap);
            } else if (event.errorCode == QLatin1String("not_live")) {
                requestBackfill(callId, BackfillReason::NotLive);
                m_calls.remove(callId); // nothing more will come; do not resubscribe
                m_seq.forget(callId);
            } else if (event.errorCode == QLatin1String("not_found") ||
                       event.errorCode == QLatin1String("forbidden")) {
                m_calls.remove(callId);
                m_seq.forget(callId);
            }
        }
        enqueue(std::move(event));
        return;
    }
    if (!m_calls.contains(event.callId))
        return; // in flight when we unsubscribed
    switch (m_seq.observe(event.callId, event.seq)) {
    case SeqTracker::Verdict::Duplicate:
        m_shared->duplicatesDropped.fetch_add(1, std::memory_order_relaxed);
        return;
    case SeqTracker::Verdict::Gap:
        m_shared->gapsDetected.fetch_add(1, std::memory_order_relaxed);
        qCInfo(lcStream) << "seq gap on a call, now at" << event.seq;
        requestBackfill(event.callId, BackfillReason::Gap);
        break;
    case SeqTracker::Verdict::Apply:
        break;
    }
    enqueue(std::move(event));
}

void StreamWorker::requestBackfill(const QString &callId, BackfillReason reason)
{
    m_shared->backfillsRequested.fetch_add(1, std::memory_order_relaxed);
    Q_EMIT backfillNeeded(callId, reason);
}

void StreamWorker::enqueue(StreamEvent &&event)
{
    m_pending.append(std::move(event));
    scheduleFlush();
}

void StreamWorker::scheduleFlush()
{
    if (m_flushTimer->isActive())
        return;
    // After a quiet spell the first event goes out at once; later ones wait for the interval.
    qint64 wait = 0;
    if (m_sinceFlush.isValid())
        wait = std::max<qint64>(0, m_options.batchIntervalMs - m_sinceFlush.elapsed());
    m_flushTimer->start(static_cast<int>(wait));
}

void StreamWorker::flush()
{
    if (m_pending.isEmpty())
        return;
    if (m_shared->batchInFlight.exchange(true)) {
        // The GUI has not taken the previous batch yet: keep collecting, never queue up, and
        // look again soon so the batch goes out as soon as the GUI is free (the interval since
        // the last batch has already passed).
        m_flushTimer->start(1);
        return;
    }
    m_sinceFlush.start();
    QList<StreamEvent> batch;
    batch.swap(m_pending);
    Q_EMIT batchReady(batch);
}

void StreamWorker::dropSocket()
{
    m_pingTimer->stop();
    m_watchdog->stop();
    if (!m_socket)
        return;
    QWebSocket *socket = m_socket;
    m_socket = nullptr;
    socket->disconnect(this);
    if (socket->state() != QAbstractSocket::UnconnectedState)
        socket->abort();
    socket->deleteLater();
}

void StreamWorker::scheduleReconnect()
{
    if (!m_running)
        return;
    if (m_sinceConnected.isValid() && m_sinceConnected.elapsed() >= m_options.stableAfterMs)
        m_attempt = 0;
    // Capped exponential backoff with "equal jitter": 50–100 % of the cap, never a tight loop.
    const qint64 cap = std::min<qint64>(m_options.reconnectMaxMs, qint64(m_options.reconnectBaseMs)
                                                                      << std::min(m_attempt, 20));
    const qint64 delay = cap / 2 + static_cast<qint64>(m_rng.bounded(quint32(cap / 2 + 1)));
    ++m_attempt;
    const qint64 nextAt = QDateTime::currentMSecsSinceEpoch() + delay;
    setState(StreamState::Backoff, nextAt);
    qCInfo(lcStream) << "reconnecting in" << delay << "ms";
    m_reconnectTimer->start(static_cast<int>(delay));
}

void StreamWorker::setState(StreamState state, qint64 nextAttemptAtMs)
{
    if (m_state == state && nextAttemptAtMs == 0)
        return;
    m_state = state;
    Q_EMIT stateChanged(state, nextAttemptAtMs);
}

void StreamWorker::send(const QByteArray &message)
{
    if (m_socket)
        m_socket->sendTextMessage(QString::fromUtf8(message));
}

} // namespace sb::api
