// Pulls a large call history from switchboard-sim through the client library and compares it
// with curl fetching exactly the same pages in the same run.
//
//   bench_history_pull [--calls 100000] [--paced-pages 150] [--page-size 100]
//
// Phase 1 (throughput): the simulator announces a high per-minute limit, the client follows
// it; client time vs curl time for the same URLs (target <= 1.2x), 429s received (target 0).
// Phase 2 (paced): the simulator's real 100/min limit; the client must stay under it on its
// own: requests used and 429s received (target 0), and the effective rate.
#include "api/platform.h"
#include "api/session.h"
#include "simulatorprocess.h"
#include "testsupport.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTextStream>
#include <QUrlQuery>

#include <cstdio>
#include <optional>

using namespace sb::api;

namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

struct PullResult
{
    int pages = 0;
    int calls = 0;
    double seconds = 0;
    QStringList cursors; //!< cursor used for each page ("" for the first)
    QString error;
};

PullResult pull(Platform *platform, int pageSize, int maxPages, Lane lane)
{
    PullResult result;
    Pager<Call> pager = platform->calls({}, pageSize, lane);
    QElapsedTimer timer;
    timer.start();
    while (pager.hasMore() && (maxPages <= 0 || result.pages < maxPages)) {
        result.cursors << pager.cursor();
        std::optional<Result<Page<Call>>> page;
        QEventLoop loop;
        pager.fetchNext().onFinished(&loop, [&](const Result<Page<Call>> &r) {
            page.emplace(r);
            loop.quit();
        });
        loop.exec();
        if (!page->ok()) {
            result.error = page->error().details();
            break;
        }
        result.calls += int(page->value().items.size());
        ++result.pages;
    }
    result.seconds = double(timer.nsecsElapsed()) / 1e9;
    return result;
}

double curlSeconds(const QUrl &base, const QString &key, int pageSize, const QStringList &cursors,
                   QString *error)
{
    // One curl process, one keep-alive connection, pages one after another: the plain floor.
    QTemporaryDir dir;
    QFile config(dir.filePath(QStringLiteral("curl.cfg")));
    if (!config.open(QIODevice::WriteOnly)) {
        *error = QStringLiteral("cannot write curl config");
        return -1;
    }
    QTextStream cfg(&config);
    cfg << "silent\nfail\nheader = \"Authorization: Bearer " << key << "\"\n";
    for (const QString &cursor : cursors) {
        QUrl url(base.toString() + QStringLiteral("/calls"));
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("limit"), QString::number(pageSize));
        if (!cursor.isEmpty())
            query.addQueryItem(QStringLiteral("cursor"), cursor);
        url.setQuery(query);
        cfg << "url = \"" << url.toString(QUrl::FullyEncoded) << "\"\noutput = \"/dev/null\"\n";
    }
    cfg.flush();
    config.close();
    QProcess curl;
    QElapsedTimer timer;
    timer.start();
    curl.start(QStringLiteral("curl"), {QStringLiteral("-K"), config.fileName()});
    if (!curl.waitForFinished(600000) || curl.exitCode() != 0) {
        *error =
            QStringLiteral("curl failed: ") + QString::fromLocal8Bit(curl.readAllStandardError());
        return -1;
    }
    return double(timer.nsecsElapsed()) / 1e9;
}

