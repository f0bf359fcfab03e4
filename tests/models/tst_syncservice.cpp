// SyncService against the real simulator: a full pull that ends with exactly the server's calls,
// incremental passes, a resume after the service and the cache were torn down mid-pull, live
// call.ended events and watched transcripts, and offline with the cache still answering.
#include "api/livestream.h"
#include "api/platform.h"
#include "api/ratelimiter.h"
#include "api/session.h"
#include "models/callcache.h"
#include "models/syncservice.h"
#include "simulatorprocess.h"
#include "testsupport.h"

#include <QEventLoop>
#include <QJsonObject>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>
#include <optional>

using namespace sb::api;
using sb::models::CallCache;
using sb::models::SyncService;

namespace {

template<class T> Result<T> await(const ApiReply<T> &reply, int timeoutMs = 30000)
{
    if (!reply.isValid())
        return ApiError(ApiError::Kind::InvalidRequest, QStringLiteral("invalid reply"));
    std::optional<Result<T>> out;
    QObject context;
    QEventLoop loop;
    reply.onFinished(&context, [&](const Result<T> &r) {
        out.emplace(r);
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    if (!out)
        loop.exec();
    if (!out)
        return ApiError(ApiError::Kind::Timeout, QStringLiteral("test deadline passed"));
    return *out;
}

//! The org's call ids by a plain REST walk (the truth the cache is compared with).
QStringList restIds(Platform *platform)
{
    QStringList ids;
    Pager<Call> pager = platform->calls({}, 100);
    while (pager.hasMore()) {
        const auto page = await(pager.fetchNext());
        if (!page.ok())
            return {};
        for (const Call &c : page.value().items)
            ids.append(c.id);
    }
    return ids;
}

//! A client of one simulator: session (fast retries, raised budget), platform, cache file.
struct Client
{
    Session session;
    Platform *platform = nullptr;

    explicit Client(const sb::app::SimulatorProcess &sim)
    {
        session.setBaseUrl(sim.baseUrl());
        session.setApiKey(sim.key());
        session.rateLimiter()->setServerLimit(100000);
        RetryPolicy fast;
        fast.maxAttempts = 2;
        fast.baseDelayMs = 50;
        fast.maxDelayMs = 200;
        session.setRetryPolicy(fast);
        platform = createPlatform(PlatformKind::Talknex, &session, &session);
    }
};

SyncService::Options testOptions(int pageSize);
bool waitUpToDate(SyncService &sync, int timeoutMs = 60000);

//! A simulator of the test's own (40 calls) with a client, a cache and a SyncService that
//! has pulled the whole history.
struct SyncedOwnSimulator
{
    sb::app::SimulatorProcess sim;
    std::unique_ptr<Client> client;
    CallCache cache;
    std::unique_ptr<SyncService> sync;

    //! Empty when ready, else what went wrong.
    QString start(const QString &cacheFile)
    {
        if (!sim.start({QStringLiteral("--history-calls"), QStringLiteral("40")}))
            return sim.errorString();
        client = std::make_unique<Client>(sim);
        if (!cache.openFile(cacheFile))
            return QStringLiteral("the cache did not open");
        sync = std::make_unique<SyncService>(client->platform, &cache, nullptr);
        sync->setOptions(testOptions(100));
        sync->start();
        if (!waitUpToDate(*sync))
            return QStringLiteral("the full sync did not finish");
        cache.flush();
        return {};
    }
};

SyncService::Options testOptions(int pageSize)
{
    SyncService::Options o;
    o.pageSize = pageSize;
    o.incrementalIntervalMs = 3600 * 1000; // passes run when the test says so
    o.retryBaseMs = 200;
    o.retryMaxMs = 1000;
    return o;
}

bool waitUpToDate(SyncService &sync, int timeoutMs)
{
    return QTest::qWaitFor([&] { return sync.state() == SyncService::State::UpToDate; }, timeoutMs);
}

//! Exactly the server's calls: same count (ids are the primary key: no doubles) and every id.
QString compareWithServer(CallCache &cache, Platform *platform)
{
    cache.flush();
    const QStringList ids = restIds(platform);
    if (ids.isEmpty())
        return QStringLiteral("REST listing failed");
    if (QSet<QString>(ids.cbegin(), ids.cend()).size() != ids.size())
        return QStringLiteral("REST listing has doubles");
    if (cache.callCount() != ids.size())
        return QStringLiteral("cache has %1 calls, server %2")
            .arg(cache.callCount())
            .arg(ids.size());
    for (const QString &id : ids) {
        if (!cache.call(id))
            return QStringLiteral("cache lacks %1").arg(id);
    }
    return {};
}

} // namespace

class TestSyncService : public QObject
{
    Q_OBJECT
    sb::app::SimulatorProcess m_sim;
    QTemporaryDir m_dir;
    int m_files = 0;

    QString newCacheFile()
    {
        return m_dir.filePath(QStringLiteral("cache%1.sqlite").arg(++m_files));
    }

    //! Agent and owned number for placing calls.
    bool callParameters(Platform *platform, PlaceCallRequest *out)
    {
        const auto agents = await(platform->agents(10).fetchNext());
        const auto numbers = await(platform->phoneNumbers(100).fetchNext());
        if (!agents.ok() || agents.value().items.isEmpty() || !numbers.ok())
            return false;
        out->agentId = agents.value().items.first().id;
        for (const PhoneNumber &n : numbers.value().items) {
            if (n.status == PhoneNumberStatus::Active)
                out->from = n.number;
        }
        out->to = QStringLiteral("+14155550123");
        return !out->from.isEmpty();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY2(m_sim.start({QStringLiteral("--history-calls"), QStringLiteral("600"),
                              QStringLiteral("--speed"), QStringLiteral("40")}),
                 qPrintable(m_sim.errorString()));
        QCOMPARE(sb::test::postAdmin(m_sim.adminUrl(), QStringLiteral("/rate-limit"),
                                     {{QStringLiteral("limit"), 100000}}),
                 204);
    }

    void fullSyncHoldsExactlyTheServersCalls()
    {
        Client client(m_sim);
        CallCache cache;
        QVERIFY2(cache.openFile(newCacheFile()), qPrintable(cache.lastError()));
        SyncService sync(client.platform, &cache, nullptr);
        sync.setOptions(testOptions(100));
        QSignalSpy states(&sync, &SyncService::stateChanged);
        QSignalSpy progress(&sync, &SyncService::progressChanged);
        QSignalSpy passes(&sync, &SyncService::passFinished);
        QCOMPARE(sync.stalenessText(), QStringLiteral("Not synced yet"));

        const QStringList ids = restIds(client.platform);
        QVERIFY(ids.size() > 400); // the demo org's share of --history-calls 600
        const int pages = int((ids.size() + 99) / 100);
        sync.start();
        QCOMPARE(sync.state(), SyncService::State::FullSync);
        QVERIFY(waitUpToDate(sync));
        QCOMPARE(passes.count(), 2); // the full pull, then the incremental pass behind it
        QCOMPARE(passes.at(0).at(0).toBool(), true);
        QCOMPARE(passes.at(1).at(0).toBool(), false);
        QVERIFY(sync.isFullSyncDone());
        QCOMPARE(sync.fullSyncPages(), pages);
        QCOMPARE(sync.fullSyncCalls(), qint64(ids.size()));
        QCOMPARE(progress.count(), pages);
        QCOMPARE(progress.last().at(1).toLongLong(), qint64(ids.size()));
        QList<SyncService::State> seen;
        for (const QList<QVariant> &args : std::as_const(states))
            seen.append(args.at(0).value<SyncService::State>());
        QCOMPARE(seen, (QList<SyncService::State>{SyncService::State::FullSync,
                                                  SyncService::State::Incremental,
                                                  SyncService::State::UpToDate}));
        QVERIFY(sync.updatedSince().isValid());
        QVERIFY(sync.lastSyncAt().isValid());
        QCOMPARE(sync.stalenessText(), QStringLiteral("Updated just now"));
        const QString diff = compareWithServer(cache, client.platform);
        QVERIFY2(diff.isEmpty(), qPrintable(diff));

        // The state is in the cache, in the same transactions as the calls.
        const QVariantMap state = cache.syncState();
        QCOMPARE(state.value(QStringLiteral("fullSyncDone")).toBool(), true);
        QCOMPARE(state.value(QStringLiteral("fullSyncPages")).toInt(), pages);
    }

    void callPlacedDuringTheFullPullIsCaughtAfterIt()
    {
        // Lists are newest first: a call created while the pull walks back in time is above its
        // cursor, so only the incremental pass that follows the pull can see it.
        Client client(m_sim);
        PlaceCallRequest req;
        QVERIFY(callParameters(client.platform, &req));
        CallCache cache;
        QVERIFY(cache.openFile(newCacheFile()));
        SyncService sync(client.platform, &cache, nullptr);
        sync.setOptions(testOptions(50));
        QString placedId;
        connect(&sync, &SyncService::pageStored, this, [&] {
            if (sync.pagesFetched() != 2)
                return;
            // Waits inside the signal: the pull goes on only after the call exists.
            const auto placed = await(client.platform->placeCall(req));
            if (placed.ok())
                placedId = placed.value().id;
        });
        sync.start();
        QVERIFY(waitUpToDate(sync));
        QVERIFY(!placedId.isEmpty());
        cache.flush();
        QVERIFY(cache.call(placedId));
        const QString diff = compareWithServer(cache, client.platform);
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
    }

    void incrementalSeesPlacedChangedAndDeletedCalls()
    {
        Client client(m_sim);
        PlaceCallRequest req;
        QVERIFY(callParameters(client.platform, &req));
        CallCache cache;
        QVERIFY(cache.openFile(newCacheFile()));
        SyncService sync(client.platform, &cache, nullptr);
        sync.setOptions(testOptions(100));
        sync.start();
        QVERIFY(waitUpToDate(sync));
        const int fullPages = sync.pagesFetched();

        // A placed call: the next incremental pass stores it, in a page or two, not a re-pull.
        req.metadata = {{QStringLiteral("simOutcome"), QStringLiteral("busy")}};
        const auto placed = await(client.platform->placeCall(req));
        QVERIFY(placed.ok());
        const QString id = placed.value().id;
        QSignalSpy passes(&sync, &SyncService::passFinished);
        sync.syncNow();
        QCOMPARE(sync.state(), SyncService::State::Incremental);
        QVERIFY(passes.wait(30000));
        QCOMPARE(sync.state(), SyncService::State::UpToDate);
        QVERIFY(sync.pagesFetched() - fullPages <= 2);
        cache.flush();
        QVERIFY(cache.call(id));

        // The same call changes (it ends busy): the next pass updates the row in place.
        QVERIFY(QTest::qWaitFor(
            [&] {
                const auto r = await(client.platform->callDetails(id));
                return r.ok() && r.value().call.status == CallStatus::Busy;
            },
            60000));
        sync.syncNow();
        QVERIFY(passes.wait(30000));
        cache.flush();
        QCOMPARE(cache.call(id)->status, CallStatus::Busy);

        // Deleted through the service: gone from server and cache.
        QSignalSpy deleted(&sync, &SyncService::callDeleted);
        sync.deleteCall(id);
        QVERIFY(deleted.wait(30000));
        cache.flush();
        QVERIFY(!cache.call(id));
        QCOMPARE(await(client.platform->callDetails(id)).error().kind, ApiError::Kind::NotFound);

        // Deleted elsewhere: updatedSince cannot show a deletion; opening the call finds out.
        const QStringList ids = restIds(client.platform);
        const QString other = ids.at(7);
        QVERIFY(await(client.platform->deleteCall(other)).ok());
        QSignalSpy openFailed(&sync, &SyncService::openFailed);
        sync.openCall(other);
        QVERIFY(openFailed.wait(30000));
        QCOMPARE(openFailed.first().at(1).value<ApiError>().kind, ApiError::Kind::NotFound);
        cache.flush();
        QVERIFY(!cache.call(other));
        const QString diff = compareWithServer(cache, client.platform);
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
    }

    void resumesAfterAKillMidPullWithNothingLostOrDoubled()
    {
        Client client(m_sim);
        const QString file = newCacheFile();
        constexpr int pageSize = 50;
        int killedAfter = 0;
        {
            auto cache = std::make_unique<CallCache>();
            QVERIFY(cache->openFile(file));
            auto sync = std::make_unique<SyncService>(client.platform, cache.get(), nullptr);
            sync->setOptions(testOptions(pageSize));
            sync->start();
            // Torn down while the next page is in flight.
            QVERIFY(QTest::qWaitFor([&] { return sync->pagesFetched() >= 4; }, 30000));
            killedAfter = sync->pagesFetched();
            QCOMPARE(sync->state(), SyncService::State::FullSync);
            sync.reset();
            cache.reset();
        }
        QVERIFY(killedAfter >= 4);

        CallCache cache;
        QVERIFY(cache.openFile(file));
        const QVariantMap saved = cache.syncState();
        QCOMPARE(saved.value(QStringLiteral("fullSyncPages")).toInt(), killedAfter);
        QCOMPARE(saved.value(QStringLiteral("fullSyncDone")).toBool(), false);
        QVERIFY(!saved.value(QStringLiteral("fullSyncCursor")).toString().isEmpty());
        QCOMPARE(cache.callCount(), killedAfter * pageSize);

        SyncService sync(client.platform, &cache, nullptr);
        sync.setOptions(testOptions(pageSize));
        int pagesWhenFullDone = -1;
        connect(&sync, &SyncService::passFinished, this, [&](bool full) {
            if (full)
                pagesWhenFullDone = sync.pagesFetched();
        });
        sync.start();
        QCOMPARE(sync.fullSyncPages(), killedAfter); // progress carries over
        QVERIFY(waitUpToDate(sync));

        const QStringList ids = restIds(client.platform);
        const int totalPages = int((ids.size() + pageSize - 1) / pageSize);
        QCOMPARE(pagesWhenFullDone, totalPages - killedAfter); // resumed, not restarted
        QCOMPARE(sync.fullSyncPages(), totalPages);
        QCOMPARE(sync.fullSyncCalls(), qint64(ids.size()));
        const QString diff = compareWithServer(cache, client.platform);
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
    }

    void liveEndedCallsAndWatchedTranscriptsGoIn()
    {
        QCOMPARE(
            sb::test::postAdmin(m_sim.adminUrl(), QStringLiteral("/live"),
                                {{QStringLiteral("liveCalls"), 2}, {QStringLiteral("speed"), 40}}),
            204);
        Client client(m_sim);
        CallCache cache;
        QVERIFY(cache.openFile(newCacheFile()));
        LiveStream stream(client.platform);
        SyncService sync(client.platform, &cache, &stream);
        sync.setOptions(testOptions(100));
        QStringList started, ended;
        connect(&stream, &LiveStream::eventsReady, this, [&](const QList<StreamEvent> &events) {
            for (const StreamEvent &e : events) {
                if (e.type == StreamEvent::Type::CallStarted) {
                    started.append(e.call.id);
                    sync.watch(e.call.id); // the person watches every new call
                } else if (e.type == StreamEvent::Type::CallEnded) {
                    ended.append(e.call.id);
                }
            }
        });
        sync.start();
        stream.start();
        QVERIFY(waitUpToDate(sync));

        // An ended call that started while we listened is in the cache, final, at once (no pass).
        QSignalSpy passes(&sync, &SyncService::passFinished);
        QVERIFY(QTest::qWaitFor(
            [&] {
                for (const QString &id : std::as_const(ended)) {
                    if (started.contains(id))
                        return true;
                }
                return false;
            },
            90000));
        QString endedId;
        for (const QString &id : std::as_const(ended)) {
            if (started.contains(id))
                endedId = id;
        }
        QVERIFY(QTest::qWaitFor(
            [&] {
                cache.flush();
                const auto c = cache.call(endedId);
                return c && c->endedAt.isValid();
            },
            10000));
        QCOMPARE(passes.count(), 0);

        // A watched call's transcript is fetched after its end and stored: a completed one has
        // exactly the lines the server has.
        QString watched;
        QVERIFY(QTest::qWaitFor(
            [&] {
                cache.flush();
                for (const QString &id : std::as_const(ended)) {
                    const auto c = started.contains(id) ? cache.call(id) : std::nullopt;
                    if (c && c->status == CallStatus::Completed && cache.hasTranscript(id)) {
                        watched = id;
                        return true;
                    }
                }
                return false;
            },
            120000));
        const auto details = await(client.platform->callDetails(watched));
        QVERIFY(details.ok());
        const auto cached = cache.details(watched);
        QVERIFY(cached);
        QVERIFY(!cached->transcript.isEmpty());
        QCOMPARE(cached->transcript.size(), details.value().transcript.size());
        QCOMPARE(cached->transcript.last().text, details.value().transcript.last().text);

        stream.stop();
        sb::test::postAdmin(m_sim.adminUrl(), QStringLiteral("/live"),
                            {{QStringLiteral("liveCalls"), 0}});
    }

    void prefetchStoresCompletedCallsAndSkipsTheRest()
    {
        // The Calls pane's prefetch (platforms whose list carries no sentiment): only Completed
        // calls without a cached transcript are fetched; a call that fails is dropped and the
        // sync goes on.
        SyncedOwnSimulator own;
        const QString problem = own.start(newCacheFile());
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        Client &client = *own.client;
        CallCache &cache = own.cache;
        SyncService &sync = *own.sync;
        QStringList completed;
        QStringList others;
        for (const QString &id : restIds(client.platform))
            (cache.call(id)->status == CallStatus::Completed ? completed : others).append(id);
        QVERIFY(completed.size() >= 6 && !others.isEmpty());
        // One of them is gone from the server meanwhile: its fetch fails (404).
        const QString gone = completed.takeFirst();
        QVERIFY(await(client.platform->deleteCall(gone)).ok());
        QStringList asked{gone};
        asked << completed.mid(0, 4) << others.mid(0, 3);

        QSignalSpy stored(&cache, &CallCache::detailsStored);
        sync.prefetchDetails(asked);
        QTRY_COMPARE_WITH_TIMEOUT(stored.size(), 4, 30000);
        QStringList storedIds;
        for (const auto &args : stored)
            storedIds << args.at(0).toString();
        storedIds.sort();
        QStringList expected = completed.mid(0, 4);
        expected.sort();
        QCOMPARE(storedIds, expected);
        // Asked again (the rows are still in view): nothing is fetched twice, the failed one
        // included, and the sync itself never stopped.
        sync.prefetchDetails(asked);
        QSignalSpy passes(&sync, &SyncService::passFinished);
        sync.syncNow();
        QVERIFY(passes.wait(30000));
        QCOMPARE(sync.state(), SyncService::State::UpToDate);
        QTest::qWait(500);
        QCOMPARE(stored.size(), 4);
    }

    void offlineKeepsServingTheCache()
    {
        SyncedOwnSimulator own;
        const QString problem = own.start(newCacheFile());
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        sb::app::SimulatorProcess &sim = own.sim;
        Client &client = *own.client;
        CallCache &cache = own.cache;
        SyncService &sync = *own.sync;
        const qint64 cachedCalls = cache.callCount();
        QVERIFY(cachedCalls > 20);

        // Open a completed call: fetched once (Interactive), stored with its transcript.
        QString id;
        for (const QString &candidate : restIds(client.platform)) {
            if (cache.call(candidate)->status == CallStatus::Completed) {
                id = candidate;
                break;
            }
        }
        QVERIFY(!id.isEmpty());
        QSignalSpy opened(&sync, &SyncService::callOpened);
        sync.openCall(id);
        QVERIFY(opened.wait(30000));
        QCOMPARE(opened.last().at(1).toBool(), false);
        const int lines = int(opened.last().at(0).value<CallDetails>().transcript.size());
        QVERIFY(lines > 0);

        sim.stop();
        sync.syncNow();
        QTRY_COMPARE_WITH_TIMEOUT(sync.state(), SyncService::State::Offline, 30000);
        QVERIFY(sync.lastError().kind == ApiError::Kind::Network ||
                sync.lastError().kind == ApiError::Kind::Timeout);
        QVERIFY2(
            sync.stalenessText().startsWith(QStringLiteral("Offline — showing cached data from")),
            qPrintable(sync.stalenessText()));

        // History and transcripts still come from the cache.
        QCOMPARE(cache.callCount(), qint64(cachedCalls));
        sync.openCall(id);
        QVERIFY(opened.wait(10000));
        QCOMPARE(opened.last().at(1).toBool(), true);
        QCOMPARE(opened.last().at(0).value<CallDetails>().transcript.size(), lines);
        // Retries keep failing quietly: still offline, no crash, nothing lost.
        QTest::qWait(1500);
        QCOMPARE(sync.state(), SyncService::State::Offline);
        QCOMPARE(cache.callCount(), qint64(cachedCalls));
    }

    void reconnectCatchesUpByRest()
    {
        // A stream that drops and comes back (Backoff → Connecting → Connected) missed the
        // call.ended of that gap: the service runs a pass at once instead of a minute later.
        class ScriptedStream : public LiveStream
        {
        public:
            explicit ScriptedStream(Platform *platform)
                : LiveStream(platform, NoWorker{}, nullptr)
            {}
            void start() override {}
            void stop() override {}
            void setCallsChannel(bool) override {}
            void subscribeCall(const QString &, qint64) override {}
            void unsubscribeCall(const QString &) override {}
            StreamCounters counters() const override { return {}; }
            void go(StreamState state) { setStreamState(state, 0); }
        };
        Client client(m_sim);
        ScriptedStream stream(client.platform);
        CallCache cache;
        QVERIFY(cache.openFile(newCacheFile()));
        SyncService sync(client.platform, &cache, &stream);
        sync.setOptions(testOptions(100));
        stream.go(StreamState::Connecting);
        stream.go(StreamState::Connected);
        sync.start();
        QVERIFY(waitUpToDate(sync));
        QSignalSpy passes(&sync, &SyncService::passFinished);
        stream.go(StreamState::Connecting); // a first connection is no reconnect
        stream.go(StreamState::Connected);
        QTest::qWait(200);
        QCOMPARE(passes.count(), 0);
        stream.go(StreamState::Backoff);
        stream.go(StreamState::Connecting);
        QCOMPARE(passes.count(), 0);
        stream.go(StreamState::Connected);
        QVERIFY(passes.wait(30000));
        QCOMPARE(sync.state(), SyncService::State::UpToDate);
    }

    void stalenessTexts()
    {
        Client client(m_sim);
        CallCache cache;
        QVERIFY(cache.openFile(newCacheFile()));
        SyncService sync(client.platform, &cache, nullptr);
        QCOMPARE(sync.stateText(), QStringLiteral("Not synced yet"));
        cache.storeCalls({}, {{QStringLiteral("lastSyncAt"),
                               QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)}});
        cache.flush();
        sync.setOptions(testOptions(100));
        sync.start(); // loads the state
        const QDateTime last = sync.lastSyncAt();
        QVERIFY(last.isValid());
        QCOMPARE(sync.stalenessText(last.addSecs(10)), QStringLiteral("Updated just now"));
        QCOMPARE(sync.stalenessText(last.addSecs(60)), QStringLiteral("Updated 1 min ago"));
        QCOMPARE(sync.stalenessText(last.addSecs(180)), QStringLiteral("Updated 3 min ago"));
        QCOMPARE(sync.stalenessText(last.addSecs(7200)), QStringLiteral("Updated 2 h ago"));
        sync.stop();
    }
};

QTEST_GUILESS_MAIN(TestSyncService)
#include "tst_syncservice.moc"
