// Second half of tst_sim_api: writes, idempotency, ETags, limits, recordings, faults.
#include "simapi.h"
#include "tst_sim_api.h"

#include <QElapsedTimer>
#include <QHttpMultiPart>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

namespace {

QJsonArray dataOf(const SimReply &r)
{
    return r.json.value(QLatin1String("data")).toArray();
}

QString str(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}

quint32 le32(const QByteArray &b, int at)
{
    return quint32(quint8(b.at(at))) | quint32(quint8(b.at(at + 1))) << 8 |
           quint32(quint8(b.at(at + 2))) << 16 | quint32(quint8(b.at(at + 3))) << 24;
}

} // namespace

void TestSimApi::placeCall()
{
    const QJsonObject number =
        dataOf(m_client->get(QStringLiteral("/phone-numbers?limit=100"), m_key)).at(0).toObject();
    QVERIFY(!str(number, "agentId").isEmpty());
    const QJsonObject good{
        {QStringLiteral("agentId"), str(number, "agentId")},
        {QStringLiteral("to"), QStringLiteral("+14155550199")},
        {QStringLiteral("from"), str(number, "number")},
        {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("k"), QStringLiteral("v")}}}};
    struct
    {
        const char *field;
        QJsonValue value;
    } bad[] = {{"agentId", QJsonValue()},
               {"agentId", QStringLiteral("agent_unknown")},
               {"to", QStringLiteral("555-1234")},
               {"from", QStringLiteral("+19999999999")}};
    for (const auto &b : bad) {
        QJsonObject body = good;
        if (b.value.isNull())
            body.remove(QLatin1String(b.field));
        else
            body.insert(QLatin1String(b.field), b.value);
        const SimReply r = m_client->post(QStringLiteral("/calls"), m_key, body);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errorField(), QLatin1String(b.field));
    }
    // Another organization's agent is not ours to use.
    const QString theirAgent =
        str(dataOf(m_client->get(QStringLiteral("/agents"), m_otherKey)).at(0).toObject(), "id");
    QJsonObject foreign = good;
    foreign.insert(QStringLiteral("agentId"), theirAgent);
    QCOMPARE(m_client->post(QStringLiteral("/calls"), m_key, foreign).errorField(),
             QStringLiteral("agentId"));

    const SimReply r = m_client->post(QStringLiteral("/calls"), m_key, good);
    QCOMPARE(r.status, 201);
    QCOMPARE(str(r.json, "status"), QStringLiteral("initiated"));
    QCOMPARE(str(r.json, "direction"), QStringLiteral("outbound"));
    QVERIFY(r.json.value(QLatin1String("recordingUrl")).isNull());
    QCOMPARE(str(r.json.value(QLatin1String("metadata")).toObject(), "k"), QStringLiteral("v"));
    const QString id = str(r.json, "id");
    // Newest first: the new call heads the list.
    QCOMPARE(
        str(dataOf(m_client->get(QStringLiteral("/calls?limit=1"), m_key)).at(0).toObject(), "id"),
        id);
    const SimReply details = m_client->get(QStringLiteral("/calls/") + id, m_key);
    QCOMPARE(details.status, 200);
    QVERIFY(details.json.value(QLatin1String("transcript")).toArray().isEmpty());
    QCOMPARE(
        m_client->get(QStringLiteral("/calls/") + id + QStringLiteral("/recording"), m_key).status,
        404);
}

