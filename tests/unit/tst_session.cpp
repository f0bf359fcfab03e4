// Session + TalknexPlatform against a scripted HTTP server on 127.0.0.1: idempotency keys,
// If-Match/412, retries, timeouts, cancel, broken bodies, downloads, uploads, paging, logging.
#include "fakehttpserver.h"

#include "api/platform.h"
#include "api/session.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace sb::api;
using Response = FakeHttpServer::Response;

namespace {

const QString kKey = QStringLiteral("sk_live_TOPSECRET_4f9a2c");
const QByteArray kAgent = R"({"id":"agent_1","name":"Front desk","status":"active"})";
const QByteArray kCall =
    R"({"id":"call_1","status":"initiated","createdAt":"2024-05-01T10:00:00Z","to":"+14155550100"})";

template<class T> std::optional<Result<T>> await(const ApiReply<T> &reply, int timeoutMs = 15000)
{
    std::optional<Result<T>> out;
    if (!reply.isValid())
        return out;
    QObject context;
    reply.onFinished(&context, [&out](const Result<T> &r) { out = r; });
    QElapsedTimer timer;
    timer.start();
    while (!out && timer.elapsed() < timeoutMs)
        QTest::qWait(5);
    return out;
}

QStringList g_log;
QtMessageHandler g_previous = nullptr;
void captureHandler(QtMsgType type, const QMessageLogContext &context, const QString &msg)
{
    g_log << QString::fromLatin1(context.category ? context.category : "") + QLatin1Char(' ') + msg;
    if (g_previous)
        g_previous(type, context, msg);
}

} // namespace

class TestSession : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void baseUrlPolicy_data();
    void baseUrlPolicy();
    void refusedWithoutBaseUrl();
    void getSendsKeyAndStoresEtag();
    void postRetriedWithSameIdempotencyKey();
    void postWithoutKeyNotRetried();
    void clientErrorNotRetried();
    void retriesGiveUpAfterMax();
    void ifMatchAnd412Current();
    void preconditionFailedCarriesCurrentEtag();
    void deleteRetriedAfterLostAnswerTreats404AsDone();
    void deleteNotFoundOnFirstAttemptIsError();
    void queryPercentIsLiteral();
    void partialContentShortOfTheEndIsNotCommitted();
    void rateLimited429WaitsRetryAfter();
    void rateHeadersReachBudget();
    void longRetryAfterIsReported();
    void higherServerLimitMeansNoNeedlessWait();
    void noAnswerTimesOut();
    void truncatedBodyIsProtocolError();
    void malformedJsonIsProtocolError();
    void cancelInFlight();
    void cancelWhileWaitingForRetry();
    void unauthorizedSignal();
    void queryPlusIsEncoded();
    void pagerWalksCursorPages();
    void pagerBareArrayIsOnePage();
    void documentsListMissingIsNotSupported();
    void downloadResumesWithRange();
    void uploadMultipart();
    void apiKeyNeverLogged();

private:
    FakeHttpServer *m_server = nullptr;
    Session *m_session = nullptr;
    Platform *m_platform = nullptr;
};

void TestSession::init()
{
    m_server = new FakeHttpServer(this);
    QVERIFY(!m_server->baseUrl().isEmpty());
    m_session = new Session(this);
    QVERIFY(!m_session->setBaseUrl(QUrl(m_server->baseUrl())).isError());
    m_session->setApiKey(kKey);
    RetryPolicy fast;
    fast.baseDelayMs = 10;
    fast.maxDelayMs = 40;
    m_session->setRetryPolicy(fast);
    m_session->setRandomSeed(99);
    m_platform = createPlatform(PlatformKind::Talknex, m_session, this);
    QVERIFY(m_platform);
}

void TestSession::cleanup()
{
    delete m_platform;
    delete m_session;
    delete m_server;
}

