// Every operation of docs/api/speaknode.openapi.yaml that the console uses, sent through the
// Prism proxy to the real switchboard-sim's SpeakNode face: the simulator's answers (and our
// requests) must not violate the document. Negative controls prove the proxy catches
// violations in both directions.

#include "prismproxy.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QUrlQuery>
#include <QUuid>

#include <memory>

using sb::test::PrismProxy;

namespace {

//! One finished HTTP exchange, with what Prism said about it.
struct Exchange
{
    int status = 0;
    QByteArray body;
    QJsonObject json;
    QJsonArray array;
    QList<QNetworkReply::RawHeaderPair> headers;
    QStringList violations;

    QByteArray header(const QByteArray &name) const
    {
        for (const auto &pair : headers) {
            if (pair.first.compare(name, Qt::CaseInsensitive) == 0)
                return pair.second;
        }
        return {};
    }
    QByteArray describe() const
    {
        return "HTTP " + QByteArray::number(status) +
               "\nviolations: " + violations.join(QLatin1String("\n  ")).toUtf8() +
               "\nbody: " + body.left(600);
    }
};

} // namespace

#define EXPECT_CLEAN(exchange, expectedStatus)                                                     \
    do {                                                                                           \
        const Exchange &ex_ = (exchange);                                                          \
        QVERIFY2(ex_.violations.isEmpty(), ex_.describe().constData());                            \
        QVERIFY2(ex_.status == (expectedStatus), ex_.describe().constData());                      \
    } while (false)

//! Drives switchboard-sim's SpeakNode face through the contract proxy.
class TestContractSpeakNode : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void negativeControlRequestViolation();
    void negativeControlResponseViolation();

    void authErrors();
    void agents();
    void toolsAndPhoneNumbers();
    void conversations();
    void conversationDetails();
    void dispatchFollowedToTheEnd();
    void validationErrors();
    void rateLimited();

private:
    Exchange send(const QByteArray &method, const QUrl &url, const QByteArray &body = {},
                  const QString &token = QString());
    QUrl api(const QString &pathAndQuery) const
    {
        return QUrl(m_proxy.baseUrl().toString() + pathAndQuery);
    }

    QNetworkAccessManager m_nam;
    QProcess m_sim;
    QString m_origin; // http://127.0.0.1:<sim>
    QString m_token, m_otherToken;
    PrismProxy m_proxy;
};

void TestContractSpeakNode::initTestCase()
{
    m_proxy.setDocument(PrismProxy::toolsDir() +
                            QStringLiteral("/../../docs/api/speaknode.openapi.yaml"),
                        QStringLiteral("/api/v1"));
    if (!m_proxy.available())
        QSKIP(qPrintable(QLatin1String("contract tools missing: ") + m_proxy.unavailableReason()));
    const QString sim = qEnvironmentVariable("SWITCHBOARD_SIM");
    QVERIFY2(!sim.isEmpty(), "SWITCHBOARD_SIM is not set");
    m_sim.setProcessChannelMode(QProcess::SeparateChannels);
    m_sim.start(sim,
                {QStringLiteral("--platform"), QStringLiteral("speaknode"),
                 QStringLiteral("--seed"), QStringLiteral("11"), QStringLiteral("--history-calls"),
                 QStringLiteral("300"), QStringLiteral("--rate-limit"), QStringLiteral("100000"),
                 QStringLiteral("--speed"), QStringLiteral("25"), QStringLiteral("--watch-stdin")});
    QVERIFY2(m_sim.waitForStarted(10000), qPrintable(m_sim.errorString()));
    bool ready = false;
    QString base, issuer, clientId;
    QStringList tokens;
    QDeadlineTimer deadline(30000);
    while (!ready && !deadline.hasExpired()) {
        if (!m_sim.canReadLine() && !m_sim.waitForReadyRead(int(deadline.remainingTime())))
            break;
        while (m_sim.canReadLine()) {
            const QString line = QString::fromUtf8(m_sim.readLine()).trimmed();
            const QStringList parts = line.split(QLatin1Char(' '), Qt::SkipEmptyParts);
            if (parts.size() == 2 && parts[0] == QLatin1String("speaknode-base-url"))
                base = parts[1];
            else if (parts.size() == 2 && parts[0] == QLatin1String("speaknode-issuer"))
                issuer = parts[1];
            else if (parts.size() == 2 && parts[0] == QLatin1String("speaknode-client-id"))
                clientId = parts[1];
            else if (parts.size() == 3 && parts[0] == QLatin1String("speaknode-token"))
                tokens.append(parts[2]);
            else if (line == QLatin1String("ready"))
                ready = true;
        }
    }
    QVERIFY2(ready, m_sim.readAllStandardError().constData());
    QVERIFY(base.endsWith(QLatin1String("/api/v1")));
    QCOMPARE(tokens.size(), 2);
    m_token = tokens.at(0);
    m_otherToken = tokens.at(1);
    m_origin = base.chopped(7);
    QCOMPARE(issuer, m_origin + QStringLiteral("/realms/speaknode"));
    QCOMPARE(clientId, QStringLiteral("switchboard"));
    QVERIFY2(m_proxy.start(QUrl(base)), qPrintable(m_proxy.errorString()));
    QCOMPARE(m_proxy.baseUrl().path(), QStringLiteral("/api/v1"));
}

