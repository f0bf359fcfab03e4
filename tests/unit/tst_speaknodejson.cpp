// Table tests of the pure SpeakNode JSON -> DTO functions (no network): every mapping, and
// malformed input (missing required fields, wrong types, broken JSON) rejected, never a crash.
#include "api/apierror.h"
#include "api/speaknodejson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace sb::api;
using namespace sb::api::speaknode;

// Declared before the raw-string tables: moc's tokenizer loses track in multi-line raw strings.
class TestSpeakNodeJson : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void malformed_data();
    void malformed();
    void sessionStatus_data();
    void sessionStatus();
    void sessionFields();
    void historyMapping();
    void historyToolPayloads_data();
    void historyToolPayloads();
    void historyRejects_data();
    void historyRejects();
    void agentFields();
    void toolAndNumberFields();
    void lists_data();
    void lists();
    void listRejects_data();
    void listRejects();
    void dispatchBody();
    void filterQuery();
    void clientSideFilter();
    void problem422();
    void fieldNames();
};

namespace {

QJsonObject obj(const char *json)
{
    QJsonParseError err{};
    const QJsonObject o = QJsonDocument::fromJson(QByteArray(json), &err).object();
    if (err.error != QJsonParseError::NoError)
        qFatal("bad fixture: %s", json);
    return o;
}

const char *const kSession = R"({"id":"3f1c2a8e-5b7d-4e21-9a0c-6d2f8b1e4c90",
    "agent_id":"9b2e4f10-1c3d-4a5b-8e6f-7a8b9c0d1e2f","agent_title":"Reception",
    "status":"Completed","created_at":"2026-05-04T16:20:00Z","started_at":"2026-05-04T16:20:03Z",
    "ended_at":"2026-05-04T16:22:10Z","duration_seconds":127.6,"from_number":"+18005550100",
    "to_number":"+14155550123","telecom_provider":"Twilio","has_audio":true,
    "audio_url":"https://media.example/a.wav?sig=x","audio_url_expires_at":"2026-05-04T16:37:00Z",
    "error_message":null,"some_future_field":{"x":1}})";

const char *const kAgent = R"({"id":"9b2e4f10-1c3d-4a5b-8e6f-7a8b9c0d1e2f","title":"Reception",
    "description":"Front desk","language":"en-US","system_prompt":"Be kind",
    "first_message":"Hello!","voice_id":"v1","llm_model":"gpt-4o","temperature":0.4,
    "tool_ids":["t1","t2"],"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-02-01T00:00:00Z",
    "unknown":[1,2]})";

const char *const kTool = R"({"id":"t1","name":"Order status","code":"check_order_status",
    "description":"Looks up an order","type":"Webhook","method":"POST",
    "url":"https://hooks.example/{{ order }}"})";

const char *const kNumber = R"({"id":"n1","number":"+18005550100","friendly_name":"Main line",
    "agent_id":"9b2e4f10-1c3d-4a5b-8e6f-7a8b9c0d1e2f","telecom_provider":"Twilio"})";

QJsonObject with(QJsonObject o, const char *key, const QJsonValue &v)
{
    o.insert(QLatin1String(key), v);
    return o;
}

QJsonObject without(QJsonObject o, const char *key)
{
    o.remove(QLatin1String(key));
    return o;
}

QJsonObject item(const char *json)
{
    return obj(json);
}

QJsonObject sessionWithHistory(const QJsonArray &history)
{
    return with(obj(kSession), "history", history);
}

} // namespace

