// SpeakNodeStream against the simulator (CONTRACT §2.3): the hub's session updates plus polled
// histories become the console's stream events, within the request budget.
#include "tst_signalr_fixture.h"

#include <QElapsedTimer>

using namespace sb::api;
using sb::test::await;
using sb::test::TestTokens;

class TestSignalRStreamSim : public sb::test::SignalRSimFixture
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void pollBudgetGrowsWithLiveCalls();
    void streamFollowsADispatchedCall();
    void resubscribeAfterARestartSendsASnapshot();
    void refusedTokenAsksForANewOne();
    void reconnectCatchesUpTheCallsChannel();
};

void TestSignalRStreamSim::initTestCase()
{
    startSimulator();
}

void TestSignalRStreamSim::pollBudgetGrowsWithLiveCalls()
{
    Session session;
    QVERIFY(!session.setBaseUrl(m_sim.speakNodeBaseUrl()).isError());
    session.setApiKey(m_token);
    std::unique_ptr<Platform> platform(createPlatform(PlatformKind::SpeakNode, &session));
    auto *stream = qobject_cast<SpeakNodeStream *>(LiveStream::create(platform.get()));
    QVERIFY(stream);
    std::unique_ptr<LiveStream> owner(stream);
    QCOMPARE(stream->streamUrl(), hubUrl());
    QCOMPARE(stream->pollIntervalMs(), 3000);
    // Calls not yet seen count as live; with the default 100/min limit (90 for us) polling may
    // use 54 requests a minute: 10 calls are polled every 11.2 s, not every 3 s.
    for (int i = 0; i < 10; ++i)
        stream->subscribeCall(QStringLiteral("call-%1").arg(i));
    QCOMPARE(session.rateLimiter()->ratePerMinute(), 90.0);
    QCOMPARE(stream->pollIntervalMs(), 11112);
    // Started, the first looks at all ten are paced by polling's share of the budget (54 a
    // minute, a burst of 2): not ten at once. Unknown ids answer 404 and are polled no more.
    QSignalSpy failed(stream, &LiveStream::backfillFailed);
    QElapsedTimer clock;
    clock.start();
    stream->start();
    QTest::qWait(2000);
    const qint64 early = qint64(stream->pollsSent());
    const qint64 allowed = 2 + (clock.elapsed() * 54 + 59999) / 60000;
    QVERIFY2(early >= 2 && early <= allowed,
             qPrintable(QStringLiteral("%1 polls in %2 ms").arg(early).arg(clock.elapsed())));
    QTRY_COMPARE_WITH_TIMEOUT(stream->pollsSent(), quint64(10), 20000);
    QTRY_COMPARE(failed.size(), 10);
    QCOMPARE(stream->pollIntervalMs(), 3000); // none of them wants polling any more
    QTest::qWait(1500);
    QCOMPARE(stream->pollsSent(), quint64(10));
    stream->stop();
    for (int i = 0; i < 10; ++i)
        stream->unsubscribeCall(QStringLiteral("call-%1").arg(i));
    QVERIFY(stream->subscribedCalls().isEmpty());
}

