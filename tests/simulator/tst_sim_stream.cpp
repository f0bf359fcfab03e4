// switchboard-sim's live engine and /v1/stream, in-process, over loopback sockets, driven by a
// raw QWebSocket client (docs/SIM-INTERFACE.md, "Live calls and the stream").
#include "simclient.h"
#include "siminstance.h"
#include "simlive.h"
#include "simstreamclient.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

#include <memory>

namespace {

constexpr int kWait = 30000;

QString str(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}

bool isFinalStatus(const QJsonObject &e)
{
    static const QStringList finals = {QStringLiteral("completed"), QStringLiteral("failed"),
                                       QStringLiteral("no_answer"), QStringLiteral("busy"),
                                       QStringLiteral("canceled")};
    return str(e, "type") == QLatin1String("status") && finals.contains(str(e, "status"));
}

// The call events of one call, without errors.
QList<QJsonObject> events(const SimStreamClient &c, const QString &callId)
{
    QList<QJsonObject> out;
    const QList<QJsonObject> all = c.ofCall(callId);
    for (const QJsonObject &o : all) {
        if (str(o, "type") != QLatin1String("error"))
            out.append(o);
    }
    return out;
}

bool ended(const SimStreamClient &c, const QString &callId)
{
    const QList<QJsonObject> e = events(c, callId);
    return !e.isEmpty() && isFinalStatus(e.last());
}

} // namespace

class TestSimStream : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void handshakeAuth();
    void wrongPathIsNotAStream();
    void wholeCallInOrderMatchesRest();
    void replaySince();
    void replayGapAndNotLive();
    void errorsForOtherCalls();
    void badRequests();
    void outboundLifecycle();
    void outboundNoAnswer();
    void faultDropAll();
    void faultMalformedNext();
    void faultStall();
    void adminLiveAndStats();

private:
    QString waitForStartedCall(SimStreamClient &c);
    QString runWholeCall(QString *callIdOut);
    std::unique_ptr<SimInstance> m_sim;
    std::unique_ptr<SimClient> m_client;
    QString m_key, m_otherKey;
    QString m_endedCall; // a call streamed whole by wholeCallInOrderMatchesRest
    int m_endedLastSeq = 0;
};

void TestSimStream::initTestCase()
{
    m_sim = std::make_unique<SimInstance>();
    SimOptions o;
    o.historyCalls = 100;
    o.rateLimit = 100000;
    o.liveCalls = 2;
    o.speed = 40;
    o.wsPingMs = 200;
    QString error;
    QVERIFY2(m_sim->start(o, &error), qPrintable(error));
    m_key = m_sim->orgs().at(0).keys.at(0);
    m_otherKey = m_sim->orgs().at(1).keys.at(0);
    m_client = std::make_unique<SimClient>(m_sim->baseUrl());
}

QString TestSimStream::waitForStartedCall(SimStreamClient &c)
{
    const qsizetype before = c.ofType(QStringLiteral("call.started")).size();
    if (!QTest::qWaitFor([&] { return c.ofType(QStringLiteral("call.started")).size() > before; },
                         kWait))
        return {};
    return str(
        c.ofType(QStringLiteral("call.started")).last().value(QLatin1String("call")).toObject(),
        "id");
}

void TestSimStream::handshakeAuth()
{
    SimStreamClient none(m_sim->baseUrl(), QString());
    QTRY_VERIFY_WITH_TIMEOUT(none.disconnected, kWait);
    QCOMPARE(none.closeCode, 4001);

    SimStreamClient unknown(m_sim->baseUrl(), QStringLiteral("tnx_live_nope"));
    QTRY_VERIFY_WITH_TIMEOUT(unknown.disconnected, kWait);
    QCOMPARE(unknown.closeCode, 4001);

    // A key revoked while its socket is open closes it; a new socket with it is refused.
    const QString doomed = m_sim->orgs().at(0).keys.at(2);
    SimStreamClient open(m_sim->baseUrl(), doomed);
    QTRY_VERIFY_WITH_TIMEOUT(open.connected, kWait);
    QCOMPARE(m_client
                 ->post(QStringLiteral("/../_sim/keys/revoke"), QString(),
                        {{QStringLiteral("key"), doomed}})
                 .status,
             204);
    QTRY_VERIFY_WITH_TIMEOUT(open.disconnected, kWait);
    QCOMPARE(open.closeCode, 4001);
    SimStreamClient revoked(m_sim->baseUrl(), doomed);
    QTRY_VERIFY_WITH_TIMEOUT(revoked.disconnected, kWait);
    QCOMPARE(revoked.closeCode, 4001);

    // A good key stays connected (the server pings it every 200 ms here).
    SimStreamClient good(m_sim->baseUrl(), m_key);
    QTRY_VERIFY_WITH_TIMEOUT(good.connected, kWait);
    QTest::qWait(500);
    QVERIFY(!good.disconnected);
}

