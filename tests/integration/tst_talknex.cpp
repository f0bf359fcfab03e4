// The client library against the real simulator over loopback sockets. Built twice: direct,
// and (SB_VIA_PROXY) through the Prism proxy that validates every request and response against
// docs/api/talknex.openapi.yaml, so whichever side strays from the contract fails here.
#include "clientfixture.h"
#include "testsupport.h"

#ifdef SB_VIA_PROXY
#include "prismproxy.h"
#endif

#include <QFile>
#include <QJsonArray>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace sb::api;
using sb::test::await;
using sb::test::collectAll;

class TestTalknexClient : public QObject
{
    Q_OBJECT
private:
    sb::app::SimulatorProcess m_sim;
#ifdef SB_VIA_PROXY
    sb::test::PrismProxy m_proxy;
    int m_proxyOutputSeen = 0;
#endif
    QUrl m_apiUrl;
    std::unique_ptr<Session> m_session;
    Platform *m_platform = nullptr;
    QString m_otherOrg;

    void makeClient(const QString &key)
    {
        m_session = std::make_unique<Session>();
        QVERIFY(!m_session->setBaseUrl(m_apiUrl).isError());
        m_session->setApiKey(key);
        RetryPolicy fast;
        fast.baseDelayMs = 20;
        fast.maxDelayMs = 200;
        m_session->setRetryPolicy(fast);
        m_platform = createPlatform(PlatformKind::Talknex, m_session.get(), m_session.get());
        QVERIFY(m_platform);
    }

    int simCalls()
    {
        return sb::test::getAdmin(m_sim.adminUrl(), QStringLiteral("/stats"))
            .value(QLatin1String("calls"))
            .toInt(-1);
    }

    void setFaults(const QJsonObject &faults)
    {
        QCOMPARE(sb::test::postAdmin(m_sim.adminUrl(), QStringLiteral("/faults"), faults), 204);
    }

    QString ownNumber()
    {
        const auto numbers = collectAll(m_platform->phoneNumbers());
        if (!numbers.ok())
            return {};
        for (const PhoneNumber &n : numbers.value()) {
            if (n.status == PhoneNumberStatus::Active)
                return n.number;
        }
        return {};
    }

