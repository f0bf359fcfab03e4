// SpeakNodePlatform against a scripted HTTP server on 127.0.0.1: the requests it makes (paths,
// query, headers), composite answers (agent + tools, calls + numbers, recording behind a
// pre-signed URL) and their failure paths, which the simulator cannot easily produce.
#include "fakehttpserver.h"

#include "api/platform.h"
#include "api/session.h"
#include "api/speaknodeplatform.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

using namespace sb::api;
using Response = FakeHttpServer::Response;
using Received = FakeHttpServer::Received;

namespace {

const QString kToken = QStringLiteral("eyJ.TOPSECRET.token");
const QByteArray kAudio = QByteArray("RIFF....WAVEfmt ") + QByteArray(70000, 'x');

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

QByteArray session(const QString &id, const QString &to, const QString &from,
                   const QString &audioUrl = {}, const QDateTime &expires = {},
                   const QByteArray &status = "Completed")
{
    QJsonObject o{{QStringLiteral("id"), id},
                  {QStringLiteral("agent_id"), QStringLiteral("a1")},
                  {QStringLiteral("status"), QString::fromLatin1(status)},
                  {QStringLiteral("created_at"), QStringLiteral("2026-05-04T16:20:00Z")},
                  {QStringLiteral("started_at"), QStringLiteral("2026-05-04T16:20:02Z")},
                  {QStringLiteral("duration_seconds"), 61.2},
                  {QStringLiteral("to_number"), to},
                  {QStringLiteral("from_number"), from},
                  {QStringLiteral("has_audio"), !audioUrl.isEmpty()},
                  {QStringLiteral("audio_url"),
                   audioUrl.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(audioUrl)},
                  {QStringLiteral("audio_url_expires_at"),
                   expires.isValid() ? QJsonValue(expires.toString(Qt::ISODate))
                                     : QJsonValue(QJsonValue::Null)}};
    o.insert(QStringLiteral("history"),
             QJsonArray{QJsonObject{
                 {QStringLiteral("id"), QStringLiteral("h1")},
                 {QStringLiteral("role"), QStringLiteral("User")},
                 {QStringLiteral("kind"), QStringLiteral("Message")},
                 {QStringLiteral("content"), QStringLiteral("This is terrible, I am very upset.")},
                 {QStringLiteral("created_at"), QStringLiteral("2026-05-04T16:20:05Z")}}});
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QByteArray numbers(const QStringList &list)
{
    QJsonArray items;
    int i = 0;
    for (const QString &n : list)
        items.append(QJsonObject{{QStringLiteral("id"), QStringLiteral("n%1").arg(++i)},
                                 {QStringLiteral("number"), n},
                                 {QStringLiteral("telecom_provider"), QStringLiteral("Twilio")}});
    return QJsonDocument(items).toJson(QJsonDocument::Compact);
}

QString pathOf(const Received &r)
{
    return QUrl(QString::fromLatin1(r.target)).path();
}

QUrlQuery queryOf(const Received &r)
{
    return QUrlQuery(QUrl(QString::fromLatin1(r.target)).query());
}

} // namespace

class TestSpeakNodePlatform : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void capabilitiesAndUnsupported();
    void agentResolvesTools();
    void agentsPagesAndBareArray();
    void callsPagingFiltersAndDirection();
    void unknownNumberRefreshesNumbers();
    void unreadableNumbersLeaveDirectionUnknown();
    void callDetailsEstimatesSentiment();
    void dispatch422MapsFieldsAndIsNotRetried();
    void rateLimitedProblemWaitsRetryAfter();
    void recordingWithoutBearerToken();
    void expiringUrlFetchedAgain();
    void refusedUrlRefreshedOnce();
    void noRecordingIsNotFound();
    void cancelDownloadStopsTheChain();

private:
    QString mediaUrl(const QString &name) const
    {
        QString base = m_server->baseUrl();
        base.chop(3); // "/v1"
        return base + QStringLiteral("/media/") + name + QStringLiteral("?sig=abc%2Bdef");
    }
    QList<Received> requestsTo(const QString &prefix) const
    {
        QList<Received> out;
        for (const Received &r : m_server->received()) {
            if (pathOf(r).startsWith(prefix))
                out.append(r);
        }
        return out;
    }

    FakeHttpServer *m_server = nullptr;
    Session *m_session = nullptr;
    Platform *m_platform = nullptr;
    QTemporaryDir m_dir;
};