void TestSimStream::wrongPathIsNotAStream()
{
    SimStreamClient wrong(m_sim->baseUrl(), m_key, QStringLiteral("/elsewhere"));
    QTRY_VERIFY_WITH_TIMEOUT(wrong.disconnected, kWait);
    QVERIFY(!wrong.connected);
}

void TestSimStream::wholeCallInOrderMatchesRest()
{
    SimStreamClient c(m_sim->baseUrl(), m_key);
    QTRY_VERIFY_WITH_TIMEOUT(c.connected, kWait);
    c.subscribeCalls();
    const QString id = waitForStartedCall(c);
    QVERIFY(!id.isEmpty());
    c.subscribe(id);
    QTRY_VERIFY_WITH_TIMEOUT(ended(c, id), 120000);

    const QList<QJsonObject> all = events(c, id);
    QStringList finals;
    QJsonArray transcript, timeline, toolCalls;
    qint64 lastStart = -1;
    QString lastRole, lastText;
    bool open = false; // an interim line is in progress
    for (int i = 0; i < all.size(); ++i) {
        const QJsonObject &e = all.at(i);
        QCOMPARE(e.value(QLatin1String("seq")).toInteger(), qint64(i + 1));
        QVERIFY(e.value(QLatin1String("ts")).toInteger() > 1600000000000LL);
        const QString type = str(e, "type");
        if (type == QLatin1String("transcript")) {
            const qint64 start = e.value(QLatin1String("startMs")).toInteger();
            const QString text = str(e, "text");
            if (open) { // interim chunks and the final of one line share startMs and role
                QCOMPARE(start, lastStart);
                QCOMPARE(str(e, "role"), lastRole);
                QVERIFY2(text.startsWith(lastText), qPrintable(text));
                QVERIFY(text.size() > lastText.size());
            }
            lastStart = start;
            lastRole = str(e, "role");
            lastText = text;
            open = !e.value(QLatin1String("final")).toBool();
            if (!open) {
                QVERIFY(e.value(QLatin1String("endMs")).toInteger() > start);
                QJsonObject line = e;
                for (const char *k : {"type", "final", "callId", "seq", "ts"})
                    line.remove(QLatin1String(k));
                transcript.append(line);
            }
        } else if (type == QLatin1String("sentiment")) {
            QVERIFY(!str(e, "label").isEmpty());
            timeline.append(e);
        } else if (type == QLatin1String("tool_call")) {
            toolCalls.append(e);
        }
    }
    QVERIFY(!open);
    QVERIFY(transcript.size() >= 4);
    QVERIFY(!timeline.isEmpty());
    QCOMPARE(str(all.first(), "type"), QStringLiteral("status"));

    // call.ended on the channel carries the call as REST shows it.
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            const auto endedCalls = c.ofType(QStringLiteral("call.ended"));
            for (const QJsonObject &e : endedCalls) {
                if (str(e.value(QLatin1String("call")).toObject(), "id") == id)
                    return true;
            }
            return false;
        }(),
        kWait);

    // The history has exactly what was streamed.
    const SimReply r = m_client->get(QStringLiteral("/calls/") + id, m_key);
    QCOMPARE(r.status, 200);
    QCOMPARE(str(r.json, "status"), QStringLiteral("completed"));
    QCOMPARE(r.json.value(QLatin1String("transcript")).toArray(), transcript);
    const QJsonArray restTimeline = r.json.value(QLatin1String("sentimentTimeline")).toArray();
    QCOMPARE(restTimeline.size(), timeline.size());
    for (int i = 0; i < timeline.size(); ++i) {
        QCOMPARE(str(restTimeline.at(i).toObject(), "label"),
                 str(timeline.at(i).toObject(), "label"));
        QCOMPARE(restTimeline.at(i).toObject().value(QLatin1String("score")).toDouble(),
                 timeline.at(i).toObject().value(QLatin1String("score")).toDouble());
    }
    const QJsonArray restTools = r.json.value(QLatin1String("toolCalls")).toArray();
    QCOMPARE(restTools.size(), toolCalls.size());
    for (int i = 0; i < toolCalls.size(); ++i) {
        QCOMPARE(str(restTools.at(i).toObject(), "tool"), str(toolCalls.at(i).toObject(), "tool"));
        QVERIFY(restTools.at(i).toObject().contains(QLatin1String("result")));
    }
    QCOMPARE(str(r.json, "sentiment"), str(restTimeline.last().toObject(), "label"));
    const qint64 lastEnd = transcript.last().toObject().value(QLatin1String("endMs")).toInteger();
    QVERIFY(r.json.value(QLatin1String("duration")).toInt() * 1000 >= lastEnd);
    QVERIFY(!str(r.json, "endReason").isEmpty());

    // Its recording is made from that transcript.
    const SimReply wav =
        m_client->get(QStringLiteral("/calls/") + id + QStringLiteral("/recording"), m_key);
    QCOMPARE(wav.status, 200);
    QVERIFY(wav.body.startsWith("RIFF"));
    m_endedCall = id;
    m_endedLastSeq = int(all.size());
}

