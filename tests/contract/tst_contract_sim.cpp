// Every operation of docs/api/talknex.openapi.yaml, sent through the Prism proxy to the real
// switchboard-sim: the simulator's answers (and our requests) must not violate the document.
// Negative controls prove the proxy catches violations in both directions.

#include "prismproxy.h"

#include <QDeadlineTimer>
#include <QHttpMultiPart>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QUrlQuery>

#include <memory>

using sb::test::PrismProxy;

namespace {

//! One finished HTTP exchange, with what Prism said about it.
struct Exchange
{
    int status = 0;
    QByteArray body;
    QJsonObject json;
    QList<QNetworkReply::RawHeaderPair> headers;
    QStringList violations;
    QString networkError;

    QByteArray header(const QByteArray &name) const
    {
        for (const auto &pair : headers) {
            if (pair.first.compare(name, Qt::CaseInsensitive) == 0)
                return pair.second;
        }
        return {};
    }
    QString errorCode() const
    {
        return json.value(QLatin1String("error"))
            .toObject()
            .value(QLatin1String("code"))
            .toString();
    }
    QJsonArray data() const { return json.value(QLatin1String("data")).toArray(); }
    QString id() const { return json.value(QLatin1String("id")).toString(); }
    //! For failure messages: status, violations and the start of the body.
    QByteArray describe() const
    {
        return "HTTP " + QByteArray::number(status) + ' ' + networkError.toUtf8() +
               "\nviolations: " + violations.join(QLatin1String("\n  ")).toUtf8() +
               "\nbody: " + body.left(600);
    }
};

struct Key
{
    QString org;
    QString key;
};

} // namespace

//! Drives the simulator through the contract proxy.
class TestContractSim : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void negativeControlRequestViolation();
    void negativeControlResponseViolation();

    void authErrors();
    void agents();
    void calls();
    void callRecording();
    void phoneNumbers();
    void knowledge();
    void contacts();
    void validationErrors();
    void rateLimited();

private:
    Exchange send(const QByteArray &method, const QUrl &url, const QByteArray &body = {},
                  const QList<QPair<QByteArray, QByteArray>> &headers = {},
                  const QString &key = QString());
    Exchange sendMultipart(const QUrl &url, const QByteArray &fileBytes, const QString &fileName,
                           const QByteArray &contentType);
    Exchange finish(QNetworkReply *reply);
    QUrl api(const QString &pathAndQuery) const;
    static QByteArray toJson(const QJsonObject &object);
    QString firstId(const QString &listPath);

    QNetworkAccessManager m_nam;
    QProcess m_sim;
    QUrl m_simBase;  // http://127.0.0.1:<sim>/v1
    QUrl m_simAdmin; // http://127.0.0.1:<sim>
    QList<Key> m_keys;
    Key m_mine;
    Key m_other;
    PrismProxy m_proxy;
};

// Exchange checks -----------------------------------------------------------------------------

// Status as expected and not a single violation (warnings included) reported by Prism.
#define EXPECT_CLEAN(exchange, expectedStatus)                                                     \
    do {                                                                                           \
        const Exchange &ex_ = (exchange);                                                          \
        QVERIFY2(ex_.violations.isEmpty(), ex_.describe().constData());                            \
        QVERIFY2(ex_.status == (expectedStatus), ex_.describe().constData());                      \
    } while (false)

#define EXPECT_ERROR(exchange, expectedStatus, code)                                               \
    do {                                                                                           \
        EXPECT_CLEAN(exchange, expectedStatus);                                                    \
        QCOMPARE((exchange).errorCode(), QStringLiteral(code));                                    \
    } while (false)

// Setup ---------------------------------------------------------------------------------------

