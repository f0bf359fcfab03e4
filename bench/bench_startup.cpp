// Start-up and memory of the console, each figure beside an empty Qt Widgets main window
// (bench/empty_window, same size, same flags, same display) measured in the same run.
//
//   bench_startup [--runs 10] [--settle 5] [--live-calls 200] [--live-seconds 10] [--no-cold]
//
// Needs a display (run it under tools/headless or xvfb-run -a -s "-screen 0 1600x1000x24"): the
// figure is the first paint on a real window system, not offscreen. Both programs report
// through app/startupprobe (SWITCHBOARD_STARTUP_REPORT=-): the first paint in ms since the
// kernel started the process, the first rows of the console's models, and RSS on request.
// Targets: start <= 2x the empty window, RSS <= 150 MB idle.
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <functional>
#include <vector>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

qint64 bootTimeNs()
{
    timespec now{};
    clock_gettime(CLOCK_BOOTTIME, &now);
    return qint64(now.tv_sec) * 1000000000 + now.tv_nsec;
}

void wait(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

//! VmRSS of another process, in kB; -1 when it is gone.
qint64 residentKbOf(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

//! The sum of the RSS of \a pid's children (switchboard --demo runs switchboard-sim).
qint64 childrenResidentKb(qint64 pid)
{
    QFile children(QStringLiteral("/proc/%1/task/%1/children").arg(pid));
    if (!children.open(QIODevice::ReadOnly))
        return -1;
    qint64 sum = 0;
    for (const QByteArray &child : children.readAll().simplified().split(' '))
        if (!child.isEmpty())
            sum += qMax<qint64>(0, residentKbOf(child.toLongLong()));
    return sum;
}

//! Files that \a pid and its children map (executable, libraries, Qt plugins, fonts, caches):
//! what their start reads from disk when nothing is cached.
QStringList mappedFiles(qint64 pid)
{
    QList<qint64> pids{pid};
    QFile children(QStringLiteral("/proc/%1/task/%1/children").arg(pid));
    if (children.open(QIODevice::ReadOnly)) {
        for (const QByteArray &child : children.readAll().simplified().split(' '))
            if (!child.isEmpty())
                pids << child.toLongLong();
    }
    QSet<QString> files;
    for (const qint64 p : std::as_const(pids)) {
        QFile maps(QStringLiteral("/proc/%1/maps").arg(p));
        if (!maps.open(QIODevice::ReadOnly))
            continue;
        for (const QByteArray &line : maps.readAll().split('\n')) {
            const qsizetype slash = line.indexOf(" /");
            if (slash < 0 || line.endsWith("(deleted)"))
                continue;
            const QString path = QString::fromLocal8Bit(line.mid(slash + 1));
            if (!path.startsWith(QLatin1String("/dev/")) &&
                !path.startsWith(QLatin1String("/proc/")))
                files.insert(path);
        }
    }
    return files.values();
}

//! Pages of \a files in the page cache, and (in \a total) their size in pages.
qint64 cachedPages(const QStringList &files, qint64 *total)
{
    const long page = sysconf(_SC_PAGESIZE);
    qint64 cached = 0;
    *total = 0;
    for (const QString &file : files) {
        const int fd = ::open(QFile::encodeName(file).constData(), O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue;
        struct stat info
        {};
        if (fstat(fd, &info) == 0 && info.st_size > 0) {
            void *map = mmap(nullptr, size_t(info.st_size), PROT_READ, MAP_SHARED, fd, 0);
            if (map != MAP_FAILED) {
                std::vector<unsigned char> resident(size_t((info.st_size + page - 1) / page));
                if (mincore(map, size_t(info.st_size), resident.data()) == 0) {
                    *total += qint64(resident.size());
                    cached += std::count_if(resident.begin(), resident.end(),
                                            [](unsigned char c) { return c & 1; });
                }
                munmap(map, size_t(info.st_size));
            }
        }
        ::close(fd);
    }
    return cached;
}

//! Asks the kernel to drop the cached pages of \a files (POSIX_FADV_DONTNEED): without root,
//! the nearest thing to a cold start of one program. Pages that a running process maps (the
//! bench's own QtCore, another engineer's Qt program) stay.
void evict(const QStringList &files)
{
    ::sync();
    for (const QString &file : files) {
        const int fd = ::open(QFile::encodeName(file).constData(), O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue;
        posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
        ::close(fd);
    }
}

QByteArray loadAverage()
{
    QFile file(QStringLiteral("/proc/loadavg"));
    if (!file.open(QIODevice::ReadOnly))
        return QByteArrayLiteral("?");
    const QList<QByteArray> fields = file.readAll().split(' ');
    return fields.mid(0, 3).join(", ");
}

//! The files under \a dir (the profile: settings, the demo's cache database).
QStringList filesUnder(const QString &dir)
{
    QStringList files;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << it.next();
    return files;
}

//! Time from launching switchboard-sim the way --demo does to its "ready" line.
double simulatorReadyMs(const QString &program)
{
    QProcess sim;
    const qint64 launch = bootTimeNs();
    sim.start(program,
              {QStringLiteral("--host"), QStringLiteral("127.0.0.1"), QStringLiteral("--port"),
               QStringLiteral("0"), QStringLiteral("--watch-stdin")});
    double readyMs = -1;
    QDeadlineTimer deadline(60000);
    while (readyMs < 0 && !deadline.hasExpired() && sim.state() != QProcess::NotRunning) {
        if (!sim.canReadLine())
            sim.waitForReadyRead(100);
        while (sim.canReadLine()) {
            if (sim.readLine().trimmed() == "ready")
                readyMs = double(bootTimeNs() - launch) / 1e6;
        }
    }
    sim.closeWriteChannel(); // --watch-stdin: it ends at end of input
    if (!sim.waitForFinished(10000)) {
        sim.kill();
        sim.waitForFinished(5000);
    }
    return readyMs;
}

//! One run of a program with the probe on: its report lines, parsed as they come.
class ProbedRun
{
public:
    ProbedRun(const QString &program, const QStringList &args, const QProcessEnvironment &env)
    {
        m_process.setProcessEnvironment(env);
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput, [this] { readLines(); });
        QObject::connect(&m_process, &QProcess::readyReadStandardError, [this] {
            m_stderr.append(m_process.readAllStandardError());
            m_stderr = m_stderr.right(2000);
        });
        m_launchNs = bootTimeNs();
        m_process.start(program, args);
    }
    ~ProbedRun() { quit(); }

    //! Runs the event loop until \a done, the process ends or \a timeoutMs pass.
    bool waitFor(const std::function<bool()> &done, int timeoutMs)
    {
        QEventLoop loop;
        QTimer poll;
        QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
            if (done() || m_process.state() == QProcess::NotRunning)
                loop.quit();
        });
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
        poll.start(5);
        if (!done())
            loop.exec();
        return done();
    }
    bool waitForPaint(int timeoutMs = 60000)
    {
        return waitFor([this] { return m_values.contains(QStringLiteral("first-paint-at-ns")); },
                       timeoutMs);
    }
    bool waitForRows(const QString &label, int timeoutMs)
    {
        return waitFor(
            [this, label] { return m_values.contains(QStringLiteral("first-rows-ms ") + label); },
            timeoutMs);
    }
    //! Asks for a report (RSS, rows); false when none came.
    bool report()
    {
        m_reportDone = false;
        m_process.write("report\n");
        return waitFor([this] { return m_reportDone; }, 10000);
    }
    void quit()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.write("quit\n");
        if (!m_process.waitForFinished(15000)) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    double value(const QString &key) const { return m_values.value(key, -1); }
    double firstPaintMs() const { return value(QStringLiteral("first-paint-ms")); }
    //! First paint on the bench's clock, from just before fork: a cross-check with ms resolution
    //! (the kernel's start time is kept in 10 ms ticks).
    double launcherPaintMs() const
    {
        const double at = value(QStringLiteral("first-paint-at-ns"));
        return at < 0 ? -1 : (at - double(m_launchNs)) / 1e6;
    }
    double sinceLaunchMs() const { return double(bootTimeNs() - m_launchNs) / 1e6; }
    qint64 pid() const { return m_process.processId(); }
    QString failure() const
    {
        return QStringLiteral("%1 (exit %2): %3")
            .arg(m_process.program())
            .arg(m_process.exitCode())
            .arg(QString::fromLocal8Bit(m_stderr).trimmed());
    }

private:
    void readLines()
    {
        m_stdout += m_process.readAllStandardOutput();
        qsizetype end;
        while ((end = m_stdout.indexOf('\n')) >= 0) {
            const QList<QByteArray> words = m_stdout.left(end).trimmed().split(' ');
            m_stdout.remove(0, end + 1);
            if (words.first() == "report-end") {
                m_reportDone = true;
            } else if (words.size() >= 2) {
                // "first-paint-ms 312.0", "first-rows-ms live 900.0", "rows live 200", "rss-kb
                // 1234"
                const QString key = QString::fromLatin1(words.mid(0, words.size() - 1).join(' '));
                m_values.insert(key, words.last().toDouble());
            }
        }
    }

    QProcess m_process;
    QByteArray m_stdout, m_stderr;
    QHash<QString, double> m_values;
    qint64 m_launchNs = 0;
    bool m_reportDone = false;
};

double percentile(QList<double> v, double p)
{
    if (v.isEmpty())
        return -1;
    std::sort(v.begin(), v.end());
    const int i = qBound(0, int(std::ceil(p / 100.0 * double(v.size()))) - 1, int(v.size()) - 1);
    return v.at(i);
}

QString ms(double v)
{
    return v < 0 ? QStringLiteral("-") : QString::number(v, 'f', 0) + QStringLiteral(" ms");
}

QString mib(double kb)
{
    return kb < 0 ? QStringLiteral("-")
                  : QString::number(kb / 1024, 'f', 0) + QStringLiteral(" MiB");
}

QString ratio(double a, double b)
{
    return a < 0 || b <= 0 ? QStringLiteral("-")
                           : QString::number(a / b, 'f', 2) + QLatin1Char('x');
}

//! Writes 3 to drop_caches (page cache, dentries, inodes) after a sync; false when not allowed.
bool dropCaches()
{
    ::sync();
    QFile control(QStringLiteral("/proc/sys/vm/drop_caches"));
    return control.open(QIODevice::WriteOnly) && control.write("3\n") == 2 && control.flush();
}

struct Row
{
    QString figure, app, floor, ratio, target, verdict;
};

void printTable(const QList<Row> &rows)
{
    const Row head{QStringLiteral("figure"),       QStringLiteral("switchboard"),
                   QStringLiteral("empty window"), QStringLiteral("ratio"),
                   QStringLiteral("target"),       QString()};
    int w[5] = {};
    for (const Row &r : rows + QList<Row>{head}) {
        w[0] = qMax(w[0], int(r.figure.size()));
        w[1] = qMax(w[1], int(r.app.size()));
        w[2] = qMax(w[2], int(r.floor.size()));
        w[3] = qMax(w[3], int(r.ratio.size()));
        w[4] = qMax(w[4], int(r.target.size()));
    }
    for (const Row &r : QList<Row>{head} + rows) {
        out() << r.figure.leftJustified(w[0]) << "  " << r.app.rightJustified(w[1]) << "  "
              << r.floor.rightJustified(w[2]) << "  " << r.ratio.rightJustified(w[3]) << "  "
              << r.target.leftJustified(w[4]) << "  " << r.verdict << '\n';
    }
    out() << Qt::flush;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption runsOption(QStringLiteral("runs"), QStringLiteral("warm runs of each"),
                                        QStringLiteral("n"), QStringLiteral("10"));
    const QCommandLineOption settleOption(
        QStringLiteral("settle"), QStringLiteral("seconds after the first paint before idle RSS"),
        QStringLiteral("s"), QStringLiteral("5"));
    const QCommandLineOption liveOption(QStringLiteral("live-calls"), QStringLiteral("live calls"),
                                        QStringLiteral("n"), QStringLiteral("200"));
    const QCommandLineOption liveSecondsOption(
        QStringLiteral("live-seconds"),
        QStringLiteral("seconds of streaming after the live rows arrived, before the second RSS"),
        QStringLiteral("s"), QStringLiteral("10"));
    const QCommandLineOption noColdOption(QStringLiteral("no-cold"),
                                          QStringLiteral("skip dropping the page cache"));
    parser.addOptions({runsOption, settleOption, liveOption, liveSecondsOption, noColdOption});
    parser.process(app);
    const int runs = qMax(1, parser.value(runsOption).toInt());
    const int settleMs = parser.value(settleOption).toInt() * 1000;
    const int liveCalls = parser.value(liveOption).toInt();
    const int liveSeconds = parser.value(liveSecondsOption).toInt();

    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") &&
        qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        out() << "bench_startup needs a display: run it under tools/headless or "
                 "xvfb-run -a -s \"-screen 0 1600x1000x24\"."
              << Qt::endl;
        return 2;
    }
    const QString switchboard = QStringLiteral(SB_SWITCHBOARD_PATH);
    const QString empty = QStringLiteral(SB_EMPTY_WINDOW_PATH);

    // Both start from the same fresh profile folders (settings, demo cache), kept across runs:
    // a warm start finds what the previous run left, as a person's second start would.
    QTemporaryDir home;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("SWITCHBOARD_STARTUP_REPORT"), QStringLiteral("-"));
    for (const char *dir : {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"}) {
        const QString path = home.filePath(QString::fromLatin1(dir));
        QDir().mkpath(path);
        env.insert(QString::fromLatin1(dir), path);
    }
    const QStringList demo{QStringLiteral("--demo")};
    const QByteArray loadBefore = loadAverage();
    // The console without a profile (its own folders, never given one): the window alone,
    // without the simulator --demo starts and waits for before the event loop runs.
    QTemporaryDir bareHome;
    QProcessEnvironment bare = env;
    for (const char *dir : {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"}) {
        const QString path = bareHome.filePath(QString::fromLatin1(dir));
        QDir().mkpath(path);
        bare.insert(QString::fromLatin1(dir), path);
    }

    // 0. Prime: the first start ever syncs the demo history into an empty cache. Both runs
    // also tell which files each program maps, for the cold start.
    double firstEverMs = -1;
    QStringList appFiles, emptyFiles;
    {
        ProbedRun run(switchboard, demo, env);
        if (!run.waitForPaint() || !run.waitForRows(QStringLiteral("agents"), 30000)) {
            out() << "switchboard did not paint or load: " << run.failure() << Qt::endl;
            return 1;
        }
        firstEverMs = run.firstPaintMs();
        wait(3000); // let the first sync of the history finish writing the cache
        appFiles = mappedFiles(run.pid()) + filesUnder(home.path());
    }
    {
        ProbedRun run(empty, {}, env);
        run.waitForPaint();
        emptyFiles = mappedFiles(run.pid());
    }

    // 1. Cold: the page cache dropped (root, where the kernel lets us), else each program's
    // files evicted from it just before its start.
    double coldApp = -1, coldEmpty = -1;
    QString coldLabel, coldNote;
    if (!parser.isSet(noColdOption)) {
        const bool dropped = dropCaches();
        auto cold = [&](const QString &program, const QStringList &args, const QStringList &files,
                        double *paintMs) -> QString {
            if (dropped)
                dropCaches();
            else
                evict(files);
            qint64 total = 0;
            const qint64 cached = cachedPages(files, &total);
            ProbedRun run(program, args, env);
            run.waitForPaint();
            *paintMs = run.firstPaintMs();
            run.waitForRows(QStringLiteral("agents"), 30000);
            const double mb = double(total) * double(sysconf(_SC_PAGESIZE)) / 1048576.0;
            const double percent = total ? 100.0 * double(cached) / double(total) : 0;
            return QStringLiteral("%1: %2% of its %3 files (%4 MiB) still cached at launch")
                .arg(QFileInfo(program).fileName())
                .arg(percent, 0, 'f', 0)
                .arg(files.size())
                .arg(mb, 0, 'f', 0);
        };
        const QString emptyNote = cold(empty, {}, emptyFiles, &coldEmpty);
        const QString appNote = cold(switchboard, demo, appFiles, &coldApp);
        coldLabel = dropped ? QStringLiteral("cold start → first paint (page cache dropped)")
                            : QStringLiteral("cold start → first paint (files evicted)");
        coldNote = emptyNote + QStringLiteral("; ") + appNote;
    } else {
        coldLabel = QStringLiteral("cold start: not measured (--no-cold)");
    }

    // 2. Warm: interleaved, so that whatever else the machine does weighs on both alike.
    QList<double> bareStarted, appStarted, appPaint, appLauncher, appAgents, emptyPaint,
        emptyLauncher, barePaint, simReady;
    const QString simulator = QStringLiteral(SB_SIMULATOR_PATH);
    for (int i = 0; i < runs; ++i) {
        {
            ProbedRun run(empty, {}, env);
            if (run.waitForPaint()) {
                emptyPaint << run.firstPaintMs();
                emptyLauncher << run.launcherPaintMs();
            }
        }
        {
            ProbedRun run(switchboard, {}, bare);
            if (run.waitForPaint()) {
                barePaint << run.firstPaintMs();
                bareStarted << run.value(QStringLiteral("started-ms"));
            }
        }
        simReady << simulatorReadyMs(simulator);
        ProbedRun run(switchboard, demo, env);
        if (!run.waitForPaint()) {
            out() << "run " << i << ": no paint: " << run.failure() << Qt::endl;
            continue;
        }
        appPaint << run.firstPaintMs();
        appStarted << run.value(QStringLiteral("started-ms"));
        appLauncher << run.launcherPaintMs();
        if (run.waitForRows(QStringLiteral("agents"), 30000))
            appAgents << run.value(QStringLiteral("first-rows-ms agents"));
        out() << "warm run " << i + 1 << ": empty " << ms(emptyPaint.value(i, -1))
              << ", switchboard --demo " << ms(appPaint.last()) << " (agents listed at "
              << ms(appAgents.value(i, -1)) << "), without a profile " << ms(barePaint.value(i, -1))
              << ", simulator ready " << ms(simReady.last()) << Qt::endl;
    }

    // 3. RSS idle: settled a few seconds after the first paint (and the first agent rows).
    double rssApp = -1, rssEmpty = -1, rssSim = -1;
    {
        ProbedRun run(empty, {}, env);
        run.waitForPaint();
        wait(settleMs);
        if (run.report())
            rssEmpty = run.value(QStringLiteral("rss-kb"));
    }
    {
        ProbedRun run(switchboard, demo, env);
        run.waitForPaint();
        run.waitForRows(QStringLiteral("agents"), 30000);
        wait(settleMs);
        if (run.report())
            rssApp = run.value(QStringLiteral("rss-kb"));
        rssSim = double(childrenResidentKb(run.pid()));
    }

    // 4. RSS with the Live pane showing liveCalls calls, then after liveSeconds more of them.
    double rssLive = -1, rssLiveLater = -1, liveRowsMs = -1, liveRows = -1, rssLiveSim = -1;
    {
        ProbedRun run(switchboard,
                      demo + QStringList{QStringLiteral("--demo-live-calls"),
                                         QString::number(liveCalls), QStringLiteral("--pane"),
                                         QStringLiteral("live")},
                      env);
        run.waitForPaint();
        // Ask every quarter second until the model holds them all (the report counts its rows).
        QElapsedTimer clock;
        clock.start();
        bool full = false;
        while (!full && clock.elapsed() < 90000 && run.report()) {
            full = run.value(QStringLiteral("rows live")) >= liveCalls;
            if (!full)
                wait(250);
        }
        liveRows = run.value(QStringLiteral("rows live"));
        if (full) {
            liveRowsMs = run.sinceLaunchMs();
            rssLive = run.value(QStringLiteral("rss-kb"));
            wait(liveSeconds * 1000);
            if (run.report())
                rssLiveLater = run.value(QStringLiteral("rss-kb"));
            rssLiveSim = double(childrenResidentKb(run.pid()));
        } else {
            out() << "the live model never reached " << liveCalls << " rows (last: " << liveRows
                  << ")" << Qt::endl;
        }
    }

    out() << "\n== startup: switchboard --demo beside an empty QMainWindow (1400x880), same run\n";
    QList<Row> table;
    // A figure beside the empty window's (-1: none), their ratio, the target and the verdict.
    auto add = [&table](const QString &figure, double value, double floor,
                        QString (*format)(double), const QString &target = QStringLiteral("-"),
                        bool ok = true) {
        const bool judged = target != QLatin1String("-") && value >= 0;
        table << Row{figure,
                     format(value),
                     format(floor),
                     ratio(value, floor),
                     target,
                     !judged ? QString() : ok ? QStringLiteral("ok") : QStringLiteral("MISSED")};
    };
    const QString twice = QStringLiteral("<= 2x empty");
    const double emptyMedian = percentile(emptyPaint, 50);
    const double appMedian = percentile(appPaint, 50);
    add(coldLabel, coldApp, coldEmpty, ms, twice, coldApp <= 2 * coldEmpty);
    add(QStringLiteral("warm start → first paint, median of %1").arg(appPaint.size()), appMedian,
        emptyMedian, ms, twice, appMedian <= 2 * emptyMedian);
    add(QStringLiteral("warm start → first paint, p90"), percentile(appPaint, 90),
        percentile(emptyPaint, 90), ms);
    add(QStringLiteral("  same, bench's clock from fork, median"), percentile(appLauncher, 50),
        percentile(emptyLauncher, 50), ms);
    add(QStringLiteral("  switchboard without a profile (window alone), median"),
        percentile(barePaint, 50), emptyMedian, ms);
    add(QStringLiteral("    its start() returned (window built, shown), median"),
        percentile(bareStarted, 50), -1, ms);
    add(QStringLiteral("  switchboard --demo: start() returned, median"),
        percentile(appStarted, 50), -1, ms);
    add(QStringLiteral("  switchboard-sim start → ready (--demo waits), median"),
        percentile(simReady, 50), -1, ms);
    add(QStringLiteral("warm start → first agent rows, median"), percentile(appAgents, 50), -1, ms);
    add(QStringLiteral("first start ever (empty profile) → first paint"), firstEverMs, -1, ms);
    add(QStringLiteral("RSS idle (%1 s after start)").arg(settleMs / 1000), rssApp, rssEmpty, mib,
        QStringLiteral("<= 150 MB"), rssApp * 1024 <= 150e6);
    add(QStringLiteral("  switchboard-sim child (not counted)"), rssSim, -1, mib);
    add(QStringLiteral("RSS, Live pane with %1 calls").arg(liveCalls), rssLive, rssEmpty, mib);
    add(QStringLiteral("RSS, %1 s later (still %2 live)").arg(liveSeconds).arg(liveCalls),
        rssLiveLater, rssEmpty, mib);
    add(QStringLiteral("  switchboard-sim child (not counted)"), rssLiveSim, -1, mib);
    add(QStringLiteral("start → %1 live rows in the model (polled every 250 ms)").arg(liveCalls),
        liveRowsMs, -1, ms);
    printTable(table);
    out() << "load average (1, 5, 15 min) before: " << loadBefore << ", after: " << loadAverage()
          << " on " << sysconf(_SC_NPROCESSORS_ONLN) << " CPUs\n";
    if (!coldNote.isEmpty())
        out() << "cold: " << coldNote << " (pages mapped by running processes cannot be dropped)"
              << Qt::endl;
    return 0;
}