void TestSimApi::callDetailsConsistent()
{
    const SimReply list = m_client->get(QStringLiteral("/calls?status=completed&limit=30"), m_key);
    for (const QJsonValue &v : dataOf(list)) {
        const QString id = str(v.toObject(), "id");
        const SimReply r = m_client->get(QStringLiteral("/calls/") + id, m_key);
        QCOMPARE(r.status, 200);
        const QJsonArray t = r.json.value(QLatin1String("transcript")).toArray();
        QVERIFY(!t.isEmpty());
        qint64 lastEnd = 0;
        for (const QJsonValue &line : t) {
            const QJsonObject l = line.toObject();
            QVERIFY(!str(l, "text").isEmpty());
            QVERIFY(!str(l, "text").contains(QLatin1Char('{'))); // placeholders all filled
            QVERIFY(l.value(QLatin1String("startMs")).toInteger() >= lastEnd);
            QVERIFY(l.value(QLatin1String("endMs")).toInteger() >
                    l.value(QLatin1String("startMs")).toInteger());
            lastEnd = l.value(QLatin1String("endMs")).toInteger();
        }
        // The call's duration and sentiment agree with its transcript.
        const int duration = r.json.value(QLatin1String("duration")).toInt();
        QVERIFY(duration * 1000 >= lastEnd);
        QVERIFY(duration * 1000 <= lastEnd + 2000);
        QVERIFY(!str(r.json, "sentiment").isEmpty());
        QVERIFY(r.json.contains(QLatin1String("sentimentTimeline")));
        QVERIFY(r.json.value(QLatin1String("toolCalls")).isArray());
        QVERIFY(!r.header("ETag").isEmpty());
    }
}

void TestSimApi::deleteCall()
{
    const QString id = firstCompletedCall();
    QCOMPARE(m_client->send("DELETE", QStringLiteral("/calls/") + id, m_otherKey).status, 403);
    QCOMPARE(m_client->send("DELETE", QStringLiteral("/calls/") + id, m_key).status, 204);
    QCOMPARE(m_client->get(QStringLiteral("/calls/") + id, m_key).status, 404);
    QCOMPARE(
        m_client->get(QStringLiteral("/calls/") + id + QStringLiteral("/recording"), m_key).status,
        404);
}

void TestSimApi::phoneNumbers()
{
    SimReply r = m_client->post(QStringLiteral("/phone-numbers"), m_key,
                                {{QStringLiteral("country"), QStringLiteral("US")},
                                 {QStringLiteral("areaCode"), QStringLiteral("415")}});
    QCOMPARE(r.status, 201);
    QVERIFY(str(r.json, "number").startsWith(QLatin1String("+1415")));
    QCOMPARE(str(r.json, "provider"), QStringLiteral("twilio"));
    const QString id = str(r.json, "id");
    r = m_client->post(QStringLiteral("/phone-numbers"), m_key,
                       {{QStringLiteral("number"), QStringLiteral("+442071838750")}});
    QCOMPARE(r.status, 201);
    r = m_client->post(QStringLiteral("/phone-numbers"), m_key,
                       {{QStringLiteral("number"), QStringLiteral("+442071838750")}});
    QCOMPARE(r.status, 409);
    r = m_client->post(QStringLiteral("/phone-numbers"), m_key,
                       {{QStringLiteral("country"), QStringLiteral("XX")}});
    QCOMPARE(r.errorField(), QStringLiteral("country"));

    const QString agentId =
        str(dataOf(m_client->get(QStringLiteral("/agents?limit=1"), m_key)).at(0).toObject(), "id");
    r = m_client->patch(
        QStringLiteral("/phone-numbers/") + id, m_key,
        {{QStringLiteral("agentId"), agentId},
         {QStringLiteral("friendlyName"), QStringLiteral("Front desk")},
         {QStringLiteral("routing"),
          QJsonObject{{QStringLiteral("mode"), QStringLiteral("forward")},
                      {QStringLiteral("forwardTo"), QStringLiteral("+14155550111")}}}});
    QCOMPARE(r.status, 200);
    QCOMPARE(str(r.json, "agentId"), agentId);
    QCOMPARE(str(r.json.value(QLatin1String("routing")).toObject(), "forwardTo"),
             QStringLiteral("+14155550111"));
    r = m_client->patch(QStringLiteral("/phone-numbers/") + id, m_key,
                        {{QStringLiteral("routing"),
                          QJsonObject{{QStringLiteral("mode"), QStringLiteral("forward")}}}});
    QCOMPARE(r.errorField(), QStringLiteral("routing.forwardTo"));
    QCOMPARE(m_client->send("DELETE", QStringLiteral("/phone-numbers/") + id, m_key).status, 204);
    QCOMPARE(str(m_client->get(QStringLiteral("/phone-numbers/") + id, m_key).json, "status"),
             QStringLiteral("released"));
}