void TestSignalRStreamSim::streamFollowsADispatchedCall()
{
    Session session;
    QVERIFY(!session.setBaseUrl(m_sim.speakNodeBaseUrl()).isError());
    session.setApiKey(m_token);
    std::unique_ptr<Platform> platform(createPlatform(PlatformKind::SpeakNode, &session));
    std::unique_ptr<LiveStream> stream(LiveStream::create(platform.get()));
    auto *sn = qobject_cast<SpeakNodeStream *>(stream.get());
    QVERIFY(sn);
    QList<StreamEvent> events;
    QList<int> batchOf; // which batch each event came in
    int batches = 0;
    connect(stream.get(), &LiveStream::eventsReady, this, [&](const QList<StreamEvent> &batch) {
        ++batches;
        for (const StreamEvent &e : batch) {
            events.append(e);
            batchOf.append(batches);
        }
    });
    QSignalSpy snapshots(stream.get(), &LiveStream::snapshotReady);
    stream->setCallsChannel(true);
    stream->start();
    QTRY_COMPARE_WITH_TIMEOUT(stream->state(), StreamState::Connected, 10000);
    QVERIFY(stream->stateText().contains(QLatin1String("polled")));

    PlaceCallRequest req;
    req.agentId = m_agent.value(QLatin1String("id")).toString();
    req.from = m_from;
    req.to = QStringLiteral("+14155550177");
    req.metadata = {{QStringLiteral("sim_outcome"), QStringLiteral("answered")}};
    const auto placed = await(platform->placeCall(req));
    QVERIFY2(placed.ok(), qPrintable(placed.ok() ? QString() : placed.error().details()));
    const QString id = placed.value().id;
    // The hub announces it; the console subscribes (as the Live pane does for a placed call).
    auto has = [&](StreamEvent::Type type, CallStatus status = CallStatus::Unknown) {
        for (const StreamEvent &e : std::as_const(events)) {
            if (e.type == type && (e.callId == id || e.call.id == id) &&
                (status == CallStatus::Unknown || e.status == status))
                return true;
        }
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(has(StreamEvent::Type::CallStarted), 10000);
    stream->subscribeCall(id);
    QTRY_VERIFY_WITH_TIMEOUT(has(StreamEvent::Type::Status, CallStatus::Completed), 180000);
    QVERIFY(has(StreamEvent::Type::CallEnded));
    QVERIFY(has(StreamEvent::Type::Status, CallStatus::InProgress));
    QCOMPARE(snapshots.size(), 0); // everything came as a diff

    // The call's events: seq 1, 2, 3 ... without gaps; the final Status is the last of them.
    // A line may be sent again when it changes (e.g. marked interrupted once the caller cut
    // in): the last version of each (startMs, role) counts, as the models' assembler keeps it.
    QList<QPair<qint64, int>> order;
    QHash<QPair<qint64, int>, TranscriptLine> latest;
    QList<int> lineBatches;
    int toolCalls = 0, toolResults = 0, sentiments = 0;
    qint64 seq = 0;
    for (qsizetype i = 0; i < events.size(); ++i) {
        const StreamEvent &e = events.at(i);
        if (e.callId != id)
            continue;
        QCOMPARE(e.seq, seq + 1);
        seq = e.seq;
        if (e.type == StreamEvent::Type::Transcript) {
            QVERIFY(e.isFinal);
            const QPair<qint64, int> key{e.line.startMs, int(e.line.role)};
            if (!latest.contains(key))
                order.append(key);
            latest.insert(key, e.line);
            lineBatches.append(batchOf.at(i));
        }
        toolCalls += e.type == StreamEvent::Type::ToolCall ? 1 : 0;
        toolResults += e.type == StreamEvent::Type::ToolResult ? 1 : 0;
        sentiments += e.type == StreamEvent::Type::Sentiment ? 1 : 0;
    }
    QVERIFY(seq > 0);

    // The transcript grew by polling (lines in several batches) to exactly the final REST one.
    const auto details = await(platform->callDetails(id));
    QVERIFY(details.ok());
    const CallDetails &d = details.value();
    QCOMPARE(d.call.status, CallStatus::Completed);
    QVERIFY(d.transcript.size() >= 4);
    QCOMPARE(order.size(), d.transcript.size());
    for (qsizetype i = 0; i < order.size(); ++i) {
        const TranscriptLine &line = latest.value(order.at(i));
        QCOMPARE(line.text, d.transcript.at(i).text);
        QCOMPARE(line.role, d.transcript.at(i).role);
        QCOMPARE(line.startMs, d.transcript.at(i).startMs);
        QCOMPARE(line.endMs, d.transcript.at(i).endMs);
        QCOMPARE(line.interrupted, d.transcript.at(i).interrupted);
        QCOMPARE(line.sentiment, d.transcript.at(i).sentiment);
    }
    QVERIFY2(QSet<int>(lineBatches.begin(), lineBatches.end()).size() >= 2,
             "the whole transcript came in one batch: it did not grow by polling");
    QCOMPARE(toolCalls, int(d.toolCalls.size()));
    int withResult = 0;
    for (const ToolCall &c : d.toolCalls)
        withResult += c.result.isUndefined() ? 0 : 1;
    QCOMPARE(toolResults, withResult);
    // Sentiment events: one per point of the local estimate. How many there are depends on the
    // words of the dialogue the simulator picked (small talk makes none), so the test holds the
    // stream to the estimate of the final REST transcript, whatever its size.
    QCOMPARE(sentiments, int(d.sentimentTimeline.size()));
    QVERIFY(d.call.sentiment != Sentiment::None); // the caller spoke: there is an estimate
    // Within budget: at most one poll per 3 s per call, plus the first and the final one.
    QVERIFY(sn->pollsSent() >= 2);
    stream->stop();
    QCOMPARE(stream->state(), StreamState::Idle);
}

void TestSignalRStreamSim::resubscribeAfterARestartSendsASnapshot()
{
    // A model that already holds events up to seq 40 of a call (from an earlier stream) asks a
    // new stream to resume: the transcript so far comes as one snapshot, never as lines the
    // model might show twice, and the call's events continue above seq 40.
    Session session;
    QVERIFY(!session.setBaseUrl(m_sim.speakNodeBaseUrl()).isError());
    session.setApiKey(m_token);
    std::unique_ptr<Platform> platform(createPlatform(PlatformKind::SpeakNode, &session));
    std::unique_ptr<LiveStream> stream(LiveStream::create(platform.get()));
    QList<StreamEvent> events;
    connect(stream.get(), &LiveStream::eventsReady, this,
            [&](const QList<StreamEvent> &batch) { events += batch; });
    QList<CallSnapshot> snapshots;
    connect(stream.get(), &LiveStream::snapshotReady, this,
            [&](const CallSnapshot &s) { snapshots.append(s); });
    stream->start();
    QTRY_COMPARE_WITH_TIMEOUT(stream->state(), StreamState::Connected, 10000);
    const QString id = dispatch(QStringLiteral("answered"), QStringLiteral("+14155550133"));
    QVERIFY(!id.isEmpty());
    // Wait until it talks, then subscribe as a model that has seen 40 events.
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            const auto d = await(platform->callDetails(id));
            return d.ok() && d.value().transcript.size() >= 2;
        }(),
        60000);
    stream->subscribeCall(id, 40);
    QTRY_COMPARE_WITH_TIMEOUT(snapshots.size(), 1, 10000);
    QCOMPARE(snapshots.first().callId, id);
    QVERIFY(snapshots.first().details.transcript.size() >= 2);
    auto ended = [&] {
        for (const StreamEvent &e : std::as_const(events)) {
            if (e.callId == id && e.type == StreamEvent::Type::Status &&
                e.status == CallStatus::Completed)
                return true;
        }
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(ended(), 180000);
    qint64 seq = 40;
    QSet<QPair<qint64, int>> keys;
    for (const StreamEvent &e : std::as_const(events)) {
        if (e.callId != id)
            continue;
        QCOMPARE(e.seq, seq + 1);
        seq = e.seq;
        if (e.type == StreamEvent::Type::Transcript)
            keys.insert({e.line.startMs, int(e.line.role)});
    }
    // Snapshot lines + streamed lines = the whole transcript, each line once.
    const auto d = await(platform->callDetails(id));
    QVERIFY(d.ok());
    // Snapshot lines + lines streamed after it = the whole transcript (a snapshot line may have
    // been sent again when it changed).
    for (const TranscriptLine &l : snapshots.first().details.transcript)
        keys.insert({l.startMs, int(l.role)});
    QCOMPARE(keys.size(), d.value().transcript.size());
    QCOMPARE(snapshots.size(), 1);
}