void TestContractSim::initTestCase()
{
    if (!m_proxy.available())
        QSKIP(qPrintable(QLatin1String("contract tools missing: ") + m_proxy.unavailableReason()));

    const QString sim = qEnvironmentVariable("SWITCHBOARD_SIM");
    QVERIFY2(!sim.isEmpty(), "SWITCHBOARD_SIM is not set");
    m_sim.setProcessChannelMode(QProcess::SeparateChannels);
    // A high limit so that only rateLimited() meets 429; --watch-stdin ends the simulator with us.
    m_sim.start(sim, {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--seed"),
                      QStringLiteral("11"), QStringLiteral("--history-calls"),
                      QStringLiteral("150"), QStringLiteral("--rate-limit"),
                      QStringLiteral("100000"), QStringLiteral("--watch-stdin")});
    QVERIFY2(m_sim.waitForStarted(10000), qPrintable(m_sim.errorString()));

    bool ready = false;
    QDeadlineTimer deadline(30000);
    while (!ready && !deadline.hasExpired()) {
        if (!m_sim.canReadLine() && !m_sim.waitForReadyRead(int(deadline.remainingTime())))
            break;
        while (m_sim.canReadLine()) {
            const QString line = QString::fromUtf8(m_sim.readLine()).trimmed();
            const QStringList parts = line.split(QLatin1Char(' '), Qt::SkipEmptyParts);
            if (parts.size() == 2 && parts[0] == QLatin1String("base-url"))
                m_simBase = QUrl(parts[1]);
            else if (parts.size() >= 3 && parts[0] == QLatin1String("api-key"))
                m_keys.append({parts[1], parts[2]});
            else if (line == QLatin1String("ready"))
                ready = true;
        }
    }
    QVERIFY2(ready, m_sim.readAllStandardError().constData());
    QVERIFY(m_simBase.isValid());
    QVERIFY(!m_keys.isEmpty());
    m_mine = m_keys.first();
    for (const Key &k : std::as_const(m_keys)) {
        if (k.org != m_mine.org) {
            m_other = k;
            break;
        }
    }
    QVERIFY2(!m_other.key.isEmpty(), "the simulator printed keys of only one organization");
    m_simAdmin = m_simBase;
    m_simAdmin.setPath(QString());

    QVERIFY2(m_proxy.start(m_simBase), qPrintable(m_proxy.errorString()));
    QCOMPARE(m_proxy.baseUrl().path(), QStringLiteral("/v1"));
}

void TestContractSim::cleanupTestCase()
{
    m_proxy.stop();
    if (m_sim.state() != QProcess::NotRunning) {
        m_sim.closeWriteChannel(); // --watch-stdin: EOF ends it
        if (!m_sim.waitForFinished(5000)) {
            m_sim.kill();
            m_sim.waitForFinished(5000);
        }
    }
}

// Helpers -------------------------------------------------------------------------------------

QUrl TestContractSim::api(const QString &pathAndQuery) const
{
    return QUrl(m_proxy.baseUrl().toString() + pathAndQuery);
}

QByteArray TestContractSim::toJson(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

Exchange TestContractSim::send(const QByteArray &method, const QUrl &url, const QByteArray &body,
                               const QList<QPair<QByteArray, QByteArray>> &headers,
                               const QString &key)
{
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + (key.isEmpty() ? m_mine.key : key).toUtf8());
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    for (const auto &h : headers)
        request.setRawHeader(h.first, h.second);
    return finish(m_nam.sendCustomRequest(request, method, body));
}

Exchange TestContractSim::sendMultipart(const QUrl &url, const QByteArray &fileBytes,
                                        const QString &fileName, const QByteArray &contentType)
{
    auto *multi = new QHttpMultiPart(QHttpMultiPart::FormDataType);
    QHttpPart part;
    part.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    part.setHeader(QNetworkRequest::ContentDispositionHeader,
                   QByteArray("form-data; name=\"file\"; filename=\"" + fileName.toUtf8() + '"'));
    part.setBody(fileBytes);
    multi->append(part);
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + m_mine.key.toUtf8());
    QNetworkReply *reply = m_nam.post(request, multi);
    multi->setParent(reply);
    return finish(reply);
}