void TestSimApi::knowledge()
{
    SimReply r = m_client->post(QStringLiteral("/knowledge/collections"), m_key,
                                {{QStringLiteral("name"), QStringLiteral("Menus")}});
    QCOMPARE(r.status, 201);
    const QString col = str(r.json, "id");
    QCOMPARE(r.json.value(QLatin1String("documentCount")).toInt(), 0);
    r = m_client->post(
        QStringLiteral("/knowledge/collections/") + col + QStringLiteral("/documents"), m_key,
        {{QStringLiteral("title"), QStringLiteral("Lunch")},
         {QStringLiteral("chunks"),
          QJsonArray{QStringLiteral("Soup 5"), QStringLiteral("Pasta 12")}}});
    QCOMPARE(r.status, 201);
    QCOMPARE(r.json.value(QLatin1String("chunkCount")).toInt(), 2);
    QCOMPARE(str(r.json, "source"), QStringLiteral("text"));
    const QString doc = str(r.json, "id");
    r = m_client->post(
        QStringLiteral("/knowledge/collections/") + col + QStringLiteral("/documents"), m_key,
        {{QStringLiteral("title"), QStringLiteral("x")},
         {QStringLiteral("chunks"), QJsonArray{1}}});
    QCOMPARE(r.errorField(), QStringLiteral("chunks"));
    r = m_client->get(
        QStringLiteral("/knowledge/collections/") + col + QStringLiteral("/documents"), m_key);
    QCOMPARE(dataOf(r).size(), 1);
    QCOMPARE(
        m_client
            ->get(QStringLiteral("/knowledge/collections/") + col + QStringLiteral("/documents"),
                  m_otherKey)
            .status,
        403);
    QCOMPARE(m_client
                 ->send("DELETE",
                        QStringLiteral("/knowledge/collections/") + col +
                            QStringLiteral("/documents/") + doc,
                        m_key)
                 .status,
             204);
    QCOMPARE(dataOf(m_client->get(QStringLiteral("/knowledge/collections/") + col +
                                      QStringLiteral("/documents"),
                                  m_key))
                 .size(),
             0);
    QVERIFY(dataOf(m_client->get(QStringLiteral("/knowledge/collections"), m_key)).size() >= 6);
}

static SimReply upload(QNetworkAccessManager &nam, const QString &url, const QString &key,
                       const QString &filename, const QByteArray &type, const QByteArray &content)
{
    auto *multi = new QHttpMultiPart(QHttpMultiPart::FormDataType);
    QHttpPart part;
    part.setHeader(
        QNetworkRequest::ContentDispositionHeader,
        QByteArray(QByteArray("form-data; name=\"file\"; filename=\"") + filename.toUtf8() + '"'));
    part.setHeader(QNetworkRequest::ContentTypeHeader, type);
    part.setBody(content);
    multi->append(part);
    QNetworkRequest req{QUrl(url)};
    req.setRawHeader("Authorization", "Bearer " + key.toUtf8());
    QNetworkReply *reply = nam.post(req, multi);
    multi->setParent(reply);
    QSignalSpy done(reply, &QNetworkReply::finished);
    done.wait(120000);
    SimReply r;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.body = reply->readAll();
    r.json = QJsonDocument::fromJson(r.body).object();
    reply->deleteLater();
    return r;
}

