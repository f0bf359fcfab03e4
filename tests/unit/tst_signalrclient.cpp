// SignalRClient against a tiny in-test hub on 127.0.0.1: one port answers negotiate over HTTP
// and hands WebSocket upgrades to a QWebSocketServer, like an ASP.NET Core hub does.

#include "api/signalrclient.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QPointer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketServer>

using namespace sb::api;

namespace {

//! The scripted hub. Negotiate answers `negotiateStatus` (200 with a fresh connection token);
//! the socket's handshake is answered per `handshake`; everything the client sends is kept.
class FakeHub : public QObject
{
public:
    enum class Handshake { Accept, Refuse, Ignore, Garbage };

    int negotiateStatus = 200;
    QByteArray negotiateBody; // overrides the generated answer
    Handshake handshake = Handshake::Accept;
    bool pingBack = false;

    QList<QByteArray> negotiateAuth; // Authorization header of each negotiate
    QList<QString> negotiateTargets;
    QList<QUrl> socketUrls;
    QList<QByteArray> received; // records from the client, without separators
    QList<QPointer<QWebSocket>> sockets;

    FakeHub()
        : m_ws(QStringLiteral("fake-hub"), QWebSocketServer::NonSecureMode)
    {
        QVERIFY(m_tcp.listen(QHostAddress::LocalHost));
        connect(&m_tcp, &QTcpServer::newConnection, this, &FakeHub::onTcp);
        connect(&m_ws, &QWebSocketServer::newConnection, this, [this] {
            while (QWebSocket *s = m_ws.nextPendingConnection())
                onSocket(s);
        });
    }
    QUrl hubUrl() const
    {
        return QUrl(
            QStringLiteral("http://127.0.0.1:%1/hubs/notifications").arg(m_tcp.serverPort()));
    }
    QWebSocket *last() const { return sockets.isEmpty() ? nullptr : sockets.last().data(); }
    void send(const QByteArray &records)
    {
        if (QWebSocket *s = last())
            s->sendTextMessage(QString::fromUtf8(records));
    }
    int pingsReceived() const
    {
        int n = 0;
        for (const QByteArray &r : received)
            n += r == R"({"type":6})" ? 1 : 0;
        return n;
    }

private:
    void onTcp()
    {
        while (QTcpSocket *s = m_tcp.nextPendingConnection()) {
            connect(s, &QTcpSocket::readyRead, this, [this, s] { onHttp(s); });
            connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
        }
    }
    void onHttp(QTcpSocket *s)
    {
        const QByteArray peek = s->peek(s->bytesAvailable());
        const qsizetype end = peek.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QByteArray head = peek.left(end);
        if (head.toLower().contains("upgrade: websocket")) {
            // Unread: the WebSocket server reads the upgrade request itself.
            s->disconnect(this);
            disconnect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            m_ws.handleConnection(s);
            return;
        }
        s->read(end + 4);
        const QList<QByteArray> lines = head.split('\n');
        negotiateTargets.append(QString::fromLatin1(lines.value(0).split(' ').value(1)));
        QByteArray auth;
        for (const QByteArray &l : lines) {
            if (l.toLower().startsWith("authorization:"))
                auth = l.mid(14).trimmed();
        }
        negotiateAuth.append(auth);
        QByteArray body = negotiateBody;
        if (body.isEmpty() && negotiateStatus == 200) {
            ++m_connections;
            body = QJsonDocument(
                       QJsonObject{{QStringLiteral("negotiateVersion"), 1},
                                   {QStringLiteral("connectionId"),
                                    QStringLiteral("conn%1").arg(m_connections)},
                                   {QStringLiteral("connectionToken"),
                                    QStringLiteral("tok+%1").arg(m_connections)},
                                   {QStringLiteral("availableTransports"),
                                    QJsonArray{QJsonObject{
                                        {QStringLiteral("transport"), QStringLiteral("WebSockets")},
                                        {QStringLiteral("transferFormats"),
                                         QJsonArray{QStringLiteral("Text")}}}}}})
                       .toJson(QJsonDocument::Compact);
        }
        s->write("HTTP/1.1 " + QByteArray::number(negotiateStatus) +
                 " X\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " +
                 QByteArray::number(body.size()) + "\r\n\r\n" + body);
        s->disconnectFromHost();
    }
    void onSocket(QWebSocket *s)
    {
        s->setParent(this);
        sockets.append(s);
        socketUrls.append(s->requestUrl());
        auto handshaken = std::make_shared<bool>(false);
        connect(s, &QWebSocket::textMessageReceived, this, [this, s, handshaken](const QString &t) {
            const QList<QByteArray> records = t.toUtf8().split('\x1e');
            for (qsizetype i = 0; i + 1 < records.size(); ++i) {
                received.append(records.at(i));
                if (!*handshaken) {
                    *handshaken = true;
                    switch (handshake) {
                    case Handshake::Accept:
                        s->sendTextMessage(QStringLiteral("{}\x1e"));
                        break;
                    case Handshake::Refuse:
                        s->sendTextMessage(QStringLiteral("{\"error\":\"no such protocol\"}\x1e"));
                        s->close();
                        break;
                    case Handshake::Garbage:
                        s->sendTextMessage(QStringLiteral("hello\x1e"));
                        break;
                    case Handshake::Ignore:
                        break;
                    }
                } else if (pingBack && records.at(i) == R"({"type":6})") {
                    s->sendTextMessage(QStringLiteral("{\"type\":6}\x1e"));
                }
            }
        });
    }