void TestSpeakNodePlatform::init()
{
    m_server = new FakeHttpServer(this);
    QVERIFY(!m_server->baseUrl().isEmpty());
    m_session = new Session(this);
    QVERIFY(!m_session->setBaseUrl(QUrl(m_server->baseUrl())).isError());
    m_session->setApiKey(kToken);
    RetryPolicy fast;
    fast.baseDelayMs = 10;
    fast.maxDelayMs = 40;
    m_session->setRetryPolicy(fast);
    m_platform = createPlatform(PlatformKind::SpeakNode, m_session, this);
    QVERIFY(m_platform);
}

void TestSpeakNodePlatform::cleanup()
{
    delete m_platform;
    delete m_session;
    delete m_server;
}

void TestSpeakNodePlatform::capabilitiesAndUnsupported()
{
    QCOMPARE(m_platform->kind(), PlatformKind::SpeakNode);
    QCOMPARE(m_platform->displayName(), QStringLiteral("SpeakNode"));
    QCOMPARE(m_platform->capabilities(),
             Platform::Capabilities(Platform::Capability::CallPlacement) |
                 Platform::Capability::Recordings);
    const auto expectUnsupported = [](const auto &result) {
        QVERIFY(result.has_value());
        QCOMPARE(result->error().kind, ApiError::Kind::NotSupported);
        QVERIFY(!result->error().caption().isEmpty());
    };
    expectUnsupported(await(m_platform->createAgent({})));
    expectUnsupported(await(m_platform->patchAgent(QStringLiteral("a"), {}, {})));
    expectUnsupported(await(m_platform->deleteAgent(QStringLiteral("a"))));
    expectUnsupported(await(m_platform->deleteCall(QStringLiteral("c"))));
    expectUnsupported(await(m_platform->purchaseNumber({})));
    expectUnsupported(await(m_platform->patchPhoneNumber(QStringLiteral("n"), {})));
    expectUnsupported(await(m_platform->releasePhoneNumber(QStringLiteral("n"))));
    expectUnsupported(await(m_platform->collections().fetchNext()));
    expectUnsupported(await(m_platform->createCollection(QStringLiteral("x"), {})));
    expectUnsupported(await(m_platform->documents(QStringLiteral("c")).fetchNext()));
    expectUnsupported(await(m_platform->uploadDocument(QStringLiteral("c"), QStringLiteral("f"))));
    expectUnsupported(await(m_platform->submitTextDocument(QStringLiteral("c"), {}, {})));
    expectUnsupported(await(m_platform->deleteDocument(QStringLiteral("c"), QStringLiteral("d"))));
    expectUnsupported(await(m_platform->contacts({}, {}).fetchNext()));
    expectUnsupported(await(m_platform->contact(QStringLiteral("c"))));
    expectUnsupported(await(m_platform->createContact({})));
    expectUnsupported(await(m_platform->patchContact(QStringLiteral("c"), {}, {})));
    QCOMPARE(m_server->requestCount(), 0); // none of them touched the network
    QVERIFY(!m_platform->unsupportedReason(Platform::Capability::AgentsWritable).isEmpty());
}

void TestSpeakNodePlatform::agentResolvesTools()
{
    m_server->setHandler([](const Received &r) {
        const QString path = pathOf(r);
        if (path == QLatin1String("/v1/agents/a%2F1"))
            return FakeHttpServer::json(
                200, R"({"id":"a/1","title":"Reception","tool_ids":["t3","t1","gone"]})");
        if (path == QLatin1String("/v1/tools")) {
            // Two pages of tools: the platform follows total_count.
            if (queryOf(r).queryItemValue(QStringLiteral("page")) == QLatin1String("1"))
                return FakeHttpServer::json(
                    200, R"({"items":[{"id":"t1","name":"Lookup","code":"lookup"}],
                             "total_count":101,"page":1,"page_size":100})");
            return FakeHttpServer::json(200, R"({"items":[{"id":"t3","name":"Hang up",
                "type":"System"}],"total_count":101,"page":2,"page_size":100})");
        }
        return FakeHttpServer::json(404, R"({"title":"Not Found","status":404})");
    });
    const auto r = await(m_platform->agent(QStringLiteral("a/1")));
    QVERIFY(r.has_value());
    QVERIFY2(r->ok(), qPrintable(r->error().details()));
    QCOMPARE(r->value().name, QStringLiteral("Reception"));
    QCOMPARE(r->value().tools.size(), 2); // "gone" is not listed: skipped
    QCOMPARE(r->value().tools.at(0).name, QStringLiteral("Hang up"));
    QCOMPARE(r->value().tools.at(1).name, QStringLiteral("lookup"));
    QCOMPARE(m_server->requestCount(), 3);
    QCOMPARE(m_server->received().at(0).header("authorization"), "Bearer " + kToken.toUtf8());

    // The agent's own 404 is the answer's error; no tools are asked for.
    const auto missing = await(m_platform->agent(QStringLiteral("nobody")));
    QVERIFY(missing.has_value());
    QCOMPARE(missing->error().kind, ApiError::Kind::NotFound);
    QCOMPARE(m_server->requestCount(), 4);
}