void TestSimApi::multipartUpload()
{
    const QString col =
        str(dataOf(m_client->get(QStringLiteral("/knowledge/collections"), m_key)).at(0).toObject(),
            "id");
    const QString url = m_sim->baseUrl() + QStringLiteral("/knowledge/collections/") + col +
                        QStringLiteral("/documents");
    QNetworkAccessManager nam;
    SimReply r =
        upload(nam, url, m_key, QStringLiteral("faq.md"), "text/markdown", QByteArray(2500, 'a'));
    QCOMPARE(r.status, 201);
    QCOMPARE(str(r.json, "title"), QStringLiteral("faq.md"));
    QCOMPARE(r.json.value(QLatin1String("sizeBytes")).toInt(), 2500);
    QCOMPARE(r.json.value(QLatin1String("chunkCount")).toInt(), 3);
    r = upload(nam, url, m_key, QStringLiteral("tool.exe"), "application/octet-stream", "MZ...");
    QCOMPARE(r.status, 400);
    QCOMPARE(r.errorField(), QStringLiteral("file"));
    r = upload(nam, url, m_key, QStringLiteral("big.txt"), "text/plain",
               QByteArray(50 * 1024 * 1024 + 1, 'x'));
    QCOMPARE(r.status, 400);
    QVERIFY(r.json.value(QLatin1String("error"))
                .toObject()
                .value(QLatin1String("message"))
                .toString()
                .contains(QLatin1String("50 MB")));
}

void TestSimApi::contacts()
{
    const QJsonArray vip =
        dataOf(m_client->get(QStringLiteral("/contacts?tag=vip&limit=100"), m_key));
    QVERIFY(!vip.isEmpty());
    for (const QJsonValue &v : vip)
        QVERIFY(
            v.toObject().value(QLatin1String("tags")).toArray().contains(QStringLiteral("vip")));
    const QString name = str(vip.at(0).toObject(), "name");
    const QString last = name.section(QLatin1Char(' '), 1);
    const QJsonArray found =
        dataOf(m_client->get(QStringLiteral("/contacts?limit=100&q=") + last.toLower(), m_key));
    QVERIFY(!found.isEmpty());
    for (const QJsonValue &v : found)
        QVERIFY(QJsonDocument(v.toObject()).toJson().toLower().contains(last.toLower().toUtf8()));

    SimReply r = m_client->post(QStringLiteral("/contacts"), m_key,
                                {{QStringLiteral("name"), QStringLiteral("Zed Quill")},
                                 {QStringLiteral("phone"), QStringLiteral("+14155550177")},
                                 {QStringLiteral("customFields"),
                                  QJsonObject{{QStringLiteral("tier"), QStringLiteral("gold")}}}});
    QCOMPARE(r.status, 201);
    const QString id = str(r.json, "id");
    r = m_client->patch(QStringLiteral("/contacts/") + id, m_key,
                        {{QStringLiteral("customFields"),
                          QJsonObject{{QStringLiteral("tier"), QJsonValue()},
                                      {QStringLiteral("plan"), QStringLiteral("pro")}}}});
    QCOMPARE(r.status, 200);
    const QJsonObject fields = r.json.value(QLatin1String("customFields")).toObject();
    QVERIFY(!fields.contains(QLatin1String("tier")));
    QCOMPARE(str(fields, "plan"), QStringLiteral("pro"));
    r = m_client->patch(QStringLiteral("/contacts/") + id, m_key,
                        {{QStringLiteral("phone"), QStringLiteral("12")}});
    QCOMPARE(r.errorField(), QStringLiteral("phone"));
    r = m_client->post(QStringLiteral("/contacts"), m_key,
                       {{QStringLiteral("name"), QStringLiteral("No Phone")}});
    QCOMPARE(r.errorField(), QStringLiteral("phone"));
}

