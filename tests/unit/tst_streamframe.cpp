// Pure parts of the live stream: frame parsing (tables), client messages, seq bookkeeping and
// the ws URL derived from the REST base.
#include "api/livestream.h"
#include "api/seqtracker.h"
#include "api/talknexstream.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace sb::api;
using Problem = talknex::FrameParse::Problem;

class TestStreamFrame : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parseValid_data();
    void parseValid();
    void parseRejected_data();
    void parseRejected();
    void callEventFields();
    void clientMessages();
    void seqTracker();
    void streamUrl_data();
    void streamUrl();
};

void TestStreamFrame::parseValid_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<int>("type");
    QTest::addColumn<qint64>("seq");

    const auto row = [](const char *name, const char *frame, StreamEvent::Type type, qint64 seq) {
        QTest::newRow(name) << QByteArray(frame) << static_cast<int>(type) << seq;
    };
    row("transcript",
        R"({"type":"transcript","callId":"call_1","seq":4,"ts":1,"role":"caller","text":"hi","final":false,"startMs":1200,"endMs":2950})",
        StreamEvent::Type::Transcript, 4);
    row("tool_call",
        R"({"type":"tool_call","callId":"call_1","seq":5,"ts":2,"tool":"book_appointment","args":{"day":"mon"}})",
        StreamEvent::Type::ToolCall, 5);
    row("tool_result",
        R"({"type":"tool_result","callId":"call_1","seq":6,"ts":3,"tool":"book_appointment","result":"ok"})",
        StreamEvent::Type::ToolResult, 6);
    row("sentiment", R"({"type":"sentiment","callId":"call_1","seq":7,"label":"positive"})",
        StreamEvent::Type::Sentiment, 7);
    row("status", R"({"type":"status","callId":"call_1","seq":8,"status":"completed"})",
        StreamEvent::Type::Status, 8);
    row("call.started",
        R"({"type":"call.started","call":{"id":"call_2","status":"ringing","createdAt":"2024-05-01T10:00:00Z"}})",
        StreamEvent::Type::CallStarted, 0);
    row("call.ended",
        R"({"type":"call.ended","call":{"id":"call_2","status":"completed","createdAt":"2024-05-01T10:00:00Z"}})",
        StreamEvent::Type::CallEnded, 0);
    row("error without call", R"({"type":"error","code":"bad_request","message":"?"})",
        StreamEvent::Type::Error, 0);
    row("unknown fields ignored",
        R"({"type":"status","callId":"call_1","seq":1,"status":"in_progress","extra":[1]})",
        StreamEvent::Type::Status, 1);
}

void TestStreamFrame::parseValid()
{
    QFETCH(QByteArray, frame);
    QFETCH(int, type);
    QFETCH(qint64, seq);
    const talknex::FrameParse p = talknex::parseStreamFrame(frame, 42);
    QVERIFY2(p.ok(), qPrintable(p.error));
    QCOMPARE(static_cast<int>(p.event->type), type);
    QCOMPARE(p.event->seq, seq);
    QCOMPARE(p.event->receivedNs, qint64(42));
}

void TestStreamFrame::parseRejected_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<int>("problem");
    const auto row = [](const char *name, const QByteArray &frame, Problem problem) {
        QTest::newRow(name) << frame << static_cast<int>(problem);
    };
    row("not json", "hello", Problem::NotJson);
    row("array", "[1]", Problem::NotJson);
    row("no type", R"({"callId":"call_1"})", Problem::Invalid);
    row("type not a string", R"({"type":7})", Problem::Invalid);
    row("unknown type", R"({"type":"transcript.v2"})", Problem::UnknownType);
    row("no seq", R"({"type":"status","callId":"call_1","status":"completed"})", Problem::Invalid);
    row("seq string", R"({"type":"status","callId":"call_1","seq":"1","status":"x"})",
        Problem::Invalid);
    row("seq fraction", R"({"type":"status","callId":"call_1","seq":1.5,"status":"x"})",
        Problem::Invalid);
    row("seq zero", R"({"type":"status","callId":"call_1","seq":0,"status":"x"})",
        Problem::Invalid);
    row("no callId", R"({"type":"status","seq":1,"status":"x"})", Problem::Invalid);
    row("final not bool",
        R"({"type":"transcript","callId":"c","seq":1,"role":"agent","text":"t","final":"yes","startMs":0})",
        Problem::Invalid);
    row("text missing",
        R"({"type":"transcript","callId":"c","seq":1,"role":"agent","final":true,"startMs":0})",
        Problem::Invalid);
    row("ts string", R"({"type":"status","callId":"c","seq":1,"ts":"now","status":"x"})",
        Problem::Invalid);
    row("score string",
        R"({"type":"sentiment","callId":"c","seq":1,"label":"positive","score":"high"})",
        Problem::Invalid);
    row("bad call", R"({"type":"call.started","call":{"id":"call_2"}})", Problem::Invalid);
    row("call not object", R"({"type":"call.ended","call":"call_2"})", Problem::Invalid);
    row("error without code", R"({"type":"error","message":"?"})", Problem::Invalid);
    QByteArray big = R"({"type":"status","callId":"c","seq":1,"status":"x","pad":")";
    big += QByteArray(256 * 1024, 'a') + "\"}";
    row("oversized", big, Problem::Oversized);
}

void TestStreamFrame::parseRejected()
{
    QFETCH(QByteArray, frame);
    QFETCH(int, problem);
    const talknex::FrameParse p = talknex::parseStreamFrame(frame, 0);
    QVERIFY(!p.ok());
    QCOMPARE(static_cast<int>(p.problem), problem);
    QVERIFY(!p.error.isEmpty());
    QVERIFY(!p.error.contains(QLatin1String("aaaa"))); // never the frame's content
}

