// Table tests of the pure Talknex JSON -> DTO functions (no network).
#include "api/talknexjson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace sb::api;

// Declared before the raw-string tables: moc's tokenizer loses track in multi-line raw strings.
class TestDto : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parse_data();
    void parse();
    void agentFields();
    void callDetailsFields();
    void unknownEnumsAreUnknown();
    void phoneAndContactFields();
    void page_data();
    void page();
    void writers();
    void callFilterQuery();
};

namespace {

struct Spec
{
    const char *name;
    QJsonObject valid;
    QStringList required;
    const char *optionalField; //!< an optional field to corrupt (nullptr: none is typed)
};

QJsonObject obj(const char *json)
{
    return QJsonDocument::fromJson(QByteArray(json)).object();
}

QList<Spec> specs()
{
    return {
        {"agent",
         obj(R"({"id":"agent_1","name":"Front desk","status":"active","language":"en-US",
                 "systemPrompt":"Be nice","voiceSpeed":1.1,"llmMaxTokens":512,
                 "builtinTools":["book_appointment"],
                 "tools":[{"name":"lookup","description":"d","parameters":{"type":"object"},
                           "webhookUrl":"https://x.example/h"}],
                 "knowledgeCollectionIds":["col_1"],"createdAt":"2024-05-01T10:00:00Z"})"),
         {QStringLiteral("id"), QStringLiteral("name")},
         "voiceSpeed"},
        {"call",
         obj(R"({"id":"call_1","status":"completed","direction":"outbound","agentId":"agent_1",
                 "to":"+14155550100","from":"+14155550199","createdAt":"2024-05-01T10:00:00.250Z",
                 "duration":42,"endReason":"caller_hangup","sentiment":"positive",
                 "sentimentScore":0.5,"metadata":{"k":"v"},"recordingUrl":null})"),
         {QStringLiteral("id"), QStringLiteral("status"), QStringLiteral("createdAt")},
         "duration"},
        {"callDetails",
         obj(R"({"id":"call_1","status":"completed","createdAt":"2024-05-01T10:00:00Z",
                 "transcript":[{"role":"agent","text":"Hi","startMs":0,"endMs":900}],
                 "sentimentTimeline":[{"atMs":1000,"label":"neutral","score":0.0}],
                 "toolCalls":[{"tool":"book_appointment","args":{"day":"mon"},"atMs":5}]})"),
         {QStringLiteral("id"), QStringLiteral("status"), QStringLiteral("createdAt")},
         "transcript"},
        {"transcriptLine",
         obj(R"({"role":"caller","text":"Hello","startMs":100,"endMs":900})"),
         {QStringLiteral("role"), QStringLiteral("text"), QStringLiteral("startMs")},
         "endMs"},
        {"sentimentPoint",
         obj(R"({"atMs":100,"label":"negative","score":-0.4})"),
         {QStringLiteral("atMs"), QStringLiteral("label")},
         "score"},
        {"toolCall",
         obj(R"({"tool":"transfer_to_human","args":{},"result":{"ok":true},"atMs":7})"),
         {QStringLiteral("tool"), QStringLiteral("atMs")},
         nullptr},
        {"phoneNumber",
         obj(R"({"id":"pn_1","number":"+14155550100","friendlyName":"Main","agentId":null,
                 "status":"active","capabilities":{"voice":true,"sms":false},
                 "provider":"twilio","routing":{"mode":"forward","forwardTo":"+14155550111"},
                 "createdAt":"2024-05-01T10:00:00Z"})"),
         {QStringLiteral("id"), QStringLiteral("number")},
         "capabilities"},
        {"collection",
         obj(R"({"id":"col_1","name":"FAQ","description":"d","documentCount":3,
                 "createdAt":"2024-05-01T10:00:00Z"})"),
         {QStringLiteral("id"), QStringLiteral("name")},
         "documentCount"},
        {"document",
         obj(R"({"id":"doc_1","title":"Prices","source":"file","status":"ready","chunkCount":4,
                 "sizeBytes":2048,"createdAt":"2024-05-01T10:00:00Z"})"),
         {QStringLiteral("id"), QStringLiteral("status")},
         "sizeBytes"},
        {"contact",
         obj(R"({"id":"contact_1","name":"Ada","phone":"+14155550100","email":"a@x.example",
                 "tags":["vip"],"customFields":{"plan":"gold"},"createdAt":"2024-05-01T10:00:00Z",
                 "updatedAt":"2024-05-02T10:00:00Z"})"),
         {QStringLiteral("id"), QStringLiteral("phone")},
         "tags"},
    };
}