void TestSpeakNodeJson::malformed_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QJsonValue>("json");
    const QJsonValue notObject = QJsonArray{1};
    QTest::newRow("session not object") << "session" << notObject;
    QTest::newRow("session no id") << "session" << QJsonValue(without(obj(kSession), "id"));
    QTest::newRow("session no status") << "session" << QJsonValue(without(obj(kSession), "status"));
    QTest::newRow("session no created_at")
        << "session" << QJsonValue(without(obj(kSession), "created_at"));
    QTest::newRow("session id number") << "session" << QJsonValue(with(obj(kSession), "id", 7));
    QTest::newRow("session status number")
        << "session" << QJsonValue(with(obj(kSession), "status", 2));
    QTest::newRow("duration string")
        << "session" << QJsonValue(with(obj(kSession), "duration_seconds", QStringLiteral("12")));
    QTest::newRow("has_audio string")
        << "session" << QJsonValue(with(obj(kSession), "has_audio", QStringLiteral("yes")));
    QTest::newRow("created_at garbage")
        << "session" << QJsonValue(with(obj(kSession), "created_at", QStringLiteral("yesterday")));
    QTest::newRow("history not array")
        << "details" << QJsonValue(with(obj(kSession), "history", QJsonObject()));
    QTest::newRow("agent no id") << "agent" << QJsonValue(without(obj(kAgent), "id"));
    QTest::newRow("agent temperature string")
        << "agent" << QJsonValue(with(obj(kAgent), "temperature", QStringLiteral("hot")));
    QTest::newRow("agent tool_ids object")
        << "agent" << QJsonValue(with(obj(kAgent), "tool_ids", QJsonObject()));
    QTest::newRow("agent tool_ids numbers")
        << "agent" << QJsonValue(with(obj(kAgent), "tool_ids", QJsonArray{1, 2}));
    QTest::newRow("agent not object") << "agent" << QJsonValue(QStringLiteral("agent"));
    QTest::newRow("tool no id") << "tool" << QJsonValue(without(obj(kTool), "id"));
    QTest::newRow("tool no name or code")
        << "tool" << QJsonValue(without(without(obj(kTool), "name"), "code"));
    QTest::newRow("tool url number") << "tool" << QJsonValue(with(obj(kTool), "url", 3));
    QTest::newRow("number no number") << "number" << QJsonValue(without(obj(kNumber), "number"));
    QTest::newRow("number agent_id number")
        << "number" << QJsonValue(with(obj(kNumber), "agent_id", 5));
}

void TestSpeakNodeJson::malformed()
{
    QFETCH(QString, kind);
    QFETCH(QJsonValue, json);
    QString error;
    if (kind == QLatin1String("session"))
        error = parseSession(json).error;
    else if (kind == QLatin1String("details"))
        error = parseCallDetails(json).error;
    else if (kind == QLatin1String("agent"))
        error = parseAgentRecord(json).error;
    else if (kind == QLatin1String("tool"))
        error = parseTool(json).error;
    else
        error = parsePhoneNumber(json).error;
    QVERIFY2(!error.isEmpty(), "malformed input was accepted");
    // The valid fixtures pass: the rejection above is about the corruption, not the base.
    QVERIFY(parseSession(obj(kSession)).ok());
    QVERIFY(parseAgentRecord(obj(kAgent)).ok());
    QVERIFY(parseTool(obj(kTool)).ok());
    QVERIFY(parsePhoneNumber(obj(kNumber)).ok());
}

void TestSpeakNodeJson::sessionStatus_data()
{
    QTest::addColumn<QString>("wire");
    QTest::addColumn<CallStatus>("status");
    QTest::newRow("Pending") << "Pending" << CallStatus::Initiated;
    QTest::newRow("Dispatching") << "Dispatching" << CallStatus::Ringing;
    QTest::newRow("Active") << "Active" << CallStatus::InProgress;
    QTest::newRow("Completed") << "Completed" << CallStatus::Completed;
    QTest::newRow("Failed") << "Failed" << CallStatus::Failed;
    QTest::newRow("future value") << "Transferring" << CallStatus::Unknown;
    QTest::newRow("wrong case") << "completed" << CallStatus::Unknown;
}

void TestSpeakNodeJson::sessionStatus()
{
    QFETCH(QString, wire);
    QFETCH(CallStatus, status);
    const auto p = parseCall(with(obj(kSession), "status", wire));
    QVERIFY2(p.ok(), qPrintable(p.error));
    QCOMPARE(p.value->status, status);
    if (status != CallStatus::Unknown)
        QCOMPARE(sessionStatusName(status), wire);
}

