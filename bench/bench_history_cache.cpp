// The call history over the local cache at a million calls, beside the sqlite3 CLI running the
// same SQL on the same file in the same run.
//
//   bench_history_cache [--calls 1000000] [--transcripts 100000] [--rounds 5] [--file F] [--keep]
//
// Phase 1 (a child process, so that phase 2 starts with a fresh heap): generate the calls and
// transcripts straight into a cache file through CallCache::storeCalls/storeDetails; ingest
// calls/s (target >= 50,000). Floor: the CLI copying the same rows into the same schema.
// Phase 2: open the cache and the history model in an offscreen QTableView and time the first
// paint (<= 200 ms), filter changes (p95 <= 100 ms), sort changes (<= 300 ms), FTS queries over
// the transcripts (p95 <= 150 ms) and RSS with the history open (<= 300 MB).
#include "cachetestdata.h"
#include "models/callcache.h"
#include "models/callhistorymodel.h"
#include "models/historyfilter.h"
#include "models/searchmodel.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QHeaderView>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextStream>

#include <algorithm>
#include <functional>

using namespace sb::api;
using namespace sb::models;

namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

double percentile(QList<double> v, double p)
{
    if (v.isEmpty())
        return 0;
    std::sort(v.begin(), v.end());
    const int i = qBound(0, int(std::ceil(p / 100.0 * v.size())) - 1, int(v.size()) - 1);
    return v.at(i);
}

qint64 rssKb(const char *field = "VmRSS:")
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(int(qstrlen(field))).trimmed().split(' ').first().toLongLong();
    }
    return 0;
}

QString ms(double v)
{
    return QString::number(v, 'f', v < 10 ? 1 : 0) + QStringLiteral(" ms");
}

// ---- phase 1: ingest (child process) -------------------------------------------------------

int ingest(const QString &file, int calls, int transcripts)
{
    QFile::remove(file);
    QFile::remove(file + QStringLiteral("-wal"));
    QFile::remove(file + QStringLiteral("-shm"));
    CallCache cache;
    QString error;
    if (!cache.openFile(file, &error)) {
        out() << "cannot open " << file << ": " << error << Qt::endl;
        return 1;
    }
    sb::test::CallGenerator gen(2026, 40, 20000);
    QList<Contact> contacts;
    for (int i = 0; i < gen.contactCount; ++i) {
        Contact c;
        c.id = sb::test::CallGenerator::contactId(i);
        c.name = sb::test::CallGenerator::contactName(i);
        contacts << c;
    }
    cache.storeContacts(contacts);
    cache.flush();

    // Everything is generated before the clock starts: the generator is not the product, and
    // on two (possibly hyper-threaded) cores it would slow the writer it feeds.
    constexpr int Batch = 5000;
    QList<QList<Call>> batches;
    for (int i = 0; i < calls; i += Batch)
        batches << gen.calls(i, qMin(Batch, calls - i));
    sb::test::CallGenerator again(2026, 40, 20000);
    const int every = transcripts > 0 ? qMax(1, calls / transcripts) : 0;
    QList<CallDetails> details;
    qint64 lines = 0;
    for (int i = 0; every > 0 && i < calls && details.size() < transcripts; ++i) {
        Call c = again.next(i);
        if (i % every != 0)
            continue;
        CallDetails d;
        d.call = c;
        d.transcript = again.transcript(8 + int(again.rng.bounded(17)));
        lines += d.transcript.size();
        details << d;
    }

    // Calls: storeCalls in batches of 5,000, the writer thread commits as they queue.
    QElapsedTimer t;
    t.start();
    for (const QList<Call> &batch : std::as_const(batches))
        cache.storeCalls(batch);
    cache.flush();
    const double callSeconds = t.nsecsElapsed() / 1e9;
    batches.clear();

    // Transcripts of every n-th call (the newest first), 8 to 24 lines each.
    t.restart();
    for (const CallDetails &d : std::as_const(details))
        cache.storeDetails(d);
    cache.flush();
    const double transcriptSeconds = t.nsecsElapsed() / 1e9;
    const qsizetype stored = details.size();
    cache.close();
    out() << QStringLiteral("INGEST calls=%1 seconds=%2 transcripts=%3 lines=%4 tseconds=%5\n")
                 .arg(calls)
                 .arg(callSeconds, 0, 'f', 3)
                 .arg(stored)
                 .arg(lines)
                 .arg(transcriptSeconds, 0, 'f', 3)
          << Qt::flush;
    return 0;
}