void TestSession::baseUrlPolicy_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("allowed");
    QTest::newRow("https") << QStringLiteral("https://api.talknex.ai/v1") << true;
    QTest::newRow("http loopback") << QStringLiteral("http://127.0.0.1:8080/v1") << true;
    QTest::newRow("http 127.x") << QStringLiteral("http://127.3.2.1/v1") << true;
    QTest::newRow("http localhost") << QStringLiteral("http://localhost:9/v1") << true;
    QTest::newRow("http ::1") << QStringLiteral("http://[::1]:9/v1") << true;
    QTest::newRow("http remote") << QStringLiteral("http://api.talknex.ai/v1") << false;
    QTest::newRow("http lan") << QStringLiteral("http://192.168.1.5/v1") << false;
    QTest::newRow("http localhost lookalike")
        << QStringLiteral("http://localhost.evil.example/v1") << false;
    QTest::newRow("ftp") << QStringLiteral("ftp://127.0.0.1/v1") << false;
    QTest::newRow("garbage") << QStringLiteral("::not a url::") << false;
    QTest::newRow("empty") << QString() << false;
}

void TestSession::baseUrlPolicy()
{
    QFETCH(QString, url);
    QFETCH(bool, allowed);
    Session s;
    const ApiError e = s.setBaseUrl(QUrl(url));
    QCOMPARE(!e.isError(), allowed);
    if (!allowed) {
        QCOMPARE(e.kind, ApiError::Kind::InvalidRequest);
        QVERIFY(!e.caption().isEmpty());
        QVERIFY(!s.baseUrl().isValid());
    }
}

void TestSession::refusedWithoutBaseUrl()
{
    Session s;
    s.setApiKey(kKey);
    Platform *p = createPlatform(PlatformKind::Talknex, &s, &s);
    const auto r = await(p->agent(QStringLiteral("agent_1")));
    QVERIFY(r.has_value());
    QCOMPARE(r->error().kind, ApiError::Kind::InvalidRequest);
    Platform *speakNode = createPlatform(PlatformKind::SpeakNode, &s, &s);
    QVERIFY(speakNode);
    QCOMPARE(speakNode->kind(), PlatformKind::SpeakNode);
    QCOMPARE(await(speakNode->agent(QStringLiteral("a")))->error().kind,
             ApiError::Kind::InvalidRequest);
}

void TestSession::getSendsKeyAndStoresEtag()
{
    m_server->enqueue(
        FakeHttpServer::json(200, kAgent, {{"ETag", "\"v7\""}, {"X-Request-Id", "req_1"}}));
    const auto r = await(m_platform->agent(QStringLiteral("agent_1")));
    QVERIFY(r.has_value());
    QVERIFY2(r->ok(), qPrintable(r->error().details()));
    QCOMPARE(r->value().name, QStringLiteral("Front desk"));
    QCOMPARE(r->value().etag, QStringLiteral("\"v7\""));
    QCOMPARE(m_server->requestCount(), 1);
    const auto &req = m_server->received().at(0);
    QCOMPARE(req.method, QByteArray("GET"));
    QCOMPARE(req.target, QByteArray("/v1/agents/agent_1"));
    QCOMPARE(req.header("authorization"), "Bearer " + kKey.toUtf8());
    QVERIFY(req.header("idempotency-key").isEmpty()); // GETs need none
}

void TestSession::postRetriedWithSameIdempotencyKey()
{
    m_server->enqueue(
        FakeHttpServer::json(503, R"({"error":{"code":"internal_error","message":"busy"}})"));
    m_server->enqueue(Response{0, {}, {}, Response::Mode::Close});
    m_server->enqueue(FakeHttpServer::json(201, kCall));
    PlaceCallRequest call{QStringLiteral("agent_1"),
                          QStringLiteral("+14155550100"),
                          QStringLiteral("+14155550199"),
                          {}};
    const auto r = await(m_platform->placeCall(call));
    QVERIFY(r.has_value());
    QVERIFY2(r->ok(), qPrintable(r->error().details()));
    QCOMPARE(r->value().id, QStringLiteral("call_1"));
    QCOMPARE(m_server->requestCount(), 3);
    const QByteArray key = m_server->received().at(0).header("idempotency-key");
    QVERIFY(key.size() >= 32);
    QCOMPARE(m_server->received().at(1).header("idempotency-key"), key);
    QCOMPARE(m_server->received().at(2).header("idempotency-key"), key);
    QCOMPARE(m_server->received().at(2).body, m_server->received().at(0).body);

    // A second logical request gets a new key.
    m_server->enqueue(FakeHttpServer::json(201, kCall));
    QVERIFY(await(m_platform->placeCall(call)).value().ok());
    QVERIFY(m_server->received().at(3).header("idempotency-key") != key);
}