void TestSpeakNodePlatform::agentsPagesAndBareArray()
{
    m_server->enqueue(FakeHttpServer::json(
        200, R"({"items":[{"id":"a1"},{"id":"a2"}],"total_count":3,"page":1,"page_size":2})"));
    m_server->enqueue(FakeHttpServer::json(
        200, R"({"items":[{"id":"a3"}],"total_count":3,"page":2,"page_size":2})"));
    Pager<Agent> pager = m_platform->agents(2);
    const auto first = await(pager.fetchNext());
    QVERIFY(first.has_value() && first->ok());
    QCOMPARE(first->value().items.size(), 2);
    QCOMPARE(pager.cursor(), QStringLiteral("2"));
    const auto second = await(pager.fetchNext());
    QVERIFY(second.has_value() && second->ok());
    QCOMPARE(second->value().items.first().id, QStringLiteral("a3"));
    QVERIFY(pager.isDone());
    QCOMPARE(queryOf(m_server->received().at(1)).queryItemValue(QStringLiteral("page")),
             QStringLiteral("2"));
    QCOMPARE(queryOf(m_server->received().at(1)).queryItemValue(QStringLiteral("page_size")),
             QStringLiteral("2"));

    m_server->enqueue(FakeHttpServer::json(200, R"([{"id":"a1"},{"id":"a2"}])"));
    Pager<Agent> bare = m_platform->agents(500); // clamped to 100
    const auto all = await(bare.fetchNext());
    QVERIFY(all.has_value() && all->ok());
    QCOMPARE(all->value().items.size(), 2);
    QVERIFY(bare.isDone());
    QCOMPARE(queryOf(m_server->received().at(2)).queryItemValue(QStringLiteral("page_size")),
             QStringLiteral("100"));

    m_server->enqueue(FakeHttpServer::json(200, R"({"items":[{"title":"no id"}]})"));
    Pager<Agent> broken = m_platform->agents();
    const auto bad = await(broken.fetchNext());
    QVERIFY(bad.has_value());
    QCOMPARE(bad->error().kind, ApiError::Kind::Protocol);
    QVERIFY(broken.hasMore()); // a failed page can be fetched again
}

