#include "speaknodestream.h"

#include "logging.h"
#include "platform.h"
#include "session.h"
#include "signalrclient.h"
#include "speaknodejson.h"
#include "speaknodeplatform.h"
#include "tokensource.h"

#include <QTimer>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace sb::api {

namespace {

bool isFinal(CallStatus s)
{
    return s == CallStatus::Completed || s == CallStatus::Failed || s == CallStatus::NoAnswer ||
           s == CallStatus::Busy || s == CallStatus::Canceled;
}

qint64 steadyNowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace

SpeakNodeStream::SpeakNodeStream(Platform *platform, QObject *parent)
    : LiveStream(platform, NoWorker{}, parent)
    , m_pollTimer(new QTimer(this))
    , m_flushTimer(new QTimer(this))
{
    Session *session = platform->session();
    m_client = new SignalRClient(session->networkAccessManager(), this);
    // The token is read at every connection attempt: an OAuth token refreshes under us.
    QPointer<Session> guard(session);
    m_client->setTokenProvider([guard]() -> QString {
        if (!guard)
            return QString();
        const QByteArray header = guard->authorizationHeader();
        return header.startsWith("Bearer ") ? QString::fromUtf8(header.mid(7)) : QString();
    });
    connect(m_client, &SignalRClient::invocation, this, &SpeakNodeStream::onInvocation);
    connect(m_client, &SignalRClient::stateChanged, this, &SpeakNodeStream::onHubState);
    connect(m_client, &SignalRClient::closedByServer, this,
            [this](const QString &, bool allowReconnect) { m_closedByServer = !allowReconnect; });
    connect(m_client, &SignalRClient::unauthorized, this, [guard] {
        // Negotiate refused the token: an OAuth source refreshes it before the next attempt.
        if (guard && guard->tokenSource())
            guard->tokenSource()->requestRefresh();
    });
    connect(m_client, &SignalRClient::connected, this, [this] {
        // Whatever changed while the hub was away is learnt by polling every subscribed call,
        // and for the calls channel by listing the active sessions.
        for (Tracked &t : m_tracked)
            t.lastPollMs = 0;
        tick();
        if (m_client->counters().connects > 1)
            catchUpChannel();
    });
    m_pollTimer->setTimerType(Qt::CoarseTimer);
    connect(m_pollTimer, &QTimer::timeout, this, &SpeakNodeStream::tick);
    m_flushTimer->setSingleShot(true);
    m_flushTimer->setTimerType(Qt::PreciseTimer);
    connect(m_flushTimer, &QTimer::timeout, this, &SpeakNodeStream::flush);
}

SpeakNodeStream::~SpeakNodeStream() = default;

QUrl SpeakNodeStream::hubUrlFor(const QUrl &restBase)
{
    const QString scheme = restBase.scheme().toLower();
    if (scheme != QLatin1String("http") && scheme != QLatin1String("https"))
        return QUrl();
    QUrl url = restBase;
    QString path = url.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    if (path.endsWith(QLatin1String("/api/v1")))
        path.chop(7);
    url.setPath(path + QLatin1String("/hubs/notifications"));
    url.setQuery(QString());
    url.setFragment(QString());
    return url;
}

QUrl SpeakNodeStream::streamUrl() const
{
    if (!m_hubOverride.isEmpty())
        return m_hubOverride;
    return platform() && platform()->session() ? hubUrlFor(platform()->session()->baseUrl())
                                               : QUrl();
}

void SpeakNodeStream::start()
{
    const QUrl url = streamUrl();
    if (!url.isValid()) {
        qCWarning(lcStream) << "speaknode: no hub URL: set the Session's base URL first";
        return;
    }
    m_closedByServer = false;
    const StreamOptions &o = options();
    SignalRClient::Options co = m_client->options();
    co.reconnectBaseMs = o.reconnectBaseMs;
    co.reconnectMaxMs = o.reconnectMaxMs;
    co.stableAfterMs = o.stableAfterMs;
    co.maxRecordBytes = o.maxFrameBytes;
    co.hardMessageLimitBytes = o.hardMessageLimitBytes;
    m_client->setOptions(co);
    m_client->setHubUrl(url);
    if (TokenSource *source = platform()->session()->tokenSource())
        connect(source, &TokenSource::accessTokenChanged, this,
                &SpeakNodeStream::onAccessTokenChanged, Qt::UniqueConnection);
    m_client->start();
    m_pollTimer->start(m_poll.tickMs);
}

void SpeakNodeStream::stop()
{
    m_client->stop();
    m_pollTimer->stop();
}

void SpeakNodeStream::setCallsChannel(bool enabled)
{
    m_channel = enabled;
}

void SpeakNodeStream::subscribeCall(const QString &callId, qint64 sinceSeq)
{
    if (callId.isEmpty())
        return;
    subscribedSet().insert(callId);
    Tracked &t = m_tracked[callId];
    if (sinceSeq > t.seq) {
        // The model holds events we have no record of (a new stream): continue above its seq,
        // and send the first poll as a snapshot that the models merge without duplicates.
        t.seq = sinceSeq;
        t.restart = true;
    }
    const auto hub = m_hubStatus.constFind(callId);
    if (!t.known && hub != m_hubStatus.constEnd()) {
        // The hub told its status already: a call not yet answered needs no poll.
        t.known = true;
        t.status = *hub;
    }
    t.lastPollMs = 0; // poll at once when due: this tells the transcript so far
    if (m_pollTimer->isActive())
        QTimer::singleShot(0, this, &SpeakNodeStream::tick);
}

void SpeakNodeStream::unsubscribeCall(const QString &callId)
{
    subscribedSet().remove(callId);
    m_tracked.remove(callId);
}

void SpeakNodeStream::setWatchedCall(const QString &callId)
{
    if (callId == watchedCall())
        return;
    LiveStream::setWatchedCall(callId);
    // Its next poll is due at once if the short interval has already passed.
    if (!callId.isEmpty() && m_pollTimer->isActive())
        QTimer::singleShot(0, this, &SpeakNodeStream::tick);
}

StreamCounters SpeakNodeStream::counters() const
{
    StreamCounters c;
    const SignalRClient::Counters &h = m_client->counters();
    c.eventsDelivered = m_eventsDelivered;
    c.batchesDelivered = m_batchesDelivered;
    c.malformedFrames = h.malformedRecords + m_malformedSessions;
    c.oversizedFrames = h.oversizedRecords;
    c.reconnects = h.reconnects;
    c.backfillsRequested = m_pollsSent;
    return c;
}

QString SpeakNodeStream::stateText() const
{
    switch (state()) {
    case StreamState::Connected:
        return tr("Live: call status pushed; transcripts polled every %n second(s)", nullptr,
                  (pollIntervalMs() + 999) / 1000);
    case StreamState::Idle:
        return m_closedByServer ? tr("Live updates stopped by the server")
                                : LiveStream::stateText();
    case StreamState::Unauthorized:
        return tr("Live updates stopped: the access token was rejected");
    default:
        return LiveStream::stateText();
    }
}

int SpeakNodeStream::pollIntervalMs() const
{
    return intervals().othersMs;
}

int SpeakNodeStream::watchedPollIntervalMs() const
{
    return intervals().watchedMs;
}

SpeakNodeStream::Intervals SpeakNodeStream::intervals() const
{
    Intervals out{m_poll.minIntervalMs, m_poll.minIntervalMs};
    int active = 0;
    bool watchedActive = false;
    for (auto it = m_tracked.cbegin(); it != m_tracked.cend(); ++it) {
        if (wantsPolling(*it)) {
            ++active;
            watchedActive = watchedActive || it.key() == watchedCall();
        }
    }
    const RateLimiter *limiter = platform() ? platform()->session()->rateLimiter() : nullptr;
    double perMinute = limiter ? limiter->ratePerMinute() * m_poll.budgetShare : 0.0;
    if (active <= 0 || perMinute <= 0)
        return out;
    // The watched call is polled every minIntervalMs, but takes at most half of the budget;
    // the others share the rest.
    const bool split = watchedActive && active > 1;
    if (split) {
        const double share = std::min(60000.0 / std::max(1, m_poll.minIntervalMs), perMinute / 2.0);
        out.watchedMs =
            std::max(m_poll.minIntervalMs, int(std::min(std::ceil(60000.0 / share), 3600000.0)));
        --active;
        perMinute -= share;
    }
    // n calls each polled every I ms make n·60000/I polls a minute: keep that within budget.
    const double interval = std::ceil(active * 60000.0 / perMinute);
    out.othersMs = std::max(m_poll.minIntervalMs, int(std::min(interval, 3600000.0)));
    if (!split)
        out.watchedMs = out.othersMs;
    return out;
}

bool SpeakNodeStream::wantsPolling(const Tracked &t) const
{
    return !t.known || t.status == CallStatus::InProgress || t.finalPending;
}

void SpeakNodeStream::onHubState()
{
    switch (m_client->state()) {
    case SignalRClient::State::Idle:
    case SignalRClient::State::Closed:
        setStreamState(StreamState::Idle);
        return;
    case SignalRClient::State::Connecting:
        setStreamState(StreamState::Connecting);
        return;
    case SignalRClient::State::Connected:
        setStreamState(StreamState::Connected);
        return;
    case SignalRClient::State::Backoff:
        setStreamState(StreamState::Backoff, m_client->nextAttemptAtMs());
        return;
    case SignalRClient::State::Unauthorized:
        setStreamState(StreamState::Unauthorized);
        Q_EMIT credentialRejected();
        return;
    }
}

void SpeakNodeStream::catchUpChannel()
{
    if (!m_channel || !platform())
        return;
    CallFilter active;
    active.status = CallStatus::InProgress;
    catchUpPage(platform()->calls(active, m_poll.catchUpPageSize, Lane::Background),
                std::make_shared<QSet<QString>>());
}

void SpeakNodeStream::catchUpPage(Pager<Call> pager, std::shared_ptr<QSet<QString>> running)
{
    ApiReply<Page<Call>> reply = pager.fetchNext();
    if (!reply.isValid())
        return;
    reply.onFinished(this, [this, pager, running](const Result<Page<Call>> &page) {
        if (!page) {
            qCInfo(lcStream).noquote() << "speaknode: catch-up failed:" << page.error().caption();
            return;
        }
        for (const Call &call : page.value().items) {
            running->insert(call.id);
            if (!m_started.contains(call.id))
                onSession(call); // started while the hub was away
        }
        if (pager.hasMore() && m_channel)
            catchUpPage(pager, running);
        else
            catchUpEnded(*running);
    });
}

void SpeakNodeStream::catchUpEnded(const QSet<QString> &running)
{
    // Announced as started, neither listed as active nor waiting to answer: ask how it ended
    // (the hub's end event was missed).
    const QSet<QString> started = m_started;
    for (const QString &id : started) {
        const CallStatus last = m_hubStatus.value(id, CallStatus::InProgress);
        if (running.contains(id) || last == CallStatus::Initiated || last == CallStatus::Ringing)
            continue;
        platform()
            ->callDetails(id, Lane::Background)
            .onFinished(this, [this](const Result<CallDetails> &d) {
                if (d && isFinal(d.value().call.status) && m_started.contains(d.value().call.id))
                    onSession(d.value().call);
            });
    }
}

void SpeakNodeStream::onAccessTokenChanged(const QString &token)
{
    if (!token.isEmpty() && m_client->state() == SignalRClient::State::Unauthorized)
        m_client->start();
}

void SpeakNodeStream::onInvocation(const QString &target, const QJsonArray &arguments)
{
    if (target != QLatin1String("AgentSessionUpdated"))
        return; // other hub methods are not part of the contract
    if (arguments.size() != 1) {
        ++m_malformedSessions;
        return;
    }
    Parsed<Call> parsed = speaknode::parseCall(arguments.at(0));
    if (!parsed.ok()) {
        ++m_malformedSessions;
        qCWarning(lcStream).noquote() << "speaknode: session dropped:" << parsed.error;
        return;
    }
    Call call = std::move(*parsed.value);
    if (auto *sn = qobject_cast<SpeakNodePlatform *>(platform()))
        call.direction = sn->directionOf(call);
    onSession(call);
}

void SpeakNodeStream::onSession(const Call &call)
{
    const bool ended = isFinal(call.status);
    if (ended)
        m_hubStatus.remove(call.id);
    else
        m_hubStatus.insert(call.id, call.status);
    if (m_channel) {
        if (ended) {
            m_started.remove(call.id);
            StreamEvent e;
            e.type = StreamEvent::Type::CallEnded;
            e.call = call;
            queue(e);
        } else if (!m_started.contains(call.id)) {
            m_started.insert(call.id);
            StreamEvent e;
            e.type = StreamEvent::Type::CallStarted;
            e.call = call;
            queue(e);
        }
    }
    const auto it = m_tracked.find(call.id);
    if (it == m_tracked.end())
        return;
    Tracked &t = *it;
    if (t.known && t.status == call.status)
        return;
    if (ended && !t.finalPending && (t.status == CallStatus::InProgress || !t.known)) {
        // The last lines were spoken since the last poll: fetch them before the call ends.
        t.finalPending = true;
        t.known = true;
        t.lastPollMs = 0;
        const QString id = call.id;
        const CallStatus status = call.status;
        QTimer::singleShot(m_poll.finalPollTimeoutMs, this, [this, id, status] {
            auto at = m_tracked.find(id);
            // The last poll is late (a tight budget): the end shows now, the last lines
            // follow when that poll answers (finalPending stays until then).
            if (at != m_tracked.end() && at->finalPending)
                emitStatus(id, *at, status);
        });
        tick();
        return;
    }
    emitStatus(call.id, t, call.status);
}

void SpeakNodeStream::emitStatus(const QString &callId, Tracked &t, CallStatus status)
{
    t.known = true;
    if (t.status == status && t.seq > 0)
        return;
    t.status = status;
    StreamEvent e = callEvent(StreamEvent::Type::Status, callId, t);
    e.status = status;
    queue(e);
}

StreamEvent SpeakNodeStream::callEvent(StreamEvent::Type type, const QString &callId,
                                       Tracked &t) const
{
    StreamEvent e;
    e.type = type;
    e.callId = callId;
    e.seq = ++t.seq;
    e.serverTsMs = QDateTime::currentMSecsSinceEpoch();
    return e;
}

void SpeakNodeStream::queue(StreamEvent event)
{
    event.receivedNs = steadyNowNs();
    m_pending.append(std::move(event));
    if (!m_flushTimer->isActive())
        m_flushTimer->start(qMax(0, options().batchIntervalMs));
}

void SpeakNodeStream::flush()
{
    if (m_pending.isEmpty())
        return;
    const QList<StreamEvent> batch = std::exchange(m_pending, {});
    m_eventsDelivered += quint64(batch.size());
    ++m_batchesDelivered;
    Q_EMIT eventsReady(batch);
}

} // namespace sb::api