QString parseByName(const QByteArray &name, const QByteArray &body)
{
    const auto err = [](const auto &parsed) { return parsed.ok() ? QString() : parsed.error; };
    if (name == "agent")
        return err(talknex::parseBody(body, talknex::parseAgent));
    if (name == "call")
        return err(talknex::parseBody(body, talknex::parseCall));
    if (name == "callDetails")
        return err(talknex::parseBody(body, talknex::parseCallDetails));
    if (name == "transcriptLine")
        return err(talknex::parseBody(body, talknex::parseTranscriptLine));
    if (name == "sentimentPoint")
        return err(talknex::parseBody(body, talknex::parseSentimentPoint));
    if (name == "toolCall")
        return err(talknex::parseBody(body, talknex::parseToolCall));
    if (name == "phoneNumber")
        return err(talknex::parseBody(body, talknex::parsePhoneNumber));
    if (name == "collection")
        return err(talknex::parseBody(body, talknex::parseCollection));
    if (name == "document")
        return err(talknex::parseBody(body, talknex::parseDocument));
    if (name == "contact")
        return err(talknex::parseBody(body, talknex::parseContact));
    return QStringLiteral("unknown dto in test");
}

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

} // namespace

void TestDto::parse_data()
{
    QTest::addColumn<QByteArray>("dto");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("ok");
    for (const Spec &s : specs()) {
        const QByteArray n(s.name);
        QTest::newRow(QByteArray(n + " valid").constData()) << n << compact(s.valid) << true;
        QJsonObject extra = s.valid;
        extra.insert(QStringLiteral("zzFutureField"), QJsonObject{{QStringLiteral("a"), 1}});
        QTest::newRow(QByteArray(n + " extra field").constData()) << n << compact(extra) << true;
        if (s.optionalField) {
            QJsonObject nulled = s.valid;
            nulled.insert(QLatin1String(s.optionalField), QJsonValue::Null);
            QTest::newRow(QByteArray(n + " optional null").constData())
                << n << compact(nulled) << true;
            QJsonObject dropped = s.valid;
            dropped.remove(QLatin1String(s.optionalField));
            QTest::newRow(QByteArray(n + " optional missing").constData())
                << n << compact(dropped) << true;
            QJsonObject wrongOptional = s.valid;
            wrongOptional.insert(QLatin1String(s.optionalField),
                                 s.valid.value(QLatin1String(s.optionalField)).isString()
                                     ? QJsonValue(true)
                                     : QJsonValue(QStringLiteral("not-this-type")));
            QTest::newRow(QByteArray(n + " wrong-typed optional").constData())
                << n << compact(wrongOptional) << false;
        }
        for (const QString &field : s.required) {
            QJsonObject missing = s.valid;
            missing.remove(field);
            QTest::newRow(QByteArray(n + " missing " + field.toUtf8()).constData())
                << n << compact(missing) << false;
            QJsonObject wrong = s.valid;
            // A number where a string is expected, a string where a number is expected.
            wrong.insert(field, s.valid.value(field).isString() ? QJsonValue(42)
                                                                : QJsonValue(QStringLiteral("x")));
            QTest::newRow(QByteArray(n + " wrong-typed " + field.toUtf8()).constData())
                << n << compact(wrong) << false;
        }
        const QByteArray full = compact(s.valid);
        QTest::newRow(QByteArray(n + " truncated").constData())
            << n << full.left(full.size() / 2) << false;
        QTest::newRow(QByteArray(n + " array instead of object").constData())
            << n << QByteArray("[" + full + "]") << false;
        QTest::newRow(QByteArray(n + " empty body").constData()) << n << QByteArray() << false;
        QTest::newRow(QByteArray(n + " garbage").constData())
            << n << QByteArray("<html>502</html>") << false;
    }
}

