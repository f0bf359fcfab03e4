// Pure parts of the SignalR JSON hub protocol (api/signalrprotocol.h): framing, messages,
// negotiate answers, URLs, and the client's backoff bounds.

#include "api/signalrclient.h"
#include "api/signalrprotocol.h"

#include <QJsonObject>
#include <QTest>
#include <QUrlQuery>

using namespace sb::api;
using namespace sb::api::signalr;

class TstSignalRProtocol : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void splitsRecordsAcrossChunks();
    void dropsOversizedRecordsWithoutBuffering();
    void parsesMessages_data();
    void parsesMessages();
    void invocationAndCloseFields();
    void handshakeResponses();
    void negotiation();
    void urls();
    void backoffIsCappedAndJittered();
};

void TstSignalRProtocol::splitsRecordsAcrossChunks()
{
    RecordSplitter s;
    QCOMPARE(s.feed("{\"type\":6}\x1e{\"ty"), (QList<QByteArray>{"{\"type\":6}"}));
    QCOMPARE(s.pendingBytes(), 4);
    QCOMPARE(s.feed("pe\":6}"), QList<QByteArray>{});
    QCOMPARE(s.feed("\x1e\x1e{}\x1e"), (QList<QByteArray>{"{\"type\":6}", "", "{}"}));
    QCOMPARE(s.pendingBytes(), 0);
    QCOMPARE(s.oversized(), 0u);
}

void TstSignalRProtocol::dropsOversizedRecordsWithoutBuffering()
{
    RecordSplitter s(10);
    // Complete and too long: dropped, the next one survives.
    QCOMPARE(s.feed("0123456789AB\x1e{}\x1e"), (QList<QByteArray>{"{}"}));
    QCOMPARE(s.oversized(), 1u);
    // Too long across chunks: counted once, skipped up to its separator.
    QCOMPARE(s.feed("0123456789ABCDEF"), QList<QByteArray>{});
    QCOMPARE(s.oversized(), 2u);
    QCOMPARE(s.pendingBytes(), 0);
    QCOMPARE(s.feed("still the same record"), QList<QByteArray>{});
    QCOMPARE(s.feed("end\x1e{\"a\":1}\x1e"), (QList<QByteArray>{"{\"a\":1}"}));
    QCOMPARE(s.oversized(), 2u);
    // Exactly at the limit passes.
    QCOMPARE(s.feed("0123456789\x1e"), (QList<QByteArray>{"0123456789"}));
    // A partial that grows over the limit in a later chunk.
    QCOMPARE(s.feed("01234"), QList<QByteArray>{});
    QCOMPARE(s.feed("56789X\x1e{}\x1e"), (QList<QByteArray>{"{}"}));
    QCOMPARE(s.oversized(), 3u);
}

void TstSignalRProtocol::parsesMessages_data()
{
    QTest::addColumn<QByteArray>("record");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<bool>("unknown");
    QTest::addColumn<int>("type");
    QTest::newRow("ping") << QByteArray(R"({"type":6})") << true << false << 6;
    QTest::newRow("invocation")
        << QByteArray(R"({"type":1,"target":"AgentSessionUpdated","arguments":[{"id":"x"}]})")
        << true << false << 1;
    QTest::newRow("close") << QByteArray(R"({"type":7,"error":"bye","allowReconnect":true})")
                           << true << false << 7;
    QTest::newRow("completion") << QByteArray(R"({"type":3,"invocationId":"1"})") << true << false
                                << 3;
    QTest::newRow("future type") << QByteArray(R"({"type":99})") << false << true << 0;
    QTest::newRow("not json") << QByteArray("{type:1") << false << false << 0;
    QTest::newRow("array") << QByteArray("[1]") << false << false << 0;
    QTest::newRow("no type") << QByteArray(R"({"target":"x"})") << false << false << 0;
    QTest::newRow("string type") << QByteArray(R"({"type":"1"})") << false << false << 0;
    QTest::newRow("fractional type") << QByteArray(R"({"type":1.5})") << false << false << 0;
    QTest::newRow("invocation without target")
        << QByteArray(R"({"type":1,"arguments":[]})") << false << false << 0;
    QTest::newRow("invocation with object arguments")
        << QByteArray(R"({"type":1,"target":"t","arguments":{}})") << false << false << 0;
    QTest::newRow("empty") << QByteArray() << false << false << 0;
}

void TstSignalRProtocol::parsesMessages()
{
    QFETCH(QByteArray, record);
    QFETCH(bool, ok);
    QFETCH(bool, unknown);
    QFETCH(int, type);
    bool isUnknown = true;
    const std::optional<Message> m = parseMessage(record, &isUnknown);
    QCOMPARE(m.has_value(), ok);
    QCOMPARE(isUnknown, unknown);
    if (ok)
        QCOMPARE(int(m->type), type);
}

void TstSignalRProtocol::invocationAndCloseFields()
{
    auto m = parseMessage(R"({"type":1,"target":"T","arguments":[1,"two",{"x":3}]})");
    QVERIFY(m);
    QCOMPARE(m->target, QStringLiteral("T"));
    QCOMPARE(m->arguments.size(), 3);
    QCOMPARE(m->arguments.at(2).toObject().value(QLatin1String("x")).toInt(), 3);
    m = parseMessage(R"({"type":7,"error":"Server shut down","allowReconnect":true})");
    QVERIFY(m);
    QCOMPARE(m->error, QStringLiteral("Server shut down"));
    QVERIFY(m->allowReconnect);
    m = parseMessage(R"({"type":7})");
    QVERIFY(m && m->error.isEmpty() && !m->allowReconnect);
}