    QTcpServer m_tcp;
    QWebSocketServer m_ws;
    int m_connections = 0;
};

SignalRClient::Options fastOptions()
{
    SignalRClient::Options o;
    o.pingIntervalMs = 100;
    o.serverTimeoutMs = 600;
    o.handshakeTimeoutMs = 1000;
    o.reconnectBaseMs = 50;
    o.reconnectMaxMs = 200;
    return o;
}

} // namespace

class TstSignalRClient : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void connectsAndDeliversInvocations();
    void malformedAndOversizedRecordsAreDropped();
    void pingsAndDeadServer();
    void closeMessages();
    void lostSocketReconnectsWithBackoff();
    void handshakeFailures();
    void unauthorizedNegotiate();
    void noWebSocketTransport();
};

void TstSignalRClient::connectsAndDeliversInvocations()
{
    FakeHub hub;
    QNetworkAccessManager nam;
    SignalRClient client(&nam);
    client.setHubUrl(hub.hubUrl());
    client.setOptions(fastOptions());
    client.setTokenProvider([] { return QStringLiteral("secret+token"); });
    QSignalSpy connected(&client, &SignalRClient::connected);
    QSignalSpy invocations(&client, &SignalRClient::invocation);
    client.start();
    QTRY_COMPARE(connected.size(), 1);
    QCOMPARE(client.state(), SignalRClient::State::Connected);
    QCOMPARE(client.connectionId(), QStringLiteral("conn1"));
    // Negotiate: POST with the bearer token and negotiateVersion=1.
    QCOMPARE(hub.negotiateAuth.value(0), QByteArray("Bearer secret+token"));
    QCOMPARE(hub.negotiateTargets.value(0),
             QStringLiteral("/hubs/notifications/negotiate?negotiateVersion=1"));
    // The socket: the connection token as id, the access token in the query.
    const QUrlQuery q(hub.socketUrls.value(0));
    QCOMPARE(q.queryItemValue(QStringLiteral("id"), QUrl::FullyDecoded), QStringLiteral("tok+1"));
    QCOMPARE(q.queryItemValue(QStringLiteral("access_token"), QUrl::FullyDecoded),
             QStringLiteral("secret+token"));
    QCOMPARE(hub.received.value(0), QByteArray(R"({"protocol":"json","version":1})"));

    // Two records in one message, one split over two messages.
    hub.send(R"({"type":1,"target":"AgentSessionUpdated","arguments":[{"id":"a"}]})"
             "\x1e"
             R"({"type":1,"target":"Other","arguments":[1,2]})"
             "\x1e"
             R"({"type":1,"target":"AgentSess)");
    hub.send(R"(ionUpdated","arguments":[{"id":"b"}]})"
             "\x1e");
    QTRY_COMPARE(invocations.size(), 3);
    QCOMPARE(invocations.at(0).at(0).toString(), QStringLiteral("AgentSessionUpdated"));
    QCOMPARE(invocations.at(0).at(1).toJsonArray().at(0).toObject().value(QLatin1String("id")),
             QJsonValue(QStringLiteral("a")));
    QCOMPARE(invocations.at(1).at(1).toJsonArray().size(), 2);
    QCOMPARE(invocations.at(2).at(1).toJsonArray().at(0).toObject().value(QLatin1String("id")),
             QJsonValue(QStringLiteral("b")));
    QCOMPARE(client.counters().invocations, 3u);
    client.stop();
    QCOMPARE(client.state(), SignalRClient::State::Idle);
    // stop() says goodbye with a close message.
    QTRY_VERIFY(hub.received.contains(QByteArray(R"({"type":7})")));
}