void TestSpeakNodePlatform::callsPagingFiltersAndDirection()
{
    const QString own = QStringLiteral("+18005550100");
    m_server->setHandler([own](const Received &r) {
        const QString path = pathOf(r);
        if (path == QLatin1String("/v1/phone-numbers"))
            return FakeHttpServer::json(200, numbers({own}));
        if (path == QLatin1String("/v1/conversations")) {
            const QString page = queryOf(r).queryItemValue(QStringLiteral("page"));
            QJsonArray items;
            if (page == QLatin1String("1")) {
                items.append(QJsonDocument::fromJson(session(QStringLiteral("in1"), own,
                                                             QStringLiteral("+14155550001")))
                                 .object());
                items.append(QJsonDocument::fromJson(session(QStringLiteral("out1"),
                                                             QStringLiteral("+14155550002"), own))
                                 .object());
            } else {
                items.append(QJsonDocument::fromJson(session(QStringLiteral("out2"),
                                                             QStringLiteral("+14155550003"), own))
                                 .object());
            }
            QJsonObject body{{QStringLiteral("items"), items},
                             {QStringLiteral("total_count"), 3},
                             {QStringLiteral("page"), page.toInt()},
                             {QStringLiteral("page_size"), 2}};
            return FakeHttpServer::json(200, QJsonDocument(body).toJson());
        }
        return FakeHttpServer::json(404, "{}");
    });
    CallFilter all;
    Pager<Call> pager = m_platform->calls(all, 2);
    const auto p1 = await(pager.fetchNext());
    QVERIFY(p1.has_value());
    QVERIFY2(p1->ok(), qPrintable(p1->error().details()));
    QCOMPARE(p1->value().items.size(), 2);
    QCOMPARE(p1->value().items.at(0).direction, CallDirection::Inbound);
    QCOMPARE(p1->value().items.at(1).direction, CallDirection::Outbound);
    QCOMPARE(pager.cursor(), QStringLiteral("2"));
    const auto p2 = await(pager.fetchNext());
    QVERIFY(p2.has_value() && p2->ok());
    QCOMPARE(p2->value().items.size(), 1);
    QVERIFY(pager.isDone());
    QCOMPARE(requestsTo(QStringLiteral("/v1/phone-numbers")).size(), 1); // fetched once, cached

    // Filters: server-side where SpeakNode has them, the rest on the page.
    CallFilter f;
    f.agentId = QStringLiteral("a1");
    f.status = CallStatus::Completed;
    f.direction = CallDirection::Outbound;
    f.updatedSince = QDateTime(QDate(2026, 5, 4), QTime(18, 0), Qt::UTC);
    f.createdBefore = QDateTime(QDate(2026, 5, 5), QTime(0, 0), Qt::UTC);
    Pager<Call> filtered = m_platform->calls(f, 2);
    const auto fp = await(filtered.fetchNext());
    QVERIFY(fp.has_value() && fp->ok());
    QCOMPARE(fp->value().items.size(), 1); // the inbound row is dropped on the client
    QCOMPARE(fp->value().items.first().id, QStringLiteral("out1"));
    QCOMPARE(filtered.cursor(), QStringLiteral("2")); // the raw page decides about more
    const QUrlQuery q = queryOf(requestsTo(QStringLiteral("/v1/conversations")).last());
    QCOMPARE(q.queryItemValue(QStringLiteral("agent_id")), QStringLiteral("a1"));
    QCOMPARE(q.queryItemValue(QStringLiteral("status")), QStringLiteral("Completed"));
    QCOMPARE(q.queryItemValue(QStringLiteral("from"), QUrl::FullyDecoded),
             QStringLiteral("2026-05-04T16:00:00.000Z"));
    QCOMPARE(q.queryItemValue(QStringLiteral("to"), QUrl::FullyDecoded),
             QStringLiteral("2026-05-05T00:00:00.000Z"));
    QVERIFY(!q.hasQueryItem(QStringLiteral("direction")));

    // A cursor that is not a page number is refused without a request.
    const int before = m_server->requestCount();
    Pager<Call> resumed = m_platform->calls(all, 2);
    resumed.setCursor(QStringLiteral("abc"));
    const auto bad = await(resumed.fetchNext());
    QVERIFY(bad.has_value());
    QCOMPARE(bad->error().kind, ApiError::Kind::InvalidRequest);
    QCOMPARE(m_server->requestCount(), before);
}

void TestSpeakNodePlatform::unknownNumberRefreshesNumbers()
{
    int numberFetches = 0;
    m_server->setHandler([&numberFetches](const Received &r) {
        const QString path = pathOf(r);
        if (path == QLatin1String("/v1/phone-numbers")) {
            ++numberFetches;
            // The account imported +18005550199 after the first listing.
            return FakeHttpServer::json(200, numberFetches == 1
                                                 ? numbers({QStringLiteral("+18005550100")})
                                                 : numbers({QStringLiteral("+18005550100"),
                                                            QStringLiteral("+1 800 555 0199")}));
        }
        return FakeHttpServer::json(200, "[" +
                                             session(QStringLiteral("c1"),
                                                     QStringLiteral("+18005550199"),
                                                     QStringLiteral("+14155550001")) +
                                             "]");
    });
    // The first page fetches the numbers; c1's are not among them, but they were fetched a
    // moment ago: no second fetch (at most one per refresh interval).
    const auto r = await(m_platform->calls({}).fetchNext());
    QVERIFY(r.has_value() && r->ok());
    QCOMPARE(numberFetches, 1);
    QCOMPARE(r->value().items.first().direction, CallDirection::Outbound);

    // Once the interval has passed, the unknown number refreshes the list: now it is ours.
    static_cast<SpeakNodePlatform *>(m_platform)->setNumbersRefreshIntervalMs(0);
    const auto again = await(m_platform->calls({}).fetchNext());
    QVERIFY(again.has_value() && again->ok());
    QCOMPARE(numberFetches, 2);
    QCOMPARE(again->value().items.first().direction, CallDirection::Inbound);
    // Known numbers need no refresh, even with no interval at all.
    const auto known = await(m_platform->calls({}).fetchNext());
    QVERIFY(known.has_value() && known->ok());
    QCOMPARE(numberFetches, 2);
}