void TestSimStream::replaySince()
{
    QVERIFY(!m_endedCall.isEmpty());
    SimStreamClient c(m_sim->baseUrl(), m_key);
    QTRY_VERIFY_WITH_TIMEOUT(c.connected, kWait);
    // The call ended less than 60 s of call time ago (1.5 s at speed 40): still buffered.
    // Speed it down so the buffer outlives this test.
    QCOMPARE(
        m_client->post(QStringLiteral("/../_sim/live"), QString(), {{QStringLiteral("speed"), 1}})
            .status,
        204);
    c.subscribe(m_endedCall, 5);
    QTRY_VERIFY_WITH_TIMEOUT(ended(c, m_endedCall), kWait);
    const QList<QJsonObject> replay = events(c, m_endedCall);
    QCOMPARE(replay.size(), m_endedLastSeq - 5);
    for (int i = 0; i < replay.size(); ++i)
        QCOMPARE(replay.at(i).value(QLatin1String("seq")).toInteger(), qint64(6 + i));
    QCOMPARE(
        m_client->post(QStringLiteral("/../_sim/live"), QString(), {{QStringLiteral("speed"), 40}})
            .status,
        204);
}

void TestSimStream::replayGapAndNotLive()
{
    // A second simulator whose buffers keep only 5 events.
    SimInstance small;
    SimOptions o;
    o.historyCalls = 20;
    o.liveCalls = 1;
    o.speed = 50;
    o.replayLimit = 5;
    QString error;
    QVERIFY2(small.start(o, &error), qPrintable(error));
    const QString key = small.orgs().at(0).keys.at(0);
    SimStreamClient c(small.baseUrl(), key);
    QTRY_VERIFY_WITH_TIMEOUT(c.connected, kWait);
    c.subscribeCalls();
    QTRY_VERIFY_WITH_TIMEOUT(!c.ofType(QStringLiteral("call.ended")).isEmpty(), 120000);
    const QString id =
        str(c.ofType(QStringLiteral("call.ended")).first().value(QLatin1String("call")).toObject(),
            "id");
    c.subscribe(id, 0);
    QTRY_VERIFY_WITH_TIMEOUT(ended(c, id), kWait);
    const QList<QJsonObject> got = c.ofCall(id);
    QCOMPARE(str(got.first(), "type"), QStringLiteral("error"));
    QCOMPARE(str(got.first(), "code"), QStringLiteral("replay_gap"));
    const qint64 oldest = got.first().value(QLatin1String("oldestSeq")).toInteger();
    QVERIFY(oldest > 1);
    QCOMPARE(got.size(), 6); // the error, then the 5 kept events
    QCOMPARE(got.at(1).value(QLatin1String("seq")).toInteger(), oldest);

    // 60 s of call time after its end (1.2 s at speed 50) the buffer is gone: not_live.
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            c.subscribe(id);
            QTest::qWait(100);
            const QList<QJsonObject> e = c.ofCall(id);
            return str(e.last(), "code") == QLatin1String("not_live");
        }(),
        kWait);
}