void TestStreamFrame::callEventFields()
{
    auto p = talknex::parseStreamFrame(
        R"({"type":"transcript","callId":"call_1","seq":4,"ts":1714557600123,"role":"caller","text":"hi","final":false,"startMs":1200,"endMs":2950})",
        1);
    QVERIFY(p.ok());
    QCOMPARE(p.event->callId, QStringLiteral("call_1"));
    QCOMPARE(p.event->serverTsMs, qint64(1714557600123));
    QCOMPARE(p.event->line.role, SpeakerRole::Caller);
    QCOMPARE(p.event->line.startMs, qint64(1200));
    QCOMPARE(p.event->line.endMs, qint64(2950));
    QVERIFY(!p.event->isFinal);

    p = talknex::parseStreamFrame(
        R"({"type":"tool_call","callId":"call_1","seq":5,"tool":"book","args":{"day":"mon"}})", 1);
    QVERIFY(p.ok());
    QCOMPARE(p.event->tool, QStringLiteral("book"));
    QCOMPARE(p.event->args.toObject().value(QStringLiteral("day")).toString(),
             QStringLiteral("mon"));

    p = talknex::parseStreamFrame(
        R"({"type":"error","code":"replay_gap","callId":"call_1","message":"m","oldestSeq":17})",
        1);
    QVERIFY(p.ok());
    QCOMPARE(p.event->errorCode, QStringLiteral("replay_gap"));
    QCOMPARE(p.event->callId, QStringLiteral("call_1"));
    QCOMPARE(p.event->oldestSeq.value_or(0), qint64(17));

    p = talknex::parseStreamFrame(
        R"({"type":"call.ended","call":{"id":"call_2","status":"completed","createdAt":"2024-05-01T10:00:00Z","duration":61}})",
        1);
    QVERIFY(p.ok());
    QCOMPARE(p.event->callId, QStringLiteral("call_2"));
    QCOMPARE(p.event->call.status, CallStatus::Completed);
    QCOMPARE(p.event->call.durationSeconds, 61);
}

void TestStreamFrame::clientMessages()
{
    const auto obj = [](const QByteArray &b) { return QJsonDocument::fromJson(b).object(); };
    QCOMPARE(obj(talknex::subscribeCallsMessage()),
             (QJsonObject{{QStringLiteral("type"), QStringLiteral("subscribe")},
                          {QStringLiteral("channel"), QStringLiteral("calls")}}));
    QCOMPARE(obj(talknex::subscribeCallMessage(QStringLiteral("call_9"), 41)),
             (QJsonObject{{QStringLiteral("type"), QStringLiteral("subscribe")},
                          {QStringLiteral("callId"), QStringLiteral("call_9")},
                          {QStringLiteral("since"), 41}}));
    QVERIFY(!obj(talknex::subscribeCallMessage(QStringLiteral("call_9"), 0))
                 .contains(QStringLiteral("since")));
    QCOMPARE(obj(talknex::unsubscribeCallMessage(QStringLiteral("call_9"))),
             (QJsonObject{{QStringLiteral("type"), QStringLiteral("unsubscribe")},
                          {QStringLiteral("callId"), QStringLiteral("call_9")}}));
}

void TestStreamFrame::seqTracker()
{
    using V = SeqTracker::Verdict;
    SeqTracker t;
    const QString a = QStringLiteral("a");
    const QString b = QStringLiteral("b");
    QCOMPARE(t.observe(a, 1), V::Apply);
    QCOMPARE(t.observe(a, 2), V::Apply);
    QCOMPARE(t.observe(a, 2), V::Duplicate);
    QCOMPARE(t.observe(a, 1), V::Duplicate);
    QCOMPARE(t.observe(a, 5), V::Gap);
    QCOMPARE(t.last(a), qint64(5));
    QCOMPARE(t.observe(a, 6), V::Apply);
    QCOMPARE(t.observe(b, 3), V::Gap); // history before seq 3 is missing
    t.skipTo(b, 9);
    QCOMPARE(t.observe(b, 10), V::Apply);
    t.skipTo(b, 4); // never backwards
    QCOMPARE(t.last(b), qint64(10));
    t.forget(a);
    QCOMPARE(t.last(a), qint64(0));
}

void TestStreamFrame::streamUrl_data()
{
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("expected");
    QTest::newRow("https") << QStringLiteral("https://api.talknex.ai/v1")
                           << QStringLiteral("wss://api.talknex.ai/v1/stream");
    QTest::newRow("trailing slash") << QStringLiteral("https://api.talknex.ai/v1/")
                                    << QStringLiteral("wss://api.talknex.ai/v1/stream");
    QTest::newRow("http loopback port") << QStringLiteral("http://127.0.0.1:8080/v1")
                                        << QStringLiteral("ws://127.0.0.1:8080/v1/stream");
    QTest::newRow("query dropped")
        << QStringLiteral("https://h/v1?x=1") << QStringLiteral("wss://h/v1/stream");
    QTest::newRow("other scheme") << QStringLiteral("ftp://h/v1") << QString();
}

void TestStreamFrame::streamUrl()
{
    QFETCH(QString, base);
    QFETCH(QString, expected);
    QCOMPARE(LiveStream::streamUrlFor(QUrl(base)).toString(), expected);
}

QTEST_APPLESS_MAIN(TestStreamFrame)
#include "tst_streamframe.moc"