void TestContractSpeakNode::cleanupTestCase()
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

Exchange TestContractSpeakNode::send(const QByteArray &method, const QUrl &url,
                                     const QByteArray &body, const QString &token)
{
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + (token.isEmpty() ? m_token : token).toUtf8());
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    std::unique_ptr<QNetworkReply> reply(m_nam.sendCustomRequest(request, method, body));
    if (!reply->isFinished()) {
        QSignalSpy done(reply.get(), &QNetworkReply::finished);
        done.wait(60000);
    }
    Exchange ex;
    ex.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    ex.body = reply->readAll();
    ex.headers = reply->rawHeaderPairs();
    const QJsonDocument doc = QJsonDocument::fromJson(ex.body);
    ex.json = doc.object();
    ex.array = doc.array();
    // SpeakNode's own errors are problem+json too: only Prism's problems (its type URIs) are
    // violations; the simulator's are validated like any other answer.
    const QByteArray type = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
    const bool prismProblem = ex.json.value(QLatin1String("type"))
                                  .toString()
                                  .startsWith(QLatin1String("https://stoplight.io/prism/"));
    ex.violations = PrismProxy::violations(reply->rawHeader("sl-violations"),
                                           prismProblem ? type : QByteArray(), ex.body);
    return ex;
}

void TestContractSpeakNode::negativeControlRequestViolation()
{
    // The document caps page_size at 100: Prism refuses before the simulator sees it.
    const Exchange tooMany = send("GET", api(QStringLiteral("/conversations?page_size=1000")));
    QCOMPARE(tooMany.status, 422);
    QVERIFY2(tooMany.violations.join(QLatin1Char(' ')).contains(QLatin1String("page_size")),
             tooMany.describe().constData());
    // A dispatch body without the required to_number.
    const Exchange badBody = send(
        "POST", api(QStringLiteral("/conversations/dispatch")),
        QJsonDocument(QJsonObject{{QStringLiteral("agent_id"),
                                   QUuid::createUuid().toString(QUuid::WithoutBraces)},
                                  {QStringLiteral("from_number"), QStringLiteral("+14155550100")}})
            .toJson(QJsonDocument::Compact));
    QCOMPARE(badBody.status, 422);
    QVERIFY2(badBody.violations.join(QLatin1Char(' ')).contains(QLatin1String("to_number")),
             badBody.describe().constData());
}