Exchange TestContractSim::finish(QNetworkReply *reply)
{
    std::unique_ptr<QNetworkReply> owner(reply);
    Exchange ex;
    if (!reply->isFinished()) {
        QSignalSpy done(reply, &QNetworkReply::finished);
        if (!done.wait(60000)) {
            ex.networkError = QStringLiteral("timeout");
            return ex;
        }
    }
    ex.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    ex.body = reply->readAll();
    ex.headers = reply->rawHeaderPairs();
    if (reply->error() != QNetworkReply::NoError && ex.status == 0)
        ex.networkError = reply->errorString();
    ex.json = QJsonDocument::fromJson(ex.body).object();
    ex.violations = PrismProxy::violations(*reply, ex.body);
    return ex;
}

QString TestContractSim::firstId(const QString &listPath)
{
    const Exchange list = send("GET", api(listPath));
    if (list.status != 200 || list.data().isEmpty())
        return {};
    return list.data().first().toObject().value(QLatin1String("id")).toString();
}

// Negative controls ---------------------------------------------------------------------------

void TestContractSim::negativeControlRequestViolation()
{
    // The document caps limit at 100: Prism must refuse before the simulator sees it.
    const Exchange tooMany = send("GET", api(QStringLiteral("/agents?limit=1000")));
    QCOMPARE(tooMany.status, 422);
    QVERIFY2(tooMany.violations.join(QLatin1Char(' ')).contains(QLatin1String("limit")),
             tooMany.describe().constData());

    // A body the document forbids (voiceSpeed above 2.0).
    const Exchange badBody =
        send("PATCH", api(QLatin1String("/agents/") + firstId(QStringLiteral("/agents"))),
             toJson({{QStringLiteral("voiceSpeed"), 7}}));
    QCOMPARE(badBody.status, 422);
    QVERIFY2(badBody.violations.join(QLatin1Char(' ')).contains(QLatin1String("voiceSpeed")),
             badBody.describe().constData());
}

void TestContractSim::negativeControlResponseViolation()
{
    // A tiny upstream that answers every request with one canned response.
    QTcpServer upstream;
    QVERIFY(upstream.listen(QHostAddress::LocalHost, 0));
    QByteArray canned;
    connect(&upstream, &QTcpServer::newConnection, &upstream, [&upstream, &canned] {
        while (QTcpSocket *socket = upstream.nextPendingConnection()) {
            connect(socket, &QTcpSocket::readyRead, socket, [socket, &canned] {
                // Answer once the request head is complete (no request here has a body).
                if (!socket->peek(1 << 16).contains("\r\n\r\n"))
                    return;
                socket->readAll();
                socket->write(canned);
                socket->disconnectFromHost();
            });
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        }
    });
    const auto respond = [&canned](const QByteArray &extraHeaders, const QByteArray &body) {
        canned = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n" +
                 extraHeaders + "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" +
                 body;
    };
    const QByteArray rateHeaders =
        "X-RateLimit-Limit: 100\r\nX-RateLimit-Remaining: 99\r\nX-RateLimit-Reset: 1900000000\r\n";
    const QByteArray agent = R"({"id":"agent_x1","name":"A","status":"active","language":"en-US",
        "systemPrompt":"","firstMessage":"","voiceProvider":"openai","voiceId":"alloy",
        "voiceSpeed":%1,"voicePitch":0,"voiceStability":0.5,"voiceSimilarityBoost":0.5,
        "interruptionSensitivity":0.5,"llmModel":"gpt-4o","llmTemperature":0.7,"llmMaxTokens":100,
        "llmTopP":1,"builtinTools":[],"transferNumber":null,"tools":[],"knowledgeCollectionIds":[],
        "createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z"})";
    const auto page = [&agent](const QByteArray &speed) -> QByteArray {
        return "{\"data\":[" + QByteArray(agent).replace("%1", speed) + "],\"nextCursor\":null}";
    };

    PrismProxy proxy;
    QVERIFY2(proxy.start(QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(upstream.serverPort()))),
             qPrintable(proxy.errorString()));
    const QUrl agents(proxy.baseUrl().toString() + QLatin1String("/agents"));

    // Control of the control: a conforming answer passes untouched.
    respond(rateHeaders, page("1.0"));
    const Exchange good = send("GET", agents);
    EXPECT_CLEAN(good, 200);
    QCOMPARE(good.data().size(), 1);

    // A wrong-typed field: Prism must turn it into a reported violation.
    respond(rateHeaders, page("\"fast\""));
    const Exchange wrongType = send("GET", agents);
    QCOMPARE(wrongType.status, 500);
    QVERIFY2(wrongType.violations.join(QLatin1Char(' ')).contains(QLatin1String("voiceSpeed")),
             wrongType.describe().constData());

    // A required response header missing (every response carries X-RateLimit-*).
    respond(QByteArray(), page("1.0"));
    const Exchange noHeaders = send("GET", agents);
    QVERIFY2(!noHeaders.violations.isEmpty(), noHeaders.describe().constData());
    QVERIFY2(noHeaders.violations.join(QLatin1Char(' '))
                 .contains(QLatin1String("x-ratelimit"), Qt::CaseInsensitive),
             noHeaders.describe().constData());
}

