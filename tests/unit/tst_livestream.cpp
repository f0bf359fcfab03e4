// LiveStream against a scripted WebSocket server on 127.0.0.1: subscriptions, ordering, seq
// de-duplication and gaps, REST backfill, reconnect with `since`, close codes, the dead-socket
// watchdog, malformed and oversized frames, and batching.
#include "fakehttpserver.h"
#include "fakestreamserver.h"

#include "api/livestream.h"
#include "api/platform.h"
#include "api/session.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>

#include <memory>

using namespace sb::api;

namespace {

const QString kKey = QStringLiteral("sk_live_STREAMSECRET_77aa");
const QString kCallId = QStringLiteral("call_1");

QJsonObject transcript(qint64 seq, const QString &text, bool isFinal = true, qint64 startMs = -1,
                       const QString &callId = kCallId)
{
    return {{QStringLiteral("type"), QStringLiteral("transcript")},
            {QStringLiteral("callId"), callId},
            {QStringLiteral("seq"), seq},
            {QStringLiteral("ts"), qint64(1714557600000) + seq},
            {QStringLiteral("role"), QStringLiteral("agent")},
            {QStringLiteral("text"), text},
            {QStringLiteral("final"), isFinal},
            {QStringLiteral("startMs"), startMs >= 0 ? startMs : seq * 1000},
            {QStringLiteral("endMs"), (startMs >= 0 ? startMs : seq * 1000) + 900}};
}

QJsonObject callJson(const QString &status)
{
    return {{QStringLiteral("id"), kCallId},
            {QStringLiteral("status"), status},
            {QStringLiteral("createdAt"), QStringLiteral("2024-05-01T10:00:00Z")}};
}

QByteArray callDetailsBody()
{
    QJsonObject o = callJson(QStringLiteral("in_progress"));
    o.insert(QStringLiteral("transcript"),
             QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("agent")},
                                    {QStringLiteral("text"), QStringLiteral("Hello from REST")},
                                    {QStringLiteral("startMs"), 1000},
                                    {QStringLiteral("endMs"), 1900}}});
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
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

class TestLiveStream : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void subscribeAndReceiveInOrder();
    void duplicatesDropped();
    void gapTriggersBackfill();
    void reconnectResubscribesWithSince();
    void replayGapBackfills();
    void notLiveBackfills();
    void closeBadKeyStopsRetrying();
    void closeForbiddenStopsRetrying();
    void closeSlowReaderReconnects();
    void silentSocketDeclaredDead();
    void pongsKeepQuietSocketAlive();
    void malformedAndOversizedFramesDropped();
    void burstArrivesInFewBatches();
    void pacedEventsCoalescePerFrame();
    void stopGoesIdle();

private:
    //! Starts m_stream against m_ws (or `url`) and waits until it is connected.
    void startStream(const QUrl &url = QUrl());
    //! Waits until connection `i` got `count` subscribe messages.
    void waitSubscribes(int i, int count);
    //! Every event delivered so far, in order.
    QList<StreamEvent> delivered() const;

    std::unique_ptr<FakeHttpServer> m_http;
    std::unique_ptr<FakeStreamServer> m_ws;
    std::unique_ptr<Session> m_session;
    std::unique_ptr<Platform> m_platform;
    std::unique_ptr<LiveStream> m_stream;
    std::unique_ptr<QSignalSpy> m_events;
    StreamOptions m_options;
};

void TestLiveStream::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("switchboard.stream.info=true"));
    g_previous = qInstallMessageHandler(captureHandler);
}