int statsValue(const sb::app::SimulatorProcess &sim, const char *name)
{
    return sb::test::getAdmin(sim.adminUrl(), QStringLiteral("/stats"))
        .value(QLatin1String(name))
        .toInt();
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption callsOption(QStringLiteral("calls"), QStringLiteral("history size"),
                                         QStringLiteral("n"), QStringLiteral("100000"));
    const QCommandLineOption pacedOption(
        QStringLiteral("paced-pages"),
        QStringLiteral("pages to pull under the real limit (0 skips)"), QStringLiteral("n"),
        QStringLiteral("150"));
    const QCommandLineOption sizeOption(QStringLiteral("page-size"),
                                        QStringLiteral("limit per page"), QStringLiteral("n"),
                                        QStringLiteral("100"));
    parser.addOptions({callsOption, pacedOption, sizeOption});
    parser.process(app);
    const int calls = parser.value(callsOption).toInt();
    const int pacedPages = parser.value(pacedOption).toInt();
    const int pageSize = parser.value(sizeOption).toInt();

    sb::app::SimulatorProcess sim;
    QElapsedTimer startTimer;
    startTimer.start();
    if (!sim.start({QStringLiteral("--history-calls"), QString::number(calls)}, 180000)) {
        out() << "simulator failed: " << sim.errorString() << Qt::endl;
        return 1;
    }
    out() << "simulator with " << calls << " calls ready in " << startTimer.elapsed() << " ms"
          << Qt::endl;

    Session session;
    session.setBaseUrl(sim.baseUrl());
    session.setApiKey(sim.key());
    Platform *platform = createPlatform(PlatformKind::Talknex, &session, &session);

    // Phase 1: throughput against a generous announced limit.
    sb::test::postAdmin(sim.adminUrl(), QStringLiteral("/rate-limit"),
                        {{QStringLiteral("limit"), 1000000}});
    const int requestsBefore = statsValue(sim, "requests");
    const int limitedBefore = statsValue(sim, "rateLimited");
    const PullResult full = pull(platform, pageSize, 0, Lane::Background);
    // Admin requests (/_sim/stats) are not counted by the simulator.
    const int requestsUsed = statsValue(sim, "requests") - requestsBefore;
    const int limited = statsValue(sim, "rateLimited") - limitedBefore;
    if (!full.error.isEmpty()) {
        out() << "client pull failed: " << full.error << Qt::endl;
        return 1;
    }
    QString curlError;
    const double curl = curlSeconds(sim.baseUrl(), sim.key(), pageSize, full.cursors, &curlError);
    if (curl < 0) {
        out() << curlError << Qt::endl;
        return 1;
    }
    const double ratio = full.seconds / curl;
    // The history is shared by the simulator's organizations; the demo key sees its own share.
    out() << "\n== full history pull (" << full.calls << " calls of the demo organization, "
          << full.pages << " pages of " << pageSize << ")\n";
    out() << QStringLiteral(
                 "  client:  %1 s, %2 requests at the server, %3 answered 429 (target 0)\n")
                 .arg(full.seconds, 0, 'f', 2)
                 .arg(requestsUsed)
                 .arg(limited);
    out() << QStringLiteral("  curl:    %1 s for the same %2 pages\n")
                 .arg(curl, 0, 'f', 2)
                 .arg(full.cursors.size());
    out() << QStringLiteral("  ratio:   %1x client/curl (target <= 1.20): %2\n")
                 .arg(ratio, 0, 'f', 2)
                 .arg(ratio <= 1.2 && limited == 0 && full.error.isEmpty()
                          ? QStringLiteral("PASS")
                          : QStringLiteral("FAIL"));

    if (pacedPages > 0) {
        // Phase 2: the real limit. A fresh session starts from the default assumption (100/min).
        sb::test::postAdmin(sim.adminUrl(), QStringLiteral("/rate-limit"),
                            {{QStringLiteral("limit"), 100}});
        Session paced;
        paced.setBaseUrl(sim.baseUrl());
        paced.setApiKey(sim.keysOf(sim.orgIds().first()).value(1)); // a key with a fresh window
        Platform *pacedPlatform = createPlatform(PlatformKind::Talknex, &paced, &paced);
        const int reqBefore = statsValue(sim, "requests");
        const int limBefore = statsValue(sim, "rateLimited");
        const PullResult slow = pull(pacedPlatform, pageSize, pacedPages, Lane::Background);
        const int used = statsValue(sim, "requests") - reqBefore;
        const int lim = statsValue(sim, "rateLimited") - limBefore;
        out() << "\n== paced pull under the server's 100/min limit (" << slow.pages << " pages)\n";
        out() << QStringLiteral("  %1 requests at the server, %2 answered 429 (target 0), %3 s, "
                                "%4 requests/min: %5\n")
                     .arg(used)
                     .arg(lim)
                     .arg(slow.seconds, 0, 'f', 1)
                     .arg(slow.pages / slow.seconds * 60.0, 0, 'f', 1)
                     .arg(lim == 0 && slow.error.isEmpty() ? QStringLiteral("PASS")
                                                           : QStringLiteral("FAIL"));
        if (!slow.error.isEmpty())
            out() << "  error: " << slow.error << "\n";
    }
    out().flush();
    sim.stop();
    return 0;
}
