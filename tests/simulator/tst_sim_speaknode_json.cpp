// SimSpeakNodeJson: the pure SpeakNode mapping of the simulator's records (no server).
#include "simjson.h"
#include "simspeaknodejson.h"

#include <QJsonArray>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QTest>
#include <QUuid>

using namespace SimSpeakNodeJson;

//! Table tests of the id mapping, status map, session, history, agent, tool and number JSON.
class TestSimSpeakNodeJson : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void uuidRoundTrip();
    void uuidRejectsForeign();
    void statusMap_data();
    void statusMap();
    void sessionShape();
    void historyMergesToolsAndHandoff();
    void historyIdsStableAsItGrows();
    void agentAndTools();
    void phoneNumber();
    void problemShape();
};

void TestSimSpeakNodeJson::uuidRoundTrip()
{
    static const QRegularExpression shape(
        QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"));
    QSet<QString> seen;
    const char *const prefixes[] = {"call_", "agent_", "pn_", "org_", "contact_", "col_", "doc_"};
    QRandomGenerator rng(42);
    for (int i = 0; i < 5000; ++i) {
        const quint64 v = i < 3 ? quint64(i) * 0xFFFFFFFFFFFFFFFFULL / 2 : rng.generate64();
        const QString id = SimJson::makeId(QLatin1String(prefixes[i % 7]), v);
        const QString u = uuid(id);
        QVERIFY2(shape.match(u).hasMatch(), qPrintable(u));
        QCOMPARE(storeId(u), id);
        QCOMPARE(storeId(u.toUpper()), id);
        QCOMPARE(storeId(QLatin1Char('{') + u + QLatin1Char('}')), id);
        QVERIFY(!QUuid::fromString(u).isNull());
        seen.insert(u);
    }
    QCOMPARE(seen.size(), 5000);
    // The same id of another kind is another UUID.
    QVERIFY(uuid(QStringLiteral("call_000000000001")) != uuid(QStringLiteral("pn_000000000001")));
    // Deterministic across runs: a fixed expectation.
    QCOMPARE(uuid(QStringLiteral("call_abc123def456")), uuid(QStringLiteral("call_abc123def456")));
}

void TestSimSpeakNodeJson::uuidRejectsForeign()
{
    QVERIFY(uuid(QStringLiteral("call_short")).isEmpty());
    QVERIFY(uuid(QStringLiteral("thing_000000000001")).isEmpty());
    QVERIFY(uuid(QStringLiteral("call_00000000000!")).isEmpty());
    QVERIFY(storeId(QStringLiteral("not a uuid")).isEmpty());
    QVERIFY(storeId(QUuid::createUuid().toString(QUuid::WithoutBraces)).isEmpty());
    QVERIFY(storeId(nameUuid(QStringLiteral("x"))).isEmpty());
    // One flipped bit anywhere breaks the checksum.
    const QString u = uuid(QStringLiteral("agent_q0w9e8r7t6y5"));
    for (int i : {0, 5, 10, 15, 21, 30, 35}) {
        QString bad = u;
        if (bad.at(i) == QLatin1Char('-'))
            continue;
        bad[i] = bad.at(i) == QLatin1Char('0') ? QLatin1Char('1') : QLatin1Char('0');
        QVERIFY2(storeId(bad).isEmpty(), qPrintable(bad));
    }
}

void TestSimSpeakNodeJson::statusMap_data()
{
    QTest::addColumn<QString>("talknex");
    QTest::addColumn<QString>("speaknode");
    QTest::addColumn<bool>("hasError");
    QTest::newRow("initiated") << "initiated"
                               << "Pending" << false;
    QTest::newRow("ringing") << "ringing"
                             << "Dispatching" << false;
    QTest::newRow("in_progress") << "in_progress"
                                 << "Active" << false;
    QTest::newRow("completed") << "completed"
                               << "Completed" << false;
    QTest::newRow("failed") << "failed"
                            << "Failed" << true;
    QTest::newRow("no_answer") << "no_answer"
                               << "Failed" << true;
    QTest::newRow("busy") << "busy"
                          << "Failed" << true;
    QTest::newRow("canceled") << "canceled"
                              << "Failed" << true;
}

void TestSimSpeakNodeJson::statusMap()
{
    QFETCH(QString, talknex);
    QFETCH(QString, speaknode);
    QFETCH(bool, hasError);
    QCOMPARE(sessionStatus(talknex), speaknode);
    SimCallRow c;
    c.status = talknex;
    QCOMPARE(errorMessage(c).isString(), hasError);
}

static SimCallRow completedCall()
{
    SimCallRow c;
    c.id = QStringLiteral("call_abcdefghijk1");
    c.org = QStringLiteral("org_000000000001");
    c.agentId = QStringLiteral("agent_000000000007");
    c.status = QStringLiteral("completed");
    c.direction = QStringLiteral("outbound");
    c.from = QStringLiteral("+14155550100");
    c.to = QStringLiteral("+12125550199");
    c.createdAt = 1777911600000;
    c.startedAt = 1777911603000;
    c.endedAt = 1777911730000;
    c.duration = 127;
    c.endReason = QStringLiteral("transfer");
    c.hasRecording = true;
    return c;
}

void TestSimSpeakNodeJson::sessionShape()
{
    const SimCallRow c = completedCall();
    const QJsonObject s = session(
        c, QStringLiteral("Reception"),
        {QStringLiteral("http://127.0.0.1:1/_media/x.wav?expires=1&signature=ab"), 1777912000000});
    QCOMPARE(s.value(QLatin1String("id")).toString(), uuid(c.id));
    QCOMPARE(s.value(QLatin1String("agent_id")).toString(), uuid(c.agentId));
    QCOMPARE(s.value(QLatin1String("agent_title")).toString(), QStringLiteral("Reception"));
    QCOMPARE(s.value(QLatin1String("status")).toString(), QStringLiteral("Completed"));
    QCOMPARE(s.value(QLatin1String("created_at")).toString(), SimJson::isoTime(c.createdAt));
    QCOMPARE(s.value(QLatin1String("duration_seconds")).toDouble(), 127.0);
    QCOMPARE(s.value(QLatin1String("from_number")).toString(), c.from);
    QCOMPARE(s.value(QLatin1String("telecom_provider")).toString(), telecomProvider(c.from));
    QVERIFY(s.value(QLatin1String("has_audio")).toBool());
    QCOMPARE(s.value(QLatin1String("audio_url_expires_at")).toString(),
             SimJson::isoTime(1777912000000));
    QVERIFY(s.value(QLatin1String("error_message")).isNull());
    // Every required key of the contract is present (null allowed).
    for (const char *k :
         {"id", "agent_id", "agent_title", "status", "created_at", "started_at", "ended_at",
          "duration_seconds", "from_number", "to_number", "telecom_provider", "has_audio",
          "audio_url", "audio_url_expires_at", "error_message"})
        QVERIFY2(s.contains(QLatin1String(k)), k);

    SimCallRow running = c;
    running.status = QStringLiteral("in_progress");
    running.endedAt = 0;
    const QJsonObject r = session(running, QString(), {});
    QCOMPARE(r.value(QLatin1String("status")).toString(), QStringLiteral("Active"));
    QVERIFY(r.value(QLatin1String("ended_at")).isNull());
    QVERIFY(r.value(QLatin1String("duration_seconds")).isNull());
    QVERIFY(!r.value(QLatin1String("has_audio")).toBool());
    QVERIFY(r.value(QLatin1String("audio_url")).isNull());
    QVERIFY(r.value(QLatin1String("audio_url_expires_at")).isNull());
    QVERIFY(r.value(QLatin1String("agent_title")).isNull());
}

static QJsonObject line(const char *role, const char *text, int start, int end)
{
    return {{QStringLiteral("role"), QLatin1String(role)},
            {QStringLiteral("text"), QLatin1String(text)},
            {QStringLiteral("startMs"), start},
            {QStringLiteral("endMs"), end}};
}

void TestSimSpeakNodeJson::historyMergesToolsAndHandoff()
{
    const SimCallRow c = completedCall();
    const QJsonObject conv{
        {QStringLiteral("transcript"),
         QJsonArray{line("agent", "Hello, how can I help?", 0, 2000),
                    line("caller", "Where is my order?", 2600, 4200),
                    line("agent", "Let me check that for you right away.", 5000, 7600)}},
        {QStringLiteral("toolCalls"),
         QJsonArray{
             QJsonObject{{QStringLiteral("tool"), QStringLiteral("check_order")},
                         {QStringLiteral("atMs"), 4500},
                         {QStringLiteral("args"), QJsonObject{{QStringLiteral("id"), 7}}},
                         {QStringLiteral("result"),
                          QJsonObject{{QStringLiteral("status"), QStringLiteral("shipped")}}}}}}};
    const QJsonArray h = history(c, conv);
    QCOMPARE(h.size(), 5); // 3 lines, 1 tool call, 1 hand-off (endReason transfer)
    QCOMPARE(h.at(0)[QLatin1String("role")].toString(), QStringLiteral("Assistant"));
    QCOMPARE(h.at(1)[QLatin1String("role")].toString(), QStringLiteral("User"));
    QVERIFY(h.at(1)[QLatin1String("transcript_confidence")].toDouble() >= 0.82);
    QVERIFY(h.at(0)[QLatin1String("transcript_confidence")].isNull());
    const QJsonObject tool = h.at(2).toObject();
    QCOMPARE(tool[QLatin1String("kind")].toString(), QStringLiteral("ToolCall"));
    QCOMPARE(tool[QLatin1String("role")].toString(), QStringLiteral("Tool"));
    QCOMPARE(tool[QLatin1String("tool_name")].toString(), QStringLiteral("check_order"));
    QCOMPARE(tool[QLatin1String("tool_arguments_json")].toString(), QStringLiteral("{\"id\":7}"));
    QCOMPARE(tool[QLatin1String("tool_output")].toString(),
             QStringLiteral("{\"status\":\"shipped\"}"));
    const QJsonObject agentLine = h.at(3).toObject();
    QCOMPARE(agentLine[QLatin1String("metrics")][QLatin1String("e2e_latency")].toDouble(), 800.0);
    QCOMPARE(agentLine[QLatin1String("metrics")][QLatin1String("started_speaking_at")].toDouble(),
             (1777911603000 + 5000) / 1000.0);
    QCOMPARE(h.at(4)[QLatin1String("kind")].toString(), QStringLiteral("Handoff"));
    QCOMPARE(h.at(4)[QLatin1String("role")].toString(), QStringLiteral("System"));

    // Over many calls some assistant lines are interrupted, never caller lines nor the last.
    int interrupted = 0, assistant = 0;
    for (int i = 0; i < 200; ++i) {
        SimCallRow k = c;
        k.id = SimJson::makeId(QStringLiteral("call_"), quint64(i) * 7919);
        k.endReason = QStringLiteral("caller_hangup");
        const QJsonArray hh = history(k, conv);
        QCOMPARE(hh.size(), 4);
        for (int j = 0; j < hh.size(); ++j) {
            const QJsonObject o = hh.at(j).toObject();
            if (o[QLatin1String("role")].toString() == QLatin1String("Assistant"))
                ++assistant;
            if (o[QLatin1String("interrupted")].toBool()) {
                QCOMPARE(o[QLatin1String("role")].toString(), QStringLiteral("Assistant"));
                QCOMPARE(j, 0); // only the first line is followed by the caller
                ++interrupted;
            }
        }
        QCOMPARE(history(k, conv), hh); // deterministic
    }
    QVERIFY(interrupted > 10 && interrupted < 80);
    QCOMPARE(assistant, 400);
}

void TestSimSpeakNodeJson::historyIdsStableAsItGrows()
{
    SimCallRow c = completedCall();
    c.status = QStringLiteral("in_progress");
    c.endedAt = 0;
    QJsonArray lines{line("agent", "Hi there.", 0, 900)};
    const QJsonArray first = history(c, {{QStringLiteral("transcript"), lines}});
    lines.append(line("caller", "Hello.", 1300, 2000));
    const QJsonArray second = history(c, {{QStringLiteral("transcript"), lines}});
    QCOMPARE(first.size(), 1);
    QCOMPARE(second.size(), 2);
    QCOMPARE(second.at(0)[QLatin1String("id")], first.at(0)[QLatin1String("id")]);
    QVERIFY(second.at(1)[QLatin1String("id")] != first.at(0)[QLatin1String("id")]);
    // Items already shown keep their whole content as a running call's history grows (a
    // poller may keep what it has), over many calls so that interrupted lines are among them.
    int cut = 0;
    for (int n = 0; n < 60; ++n) {
        SimCallRow r = c;
        r.id = SimJson::makeId(QStringLiteral("call_"), quint64(n) * 104729 + 3);
        QJsonArray growing;
        QJsonArray before;
        for (int i = 0; i < 6; ++i) {
            growing.append(line(i % 2 ? "caller" : "agent", "Some words said on the line here.",
                                i * 3000, i * 3000 + 2500));
            const QJsonArray now = history(r, {{QStringLiteral("transcript"), growing}});
            for (int k = 0; k < before.size(); ++k)
                QCOMPARE(now.at(k), before.at(k));
            before = now;
        }
        for (const QJsonValue &v : std::as_const(before))
            cut += v[QLatin1String("interrupted")].toBool();
    }
    QVERIFY(cut > 0);
    // No hand-off while the call runs without a transfer.
    for (const QJsonValue &v : second)
        QVERIFY(v[QLatin1String("kind")].toString() != QLatin1String("Handoff"));
}

void TestSimSpeakNodeJson::agentAndTools()
{
    SimObject o;
    o.kind = QStringLiteral("agent");
    o.id = QStringLiteral("agent_000000000007");
    o.org = QStringLiteral("org_000000000001");
    o.createdAt = 1777000000000;
    o.data = {{QStringLiteral("name"), QStringLiteral("Reception")},
              {QStringLiteral("systemPrompt"),
               QStringLiteral("You are the receptionist of a dental office. Be brief.")},
              {QStringLiteral("firstMessage"), QStringLiteral("Hello!")},
              {QStringLiteral("language"), QStringLiteral("en-US")},
              {QStringLiteral("voiceId"), QStringLiteral("v1")},
              {QStringLiteral("llmModel"), QStringLiteral("gpt-4o-mini")},
              {QStringLiteral("llmTemperature"), 0.4},
              {QStringLiteral("builtinTools"), QJsonArray{QStringLiteral("transfer_to_human")}},
              {QStringLiteral("transferNumber"), QStringLiteral("+14155550100")},
              {QStringLiteral("tools"),
               QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("check_slot")},
                                      {QStringLiteral("description"), QStringLiteral("Slots.")},
                                      {QStringLiteral("webhookUrl"),
                                       QStringLiteral("https://hooks.example/slots")}}}}};
    const QJsonObject a = agent(o);
    QCOMPARE(a[QLatin1String("id")].toString(), uuid(o.id));
    QCOMPARE(a[QLatin1String("title")].toString(), QStringLiteral("Reception"));
    QCOMPARE(a[QLatin1String("description")].toString(),
             QStringLiteral("You are the receptionist of a dental office."));
    QCOMPARE(a[QLatin1String("temperature")].toDouble(), 0.4);
    QCOMPARE(a[QLatin1String("created_at")].toString(), SimJson::isoTime(o.createdAt));
    const QList<Tool> tools = agentTools(o.org, o.data);
    QCOMPARE(tools.size(), 2);
    QCOMPARE(tools.at(0).json[QLatin1String("type")].toString(), QStringLiteral("Webhook"));
    QCOMPARE(tools.at(0).json[QLatin1String("method")].toString(), QStringLiteral("POST"));
    QCOMPARE(tools.at(0).json[QLatin1String("name")].toString(), QStringLiteral("Check slot"));
    QCOMPARE(tools.at(1).json[QLatin1String("type")].toString(), QStringLiteral("TransferRule"));
    QVERIFY(tools.at(1).json[QLatin1String("url")].isNull());
    QCOMPARE(a[QLatin1String("tool_ids")].toArray(),
             (QJsonArray{toolId(o.org, QStringLiteral("check_slot")),
                         toolId(o.org, QStringLiteral("transfer_to_human"))}));
    QVERIFY(toolId(o.org, QStringLiteral("x")) !=
            toolId(QStringLiteral("org_2"), QStringLiteral("x")));
}