// ---- the sqlite3 CLI floor ------------------------------------------------------------------

QString literal(const QVariant &v)
{
    if (v.typeId() == QMetaType::QString) {
        QString s = v.toString();
        s.replace(QLatin1Char('\''), QLatin1String("''"));
        return QLatin1Char('\'') + s + QLatin1Char('\'');
    }
    return v.toString();
}

QString inlineValues(QString sql, const QVariantList &values)
{
    int from = 0;
    for (const QVariant &v : values) {
        const int at = int(sql.indexOf(QLatin1Char('?'), from));
        if (at < 0)
            break;
        const QString lit = literal(v);
        sql.replace(at, 1, lit);
        from = at + int(lit.size());
    }
    return sql;
}

//! The SQL the history model runs to open a view: the count and the first block.
QStringList historySql(const HistoryFilter &f, HistorySortKey key, bool desc)
{
    const SqlCondition where = historyWhere(f);
    const SqlCondition count = historyCount(f);
    const QString w = where.sql.isEmpty() ? QString() : QStringLiteral(" WHERE ") + where.sql;
    QStringList cols = historyOrderColumns(key).split(QStringLiteral(", "));
    cols << QStringLiteral("rid");
    const QString dir = desc ? QStringLiteral(" DESC") : QStringLiteral(" ASC");
    const QString block = QStringLiteral("SELECT rid FROM calls") + w +
                          QStringLiteral(" ORDER BY ") + cols.join(dir + QStringLiteral(", ")) +
                          dir + QStringLiteral(" LIMIT 256");
    return {inlineValues(count.sql, count.values),
            inlineValues(
                QStringLiteral("SELECT c.rid, c.id, c.created_at, c.direction, c.remote_number,"
                               " coalesce(k.name, ''), c.agent_id, c.status, c.duration,"
                               " c.sentiment, c.has_details FROM calls c LEFT JOIN contacts k"
                               " ON k.id = c.contact_id AND c.contact_id <> '' WHERE c.rid IN (") +
                    block + QStringLiteral(")"),
                where.values)};
}

//! The two statements TranscriptSearch::run() executes; \a lowest is what the first returned.
QStringList ftsSql(const QString &text, qint64 lowest, int limit)
{
    const QString match = TranscriptSearch::ftsQuery(text);
    return {
        inlineValues(TranscriptSearch::thresholdSql(), {match, TranscriptSearch::MaxRankedLines}),
        inlineValues(TranscriptSearch::sql(), {match, lowest, limit})};
}

qint64 ftsThreshold(const QString &connection, const QString &text)
{
    QSqlQuery q(QSqlDatabase::database(connection, false));
    q.prepare(TranscriptSearch::thresholdSql());
    q.bindValue(0, TranscriptSearch::ftsQuery(text));
    q.bindValue(1, TranscriptSearch::MaxRankedLines);
    return q.exec() && q.next() ? q.value(0).toLongLong() : 0;
}

