#include "simsignalr.h"

#include "simlive.h"
#include "simspeaknodejson.h"
#include "simstore.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QPointer>
#include <QTimer>
#include <QWebSocket>

Q_LOGGING_CATEGORY(lcSimSignalR, "switchboard.sim.signalr")

namespace {

// SignalR hub message types (JSON hub protocol, version 1).
enum MessageType {
    Invocation = 1,
    StreamItem = 2,
    Completion = 3,
    StreamInvocation = 4,
    CancelInvocation = 5,
    Ping = 6,
    Close = 7,
};

QByteArray recordOf(const QJsonObject &message)
{
    QByteArray text = QJsonDocument(message).toJson(QJsonDocument::Compact);
    text.append(SimSignalRHub::kRecordSeparator);
    return text;
}

} // namespace

struct SimSignalRHub::Client
{
    QWebSocket *socket = nullptr;
    QString connectionId;
    QString token;
    QString org;
    bool handshakeDone = false;
    bool closing = false;
    qint64 acceptedMs = 0;
    qint64 lastReceivedMs = 0;
    QByteArray partial; // a record not yet terminated by 0x1E
};

SimSignalRHub::SimSignalRHub(SimLiveEngine *engine, SimStore *store, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_store(store)
    , m_pingTimer(new QTimer(this))
    , m_checkTimer(new QTimer(this))
{
    // The Talknex stream hub may listen to the same engine: chain, and restore on destruction.
    m_previousCallEvent = m_engine->onCallEvent;
    m_engine->onCallEvent = [this](const QString &id, const SimLiveEvent &e) {
        if (m_previousCallEvent)
            m_previousCallEvent(id, e);
        callEvent(id, e);
    };
    connect(m_pingTimer, &QTimer::timeout, this, [this] {
        for (Client *c : std::as_const(m_clients)) {
            if (c->handshakeDone && !c->closing)
                sendRecord(c, {{QStringLiteral("type"), Ping}});
        }
    });
    setPingInterval(15000);
    m_checkTimer->setInterval(1000);
    connect(m_checkTimer, &QTimer::timeout, this, &SimSignalRHub::housekeeping);
    m_checkTimer->start();
}

SimSignalRHub::~SimSignalRHub()
{
    m_engine->onCallEvent = m_previousCallEvent;
    const QList<QWebSocket *> sockets = m_clients.keys();
    for (QWebSocket *ws : sockets) {
        ws->disconnect(this);
        ws->abort();
        delete m_clients.take(ws);
        ws->deleteLater();
    }
}

void SimSignalRHub::setPingInterval(int ms)
{
    m_pingTimer->start(qMax(10, ms));
}

void SimSignalRHub::accept(QWebSocket *ws)
{
    const QUrlQuery query(ws->requestUrl());
    const Negotiation n = m_negotiations.take(query.queryItemValue(QStringLiteral("id")));
    auto *c = new Client;
    c->socket = ws;
    c->connectionId = n.connectionId;
    c->org = n.org;
    // The gate checked this token (header or query); keep it for the expiry checks.
    QString token = query.queryItemValue(QStringLiteral("access_token"), QUrl::FullyDecoded);
    const QByteArray auth = ws->request().rawHeader("Authorization");
    if (auth.size() > 7 && auth.left(7).compare("Bearer ", Qt::CaseInsensitive) == 0)
        token = QString::fromLatin1(auth.mid(7).trimmed());
    c->token = token;
    c->acceptedMs = c->lastReceivedMs = QDateTime::currentMSecsSinceEpoch();
    ws->setParent(this);
    m_clients.insert(ws, c);
    if (c->org.isEmpty() || (orgForToken && orgForToken(token) != c->org)) {
        // Raced with a token expiry or an unknown id between the gate and here.
        closeClient(c, QStringLiteral("Unauthorized"), false);
        return;
    }
    connect(ws, &QWebSocket::textMessageReceived, this,
            [this, ws](const QString &text) { received(m_clients.value(ws), text); });
    connect(ws, &QWebSocket::binaryMessageReceived, this, [this, ws](const QByteArray &data) {
        received(m_clients.value(ws), QString::fromUtf8(data));
    });
    connect(ws, &QWebSocket::disconnected, this, [this, ws] { remove(ws); });
    qCDebug(lcSimSignalR) << "connection" << c->connectionId << "org" << c->org;
}

void SimSignalRHub::received(Client *c, const QString &text)
{
    if (!c || c->closing)
        return;
    c->lastReceivedMs = QDateTime::currentMSecsSinceEpoch();
    c->partial.append(text.toUtf8());
    qsizetype start = 0;
    for (;;) {
        const qsizetype end = c->partial.indexOf(kRecordSeparator, start);
        if (end < 0)
            break;
        if (end - start > kMaxClientRecordBytes) {
            closeClient(c, QStringLiteral("Record too large."), false);
            return;
        }
        record(c, c->partial.mid(start, end - start));
        if (c->closing) // also set when the socket closed inside record() (see remove())
            return;
        start = end + 1;
    }
    c->partial.remove(0, start);
    if (c->partial.size() > kMaxClientRecordBytes)
        closeClient(c, QStringLiteral("Record too large."), false);
}

void SimSignalRHub::record(Client *c, const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (!c->handshakeDone) {
        const QJsonObject h = doc.object();
        QString problem;
        if (error.error != QJsonParseError::NoError || !doc.isObject())
            problem = QStringLiteral("Handshake request is not a JSON object.");
        else if (h.value(QStringLiteral("protocol")).toString() != QLatin1String("json"))
            problem = QStringLiteral("The protocol '%1' is not supported.")
                          .arg(h.value(QStringLiteral("protocol")).toString());
        else if (h.value(QStringLiteral("version")).toInt(-1) != 1)
            problem = QStringLiteral("The server does not support version %1 of the 'json' "
                                     "protocol.")
                          .arg(h.value(QStringLiteral("version")).toInt(-1));
        if (!problem.isEmpty()) {
            c->socket->sendTextMessage(
                QString::fromUtf8(recordOf({{QStringLiteral("error"), problem}})));
            c->closing = true;
            c->socket->close();
            return;
        }
        c->handshakeDone = true;
        c->socket->sendTextMessage(QString::fromUtf8(recordOf({})));
        return;
    }
    const QJsonObject m = doc.object();
    if (error.error != QJsonParseError::NoError || !doc.isObject() ||
        !m.value(QStringLiteral("type")).isDouble()) {
        closeClient(c, QStringLiteral("Connection closed with an error: invalid message."), false);
        return;
    }
    switch (m.value(QStringLiteral("type")).toInt()) {
    case Ping:
        return;
    case Close:
        c->closing = true;
        c->socket->close();
        return;
    case Invocation:
    case StreamInvocation: {
        // The hub offers no methods to call; a blocking invocation gets an error completion.
        const QString id = m.value(QStringLiteral("invocationId")).toString();
        if (!id.isEmpty())
            sendRecord(c, {{QStringLiteral("type"), Completion},
                           {QStringLiteral("invocationId"), id},
                           {QStringLiteral("error"),
                            QStringLiteral("Failed to invoke '%1': the hub has no such method.")
                                .arg(m.value(QStringLiteral("target")).toString())}});
        return;
    }
    case CancelInvocation:
    case StreamItem:
    case Completion:
        return;
    default:
        return; // newer message types are ignored, as the protocol asks
    }
}

void SimSignalRHub::sendRecord(Client *c, const QJsonObject &message)
{
    c->socket->sendTextMessage(QString::fromUtf8(recordOf(message)));
}

void SimSignalRHub::closeClient(Client *c, const QString &error, bool allowReconnect)
{
    if (c->closing)
        return;
    c->closing = true;
    QJsonObject close{{QStringLiteral("type"), Close}};
    if (!error.isEmpty())
        close.insert(QStringLiteral("error"), error);
    close.insert(QStringLiteral("allowReconnect"), allowReconnect);
    if (c->handshakeDone)
        sendRecord(c, close);
    c->socket->close();
}

int SimSignalRHub::closeAll(const QString &error, bool allowReconnect)
{
    int n = 0;
    for (Client *c : std::as_const(m_clients)) {
        if (c->closing)
            continue;
        closeClient(c, error, allowReconnect);
        ++n;
    }
    return n;
}

void SimSignalRHub::housekeeping()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (auto it = m_negotiations.begin(); it != m_negotiations.end();) {
        if (now - it->createdMs > kNegotiationTtlMs)
            it = m_negotiations.erase(it);
        else
            ++it;
    }
    for (Client *c : std::as_const(m_clients)) {
        if (c->closing)
            continue;
        if (!c->handshakeDone && now - c->acceptedMs > kHandshakeTimeoutMs) {
            c->closing = true;
            c->socket->close();
        } else if (now - c->lastReceivedMs > kClientTimeoutMs) {
            closeClient(c,
                        QStringLiteral("Server timeout elapsed without receiving a message "
                                       "from the client."),
                        true);
        } else if (orgForToken && orgForToken(c->token) != c->org) {
            closeClient(c, QStringLiteral("Unauthorized: the access token expired."), true);
        }
    }
}