void TestSimSpeakNodeJson::phoneNumber()
{
    SimObject o;
    o.id = QStringLiteral("pn_000000000003");
    o.data = {{QStringLiteral("number"), QStringLiteral("+14155550100")},
              {QStringLiteral("friendlyName"), QStringLiteral("Front desk")},
              {QStringLiteral("agentId"), QJsonValue()}};
    const QJsonObject n = SimSpeakNodeJson::phoneNumber(o);
    QCOMPARE(n[QLatin1String("id")].toString(), uuid(o.id));
    QVERIFY(n[QLatin1String("agent_id")].isNull());
    QCOMPARE(n[QLatin1String("friendly_name")].toString(), QStringLiteral("Front desk"));
    QVERIFY(
        QStringList({QStringLiteral("Twilio"), QStringLiteral("Telnyx"), QStringLiteral("Vonage")})
            .contains(n[QLatin1String("telecom_provider")].toString()));
}

void TestSimSpeakNodeJson::problemShape()
{
    const QJsonObject p = problem(422, QStringLiteral("Bad"), QStringLiteral("t1"),
                                  {{QStringLiteral("ToNumber"), QJsonArray{QStringLiteral("x")}}});
    QCOMPARE(p[QLatin1String("status")].toInt(), 422);
    QCOMPARE(p[QLatin1String("traceId")].toString(), QStringLiteral("t1"));
    QVERIFY(p[QLatin1String("type")].toString().startsWith(QLatin1String("https://")));
    QVERIFY(!p[QLatin1String("title")].toString().isEmpty());
    QCOMPARE(p[QLatin1String("errors")][QLatin1String("ToNumber")].toArray().size(), 1);
    QVERIFY(!problem(404, QString(), QString()).contains(QLatin1String("errors")));
    // Every status gets its own title; the fault-injection ones included.
    QSet<QString> titles;
    for (int status : {400, 401, 403, 404, 405, 413, 422, 429, 500, 502, 503, 504})
        titles.insert(problem(status, QString(), QString())[QLatin1String("title")].toString());
    QCOMPARE(titles.size(), 12);
    QCOMPARE(problem(418, QString(), QString())[QLatin1String("status")].toInt(), 418);
}

QTEST_GUILESS_MAIN(TestSimSpeakNodeJson)
#include "tst_sim_speaknode_json.moc"