void TestSimApi::idempotency()
{
    const QJsonObject body{{QStringLiteral("name"), QStringLiteral("Idem Potent")},
                           {QStringLiteral("phone"), QStringLiteral("+14155550188")}};
    const QList<QPair<QByteArray, QByteArray>> key{{"Idempotency-Key", "idem-1"}};
    const SimReply first = m_client->post(QStringLiteral("/contacts"), m_key, body, key);
    QCOMPARE(first.status, 201);
    const SimReply again = m_client->post(QStringLiteral("/contacts"), m_key2, body, key);
    QCOMPARE(again.status, 201);
    QCOMPARE(again.body, first.body);
    QCOMPARE(dataOf(m_client->get(QStringLiteral("/contacts?q=Idem%20Potent"), m_key)).size(), 1);
    QJsonObject other = body;
    other.insert(QStringLiteral("name"), QStringLiteral("Someone Else"));
    const SimReply conflict = m_client->post(QStringLiteral("/contacts"), m_key, other, key);
    QCOMPARE(conflict.status, 409);
    QCOMPARE(conflict.errorCode(), QStringLiteral("conflict"));
    // Keys are per organization.
    QCOMPARE(m_client->post(QStringLiteral("/contacts"), m_otherKey, body, key).status, 201);
}

void TestSimApi::etagAndPreconditions()
{
    const QString id = str(
        dataOf(m_client->get(QStringLiteral("/contacts?limit=1"), m_key)).at(0).toObject(), "id");
    const SimReply read = m_client->get(QStringLiteral("/contacts/") + id, m_key);
    const QByteArray etag = read.header("ETag");
    QVERIFY(!etag.isEmpty());
    SimReply r = m_client->patch(QStringLiteral("/contacts/") + id, m_key,
                                 {{QStringLiteral("company"), QStringLiteral("First Co")}},
                                 {{"If-Match", etag}});
    QCOMPARE(r.status, 200);
    QVERIFY(r.header("ETag") != etag);
    r = m_client->patch(QStringLiteral("/contacts/") + id, m_key,
                        {{QStringLiteral("company"), QStringLiteral("Stale Co")}},
                        {{"If-Match", etag}});
    QCOMPARE(r.status, 412);
    QCOMPARE(r.errorCode(), QStringLiteral("precondition_failed"));
    const QJsonObject current =
        r.json.value(QLatin1String("error")).toObject().value(QLatin1String("current")).toObject();
    QCOMPARE(str(current, "company"), QStringLiteral("First Co"));
    QCOMPARE(str(m_client->get(QStringLiteral("/contacts/") + id, m_key).json, "company"),
             QStringLiteral("First Co"));
}

void TestSimApi::rateLimit()
{
    m_sim->api()->rateLimiter().setLimit(3);
    const QString key = m_sim->orgs().at(1).keys.at(1);
    SimReply r;
    int ok = 0;
    for (int i = 0; i < 6; ++i) {
        r = m_client->get(QStringLiteral("/agents"), key);
        QCOMPARE(r.header("X-RateLimit-Limit"), QByteArray("3"));
        QVERIFY(r.header("X-RateLimit-Reset").toLongLong() >
                QDateTime::currentSecsSinceEpoch() - 1);
        if (r.status == 200)
            ++ok;
    }
    m_sim->api()->rateLimiter().setLimit(100000);
    // A sliding window: exactly 3 in any 60 s, whatever the calendar minute.
    QCOMPARE(ok, 3);
    QCOMPARE(r.status, 429);
    QCOMPARE(r.errorCode(), QStringLiteral("rate_limited"));
    QCOMPARE(r.header("X-RateLimit-Remaining"), QByteArray("0"));
    const int retry = r.header("Retry-After").toInt();
    QVERIFY(retry >= 1 && retry <= 60);
    // Reset is when the oldest counted request leaves: at most a minute away.
    QVERIFY(r.header("X-RateLimit-Reset").toLongLong() <= QDateTime::currentSecsSinceEpoch() + 61);
}