void SimSignalRHub::remove(QWebSocket *ws)
{
    // disconnected() can come from inside close() while a loop over the clients or a received
    // record is still using this one: mark it now, free it from the event loop.
    if (Client *c = m_clients.value(ws))
        c->closing = true;
    QMetaObject::invokeMethod(
        this,
        [this, ws] {
            delete m_clients.take(ws);
            ws->deleteLater();
        },
        Qt::QueuedConnection);
}

void SimSignalRHub::callEvent(const QString &callId, const SimLiveEvent &e)
{
    // Keys are sorted in the engine's compact JSON; a quoted "type":"status" inside a text
    // value would be escaped, so this test has no false positives.
    if (!e.head.contains("\"type\":\"status\""))
        return;
    const std::optional<SimCallRow> row = m_store->call(callId);
    if (!row)
        return;
    const QString status = SimSpeakNodeJson::sessionStatus(row->status);
    const bool ended = status == QLatin1String("Completed") || status == QLatin1String("Failed");
    // Several Talknex statuses share one SpeakNode status: publish changes only.
    const auto last = m_lastStatus.constFind(callId);
    if (last != m_lastStatus.constEnd() && *last == status)
        return;
    if (ended)
        m_lastStatus.remove(callId);
    else
        m_lastStatus.insert(callId, status);
    publish(*row);
}

void SimSignalRHub::publish(const SimCallRow &call)
{
    bool anyone = false;
    for (const Client *c : std::as_const(m_clients))
        anyone = anyone || (c->handshakeDone && !c->closing && c->org == call.org);
    if (!anyone || !sessionJson)
        return;
    const QString text = QString::fromUtf8(
        recordOf({{QStringLiteral("type"), Invocation},
                  {QStringLiteral("target"), QStringLiteral("AgentSessionUpdated")},
                  {QStringLiteral("arguments"), QJsonArray{sessionJson(call)}}}));
    for (Client *c : std::as_const(m_clients)) {
        if (c->handshakeDone && !c->closing && c->org == call.org) {
            c->socket->sendTextMessage(text);
            ++m_invocationsSent;
        }
    }
}