void TestSignalRStreamSim::refusedTokenAsksForANewOne()
{
    Session session;
    QVERIFY(!session.setBaseUrl(m_sim.speakNodeBaseUrl()).isError());
    TestTokens tokens;
    tokens.token = QStringLiteral("snk_expired_long_ago");
    session.setTokenSource(&tokens);
    std::unique_ptr<Platform> platform(createPlatform(PlatformKind::SpeakNode, &session));
    std::unique_ptr<LiveStream> stream(LiveStream::create(platform.get()));
    StreamOptions o;
    o.reconnectBaseMs = 50;
    o.reconnectMaxMs = 100;
    stream->setOptions(o);
    QSignalSpy rejected(stream.get(), &LiveStream::credentialRejected);
    stream->start();
    // Each refusal asks the token source to refresh; when that does not help, the stream
    // stops as Unauthorized and says so.
    QTRY_COMPARE_WITH_TIMEOUT(stream->state(), StreamState::Unauthorized, 10000);
    QCOMPARE(rejected.size(), 1);
    QVERIFY(tokens.refreshes >= 1);
    QVERIFY(stream->stateText().contains(QLatin1String("rejected")));
    // A new token (the person signed in again) reconnects without anyone calling start().
    tokens.replace(m_token);
    QTRY_COMPARE_WITH_TIMEOUT(stream->state(), StreamState::Connected, 10000);
    session.setTokenSource(nullptr);
}