//! Runs \a groups of statements in one sqlite3 process (`.timer on`, output discarded) and
//! returns each group's summed "real" time in ms; empty on failure.
QList<double> runCli(const QString &cli, const QString &file, const QList<QStringList> &groups,
                     const QStringList &setup = {}, qint64 *maxRssKb = nullptr)
{
    QString script = QStringLiteral(".output /dev/null\n");
    for (const QString &s : setup)
        script += s + QStringLiteral(";\n");
    script += QStringLiteral(".timer on\n");
    for (const QStringList &g : groups) {
        for (const QString &s : g)
            script += s + QStringLiteral(";\n");
    }
    QProcess p;
    QStringList args{file};
    QString program = cli;
    const QString time =
        QStandardPaths::findExecutable(QStringLiteral("time"), {QStringLiteral("/usr/bin")});
    if (maxRssKb && !time.isEmpty()) {
        program = time;
        args = QStringList{QStringLiteral("-f"), QStringLiteral("MAXRSS %M"), cli, file};
    }
    p.start(program, args);
    p.write(script.toUtf8());
    p.closeWriteChannel();
    if (!p.waitForFinished(30 * 60 * 1000))
        return {};
    const QString text = QString::fromUtf8(p.readAllStandardOutput());
    const QString err = QString::fromUtf8(p.readAllStandardError());
    if (maxRssKb) {
        const auto m = QRegularExpression(QStringLiteral("MAXRSS (\\d+)")).match(err);
        *maxRssKb = m.hasMatch() ? m.captured(1).toLongLong() : 0;
    }
    QList<double> times;
    const QRegularExpression re(QStringLiteral("Run Time: real ([0-9.]+)"));
    for (auto it = re.globalMatch(text); it.hasNext();)
        times << it.next().captured(1).toDouble() * 1000.0;
    int n = 0;
    for (const QStringList &g : groups)
        n += int(g.size());
    if (times.size() != n) {
        out() << "sqlite3 CLI: expected " << n << " timings, got " << times.size() << ": "
              << err.left(400) << Qt::endl;
        return {};
    }
    QList<double> sums;
    int i = 0;
    for (const QStringList &g : groups) {
        double sum = 0;
        for (int k = 0; k < g.size(); ++k)
            sum += times.at(i++);
        sums << sum;
    }
    return sums;
}

//! The CLI copying the same rows into a new file with the same schema: the engine's floor
//! for ingest (no DTOs, no binding, one statement).
double cliIngestSeconds(const QString &cli, const QString &file, int *rows)
{
    QSqlDatabase db =
        QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("bench.schema"));
    db.setDatabaseName(file);
    QStringList ddl;
    if (db.open()) {
        QSqlQuery q(db);
        q.exec(QStringLiteral(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND"
            " (name IN ('calls', 'calls_text', 'contacts') OR"
            " (type = 'index' AND tbl_name = 'calls')) ORDER BY type = 'index', rowid"));
        while (q.next())
            ddl << q.value(0).toString();
        q.exec(QStringLiteral("SELECT count(*) FROM calls"));
        *rows = q.next() ? q.value(0).toInt() : 0;
    }
    db = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("bench.schema"));
    const QString floorFile = file + QStringLiteral(".floor");
    QFile::remove(floorFile);
    QFile::remove(floorFile + QStringLiteral("-wal"));
    QStringList setup{QStringLiteral("PRAGMA page_size = 16384"),
                      QStringLiteral("PRAGMA journal_mode = WAL"),
                      QStringLiteral("PRAGMA synchronous = NORMAL"),
                      QStringLiteral("PRAGMA cache_size = -65536")};
    setup << ddl;
    setup << QStringLiteral("ATTACH %1 AS src").arg(literal(file));
    const QList<double> t =
        runCli(cli, floorFile,
               {{QStringLiteral("BEGIN"),
                 QStringLiteral("INSERT INTO calls SELECT * FROM src.calls ORDER BY rid"),
                 QStringLiteral(
                     "INSERT INTO calls_text (rowid, number) SELECT rid, remote_number FROM calls"),
                 QStringLiteral("COMMIT")}},
               setup);
    QFile::remove(floorFile);
    QFile::remove(floorFile + QStringLiteral("-wal"));
    QFile::remove(floorFile + QStringLiteral("-shm"));
    return t.isEmpty() ? -1 : t.first() / 1000.0;
}

// ---- phase 2: the history --------------------------------------------------------------------

class PaintCountingView : public QTableView
{
public:
    int paints = 0;

protected:
    void paintEvent(QPaintEvent *e) override
    {
        QTableView::paintEvent(e);
        ++paints;
    }
};