// Operations ----------------------------------------------------------------------------------

void TestContractSim::authErrors()
{
    EXPECT_ERROR(
        send("GET", api(QStringLiteral("/agents")), {}, {}, QStringLiteral("sk_not_a_key")), 401,
        "unauthorized");
    // Another organization's agent.
    const QString theirs = firstId(QStringLiteral("/agents"));
    QVERIFY(!theirs.isEmpty());
    EXPECT_ERROR(send("GET", api(QLatin1String("/agents/") + theirs), {}, {}, m_other.key), 403,
                 "forbidden");
    EXPECT_ERROR(send("GET", api(QStringLiteral("/agents/agent_doesnotexist"))), 404, "not_found");
}

void TestContractSim::agents()
{
    const Exchange page1 = send("GET", api(QStringLiteral("/agents?limit=2")));
    EXPECT_CLEAN(page1, 200);
    QVERIFY(!page1.data().isEmpty());
    const QString cursor = page1.json.value(QLatin1String("nextCursor")).toString();
    if (!cursor.isEmpty()) {
        QUrlQuery q;
        q.addQueryItem(QStringLiteral("cursor"), cursor);
        q.addQueryItem(QStringLiteral("limit"), QStringLiteral("2"));
        EXPECT_CLEAN(send("GET", api(QLatin1String("/agents?") + q.toString(QUrl::FullyEncoded))),
                     200);
    }

    const Exchange created = send(
        "POST", api(QStringLiteral("/agents")),
        toJson({{QStringLiteral("name"), QStringLiteral("Contract probe")},
                {QStringLiteral("language"), QStringLiteral("en-GB")},
                {QStringLiteral("voiceProvider"), QStringLiteral("openai")},
                {QStringLiteral("llmModel"), QStringLiteral("gpt-4o-mini")},
                {QStringLiteral("builtinTools"), QJsonArray{QStringLiteral("transfer_to_human")}},
                {QStringLiteral("transferNumber"), QStringLiteral("+14155550100")}}),
        {{"Idempotency-Key", "contract-agent-1"}});
    EXPECT_CLEAN(created, 201);
    const QString id = created.id();
    QVERIFY(id.startsWith(QLatin1String("agent_")));
    const QUrl one = api(QLatin1String("/agents/") + id);

    const Exchange got = send("GET", one);
    EXPECT_CLEAN(got, 200);
    const QByteArray etag = got.header("ETag");
    QVERIFY(!etag.isEmpty());

    const Exchange patched = send("PATCH", one,
                                  toJson({{QStringLiteral("status"), QStringLiteral("paused")},
                                          {QStringLiteral("voiceSpeed"), 1.25}}),
                                  {{"If-Match", etag}});
    EXPECT_CLEAN(patched, 200);
    QCOMPARE(patched.json.value(QLatin1String("status")).toString(), QStringLiteral("paused"));
    QVERIFY(!patched.header("ETag").isEmpty());
    QVERIFY(patched.header("ETag") != etag);

    // The first ETag is stale now.
    const Exchange stale =
        send("PATCH", one, toJson({{QStringLiteral("name"), QStringLiteral("x")}}),
             {{"If-Match", etag}});
    EXPECT_ERROR(stale, 412, "precondition_failed");
    QCOMPARE(stale.json.value(QLatin1String("error"))
                 .toObject()
                 .value(QLatin1String("current"))
                 .toObject()
                 .value(QLatin1String("id"))
                 .toString(),
             id);

    EXPECT_ERROR(send("PATCH", one, toJson({{QStringLiteral("name"), QStringLiteral("y")}}), {},
                      m_other.key),
                 403, "forbidden");
    EXPECT_ERROR(send("DELETE", one, {}, {}, m_other.key), 403, "forbidden");
    EXPECT_CLEAN(send("DELETE", one), 204);
    EXPECT_ERROR(send("GET", one), 404, "not_found");
    EXPECT_ERROR(send("DELETE", one), 404, "not_found");
}