void TestSpeakNodePlatform::unreadableNumbersLeaveDirectionUnknown()
{
    m_server->setHandler([](const Received &r) {
        if (pathOf(r) == QLatin1String("/v1/phone-numbers"))
            return FakeHttpServer::json(403, R"({"title":"Forbidden","status":403})");
        return FakeHttpServer::json(200, "[" +
                                             session(QStringLiteral("c1"),
                                                     QStringLiteral("+18005550100"),
                                                     QStringLiteral("+14155550001")) +
                                             "]");
    });
    // The calls still show, without a direction rather than with a guessed one.
    const auto r = await(m_platform->calls({}).fetchNext());
    QVERIFY(r.has_value());
    QVERIFY2(r->ok(), qPrintable(r->error().details()));
    QCOMPARE(r->value().items.size(), 1);
    QCOMPARE(r->value().items.first().direction, CallDirection::Unknown);
    // A direction filter cannot be met without the numbers: nothing passes it.
    CallFilter inbound;
    inbound.direction = CallDirection::Inbound;
    const auto filtered = await(m_platform->calls(inbound).fetchNext());
    QVERIFY(filtered.has_value() && filtered->ok());
    QVERIFY(filtered->value().items.isEmpty());
}

void TestSpeakNodePlatform::callDetailsEstimatesSentiment()
{
    m_server->enqueue(FakeHttpServer::json(200, numbers({QStringLiteral("+18005550100")})));
    m_server->enqueue(FakeHttpServer::json(
        200, session(QStringLiteral("c1"), QStringLiteral("+18005550100"),
                     QStringLiteral("+14155550001"), mediaUrl(QStringLiteral("c1.wav")),
                     QDateTime::currentDateTimeUtc().addSecs(600))));
    const auto r = await(m_platform->callDetails(QStringLiteral("c1")));
    QVERIFY(r.has_value());
    QVERIFY2(r->ok(), qPrintable(r->error().details()));
    const CallDetails &d = r->value();
    QCOMPARE(d.call.direction, CallDirection::Inbound);
    QCOMPARE(d.transcript.size(), 1);
    QCOMPARE(d.transcript.first().startMs, 3000);
    QCOMPARE(d.transcript.first().sentiment, Sentiment::Negative);
    QCOMPARE(d.call.sentiment, Sentiment::Negative);
    QCOMPARE(d.sentimentTimeline.size(), 1);
    QVERIFY(!d.call.recordingUrl.isEmpty());
    QVERIFY(!d.call.recordingUrl.contains(QStringLiteral("sig=")));
}

void TestSpeakNodePlatform::dispatch422MapsFieldsAndIsNotRetried()
{
    m_server->enqueue(Response{
        422,
        {{"Content-Type", "application/problem+json"}},
        R"({"type":"https://tools.ietf.org/html/rfc4918#section-11.2","title":"One or more validation errors occurred.",
           "status":422,"traceId":"00-1","errors":{"ToNumber":["The ToNumber field is required."],
           "AgentId":["Unknown agent."]}})"});
    PlaceCallRequest call;
    call.agentId = QStringLiteral("a1");
    call.from = QStringLiteral("+18005550100");
    const auto r = await(m_platform->placeCall(call));
    QVERIFY(r.has_value());
    QCOMPARE(r->error().kind, ApiError::Kind::Validation);
    QCOMPARE(r->error().field, QStringLiteral("agentId")); // AgentId sorts first
    QCOMPARE(r->error().message, QStringLiteral("Unknown agent."));
    QCOMPARE(r->error().fieldErrors.value(QStringLiteral("to")),
             QStringList{QStringLiteral("The ToNumber field is required.")});
    QCOMPARE(r->error().requestId, QStringLiteral("00-1"));
    const Received &sent = m_server->received().first();
    QCOMPARE(sent.method, QByteArray("POST"));
    QCOMPARE(pathOf(sent), QStringLiteral("/v1/conversations/dispatch"));
    QVERIFY(sent.header("idempotency-key").isEmpty());
    const QJsonObject body = QJsonDocument::fromJson(sent.body).object();
    QCOMPARE(body.value(QLatin1String("agent_id")).toString(), QStringLiteral("a1"));
    QCOMPARE(body.value(QLatin1String("from_number")).toString(), QStringLiteral("+18005550100"));

    // A 500 on a dispatch is not retried: SpeakNode has no idempotency keys.
    m_server->enqueue(FakeHttpServer::json(500, R"({"title":"Boom","status":500})"));
    const auto failed = await(m_platform->placeCall(call));
    QVERIFY(failed.has_value());
    QCOMPARE(failed->error().kind, ApiError::Kind::Server);
    QCOMPARE(m_server->requestCount(), 2);

    m_server->enqueue(
        FakeHttpServer::json(201, session(QStringLiteral("new"), QStringLiteral("+14155550001"),
                                          QStringLiteral("+18005550100"), {}, {}, "Pending")));
    const auto ok = await(m_platform->placeCall(call));
    QVERIFY(ok.has_value());
    QVERIFY2(ok->ok(), qPrintable(ok->error().details()));
    QCOMPARE(ok->value().status, CallStatus::Initiated);
    QCOMPARE(ok->value().direction, CallDirection::Outbound);
}