void TestContractSpeakNode::negativeControlResponseViolation()
{
    // A tiny upstream that answers every request with one canned response.
    QTcpServer upstream;
    QVERIFY(upstream.listen(QHostAddress::LocalHost, 0));
    QByteArray canned;
    connect(&upstream, &QTcpServer::newConnection, &upstream, [&upstream, &canned] {
        while (QTcpSocket *socket = upstream.nextPendingConnection()) {
            connect(socket, &QTcpSocket::readyRead, socket, [socket, &canned] {
                if (!socket->peek(1 << 16).contains("\r\n\r\n"))
                    return;
                socket->readAll();
                socket->write(canned);
                socket->disconnectFromHost();
            });
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        }
    });
    const auto respond = [&canned](const QByteArray &body) {
        canned = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                 "Content-Length: " +
                 QByteArray::number(body.size()) + "\r\n\r\n" + body;
    };
    const QByteArray session = R"({"id":"3f1c2a8e-5b7d-4e21-9a0c-6d2f8b1e4c90",
        "agent_id":"9b2e4f10-1c3d-4a5b-8e6f-7a8b9c0d1e2f","agent_title":"Reception",
        "status":%1,"created_at":"2026-05-04T16:20:00Z","started_at":null,"ended_at":null,
        "duration_seconds":null,"from_number":"+18005550100","to_number":"+14155550123",
        "telecom_provider":"Twilio","has_audio":false,"audio_url":null,
        "audio_url_expires_at":null,"error_message":null})";
    const auto page = [&session](const QByteArray &status) -> QByteArray {
        return "{\"items\":[" + QByteArray(session).replace("%1", status) +
               "],\"total_count\":1,\"page\":1,\"page_size\":50}";
    };
    PrismProxy proxy;
    proxy.setDocument(PrismProxy::toolsDir() +
                          QStringLiteral("/../../docs/api/speaknode.openapi.yaml"),
                      QStringLiteral("/api/v1"));
    QVERIFY2(
        proxy.start(QUrl(QStringLiteral("http://127.0.0.1:%1/api/v1").arg(upstream.serverPort()))),
        qPrintable(proxy.errorString()));
    const QUrl list(proxy.baseUrl().toString() + QLatin1String("/conversations"));

    // Control of the control: a conforming answer passes untouched.
    respond(page("\"Active\""));
    const Exchange good = send("GET", list);
    EXPECT_CLEAN(good, 200);
    QCOMPARE(good.json.value(QLatin1String("items")).toArray().size(), 1);
    // A status outside the enum, then a required field missing: both caught.
    respond(page("\"Running\""));
    const Exchange badEnum = send("GET", list);
    QVERIFY2(!badEnum.violations.isEmpty(), badEnum.describe().constData());
    QVERIFY2(badEnum.violations.join(QLatin1Char(' ')).contains(QLatin1String("status")),
             badEnum.describe().constData());
    respond(QByteArray(page("\"Active\"")).replace("\"agent_title\":\"Reception\",", ""));
    const Exchange missing = send("GET", list);
    QVERIFY2(!missing.violations.isEmpty(), missing.describe().constData());
}

void TestContractSpeakNode::authErrors()
{
    EXPECT_CLEAN(send("GET", api(QStringLiteral("/agents")), {}, QStringLiteral("snk_nope")), 401);
    const QString theirs = send("GET", api(QStringLiteral("/agents")), {}, m_otherToken)
                               .array.at(0)[QLatin1String("id")]
                               .toString();
    QVERIFY(!theirs.isEmpty());
    EXPECT_CLEAN(send("GET", api(QLatin1String("/agents/") + theirs)), 403);
    EXPECT_CLEAN(send("GET", api(QLatin1String("/agents/") +
                                 QUuid::createUuid().toString(QUuid::WithoutBraces))),
                 404);
}

void TestContractSpeakNode::agents()
{
    const Exchange list = send("GET", api(QStringLiteral("/agents")));
    EXPECT_CLEAN(list, 200);
    QVERIFY(list.array.size() >= 5);
    const QString id = list.array.at(0)[QLatin1String("id")].toString();
    EXPECT_CLEAN(send("GET", api(QLatin1String("/agents/") + id)), 200);
}

void TestContractSpeakNode::toolsAndPhoneNumbers()
{
    const Exchange tools = send("GET", api(QStringLiteral("/tools")));
    EXPECT_CLEAN(tools, 200);
    QVERIFY(!tools.array.isEmpty());
    const Exchange numbers = send("GET", api(QStringLiteral("/phone-numbers")));
    EXPECT_CLEAN(numbers, 200);
    QVERIFY(!numbers.array.isEmpty());
}

void TestContractSpeakNode::conversations()
{
    const Exchange all = send("GET", api(QStringLiteral("/conversations?page=2&page_size=100")));
    EXPECT_CLEAN(all, 200);
    QCOMPARE(all.json.value(QLatin1String("items")).toArray().size(), 100);
    const QString agent =
        send("GET", api(QStringLiteral("/agents"))).array.at(0)[QLatin1String("id")].toString();
    for (const char *status : {"Completed", "Failed", "Pending"}) {
        QUrlQuery q;
        q.addQueryItem(QStringLiteral("status"), QLatin1String(status));
        q.addQueryItem(QStringLiteral("agent_id"), agent);
        q.addQueryItem(QStringLiteral("from"), QStringLiteral("2020-01-01T00:00:00Z"));
        q.addQueryItem(QStringLiteral("to"), QStringLiteral("2099-01-01T00:00:00Z"));
        q.addQueryItem(QStringLiteral("page_size"), QStringLiteral("100"));
        EXPECT_CLEAN(
            send("GET", api(QLatin1String("/conversations?") + q.toString(QUrl::FullyEncoded))),
            200);
    }
}