void TestSimApi::recordingRange()
{
    const QString id = firstCompletedCall();
    const SimReply details = m_client->get(QStringLiteral("/calls/") + id, m_key);
    QCOMPARE(str(details.json, "recordingUrl"),
             m_sim->baseUrl() + QStringLiteral("/calls/") + id + QStringLiteral("/recording"));
    const qint64 lastEnd = details.json.value(QLatin1String("transcript"))
                               .toArray()
                               .last()
                               .toObject()
                               .value(QLatin1String("endMs"))
                               .toInteger();
    const SimReply head = m_client->send("GET", str(details.json, "recordingUrl"), m_key, {},
                                         {{"Range", "bytes=0-43"}});
    if (head.status == 500)
        QSKIP("espeak-ng is not installed here");
    QCOMPARE(head.status, 206);
    QCOMPARE(head.body.size(), 44);
    QVERIFY(head.header("Content-Range").startsWith("bytes 0-43/"));
    QCOMPARE(head.header("Accept-Ranges"), QByteArray("bytes"));
    QVERIFY(head.body.startsWith("RIFF"));
    QCOMPARE(head.body.mid(8, 8), QByteArray("WAVEfmt "));
    QCOMPARE(quint8(head.body.at(22)), quint8(2)); // stereo
    const quint32 rate = le32(head.body, 24);
    const quint32 dataSize = le32(head.body, 40);
    const qint64 total = head.header("Content-Range")
                             .mid(head.header("Content-Range").indexOf('/') + 1)
                             .toLongLong();
    QCOMPARE(qint64(dataSize) + 44, total);
    QVERIFY(qint64(dataSize) / 4 * 1000 / rate >= lastEnd);

    const SimReply tail = m_client->send("GET", str(details.json, "recordingUrl"), m_key, {},
                                         {{"Range", "bytes=-100"}});
    QCOMPARE(tail.status, 206);
    QCOMPARE(tail.body.size(), 100);
    const SimReply whole =
        m_client->get(QStringLiteral("/calls/") + id + QStringLiteral("/recording"), m_key);
    QCOMPARE(whole.status, 200);
    QCOMPARE(whole.header("Content-Type"), QByteArray("audio/wav"));
    QCOMPARE(whole.body.size(), total);
    QCOMPARE(whole.body.right(100), tail.body);
    const SimReply beyond = m_client->send("GET", str(details.json, "recordingUrl"), m_key, {},
                                           {{"Range", "bytes=" + QByteArray::number(total) + '-'}});
    QCOMPARE(beyond.status, 416);
    QCOMPARE(beyond.header("Content-Range"), "bytes */" + QByteArray::number(total));
}

void TestSimApi::determinismAcrossInstances()
{
    const QString id =
        str(dataOf(m_client->get(QStringLiteral("/calls?status=completed&limit=5"), m_key))
                .at(4)
                .toObject(),
            "id");
    const SimReply a = m_client->get(QStringLiteral("/calls/") + id, m_key);
    const SimReply b = m_client->get(QStringLiteral("/calls/") + id, m_key);
    QCOMPARE(a.body, b.body);
    SimInstance second;
    SimOptions o;
    o.historyCalls = 700;
    QString error;
    QVERIFY2(second.start(o, &error), qPrintable(error));
    QCOMPARE(second.orgs().at(0).keys, m_sim->orgs().at(0).keys);
    SimClient c2(second.baseUrl());
    const SimReply again = c2.get(QStringLiteral("/calls/") + id, m_key);
    QCOMPARE(again.status, 200);
    QCOMPARE(again.json.value(QLatin1String("transcript")),
             a.json.value(QLatin1String("transcript")));
    QCOMPARE(again.json.value(QLatin1String("sentimentTimeline")),
             a.json.value(QLatin1String("sentimentTimeline")));
    QCOMPARE(again.json.value(QLatin1String("duration")), a.json.value(QLatin1String("duration")));
}

