#include "simstream.h"

#include "simauth.h"
#include "simlive.h"
#include "simstore.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QTimer>
#include <QWebSocket>

#include <QPointer>
#include <QTcpSocket>

#include <cmath>

Q_LOGGING_CATEGORY(lcSimStream, "switchboard.sim.stream")

//! One stream socket and what it asked for.
struct SimStreamHub::Client
{
    QWebSocket *ws = nullptr;
    QString org, key;
    bool closing = false;
    bool calls = false; // subscribed to the `calls` channel
    QSet<QString> subs;
    qint64 stallUntil = 0; // epoch ms
    int malformedNext = 0;
    QList<QByteArray> held; // frames kept back while stalled
    qint64 heldBytes = 0;
};

namespace {

QByteArray withTs(const QByteArray &head)
{
    return head + ",\"ts\":" + QByteArray::number(QDateTime::currentMSecsSinceEpoch()) + '}';
}

constexpr QWebSocketProtocol::CloseCode code(int c)
{
    return static_cast<QWebSocketProtocol::CloseCode>(c);
}

} // namespace

SimStreamHub::SimStreamHub(SimLiveEngine *engine, SimKeyRing *keys, SimStore *store,
                           QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_keys(keys)
    , m_store(store)
    , m_pingTimer(new QTimer(this))
    , m_faultTimer(new QTimer(this))
{
    m_engine->onCallEvent = [this](const QString &id, const SimLiveEvent &e) { callEvent(id, e); };
    m_engine->onChannelEvent = [this](const QString &org, const QByteArray &head) {
        channelEvent(org, head);
    };
    m_engine->onCallDropped = [this](const QString &id) { callDropped(id); };
    connect(m_pingTimer, &QTimer::timeout, this, [this] {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (Client *c : std::as_const(m_clients)) {
            if (!c->closing && c->stallUntil <= now)
                c->ws->ping();
        }
    });
    setPingInterval(15000);
    m_faultTimer->setInterval(1000);
    connect(m_faultTimer, &QTimer::timeout, this, &SimStreamHub::rollFaults);
    m_faultTimer->start();
}

SimStreamHub::~SimStreamHub()
{
    // The engine may outlive the hub, and sockets must not call back into a hub being torn
    // down (their disconnected() fires while they are destroyed).
    m_engine->onCallEvent = nullptr;
    m_engine->onChannelEvent = nullptr;
    m_engine->onCallDropped = nullptr;
    const auto clients = m_clients;
    m_clients.clear();
    for (auto it = clients.begin(); it != clients.end(); ++it) {
        disconnect(it.key(), nullptr, this, nullptr);
        it.key()->abort();
        delete it.key();
        delete it.value();
    }
}

void SimStreamHub::setPingInterval(int ms)
{
    m_pingTimer->start(qMax(10, ms));
}

void SimStreamHub::accept(QWebSocket *socket)
{
    socket->setParent(this);
    auto *c = new Client;
    c->ws = socket;
    m_clients.insert(socket, c);
    connect(socket, &QWebSocket::disconnected, this, [this, socket] { remove(socket); });
    connect(socket, &QWebSocket::textMessageReceived, this, [this, socket](const QString &m) {
        if (Client *client = m_clients.value(socket))
            received(client, m);
    });
    connect(socket, &QWebSocket::binaryMessageReceived, this, [this, socket] {
        if (Client *client = m_clients.value(socket))
            sendError(client, QStringLiteral("bad_request"),
                      QStringLiteral("Messages must be JSON text frames"));
    });
    const QByteArray auth = socket->request().rawHeader("Authorization");
    c->key = auth.startsWith("Bearer ") ? QString::fromUtf8(auth.mid(7).trimmed()) : QString();
    c->org = m_keys->orgForKey(c->key);
    if (c->org.isEmpty()) {
        const QString why = c->key.isEmpty()          ? QStringLiteral("Missing bearer API key")
                            : m_keys->isKnown(c->key) ? QStringLiteral("This API key was revoked")
                                                      : QStringLiteral("Unknown API key");
        c->closing = true;
        socket->close(code(4001), why);
        QTimer::singleShot(5000, socket, [socket] { socket->abort(); });
        return;
    }
    qCDebug(lcSimStream) << "stream socket of" << c->org;
}

void SimStreamHub::remove(QWebSocket *socket)
{
    Client *c = m_clients.take(socket);
    if (!c)
        return;
    for (const QString &id : std::as_const(c->subs)) {
        auto it = m_subscribers.find(id);
        if (it != m_subscribers.end()) {
            it->remove(c);
            if (it->isEmpty())
                m_subscribers.erase(it);
        }
    }
    delete c;
    disconnect(socket, nullptr, this, nullptr);
    socket->deleteLater();
}

void SimStreamHub::received(Client *c, const QString &message)
{
    if (c->closing)
        return;
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(message.toUtf8(), &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject())
        return sendError(c, QStringLiteral("bad_request"),
                         QStringLiteral("Messages must be JSON objects"));
    const QJsonObject o = doc.object();
    const QString type = o.value(QLatin1String("type")).toString();
    const QJsonValue channel = o.value(QLatin1String("channel"));
    const QJsonValue callId = o.value(QLatin1String("callId"));
    const bool wantsChannel = !channel.isUndefined();
    if (type != QLatin1String("subscribe") && type != QLatin1String("unsubscribe"))
        return sendError(c, QStringLiteral("bad_request"),
                         QStringLiteral("type must be subscribe or unsubscribe"));
    if (wantsChannel == !callId.isUndefined())
        return sendError(c, QStringLiteral("bad_request"),
                         QStringLiteral("Give either channel or callId"));
    if (wantsChannel) {
        if (channel.toString() != QLatin1String("calls"))
            return sendError(c, QStringLiteral("bad_request"),
                             QStringLiteral("The only channel is \"calls\""));
        c->calls = type == QLatin1String("subscribe");
        return;
    }
    if (!callId.isString() || callId.toString().isEmpty())
        return sendError(c, QStringLiteral("bad_request"),
                         QStringLiteral("callId must be a non-empty string"));
    if (type == QLatin1String("subscribe"))
        return subscribe(c, o);
    const QString id = callId.toString();
    c->subs.remove(id);
    auto it = m_subscribers.find(id);
    if (it != m_subscribers.end()) {
        it->remove(c);
        if (it->isEmpty())
            m_subscribers.erase(it);
    }
}

void SimStreamHub::subscribe(Client *c, const QJsonObject &o)
{
    const QString id = o.value(QLatin1String("callId")).toString();
    const QJsonValue sinceValue = o.value(QLatin1String("since"));
    qint64 since = 0;
    if (!sinceValue.isUndefined() && !sinceValue.isNull()) {
        const double v = sinceValue.toDouble(-1);
        if (!sinceValue.isDouble() || v < 0 || v != std::floor(v) || v > 9.0e15)
            return sendError(c, QStringLiteral("bad_request"),
                             QStringLiteral("since must be a non-negative integer"), id);
        since = qint64(v);
    }
    const std::optional<SimLiveBuffer> buf = m_engine->buffer(id);
    if (!buf) {
        const std::optional<SimCallRow> row = m_store->call(id);
        if (!row)
            return sendError(c, QStringLiteral("not_found"), QStringLiteral("No such call"), id);
        if (row->org != c->org)
            return sendError(c, QStringLiteral("forbidden"),
                             QStringLiteral("This call belongs to another organization"), id);
        return sendError(c, QStringLiteral("not_live"),
                         QStringLiteral("The call is not live any more; fetch it by REST"), id);
    }
    if (buf->org != c->org)
        return sendError(c, QStringLiteral("forbidden"),
                         QStringLiteral("This call belongs to another organization"), id);
    const qint64 oldest = buf->events->empty() ? buf->lastSeq + 1 : buf->events->front().seq;
    if (since + 1 < oldest)
        sendError(c, QStringLiteral("replay_gap"),
                  QStringLiteral("Events after %1 are no longer kept; replaying from %2")
                      .arg(since)
                      .arg(oldest),
                  id, oldest);
    for (const SimLiveEvent &e : *buf->events) {
        if (e.seq > since)
            send(c, e.head);
    }
    if (!buf->ended && !c->closing) {
        c->subs.insert(id);
        m_subscribers[id].insert(c);
    }
}

void SimStreamHub::sendError(Client *c, const QString &codeName, const QString &message,
                             const QString &callId, qint64 oldestSeq)
{
    QJsonObject e{{QStringLiteral("type"), QStringLiteral("error")},
                  {QStringLiteral("code"), codeName},
                  {QStringLiteral("message"), message}};
    if (!callId.isEmpty())
        e.insert(QStringLiteral("callId"), callId);
    if (oldestSeq >= 0)
        e.insert(QStringLiteral("oldestSeq"), oldestSeq);
    QByteArray head = QJsonDocument(e).toJson(QJsonDocument::Compact);
    head.chop(1);
    write(c, withTs(head));
}

void SimStreamHub::send(Client *c, const QByteArray &head)
{
    write(c, withTs(head));
    ++m_eventsSent;
}

void SimStreamHub::write(Client *c, const QByteArray &frame)
{
    if (c->closing)
        return;
    if (c->stallUntil > QDateTime::currentMSecsSinceEpoch()) {
        c->held.append(frame);
        c->heldBytes += frame.size();
    } else {
        if (c->malformedNext > 0) {
            --c->malformedNext;
            c->ws->sendTextMessage(QStringLiteral("{\"type\":\"transcript\",\"callId\":"));
        }
        c->ws->sendTextMessage(QString::fromUtf8(frame));
    }
    if (c->heldBytes + c->ws->bytesToWrite() > kMaxQueuedBytes) {
        qCInfo(lcSimStream) << "closing a slow reader" << c->ws->bytesToWrite() << c->heldBytes;
        QWebSocket *ws = c->ws;
        c->closing = true;
        c->held.clear();
        QTimer::singleShot(5000, ws, [ws] { ws->abort(); });
        ws->close(code(4008), QStringLiteral("Too slow a reader"));
    }
}

void SimStreamHub::callEvent(const QString &callId, const SimLiveEvent &event)
{
    const auto it = m_subscribers.constFind(callId);
    if (it == m_subscribers.constEnd())
        return;
    const QByteArray frame = withTs(event.head);
    const QSet<Client *> clients = *it; // write() may close a client
    for (Client *c : clients) {
        write(c, frame);
        ++m_eventsSent;
    }
}

void SimStreamHub::channelEvent(const QString &org, const QByteArray &head)
{
    const QByteArray frame = withTs(head);
    const auto clients = m_clients;
    for (Client *c : clients) {
        if (c->calls && c->org == org)
            write(c, frame);
    }
}

void SimStreamHub::callDropped(const QString &callId)
{
    const QSet<Client *> clients = m_subscribers.take(callId);
    for (Client *c : clients)
        c->subs.remove(callId);
}

void SimStreamHub::dropAll()
{
    const auto sockets = m_clients.keys();
    for (QWebSocket *ws : sockets)
        ws->abort(); // disconnected() removes it
}

void SimStreamHub::stall(Client *c, int ms)
{
    const qint64 until = QDateTime::currentMSecsSinceEpoch() + ms;
    if (until <= c->stallUntil)
        return;
    const bool alreadyStalled = c->stallUntil > QDateTime::currentMSecsSinceEpoch();
    c->stallUntil = until;
    if (alreadyStalled)
        return; // the pending resume sees the later end and waits for it
    // QWebSocket answers pings by itself, so holding frames back is not enough to look dead:
    // stop the socket from reading at all (no pings seen, no pongs sent), as a wedged peer does.
    QPointer<QTcpSocket> tcp = connectionOf ? connectionOf(c->ws) : nullptr;
    if (tcp)
        tcp->blockSignals(true);
    resumeWhenDue(c->ws, tcp);
}

void SimStreamHub::resumeWhenDue(QWebSocket *ws, QPointer<QTcpSocket> tcp)
{
    Client *c = m_clients.value(ws);
    if (!c) {
        if (tcp)
            tcp->blockSignals(false);
        return;
    }
    const qint64 left = c->stallUntil - QDateTime::currentMSecsSinceEpoch();
    if (left > 0) {
        // Timers may fire a little early; come back for the rest.
        QTimer::singleShot(int(left), Qt::PreciseTimer, ws,
                           [this, ws, tcp] { resumeWhenDue(ws, tcp); });
        return;
    }
    if (tcp) {
        tcp->blockSignals(false);
        // The peer may have given up meanwhile; its close went unseen while blocked.
        if (tcp->state() != QAbstractSocket::ConnectedState) {
            ws->abort();
            return;
        }
        if (tcp->bytesAvailable() > 0)
            Q_EMIT tcp->readyRead();
    }
    // What was held back goes out now, in order, as a real stalled connection would.
    const QList<QByteArray> held = std::exchange(c->held, {});
    c->heldBytes = 0;
    for (const QByteArray &frame : held)
        write(c, frame);
}

void SimStreamHub::stallAll(int ms)
{
    for (Client *c : std::as_const(m_clients))
        stall(c, ms);
}

void SimStreamHub::malformedNext(int n)
{
    for (Client *c : std::as_const(m_clients))
        c->malformedNext += n;
}

void SimStreamHub::revoked(const QString &key)
{
    for (Client *c : std::as_const(m_clients)) {
        if (c->key == key && !c->closing) {
            QWebSocket *ws = c->ws;
            c->closing = true;
            QTimer::singleShot(5000, ws, [ws] { ws->abort(); });
            ws->close(code(4001), QStringLiteral("This API key was revoked"));
        }
    }
}

void SimStreamHub::rollFaults()
{
    QRandomGenerator *rng = QRandomGenerator::global();
    const auto clients = m_clients;
    for (auto it = clients.begin(); it != clients.end(); ++it) {
        Client *c = it.value();
        if (c->closing)
            continue;
        if (m_faults.dropRate > 0 && rng->generateDouble() < m_faults.dropRate) {
            it.key()->abort();
            continue;
        }
        if (m_faults.malformedRate > 0 && rng->generateDouble() < m_faults.malformedRate)
            c->malformedNext = qMax(c->malformedNext, 1);
        if (m_faults.stallRate > 0 && rng->generateDouble() < m_faults.stallRate)
            stall(c, kStallMs);
    }
}