void TstSignalRClient::malformedAndOversizedRecordsAreDropped()
{
    FakeHub hub;
    QNetworkAccessManager nam;
    SignalRClient client(&nam);
    client.setHubUrl(hub.hubUrl());
    SignalRClient::Options o = fastOptions();
    o.serverTimeoutMs = 5000;
    o.maxRecordBytes = 200;
    client.setOptions(o);
    QSignalSpy connected(&client, &SignalRClient::connected);
    QSignalSpy invocations(&client, &SignalRClient::invocation);
    client.start();
    QTRY_COMPARE(connected.size(), 1);
    const QByteArray big =
        R"({"type":1,"target":"T","arguments":[")" + QByteArray(500, 'x') + R"("]})";
    hub.send("not json\x1e"
             R"({"type":1,"target":"T"})"
             "\x1e" +
             big + "\x1e" + R"({"type":42})" + "\x1e" +
             R"({"type":1,"target":"T","arguments":["ok"]})" + "\x1e");
    QTRY_COMPARE(invocations.size(), 1);
    QCOMPARE(invocations.at(0).at(1).toJsonArray().at(0).toString(), QStringLiteral("ok"));
    QCOMPARE(client.counters().malformedRecords, 2u); // the unknown type 42 is ignored
    QCOMPARE(client.counters().oversizedRecords, 1u);
    QCOMPARE(client.state(), SignalRClient::State::Connected); // still the same connection
    QCOMPARE(connected.size(), 1);
}

void TstSignalRClient::pingsAndDeadServer()
{
    FakeHub hub;
    hub.pingBack = true;
    QNetworkAccessManager nam;
    SignalRClient client(&nam);
    client.setHubUrl(hub.hubUrl());
    client.setOptions(fastOptions());
    int tokenCalls = 0;
    client.setTokenProvider([&tokenCalls] { return QStringLiteral("t%1").arg(++tokenCalls); });
    QSignalSpy connected(&client, &SignalRClient::connected);
    client.start();
    QTRY_COMPARE(connected.size(), 1);
    // The client pings every 100 ms; the hub answers, so the connection stays up.
    QTRY_VERIFY(hub.pingsReceived() >= 5);
    QCOMPARE(connected.size(), 1);
    QCOMPARE(hub.negotiateAuth.size(), 1);
    // The hub goes silent: after serverTimeoutMs the client reconnects, negotiating again
    // with a fresh token.
    hub.pingBack = false;
    QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 2, 5000);
    QCOMPARE(hub.negotiateAuth.size(), 2);
    QCOMPARE(hub.negotiateAuth.at(1), QByteArray("Bearer t2"));
    QCOMPARE(client.connectionId(), QStringLiteral("conn2"));
    QVERIFY(client.counters().reconnects >= 1);
    QVERIFY(client.lastError().isEmpty()); // cleared by the successful reconnect
}

void TstSignalRClient::closeMessages()
{
    FakeHub hub;
    QNetworkAccessManager nam;
    SignalRClient client(&nam);
    client.setHubUrl(hub.hubUrl());
    SignalRClient::Options o = fastOptions();
    o.serverTimeoutMs = 5000;
    client.setOptions(o);
    QSignalSpy connected(&client, &SignalRClient::connected);
    QSignalSpy closed(&client, &SignalRClient::closedByServer);
    client.start();
    QTRY_COMPARE(connected.size(), 1);
    hub.send(R"({"type":7,"error":"maintenance","allowReconnect":true})"
             "\x1e");
    QTRY_COMPARE(closed.size(), 1);
    QCOMPARE(closed.at(0).at(0).toString(), QStringLiteral("maintenance"));
    QCOMPARE(closed.at(0).at(1).toBool(), true);
    QVERIFY(client.lastError().contains(QLatin1String("maintenance")));
    QTRY_COMPARE(connected.size(), 2);
    hub.send(R"({"type":7,"error":"gone for good"})"
             "\x1e");
    QTRY_COMPARE(client.state(), SignalRClient::State::Closed);
    QTest::qWait(400); // no reconnect follows
    QCOMPARE(connected.size(), 2);
    QCOMPARE(hub.negotiateAuth.size(), 2);
}