void TestSession::postWithoutKeyNotRetried()
{
    m_server->enqueue(FakeHttpServer::json(503, "{}"));
    m_server->enqueue(FakeHttpServer::json(201, kCall));
    Request req;
    req.method = "POST";
    req.path = QStringLiteral("/calls");
    req.body = "{}";
    req.noIdempotencyKey = true;
    PendingRequest *p = m_session->send(req);
    QSignalSpy spy(p, &PendingRequest::finished);
    QVERIFY(spy.wait(10000));
    QCOMPARE(p->error().kind, ApiError::Kind::Server);
    QCOMPARE(p->error().httpStatus, 503);
    QCOMPARE(m_server->requestCount(), 1);
    QVERIFY(m_server->received().at(0).header("idempotency-key").isEmpty());
}

void TestSession::clientErrorNotRetried()
{
    m_server->enqueue(FakeHttpServer::json(
        400,
        R"({"error":{"code":"validation_error","message":"agentId is required","field":"agentId","requestId":"req_9"}})"));
    const auto r = await(m_platform->placeCall(PlaceCallRequest{}));
    QVERIFY(r.has_value());
    QCOMPARE(r->error().kind, ApiError::Kind::Validation);
    QCOMPARE(r->error().code, QStringLiteral("validation_error"));
    QCOMPARE(r->error().field, QStringLiteral("agentId"));
    QCOMPARE(r->error().requestId, QStringLiteral("req_9"));
    QVERIFY(r->error().caption().contains(QStringLiteral("agentId")));
    QCOMPARE(m_server->requestCount(), 1);
}

void TestSession::retriesGiveUpAfterMax()
{
    m_server->setHandler([](const FakeHttpServer::Received &) {
        return FakeHttpServer::json(502, "bad gateway", {{"X-Request-Id", "req_502"}});
    });
    const auto r = await(m_platform->deleteAgent(QStringLiteral("agent_1")));
    QVERIFY(r.has_value());
    QCOMPARE(r->error().kind, ApiError::Kind::Server);
    QCOMPARE(r->error().requestId, QStringLiteral("req_502"));
    QCOMPARE(m_server->requestCount(), m_session->retryPolicy().maxAttempts);
}

void TestSession::ifMatchAnd412Current()
{
    m_server->setHandler([](const FakeHttpServer::Received &req) {
        if (req.header("if-match") != "\"v1\"")
            return FakeHttpServer::json(500, "{}");
        return FakeHttpServer::json(412,
                                    R"({"error":{"code":"precondition_failed","message":"stale",
            "current":{"id":"agent_1","name":"Renamed by Bob","status":"paused"}}})");
    });
    AgentChanges changes;
    changes.name = QStringLiteral("Mine");
    const auto r =
        await(m_platform->patchAgent(QStringLiteral("agent_1"), changes, QStringLiteral("\"v1\"")));
    QVERIFY(r.has_value());
    QCOMPARE(r->error().kind, ApiError::Kind::PreconditionFailed);
    const auto current = r->error().currentAs<Agent>();
    QVERIFY(current.has_value());
    QCOMPARE(current->name, QStringLiteral("Renamed by Bob"));
    QCOMPARE(current->status, AgentStatus::Paused);
    QCOMPARE(m_server->requestCount(), 1);
    QCOMPARE(m_server->received().at(0).method, QByteArray("PATCH"));
    QCOMPARE(m_server->received().at(0).body, QByteArray(R"({"name":"Mine"})"));
}

