// L500: hundreds of concurrent live calls streamed from switchboard-sim into the client for a
// minute, then the same stream read by a plain `ws` reader (bench/ws-floor) as the floor.
//
//   bench_live_stream [--calls 500] [--seconds 60] [--speed 2.5] [--no-floor]
//
// Prints events received, lost and duplicated (targets 0 and 0), frame-received→applied latency
// p50/p99 (target p99 <= 16 ms), server ts→applied p99 (target <= 100 ms), and CPU use.
#include "api/livestream.h"
#include "api/platform.h"
#include "api/session.h"
#include "api/transcriptassembler.h"
#include "simulatorprocess.h"
#include "testsupport.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QEventLoop>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTextStream>
#include <QTimer>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <vector>

using namespace sb::api;

namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

double cpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

qint64 steadyNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    const size_t at = std::min(values.size() - 1, size_t(p * double(values.size())));
    std::nth_element(values.begin(), values.begin() + long(at), values.end());
    return values[at];
}

//! What the benchmark's "model" does with each batch: transcripts per call, seq bookkeeping.
struct Sink
{
    QHash<QString, TranscriptAssembler> transcripts;
    QHash<QString, qint64> lastSeq;
    bool measuring = false;
    quint64 events = 0, lost = 0, duplicates = 0;
    std::vector<double> applyMs, serverMs;

    void apply(const QList<StreamEvent> &batch)
    {
        for (const StreamEvent &e : batch) {
            if (!e.isCallEvent())
                continue;
            qint64 &last = lastSeq[e.callId];
            if (e.seq <= last) {
                duplicates += measuring ? 1 : 0;
                continue;
            }
            if (last > 0 && e.seq > last + 1 && measuring)
                lost += quint64(e.seq - last - 1);
            last = e.seq;
            if (e.type == StreamEvent::Type::Transcript)
                transcripts[e.callId].merge(e.line, e.isFinal);
        }
        if (!measuring)
            return;
        // Applied = the whole batch is in the model.
        const qint64 appliedNs = steadyNs();
        const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
        for (const StreamEvent &e : batch) {
            if (!e.isCallEvent())
                continue;
            ++events;
            applyMs.push_back(double(appliedNs - e.receivedNs) / 1e6);
            if (e.serverTsMs > 0)
                serverMs.push_back(double(nowMs - e.serverTsMs));
        }
    }
};