struct Row
{
    QString figure;
    QString app;
    QString target;
    QString cli;
    QString verdict;
};

void printTable(const QList<Row> &rows)
{
    int w[4] = {6, 3, 6, 11};
    for (const Row &r : rows) {
        w[0] = qMax(w[0], int(r.figure.size()));
        w[1] = qMax(w[1], int(r.app.size()));
        w[2] = qMax(w[2], int(r.target.size()));
        w[3] = qMax(w[3], int(r.cli.size()));
    }
    auto line = [&](const QString &a, const QString &b, const QString &c, const QString &d,
                    const QString &e) {
        out() << "  " << a.leftJustified(w[0]) << "  " << b.rightJustified(w[1]) << "  "
              << c.leftJustified(w[2]) << "  " << d.rightJustified(w[3]) << "  " << e << "\n";
    };
    line(QStringLiteral("figure"), QStringLiteral("app"), QStringLiteral("target"),
         QStringLiteral("sqlite3 CLI"), QString());
    for (const Row &r : rows)
        line(r.figure, r.app, r.target, r.cli, r.verdict);
    out() << Qt::flush;
}

QString verdict(double value, double target, bool higherIsBetter = false)
{
    const bool ok = higherIsBetter ? value >= target : value <= target;
    return ok ? QStringLiteral("ok") : QStringLiteral("MISSED");
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("History cache benchmark"));
    parser.addHelpOption();
    const QCommandLineOption callsOpt(QStringLiteral("calls"), QStringLiteral("Calls."),
                                      QStringLiteral("n"), QStringLiteral("1000000"));
    const QCommandLineOption transOpt(QStringLiteral("transcripts"), QStringLiteral("Transcripts."),
                                      QStringLiteral("n"), QStringLiteral("100000"));
    const QCommandLineOption roundsOpt(QStringLiteral("rounds"),
                                       QStringLiteral("Rounds of each query set."),
                                       QStringLiteral("n"), QStringLiteral("5"));
    const QCommandLineOption fileOpt(QStringLiteral("file"),
                                     QStringLiteral("Cache file (default: a temporary one)."),
                                     QStringLiteral("path"));
    const QCommandLineOption keepOpt(QStringLiteral("keep"),
                                     QStringLiteral("Reuse --file if it exists (skip ingest)."));
    const QCommandLineOption ingestOpt(QStringLiteral("ingest-only"),
                                       QStringLiteral("Internal: phase 1."));
    parser.addOptions({callsOpt, transOpt, roundsOpt, fileOpt, keepOpt, ingestOpt});
    parser.process(app);
    const int calls = parser.value(callsOpt).toInt();
    const int transcripts = parser.value(transOpt).toInt();
    const int rounds = qMax(1, parser.value(roundsOpt).toInt());

    QTemporaryDir tmp;
    const QString file = parser.isSet(fileOpt) ? QFileInfo(parser.value(fileOpt)).absoluteFilePath()
                                               : tmp.filePath(QStringLiteral("history.sqlite"));
    if (parser.isSet(ingestOpt))
        return ingest(file, calls, transcripts);

    const QString cli = QStandardPaths::findExecutable(QStringLiteral("sqlite3"));
    out() << "bench_history_cache: " << calls << " calls, " << transcripts << " transcripts, "
          << rounds
          << " rounds; sqlite3 CLI: " << (cli.isEmpty() ? QStringLiteral("not found") : cli)
          << "\n  file: " << file << Qt::endl;

    QList<Row> table;
    // ---- phase 1
    if (!(parser.isSet(keepOpt) && QFile::exists(file))) {
        QProcess child;
        child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        child.start(QCoreApplication::applicationFilePath(),
                    {QStringLiteral("--ingest-only"), QStringLiteral("--file"), file,
                     QStringLiteral("--calls"), QString::number(calls),
                     QStringLiteral("--transcripts"), QString::number(transcripts)});
        if (!child.waitForFinished(60 * 60 * 1000) || child.exitCode() != 0) {
            out() << "ingest failed: " << child.readAllStandardOutput() << Qt::endl;
            return 1;
        }
        const QString text = QString::fromUtf8(child.readAllStandardOutput());
        const auto m =
            QRegularExpression(QStringLiteral("INGEST calls=(\\d+) seconds=([0-9.]+) "
                                              "transcripts=(\\d+) lines=(\\d+) tseconds=([0-9.]+)"))
                .match(text);
        if (!m.hasMatch()) {
            out() << "ingest printed nothing usable: " << text << Qt::endl;
            return 1;
        }
        const double rate = m.captured(1).toDouble() / m.captured(2).toDouble();
        int floorRows = 0;
        const double floorSeconds = cli.isEmpty() ? -1 : cliIngestSeconds(cli, file, &floorRows);
        table << Row{QStringLiteral("ingest, calls/s (storeCalls, %1 calls)").arg(calls),
                     QString::number(qRound(rate)), QStringLiteral(">= 50000"),
                     floorSeconds > 0 ? QString::number(qRound(floorRows / floorSeconds))
                                      : QStringLiteral("-"),
                     verdict(rate, 50000, true)};
        const double lineRate = m.captured(4).toDouble() / m.captured(5).toDouble();
        table << Row{QStringLiteral("ingest, transcripts (%1 calls, %2 lines)/s")
                         .arg(m.captured(3), m.captured(4)),
                     QStringLiteral("%1 calls, %2 lines")
                         .arg(qRound(m.captured(3).toDouble() / m.captured(5).toDouble()))
                         .arg(qRound(lineRate)),
                     QStringLiteral("-"), QStringLiteral("-"), QString()};
        out() << "phase 1 done: " << QFileInfo(file).size() / (1024 * 1024) << " MiB" << Qt::endl;
    }

    // ---- phase 2: open to first paint
    QElapsedTimer t;
    t.start();
    CallCache cache;
    QString error;
    if (!cache.openFile(file, &error)) {
        out() << "open failed: " << error << Qt::endl;
        return 1;
    }
    const double openCacheMs = t.nsecsElapsed() / 1e6;
    CallHistoryModel model(&cache);
    PaintCountingView view;
    view.verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view.verticalHeader()->setDefaultSectionSize(24);
    view.horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    view.setSortingEnabled(false);
    view.resize(1280, 800);
    view.setModel(&model);
    view.show();
    while (view.paints == 0 && t.elapsed() < 10000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    const double openMs = t.nsecsElapsed() / 1e6;
    const qint64 rssOpen = rssKb();
    const int total = model.rowCount();
    out() << "history open: " << total << " rows, first paint after " << ms(openMs)
          << " (cache open " << ms(openCacheMs) << "), RSS " << rssOpen / 1024 << " MiB"
          << Qt::endl;

    auto repaint = [&] { view.viewport()->repaint(); };

    // Jump to the middle (no target; shows that block reads do not walk from the top).
    QList<double> jumps;
    for (int i = 0; i < rounds; ++i) {
        const int row = total / 2 + (i - rounds / 2) * 7919;
        t.restart();
        view.scrollTo(model.index(qBound(0, row, total - 1), 0),
                      QAbstractItemView::PositionAtCenter);
        repaint();
        jumps << t.nsecsElapsed() / 1e6;
    }
    view.scrollToTop();

    // ---- filter changes
    sb::test::CallGenerator names(2026, 40, 20000);
    const QDateTime newest = QDateTime::fromMSecsSinceEpoch(
        model.index(0, CallHistoryModel::Created).data(CallHistoryModel::SortRole).toLongLong(),
        Qt::UTC);
    const QString someNumber =
        model.index(12345 % qMax(1, total), CallHistoryModel::Number).data().toString();
    QList<QPair<QString, HistoryFilter>> filters;
    auto add = [&](const QString &name, const std::function<void(HistoryFilter &)> &set) {
        HistoryFilter f;
        set(f);
        filters.append({name, f});
    };
    add(QStringLiteral("agent"),
        [](HistoryFilter &f) { f.agentId = sb::test::CallGenerator::agentId(3); });
    add(QStringLiteral("status completed"),
        [](HistoryFilter &f) { f.status = CallStatus::Completed; });
    add(QStringLiteral("status no answer"),
        [](HistoryFilter &f) { f.status = CallStatus::NoAnswer; });
    add(QStringLiteral("direction inbound"),
        [](HistoryFilter &f) { f.direction = CallDirection::Inbound; });
    add(QStringLiteral("sentiment negative"),
        [](HistoryFilter &f) { f.sentiment = Sentiment::Negative; });
    add(QStringLiteral("last 7 days"),
        [&](HistoryFilter &f) { f.createdFrom = newest.addDays(-7); });
    add(QStringLiteral("a month, 40 days back"), [&](HistoryFilter &f) {
        f.createdFrom = newest.addDays(-70);
        f.createdTo = newest.addDays(-40);
    });
    add(QStringLiteral("number, 4 digits"),
        [](HistoryFilter &f) { f.text = QStringLiteral("4821"); });
    add(QStringLiteral("number, 7 digits"),
        [&](HistoryFilter &f) { f.text = someNumber.mid(4, 7); });
    add(QStringLiteral("number as typed"), [&](HistoryFilter &f) {
        const QString r = someNumber.mid(2);
        f.text = QLatin1Char('(') + r.left(3) + QStringLiteral(") ") + r.mid(3, 3) +
                 QLatin1Char('-') + r.mid(6);
    });
    add(QStringLiteral("contact surname"),
        [](HistoryFilter &f) { f.text = QStringLiteral("okafor"); });
    add(QStringLiteral("contact full name"),
        [](HistoryFilter &f) { f.text = sb::test::CallGenerator::contactName(1234); });
    add(QStringLiteral("agent + status"), [](HistoryFilter &f) {
        f.agentId = sb::test::CallGenerator::agentId(7);
        f.status = CallStatus::Completed;
    });
    add(QStringLiteral("status + direction + sentiment"), [](HistoryFilter &f) {
        f.status = CallStatus::Completed;
        f.direction = CallDirection::Outbound;
        f.sentiment = Sentiment::Positive;
    });
    add(QStringLiteral("agent + last 30 days"), [&](HistoryFilter &f) {
        f.agentId = sb::test::CallGenerator::agentId(11);
        f.createdFrom = newest.addDays(-30);
    });
    add(QStringLiteral("everything (filter cleared)"), [](HistoryFilter &) {});

    QList<double> filterTimes;
    QHash<QString, QList<double>> perFilter;
    QHash<QString, int> filterRows;
    for (int r = 0; r < rounds; ++r) {
        for (const auto &[name, f] : std::as_const(filters)) {
            t.restart();
            model.setFilter(f);
            repaint();
            const double v = t.nsecsElapsed() / 1e6;
            filterTimes << v;
            perFilter[name] << v;
            filterRows[name] = model.rowCount();
        }
    }
    // Shorter than a trigram: the text filter scans (reported apart, not in the p95).
    QList<double> shortText;
    for (int r = 0; r < rounds; ++r) {
        HistoryFilter f;
        f.text = QStringLiteral("48");
        model.setFilter({});
        t.restart();
        model.setFilter(f);
        repaint();
        shortText << t.nsecsElapsed() / 1e6;
    }
    const int shortTextRows = model.rowCount();
    model.setFilter({});

    // ---- sort changes (from newest first to each order, on everything)
    QList<QPair<QString, double>> sorts;
    QList<double> sortTimes;
    const QList<QPair<int, HistorySortKey>> sortCols = {
        {CallHistoryModel::Duration, HistorySortKey::Duration},
        {CallHistoryModel::Agent, HistorySortKey::Agent},
        {CallHistoryModel::Status, HistorySortKey::Status},
        {CallHistoryModel::Sentiment, HistorySortKey::Sentiment},
        {CallHistoryModel::Number, HistorySortKey::Number},
        {CallHistoryModel::Created, HistorySortKey::Created}};
    for (int r = 0; r < rounds; ++r) {
        for (const auto &[col, key] : sortCols) {
            for (Qt::SortOrder order : {Qt::DescendingOrder, Qt::AscendingOrder}) {
                if (col == CallHistoryModel::Created && order == Qt::DescendingOrder)
                    continue; // that is where each change starts from
                model.sort(CallHistoryModel::Created, Qt::DescendingOrder);
                repaint();
                t.restart();
                model.sort(col, order);
                repaint();
                sortTimes << t.nsecsElapsed() / 1e6;
            }
        }
    }
    model.sort(CallHistoryModel::Created, Qt::DescendingOrder);

    // ---- FTS
    const QStringList queries = {QStringLiteral("refund"),
                                 QStringLiteral("warranty"),
                                 QStringLiteral("escalation"),
                                 QStringLiteral("voucher"),
                                 QStringLiteral("password"),
                                 QStringLiteral("upgrade"),
                                 QStringLiteral("discount"),
                                 QStringLiteral("delivery upset"),
                                 QStringLiteral("refund invoice"),
                                 QStringLiteral("human please"),
                                 QStringLiteral("cancel subscription"),
                                 QStringLiteral("date of birth"),
                                 QStringLiteral("appointment next week"),
                                 QStringLiteral("colleague"),
                                 QStringLiteral("recognise"),
                                 QStringLiteral("calendar"),
                                 QStringLiteral("arrived"),
                                 QStringLiteral("warr"),
                                 QStringLiteral("esc"),
                                 QStringLiteral("thank you helpful")};
    QList<double> ftsTimes;
    QHash<QString, int> ftsHits;
    QHash<QString, bool> ftsTruncated;
    for (int r = 0; r < rounds; ++r) {
        for (const QString &q : queries) {
            QString err;
            bool truncated = false;
            t.restart();
            const QList<SearchHit> hits =
                TranscriptSearch::run(cache.connectionName(), q, 200, &err, &truncated);
            ftsTimes << t.nsecsElapsed() / 1e6;
            ftsHits[q] = int(hits.size());
            ftsTruncated[q] = truncated;
            if (!err.isEmpty())
                out() << "fts error for " << q << ": " << err << Qt::endl;
        }
    }
    qint64 matchingLines = 0;
    {
        QSqlQuery q(QSqlDatabase::database(cache.connectionName(), false));
        q.exec(QStringLiteral("SELECT count(*) FROM transcript_lines"));
        matchingLines = q.next() ? q.value(0).toLongLong() : 0;
    }

    // ---- RSS with the history open (after all of the above, scrolled to the middle)
    view.scrollTo(model.index(total / 2, 0), QAbstractItemView::PositionAtCenter);
    repaint();
    const qint64 rss = rssKb();
    const qint64 hwm = rssKb("VmHWM:");

    // ---- the same SQL in the sqlite3 CLI, same file, same run
    QString cliOpen = QStringLiteral("-"), cliFilter = QStringLiteral("-"),
            cliSort = QStringLiteral("-"), cliFts = QStringLiteral("-"),
            cliRss = QStringLiteral("-"), cliShort = QStringLiteral("-");
    if (!cli.isEmpty()) {
        const QStringList setup{QStringLiteral("PRAGMA cache_size = -32768")};
        qint64 cliRssKb = 0;
        const QList<double> open =
            runCli(cli, file, {historySql({}, HistorySortKey::Created, true)}, setup, &cliRssKb);
        if (!open.isEmpty()) {
            cliOpen = ms(open.first());
            cliRss = QStringLiteral("%1 MiB").arg(cliRssKb / 1024);
        }
        QList<QStringList> groups;
        for (int r = 0; r < rounds; ++r) {
            for (const auto &[name, f] : std::as_const(filters))
                groups << historySql(f, HistorySortKey::Created, true);
        }
        const QList<double> fl = runCli(cli, file, groups, setup);
        if (!fl.isEmpty())
            cliFilter = ms(percentile(fl, 95));
        HistoryFilter sf;
        sf.text = QStringLiteral("48");
        groups.clear();
        for (int r = 0; r < rounds; ++r)
            groups << historySql(sf, HistorySortKey::Created, true);
        const QList<double> sh = runCli(cli, file, groups, setup);
        if (!sh.isEmpty())
            cliShort = ms(percentile(sh, 50));
        groups.clear();
        for (int r = 0; r < rounds; ++r) {
            for (const auto &[col, key] : sortCols) {
                for (bool desc : {true, false}) {
                    if (key == HistorySortKey::Created && desc)
                        continue;
                    groups << historySql({}, key, desc);
                }
            }
        }
        const QList<double> so = runCli(cli, file, groups, setup);
        if (!so.isEmpty())
            cliSort = ms(*std::max_element(so.begin(), so.end()));
        groups.clear();
        for (int r = 0; r < rounds; ++r) {
            for (const QString &q : queries)
                groups << ftsSql(q, ftsThreshold(cache.connectionName(), q), 200);
        }
        const QList<double> ft = runCli(cli, file, groups, setup);
        if (!ft.isEmpty())
            cliFts = ms(percentile(ft, 95));
    }

    // ---- report
    out() << "\n== per filter (median over " << rounds << " rounds, rows)\n";
    for (const auto &[name, f] : std::as_const(filters)) {
        out() << "  " << name.leftJustified(32)
              << ms(percentile(perFilter.value(name), 50)).rightJustified(9) << "  "
              << filterRows.value(name) << " rows\n";
    }
    out() << "\n== FTS hits per query (limit 200) over " << matchingLines
          << " transcript lines\n  ";
    for (const QString &q : queries)
        out() << q << "=" << ftsHits.value(q) << (ftsTruncated.value(q) ? "*" : "") << "  ";
    out() << "\n  (* more than " << TranscriptSearch::MaxRankedLines
          << " lines matched: ranked among the newest that many)";
    out() << "\n\n== figures (app beside the same SQL in the sqlite3 CLI on the same file)\n";
    const double sortMax = *std::max_element(sortTimes.begin(), sortTimes.end());
    table << Row{QStringLiteral("open history to first rows painted (%1 rows)").arg(total),
                 ms(openMs), QStringLiteral("<= 200 ms"), cliOpen, verdict(openMs, 200)};
    table << Row{QStringLiteral("filter change, p95 (%1 changes)").arg(filterTimes.size()),
                 ms(percentile(filterTimes, 95)), QStringLiteral("<= 100 ms"), cliFilter,
                 verdict(percentile(filterTimes, 95), 100)};
    table << Row{QStringLiteral("filter change, p50"), ms(percentile(filterTimes, 50)),
                 QStringLiteral("-"), QStringLiteral("-"), QString()};
    table << Row{QStringLiteral("sort change, worst of %1").arg(sortTimes.size()), ms(sortMax),
                 QStringLiteral("<= 300 ms"), cliSort, verdict(sortMax, 300)};
    table << Row{QStringLiteral("FTS query, p95 (%1 queries)").arg(ftsTimes.size()),
                 ms(percentile(ftsTimes, 95)), QStringLiteral("<= 150 ms"), cliFts,
                 verdict(percentile(ftsTimes, 95), 150)};
    table << Row{QStringLiteral("RSS with the history open"),
                 QStringLiteral("%1 MiB").arg(rss / 1024), QStringLiteral("<= 300 MB"), cliRss,
                 verdict(rss / 1024.0 * 1.048576, 300)};
    table << Row{QStringLiteral("  peak RSS of this process (VmHWM)"),
                 QStringLiteral("%1 MiB").arg(hwm / 1024), QStringLiteral("-"), QStringLiteral("-"),
                 QString()};
    table << Row{QStringLiteral("jump to the middle + paint, p50"), ms(percentile(jumps, 50)),
                 QStringLiteral("-"), QStringLiteral("-"), QString()};
    table << Row{QStringLiteral("2-character text filter (scan, %1 rows), p50").arg(shortTextRows),
                 ms(percentile(shortText, 50)), QStringLiteral("-"), cliShort, QString()};
    printTable(table);
    return 0;
}