void TestSession::preconditionFailedCarriesCurrentEtag()
{
    // The merge UI re-sends with the current object's tag; without it the retry would be an
    // unconditional overwrite (no If-Match) or another 412.
    m_server->enqueue(FakeHttpServer::json(412,
                                           R"({"error":{"code":"precondition_failed",
            "current":{"id":"contact_1","name":"Bob","phone":"+14155550100"}}})",
                                           {{"ETag", "\"v9\""}}));
    ContactChanges changes;
    changes.name = QStringLiteral("Alice");
    const auto r = await(
        m_platform->patchContact(QStringLiteral("contact_1"), changes, QStringLiteral("\"v1\"")));
    QVERIFY(r.has_value());
    QCOMPARE(r->error().kind, ApiError::Kind::PreconditionFailed);
    const auto current = r->error().currentAs<Contact>();
    QVERIFY(current.has_value());
    QCOMPARE(current->name, QStringLiteral("Bob"));
    QCOMPARE(current->etag, QStringLiteral("\"v9\""));
}

void TestSession::deleteRetriedAfterLostAnswerTreats404AsDone()
{
    // The first DELETE reached the server but its answer was lost; the retry finds nothing to
    // delete. The object is gone, as asked: that is success, not "the item no longer exists".
    Response lost;
    lost.status = 200;
    lost.body = "{";
    lost.mode = Response::Mode::TruncatedBody;
    m_server->enqueue(lost);
    m_server->enqueue(FakeHttpServer::json(404, R"({"error":{"code":"not_found"}})"));
    const auto r = await(m_platform->deleteAgent(QStringLiteral("agent_1")));
    QVERIFY(r.has_value());
    QVERIFY2(r->ok(), qPrintable(r->error().details()));
    QCOMPARE(m_server->requestCount(), 2);
}

void TestSession::deleteNotFoundOnFirstAttemptIsError()
{
    m_server->enqueue(FakeHttpServer::json(404, R"({"error":{"code":"not_found"}})"));
    const auto r = await(m_platform->deleteAgent(QStringLiteral("agent_1")));
    QVERIFY(r.has_value());
    QCOMPARE(r->error().kind, ApiError::Kind::NotFound);
}

void TestSession::queryPercentIsLiteral()
{
    // Search text and opaque cursors are data: "%41" must reach the server as typed, not as "A".
    m_server->enqueue(FakeHttpServer::json(200, R"({"data":[],"nextCursor":"c%2Fx%41"})"));
    m_server->enqueue(FakeHttpServer::json(200, "[]"));
    auto pager = m_platform->contacts(QStringLiteral("50%41 off"), QString(), 20);
    QVERIFY(await(pager.fetchNext()).value().ok());
    QCOMPARE(pager.cursor(), QStringLiteral("c%2Fx%41"));
    QVERIFY(await(pager.fetchNext()).value().ok());
    const QByteArray first = m_server->received().at(0).target;
    QVERIFY2(first.contains("q=50%2541%20off"), first.constData());
    const QByteArray second = m_server->received().at(1).target;
    QVERIFY2(second.contains("cursor=c%252Fx%2541"), second.constData());
}

void TestSession::partialContentShortOfTheEndIsNotCommitted()
{
    // A 206 that stops before the end of the representation is not the whole recording.
    Response r;
    r.status = 206;
    r.headers = {{"Content-Type", "audio/wav"}, {"Content-Range", "bytes 0-99/200"}};
    r.body = QByteArray(100, 'a');
    m_server->setHandler([r](const FakeHttpServer::Received &) { return r; });
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("call_1.wav"));
    const auto result = await(m_platform->downloadRecording(QStringLiteral("call_1"), path));
    QVERIFY(result.has_value());
    QVERIFY(!result->ok());
    QCOMPARE(result->error().kind, ApiError::Kind::Protocol);
    QVERIFY(!QFile::exists(path));
    QVERIFY(!QFile::exists(path + QStringLiteral(".part")));
}