void wait(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

QStringList liveCallIds(Platform *platform)
{
    // A live call is any call that has not ended yet: dialling, ringing or talking.
    QStringList ids;
    for (const CallStatus status :
         {CallStatus::Initiated, CallStatus::Ringing, CallStatus::InProgress}) {
        CallFilter filter;
        filter.status = status;
        Pager<Call> pager = platform->calls(filter, 100);
        while (pager.hasMore()) {
            std::optional<Result<Page<Call>>> page;
            QEventLoop loop;
            pager.fetchNext().onFinished(&loop, [&](const Result<Page<Call>> &r) {
                page.emplace(r);
                loop.quit();
            });
            loop.exec();
            if (!page->ok())
                break;
            for (const Call &c : page->value().items)
                ids << c.id;
        }
    }
    return ids;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption callsOption(QStringLiteral("calls"), QStringLiteral("live calls"),
                                         QStringLiteral("n"), QStringLiteral("500"));
    const QCommandLineOption secondsOption(QStringLiteral("seconds"), QStringLiteral("window"),
                                           QStringLiteral("s"), QStringLiteral("60"));
    const QCommandLineOption speedOption(QStringLiteral("speed"),
                                         QStringLiteral("simulator time compression"),
                                         QStringLiteral("x"), QStringLiteral("2.5"));
    const QCommandLineOption noFloorOption(QStringLiteral("no-floor"),
                                           QStringLiteral("skip the ws reader"));
    parser.addOptions({callsOption, secondsOption, speedOption, noFloorOption});
    parser.process(app);
    const int calls = parser.value(callsOption).toInt();
    const int seconds = parser.value(secondsOption).toInt();

    sb::app::SimulatorProcess sim;
    if (!sim.start({QStringLiteral("--history-calls"), QStringLiteral("200"),
                    QStringLiteral("--live-calls"), QString::number(calls),
                    QStringLiteral("--speed"), parser.value(speedOption)})) {
        out() << "simulator failed: " << sim.errorString() << Qt::endl;
        return 1;
    }
    sb::test::postAdmin(sim.adminUrl(), QStringLiteral("/rate-limit"),
                        {{QStringLiteral("limit"), 100000}});
    for (int i = 0; i < 100; ++i) {
        if (sb::test::getAdmin(sim.adminUrl(), QStringLiteral("/stats"))
                .value(QLatin1String("liveCalls"))
                .toInt() >= calls)
            break;
        wait(100);
    }

    Session session;
    session.setBaseUrl(sim.baseUrl());
    session.setApiKey(sim.key());
    Platform *platform = createPlatform(PlatformKind::Talknex, &session, &session);
    LiveStream stream(platform);
    Sink sink;
    QObject::connect(&stream, &LiveStream::eventsReady, &app,
                     [&sink](const QList<StreamEvent> &batch) { sink.apply(batch); });
    QObject::connect(&stream, &LiveStream::eventsReady, &app,
                     [&stream](const QList<StreamEvent> &batch) {
                         for (const StreamEvent &e : batch) {
                             if (e.type == StreamEvent::Type::CallStarted)
                                 stream.subscribeCall(e.call.id);
                         }
                     });
    // The floor reads the same stream at the same time (its own 3 s warm-up, then the same
    // window), so both see the same calls in the same phase of their lives.
    const bool floor = !parser.isSet(noFloorOption);
    QProcess node;
    if (floor) {
        const QString floorDir = QStringLiteral(SB_WS_FLOOR_DIR);
        QProcess install;
        install.start(floorDir + QStringLiteral("/install"), {});
        install.waitForFinished(300000);
        node.setWorkingDirectory(floorDir);
        node.start(QStringLiteral("node"),
                   {floorDir + QStringLiteral("/reader.mjs"), sim.baseUrl().toString(), sim.key(),
                    QString::number(seconds)});
    }
    stream.setCallsChannel(true);
    stream.start();
    const QStringList ids = liveCallIds(platform);
    for (const QString &id : ids)
        stream.subscribeCall(id);
    out() << "client subscribed to " << ids.size() << " live calls; warming up" << Qt::endl;
    wait(3000); // the replays of calls already running pass before measuring

    const quint64 dupDroppedBefore = stream.counters().duplicatesDropped;
    const quint64 gapsBefore = stream.counters().gapsDetected;
    const double cpu0 = cpuSeconds();
    const qint64 wall0 = steadyNs();
    sink.measuring = true;
    wait(seconds * 1000);
    sink.measuring = false;
    const double wallS = double(steadyNs() - wall0) / 1e9;
    const double cpuPercent = 100.0 * (cpuSeconds() - cpu0) / wallS;
    const StreamCounters counters = stream.counters();
    stream.stop();

    out() << "\n== L" << calls << ": " << calls << " live calls, " << seconds << " s window\n";
    out() << QStringLiteral("%1 %2 %3\n")
                 .arg(QStringLiteral("figure"), -34)
                 .arg(QStringLiteral("client"), 12)
                 .arg(QStringLiteral("target"), 12);
    auto row = [](const QString &name, const QString &value, const QString &target) {
        out() << QStringLiteral("%1 %2 %3\n").arg(name, -34).arg(value, 12).arg(target, 12);
    };
    row(QStringLiteral("events applied"), QString::number(sink.events), QString());
    row(QStringLiteral("events/s"), QString::number(double(sink.events) / wallS, 'f', 0),
        QStringLiteral("~2500"));
    row(QStringLiteral("lost (seq gaps)"), QString::number(sink.lost), QStringLiteral("0"));
    row(QStringLiteral("duplicated (reached the model)"), QString::number(sink.duplicates),
        QStringLiteral("0"));
    row(QStringLiteral("  dropped by seq before the model"),
        QString::number(counters.duplicatesDropped - dupDroppedBefore), QString());
    row(QStringLiteral("  gaps detected by the stream"),
        QString::number(counters.gapsDetected - gapsBefore), QString());
    row(QStringLiteral("frame→applied p50 (ms)"),
        QString::number(percentile(sink.applyMs, 0.5), 'f', 2), QString());
    row(QStringLiteral("frame→applied p99 (ms)"),
        QString::number(percentile(sink.applyMs, 0.99), 'f', 2), QStringLiteral("<= 16"));
    row(QStringLiteral("server ts→applied p50 (ms)"),
        QString::number(percentile(sink.serverMs, 0.5), 'f', 1), QString());
    row(QStringLiteral("server ts→applied p99 (ms)"),
        QString::number(percentile(sink.serverMs, 0.99), 'f', 1), QStringLiteral("<= 100"));
    row(QStringLiteral("client CPU (% of one core)"), QString::number(cpuPercent, 'f', 1),
        QString());
    row(QStringLiteral("malformed / oversized frames"),
        QStringLiteral("%1 / %2").arg(counters.malformedFrames).arg(counters.oversizedFrames),
        QString());
    const bool pass = sink.lost == 0 && sink.duplicates == 0 &&
                      percentile(sink.applyMs, 0.99) <= 16.0 &&
                      percentile(sink.serverMs, 0.99) <= 100.0;
    out() << "client verdict: " << (pass ? "PASS" : "FAIL") << Qt::endl;

    if (floor) {
        // waitForFinished() is false for a process that has already finished: check first.
        if (node.state() != QProcess::NotRunning)
            node.waitForFinished((seconds + 60) * 1000);
        if (node.state() != QProcess::NotRunning || node.exitCode() != 0) {
            out() << "ws floor reader failed: " << node.readAllStandardError() << Qt::endl;
        } else {
            const QJsonObject f =
                QJsonDocument::fromJson(node.readAllStandardOutput().trimmed()).object();
            out() << "\n== the same stream read by a plain `ws` reader (node), same run\n";
            row(QStringLiteral("events"), QString::number(f.value(QLatin1String("events")).toInt()),
                QString());
            row(QStringLiteral("events/s"),
                QString::number(f.value(QLatin1String("events")).toDouble() / seconds, 'f', 0),
                QString());
            row(QStringLiteral("lost (seq gaps) / duplicated"),
                QStringLiteral("%1 / %2")
                    .arg(f.value(QLatin1String("gaps")).toInt())
                    .arg(f.value(QLatin1String("duplicates")).toInt()),
                QString());
            row(QStringLiteral("frame→parsed p50 / p99 (ms)"),
                QStringLiteral("%1 / %2")
                    .arg(f.value(QLatin1String("applyP50Us")).toDouble() / 1000, 0, 'f', 3)
                    .arg(f.value(QLatin1String("applyP99Us")).toDouble() / 1000, 0, 'f', 3),
                QString());
            row(QStringLiteral("server ts→parsed p50 / p99 (ms)"),
                QStringLiteral("%1 / %2")
                    .arg(f.value(QLatin1String("serverP50Ms")).toDouble(), 0, 'f', 1)
                    .arg(f.value(QLatin1String("serverP99Ms")).toDouble(), 0, 'f', 1),
                QString());
            row(QStringLiteral("CPU (% of one core)"),
                QString::number(f.value(QLatin1String("cpuPercent")).toDouble(), 'f', 1),
                QString());
        }
    }
    out().flush();
    sim.stop();
    return 0;
}