void TestContractSim::calls()
{
    const Exchange all = send("GET", api(QStringLiteral("/calls?limit=100")));
    EXPECT_CLEAN(all, 200);
    QVERIFY(!all.data().isEmpty());
    const QJsonObject sample = all.data().first().toObject();

    // Every filter of the document, each on its own, and all together.
    const QList<QPair<QString, QString>> filters = {
        {QStringLiteral("agentId"), sample.value(QLatin1String("agentId")).toString()},
        {QStringLiteral("status"), QStringLiteral("completed")},
        {QStringLiteral("direction"), QStringLiteral("outbound")},
        {QStringLiteral("sentiment"), QStringLiteral("negative")},
        {QStringLiteral("createdAfter"), QStringLiteral("2020-01-01T00:00:00Z")},
        {QStringLiteral("createdBefore"), QStringLiteral("2100-01-01T00:00:00Z")},
        {QStringLiteral("q"), QStringLiteral("555")},
        {QStringLiteral("updatedSince"), QStringLiteral("2020-01-01T00:00:00Z")},
    };
    QUrlQuery combined;
    for (const auto &f : filters) {
        QUrlQuery q;
        q.addQueryItem(f.first, f.second);
        combined.addQueryItem(f.first, f.second);
        EXPECT_CLEAN(send("GET", api(QLatin1String("/calls?") + q.toString(QUrl::FullyEncoded))),
                     200);
    }
    EXPECT_CLEAN(
        send("GET", api(QLatin1String("/calls?limit=5&") + combined.toString(QUrl::FullyEncoded))),
        200);

    const QString sampleId = sample.value(QLatin1String("id")).toString();
    const Exchange details = send("GET", api(QLatin1String("/calls/") + sampleId));
    EXPECT_CLEAN(details, 200);
    QVERIFY(details.json.value(QLatin1String("transcript")).isArray());
    QVERIFY(!details.header("ETag").isEmpty());
    EXPECT_ERROR(send("GET", api(QLatin1String("/calls/") + sampleId), {}, {}, m_other.key), 403,
                 "forbidden");
    EXPECT_ERROR(send("GET", api(QStringLiteral("/calls/call_doesnotexist"))), 404, "not_found");

    // Place a call twice with one Idempotency-Key: the same call comes back. The simulator
    // only dials out from an active number of the organization.
    const Exchange numbers = send("GET", api(QStringLiteral("/phone-numbers?limit=100")));
    EXPECT_CLEAN(numbers, 200);
    QString from;
    const QJsonArray numberList = numbers.data();
    for (const QJsonValue &n : numberList) {
        if (n.toObject().value(QLatin1String("status")).toString() == QLatin1String("active")) {
            from = n.toObject().value(QLatin1String("number")).toString();
            break;
        }
    }
    QVERIFY2(!from.isEmpty(), "no active phone number to call from");
    const QByteArray request =
        toJson({{QStringLiteral("agentId"), sample.value(QLatin1String("agentId"))},
                {QStringLiteral("to"), QStringLiteral("+14155550192")},
                {QStringLiteral("from"), from},
                {QStringLiteral("metadata"),
                 QJsonObject{{QStringLiteral("leadId"), QStringLiteral("lead_1")}}}});
    const Exchange placed = send("POST", api(QStringLiteral("/calls")), request,
                                 {{"Idempotency-Key", "contract-call-1"}});
    EXPECT_CLEAN(placed, 201);
    const Exchange again = send("POST", api(QStringLiteral("/calls")), request,
                                {{"Idempotency-Key", "contract-call-1"}});
    EXPECT_CLEAN(again, 201);
    QCOMPARE(again.id(), placed.id());

    const QUrl placedUrl = api(QLatin1String("/calls/") + placed.id());
    EXPECT_CLEAN(send("GET", placedUrl), 200);
    EXPECT_CLEAN(send("DELETE", placedUrl), 204);
    EXPECT_ERROR(send("GET", placedUrl), 404, "not_found");
}