void TestLiveStream::init()
{
    g_log.clear();
    m_http = std::make_unique<FakeHttpServer>();
    m_http->setHandler([](const FakeHttpServer::Received &) {
        return FakeHttpServer::json(200, callDetailsBody());
    });
    m_ws = std::make_unique<FakeStreamServer>();
    m_session = std::make_unique<Session>();
    QVERIFY(!m_session->setBaseUrl(QUrl(m_http->baseUrl())).isError());
    m_session->setApiKey(kKey);
    m_platform.reset(createPlatform(PlatformKind::Talknex, m_session.get()));
    m_stream = std::make_unique<LiveStream>(m_platform.get());
    m_events = std::make_unique<QSignalSpy>(m_stream.get(), &LiveStream::eventsReady);
    m_options = StreamOptions();
    m_options.reconnectBaseMs = 20;
    m_options.reconnectMaxMs = 100;
}

void TestLiveStream::cleanup()
{
    m_events.reset();
    m_stream.reset();
    m_platform.reset();
    m_session.reset();
    m_ws.reset();
    m_http.reset();
    for (const QString &line : std::as_const(g_log))
        QVERIFY2(!line.contains(kKey), qPrintable(line)); // the key is never logged
}

void TestLiveStream::startStream(const QUrl &url)
{
    m_stream->setOptions(m_options);
    m_stream->setStreamUrl(url.isEmpty() ? m_ws->url() : url);
    m_stream->start();
    QTRY_COMPARE_WITH_TIMEOUT(m_stream->state(), StreamState::Connected, 10000);
}