void TestSignalRStreamSim::reconnectCatchesUpTheCallsChannel()
{
    Session session;
    QVERIFY(!session.setBaseUrl(m_sim.speakNodeBaseUrl()).isError());
    session.setApiKey(m_token);
    std::unique_ptr<Platform> platform(createPlatform(PlatformKind::SpeakNode, &session));
    std::unique_ptr<LiveStream> stream(LiveStream::create(platform.get()));
    StreamOptions o;
    o.reconnectBaseMs = 8000; // a gap of 4-8 s in which the calls start unseen
    o.reconnectMaxMs = 8000;
    stream->setOptions(o);
    // One session per page: the catch-up has to read every page to find both calls.
    auto *sn = qobject_cast<SpeakNodeStream *>(stream.get());
    QVERIFY(sn);
    SpeakNodeStream::PollOptions poll = sn->pollOptions();
    poll.catchUpPageSize = 1;
    sn->setPollOptions(poll);
    QList<StreamEvent> channel;
    connect(stream.get(), &LiveStream::eventsReady, this, [&](const QList<StreamEvent> &batch) {
        for (const StreamEvent &e : batch) {
            if (e.type == StreamEvent::Type::CallStarted || e.type == StreamEvent::Type::CallEnded)
                channel.append(e);
        }
    });
    stream->setCallsChannel(true);
    stream->start();
    QTRY_COMPARE_WITH_TIMEOUT(stream->state(), StreamState::Connected, 10000);
    QCOMPARE(sb::test::postAdmin(at(QStringLiteral("/_sim")), QStringLiteral("/signalr/close"),
                                 {{QStringLiteral("allowReconnect"), true}}),
             200);
    QTRY_COMPARE(stream->state(), StreamState::Backoff);
    const QStringList ids{dispatch(QStringLiteral("answered"), QStringLiteral("+14155550144")),
                          dispatch(QStringLiteral("answered"), QStringLiteral("+14155550145"))};
    QVERIFY(!ids.at(0).isEmpty() && !ids.at(1).isEmpty());
    // Placed while the hub was away, or the hub would announce them itself.
    QVERIFY2(stream->state() == StreamState::Backoff, "the hub came back too early");
    QTRY_COMPARE_WITH_TIMEOUT(stream->state(), StreamState::Connected, 15000);
    // The hub never said they started (that happened in the gap): the catch-up announces them,
    // before the ends the hub reports later.
    auto index = [&](StreamEvent::Type type, const QString &id) {
        for (qsizetype i = 0; i < channel.size(); ++i) {
            if (channel.at(i).type == type && channel.at(i).call.id == id)
                return int(i);
        }
        return -1;
    };
    for (const QString &id : ids) {
        QTRY_VERIFY_WITH_TIMEOUT(index(StreamEvent::Type::CallStarted, id) >= 0, 10000);
        QCOMPARE(channel.at(index(StreamEvent::Type::CallStarted, id)).call.status,
                 CallStatus::InProgress);
    }
    for (const QString &id : ids) {
        QTRY_VERIFY_WITH_TIMEOUT(index(StreamEvent::Type::CallEnded, id) >= 0, 180000);
        QVERIFY(index(StreamEvent::Type::CallStarted, id) <
                index(StreamEvent::Type::CallEnded, id));
    }
}

QTEST_MAIN(TestSignalRStreamSim)
#include "tst_signalr_stream_sim.moc"