void TestDto::parse()
{
    QFETCH(QByteArray, dto);
    QFETCH(QByteArray, body);
    QFETCH(bool, ok);
    const QString error = parseByName(dto, body);
    QCOMPARE(error.isEmpty(), ok);
}

void TestDto::agentFields()
{
    const auto p = talknex::parseBody(compact(specs().at(0).valid), talknex::parseAgent);
    QVERIFY(p.ok());
    const Agent &a = *p.value;
    QCOMPARE(a.id, QStringLiteral("agent_1"));
    QCOMPARE(a.status, AgentStatus::Active);
    QCOMPARE(a.voiceSpeed.value_or(0), 1.1);
    QVERIFY(!a.voicePitch.has_value());
    QCOMPARE(a.llmMaxTokens.value_or(0), 512);
    QCOMPARE(a.tools.size(), 1);
    QCOMPARE(a.tools.at(0).parameters.value(QStringLiteral("type")).toString(),
             QStringLiteral("object"));
    QCOMPARE(a.knowledgeCollectionIds, QStringList{QStringLiteral("col_1")});
    QCOMPARE(a.createdAt, QDateTime(QDate(2024, 5, 1), QTime(10, 0), Qt::UTC));

    // A bad nested tool rejects the agent; a non-integer max tokens too.
    QVERIFY(
        !talknex::parseAgent(obj(R"({"id":"a","name":"n","tools":[{"description":"no name"}]})"))
             .ok());
    QVERIFY(!talknex::parseAgent(obj(R"({"id":"a","name":"n","llmMaxTokens":1.5})")).ok());
    QVERIFY(!talknex::parseAgent(obj(R"({"id":"a","name":"n","builtinTools":[1]})")).ok());
    QVERIFY(!talknex::parseAgent(obj(R"({"id":"","name":"n"})")).ok());
    QVERIFY(!talknex::parseAgent(obj(R"({"id":"a","name":"n","createdAt":"yesterday"})")).ok());
}

void TestDto::callDetailsFields()
{
    const auto p = talknex::parseBody(compact(specs().at(2).valid), talknex::parseCallDetails);
    QVERIFY(p.ok());
    QCOMPARE(p.value->call.id, QStringLiteral("call_1"));
    QCOMPARE(p.value->transcript.size(), 1);
    QCOMPARE(p.value->transcript.at(0).role, SpeakerRole::Agent);
    QCOMPARE(p.value->transcript.at(0).endMs, 900);
    QCOMPARE(p.value->sentimentTimeline.at(0).label, Sentiment::Neutral);
    QCOMPARE(p.value->toolCalls.at(0).args.toObject().value(QStringLiteral("day")).toString(),
             QStringLiteral("mon"));
    QVERIFY(p.value->toolCalls.at(0).result.isUndefined());

    const auto c = talknex::parseBody(compact(specs().at(1).valid), talknex::parseCall);
    QVERIFY(c.ok());
    QCOMPARE(c.value->durationSeconds, 42);
    QCOMPARE(c.value->endReason, EndReason::CallerHangup);
    QCOMPARE(c.value->sentiment, Sentiment::Positive);
    QVERIFY(c.value->recordingUrl.isEmpty());
    QVERIFY(!c.value->startedAt.isValid());
    QCOMPARE(c.value->createdAt.time().msec(), 250);

    // A bad transcript line rejects the whole details object.
    QVERIFY(!talknex::parseCallDetails(obj(R"({"id":"c","status":"completed",
        "createdAt":"2024-05-01T10:00:00Z","transcript":[{"role":"agent","startMs":0}]})"))
                 .ok());
    QVERIFY(!talknex::parseCallDetails(obj(R"({"id":"c","status":"completed",
        "createdAt":"2024-05-01T10:00:00Z","transcript":{}})"))
                 .ok());
}