void TestContractSim::callRecording()
{
    // A finished call with its recording ready.
    QString id;
    const Exchange done = send("GET", api(QStringLiteral("/calls?status=completed&limit=50")));
    EXPECT_CLEAN(done, 200);
    const QJsonArray list = done.data();
    for (const QJsonValue &v : list) {
        if (v.toObject().value(QLatin1String("recordingUrl")).isString()) {
            id = v.toObject().value(QLatin1String("id")).toString();
            break;
        }
    }
    QVERIFY2(!id.isEmpty(), "no completed call with a recording in the first page");
    const QUrl url = api(QLatin1String("/calls/") + id + QLatin1String("/recording"));

    const Exchange whole = send("GET", url);
    EXPECT_CLEAN(whole, 200);
    QVERIFY(whole.header("Content-Type").startsWith("audio/"));
    QVERIFY(whole.body.size() > 1000);
    if (whole.header("Content-Type").startsWith("audio/wav"))
        QVERIFY2(whole.body.startsWith("RIFF") && whole.body.mid(8, 4) == "WAVE", "not a WAV file");
    QCOMPARE(whole.header("Content-Length").toLongLong(), qint64(whole.body.size()));

    // Bytes through the proxy must be the bytes of the file: compare a range with the whole.
    const Exchange part = send("GET", url, {}, {{"Range", "bytes=100-4195"}});
    EXPECT_CLEAN(part, 206);
    QCOMPARE(part.body.size(), 4096);
    QVERIFY(part.body == whole.body.mid(100, 4096));
    QCOMPARE(part.header("Content-Range"),
             "bytes 100-4195/" + QByteArray::number(whole.body.size()));

    const Exchange tail = send("GET", url, {}, {{"Range", "bytes=-10"}});
    EXPECT_CLEAN(tail, 206);
    QVERIFY(tail.body == whole.body.right(10));

    const QByteArray beyond = "bytes=" + QByteArray::number(whole.body.size() + 10) + '-';
    EXPECT_CLEAN(send("GET", url, {}, {{"Range", beyond}}), 416);
    EXPECT_ERROR(send("GET", url, {}, {}, m_other.key), 403, "forbidden");
    EXPECT_ERROR(send("GET", api(QStringLiteral("/calls/call_doesnotexist/recording"))), 404,
                 "not_found");
}

