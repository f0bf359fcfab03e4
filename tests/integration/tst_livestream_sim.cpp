// The client's live stream against the real simulator's live engine over loopback sockets:
// whole transcripts in order, recovery after a dropped socket with nothing lost or doubled,
// a stalled socket detected, a bad key that stops retrying, malformed frames survived, and a
// replay the server cannot give filled from REST.
#include "clientfixture.h"
#include "testsupport.h"

#include "api/livestream.h"
#include "api/transcriptassembler.h"

#include <QHash>
#include <QSignalSpy>
#include <QTest>

using namespace sb::api;
using sb::test::await;

namespace {

//! What one test saw of the stream: per-call transcripts and seqs, the calls channel.
struct Observer
{
    QHash<QString, TranscriptAssembler> transcripts;
    QHash<QString, QList<qint64>> seqs;
    QHash<QString, CallStatus> finalStatus;
    QStringList started;
    int events = 0;

    void attach(LiveStream &stream, QObject *context)
    {
        QObject::connect(&stream, &LiveStream::eventsReady, context,
                         [this](const QList<StreamEvent> &batch) { apply(batch); });
        QObject::connect(
            &stream, &LiveStream::snapshotReady, context, [this](const CallSnapshot &snapshot) {
                transcripts[snapshot.callId].mergeSnapshot(snapshot.details.transcript);
                if (isFinal(snapshot.details.call.status))
                    finalStatus.insert(snapshot.callId, snapshot.details.call.status);
            });
    }

    static bool isFinal(CallStatus s)
    {
        return s == CallStatus::Completed || s == CallStatus::Failed || s == CallStatus::NoAnswer ||
               s == CallStatus::Busy || s == CallStatus::Canceled;
    }

    void apply(const QList<StreamEvent> &batch)
    {
        for (const StreamEvent &e : batch) {
            ++events;
            if (e.type == StreamEvent::Type::CallStarted)
                started.append(e.call.id);
            if (!e.isCallEvent())
                continue;
            seqs[e.callId].append(e.seq);
            if (e.type == StreamEvent::Type::Transcript)
                transcripts[e.callId].merge(e.line, e.isFinal);
            else if (e.type == StreamEvent::Type::Status && isFinal(e.status))
                finalStatus.insert(e.callId, e.status);
        }
    }
};

QString describe(const QList<TranscriptLine> &lines)
{
    QString out;
    for (const TranscriptLine &l : lines)
        out += QStringLiteral("%1 [%2-%3] %4\n")
                   .arg(int(l.role))
                   .arg(l.startMs)
                   .arg(l.endMs)
                   .arg(l.text);
    return out;
}

} // namespace

class TestLiveStreamSim : public QObject
{
    Q_OBJECT
    sb::app::SimulatorProcess m_sim;
    std::unique_ptr<Session> m_session;
    Platform *m_platform = nullptr;

    void makeClient(const QString &key)
    {
        m_session = std::make_unique<Session>();
        QVERIFY(!m_session->setBaseUrl(m_sim.baseUrl()).isError());
        m_session->setApiKey(key);
        m_platform = createPlatform(PlatformKind::Talknex, m_session.get(), m_session.get());
    }

    void streamFaults(const QJsonObject &faults)
    {
        QCOMPARE(sb::test::postAdmin(m_sim.adminUrl(), QStringLiteral("/stream/faults"), faults),
                 204);
    }