void TestSimStream::errorsForOtherCalls()
{
    SimStreamClient c(m_sim->baseUrl(), m_key);
    QTRY_VERIFY_WITH_TIMEOUT(c.connected, kWait);
    // A call of the history (never live), an unknown one, another organization's.
    // The seeded history is at least a minute old; live calls are younger.
    const QString before = QDateTime::currentDateTimeUtc().addSecs(-60).toString(Qt::ISODate);
    const QString history =
        str(m_client->get(QStringLiteral("/calls?limit=1&createdBefore=") + before, m_key)
                .json.value(QLatin1String("data"))
                .toArray()
                .at(0)
                .toObject(),
            "id");
    const QString theirs = str(m_client->get(QStringLiteral("/calls?limit=1"), m_otherKey)
                                   .json.value(QLatin1String("data"))
                                   .toArray()
                                   .at(0)
                                   .toObject(),
                               "id");
    QVERIFY(!history.isEmpty());
    QVERIFY(!theirs.isEmpty());
    const struct
    {
        QString id;
        const char *code;
    } cases[] = {{QStringLiteral("call_nope"), "not_found"}, {theirs, "forbidden"}};
    for (const auto &k : cases) {
        c.subscribe(k.id);
        QTRY_VERIFY_WITH_TIMEOUT(!c.ofCall(k.id).isEmpty(), kWait);
        QCOMPARE(str(c.ofCall(k.id).last(), "code"), QLatin1String(k.code));
    }
    QVERIFY(!m_sim->live()->buffer(history));
    c.subscribe(history);
    QTRY_VERIFY_WITH_TIMEOUT(!c.ofCall(history).isEmpty(), kWait);
    QCOMPARE(str(c.ofCall(history).last(), "code"), QStringLiteral("not_live"));
    QVERIFY(!c.disconnected); // errors keep the socket open
}

void TestSimStream::badRequests()
{
    SimStreamClient c(m_sim->baseUrl(), m_key);
    QTRY_VERIFY_WITH_TIMEOUT(c.connected, kWait);
    const QStringList garbage = {
        QStringLiteral("not json"),
        QStringLiteral("[1,2]"),
        QStringLiteral("{\"type\":\"dance\"}"),
        QStringLiteral("{\"type\":\"subscribe\"}"),
        QStringLiteral("{\"type\":\"subscribe\",\"channel\":\"everything\"}"),
        QStringLiteral("{\"type\":\"subscribe\",\"callId\":42}"),
        QStringLiteral("{\"type\":\"subscribe\",\"callId\":\"call_x\",\"since\":-1}"),
        QStringLiteral("{\"type\":\"subscribe\",\"callId\":\"call_x\",\"since\":1.5}")};
    for (const QString &g : garbage)
        c.sendRaw(g);
    QTRY_COMPARE_WITH_TIMEOUT(c.ofType(QStringLiteral("error")).size(), garbage.size(), kWait);
    for (const QJsonObject &e : c.ofType(QStringLiteral("error")))
        QCOMPARE(str(e, "code"), QStringLiteral("bad_request"));
    QTest::qWait(100);
    QVERIFY(!c.disconnected);
}