void TestSpeakNodeJson::sessionFields()
{
    const auto p = parseSession(obj(kSession));
    QVERIFY2(p.ok(), qPrintable(p.error));
    const Call &c = p.value->call;
    QCOMPARE(c.id, QStringLiteral("3f1c2a8e-5b7d-4e21-9a0c-6d2f8b1e4c90"));
    QCOMPARE(c.agentId, QStringLiteral("9b2e4f10-1c3d-4a5b-8e6f-7a8b9c0d1e2f"));
    QCOMPARE(p.value->agentTitle, QStringLiteral("Reception"));
    QCOMPARE(c.from, QStringLiteral("+18005550100"));
    QCOMPARE(c.to, QStringLiteral("+14155550123"));
    QCOMPARE(c.createdAt, QDateTime(QDate(2026, 5, 4), QTime(16, 20), Qt::UTC));
    QCOMPARE(c.startedAt, QDateTime(QDate(2026, 5, 4), QTime(16, 20, 3), Qt::UTC));
    QCOMPARE(c.endedAt, QDateTime(QDate(2026, 5, 4), QTime(16, 22, 10), Qt::UTC));
    QCOMPARE(c.durationSeconds, 128);              // a number, rounded
    QCOMPARE(c.direction, CallDirection::Unknown); // decided by the platform from its numbers
    QCOMPARE(c.sentiment, Sentiment::None);
    QVERIFY(c.summary.isEmpty());
    QCOMPARE(c.endReason, EndReason::None);
    // The pre-signed URL is kept aside; the Call only marks that a recording exists.
    QCOMPARE(p.value->audioUrl, QStringLiteral("https://media.example/a.wav?sig=x"));
    QCOMPARE(p.value->audioExpires, QDateTime(QDate(2026, 5, 4), QTime(16, 37), Qt::UTC));
    QVERIFY(p.value->hasAudio);
    QVERIFY(!c.recordingUrl.isEmpty());
    QVERIFY(!c.recordingUrl.contains(QStringLiteral("sig=")));

    QJsonObject failed = with(obj(kSession), "status", QStringLiteral("Failed"));
    failed = with(failed, "error_message", QStringLiteral("Carrier rejected the number"));
    failed = with(failed, "has_audio", false);
    failed = with(failed, "audio_url", QJsonValue::Null);
    failed = with(failed, "duration_seconds", QJsonValue::Null);
    failed = with(failed, "started_at", QJsonValue::Null);
    const auto f = parseCall(failed);
    QVERIFY2(f.ok(), qPrintable(f.error));
    QCOMPARE(f.value->summary, QStringLiteral("Carrier rejected the number"));
    QCOMPARE(f.value->endReason, EndReason::Error);
    QCOMPARE(f.value->durationSeconds, 0);
    QVERIFY(!f.value->startedAt.isValid());
    QVERIFY(f.value->recordingUrl.isEmpty());

    // Optional fields may be missing altogether.
    const auto minimal = parseCall(obj(R"({"id":"x","status":"Pending",
                                          "created_at":"2026-05-04T16:20:00Z"})"));
    QVERIFY2(minimal.ok(), qPrintable(minimal.error));
    QCOMPARE(minimal.value->status, CallStatus::Initiated);
}