void TestSpeakNodePlatform::rateLimitedProblemWaitsRetryAfter()
{
    m_server->enqueue(Response{429,
                               {{"Content-Type", "application/problem+json"}, {"Retry-After", "1"}},
                               R"({"title":"Too Many Requests","status":429})"});
    m_server->enqueue(FakeHttpServer::json(200, R"([{"id":"a1"}])"));
    QElapsedTimer timer;
    timer.start();
    const auto r = await(m_platform->agents().fetchNext());
    QVERIFY(r.has_value());
    QVERIFY2(r->ok(), qPrintable(r->error().details()));
    QVERIFY2(timer.elapsed() >= 900, "Retry-After was not honoured");
    QCOMPARE(m_server->requestCount(), 2);
}

void TestSpeakNodePlatform::recordingWithoutBearerToken()
{
    const QString url = mediaUrl(QStringLiteral("c1.wav"));
    m_server->setHandler([url](const Received &r) {
        if (pathOf(r).startsWith(QLatin1String("/media/")))
            return Response{200, {{"Content-Type", "audio/wav"}}, kAudio};
        return FakeHttpServer::json(200, session(QStringLiteral("c1"), {}, {}, url,
                                                 QDateTime::currentDateTimeUtc().addSecs(900)));
    });
    const QString path = m_dir.filePath(QStringLiteral("c1.wav"));
    const auto reply = m_platform->downloadRecording(QStringLiteral("c1"), path);
    qint64 lastProgress = 0;
    QObject ctx;
    reply.onProgress(&ctx, [&lastProgress](qint64 done, qint64) { lastProgress = done; });
    const auto r = await(reply);
    QVERIFY(r.has_value());
    QVERIFY2(r->ok(), qPrintable(r->error().details()));
    QCOMPARE(r->value(), path);
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), kAudio);
    QVERIFY(!QFile::exists(path + QStringLiteral(".part")));
    QCOMPARE(lastProgress, kAudio.size());
    const auto media = requestsTo(QStringLiteral("/media/"));
    QCOMPARE(media.size(), 1);
    QVERIFY2(media.first().header("authorization").isEmpty(), "bearer token sent to media host");
    // The signature is sent exactly as given (a re-encoded one would not match).
    QVERIFY(media.first().target.endsWith("?sig=abc%2Bdef"));
    QCOMPARE(requestsTo(QStringLiteral("/v1/conversations/c1")).first().header("authorization"),
             "Bearer " + kToken.toUtf8());
}