void TestDto::unknownEnumsAreUnknown()
{
    const auto c = talknex::parseCall(obj(R"({"id":"c","status":"teleported",
        "direction":"sideways","createdAt":"2024-05-01T10:00:00Z","sentiment":"ecstatic",
        "endReason":"meteor"})"));
    QVERIFY(c.ok());
    QCOMPARE(c.value->status, CallStatus::Unknown);
    QCOMPARE(c.value->direction, CallDirection::Unknown);
    QCOMPARE(c.value->sentiment, Sentiment::Unknown);
    QCOMPARE(c.value->endReason, EndReason::Unknown);
    const auto n = talknex::parseCall(obj(R"({"id":"c","status":"busy",
        "createdAt":"2024-05-01T10:00:00Z","sentiment":null})"));
    QVERIFY(n.ok());
    QCOMPARE(n.value->status, CallStatus::Busy);
    QCOMPARE(n.value->sentiment, Sentiment::None);
    QCOMPARE(n.value->endReason, EndReason::None);
}

void TestDto::phoneAndContactFields()
{
    const auto p = talknex::parseBody(compact(specs().at(6).valid), talknex::parsePhoneNumber);
    QVERIFY(p.ok());
    QVERIFY(p.value->voice);
    QVERIFY(!p.value->sms);
    QVERIFY(p.value->agentId.isEmpty());
    QCOMPARE(p.value->routing.mode, RoutingMode::Forward);
    QCOMPARE(p.value->routing.forwardTo, QStringLiteral("+14155550111"));
    QVERIFY(!talknex::parsePhoneNumber(
                 obj(R"({"id":"p","number":"+1","capabilities":{"voice":"yes"}})"))
                 .ok());

    const auto c = talknex::parseBody(compact(specs().at(9).valid), talknex::parseContact);
    QVERIFY(c.ok());
    QCOMPARE(c.value->customFields.value(QStringLiteral("plan")), QStringLiteral("gold"));
    QCOMPARE(c.value->tags, QStringList{QStringLiteral("vip")});
    QVERIFY(!talknex::parseContact(obj(R"({"id":"c","phone":"+1","customFields":{"n":3}})")).ok());
}

void TestDto::page_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<int>("count");
    QTest::addColumn<QString>("cursor");
    const QByteArray a1 = R"({"id":"agent_1","name":"A"})";
    const QByteArray a2 = R"({"id":"agent_2","name":"B"})";
    QTest::newRow("envelope with cursor")
        << QByteArray(R"({"data":[)" + a1 + "," + a2 + R"(],"nextCursor":"c2"})") << true << 2
        << QStringLiteral("c2");
    QTest::newRow("envelope last page")
        << QByteArray(R"({"data":[)" + a1 + R"(],"nextCursor":null})") << true << 1 << QString();
    QTest::newRow("envelope without cursor key")
        << QByteArray(R"({"data":[]})") << true << 0 << QString();
    QTest::newRow("envelope extra fields")
        << QByteArray(R"({"data":[)" + a1 + R"(],"total":9,"nextCursor":null})") << true << 1
        << QString();
    QTest::newRow("bare array") << QByteArray("[" + a1 + "," + a2 + "]") << true << 2 << QString();
    QTest::newRow("empty bare array") << QByteArray("[]") << true << 0 << QString();
    QTest::newRow("missing data") << QByteArray(R"({"nextCursor":"x"})") << false << 0 << QString();
    QTest::newRow("data not array") << QByteArray(R"({"data":{}})") << false << 0 << QString();
    QTest::newRow("cursor wrong type")
        << QByteArray(R"({"data":[],"nextCursor":5})") << false << 0 << QString();
    QTest::newRow("bad item") << QByteArray(R"({"data":[)" + a1 + R"(,{"id":"x"}]})") << false << 0
                              << QString();
    QTest::newRow("item not object") << QByteArray(R"([1,2])") << false << 0 << QString();
    QTest::newRow("truncated") << QByteArray(R"({"data":[)" + a1) << false << 0 << QString();
    QTest::newRow("scalar") << QByteArray("42") << false << 0 << QString();
}

void TestDto::page()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, ok);
    QFETCH(int, count);
    QFETCH(QString, cursor);
    const auto p = talknex::parsePage(body, talknex::parseAgent);
    QCOMPARE(p.ok(), ok);
    if (!ok) {
        QVERIFY(!p.error.isEmpty());
        return;
    }
    QCOMPARE(p.value->items.size(), count);
    QCOMPARE(p.value->nextCursor, cursor);
    QCOMPARE(p.value->hasMore(), !cursor.isEmpty());
}