void TestSimStream::outboundLifecycle()
{
    SimStreamClient c(m_sim->baseUrl(), m_key);
    QTRY_VERIFY_WITH_TIMEOUT(c.connected, kWait);
    c.subscribeCalls();
    const QJsonObject number = m_client->get(QStringLiteral("/phone-numbers?limit=1"), m_key)
                                   .json.value(QLatin1String("data"))
                                   .toArray()
                                   .at(0)
                                   .toObject();
    const SimReply placed =
        m_client->post(QStringLiteral("/calls"), m_key,
                       {{QStringLiteral("agentId"), str(number, "agentId")},
                        {QStringLiteral("to"), QStringLiteral("+14155550123")},
                        {QStringLiteral("from"), str(number, "number")},
                        {QStringLiteral("metadata"),
                         QJsonObject{{QStringLiteral("simOutcome"), QStringLiteral("answered")}}}});
    QCOMPARE(placed.status, 201);
    QCOMPARE(str(placed.json, "status"), QStringLiteral("initiated"));
    const QString id = str(placed.json, "id");
    c.subscribe(id);
    QTRY_VERIFY_WITH_TIMEOUT(ended(c, id), 120000);
    QStringList statuses;
    for (const QJsonObject &e : events(c, id)) {
        if (str(e, "type") == QLatin1String("status"))
            statuses.append(str(e, "status"));
    }
    QCOMPARE(statuses, (QStringList{QStringLiteral("initiated"), QStringLiteral("ringing"),
                                    QStringLiteral("in_progress"), QStringLiteral("completed")}));
    QStringList lifecycle;
    for (const QJsonObject &e : c.json) {
        const QString type = str(e, "type");
        if ((type == QLatin1String("call.started") || type == QLatin1String("call.ended")) &&
            str(e.value(QLatin1String("call")).toObject(), "id") == id)
            lifecycle.append(type);
    }
    QTRY_VERIFY_WITH_TIMEOUT(
        lifecycle.size() == 2 ||
            [&] {
                lifecycle.clear();
                for (const QJsonObject &e : c.json) {
                    if (str(e.value(QLatin1String("call")).toObject(), "id") == id)
                        lifecycle.append(str(e, "type"));
                }
                return lifecycle.size() == 2;
            }(),
        kWait);
    QCOMPARE(lifecycle,
             (QStringList{QStringLiteral("call.started"), QStringLiteral("call.ended")}));
    const SimReply after = m_client->get(QStringLiteral("/calls/") + id, m_key);
    QCOMPARE(str(after.json, "status"), QStringLiteral("completed"));
    QVERIFY(!after.json.value(QLatin1String("transcript")).toArray().isEmpty());
}

void TestSimStream::outboundNoAnswer()
{
    SimStreamClient c(m_sim->baseUrl(), m_key);
    QTRY_VERIFY_WITH_TIMEOUT(c.connected, kWait);
    const QJsonObject number = m_client->get(QStringLiteral("/phone-numbers?limit=1"), m_key)
                                   .json.value(QLatin1String("data"))
                                   .toArray()
                                   .at(0)
                                   .toObject();
    const SimReply placed = m_client->post(
        QStringLiteral("/calls"), m_key,
        {{QStringLiteral("agentId"), str(number, "agentId")},
         {QStringLiteral("to"), QStringLiteral("+14155550124")},
         {QStringLiteral("from"), str(number, "number")},
         {QStringLiteral("metadata"),
          QJsonObject{{QStringLiteral("simOutcome"), QStringLiteral("no_answer")}}}});
    QCOMPARE(placed.status, 201);
    const QString id = str(placed.json, "id");
    c.subscribe(id);
    QTRY_VERIFY_WITH_TIMEOUT(ended(c, id), 120000);
    QStringList statuses;
    for (const QJsonObject &e : events(c, id))
        statuses.append(str(e, "status"));
    QCOMPARE(statuses, (QStringList{QStringLiteral("initiated"), QStringLiteral("ringing"),
                                    QStringLiteral("no_answer")}));
    const SimReply after = m_client->get(QStringLiteral("/calls/") + id, m_key);
    QCOMPARE(str(after.json, "status"), QStringLiteral("no_answer"));
    QCOMPARE(str(after.json, "endReason"), QStringLiteral("no_answer"));
    QVERIFY(after.json.value(QLatin1String("recordingUrl")).isNull());
}