void TestContractSim::phoneNumbers()
{
    const Exchange list = send("GET", api(QStringLiteral("/phone-numbers?limit=10")));
    EXPECT_CLEAN(list, 200);
    QVERIFY(!list.data().isEmpty());

    const Exchange byCountry = send("POST", api(QStringLiteral("/phone-numbers")),
                                    toJson({{QStringLiteral("country"), QStringLiteral("US")},
                                            {QStringLiteral("areaCode"), QStringLiteral("415")}}));
    EXPECT_CLEAN(byCountry, 201);
    const Exchange byNumber =
        send("POST", api(QStringLiteral("/phone-numbers")),
             toJson({{QStringLiteral("number"), QStringLiteral("+14155550177")}}));
    EXPECT_CLEAN(byNumber, 201);
    // The same number twice cannot be bought.
    EXPECT_ERROR(send("POST", api(QStringLiteral("/phone-numbers")),
                      toJson({{QStringLiteral("number"), QStringLiteral("+14155550177")}})),
                 409, "conflict");

    const QUrl one = api(QLatin1String("/phone-numbers/") + byCountry.id());
    const QString agentId = firstId(QStringLiteral("/agents"));
    const Exchange patched =
        send("PATCH", one,
             toJson({{QStringLiteral("agentId"), agentId},
                     {QStringLiteral("friendlyName"), QStringLiteral("Contract line")},
                     {QStringLiteral("routing"),
                      QJsonObject{{QStringLiteral("mode"), QStringLiteral("agent")}}}}));
    EXPECT_CLEAN(patched, 200);
    const QByteArray etag = patched.header("ETag");
    QVERIFY(!etag.isEmpty());
    const Exchange forward =
        send("PATCH", one,
             toJson({{QStringLiteral("routing"),
                      QJsonObject{{QStringLiteral("mode"), QStringLiteral("forward")},
                                  {QStringLiteral("forwardTo"), QStringLiteral("+14155550100")}}}}),
             {{"If-Match", etag}});
    EXPECT_CLEAN(forward, 200);
    EXPECT_ERROR(send("PATCH", one, toJson({{QStringLiteral("agentId"), QJsonValue::Null}}),
                      {{"If-Match", etag}}),
                 412, "precondition_failed");
    EXPECT_ERROR(send("PATCH", one, toJson({{QStringLiteral("friendlyName"), QStringLiteral("x")}}),
                      {}, m_other.key),
                 403, "forbidden");
    EXPECT_CLEAN(send("DELETE", api(QLatin1String("/phone-numbers/") + byNumber.id())), 204);
    EXPECT_CLEAN(send("DELETE", one), 204);
    EXPECT_ERROR(send("DELETE", api(QStringLiteral("/phone-numbers/pn_doesnotexist"))), 404,
                 "not_found");
}

void TestContractSim::knowledge()
{
    EXPECT_CLEAN(send("GET", api(QStringLiteral("/knowledge/collections"))), 200);
    const Exchange created =
        send("POST", api(QStringLiteral("/knowledge/collections")),
             toJson({{QStringLiteral("name"), QStringLiteral("Contract FAQ")},
                     {QStringLiteral("description"), QStringLiteral("probe")}}));
    EXPECT_CLEAN(created, 201);
    const QString docs =
        QLatin1String("/knowledge/collections/") + created.id() + QLatin1String("/documents");

    // Every byte value, so a text re-encoding anywhere on the way would change the size.
    QByteArray pdf("%PDF-1.4\n");
    for (int i = 0; i < 20000; ++i)
        pdf.append(char(i % 256));
    const Exchange uploaded =
        sendMultipart(api(docs), pdf, QStringLiteral("notes.pdf"), "application/pdf");
    EXPECT_CLEAN(uploaded, 201);
    QCOMPARE(uploaded.json.value(QLatin1String("source")).toString(), QStringLiteral("file"));
    QCOMPARE(uploaded.json.value(QLatin1String("sizeBytes")).toInteger(), qint64(pdf.size()));

    const Exchange chunks =
        send("POST", api(docs),
             toJson({{QStringLiteral("title"), QStringLiteral("Parking")},
                     {QStringLiteral("chunks"), QJsonArray{QStringLiteral("Free for patients."),
                                                           QStringLiteral("Opens at 7.")}}}));
    EXPECT_CLEAN(chunks, 201);
    QCOMPARE(chunks.json.value(QLatin1String("source")).toString(), QStringLiteral("text"));

    const Exchange listed = send("GET", api(docs + QLatin1String("?limit=10")));
    EXPECT_CLEAN(listed, 200);
    QCOMPARE(listed.data().size(), 2);
    EXPECT_ERROR(send("GET", api(docs), {}, {}, m_other.key), 403, "forbidden");

    const QUrl doc = api(docs + QLatin1Char('/') + uploaded.id());
    EXPECT_CLEAN(send("DELETE", doc), 204);
    EXPECT_ERROR(send("DELETE", doc), 404, "not_found");
    EXPECT_ERROR(
        send("GET", api(QStringLiteral("/knowledge/collections/col_doesnotexist/documents"))), 404,
        "not_found");
}