void TestSpeakNodeJson::historyMapping()
{
    // Call answered at 16:20:03; offsets count from there.
    const QJsonArray history{
        item(R"({"id":"h1","role":"Assistant","kind":"Message","content":"Hello, how can I help?",
                 "created_at":"2026-05-04T16:20:04Z","interrupted":false,
                 "transcript_confidence":null,"tool_name":null,"tool_arguments_json":null,
                 "tool_output":null,"metrics":{"started_speaking_at":1777911604.2,
                 "stopped_speaking_at":1777911606.9,"e2e_latency":0.84}})"),
        item(R"({"id":"h2","role":"User","kind":"Message","content":"Where is my order?",
                 "created_at":"2026-05-04T16:20:08Z","interrupted":true,
                 "transcript_confidence":0.93,"metrics":null})"),
        item(R"({"id":"h3","role":"Tool","kind":"ToolCall","content":null,
                 "created_at":"2026-05-04T16:20:10Z","tool_name":"check_order_status",
                 "tool_arguments_json":"{\"order_id\":\"A-1001\"}",
                 "tool_output":"{\"status\":\"shipped\"}"})"),
        item(R"({"id":"h4","role":"System","kind":"Handoff","content":"Billing team",
                 "created_at":"2026-05-04T16:20:12Z"})"),
        item(R"({"id":"h5","role":"System","kind":"Message","content":"Recording on",
                 "created_at":"2026-05-04T16:20:03Z"})"),
        item(R"({"id":"h6","role":"Robot","kind":"Message","content":"?",
                 "created_at":"2026-05-04T16:20:13Z"})"),
        item(R"({"id":"h7","role":"System","kind":"SomethingNew","content":"skip me",
                 "created_at":"2026-05-04T16:20:14Z"})"),
        item(R"({"id":"h8","role":"User","kind":"Message","content":"early",
                 "created_at":"2026-05-04T16:19:59Z"})"),
    };
    const auto p = parseCallDetails(sessionWithHistory(history));
    QVERIFY2(p.ok(), qPrintable(p.error));
    const CallDetails &d = p.value.value();
    QCOMPARE(d.transcript.size(), 6); // h1 h2 h4 h5 h6 h8; h3 is a tool call, h7 unknown
    const TranscriptLine &agent = d.transcript.at(0);
    QCOMPARE(agent.role, SpeakerRole::Agent);
    QCOMPARE(agent.text, QStringLiteral("Hello, how can I help?"));
    // metrics are epoch seconds: 1777911604.2 = 16:20:04.200 → 1200 ms after the answer.
    QCOMPARE(agent.startMs, 1200);
    QCOMPARE(agent.endMs, 3900);
    QVERIFY(!agent.interrupted);
    QVERIFY(!agent.confidence.has_value());
    const TranscriptLine &caller = d.transcript.at(1);
    QCOMPARE(caller.role, SpeakerRole::Caller);
    QCOMPARE(caller.startMs, 5000); // from created_at without metrics
    QCOMPARE(caller.endMs, 5000);
    QVERIFY(caller.interrupted);
    QCOMPARE(caller.confidence.value_or(-1), 0.93);
    const TranscriptLine &handoff = d.transcript.at(2);
    QCOMPARE(handoff.role, SpeakerRole::System);
    QCOMPARE(handoff.text, QStringLiteral("Handed off: Billing team"));
    QCOMPARE(handoff.startMs, 9000);
    QCOMPARE(d.transcript.at(3).role, SpeakerRole::System);
    QCOMPARE(d.transcript.at(3).startMs, 0);
    QCOMPARE(d.transcript.at(4).role, SpeakerRole::Unknown);
    QCOMPARE(d.transcript.at(5).startMs, 0); // before the answer: clamped, never negative

    QCOMPARE(d.toolCalls.size(), 1);
    const ToolCall &t = d.toolCalls.first();
    QCOMPARE(t.tool, QStringLiteral("check_order_status"));
    QCOMPARE(t.args.toObject().value(QLatin1String("order_id")).toString(),
             QStringLiteral("A-1001"));
    QCOMPARE(t.result.toObject().value(QLatin1String("status")).toString(),
             QStringLiteral("shipped"));
    QCOMPARE(t.atMs, 7000);
    QVERIFY(d.sentimentTimeline.isEmpty()); // the estimator fills it, not the parser

    // Without started_at the offsets count from created_at.
    QJsonObject pending = with(sessionWithHistory(history), "started_at", QJsonValue::Null);
    const auto q = parseCallDetails(pending);
    QVERIFY2(q.ok(), qPrintable(q.error));
    QCOMPARE(q.value->transcript.at(1).startMs, 8000);

    // Metrics in milliseconds are recognised by their size.
    const QJsonArray ms{item(R"({"id":"m","role":"User","kind":"Message","content":"hi",
        "created_at":"2026-05-04T16:20:04Z","metrics":{"started_speaking_at":1777911605000,
        "stopped_speaking_at":1777911606500}})")};
    const auto m = parseCallDetails(sessionWithHistory(ms));
    QVERIFY2(m.ok(), qPrintable(m.error));
    QCOMPARE(m.value->transcript.at(0).startMs, 2000);
    QCOMPARE(m.value->transcript.at(0).endMs, 3500);

    // No history at all is a call without transcript, not an error.
    const auto none = parseCallDetails(obj(kSession));
    QVERIFY2(none.ok(), qPrintable(none.error));
    QVERIFY(none.value->transcript.isEmpty());
}

void TestSpeakNodeJson::historyToolPayloads_data()
{
    QTest::addColumn<QJsonValue>("arguments");
    QTest::addColumn<QJsonValue>("output");
    QTest::addColumn<QJsonValue>("expectedArgs");
    QTest::addColumn<QJsonValue>("expectedResult");
    const QJsonValue undefinedValue(QJsonValue::Undefined);
    QTest::newRow("objects") << QJsonValue(QStringLiteral("{\"a\":1}"))
                             << QJsonValue(QStringLiteral("[1,2]"))
                             << QJsonValue(QJsonObject{{QStringLiteral("a"), 1}})
                             << QJsonValue(QJsonArray{1, 2});
    QTest::newRow("broken args stay text")
        << QJsonValue(QStringLiteral("{order: A-1")) << QJsonValue(QStringLiteral("not json"))
        << QJsonValue(QStringLiteral("{order: A-1")) << QJsonValue(QStringLiteral("not json"));
    QTest::newRow("scalar output")
        << QJsonValue(QStringLiteral("{}")) << QJsonValue(QStringLiteral("42"))
        << QJsonValue(QJsonObject()) << QJsonValue(42);
    QTest::newRow("two values are not one")
        << QJsonValue(QStringLiteral("1,2")) << QJsonValue(QJsonValue::Null)
        << QJsonValue(QStringLiteral("1,2")) << undefinedValue;
    QTest::newRow("no args, no output yet")
        << QJsonValue(QJsonValue::Null) << QJsonValue(QJsonValue::Null) << QJsonValue(QJsonObject())
        << undefinedValue;
    QTest::newRow("output sent as JSON")
        << QJsonValue(QStringLiteral("{}")) << QJsonValue(QJsonObject{{QStringLiteral("ok"), true}})
        << QJsonValue(QJsonObject()) << QJsonValue(QJsonObject{{QStringLiteral("ok"), true}});
}