void TstSignalRClient::lostSocketReconnectsWithBackoff()
{
    FakeHub hub;
    QNetworkAccessManager nam;
    SignalRClient client(&nam);
    client.setHubUrl(hub.hubUrl());
    SignalRClient::Options o = fastOptions();
    o.serverTimeoutMs = 5000;
    o.reconnectBaseMs = 300;
    o.reconnectMaxMs = 300;
    client.setOptions(o);
    QSignalSpy connected(&client, &SignalRClient::connected);
    QList<SignalRClient::State> states;
    connect(&client, &SignalRClient::stateChanged, this,
            [&states](SignalRClient::State s) { states.append(s); });
    client.start();
    QTRY_COMPARE(connected.size(), 1);
    QElapsedTimer t;
    t.start();
    hub.last()->abort();
    QTRY_COMPARE(client.state(), SignalRClient::State::Backoff);
    const qint64 wait = client.nextAttemptAtMs() - QDateTime::currentMSecsSinceEpoch();
    QVERIFY2(wait >= 100 && wait <= 300, qPrintable(QString::number(wait)));
    QTRY_COMPARE(connected.size(), 2);
    QVERIFY(t.elapsed() >= 140);
    QCOMPARE(states, (QList<SignalRClient::State>{
                         SignalRClient::State::Connecting, SignalRClient::State::Connected,
                         SignalRClient::State::Backoff, SignalRClient::State::Connecting,
                         SignalRClient::State::Connected}));
}

void TstSignalRClient::handshakeFailures()
{
    FakeHub hub;
    QNetworkAccessManager nam;
    SignalRClient client(&nam);
    client.setHubUrl(hub.hubUrl());
    client.setOptions(fastOptions());
    hub.handshake = FakeHub::Handshake::Refuse;
    client.start();
    QTRY_COMPARE(client.state(), SignalRClient::State::Closed);
    QVERIFY(client.lastError().contains(QLatin1String("no such protocol")));
    QCOMPARE(client.counters().connects, 0u);

    // No answer to the handshake: the attempt times out and is retried.
    hub.handshake = FakeHub::Handshake::Ignore;
    client.start();
    QTRY_VERIFY_WITH_TIMEOUT(hub.negotiateAuth.size() >= 3, 5000);
    QCOMPARE(client.counters().connects, 0u);
    // Garbage instead of a handshake answer counts as malformed and retries too.
    hub.handshake = FakeHub::Handshake::Garbage;
    QTRY_VERIFY(client.counters().malformedRecords >= 1);
    hub.handshake = FakeHub::Handshake::Accept;
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), SignalRClient::State::Connected, 5000);
}

void TstSignalRClient::unauthorizedNegotiate()
{
    FakeHub hub;
    hub.negotiateStatus = 401;
    hub.negotiateBody = R"({"title":"Unauthorized","status":401})";
    QNetworkAccessManager nam;
    SignalRClient client(&nam);
    client.setHubUrl(hub.hubUrl());
    SignalRClient::Options o = fastOptions();
    o.maxUnauthorized = 3;
    client.setOptions(o);
    QSignalSpy unauthorized(&client, &SignalRClient::unauthorized);
    client.start();
    QTRY_COMPARE(client.state(), SignalRClient::State::Unauthorized);
    QCOMPARE(unauthorized.size(), 3);
    QCOMPARE(hub.negotiateAuth.size(), 3);
    QVERIFY(hub.socketUrls.isEmpty());

    // A token that becomes valid after one refusal: the next attempt connects.
    hub.negotiateStatus = 200;
    hub.negotiateBody.clear();
    client.start();
    QTRY_COMPARE(client.state(), SignalRClient::State::Connected);
}

void TstSignalRClient::noWebSocketTransport()
{
    FakeHub hub;
    hub.negotiateBody = R"({"negotiateVersion":1,"connectionId":"c","connectionToken":"t",
        "availableTransports":[{"transport":"LongPolling","transferFormats":["Text"]}]})";
    QNetworkAccessManager nam;
    SignalRClient client(&nam);
    client.setHubUrl(hub.hubUrl());
    client.setOptions(fastOptions());
    client.start();
    QTRY_COMPARE(client.state(), SignalRClient::State::Closed);
    QVERIFY(hub.socketUrls.isEmpty());
}

QTEST_GUILESS_MAIN(TstSignalRClient)
#include "tst_signalrclient.moc"
