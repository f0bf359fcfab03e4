// The console's SignalR client against the simulator's SpeakNode hub (CONTRACT §2.3): "our
// client vs our hub". tools/signalr tests the same hub with the official @microsoft/signalr
// client; tst_signalr_stream_sim follows calls through SpeakNodeStream.
#include "tst_signalr_fixture.h"

#include "api/signalrclient.h"
#include "api/speaknodejson.h"

using namespace sb::api;

class TestSignalRSim : public sb::test::SignalRSimFixture
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void clientReceivesSessionUpdates();
    void clientSurvivesServerCloseAndRefusals();
};

void TestSignalRSim::initTestCase()
{
    startSimulator();
}

void TestSignalRSim::clientReceivesSessionUpdates()
{
    QNetworkAccessManager nam;
    SignalRClient client(&nam);
    client.setHubUrl(hubUrl());
    SignalRClient::Options o;
    o.serverTimeoutMs = 2000; // the hub pings every 500 ms here
    o.pingIntervalMs = 500;
    client.setOptions(o);
    client.setTokenProvider([this] { return m_token; });
    QHash<QString, QStringList> statuses;
    int malformed = 0;
    connect(&client, &SignalRClient::invocation, this,
            [&](const QString &target, const QJsonArray &args) {
                if (target != QLatin1String("AgentSessionUpdated") || args.size() != 1) {
                    ++malformed;
                    return;
                }
                const Parsed<speaknode::SessionRecord> s = speaknode::parseSession(args.at(0));
                if (!s.ok()) {
                    ++malformed;
                    return;
                }
                statuses[s.value->call.id].append(
                    args.at(0).toObject().value(QLatin1String("status")).toString());
            });
    QSignalSpy connected(&client, &SignalRClient::connected);
    client.start();
    QVERIFY(connected.wait(10000));

    const QString answered = dispatch(QStringLiteral("answered"), QStringLiteral("+14155550101"));
    const QString busy = dispatch(QStringLiteral("busy"), QStringLiteral("+14155550102"));
    QVERIFY(!answered.isEmpty() && !busy.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(statuses.value(answered).contains(QLatin1String("Completed")), 120000);
    QTRY_VERIFY_WITH_TIMEOUT(statuses.value(busy).contains(QLatin1String("Failed")), 30000);
    QCOMPARE(statuses.value(answered),
             (QStringList{QStringLiteral("Pending"), QStringLiteral("Dispatching"),
                          QStringLiteral("Active"), QStringLiteral("Completed")}));
    QCOMPARE(statuses.value(busy),
             (QStringList{QStringLiteral("Pending"), QStringLiteral("Dispatching"),
                          QStringLiteral("Failed")}));
    QCOMPARE(malformed, 0);
    // The call took seconds with a 2 s server timeout: the hub's pings kept the connection.
    QCOMPARE(connected.size(), 1);
    QCOMPARE(client.counters().malformedRecords, 0u);
    QVERIFY(client.counters().messagesReceived > client.counters().invocations); // pings
    QVERIFY(client.counters().pingsSent > 0);
    client.stop();
}

void TestSignalRSim::clientSurvivesServerCloseAndRefusals()
{
    QNetworkAccessManager nam;
    SignalRClient client(&nam);
    client.setHubUrl(hubUrl());
    SignalRClient::Options o;
    o.reconnectBaseMs = 100;
    o.reconnectMaxMs = 400;
    o.maxUnauthorized = 2;
    client.setOptions(o);
    // A wrong token first: refused twice, then Unauthorized without a socket.
    QString token = QStringLiteral("snk_wrong");
    client.setTokenProvider([&token] { return token; });
    QSignalSpy unauthorized(&client, &SignalRClient::unauthorized);
    QSignalSpy connected(&client, &SignalRClient::connected);
    client.start();
    QTRY_COMPARE(client.state(), SignalRClient::State::Unauthorized);
    QCOMPARE(unauthorized.size(), 2);
    // The token from the provider is read at every attempt: the right one connects.
    token = m_token;
    client.start();
    QVERIFY(connected.wait(10000));
    const QString firstId = client.connectionId();

    // A server close that allows a reconnect: a new negotiate, a new connection.
    QSignalSpy closed(&client, &SignalRClient::closedByServer);
    QCOMPARE(sb::test::postAdmin(at(QStringLiteral("/_sim")), QStringLiteral("/signalr/close"),
                                 {{QStringLiteral("error"), QStringLiteral("maintenance")},
                                  {QStringLiteral("allowReconnect"), true}}),
             200);
    QTRY_COMPARE(closed.size(), 1);
    QCOMPARE(closed.at(0).at(0).toString(), QStringLiteral("maintenance"));
    QTRY_COMPARE(connected.size(), 2);
    QVERIFY(client.connectionId() != firstId);
    // And one that does not: the client stays closed.
    QCOMPARE(sb::test::postAdmin(at(QStringLiteral("/_sim")), QStringLiteral("/signalr/close"),
                                 {{QStringLiteral("error"), QStringLiteral("bye")},
                                  {QStringLiteral("allowReconnect"), false}}),
             200);
    QTRY_COMPARE(client.state(), SignalRClient::State::Closed);
    QTest::qWait(600);
    QCOMPARE(connected.size(), 2);
}

QTEST_MAIN(TestSignalRSim)
#include "tst_signalr_sim.moc"