void TestSpeakNodeJson::historyToolPayloads()
{
    QFETCH(QJsonValue, arguments);
    QFETCH(QJsonValue, output);
    QFETCH(QJsonValue, expectedArgs);
    QFETCH(QJsonValue, expectedResult);
    QJsonObject call = item(R"({"id":"t","role":"Tool","kind":"ToolCall","tool_name":"lookup",
                               "created_at":"2026-05-04T16:20:05Z"})");
    call.insert(QLatin1String("tool_arguments_json"), arguments);
    call.insert(QLatin1String("tool_output"), output);
    const auto p = parseCallDetails(sessionWithHistory({call}));
    QVERIFY2(p.ok(), qPrintable(p.error));
    QCOMPARE(p.value->toolCalls.size(), 1);
    QCOMPARE(p.value->toolCalls.first().args, expectedArgs);
    QCOMPARE(p.value->toolCalls.first().result, expectedResult);
}

void TestSpeakNodeJson::historyRejects_data()
{
    QTest::addColumn<QJsonValue>("entry");
    QTest::newRow("not an object") << QJsonValue(QStringLiteral("hello"));
    QTest::newRow("no kind") << QJsonValue(item(R"({"id":"x","role":"User","content":"a"})"));
    QTest::newRow("no role") << QJsonValue(item(R"({"id":"x","kind":"Message","content":"a"})"));
    QTest::newRow("content number")
        << QJsonValue(item(R"({"id":"x","role":"User","kind":"Message","content":5})"));
    QTest::newRow("interrupted string") << QJsonValue(
        item(R"({"id":"x","role":"User","kind":"Message","content":"a","interrupted":"no"})"));
    QTest::newRow("confidence string") << QJsonValue(
        item(R"({"id":"x","role":"User","kind":"Message","transcript_confidence":"high"})"));
    QTest::newRow("metrics array")
        << QJsonValue(item(R"({"id":"x","role":"User","kind":"Message","metrics":[]})"));
    QTest::newRow("metrics start string") << QJsonValue(
        item(R"({"id":"x","role":"User","kind":"Message","metrics":{"started_speaking_at":"1"}})"));
    QTest::newRow("tool call without name")
        << QJsonValue(item(R"({"id":"x","role":"Tool","kind":"ToolCall"})"));
    QTest::newRow("tool args object") << QJsonValue(item(
        R"({"id":"x","role":"Tool","kind":"ToolCall","tool_name":"a","tool_arguments_json":{}})"));
}

void TestSpeakNodeJson::historyRejects()
{
    QFETCH(QJsonValue, entry);
    const auto p = parseCallDetails(sessionWithHistory({entry}));
    QVERIFY2(!p.ok(), "a malformed history item was accepted");
    QVERIFY(p.error.contains(QStringLiteral("history 0")));
}

void TestSpeakNodeJson::agentFields()
{
    const auto p = parseAgentRecord(obj(kAgent));
    QVERIFY2(p.ok(), qPrintable(p.error));
    const Agent &a = p.value->agent;
    QCOMPARE(a.id, QStringLiteral("9b2e4f10-1c3d-4a5b-8e6f-7a8b9c0d1e2f"));
    QCOMPARE(a.name, QStringLiteral("Reception"));
    QCOMPARE(a.language, QStringLiteral("en-US"));
    QCOMPARE(a.systemPrompt, QStringLiteral("Be kind"));
    QCOMPARE(a.firstMessage, QStringLiteral("Hello!"));
    QCOMPARE(a.voiceId, QStringLiteral("v1"));
    QCOMPARE(a.llmModel, QStringLiteral("gpt-4o"));
    QCOMPARE(a.llmTemperature.value_or(-1), 0.4);
    QCOMPARE(a.createdAt, QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC));
    QCOMPARE(a.updatedAt, QDateTime(QDate(2026, 2, 1), QTime(0, 0), Qt::UTC));
    QCOMPARE(a.status, AgentStatus::Active);
    QCOMPARE(p.value->toolIds, (QStringList{QStringLiteral("t1"), QStringLiteral("t2")}));
    QVERIFY(a.tools.isEmpty()); // resolved by the platform through GET /tools

    // Everything but the id may be missing.
    const auto bare = parseAgent(obj(R"({"id":"a1"})"));
    QVERIFY2(bare.ok(), qPrintable(bare.error));
    QCOMPARE(bare.value->id, QStringLiteral("a1"));
    QVERIFY(bare.value->name.isEmpty());
    QVERIFY(!bare.value->llmTemperature.has_value());
    const auto nulls =
        parseAgentRecord(obj(R"({"id":"a1","title":null,"tool_ids":null,"temperature":null})"));
    QVERIFY2(nulls.ok(), qPrintable(nulls.error));
    QVERIFY(nulls.value->toolIds.isEmpty());
}