void TestSimStream::faultDropAll()
{
    SimStreamClient c(m_sim->baseUrl(), m_key);
    QTRY_VERIFY_WITH_TIMEOUT(c.connected, kWait);
    QCOMPARE(m_client
                 ->post(QStringLiteral("/../_sim/stream/faults"), QString(),
                        {{QStringLiteral("dropAll"), true}})
                 .status,
             204);
    QTRY_VERIFY_WITH_TIMEOUT(c.disconnected, kWait);
    QVERIFY(c.closeCode != 4001 && c.closeCode != 4008);
}

void TestSimStream::faultMalformedNext()
{
    SimStreamClient c(m_sim->baseUrl(), m_key);
    QTRY_VERIFY_WITH_TIMEOUT(c.connected, kWait);
    QTRY_VERIFY_WITH_TIMEOUT(m_sim->live()->activeCalls() > 0, kWait);
    QCOMPARE(m_client
                 ->post(QStringLiteral("/../_sim/stream/faults"), QString(),
                        {{QStringLiteral("malformedNext"), 1}})
                 .status,
             204);
    c.subscribeCalls();
    c.sendRaw(QStringLiteral("garbage")); // answered at once with bad_request
    QTRY_VERIFY_WITH_TIMEOUT(c.raw.size() >= 2, kWait);
    QVERIFY(QJsonDocument::fromJson(c.raw.at(0).toUtf8()).isNull()); // the malformed frame
    QCOMPARE(str(QJsonDocument::fromJson(c.raw.at(1).toUtf8()).object(), "code"),
             QStringLiteral("bad_request"));
}

void TestSimStream::faultStall()
{
    SimStreamClient c(m_sim->baseUrl(), m_key);
    QTRY_VERIFY_WITH_TIMEOUT(c.connected, kWait);
    QCOMPARE(m_client
                 ->post(QStringLiteral("/../_sim/stream/faults"), QString(),
                        {{QStringLiteral("stallMs"), 1500}})
                 .status,
             204);
    c.sendRaw(QStringLiteral("garbage"));
    QTest::qWait(700);
    QVERIFY(c.raw.isEmpty());                          // held back while stalled
    QTRY_COMPARE_WITH_TIMEOUT(c.raw.size(), 1, kWait); // then delivered
    QVERIFY(!c.disconnected);
}

void TestSimStream::adminLiveAndStats()
{
    SimStreamClient c(m_sim->baseUrl(), m_key);
    QTRY_VERIFY_WITH_TIMEOUT(c.connected, kWait);
    QCOMPARE(
        m_client
            ->post(QStringLiteral("/../_sim/live"), QString(), {{QStringLiteral("liveCalls"), 5}})
            .status,
        204);
    QCOMPARE(m_client
                 ->post(QStringLiteral("/../_sim/live"), QString(),
                        {{QStringLiteral("speed"), QStringLiteral("fast")}})
                 .status,
             400);
    QCOMPARE(m_client
                 ->post(QStringLiteral("/../_sim/stream/faults"), QString(),
                        {{QStringLiteral("dropRate"), 2}})
                 .status,
             400);
    QTRY_VERIFY_WITH_TIMEOUT(m_sim->live()->activeCalls() >= 5, kWait);
    const SimReply stats = m_client->get(QStringLiteral("/../_sim/stats"), QString());
    QCOMPARE(stats.status, 200);
    QVERIFY(stats.json.value(QLatin1String("liveCalls")).toInt() >= 5);
    QVERIFY(stats.json.value(QLatin1String("streamSockets")).toInt() >= 1);
    QVERIFY(stats.json.value(QLatin1String("streamEventsSent")).toInteger() > 0);
    QCOMPARE(
        m_client
            ->post(QStringLiteral("/../_sim/live"), QString(), {{QStringLiteral("liveCalls"), 2}})
            .status,
        204);
}

QTEST_GUILESS_MAIN(TestSimStream)
#include "tst_sim_stream.moc"