void TestSimApi::faultInjection()
{
    const QString admin = m_sim->baseUrl().chopped(3) + QStringLiteral("/_sim/");
    const auto setFaults = [&](const QJsonObject &f) {
        QCOMPARE(m_client->post(admin + QStringLiteral("faults"), QString(), f).status, 204);
    };
    const QJsonObject contact{{QStringLiteral("name"), QStringLiteral("Fault After")},
                              {QStringLiteral("phone"), QStringLiteral("+14155550166")}};
    setFaults(
        {{QStringLiteral("failNext"),
          QJsonArray{QJsonObject{{QStringLiteral("status"), 503},
                                 {QStringLiteral("count"), 1},
                                 {QStringLiteral("method"), QStringLiteral("POST")},
                                 {QStringLiteral("path"), QStringLiteral("/v1/contacts")}}}}});
    SimReply r = m_client->post(QStringLiteral("/contacts"), m_key, contact);
    QCOMPARE(r.status, 503);
    QCOMPARE(dataOf(m_client->get(QStringLiteral("/contacts?q=Fault%20After"), m_key)).size(),
             1); // it was created

    QJsonObject before = contact;
    before.insert(QStringLiteral("name"), QStringLiteral("Fault Before"));
    setFaults({{QStringLiteral("failNext"),
                QJsonArray{QJsonObject{{QStringLiteral("status"), 500},
                                       {QStringLiteral("when"), QStringLiteral("before")}}}}});
    QCOMPARE(m_client->post(QStringLiteral("/contacts"), m_key, before).status, 500);
    QCOMPARE(dataOf(m_client->get(QStringLiteral("/contacts?q=Fault%20Before"), m_key)).size(), 0);

    // QNAM silently resends a GET once when a reused connection closes, so drop a few.
    setFaults(
        {{QStringLiteral("failNext"),
          QJsonArray{QJsonObject{{QStringLiteral("status"), 0}, {QStringLiteral("count"), 3}}}}});
    r = m_client->get(QStringLiteral("/agents"), m_key);
    QCOMPARE(r.status, 0);
    QVERIFY(!r.networkError.isEmpty());

    setFaults({{QStringLiteral("errors"), QJsonObject{{QStringLiteral("502"), 1.0}}}});
    QCOMPARE(m_client->get(QStringLiteral("/agents"), m_key).status, 502);
    setFaults({{QStringLiteral("dropRate"), 1.0}});
    QCOMPARE(m_client->get(QStringLiteral("/agents"), m_key).status, 0);
    setFaults({{QStringLiteral("latencyMs"), 300}, {QStringLiteral("slowBodyMs"), 200}});
    QElapsedTimer t;
    t.start();
    r = m_client->get(QStringLiteral("/agents"), m_key);
    QCOMPARE(r.status, 200);
    QVERIFY(t.elapsed() >= 290);
    QCOMPARE(dataOf(r).size(), 12); // a trickled body still arrives whole
    setFaults({});
    QCOMPARE(m_client->get(QStringLiteral("/agents"), m_key).status, 200);
    QCOMPARE(
        m_client
            ->post(admin + QStringLiteral("faults"), QString(), {{QStringLiteral("dropRate"), 7}})
            .status,
        400);

    const SimReply stats = m_client->get(admin + QStringLiteral("stats"), QString());
    QCOMPARE(stats.status, 200);
    QVERIFY(stats.json.value(QLatin1String("requests")).toInteger() > 50);
    QVERIFY(stats.json.value(QLatin1String("calls")).toInteger() >= 700);
    QVERIFY(stats.json.value(QLatin1String("byKey")).toObject().contains(m_key));
}

void TestSimApi::revokeKey()
{
    const QString admin = m_sim->baseUrl().chopped(3) + QStringLiteral("/_sim/");
    QCOMPARE(m_client->get(QStringLiteral("/agents"), m_key2).status, 200);
    QCOMPARE(m_client
                 ->post(admin + QStringLiteral("keys/revoke"), QString(),
                        {{QStringLiteral("key"), m_key2}})
                 .status,
             204);
    const SimReply r = m_client->get(QStringLiteral("/agents"), m_key2);
    QCOMPARE(r.status, 401);
    QVERIFY(r.json.value(QLatin1String("error"))
                .toObject()
                .value(QLatin1String("message"))
                .toString()
                .contains(QLatin1String("revoked")));
    QCOMPARE(m_client->get(QStringLiteral("/agents"), m_key).status, 200);
    QCOMPARE(m_client
                 ->post(admin + QStringLiteral("keys/revoke"), QString(),
                        {{QStringLiteral("key"), QStringLiteral("nope")}})
                 .status,
             404);
}