void TestSpeakNodeJson::toolAndNumberFields()
{
    const auto t = parseTool(obj(kTool));
    QVERIFY2(t.ok(), qPrintable(t.error));
    QCOMPARE(t.value->id, QStringLiteral("t1"));
    QCOMPARE(t.value->type, QStringLiteral("Webhook"));
    QCOMPARE(t.value->tool.name, QStringLiteral("check_order_status"));
    QCOMPARE(t.value->tool.description, QStringLiteral("Looks up an order"));
    QCOMPARE(t.value->tool.webhookUrl, QStringLiteral("https://hooks.example/{{ order }}"));
    const auto system =
        parseTool(obj(R"({"id":"t2","name":"Hang up","type":"System","description":null})"));
    QVERIFY2(system.ok(), qPrintable(system.error));
    QCOMPARE(system.value->tool.name, QStringLiteral("Hang up"));
    QVERIFY(system.value->tool.webhookUrl.isEmpty());

    const auto n = parsePhoneNumber(obj(kNumber));
    QVERIFY2(n.ok(), qPrintable(n.error));
    QCOMPARE(n.value->id, QStringLiteral("n1"));
    QCOMPARE(n.value->number, QStringLiteral("+18005550100"));
    QCOMPARE(n.value->friendlyName, QStringLiteral("Main line"));
    QCOMPARE(n.value->provider, QStringLiteral("Twilio"));
    QCOMPARE(n.value->agentId, QStringLiteral("9b2e4f10-1c3d-4a5b-8e6f-7a8b9c0d1e2f"));
    QVERIFY(n.value->voice);
    QVERIFY(!n.value->sms);
    QCOMPARE(n.value->status, PhoneNumberStatus::Active);
    QCOMPARE(n.value->routing.mode, RoutingMode::Agent);
    const auto unassigned = parsePhoneNumber(with(obj(kNumber), "agent_id", QJsonValue::Null));
    QVERIFY2(unassigned.ok(), qPrintable(unassigned.error));
    QVERIFY(unassigned.value->agentId.isEmpty());
    QCOMPARE(unassigned.value->routing.mode, RoutingMode::Unknown);
}

void TestSpeakNodeJson::lists_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("requestedPage");
    QTest::addColumn<int>("count");
    QTest::addColumn<QString>("next");
    const QByteArray a = R"({"id":"a"})";
    const QByteArray b = R"({"id":"b"})";
    QTest::newRow("first of three") << QByteArray(R"({"items":[)" + a + "," + b +
                                                  R"(],"total_count":5,"page":1,"page_size":2})")
                                    << 1 << 2 << "2";
    QTest::newRow("middle") << QByteArray(R"({"items":[)" + a + "," + b +
                                          R"(],"total_count":5,"page":2,"page_size":2})")
                            << 2 << 2 << "3";
    QTest::newRow("last by total")
        << QByteArray(R"({"items":[)" + a + R"(],"total_count":5,"page":3,"page_size":2})") << 3
        << 1 << "";
    QTest::newRow("exactly full last page")
        << QByteArray(R"({"items":[)" + a + "," + b +
                      R"(],"total_count":4,"page":2,"page_size":2})")
        << 2 << 2 << "";
    QTest::newRow("no total, full page")
        << QByteArray(R"({"items":[)" + a + "," + b + R"(]})") << 4 << 2 << "5";
    QTest::newRow("no total, short page")
        << QByteArray(R"({"items":[)" + a + R"(]})") << 4 << 1 << "";
    QTest::newRow("empty") << QByteArray(R"({"items":[],"total_count":0,"page":1,"page_size":2})")
                           << 1 << 0 << "";
    QTest::newRow("bare array") << QByteArray("[" + a + "," + b + "]") << 1 << 2 << "";
    QTest::newRow("server page wins") << QByteArray(R"({"items":[)" + a + "," + b +
                                                    R"(],"total_count":9,"page":3,"page_size":2})")
                                      << 1 << 2 << "4";
}

void TestSpeakNodeJson::lists()
{
    QFETCH(QByteArray, body);
    QFETCH(int, requestedPage);
    QFETCH(int, count);
    QFETCH(QString, next);
    const auto p = parseListBody(body, parseAgent);
    QVERIFY2(p.ok(), qPrintable(p.error));
    QCOMPARE(p.value->items.size(), count);
    QCOMPARE(nextPageCursor(*p.value, requestedPage, 2), next);
}