void TstSignalRProtocol::handshakeResponses()
{
    QCOMPARE(parseHandshakeResponse("{}"), std::optional<QString>(QString()));
    QCOMPARE(parseHandshakeResponse(R"({"error":"nope"})"),
             std::optional<QString>(QStringLiteral("nope")));
    QCOMPARE(parseHandshakeResponse(R"({"error":null})"), std::optional<QString>(QString()));
    QVERIFY(!parseHandshakeResponse("hello"));
    QCOMPARE(handshakeRequest(), QByteArray("{\"protocol\":\"json\",\"version\":1}\x1e"));
    QCOMPARE(pingRecord(), QByteArray("{\"type\":6}\x1e"));
}

void TstSignalRProtocol::negotiation()
{
    QString problem;
    auto n = parseNegotiation(R"({"negotiateVersion":1,"connectionId":"c","connectionToken":"t",
        "availableTransports":[{"transport":"ServerSentEvents","transferFormats":["Text"]},
        {"transport":"WebSockets","transferFormats":["Text","Binary"]}]})",
                              &problem);
    QVERIFY2(n, qPrintable(problem));
    QCOMPARE(n->connectionId, QStringLiteral("c"));
    QCOMPARE(n->connectionToken, QStringLiteral("t"));
    QVERIFY(n->webSockets);
    // Version 0 pairs by connectionId.
    n = parseNegotiation(R"({"connectionId":"c","availableTransports":[]})", &problem);
    QVERIFY(n && n->connectionToken.isEmpty() && !n->webSockets);
    // Only long polling offered.
    n = parseNegotiation(R"({"negotiateVersion":1,"connectionId":"c","connectionToken":"t",
        "availableTransports":[{"transport":"LongPolling","transferFormats":["Text"]}]})",
                         &problem);
    QVERIFY(n && !n->webSockets);
    n = parseNegotiation(R"({"url":"https://other.example/hub","accessToken":"a"})", &problem);
    QVERIFY(n);
    QCOMPARE(n->redirectUrl, QUrl(QStringLiteral("https://other.example/hub")));
    QCOMPARE(n->redirectToken, QStringLiteral("a"));
    n = parseNegotiation(R"({"error":"Negotiate refused"})", &problem);
    QVERIFY(n && n->error == QStringLiteral("Negotiate refused"));
    QVERIFY(!parseNegotiation(R"({"negotiateVersion":1,"connectionId":"c"})", &problem));
    QVERIFY(!parseNegotiation(R"({"negotiateVersion":1})", &problem));
    QVERIFY(!parseNegotiation("not json", &problem));
    QVERIFY(!parseNegotiation("[]", &problem));
}

void TstSignalRProtocol::urls()
{
    const QUrl hub(QStringLiteral("https://api.example.com/hubs/notifications"));
    QCOMPARE(negotiateUrl(hub).toString(),
             QStringLiteral("https://api.example.com/hubs/notifications/negotiate"
                            "?negotiateVersion=1"));
    const QUrl ws = webSocketUrl(hub, QStringLiteral("id+/="), QStringLiteral("a+b/c=="));
    QCOMPARE(ws.scheme(), QStringLiteral("wss"));
    QCOMPARE(ws.path(), QStringLiteral("/hubs/notifications"));
    const QUrlQuery q(ws);
    QCOMPARE(q.queryItemValue(QStringLiteral("id"), QUrl::FullyDecoded), QStringLiteral("id+/="));
    QCOMPARE(q.queryItemValue(QStringLiteral("access_token"), QUrl::FullyDecoded),
             QStringLiteral("a+b/c=="));
    // A '+' must travel encoded: servers read a raw one as a space.
    QVERIFY(!ws.toString(QUrl::FullyEncoded).contains(QLatin1Char('+')));
    QCOMPARE(
        webSocketUrl(QUrl(QStringLiteral("http://127.0.0.1:5/h")), QStringLiteral("i"), QString())
            .toString(),
        QStringLiteral("ws://127.0.0.1:5/h?id=i"));
    QVERIFY(
        !webSocketUrl(QUrl(QStringLiteral("ftp://x/h")), QStringLiteral("i"), QString()).isValid());
}

void TstSignalRProtocol::backoffIsCappedAndJittered()
{
    QRandomGenerator rng(7);
    for (int attempt = 0; attempt < 12; ++attempt) {
        const qint64 cap = qMin<qint64>(30000, 1000LL << qMin(attempt, 20));
        for (int i = 0; i < 50; ++i) {
            const qint64 ms = SignalRClient::backoffMs(attempt, 1000, 30000, rng);
            QVERIFY2(ms >= cap / 2 && ms <= cap, qPrintable(QString::number(ms)));
        }
    }
    // Jitter: not always the same wait.
    QSet<qint64> seen;
    for (int i = 0; i < 20; ++i)
        seen.insert(SignalRClient::backoffMs(3, 1000, 30000, rng));
    QVERIFY(seen.size() > 5);
}

QTEST_GUILESS_MAIN(TstSignalRProtocol)
#include "tst_signalrprotocol.moc"