void TestSession::rateLimited429WaitsRetryAfter()
{
    m_server->enqueue(FakeHttpServer::json(
        429, R"({"error":{"code":"rate_limited","message":"slow"}})", {{"Retry-After", "1"}}));
    m_server->enqueue(FakeHttpServer::json(200, kAgent));
    QSignalSpy budget(m_session, &Session::budgetChanged);
    QElapsedTimer timer;
    timer.start();
    const auto r = await(m_platform->agent(QStringLiteral("agent_1")));
    QVERIFY(r.has_value());
    QVERIFY(r->ok());
    QVERIFY2(timer.elapsed() >= 900, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(m_server->requestCount(), 2);
    bool sawPause = false;
    for (const auto &args : budget)
        sawPause = sawPause || args.at(0).value<RateBudget>().pausedUntilMs > 0;
    QVERIFY(sawPause);
}

void TestSession::rateHeadersReachBudget()
{
    const qint64 resetSec = QDateTime::currentSecsSinceEpoch() + 30;
    const QByteArray reset = QByteArray::number(resetSec);
    m_server->enqueue(FakeHttpServer::json(200, kAgent,
                                           {{"X-RateLimit-Limit", "100"},
                                            {"X-RateLimit-Remaining", "37"},
                                            {"X-RateLimit-Reset", reset}}));
    QSignalSpy budget(m_session, &Session::budgetChanged);
    QVERIFY(await(m_platform->agent(QStringLiteral("agent_1"))).value().ok());
    QVERIFY(!budget.isEmpty());
    const auto b = budget.last().at(0).value<RateBudget>();
    QCOMPARE(b.remaining, 37);
    QCOMPARE(b.resetAtMs, resetSec * 1000);
}

void TestSession::longRetryAfterIsReported()
{
    m_server->enqueue(FakeHttpServer::json(429, "{}", {{"Retry-After", "3600"}}));
    const auto r = await(m_platform->agent(QStringLiteral("agent_1")));
    QCOMPARE(r->error().kind, ApiError::Kind::RateLimited);
    QCOMPARE(r->error().retryAfterMs.value_or(0), 3600000);
    QCOMPARE(m_server->requestCount(), 1);
    QVERIFY(m_session->rateLimiter()->budget().pausedUntilMs > 0); // the key stays paused
}

void TestSession::higherServerLimitMeansNoNeedlessWait()
{
    m_server->setHandler([](const FakeHttpServer::Received &) {
        const QByteArray reset = QByteArray::number(QDateTime::currentSecsSinceEpoch() + 60);
        return FakeHttpServer::json(200, "[]",
                                    {{"X-RateLimit-Limit", "100000"},
                                     {"X-RateLimit-Remaining", "99000"},
                                     {"X-RateLimit-Reset", reset}});
    });
    // 40 requests: with the default bucket (10 burst, 90/min) they would need more than 20 s.
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < 40; ++i) {
        auto pager = m_platform->calls(CallFilter{}, 100, Lane::Background);
        const auto r = await(pager.fetchNext());
        QVERIFY(r.has_value() && r->ok());
    }
    QVERIFY2(timer.elapsed() < 8000, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(m_session->rateLimiter()->serverLimit(), 100000);
    QCOMPARE(m_server->requestCount(), 40);
}

void TestSession::noAnswerTimesOut()
{
    m_server->setHandler([](const FakeHttpServer::Received &) {
        return Response{0, {}, {}, Response::Mode::NoAnswer};
    });
    m_session->setConnectTimeoutMs(300);
    RetryPolicy p = m_session->retryPolicy();
    p.maxAttempts = 2;
    m_session->setRetryPolicy(p);
    const auto r = await(m_platform->agent(QStringLiteral("agent_1")));
    QVERIFY(r.has_value());
    QCOMPARE(r->error().kind, ApiError::Kind::Timeout);
    QCOMPARE(m_server->requestCount(), 2); // a GET timeout is retried, then reported
}

void TestSession::truncatedBodyIsProtocolError()
{
    RetryPolicy p = m_session->retryPolicy();
    p.maxAttempts = 1;
    m_session->setRetryPolicy(p);
    Response cut = FakeHttpServer::json(200, kAgent.left(20));
    cut.mode = Response::Mode::TruncatedBody;
    m_server->enqueue(cut);
    const auto r = await(m_platform->agent(QStringLiteral("agent_1")));
    QVERIFY(r.has_value());
    QVERIFY(!r->ok());
    QCOMPARE(r->error().kind, ApiError::Kind::Protocol);
}

void TestSession::malformedJsonIsProtocolError()
{
    m_server->enqueue(FakeHttpServer::json(200, kAgent.left(25))); // complete HTTP, broken JSON
    m_server->enqueue(FakeHttpServer::json(200, R"({"id":7,"name":"x"})"));
    m_server->enqueue(
        FakeHttpServer::json(200, R"({"data":[{"id":"agent_1"}],"nextCursor":null})"));
    const auto a = await(m_platform->agent(QStringLiteral("agent_1")));
    QCOMPARE(a->error().kind, ApiError::Kind::Protocol);
    const auto b = await(m_platform->agent(QStringLiteral("agent_1")));
    QCOMPARE(b->error().kind, ApiError::Kind::Protocol);
    QVERIFY(b->error().message.contains(QStringLiteral("id")));
    auto pager = m_platform->agents();
    const auto c = await(pager.fetchNext());
    QCOMPARE(c->error().kind, ApiError::Kind::Protocol);
    QVERIFY(pager.hasMore()); // a failed page can be fetched again
    QCOMPARE(m_server->requestCount(), 3);
}

void TestSession::cancelInFlight()
{
    m_server->setHandler([](const FakeHttpServer::Received &) {
        return Response{0, {}, {}, Response::Mode::NoAnswer};
    });
    auto reply = m_platform->agent(QStringLiteral("agent_1"));
    std::optional<Result<Agent>> out;
    reply.onFinished(this, [&out](const Result<Agent> &r) { out = r; });
    QSignalSpy received(m_server, &FakeHttpServer::requestReceived);
    QVERIFY(received.wait(10000));
    reply.cancel();
    QTRY_VERIFY_WITH_TIMEOUT(out.has_value(), 10000);
    QCOMPARE(out->error().kind, ApiError::Kind::Canceled);
    QTRY_VERIFY_WITH_TIMEOUT(reply.request() == nullptr, 10000); // deleted after finished
    QTest::qWait(100); // give a (wrong) retry a chance to show up
    QCOMPARE(m_server->requestCount(), 1);
}

void TestSession::cancelWhileWaitingForRetry()
{
    m_server->setHandler([](const FakeHttpServer::Received &) {
        return FakeHttpServer::json(503, "{}", {{"Retry-After", "30"}});
    });
    auto reply = m_platform->agent(QStringLiteral("agent_1"));
    std::optional<Result<Agent>> out;
    reply.onFinished(this, [&out](const Result<Agent> &r) { out = r; });
    QSignalSpy received(m_server, &FakeHttpServer::requestReceived);
    QVERIFY(received.wait(10000));
    QTest::qWait(50); // the 503 is now being answered; the retry waits 30 s
    reply.cancel();
    QTRY_VERIFY_WITH_TIMEOUT(out.has_value(), 5000);
    QCOMPARE(out->error().kind, ApiError::Kind::Canceled);
    QCOMPARE(m_server->requestCount(), 1);
}

void TestSession::unauthorizedSignal()
{
    m_server->enqueue(
        FakeHttpServer::json(401, R"({"error":{"code":"unauthorized","message":"revoked"}})"));
    QSignalSpy spy(m_session, &Session::unauthorized);
    const auto r = await(m_platform->contact(QStringLiteral("contact_1")));
    QCOMPARE(r->error().kind, ApiError::Kind::Unauthorized);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(m_server->requestCount(), 1);
}

void TestSession::queryPlusIsEncoded()
{
    m_server->enqueue(FakeHttpServer::json(200, "[]"));
    auto pager = m_platform->contacts(QStringLiteral("+1415 55"), QStringLiteral("vip&co"), 50);
    QVERIFY(await(pager.fetchNext()).value().ok());
    const QByteArray target = m_server->received().at(0).target;
    QVERIFY2(target.contains("q=%2B1415%2055"), target.constData());
    QVERIFY2(target.contains("tag=vip%26co"), target.constData());
    QVERIFY2(target.contains("limit=50"), target.constData());
}

void TestSession::pagerWalksCursorPages()
{
    m_server->setHandler([](const FakeHttpServer::Received &req) {
        const QUrlQuery q(QUrl(QString::fromLatin1(req.target)).query());
        const QString cursor = q.queryItemValue(QStringLiteral("cursor"));
        if (cursor.isEmpty())
            return FakeHttpServer::json(
                200,
                R"({"data":[{"id":"call_3","status":"completed","createdAt":"2024-05-03T00:00:00Z"}],"nextCursor":"p2"})");
        if (cursor == QLatin1String("p2"))
            return FakeHttpServer::json(
                200,
                R"({"data":[{"id":"call_2","status":"completed","createdAt":"2024-05-02T00:00:00Z"}],"nextCursor":"p3"})");
        return FakeHttpServer::json(
            200,
            R"({"data":[{"id":"call_1","status":"failed","createdAt":"2024-05-01T00:00:00Z"}],"nextCursor":null})");
    });
    CallFilter filter;
    filter.status = CallStatus::Completed;
    auto pager = m_platform->calls(filter, 1, Lane::Background);
    QStringList ids;
    while (pager.hasMore()) {
        auto reply = pager.fetchNext();
        QVERIFY(reply.isValid());
        QVERIFY(!pager.fetchNext().isValid()); // one page in flight at a time
        const auto r = await(reply);
        QVERIFY(r.has_value() && r->ok());
        for (const Call &c : r->value().items)
            ids << c.id;
    }
    QCOMPARE(ids, (QStringList{QStringLiteral("call_3"), QStringLiteral("call_2"),
                               QStringLiteral("call_1")}));
    QVERIFY(pager.isDone());
    QVERIFY(!pager.fetchNext().isValid());
    QCOMPARE(m_server->requestCount(), 3);
    QVERIFY(m_server->received().at(1).target.contains("cursor=p2"));
    QVERIFY(m_server->received().at(0).target.contains("status=completed"));
}

void TestSession::pagerBareArrayIsOnePage()
{
    m_server->enqueue(FakeHttpServer::json(200, "[" + kAgent + "]"));
    auto pager = m_platform->agents();
    const auto r = await(pager.fetchNext());
    QVERIFY(r->ok());
    QCOMPARE(r->value().items.size(), 1);
    QVERIFY(pager.isDone());
}

void TestSession::documentsListMissingIsNotSupported()
{
    m_server->enqueue(
        FakeHttpServer::json(404, R"({"error":{"code":"not_found","message":"no route"}})"));
    auto pager = m_platform->documents(QStringLiteral("col_1"));
    const auto r = await(pager.fetchNext());
    QCOMPARE(r->error().kind, ApiError::Kind::NotSupported);
    QCOMPARE(m_server->received().at(0).target,
             QByteArray("/v1/knowledge/collections/col_1/documents?limit=100"));
}

void TestSession::downloadResumesWithRange()
{
    QByteArray audio(200000, Qt::Uninitialized);
    for (qsizetype i = 0; i < audio.size(); ++i)
        audio[i] = char(i * 31 % 251);
    const qsizetype half = 70000;
    m_server->setHandler([&audio, half](const FakeHttpServer::Received &req) {
        Response r;
        r.headers = {{"Content-Type", "audio/wav"}};
        const QByteArray range = req.header("range");
        if (range.isEmpty()) {
            r.status = 200;
            r.body = audio.left(half);
            r.mode = Response::Mode::TruncatedBody;
            r.announcedLength = audio.size();
            return r;
        }
        const qsizetype from = range.mid(6, range.indexOf('-') - 6).toLongLong();
        r.status = 206;
        r.body = audio.mid(from);
        r.headers.append({"Content-Range", "bytes " + QByteArray::number(from) + "-" +
                                               QByteArray::number(audio.size() - 1) + "/" +
                                               QByteArray::number(audio.size())});
        return r;
    });
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("call_1.wav"));
    {
        // A leftover from an earlier run must not be resumed: it may be another recording.
        QFile stale(path + QStringLiteral(".part"));
        QVERIFY(stale.open(QIODevice::WriteOnly));
        stale.write(QByteArray(1000, 'x'));
    }
    auto reply = m_platform->downloadRecording(QStringLiteral("call_1"), path);
    qint64 lastDone = 0, lastTotal = 0;
    reply.onProgress(this, [&](qint64 done, qint64 total) {
        lastDone = done;
        lastTotal = total;
    });
    const auto r = await(reply);
    QVERIFY(r.has_value());
    QVERIFY2(r->ok(), qPrintable(r->error().details()));
    QCOMPARE(r->value(), path);
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), audio);
    QVERIFY(!QFile::exists(path + QStringLiteral(".part")));
    QCOMPARE(m_server->requestCount(), 2);
    QVERIFY(m_server->received().at(0).header("range").isEmpty());
    QCOMPARE(m_server->received().at(1).header("range"), "bytes=" + QByteArray::number(half) + "-");
    QCOMPARE(lastDone, qint64(audio.size()));
    QCOMPARE(lastTotal, qint64(audio.size()));
}