    QString firstAgentId()
    {
        const auto page = await(m_platform->agents(5).fetchNext());
        return page.ok() && !page->items.isEmpty() ? page->items.first().id : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_sim.start({QStringLiteral("--history-calls"), QStringLiteral("250")}),
                 qPrintable(m_sim.errorString()));
        // The suite sends a few hundred requests: lift the per-minute limit (one test lowers it).
        QCOMPARE(sb::test::postAdmin(m_sim.adminUrl(), QStringLiteral("/rate-limit"),
                                     {{QStringLiteral("limit"), 100000}}),
                 204);
        m_apiUrl = m_sim.baseUrl();
#ifdef SB_VIA_PROXY
        QVERIFY2(m_proxy.available(), qPrintable(m_proxy.unavailableReason()));
        QVERIFY2(m_proxy.start(m_sim.baseUrl()), qPrintable(m_proxy.errorString()));
        m_apiUrl = m_proxy.baseUrl();
#endif
        for (const QString &org : m_sim.orgIds()) {
            if (org != m_sim.orgIds().first())
                m_otherOrg = org;
        }
        QVERIFY(!m_otherOrg.isEmpty());
    }

    void init()
    {
        setFaults({});
        makeClient(m_sim.key());
    }

    void cleanup()
    {
#ifdef SB_VIA_PROXY
        // Prism logs every violation it finds at warn level; any new line fails the test.
        const QByteArray out = m_proxy.output();
        const QByteArray fresh = out.mid(m_proxyOutputSeen);
        m_proxyOutputSeen = int(out.size());
        QVERIFY2(!fresh.contains("iolation"), fresh.constData());
#endif
        m_platform = nullptr;
        m_session.reset();
    }

    void agentsListPagesToTheEnd()
    {
        int pages = 0;
        const auto all = collectAll(m_platform->agents(5), &pages);
        QVERIFY2(all.ok(), qPrintable(all.error().details()));
        QVERIFY2(all->size() >= 12, "the demo organization has a dozen agents");
        QVERIFY(pages >= 3);
        QSet<QString> ids;
        for (const Agent &a : all.value()) {
            QVERIFY(a.id.startsWith(QLatin1String("agent_")));
            QVERIFY(!a.name.isEmpty());
            QVERIFY(!a.systemPrompt.isEmpty());
            ids.insert(a.id);
        }
        QCOMPARE(ids.size(), all->size());
    }

    void agentCrudWithEtags()
    {
        AgentChanges create;
        create.name = QStringLiteral("Integration agent");
        create.language = QStringLiteral("en-US");
        create.systemPrompt = QStringLiteral("You test things.");
        create.firstMessage = QStringLiteral("Hello from the test.");
        create.voiceProvider = QStringLiteral("openai");
        create.voiceId = QStringLiteral("alloy");
        create.llmModel = QStringLiteral("gpt-4o-mini");
        create.llmTemperature = 0.4;
        AgentTool tool;
        tool.name = QStringLiteral("lookup_order");
        tool.description = QStringLiteral("Looks up an order");
        tool.parameters = QJsonObject{{QStringLiteral("type"), QStringLiteral("object")}};
        tool.webhookUrl = QStringLiteral("https://hooks.example.com/order");
        create.tools = QList<AgentTool>{tool};
        const auto created = await(m_platform->createAgent(create));
        QVERIFY2(created.ok(), qPrintable(created.error().details()));
        QCOMPARE(created->name, QStringLiteral("Integration agent"));
        QCOMPARE(created->tools.size(), 1);

        const auto fetched = await(m_platform->agent(created->id));
        QVERIFY2(fetched.ok(), qPrintable(fetched.error().details()));
        QVERIFY2(!fetched->etag.isEmpty(), "single GET carries an ETag");
        QCOMPARE(fetched->llmTemperature.value_or(-1), 0.4);

        AgentChanges rename;
        rename.name = QStringLiteral("Renamed agent");
        const auto patched = await(m_platform->patchAgent(created->id, rename, fetched->etag));
        QVERIFY2(patched.ok(), qPrintable(patched.error().details()));
        QCOMPARE(patched->name, QStringLiteral("Renamed agent"));
        QCOMPARE(patched->systemPrompt, QStringLiteral("You test things.")); // partial update

        // The first ETag is stale now: 412 with the server's current object for a merge.
        AgentChanges again;
        again.voiceSpeed = 1.5;
        const auto stale = await(m_platform->patchAgent(created->id, again, fetched->etag));
        QVERIFY(!stale.ok());
        QCOMPARE(stale.error().kind, ApiError::Kind::PreconditionFailed);
        QCOMPARE(stale.error().httpStatus, 412);
        const auto current = stale.error().currentAs<Agent>();
        QVERIFY2(current.has_value(), "412 carries the current agent");
        QCOMPARE(current->name, QStringLiteral("Renamed agent"));

        const auto removed = await(m_platform->deleteAgent(created->id));
        QVERIFY2(removed.ok(), qPrintable(removed.error().details()));
        const auto gone = await(m_platform->agent(created->id));
        QCOMPARE(gone.error().kind, ApiError::Kind::NotFound);
    }

    void agentValidationNamesTheField()
    {
        AgentChanges bad;
        bad.name = QStringLiteral("Too fast");
        bad.voiceSpeed = 7.0; // contract range 0.5–2.0
        const auto result = await(m_platform->createAgent(bad));
        QVERIFY(!result.ok());
#ifdef SB_VIA_PROXY
        // The proxy itself rejects a request the document forbids (422 problem+json).
        QVERIFY(result.error().httpStatus == 422 || result.error().httpStatus == 400);
        m_proxyOutputSeen = int(m_proxy.output().size()); // expected violation, not a failure
#else
        QCOMPARE(result.error().kind, ApiError::Kind::Validation);
        QCOMPARE(result.error().field, QStringLiteral("voiceSpeed"));
        QVERIFY(!result.error().caption().isEmpty());
#endif
    }

    void callHistoryPagesToTheEndNewestFirst()
    {
        // The history spans both organizations; ours is most of it. Two page sizes must walk
        // exactly the same calls: nothing lost or doubled at page boundaries.
        const int total = simCalls();
        int pages = 0;
        const auto all = collectAll(m_platform->calls({}, 100), &pages);
        QVERIFY2(all.ok(), qPrintable(all.error().details()));
        QVERIFY(all->size() > total / 2);
        QVERIFY(all->size() <= total);
        QCOMPARE(pages, int((all->size() + 99) / 100));
        QSet<QString> ids;
        for (int i = 0; i < all->size(); ++i) {
            ids.insert(all->at(i).id);
            if (i > 0)
                QVERIFY2(all->at(i - 1).createdAt >= all->at(i).createdAt, "newest first");
        }
        QCOMPARE(int(ids.size()), int(all->size()));

        const auto small = collectAll(m_platform->calls({}, 7), &pages);
        QVERIFY2(small.ok(), qPrintable(small.error().details()));
        QCOMPARE(pages, int((small->size() + 6) / 7));
        QSet<QString> smallIds;
        for (const Call &c : small.value())
            smallIds.insert(c.id);
        QCOMPARE(smallIds, ids);
    }

    void callFilters()
    {
        const auto all = collectAll(m_platform->calls({}, 100));
        QVERIFY(all.ok());
        const Call sample = all->at(all->size() / 2);

        CallFilter byStatus;
        byStatus.status = CallStatus::Completed;
        const auto completed = collectAll(m_platform->calls(byStatus, 100));
        QVERIFY(completed.ok());
        QVERIFY(!completed->isEmpty());
        for (const Call &c : completed.value())
            QCOMPARE(c.status, CallStatus::Completed);

        CallFilter byAgent;
        byAgent.agentId = sample.agentId;
        byAgent.direction = sample.direction;
        const auto agentCalls = collectAll(m_platform->calls(byAgent, 100));
        QVERIFY(agentCalls.ok());
        int expected = 0;
        for (const Call &c : all.value())
            expected += (c.agentId == sample.agentId && c.direction == sample.direction) ? 1 : 0;
        QCOMPARE(int(agentCalls->size()), expected);

        CallFilter bySentiment;
        bySentiment.sentiment = Sentiment::Negative;
        const auto negative = collectAll(m_platform->calls(bySentiment, 100));
        QVERIFY(negative.ok());
        for (const Call &c : negative.value())
            QCOMPARE(c.sentiment, Sentiment::Negative);

        CallFilter window;
        window.createdAfter = sample.createdAt.addDays(-3);
        window.createdBefore = sample.createdAt.addDays(3);
        const auto windowed = collectAll(m_platform->calls(window, 100));
        QVERIFY(windowed.ok());
        QVERIFY(!windowed->isEmpty());
        for (const Call &c : windowed.value()) {
            QVERIFY(c.createdAt >= window.createdAfter);
            QVERIFY(c.createdAt <= window.createdBefore);
        }

        CallFilter byNumber;
        byNumber.query = sample.to.right(6);
        const auto matching = collectAll(m_platform->calls(byNumber, 100));
        QVERIFY(matching.ok());
        bool found = false;
        for (const Call &c : matching.value())
            found = found || c.id == sample.id;
        QVERIFY2(found, "q matches a substring of the number");

        CallFilter future;
        future.updatedSince = QDateTime::currentDateTimeUtc().addDays(1);
        const auto none = collectAll(m_platform->calls(future, 100));
        QVERIFY(none.ok());
        QCOMPARE(none->size(), 0);
    }

    void callDetailsAndRecordingDownload()
    {
        CallFilter completed;
        completed.status = CallStatus::Completed;
        const auto page = await(m_platform->calls(completed, 20).fetchNext());
        QVERIFY(page.ok());
        QVERIFY(!page->items.isEmpty());
        const Call call = page->items.first();
        QVERIFY(!call.recordingUrl.isEmpty());

        const auto details = await(m_platform->callDetails(call.id));
        QVERIFY2(details.ok(), qPrintable(details.error().details()));
        QVERIFY(!details->transcript.isEmpty());
        QVERIFY(!details->sentimentTimeline.isEmpty());
        for (int i = 1; i < details->transcript.size(); ++i)
            QVERIFY(details->transcript.at(i - 1).startMs <= details->transcript.at(i).startMs);
        // Generated from the call's seed: the same every time.
        const auto again = await(m_platform->callDetails(call.id));
        QVERIFY(again.ok());
        QCOMPARE(again->transcript.size(), details->transcript.size());
        QCOMPARE(again->transcript.last().text, details->transcript.last().text);

        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("call.wav"));
        const auto reply = m_platform->downloadRecording(call.id, path);
        qint64 lastDone = 0;
        int progressEvents = 0;
        QObject ctx;
        reply.onProgress(&ctx, [&](qint64 done, qint64) {
            lastDone = done;
            ++progressEvents;
        });
        const auto downloaded = await(reply, 120000);
        QVERIFY2(downloaded.ok(), qPrintable(downloaded.error().details()));
        QCOMPARE(downloaded.value(), path);
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray header = file.read(44);
        QVERIFY(header.startsWith("RIFF"));
        QCOMPARE(header.mid(8, 4), QByteArray("WAVE"));
        QCOMPARE(int(quint8(header.at(22))), 2); // stereo: agent left, caller right
        QVERIFY(progressEvents > 0);
        QCOMPARE(lastDone, file.size());
        QVERIFY(!QFile::exists(path + QStringLiteral(".part")));
    }

    void placeCallAndDeleteIt()
    {
        const QString from = ownNumber();
        QVERIFY(!from.isEmpty());
        PlaceCallRequest request;
        request.agentId = firstAgentId();
        request.from = from;
        request.to = QStringLiteral("+14155550192");
        request.metadata = {{QStringLiteral("leadId"), QStringLiteral("lead_4421")}};
        const auto placed = await(m_platform->placeCall(request));
        QVERIFY2(placed.ok(), qPrintable(placed.error().details()));
        QCOMPARE(placed->status, CallStatus::Initiated);
        QCOMPARE(placed->to, request.to);
        QVERIFY(placed->id.startsWith(QLatin1String("call_")));

        const auto removed = await(m_platform->deleteCall(placed->id));
        QVERIFY2(removed.ok(), qPrintable(removed.error().details()));
        QCOMPARE(await(m_platform->callDetails(placed->id)).error().kind, ApiError::Kind::NotFound);
    }

    void placeCallValidation()
    {
        PlaceCallRequest request;
        request.agentId = firstAgentId();
        request.from = ownNumber();
        request.to = QStringLiteral("not-a-number");
        const auto result = await(m_platform->placeCall(request));
        QVERIFY(!result.ok());
#ifdef SB_VIA_PROXY
        QVERIFY(result.error().httpStatus == 422 || result.error().httpStatus == 400);
        m_proxyOutputSeen = int(m_proxy.output().size());
#else
        QCOMPARE(result.error().kind, ApiError::Kind::Validation);
        QCOMPARE(result.error().field, QStringLiteral("to"));
#endif
    }

    void retriedPostDoesNotDialTwice()
    {
        // The server creates the call, then the answer is lost (503): the client must retry
        // with the same Idempotency-Key and get the first call back, not a second one.
        const int before = simCalls();
        setFaults({{QStringLiteral("failNext"),
                    QJsonArray{QJsonObject{{QStringLiteral("status"), 503},
                                           {QStringLiteral("count"), 1},
                                           {QStringLiteral("method"), QStringLiteral("POST")},
                                           {QStringLiteral("path"), QStringLiteral("/v1/calls")},
                                           {QStringLiteral("when"), QStringLiteral("after")}}}}});
        PlaceCallRequest request;
        request.agentId = firstAgentId();
        request.from = ownNumber();
        request.to = QStringLiteral("+14155550100");
        const auto placed = await(m_platform->placeCall(request));
        QVERIFY2(placed.ok(), qPrintable(placed.error().details()));
        QCOMPARE(simCalls(), before + 1);

        // A dropped connection after processing: the same guarantee.
        setFaults({{QStringLiteral("failNext"),
                    QJsonArray{QJsonObject{{QStringLiteral("status"), 0},
                                           {QStringLiteral("count"), 1},
                                           {QStringLiteral("method"), QStringLiteral("POST")},
                                           {QStringLiteral("path"), QStringLiteral("/v1/calls")},
                                           {QStringLiteral("when"), QStringLiteral("after")}}}}});
        const auto again = await(m_platform->placeCall(request));
        QVERIFY2(again.ok(), qPrintable(again.error().details()));
        QCOMPARE(simCalls(), before + 2);
        QVERIFY(again->id != placed->id);
    }

    void serverErrorsAreRetriedThenReported()
    {
        setFaults({{QStringLiteral("failNext"),
                    QJsonArray{QJsonObject{{QStringLiteral("status"), 500},
                                           {QStringLiteral("count"), 2},
                                           {QStringLiteral("method"), QStringLiteral("GET")},
                                           {QStringLiteral("path"), QStringLiteral("/v1/agents")},
                                           {QStringLiteral("when"), QStringLiteral("before")}}}}});
        const auto recovered = await(m_platform->agents(10).fetchNext());
        QVERIFY2(recovered.ok(), qPrintable(recovered.error().details()));

        setFaults({{QStringLiteral("failNext"),
                    QJsonArray{QJsonObject{{QStringLiteral("status"), 503},
                                           {QStringLiteral("count"), 50},
                                           {QStringLiteral("method"), QStringLiteral("GET")},
                                           {QStringLiteral("path"), QStringLiteral("/v1/agents")},
                                           {QStringLiteral("when"), QStringLiteral("before")}}}}});
        const auto failed = await(m_platform->agents(10).fetchNext());
        QVERIFY(!failed.ok());
        QCOMPARE(failed.error().kind, ApiError::Kind::Server);
        QCOMPARE(failed.error().httpStatus, 503);
        QVERIFY(!failed.error().caption().isEmpty());
    }

    void unauthorizedAndRevokedKeys()
    {
        makeClient(QStringLiteral("tnx_not_a_real_key"));
        QSignalSpy unauthorized(m_session.get(), &Session::unauthorized);
        const auto denied = await(m_platform->agents(5).fetchNext());
        QCOMPARE(denied.error().kind, ApiError::Kind::Unauthorized);
        QCOMPARE(denied.error().httpStatus, 401);
        QCOMPARE(unauthorized.count(), 1);

        // A key that worked stops working once revoked; the organization's other key goes on.
        const QStringList keys = m_sim.keysOf(m_sim.orgIds().first());
        QVERIFY(keys.size() >= 2);
        const QString doomed = keys.last();
        makeClient(doomed);
        QVERIFY(await(m_platform->agents(5).fetchNext()).ok());
        QCOMPARE(sb::test::postAdmin(m_sim.adminUrl(), QStringLiteral("/keys/revoke"),
                                     {{QStringLiteral("key"), doomed}}),
                 204);
        QCOMPARE(await(m_platform->agents(5).fetchNext()).error().kind,
                 ApiError::Kind::Unauthorized);
        makeClient(keys.first());
        QVERIFY(await(m_platform->agents(5).fetchNext()).ok());
    }

    void otherOrganizationIsForbidden()
    {
        const QString ownAgent = firstAgentId();
        QVERIFY(!ownAgent.isEmpty());
        makeClient(m_sim.key(m_otherOrg));
        const auto result = await(m_platform->agent(ownAgent));
        QCOMPARE(result.error().kind, ApiError::Kind::Forbidden);
        QCOMPARE(result.error().httpStatus, 403);
        QCOMPARE(await(m_platform->agent(QStringLiteral("agent_doesnotexist"))).error().kind,
                 ApiError::Kind::NotFound);
    }

    void rateLimitIsHonoured()
    {
        // Spend the key's budget from outside the client, then ask: the client must see the
        // 429, wait for Retry-After instead of failing or hammering, and say so in its budget.
        QCOMPARE(sb::test::postAdmin(m_sim.adminUrl(), QStringLiteral("/rate-limit"),
                                     {{QStringLiteral("limit"), 3}}),
                 204);
        RetryPolicy once;
        once.maxAttempts = 1;
        m_session->setRetryPolicy(once);
        QSignalSpy budget(m_session.get(), &Session::budgetChanged);
        const QUrl agentsUrl(m_sim.baseUrl().toString() + QStringLiteral("/agents?limit=1"));
        int status = 0;
        for (int i = 0; i < 10 && status != 429; ++i)
            status = sb::test::rawGet(agentsUrl, m_sim.key());
        QCOMPARE(status, 429);
        const auto limited = await(m_platform->agents(1).fetchNext());
        QCOMPARE(sb::test::postAdmin(m_sim.adminUrl(), QStringLiteral("/rate-limit"),
                                     {{QStringLiteral("limit"), 100000}}),
                 204);
        QVERIFY(!limited.ok());
        QCOMPARE(limited.error().kind, ApiError::Kind::RateLimited);
        QVERIFY(limited.error().retryAfterMs.has_value());
        QVERIFY(*limited.error().retryAfterMs > 0);
        QVERIFY(budget.count() > 0);
        const auto last = budget.last().first().value<RateBudget>();
        QVERIFY(last.limit > 0);
    }

    void timeoutsAndCancel()
    {
        setFaults({{QStringLiteral("latencyMs"), 3000}});
        m_session->setConnectTimeoutMs(400);
        RetryPolicy once;
        once.maxAttempts = 1;
        m_session->setRetryPolicy(once);
        const auto slow = await(m_platform->agents(5).fetchNext());
        QCOMPARE(slow.error().kind, ApiError::Kind::Timeout);

        m_session->setConnectTimeoutMs(15000);
        auto pending = m_platform->agents(5).fetchNext();
        QTimer::singleShot(100, [pending] { pending.cancel(); });
        const auto canceled = await(pending);
        QCOMPARE(canceled.error().kind, ApiError::Kind::Canceled);
    }

    void phoneNumbersLifecycle()
    {
        NumberPurchase purchase;
        purchase.country = QStringLiteral("US");
        purchase.areaCode = QStringLiteral("415");
        const auto bought = await(m_platform->purchaseNumber(purchase));
        QVERIFY2(bought.ok(), qPrintable(bought.error().details()));
        QVERIFY(bought->number.startsWith(QLatin1String("+1415")));

        PhoneNumberChanges changes;
        changes.agentId = firstAgentId();
        changes.friendlyName = QStringLiteral("Front desk");
        changes.routing = PhoneRouting{RoutingMode::Forward, QStringLiteral("+14155550123")};
        const auto patched = await(m_platform->patchPhoneNumber(bought->id, changes));
        QVERIFY2(patched.ok(), qPrintable(patched.error().details()));
        QCOMPARE(patched->friendlyName, QStringLiteral("Front desk"));
        QCOMPARE(patched->agentId, *changes.agentId);
        QCOMPARE(patched->routing.mode, RoutingMode::Forward);
        QCOMPARE(patched->routing.forwardTo, QStringLiteral("+14155550123"));

        const auto released = await(m_platform->releasePhoneNumber(bought->id));
        QVERIFY2(released.ok(), qPrintable(released.error().details()));
        const auto numbers = collectAll(m_platform->phoneNumbers(20));
        QVERIFY(numbers.ok());
        for (const PhoneNumber &n : numbers.value()) {
            if (n.id == bought->id)
                QCOMPARE(n.status, PhoneNumberStatus::Released);
        }
    }

    void knowledgeCollectionsAndDocuments()
    {
        const auto created = await(m_platform->createCollection(
            QStringLiteral("Return policy"), QStringLiteral("How returns work")));
        QVERIFY2(created.ok(), qPrintable(created.error().details()));
        const auto collections = collectAll(m_platform->collections(5));
        QVERIFY(collections.ok());
        bool listed = false;
        for (const KnowledgeCollection &c : collections.value())
            listed = listed || c.id == created->id;
        QVERIFY(listed);

        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("returns.md"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QByteArray body("# Returns\n\nItems can be returned within 30 days.\n");
        body += QByteArray(200 * 1024, 'x'); // big enough to report progress
        file.write(body);
        file.close();
        const auto upload = m_platform->uploadDocument(created->id, path);
        qint64 sent = 0;
        QObject ctx;
        upload.onProgress(&ctx, [&sent](qint64 done, qint64) { sent = qMax(sent, done); });
        const auto uploaded = await(upload);
        QVERIFY2(uploaded.ok(), qPrintable(uploaded.error().details()));
        QCOMPARE(uploaded->source, DocumentSource::File);
        QVERIFY(sent >= body.size());

        const auto text = await(m_platform->submitTextDocument(
            created->id, QStringLiteral("Opening hours"),
            {QStringLiteral("Mon–Fri 9–17"), QStringLiteral("Sat 10–14")}));
        QVERIFY2(text.ok(), qPrintable(text.error().details()));
        QCOMPARE(text->source, DocumentSource::Text);

        const auto docs = collectAll(m_platform->documents(created->id, 10));
        QVERIFY2(docs.ok(), qPrintable(docs.error().details()));
        QCOMPARE(docs->size(), 2);

        QVERIFY(await(m_platform->deleteDocument(created->id, text->id)).ok());
        const auto after = collectAll(m_platform->documents(created->id, 10));
        QVERIFY(after.ok());
        QCOMPARE(after->size(), 1);
    }

    void uploadRejectsWrongType()
    {
        const auto collections = await(m_platform->collections(1).fetchNext());
        QVERIFY(collections.ok() && !collections->items.isEmpty());
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("tool.exe"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("MZ not a document");
        file.close();
        const auto result = await(m_platform->uploadDocument(collections->items.first().id, path));
        QVERIFY(!result.ok());
        QVERIFY(result.error().kind == ApiError::Kind::Validation ||
                result.error().kind == ApiError::Kind::InvalidRequest);
#ifdef SB_VIA_PROXY
        m_proxyOutputSeen = int(m_proxy.output().size());
#endif
        const auto missing = await(m_platform->uploadDocument(
            collections->items.first().id, dir.filePath(QStringLiteral("nope.pdf"))));
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().kind, ApiError::Kind::Io);
    }

    void contactsSearchCreateAndEdit()
    {
        const auto all = collectAll(m_platform->contacts({}, {}, 100));
        QVERIFY(all.ok());
        QVERIFY2(all->size() >= 100, "hundreds of demo contacts");
        const Contact sample = all->at(7);

        const auto byName = collectAll(m_platform->contacts(sample.name.left(4), {}, 100));
        QVERIFY(byName.ok());
        bool found = false;
        for (const Contact &c : byName.value())
            found = found || c.id == sample.id;
        QVERIFY(found);
        if (!sample.tags.isEmpty()) {
            const auto tagged = collectAll(m_platform->contacts({}, sample.tags.first(), 100));
            QVERIFY(tagged.ok());
            for (const Contact &c : tagged.value())
                QVERIFY(c.tags.contains(sample.tags.first()));
        }

        ContactChanges fields;
        fields.name = QStringLiteral("Dana Test");
        fields.phone = QStringLiteral("+14155550177");
        fields.tags = QStringList{QStringLiteral("vip")};
        fields.customFields =
            QMap<QString, QString>{{QStringLiteral("crmId"), QStringLiteral("42")}};
        const auto created = await(m_platform->createContact(fields));
        QVERIFY2(created.ok(), qPrintable(created.error().details()));
        const auto fetched = await(m_platform->contact(created->id));
        QVERIFY(fetched.ok());
        ContactChanges edit;
        edit.customFields =
            QMap<QString, QString>{{QStringLiteral("crmId"), QStringLiteral("43")},
                                   {QStringLiteral("tier"), QStringLiteral("gold")}};
        const auto patched = await(m_platform->patchContact(created->id, edit, fetched->etag));
        QVERIFY2(patched.ok(), qPrintable(patched.error().details()));
        QCOMPARE(patched->customFields.value(QStringLiteral("tier")), QStringLiteral("gold"));
        QCOMPARE(patched->name, QStringLiteral("Dana Test"));
    }

    void cleanupTestCase()
    {
        m_sim.stop();
    }
};

QTEST_GUILESS_MAIN(TestTalknexClient)
#include "tst_talknex.moc"