void TestDto::writers()
{
    AgentChanges changes;
    changes.name = QStringLiteral("New");
    changes.voiceSpeed = 1.5;
    changes.status = AgentStatus::Paused;
    const QJsonObject a = talknex::toJson(changes);
    QCOMPARE(a.size(), 3);
    QCOMPARE(a.value(QStringLiteral("status")).toString(), QStringLiteral("paused"));
    QCOMPARE(a.value(QStringLiteral("voiceSpeed")).toDouble(), 1.5);

    PhoneNumberChanges unassign;
    unassign.agentId = QString();
    QVERIFY(talknex::toJson(unassign).value(QStringLiteral("agentId")).isNull());
    QVERIFY(talknex::toJson(unassign).contains(QStringLiteral("agentId")));

    NumberPurchase byNumber{QStringLiteral("US"), QStringLiteral("415"),
                            QStringLiteral("+14155550100")};
    QCOMPARE(talknex::toJson(byNumber).keys(), QStringList{QStringLiteral("number")});
    NumberPurchase byArea{QStringLiteral("US"), QStringLiteral("415"), QString()};
    QCOMPARE(talknex::toJson(byArea).value(QStringLiteral("areaCode")).toString(),
             QStringLiteral("415"));

    ContactChanges contact;
    contact.customFields = QMap<QString, QString>{{QStringLiteral("plan"), QStringLiteral("gold")}};
    QCOMPARE(talknex::toJson(contact)
                 .value(QStringLiteral("customFields"))
                 .toObject()
                 .value(QStringLiteral("plan"))
                 .toString(),
             QStringLiteral("gold"));
    // A null value removes a custom field and clears email; an empty one stays a string.
    ContactChanges removal;
    removal.customFields = QMap<QString, QString>{{QStringLiteral("plan"), QString()},
                                                  {QStringLiteral("note"), QStringLiteral("")}};
    removal.email = QString();
    const QJsonObject removalJson = talknex::toJson(removal);
    const QJsonObject custom = removalJson.value(QStringLiteral("customFields")).toObject();
    QVERIFY(custom.contains(QStringLiteral("plan")) &&
            custom.value(QStringLiteral("plan")).isNull());
    QVERIFY(custom.value(QStringLiteral("note")).isString());
    QVERIFY(removalJson.contains(QStringLiteral("email")));
    QVERIFY(removalJson.value(QStringLiteral("email")).isNull());
}

void TestDto::callFilterQuery()
{
    CallFilter f;
    f.agentId = QStringLiteral("agent_1");
    f.status = CallStatus::NoAnswer;
    f.direction = CallDirection::Inbound;
    f.sentiment = Sentiment::Negative;
    f.createdAfter = QDateTime(QDate(2024, 1, 2), QTime(3, 4, 5), Qt::UTC);
    f.updatedSince = QDateTime(QDate(2024, 2, 1), QTime(0, 0), Qt::UTC);
    f.query = QStringLiteral("+1415");
    const QUrlQuery q = talknex::callFilterQuery(f);
    QCOMPARE(q.queryItemValue(QStringLiteral("status")), QStringLiteral("no_answer"));
    QCOMPARE(q.queryItemValue(QStringLiteral("direction")), QStringLiteral("inbound"));
    QCOMPARE(q.queryItemValue(QStringLiteral("sentiment")), QStringLiteral("negative"));
    QCOMPARE(q.queryItemValue(QStringLiteral("createdAfter")),
             QStringLiteral("2024-01-02T03:04:05.000Z"));
    QCOMPARE(q.queryItemValue(QStringLiteral("updatedSince")),
             QStringLiteral("2024-02-01T00:00:00.000Z"));
    QCOMPARE(q.queryItemValue(QStringLiteral("q"), QUrl::FullyDecoded), QStringLiteral("+1415"));
    QVERIFY(!q.hasQueryItem(QStringLiteral("createdBefore")));
    QVERIFY(talknex::callFilterQuery(CallFilter{}).isEmpty());
}

QTEST_GUILESS_MAIN(TestDto)
#include "tst_dto.moc"