void TestSpeakNodeJson::listRejects_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("not json") << QByteArray("<html>oops</html>");
    QTest::newRow("truncated") << QByteArray(R"({"items":[{"id":"a"})");
    QTest::newRow("no items") << QByteArray(R"({"total_count":1})");
    QTest::newRow("items object") << QByteArray(R"({"items":{}})");
    QTest::newRow("total string") << QByteArray(R"({"items":[],"total_count":"1"})");
    QTest::newRow("page fraction") << QByteArray(R"({"items":[],"page":1.5})");
    QTest::newRow("bad item") << QByteArray(R"({"items":[{"id":"a"},{"title":"no id"}]})");
    QTest::newRow("array of numbers") << QByteArray("[1,2]");
    QTest::newRow("scalar") << QByteArray("42");
    QTest::newRow("empty body") << QByteArray();
}

void TestSpeakNodeJson::listRejects()
{
    QFETCH(QByteArray, body);
    const auto p = parseListBody(body, parseAgent);
    QVERIFY2(!p.ok(), "a malformed list was accepted");
    QVERIFY(!p.error.isEmpty());
    QVERIFY(!parseObjectBody(body, parseAgent).ok());
}

void TestSpeakNodeJson::dispatchBody()
{
    PlaceCallRequest call;
    call.agentId = QStringLiteral("agent-uuid");
    call.to = QStringLiteral("+14155550123");
    call.from = QStringLiteral("+18005550100");
    QJsonObject o = speaknode::dispatchBody(call);
    QCOMPARE(o.value(QLatin1String("agent_id")).toString(), QStringLiteral("agent-uuid"));
    QCOMPARE(o.value(QLatin1String("to_number")).toString(), QStringLiteral("+14155550123"));
    QCOMPARE(o.value(QLatin1String("from_number")).toString(), QStringLiteral("+18005550100"));
    QVERIFY(!o.contains(QLatin1String("dynamic_variables")));
    call.metadata = obj(R"({"name":"Mia","vip":true,"visits":3,"tags":["a"],"gone":null})");
    o = speaknode::dispatchBody(call);
    const QJsonObject vars = o.value(QLatin1String("dynamic_variables")).toObject();
    QCOMPARE(vars.value(QLatin1String("name")).toString(), QStringLiteral("Mia"));
    QCOMPARE(vars.value(QLatin1String("vip")).toString(), QStringLiteral("true"));
    QCOMPARE(vars.value(QLatin1String("visits")).toString(), QStringLiteral("3"));
    QCOMPARE(vars.value(QLatin1String("tags")).toString(), QStringLiteral("[\"a\"]"));
    QVERIFY(!vars.contains(QLatin1String("gone")));
}

void TestSpeakNodeJson::filterQuery()
{
    CallFilter f;
    QVERIFY(conversationQuery(f).isEmpty());
    f.agentId = QStringLiteral("a%41");
    f.status = CallStatus::NoAnswer;
    f.createdBefore = QDateTime(QDate(2026, 5, 4), QTime(12, 0), Qt::UTC);
    QUrlQuery q = conversationQuery(f);
    QCOMPARE(q.queryItemValue(QStringLiteral("agent_id"), QUrl::FullyDecoded),
             QStringLiteral("a%41")); // literal, not an escape
    QCOMPARE(q.queryItemValue(QStringLiteral("status")), QStringLiteral("Failed"));
    QCOMPARE(q.queryItemValue(QStringLiteral("to")), QStringLiteral("2026-05-04T12:00:00.000Z"));
    QVERIFY(!q.hasQueryItem(QStringLiteral("from")));

    // updatedSince: two hours of slack, unless createdAfter is later.
    f = CallFilter();
    f.updatedSince = QDateTime(QDate(2026, 5, 4), QTime(12, 0), Qt::UTC);
    q = conversationQuery(f);
    QCOMPARE(q.queryItemValue(QStringLiteral("from")), QStringLiteral("2026-05-04T10:00:00.000Z"));
    f.createdAfter = QDateTime(QDate(2026, 5, 4), QTime(11, 0), Qt::UTC);
    QCOMPARE(conversationQuery(f).queryItemValue(QStringLiteral("from")),
             QStringLiteral("2026-05-04T11:00:00.000Z"));
    f.createdAfter = QDateTime(QDate(2026, 5, 4), QTime(9, 0), Qt::UTC);
    QCOMPARE(conversationQuery(f).queryItemValue(QStringLiteral("from")),
             QStringLiteral("2026-05-04T10:00:00.000Z"));
    // Direction, sentiment and text have no server filter.
    f = CallFilter();
    f.direction = CallDirection::Inbound;
    f.sentiment = Sentiment::Negative;
    f.query = QStringLiteral("555");
    QVERIFY(conversationQuery(f).isEmpty());
}