void TestContractSpeakNode::conversationDetails()
{
    const QJsonArray items = send("GET", api(QStringLiteral("/conversations?page_size=40")))
                                 .json.value(QLatin1String("items"))
                                 .toArray();
    QVERIFY(!items.isEmpty());
    int withHistory = 0, tools = 0;
    for (const QJsonValue &v : items) {
        const Exchange d =
            send("GET", api(QLatin1String("/conversations/") + v[QLatin1String("id")].toString()));
        EXPECT_CLEAN(d, 200);
        const QJsonArray h = d.json.value(QLatin1String("history")).toArray();
        withHistory += !h.isEmpty();
        for (const QJsonValue &i : h)
            tools += i[QLatin1String("kind")].toString() == QLatin1String("ToolCall");
    }
    QVERIFY(withHistory > 0);
    QVERIFY(tools > 0);
    EXPECT_CLEAN(send("GET", api(QLatin1String("/conversations/") +
                                 QUuid::createUuid().toString(QUuid::WithoutBraces))),
                 404);
}

void TestContractSpeakNode::dispatchFollowedToTheEnd()
{
    const QJsonArray numbers = send("GET", api(QStringLiteral("/phone-numbers"))).array;
    QJsonObject body;
    for (const QJsonValue &n : numbers) {
        if (!n[QLatin1String("agent_id")].isNull()) {
            body = {{QStringLiteral("agent_id"), n[QLatin1String("agent_id")]},
                    {QStringLiteral("from_number"), n[QLatin1String("number")]},
                    {QStringLiteral("to_number"), QStringLiteral("+14155550123")},
                    {QStringLiteral("dynamic_variables"),
                     QJsonObject{{QStringLiteral("sim_outcome"), QStringLiteral("answered")}}}};
            break;
        }
    }
    QVERIFY(!body.isEmpty());
    const Exchange created = send("POST", api(QStringLiteral("/conversations/dispatch")),
                                  QJsonDocument(body).toJson(QJsonDocument::Compact));
    EXPECT_CLEAN(created, 201);
    const QString id = created.json.value(QLatin1String("id")).toString();
    // Every state on the way (Pending, Dispatching, Active with a growing history, Completed
    // with its audio link) must conform.
    QSet<QString> seen;
    QElapsedTimer t;
    t.start();
    QString status;
    while (status != QLatin1String("Completed") && t.elapsed() < 40000) {
        const Exchange d = send("GET", api(QLatin1String("/conversations/") + id));
        EXPECT_CLEAN(d, 200);
        status = d.json.value(QLatin1String("status")).toString();
        seen.insert(status);
        QTest::qWait(150);
    }
    QCOMPARE(status, QStringLiteral("Completed"));
    QVERIFY2(seen.contains(QStringLiteral("Active")),
             qPrintable(QStringList(seen.values()).join(QLatin1Char(','))));
}

void TestContractSpeakNode::validationErrors()
{
    // The simulator's own 422 (the document allows any non-empty numbers; the server checks).
    const Exchange bad = send(
        "POST", api(QStringLiteral("/conversations/dispatch")),
        QJsonDocument(QJsonObject{{QStringLiteral("agent_id"),
                                   QUuid::createUuid().toString(QUuid::WithoutBraces)},
                                  {QStringLiteral("to_number"), QStringLiteral("0123")},
                                  {QStringLiteral("from_number"), QStringLiteral("+19999999999")}})
            .toJson(QJsonDocument::Compact));
    EXPECT_CLEAN(bad, 422);
    QCOMPARE(bad.json.value(QLatin1String("errors")).toObject().size(), 3);
    const Exchange range = send(
        "GET",
        api(QStringLiteral("/conversations?from=2026-05-02T00:00:00Z&to=2026-05-01T00:00:00Z")));
    EXPECT_CLEAN(range, 422);
    QVERIFY(range.json.value(QLatin1String("errors")).toObject().contains(QLatin1String("To")));
}

void TestContractSpeakNode::rateLimited()
{
    QNetworkRequest admin(QUrl(m_origin + QLatin1String("/_sim/rate-limit")));
    admin.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    const auto setLimit = [this, &admin](int limit) {
        std::unique_ptr<QNetworkReply> r(m_nam.post(
            admin, QJsonDocument(QJsonObject{{QStringLiteral("limit"), limit}}).toJson()));
        QSignalSpy done(r.get(), &QNetworkReply::finished);
        if (!r->isFinished())
            done.wait(10000);
        return r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    };
    QCOMPARE(setLimit(1), 204);
    Exchange limited;
    for (int i = 0; i < 3 && limited.status != 429; ++i)
        limited = send("GET", api(QStringLiteral("/tools")));
    const int restored = setLimit(100000);
    EXPECT_CLEAN(limited, 429);
    QVERIFY(!limited.header("Retry-After").isEmpty());
    QCOMPARE(restored, 204);
}

QTEST_GUILESS_MAIN(TestContractSpeakNode)
#include "tst_contract_speaknode.moc"