void TestSpeakNodePlatform::expiringUrlFetchedAgain()
{
    int gets = 0;
    m_server->setHandler([this, &gets](const Received &r) {
        if (pathOf(r).startsWith(QLatin1String("/media/")))
            return Response{200, {}, kAudio};
        ++gets;
        // The first link expires in 10 s (within the 30 s margin), the second in 15 minutes.
        const QDateTime expires = QDateTime::currentDateTimeUtc().addSecs(gets == 1 ? 10 : 900);
        return FakeHttpServer::json(200, session(QStringLiteral("c1"), {}, {},
                                                 mediaUrl(QStringLiteral("v%1.wav").arg(gets)),
                                                 expires));
    });
    const auto r = await(
        m_platform->downloadRecording(QStringLiteral("c1"), m_dir.filePath(QStringLiteral("e"))));
    QVERIFY(r.has_value());
    QVERIFY2(r->ok(), qPrintable(r->error().details()));
    QCOMPARE(gets, 2);
    const auto media = requestsTo(QStringLiteral("/media/"));
    QCOMPARE(media.size(), 1);
    QCOMPARE(pathOf(media.first()), QStringLiteral("/media/v2.wav"));
}

void TestSpeakNodePlatform::refusedUrlRefreshedOnce()
{
    int gets = 0;
    int mediaHits = 0;
    bool alwaysRefuse = false;
    m_server->setHandler([&](const Received &r) {
        if (pathOf(r).startsWith(QLatin1String("/media/"))) {
            ++mediaHits;
            if (alwaysRefuse || pathOf(r) == QLatin1String("/media/v1.wav"))
                return Response{403,
                                {{"Content-Type", "application/xml"}},
                                "<Error><Code>AccessDenied</Code></Error>"};
            return Response{200, {}, kAudio};
        }
        ++gets;
        return FakeHttpServer::json(200, session(QStringLiteral("c1"), {}, {},
                                                 mediaUrl(QStringLiteral("v%1.wav").arg(gets)),
                                                 QDateTime::currentDateTimeUtc().addSecs(900)));
    });
    const QString path = m_dir.filePath(QStringLiteral("r.wav"));
    const auto r = await(m_platform->downloadRecording(QStringLiteral("c1"), path));
    QVERIFY(r.has_value());
    QVERIFY2(r->ok(), qPrintable(r->error().details()));
    QCOMPARE(gets, 2);
    QCOMPARE(mediaHits, 2);
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), kAudio);

    // Refused again after the refresh: the 403 stands, nothing is left behind.
    alwaysRefuse = true;
    gets = mediaHits = 0;
    const QString other = m_dir.filePath(QStringLiteral("never.wav"));
    const auto refused = await(m_platform->downloadRecording(QStringLiteral("c1"), other));
    QVERIFY(refused.has_value());
    QCOMPARE(refused->error().kind, ApiError::Kind::Forbidden);
    QCOMPARE(gets, 2);
    QCOMPARE(mediaHits, 2);
    QVERIFY(!QFile::exists(other));
    QVERIFY(!QFile::exists(other + QStringLiteral(".part")));
}

void TestSpeakNodePlatform::noRecordingIsNotFound()
{
    m_server->enqueue(FakeHttpServer::json(200, session(QStringLiteral("c1"), {}, {})));
    const auto r = await(
        m_platform->downloadRecording(QStringLiteral("c1"), m_dir.filePath(QStringLiteral("n"))));
    QVERIFY(r.has_value());
    QCOMPARE(r->error().kind, ApiError::Kind::NotFound);
    QCOMPARE(m_server->requestCount(), 1);

    // A non-https link on a remote host is refused before any byte goes out.
    m_server->enqueue(FakeHttpServer::json(
        200, session(QStringLiteral("c1"), {}, {}, QStringLiteral("http://media.example/a.wav"),
                     QDateTime::currentDateTimeUtc().addSecs(900))));
    const auto insecure = await(
        m_platform->downloadRecording(QStringLiteral("c1"), m_dir.filePath(QStringLiteral("i"))));
    QVERIFY(insecure.has_value());
    QCOMPARE(insecure->error().kind, ApiError::Kind::InvalidRequest);
}

void TestSpeakNodePlatform::cancelDownloadStopsTheChain()
{
    m_server->enqueue(Response{200, {}, {}, Response::Mode::NoAnswer});
    const auto reply =
        m_platform->downloadRecording(QStringLiteral("c1"), m_dir.filePath(QStringLiteral("x")));
    QTRY_COMPARE(m_server->requestCount(), 1);
    reply.cancel();
    const auto r = await(reply);
    QVERIFY(r.has_value());
    QCOMPARE(r->error().kind, ApiError::Kind::Canceled);
    QTest::qWait(100);
    QCOMPARE(m_server->requestCount(), 1); // the chain did not go on to the media host
}

QTEST_GUILESS_MAIN(TestSpeakNodePlatform)
#include "tst_speaknodeplatform.moc"