void TestSpeakNodeJson::clientSideFilter()
{
    Call c = parseCall(obj(kSession)).value.value();
    c.direction = CallDirection::Inbound;
    CallFilter f;
    QVERIFY(matchesClientSide(f, c));
    f.status = CallStatus::Completed;
    QVERIFY(matchesClientSide(f, c));
    f.status = CallStatus::Busy; // asked the server for Failed; a Completed row must not pass
    QVERIFY(!matchesClientSide(f, c));
    f = CallFilter();
    f.direction = CallDirection::Outbound;
    QVERIFY(!matchesClientSide(f, c));
    f.direction = CallDirection::Inbound;
    QVERIFY(matchesClientSide(f, c));
    f = CallFilter();
    f.query = QStringLiteral("5550123");
    QVERIFY(matchesClientSide(f, c));
    f.query = QStringLiteral("999");
    QVERIFY(!matchesClientSide(f, c));
    f = CallFilter();
    f.sentiment = Sentiment::Positive;
    QVERIFY(!matchesClientSide(f, c)); // list rows carry no sentiment
    f = CallFilter();
    f.createdAfter = c.createdAt.addSecs(1);
    QVERIFY(!matchesClientSide(f, c));
    f.createdAfter = c.createdAt.addSecs(-1);
    f.createdBefore = c.createdAt.addSecs(1);
    QVERIFY(matchesClientSide(f, c));
    f = CallFilter();
    f.agentId = QStringLiteral("other");
    QVERIFY(!matchesClientSide(f, c));
    f = CallFilter();
    f.updatedSince = c.createdAt.addDays(1); // cannot be checked on the row: kept
    QVERIFY(matchesClientSide(f, c));
}

void TestSpeakNodeJson::problem422()
{
    const QByteArray body = R"({"type":"https://tools.ietf.org/html/rfc4918#section-11.2",
        "title":"One or more validation errors occurred.","status":422,"traceId":"00-abc-01",
        "errors":{"ToNumber":["The ToNumber field is required.","Must be E.164."],
                  "FromNumber":["Not one of your numbers."]}})";
    const ApiError e = ApiError::fromHttp(422, body, QByteArray());
    QCOMPARE(e.kind, ApiError::Kind::Validation);
    QCOMPARE(e.requestId, QStringLiteral("00-abc-01"));
    QCOMPARE(e.fieldErrors.size(), 2);
    QCOMPARE(e.fieldErrors.value(QStringLiteral("ToNumber")).size(), 2);
    QCOMPARE(e.fieldErrors.value(QStringLiteral("FromNumber")),
             QStringList{QStringLiteral("Not one of your numbers.")});
    // The first field (JSON objects are key-ordered) and its first message lead.
    QCOMPARE(e.field, QStringLiteral("FromNumber"));
    QCOMPARE(e.message, QStringLiteral("Not one of your numbers."));
    QVERIFY(e.caption().contains(QStringLiteral("Not one of your numbers.")));

    const ApiError plain = ApiError::fromHttp(
        404, R"({"title":"Not Found","status":404,"detail":"No such session"})", QByteArray());
    QCOMPARE(plain.kind, ApiError::Kind::NotFound);
    QCOMPARE(plain.message, QStringLiteral("No such session"));
    QVERIFY(plain.fieldErrors.isEmpty());
    const ApiError odd =
        ApiError::fromHttp(422, R"({"title":"x","errors":{"A":"one","B":[1]}})", QByteArray());
    QCOMPARE(odd.fieldErrors.value(QStringLiteral("A")), QStringList{QStringLiteral("one")});
    QVERIFY(odd.fieldErrors.value(QStringLiteral("B")).isEmpty());
    QCOMPARE(odd.message, QStringLiteral("one"));
}

void TestSpeakNodeJson::fieldNames()
{
    QCOMPARE(consoleFieldName(QStringLiteral("ToNumber")), QStringLiteral("to"));
    QCOMPARE(consoleFieldName(QStringLiteral("to_number")), QStringLiteral("to"));
    QCOMPARE(consoleFieldName(QStringLiteral("FromNumber")), QStringLiteral("from"));
    QCOMPARE(consoleFieldName(QStringLiteral("AgentId")), QStringLiteral("agentId"));
    QCOMPARE(consoleFieldName(QStringLiteral("agentid")), QStringLiteral("agentId"));
    QCOMPARE(consoleFieldName(QStringLiteral("Whatever")), QStringLiteral("Whatever"));
}

QTEST_GUILESS_MAIN(TestSpeakNodeJson)
#include "tst_speaknodejson.moc"