    //! The REST transcript of a finished call must equal what the stream assembled.
    void compareWithRest(const QString &callId, const TranscriptAssembler &assembled)
    {
        const auto details = await(m_platform->callDetails(callId));
        QVERIFY2(details.ok(), qPrintable(details.error().details()));
        const QList<TranscriptLine> streamed = assembled.finalLines();
        const QList<TranscriptLine> &rest = details->transcript;
        QVERIFY2(!rest.isEmpty(), "a completed call has a transcript");
        QVERIFY2(
            streamed.size() == rest.size(),
            qPrintable(
                QStringLiteral("stream:\n%1\nrest:\n%2").arg(describe(streamed), describe(rest))));
        for (int i = 0; i < rest.size(); ++i) {
            QCOMPARE(streamed.at(i).role, rest.at(i).role);
            QCOMPARE(streamed.at(i).text, rest.at(i).text);
            QCOMPARE(streamed.at(i).startMs, rest.at(i).startMs);
            QCOMPARE(streamed.at(i).endMs, rest.at(i).endMs);
        }
        // Every line the stream showed became final: no interim text left behind.
        QCOMPARE(assembled.size(), int(streamed.size()));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_sim.start({QStringLiteral("--history-calls"), QStringLiteral("20"),
                              QStringLiteral("--live-calls"), QStringLiteral("6"),
                              QStringLiteral("--speed"), QStringLiteral("25")}),
                 qPrintable(m_sim.errorString()));
    }

    void init()
    {
        streamFaults({{QStringLiteral("dropRate"), 0},
                      {QStringLiteral("stallRate"), 0},
                      {QStringLiteral("malformedRate"), 0}});
        makeClient(m_sim.key());
    }

    void cleanup()
    {
        m_platform = nullptr;
        m_session.reset();
    }

    void wholeTranscriptInOrder()
    {
        LiveStream stream(m_platform);
        Observer seen;
        seen.attach(stream, this);
        stream.setCallsChannel(true);
        stream.start();
        QTRY_VERIFY_WITH_TIMEOUT(!seen.started.isEmpty(), 30000);
        const QString callId = seen.started.first();
        stream.subscribeCall(callId);
        QTRY_VERIFY_WITH_TIMEOUT(seen.finalStatus.contains(callId), 120000);

        // Replayed from the start, then live: seq 1, 2, 3 ... with nothing doubled or skipped.
        const QList<qint64> seqs = seen.seqs.value(callId);
        QVERIFY(!seqs.isEmpty());
        for (int i = 0; i < seqs.size(); ++i)
            QCOMPARE(seqs.at(i), qint64(i + 1));
        compareWithRest(callId, seen.transcripts.value(callId));
        QCOMPARE(stream.counters().gapsDetected, quint64(0));
        QCOMPARE(stream.counters().malformedFrames, quint64(0));
    }

    void droppedSocketLosesNothing()
    {
        LiveStream stream(m_platform);
        StreamOptions options;
        options.reconnectBaseMs = 100;
        stream.setOptions(options);
        Observer seen;
        seen.attach(stream, this);
        stream.setCallsChannel(true);
        stream.start();
        QTRY_VERIFY_WITH_TIMEOUT(!seen.started.isEmpty(), 30000);
        const QString callId = seen.started.last();
        stream.subscribeCall(callId);
        // Drop the socket mid-call, twice, once the call has said something.
        QTRY_VERIFY_WITH_TIMEOUT(seen.transcripts.value(callId).size() >= 2, 60000);
        streamFaults({{QStringLiteral("dropAll"), true}});
        QTRY_VERIFY_WITH_TIMEOUT(
            stream.counters().reconnects >= 1 && stream.state() == StreamState::Connected, 30000);
        const int linesBefore = seen.transcripts.value(callId).size();
        QTRY_VERIFY_WITH_TIMEOUT(seen.transcripts.value(callId).size() > linesBefore ||
                                     seen.finalStatus.contains(callId),
                                 60000);
        streamFaults({{QStringLiteral("dropAll"), true}});
        QTRY_VERIFY_WITH_TIMEOUT(seen.finalStatus.contains(callId), 120000);

        compareWithRest(callId, seen.transcripts.value(callId));
        QVERIFY(stream.counters().reconnects >= 2);
        // Whatever was replayed twice was dropped by seq before it reached us.
        QList<qint64> seqs = seen.seqs.value(callId);
        QSet<qint64> unique(seqs.begin(), seqs.end());
        QCOMPARE(int(unique.size()), int(seqs.size()));
    }

    void stalledSocketIsDeclaredDead()
    {
        LiveStream stream(m_platform);
        StreamOptions options;
        options.pingIntervalMs = 300;
        options.deadTimeoutMs = 1500;
        options.reconnectBaseMs = 100;
        stream.setOptions(options);
        stream.setCallsChannel(true);
        stream.start();
        QTRY_COMPARE_WITH_TIMEOUT(stream.state(), StreamState::Connected, 30000);
        QSignalSpy states(&stream, &LiveStream::stateChanged);
        streamFaults({{QStringLiteral("stallMs"), 4000}});
        // Silent for longer than the dead timeout: the client gives up on it and reconnects.
        QTRY_VERIFY_WITH_TIMEOUT(stream.counters().reconnects >= 1, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(stream.state(), StreamState::Connected, 30000);
        QVERIFY(states.count() >= 2);
    }

    void badKeyStopsRetrying()
    {
        makeClient(QStringLiteral("tnx_live_not_a_key"));
        LiveStream stream(m_platform);
        StreamOptions options;
        options.reconnectBaseMs = 50;
        stream.setOptions(options);
        QSignalSpy rejected(&stream, &LiveStream::credentialRejected);
        stream.setCallsChannel(true);
        stream.start();
        QTRY_COMPARE_WITH_TIMEOUT(rejected.count(), 1, 30000);
        QCOMPARE(stream.state(), StreamState::Unauthorized);
        QTest::qWait(1000); // longer than many backoff rounds: nothing may happen in it
        QCOMPARE(stream.counters().reconnects, quint64(0));
        QCOMPARE(stream.state(), StreamState::Unauthorized);
        QCOMPARE(rejected.count(), 1);
    }

    void malformedFramesAreSurvived()
    {
        LiveStream stream(m_platform);
        Observer seen;
        seen.attach(stream, this);
        stream.setCallsChannel(true);
        stream.start();
        QTRY_VERIFY_WITH_TIMEOUT(!seen.started.isEmpty(), 30000);
        stream.subscribeCall(seen.started.last());
        QTRY_VERIFY_WITH_TIMEOUT(seen.events > 3, 30000);
        streamFaults({{QStringLiteral("malformedNext"), 3}});
        const int before = seen.events;
        QTRY_VERIFY_WITH_TIMEOUT(stream.counters().malformedFrames >= 3, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(seen.events > before + 3, 30000);
        QCOMPARE(stream.counters().reconnects, quint64(0));
        QCOMPARE(stream.state(), StreamState::Connected);
    }

    void replayImpossibleIsFilledFromRest()
    {
        // A server that keeps only a few events per call cannot replay from the start: the
        // client must notice and fetch the call by REST, and still end with the whole transcript.
        sb::app::SimulatorProcess small;
        QVERIFY2(small.start({QStringLiteral("--history-calls"), QStringLiteral("10"),
                              QStringLiteral("--live-calls"), QStringLiteral("2"),
                              QStringLiteral("--speed"), QStringLiteral("25"),
                              QStringLiteral("--replay-limit"), QStringLiteral("5")}),
                 qPrintable(small.errorString()));
        Session session;
        QVERIFY(!session.setBaseUrl(small.baseUrl()).isError());
        session.setApiKey(small.key());
        Platform *platform = createPlatform(PlatformKind::Talknex, &session, &session);
        LiveStream stream(platform);
        Observer seen;
        seen.attach(stream, this);
        QSignalSpy snapshots(&stream, &LiveStream::snapshotReady);
        stream.setCallsChannel(true);
        stream.start();
        QTRY_VERIFY_WITH_TIMEOUT(!seen.started.isEmpty(), 30000);
        const QString callId = seen.started.first();
        // Wait until the call has said more than the server keeps, then ask from seq 1.
        QTRY_VERIFY_WITH_TIMEOUT(
            await(platform->callDetails(callId)).value().transcript.size() >= 4, 60000);
        stream.subscribeCall(callId, 1);
        QTRY_VERIFY_WITH_TIMEOUT(snapshots.count() >= 1, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(seen.finalStatus.contains(callId), 120000);
        // A last snapshot after the end settles it; then it must equal REST.
        QTRY_VERIFY_WITH_TIMEOUT(seen.transcripts.value(callId).finalLines().size() ==
                                     await(platform->callDetails(callId)).value().transcript.size(),
                                 30000);
        const auto details = await(platform->callDetails(callId));
        QVERIFY(details.ok());
        QCOMPARE(seen.transcripts.value(callId).finalLines().size(), details->transcript.size());
    }
};

QTEST_GUILESS_MAIN(TestLiveStreamSim)
#include "tst_livestream_sim.moc"