void TestContractSim::contacts()
{
    EXPECT_CLEAN(send("GET", api(QStringLiteral("/contacts?limit=5"))), 200);
    const Exchange created =
        send("POST", api(QStringLiteral("/contacts")),
             toJson({{QStringLiteral("name"), QStringLiteral("Contract Probe")},
                     {QStringLiteral("phone"), QStringLiteral("+14155550111")},
                     {QStringLiteral("email"), QStringLiteral("probe@example.com")},
                     {QStringLiteral("tags"), QJsonArray{QStringLiteral("contracttag")}},
                     {QStringLiteral("customFields"),
                      QJsonObject{{QStringLiteral("crmId"), QStringLiteral("C-1")}}}}));
    EXPECT_CLEAN(created, 201);
    const Exchange byQ = send("GET", api(QStringLiteral("/contacts?q=Contract%20Probe")));
    EXPECT_CLEAN(byQ, 200);
    QVERIFY(!byQ.data().isEmpty());
    const Exchange byTag = send("GET", api(QStringLiteral("/contacts?tag=contracttag")));
    EXPECT_CLEAN(byTag, 200);
    QCOMPARE(byTag.data().size(), 1);

    const QUrl one = api(QLatin1String("/contacts/") + created.id());
    const Exchange got = send("GET", one);
    EXPECT_CLEAN(got, 200);
    const QByteArray etag = got.header("ETag");
    QVERIFY(!etag.isEmpty());
    EXPECT_CLEAN(send("PATCH", one,
                      toJson({{QStringLiteral("customFields"),
                               QJsonObject{{QStringLiteral("crmId"), QStringLiteral("C-1")},
                                           {QStringLiteral("stage"), QStringLiteral("booked")}}}}),
                      {{"If-Match", etag}}),
                 200);
    EXPECT_ERROR(send("PATCH", one, toJson({{QStringLiteral("company"), QStringLiteral("x")}}),
                      {{"If-Match", etag}}),
                 412, "precondition_failed");
    EXPECT_ERROR(send("GET", one, {}, {}, m_other.key), 403, "forbidden");
    EXPECT_ERROR(send("GET", api(QStringLiteral("/contacts/contact_doesnotexist"))), 404,
                 "not_found");
}

void TestContractSim::validationErrors()
{
    // Requests the document allows but the server must refuse with 400 validation_error.
    EXPECT_ERROR(send("GET", api(QStringLiteral("/calls?cursor=not-a-real-cursor"))), 400,
                 "validation_error");
    const QString agentId = firstId(QStringLiteral("/agents"));
    EXPECT_ERROR(send("POST", api(QStringLiteral("/calls")),
                      toJson({{QStringLiteral("agentId"), agentId},
                              {QStringLiteral("to"), QStringLiteral("+14155550192")},
                              {QStringLiteral("from"), QStringLiteral("+19999999999")}})),
                 400, "validation_error");
}

void TestContractSim::rateLimited()
{
    QNetworkRequest admin(QUrl(m_simAdmin.toString() + QLatin1String("/_sim/rate-limit")));
    admin.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    const auto setLimit = [this, &admin](int limit) {
        Exchange r = finish(m_nam.post(admin, toJson({{QStringLiteral("limit"), limit}})));
        return r.status;
    };
    QCOMPARE(setLimit(1), 204);
    // This minute has already seen many requests of this key: the next one is over the limit.
    Exchange limited;
    for (int i = 0; i < 3 && limited.status != 429; ++i)
        limited = send("GET", api(QStringLiteral("/agents")));
    const int restored = setLimit(100000);
    EXPECT_ERROR(limited, 429, "rate_limited");
    QVERIFY(!limited.header("Retry-After").isEmpty());
    QCOMPARE(restored, 204);
    EXPECT_CLEAN(send("GET", api(QStringLiteral("/agents"))), 200);
}

QTEST_GUILESS_MAIN(TestContractSim)
#include "tst_contract_sim.moc"