void TestSession::uploadMultipart()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("faq.md"));
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("# Opening hours\nMon-Fri 9-17\n");
    }
    m_server->enqueue(FakeHttpServer::json(
        201, R"({"id":"doc_1","title":"faq.md","source":"file","status":"processing"})"));
    const auto r = await(m_platform->uploadDocument(QStringLiteral("col_1"), path));
    QVERIFY(r.has_value());
    QVERIFY2(r->ok(), qPrintable(r->error().details()));
    QCOMPARE(r->value().status, DocumentStatus::Processing);
    const auto &req = m_server->received().at(0);
    QVERIFY(req.header("content-type").startsWith("multipart/form-data; boundary="));
    QVERIFY(req.body.contains("name=\"file\"; filename=\"faq.md\""));
    QVERIFY(req.body.contains("Mon-Fri 9-17"));
    QVERIFY(!req.header("idempotency-key").isEmpty());

    const auto missing = await(m_platform->uploadDocument(
        QStringLiteral("col_1"), dir.filePath(QStringLiteral("nope.pdf"))));
    QCOMPARE(missing->error().kind, ApiError::Kind::Io);
    QCOMPARE(m_server->requestCount(), 1);
}

void TestSession::apiKeyNeverLogged()
{
    QLoggingCategory::setFilterRules(QStringLiteral("switchboard.*=true"));
    g_log.clear();
    g_previous = qInstallMessageHandler(captureHandler);
    m_server->enqueue(FakeHttpServer::json(503, "{}"));
    m_server->enqueue(FakeHttpServer::json(201, kCall));
    m_server->enqueue(
        FakeHttpServer::json(401, R"({"error":{"code":"unauthorized","message":"bad key"}})"));
    m_server->enqueue(FakeHttpServer::json(200, "{not json"));
    PlaceCallRequest call{QStringLiteral("agent_1"),
                          QStringLiteral("+14155550100"),
                          QStringLiteral("+14155550199"),
                          {}};
    const auto a = await(m_platform->placeCall(call));
    const auto b = await(m_platform->agent(QStringLiteral("agent_1")));
    const auto c = await(m_platform->agent(QStringLiteral("agent_1")));
    qInstallMessageHandler(g_previous);
    QLoggingCategory::setFilterRules(QString());
    QVERIFY(a->ok());
    QCOMPARE(b->error().kind, ApiError::Kind::Unauthorized);
    QCOMPARE(c->error().kind, ApiError::Kind::Protocol);
    const QString all = g_log.join(QLatin1Char('\n'));
    QVERIFY2(all.contains(QStringLiteral("switchboard.api")), "nothing was logged: test is void");
    QVERIFY(all.contains(QStringLiteral("/calls")));
    QVERIFY2(!all.contains(kKey), "API key leaked into the log");
    QVERIFY(!all.contains(QStringLiteral("TOPSECRET")));
    QVERIFY2(!all.contains(QStringLiteral("4155550100")), "phone number not masked");
    QVERIFY(all.contains(QStringLiteral("+*********00")));
}

QTEST_GUILESS_MAIN(TestSession)
#include "tst_session.moc"