void TestLiveStream::waitSubscribes(int i, int count)
{
    QTRY_VERIFY_WITH_TIMEOUT(m_ws->connectionCount() > i, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(m_ws->subscribes(i).size(), count, 10000);
}

QList<StreamEvent> TestLiveStream::delivered() const
{
    QList<StreamEvent> out;
    for (const QList<QVariant> &args : std::as_const(*m_events))
        out += args.at(0).value<QList<StreamEvent>>();
    return out;
}

void TestLiveStream::subscribeAndReceiveInOrder()
{
    m_stream->setCallsChannel(true);
    m_stream->subscribeCall(kCallId);
    startStream();
    waitSubscribes(0, 2);
    QCOMPARE(m_ws->connection(0).authorization, QByteArray("Bearer ") + kKey.toUtf8());
    const QList<QJsonObject> subs = m_ws->subscribes(0);
    QCOMPARE(subs.at(0).value(QStringLiteral("channel")).toString(), QStringLiteral("calls"));
    QCOMPARE(subs.at(1).value(QStringLiteral("callId")).toString(), kCallId);
    QVERIFY(!subs.at(1).contains(QStringLiteral("since")));

    m_ws->sendJson({{QStringLiteral("type"), QStringLiteral("call.started")},
                    {QStringLiteral("call"), callJson(QStringLiteral("ringing"))}});
    for (int seq = 1; seq <= 5; ++seq)
        m_ws->sendJson(transcript(seq, QStringLiteral("line %1").arg(seq)));
    m_ws->sendJson({{QStringLiteral("type"), QStringLiteral("sentiment")},
                    {QStringLiteral("callId"), kCallId},
                    {QStringLiteral("seq"), 6},
                    {QStringLiteral("ts"), qint64(1714557600006)},
                    {QStringLiteral("label"), QStringLiteral("negative")},
                    {QStringLiteral("score"), -0.55}});
    QTRY_COMPARE_WITH_TIMEOUT(delivered().size(), 7, 10000);

    const QList<StreamEvent> events = delivered();
    QCOMPARE(events.at(0).type, StreamEvent::Type::CallStarted);
    QCOMPARE(events.at(0).call.status, CallStatus::Ringing);
    QCOMPARE(events.at(0).callId, kCallId);
    for (int i = 1; i <= 5; ++i) {
        const StreamEvent &e = events.at(i);
        QCOMPARE(e.type, StreamEvent::Type::Transcript);
        QCOMPARE(e.seq, qint64(i));
        QCOMPARE(e.line.text, QStringLiteral("line %1").arg(i));
        QCOMPARE(e.line.role, SpeakerRole::Agent);
        QCOMPARE(e.line.startMs, qint64(i) * 1000);
        QVERIFY(e.isFinal);
        QCOMPARE(e.serverTsMs, 1714557600000 + i);
        QVERIFY(e.receivedNs > 0);
        QVERIFY(e.receivedNs >= events.at(i - 1).receivedNs);
    }
    QCOMPARE(events.at(6).type, StreamEvent::Type::Sentiment);
    QCOMPARE(events.at(6).sentiment, Sentiment::Negative);
    QCOMPARE(events.at(6).score.value_or(0), -0.55);
    QCOMPARE(m_stream->counters().eventsDelivered, quint64(7));

    m_stream->unsubscribeCall(kCallId);
    QTRY_VERIFY_WITH_TIMEOUT(!m_ws->connection(0).messages.isEmpty() &&
                                 m_ws->connection(0).messages.last().value(
                                     QStringLiteral("type")) == QStringLiteral("unsubscribe"),
                             10000);
}

void TestLiveStream::duplicatesDropped()
{
    m_stream->subscribeCall(kCallId);
    startStream();
    waitSubscribes(0, 1);
    for (const int seq : {1, 2, 2, 1, 3, 3})
        m_ws->sendJson(transcript(seq, QStringLiteral("line %1").arg(seq)));
    m_ws->sendJson(transcript(4, QStringLiteral("last")));
    QTRY_VERIFY_WITH_TIMEOUT(!delivered().isEmpty() && delivered().last().seq == 4, 10000);
    QList<qint64> seqs;
    for (const StreamEvent &e : delivered())
        seqs << e.seq;
    QCOMPARE(seqs, (QList<qint64>{1, 2, 3, 4}));
    QCOMPARE(m_stream->counters().duplicatesDropped, quint64(3));
    QCOMPARE(m_stream->counters().gapsDetected, quint64(0));
}

void TestLiveStream::gapTriggersBackfill()
{
    QSignalSpy snapshots(m_stream.get(), &LiveStream::snapshotReady);
    m_stream->subscribeCall(kCallId);
    startStream();
    waitSubscribes(0, 1);
    m_ws->sendJson(transcript(1, QStringLiteral("one")));
    m_ws->sendJson(transcript(2, QStringLiteral("two")));
    m_ws->sendJson(transcript(5, QStringLiteral("five")));
    QTRY_COMPARE_WITH_TIMEOUT(snapshots.size(), 1, 10000);
    QCOMPARE(m_stream->counters().gapsDetected, quint64(1));
    QCOMPARE(m_http->requestCount(), 1);
    QCOMPARE(m_http->received().at(0).target, QByteArray("/v1/calls/call_1"));
    const auto snapshot = snapshots.at(0).at(0).value<CallSnapshot>();
    QCOMPARE(snapshot.callId, kCallId);
    QCOMPARE(snapshot.reason, BackfillReason::Gap);
    QCOMPARE(snapshot.details.transcript.size(), 1);
    QCOMPARE(snapshot.details.transcript.at(0).text, QStringLiteral("Hello from REST"));
    QTRY_COMPARE_WITH_TIMEOUT(delivered().size(), 3, 10000); // the event after the gap still counts
}

void TestLiveStream::reconnectResubscribesWithSince()
{
    QSignalSpy states(m_stream.get(), &LiveStream::stateChanged);
    m_stream->setCallsChannel(true);
    m_stream->subscribeCall(kCallId);
    m_stream->subscribeCall(QStringLiteral("call_2"));
    startStream();
    waitSubscribes(0, 3);
    for (int seq = 1; seq <= 3; ++seq)
        m_ws->sendJson(transcript(seq, QStringLiteral("line")));
    QTRY_COMPARE_WITH_TIMEOUT(delivered().size(), 3, 10000);

    m_ws->abortClient();
    waitSubscribes(1, 3);
    QCOMPARE(m_ws->connection(1).authorization, QByteArray("Bearer ") + kKey.toUtf8());
    bool sawCall1 = false;
    for (const QJsonObject &sub : m_ws->subscribes(1)) {
        const QString callId = sub.value(QStringLiteral("callId")).toString();
        if (callId == kCallId) {
            sawCall1 = true;
            QCOMPARE(sub.value(QStringLiteral("since")).toInteger(), 3);
        } else if (callId == QStringLiteral("call_2")) {
            QVERIFY(!sub.contains(QStringLiteral("since"))); // nothing received yet
        } else {
            QCOMPARE(sub.value(QStringLiteral("channel")).toString(), QStringLiteral("calls"));
        }
    }
    QVERIFY(sawCall1);
    QCOMPARE(m_stream->counters().reconnects, quint64(1));

    bool sawBackoff = false;
    for (const QList<QVariant> &args : std::as_const(states)) {
        if (args.at(0).value<StreamState>() == StreamState::Backoff) {
            sawBackoff = true;
            QVERIFY(args.at(1).toLongLong() > 0);
        }
    }
    QVERIFY(sawBackoff);

    // The replay after `since` continues without duplicates or gaps.
    m_ws->sendJson(transcript(4, QStringLiteral("after")));
    QTRY_COMPARE_WITH_TIMEOUT(delivered().size(), 4, 10000);
    QCOMPARE(m_stream->counters().gapsDetected, quint64(0));
}

void TestLiveStream::replayGapBackfills()
{
    QSignalSpy snapshots(m_stream.get(), &LiveStream::snapshotReady);
    m_stream->subscribeCall(kCallId, 3);
    startStream();
    waitSubscribes(0, 1);
    QCOMPARE(m_ws->subscribes(0).at(0).value(QStringLiteral("since")).toInteger(), 3);
    m_ws->sendJson({{QStringLiteral("type"), QStringLiteral("error")},
                    {QStringLiteral("code"), QStringLiteral("replay_gap")},
                    {QStringLiteral("callId"), kCallId},
                    {QStringLiteral("message"), QStringLiteral("too old")},
                    {QStringLiteral("oldestSeq"), 10}});
    m_ws->sendJson(transcript(10, QStringLiteral("ten")));
    m_ws->sendJson(transcript(11, QStringLiteral("eleven")));
    QTRY_COMPARE_WITH_TIMEOUT(snapshots.size(), 1, 10000);
    QCOMPARE(snapshots.at(0).at(0).value<CallSnapshot>().reason, BackfillReason::ReplayGap);
    QTRY_COMPARE_WITH_TIMEOUT(delivered().size(), 3, 10000);
    QCOMPARE(delivered().at(0).type, StreamEvent::Type::Error);
    QCOMPARE(delivered().at(0).errorCode, QStringLiteral("replay_gap"));
    QCOMPARE(m_stream->counters().gapsDetected, quint64(0)); // the jump to 10 was announced
    QCOMPARE(m_http->requestCount(), 1);
}

void TestLiveStream::notLiveBackfills()
{
    QSignalSpy snapshots(m_stream.get(), &LiveStream::snapshotReady);
    m_stream->subscribeCall(kCallId, 7);
    startStream();
    waitSubscribes(0, 1);
    m_ws->sendJson({{QStringLiteral("type"), QStringLiteral("error")},
                    {QStringLiteral("code"), QStringLiteral("not_live")},
                    {QStringLiteral("callId"), kCallId},
                    {QStringLiteral("message"), QStringLiteral("ended")}});
    QTRY_COMPARE_WITH_TIMEOUT(snapshots.size(), 1, 10000);
    QCOMPARE(snapshots.at(0).at(0).value<CallSnapshot>().reason, BackfillReason::NotLive);

    // An ended call is not resubscribed after a reconnect.
    m_ws->abortClient();
    QTRY_COMPARE_WITH_TIMEOUT(m_ws->connectionCount(), 2, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(m_stream->state(), StreamState::Connected, 10000);
    QTest::qWait(100);
    QCOMPARE(m_ws->subscribes(1).size(), 0);
}

void TestLiveStream::closeBadKeyStopsRetrying()
{
    QSignalSpy rejected(m_stream.get(), &LiveStream::credentialRejected);
    m_ws->setOnConnect([](QWebSocket *socket) {
        socket->close(static_cast<QWebSocketProtocol::CloseCode>(4001), QStringLiteral("bad key"));
    });
    m_stream->setOptions(m_options);
    m_stream->setStreamUrl(m_ws->url());
    m_stream->start();
    QTRY_COMPARE_WITH_TIMEOUT(rejected.size(), 1, 10000);
    QCOMPARE(m_stream->state(), StreamState::Unauthorized);
    QCOMPARE(m_stream->nextAttemptAtMs(), 0);
    // Backoff is 10-100 ms here: several would-be retries fit into this wait.
    QTest::qWait(500);
    QCOMPARE(m_ws->connectionCount(), 1);
    QCOMPARE(m_stream->counters().reconnects, quint64(0));

    // A new key: start() again connects at once.
    m_ws->setOnConnect({});
    m_stream->start();
    QTRY_COMPARE_WITH_TIMEOUT(m_stream->state(), StreamState::Connected, 10000);
    QCOMPARE(m_ws->connectionCount(), 2);
}

void TestLiveStream::closeForbiddenStopsRetrying()
{
    QSignalSpy forbidden(m_stream.get(), &LiveStream::accessForbidden);
    QSignalSpy rejected(m_stream.get(), &LiveStream::credentialRejected);
    startStream();
    m_ws->closeClient(4003, QStringLiteral("forbidden"));
    QTRY_COMPARE_WITH_TIMEOUT(forbidden.size(), 1, 10000);
    QCOMPARE(m_stream->state(), StreamState::Forbidden);
    QTest::qWait(500);
    QCOMPARE(m_ws->connectionCount(), 1);
    QCOMPARE(rejected.size(), 0);
}

void TestLiveStream::closeSlowReaderReconnects()
{
    m_stream->subscribeCall(kCallId);
    startStream();
    waitSubscribes(0, 1);
    m_ws->sendJson(transcript(1, QStringLiteral("one")));
    QTRY_COMPARE_WITH_TIMEOUT(delivered().size(), 1, 10000);
    m_ws->closeClient(4008, QStringLiteral("too slow"));
    waitSubscribes(1, 1);
    QCOMPARE(m_ws->subscribes(1).at(0).value(QStringLiteral("since")).toInteger(), 1);
}

void TestLiveStream::silentSocketDeclaredDead()
{
    SilentStreamServer silent;
    m_options.pingIntervalMs = 100;
    m_options.deadTimeoutMs = 700;
    startStream(silent.url());
    QElapsedTimer sinceConnected;
    sinceConnected.start();
    QCOMPARE(silent.handshakeCount(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(silent.handshakeCount(), 2, 10000);
    const qint64 elapsed = sinceConnected.elapsed();
    QVERIFY2(elapsed >= m_options.deadTimeoutMs - 50, qPrintable(QString::number(elapsed)));
    // dead timeout + at most one backoff (<= 100 ms) + generous scheduling slack
    QVERIFY2(elapsed < m_options.deadTimeoutMs + 3000, qPrintable(QString::number(elapsed)));
    QCOMPARE(m_stream->counters().reconnects, quint64(1));
    bool logged = false;
    for (const QString &line : std::as_const(g_log))
        logged = logged || (line.startsWith(QLatin1String("switchboard.stream")) &&
                            line.contains(QLatin1String("declared dead")));
    QVERIFY(logged);
}

void TestLiveStream::pongsKeepQuietSocketAlive()
{
    // The fake answers pings (QWebSocket does) but sends nothing else.
    m_options.pingIntervalMs = 100;
    m_options.deadTimeoutMs = 500;
    startStream();
    QTest::qWait(1500); // three dead timeouts of silence apart from pongs
    QCOMPARE(m_ws->connectionCount(), 1);
    QCOMPARE(m_stream->state(), StreamState::Connected);
}

void TestLiveStream::malformedAndOversizedFramesDropped()
{
    m_stream->subscribeCall(kCallId);
    startStream();
    waitSubscribes(0, 1);
    m_ws->sendText(QStringLiteral("this is not JSON"));
    m_ws->sendText(QStringLiteral("[1,2,3]"));
    QJsonObject wrongType = transcript(1, QStringLiteral("x"));
    wrongType.insert(QStringLiteral("seq"), QStringLiteral("one"));
    m_ws->sendJson(wrongType);
    QJsonObject wrongText = transcript(1, QStringLiteral("x"));
    wrongText.insert(QStringLiteral("text"), 42);
    m_ws->sendJson(wrongText);
    m_ws->sendJson({{QStringLiteral("type"), QStringLiteral("surprise")}});
    m_ws->sendJson(transcript(1, QString(300 * 1024, QLatin1Char('a'))));
    m_ws->sendJson(transcript(1, QStringLiteral("good")));
    QTRY_COMPARE_WITH_TIMEOUT(delivered().size(), 1, 10000);
    QCOMPARE(delivered().at(0).line.text, QStringLiteral("good"));
    const StreamCounters c = m_stream->counters();
    QCOMPARE(c.malformedFrames, quint64(5));
    QCOMPARE(c.oversizedFrames, quint64(1));
    QCOMPARE(m_ws->connectionCount(), 1);
    QCOMPARE(m_stream->state(), StreamState::Connected);
    int dropLines = 0;
    for (const QString &line : std::as_const(g_log)) {
        if (line.startsWith(QLatin1String("switchboard.stream ")) &&
            line.contains(QLatin1String("dropped")))
            ++dropLines;
    }
    QCOMPARE(dropLines, 6);
}

void TestLiveStream::burstArrivesInFewBatches()
{
    const int count = 500;
    m_stream->subscribeCall(kCallId);
    startStream();
    waitSubscribes(0, 1);
    for (int seq = 1; seq <= count; ++seq)
        m_ws->sendJson(transcript(seq, QStringLiteral("chunk"), seq % 2 == 0, seq / 2 * 1000));
    QTRY_COMPARE_WITH_TIMEOUT(delivered().size(), count, 10000);
    const qsizetype batches = m_events->size();
    qInfo() << count << "events in" << batches << "batches";
    QVERIFY2(batches <= 5, qPrintable(QString::number(batches)));
    QCOMPARE(m_stream->counters().batchesDelivered, quint64(batches));
    qint64 expected = 1;
    for (const StreamEvent &e : delivered())
        QCOMPARE(e.seq, expected++);
}

void TestLiveStream::pacedEventsCoalescePerFrame()
{
    // One event every ~2 ms for a while: the GUI must see at most one batch per 16 ms frame.
    const int count = 150;
    m_stream->subscribeCall(kCallId);
    startStream();
    waitSubscribes(0, 1);
    QElapsedTimer span;
    span.start();
    for (int seq = 1; seq <= count; ++seq) {
        m_ws->sendJson(transcript(seq, QStringLiteral("chunk")));
        QTest::qWait(2); // pacing of the fake server, not an assertion
    }
    QTRY_COMPARE_WITH_TIMEOUT(delivered().size(), count, 10000);
    const qint64 frames = span.elapsed() / m_options.batchIntervalMs + 2;
    const qsizetype batches = m_events->size();
    qInfo() << count << "paced events in" << batches << "batches over" << span.elapsed() << "ms";
    QVERIFY2(batches <= frames, qPrintable(QStringLiteral("%1 > %2").arg(batches).arg(frames)));
    QVERIFY(batches < count / 2);
}

void TestLiveStream::stopGoesIdle()
{
    startStream();
    m_stream->stop();
    QTRY_COMPARE_WITH_TIMEOUT(m_stream->state(), StreamState::Idle, 10000);
    QTest::qWait(300);
    QCOMPARE(m_ws->connectionCount(), 1);
    QCOMPARE(m_stream->state(), StreamState::Idle);
}

QTEST_GUILESS_MAIN(TestLiveStream)
#include "tst_livestream.moc"
