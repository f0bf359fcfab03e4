#include "api/platform.h"
#include "api/session.h"
#include "cachetestdata.h"
#include "models/callcache.h"
#include "models/callhistorymodel.h"
#include "simulatorprocess.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace sb::api;
using sb::models::AlertRecord;
using sb::models::CallCache;
using sb::models::CallHistoryModel;
using sb::models::HistoryFilter;

namespace {

//! A plain connection of the test's own, to check the file independently of the cache.
class RawDb
{
public:
    explicit RawDb(const QString &path)
        : m_name(QStringLiteral("tst.raw.%1").arg(++s_n))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        db.open();
    }
    ~RawDb() { QSqlDatabase::removeDatabase(m_name); }
    QVariant scalar(const QString &sql) const
    {
        QSqlQuery q(QSqlDatabase::database(m_name));
        if (!q.exec(sql) || !q.next())
            return {};
        return q.value(0);
    }

private:
    static inline int s_n = 0;
    QString m_name;
};

QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

//! CallCache on real files: schema, round trips, batching, corruption, a full disk, secrets.
class TestCallCache : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;

    QString path(const char *name) const { return m_dir.filePath(QString::fromLatin1(name)); }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }

    void opensInWalModeWithTheSchema()
    {
        CallCache cache;
        QString error;
        QVERIFY2(cache.openFile(path("schema.sqlite"), &error), qPrintable(error));
        QVERIFY(cache.isOpen());
        QCOMPARE(cache.databasePath(), path("schema.sqlite"));
        QVERIFY(QSqlDatabase::contains(cache.connectionName()));

        RawDb raw(cache.databasePath());
        QCOMPARE(raw.scalar(QStringLiteral("PRAGMA journal_mode")).toString(),
                 QStringLiteral("wal"));
        QCOMPARE(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(),
                 CallCache::SchemaVersion);
        for (const char *name :
             {"calls", "calls_text", "transcript_lines", "transcript_fts", "sentiment_points",
              "tool_calls", "alerts", "sync_state", "contacts"}) {
            QVERIFY2(
                raw.scalar(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE name = '%1'")
                               .arg(QLatin1String(name)))
                        .toInt() == 1,
                name);
        }
        // Every filter and sort of the history has its index.
        for (const char *index : {"calls_created", "calls_agent", "calls_status", "calls_sentiment",
                                  "calls_duration", "calls_number", "calls_contact"}) {
            QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type = "
                                               "'index' AND name = '%1'")
                                    .arg(QLatin1String(index)))
                         .toInt(),
                     1);
        }
        // Opening again keeps the data and the version.
        cache.storeCalls(sb::test::CallGenerator().calls(0, 3));
        cache.close();
        QVERIFY(cache.openFile(path("schema.sqlite")));
        QCOMPARE(cache.callCount(), 3);
    }

    void profilePathIsAHashUnderAppData()
    {
        const QString p = CallCache::pathForProfile(QStringLiteral("talknex:acme"));
        QVERIFY(p.startsWith(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                             QStringLiteral("/cache/")));
        QVERIFY(p.endsWith(
            QString::fromLatin1(
                QCryptographicHash::hash("talknex:acme", QCryptographicHash::Sha1).toHex()) +
            QStringLiteral(".sqlite")));
        QVERIFY(!p.contains(QStringLiteral("acme")));
        CallCache cache;
        QVERIFY(cache.open(QStringLiteral("talknex:acme")));
        QCOMPARE(cache.databasePath(), p);
        QVERIFY(QFile::exists(p));
        cache.close();
        QFile::remove(p);
    }

    void storesCallsWithSyncStateAndReadsThemBack()
    {
        CallCache cache;
        QVERIFY(cache.openFile(path("calls.sqlite")));
        QSignalSpy stored(&cache, &CallCache::callsStored);
        sb::test::CallGenerator gen;
        const QList<Call> calls = gen.calls(0, 250);
        const QDateTime since = QDateTime::fromMSecsSinceEpoch(1767225600123LL, Qt::UTC);
        cache.storeCalls(calls, {{QStringLiteral("fullSyncCursor"), QStringLiteral("c_250")},
                                 {QStringLiteral("updatedSince"), since},
                                 {QStringLiteral("fullSyncDone"), false}});
        cache.flush();
        QCOMPARE(stored.count(), 1);
        QCOMPARE(stored.first().first().toStringList().size(), 250);
        QCOMPARE(cache.callCount(), 250);

        const QVariantMap state = cache.syncState();
        QCOMPARE(state.value(QStringLiteral("fullSyncCursor")).toString(), QStringLiteral("c_250"));
        QCOMPARE(state.value(QStringLiteral("updatedSince")).toDateTime(), since);
        QCOMPARE(state.value(QStringLiteral("updatedSince")).metaType(),
                 QMetaType::fromType<QDateTime>());
        QCOMPARE(state.value(QStringLiteral("fullSyncDone")).toBool(), false);

        for (int i : {0, 17, 249}) {
            const auto read = cache.call(calls.at(i).id);
            QVERIFY(read);
            const Call &c = calls.at(i);
            QCOMPARE(read->createdAt, c.createdAt);
            QCOMPARE(read->updatedAt, c.updatedAt);
            QCOMPARE(read->endedAt, c.endedAt);
            QCOMPARE(read->agentId, c.agentId);
            QCOMPARE(read->status, c.status);
            QCOMPARE(read->direction, c.direction);
            QCOMPARE(read->sentiment, c.sentiment);
            QCOMPARE(read->sentimentScore, c.sentimentScore);
            QCOMPARE(read->durationSeconds, c.durationSeconds);
            QCOMPARE(read->endReason, c.endReason);
            QCOMPARE(read->to, c.to);
            QCOMPARE(read->from, c.from);
            QCOMPARE(read->contactId, c.contactId);
            QCOMPARE(read->metadata, c.metadata);
        }
        QVERIFY(!cache.call(QStringLiteral("call_missing")));

        // A state key set to an invalid QVariant is removed; others stay.
        cache.storeCalls({}, {{QStringLiteral("fullSyncCursor"), QVariant()},
                              {QStringLiteral("fullSyncDone"), true}});
        cache.flush();
        QVERIFY(!cache.syncState().contains(QStringLiteral("fullSyncCursor")));
        QCOMPARE(cache.syncState().value(QStringLiteral("fullSyncDone")).toBool(), true);
    }

    void anOlderCopyDoesNotOverwriteANewerOne()
    {
        CallCache cache;
        QVERIFY(cache.openFile(path("upsert.sqlite")));
        Call c = sb::test::CallGenerator().next(1);
        c.status = CallStatus::Completed;
        c.updatedAt = QDateTime::fromMSecsSinceEpoch(2000000, Qt::UTC);
        cache.storeCalls({c});
        Call stale = c;
        stale.status = CallStatus::InProgress;
        stale.updatedAt = QDateTime::fromMSecsSinceEpoch(1000000, Qt::UTC);
        cache.storeCalls({stale});
        cache.flush();
        QCOMPARE(cache.call(c.id)->status, CallStatus::Completed);
        Call newer = c;
        newer.summary = QStringLiteral("follow up");
        newer.updatedAt = QDateTime::fromMSecsSinceEpoch(3000000, Qt::UTC);
        cache.storeCalls({newer});
        cache.flush();
        QCOMPARE(cache.call(c.id)->summary, QStringLiteral("follow up"));
        QCOMPARE(cache.callCount(), 1);
    }

    void aCopyWithoutSentimentKeepsTheKnownOne()
    {
        // SpeakNode's list has no sentiment; the estimate from an opened call's details stays
        // when a later sync pass lists the call again.
        CallCache cache;
        QVERIFY(cache.openFile(path("keep-sentiment.sqlite")));
        CallDetails d;
        d.call = sb::test::CallGenerator().next(3);
        d.call.status = CallStatus::Completed;
        d.call.sentiment = Sentiment::Negative;
        d.call.sentimentScore = -0.5;
        d.call.updatedAt = QDateTime::fromMSecsSinceEpoch(2000000, Qt::UTC);
        cache.storeDetails(d);
        Call listed = d.call;
        listed.sentiment = Sentiment::None;
        listed.sentimentScore.reset();
        listed.summary = QStringLiteral("listed again");
        cache.storeCalls({listed});
        cache.flush();
        QCOMPARE(cache.call(d.call.id)->summary, QStringLiteral("listed again"));
        QCOMPARE(cache.call(d.call.id)->sentiment, Sentiment::Negative);
        QCOMPARE(cache.call(d.call.id)->sentimentScore, std::optional<double>(-0.5));
        // A sentiment the server does send replaces it.
        Call rated = listed;
        rated.sentiment = Sentiment::Positive;
        rated.sentimentScore = 0.7;
        cache.storeCalls({rated});
        cache.flush();
        QCOMPARE(cache.call(d.call.id)->sentiment, Sentiment::Positive);
        QCOMPARE(cache.call(d.call.id)->sentimentScore, std::optional<double>(0.7));
    }

    void storesDetailsAndReplacesThemWhole()
    {
        CallCache cache;
        QVERIFY(cache.openFile(path("details.sqlite")));
        QSignalSpy detailsSpy(&cache, &CallCache::detailsStored);
        sb::test::CallGenerator gen;
        CallDetails d;
        d.call = gen.next(7);
        d.transcript = gen.transcript(12);
        d.transcript[3].sentiment = Sentiment::Negative;
        d.sentimentTimeline = {{0, Sentiment::Neutral, 0.0},
                               {4000, Sentiment::Negative, -0.6},
                               {9000, Sentiment::Positive, std::nullopt}};
        d.toolCalls = {
            {QStringLiteral("book_appointment"),
             QJsonObject{{QStringLiteral("date"), QStringLiteral("2026-01-09")}},
             QJsonValue(QStringLiteral("booked")), 5000},
            {QStringLiteral("lookup"), QJsonValue(42), QJsonValue(QJsonValue::Undefined), 6000}};
        QVERIFY(!cache.hasTranscript(d.call.id));
        cache.storeDetails(d);
        cache.flush();
        QCOMPARE(detailsSpy.count(), 1);
        QVERIFY(cache.hasTranscript(d.call.id));

        const auto read = cache.details(d.call.id);
        QVERIFY(read);
        QCOMPARE(read->call.id, d.call.id);
        QCOMPARE(read->transcript.size(), 12);
        for (int i = 0; i < 12; ++i) {
            QCOMPARE(read->transcript.at(i).text, d.transcript.at(i).text);
            QCOMPARE(read->transcript.at(i).role, d.transcript.at(i).role);
            QCOMPARE(read->transcript.at(i).startMs, d.transcript.at(i).startMs);
            QCOMPARE(read->transcript.at(i).endMs, d.transcript.at(i).endMs);
            QCOMPARE(read->transcript.at(i).sentiment, d.transcript.at(i).sentiment);
        }
        QCOMPARE(read->sentimentTimeline.size(), 3);
        QCOMPARE(read->sentimentTimeline.at(1).label, Sentiment::Negative);
        QCOMPARE(read->sentimentTimeline.at(1).score, std::optional<double>(-0.6));
        QVERIFY(!read->sentimentTimeline.at(2).score);
        QCOMPARE(read->toolCalls.size(), 2);
        QCOMPARE(read->toolCalls.at(0).args, d.toolCalls.at(0).args);
        QCOMPARE(read->toolCalls.at(0).result, d.toolCalls.at(0).result);
        QCOMPARE(read->toolCalls.at(1).args, QJsonValue(42));
        QVERIFY(read->toolCalls.at(1).result.isUndefined());

        // A second storeDetails replaces every child, and the FTS index follows.
        RawDb raw(cache.databasePath());
        QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM transcript_fts WHERE "
                                           "transcript_fts MATCH 'zebracorn'"))
                     .toInt(),
                 0);
        d.transcript = {{SpeakerRole::Caller, QStringLiteral("only the zebracorn line"), 0, 900,
                         Sentiment::None, false, std::nullopt}};
        d.sentimentTimeline.clear();
        d.toolCalls.clear();
        cache.storeDetails(d);
        cache.flush();
        const auto again = cache.details(d.call.id);
        QCOMPARE(again->transcript.size(), 1);
        QVERIFY(again->sentimentTimeline.isEmpty());
        QVERIFY(again->toolCalls.isEmpty());
        QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM transcript_lines")).toInt(), 1);
        QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM transcript_fts WHERE "
                                           "transcript_fts MATCH 'zebracorn'"))
                     .toInt(),
                 1);
        QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM transcript_fts WHERE "
                                           "transcript_fts MATCH 'calendar OR upset OR hello'"))
                     .toInt(),
                 0);
        // The FTS index agrees with its content table.
        QVERIFY(raw.scalar(QStringLiteral("INSERT INTO transcript_fts(transcript_fts, rank) VALUES "
                                          "('integrity-check', 1)"))
                    .isNull());

        // Removing the call removes every trace of it.
        QSignalSpy removed(&cache, &CallCache::callRemoved);
        cache.removeCall(d.call.id);
        cache.flush();
        QCOMPARE(removed.count(), 1);
        QVERIFY(!cache.details(d.call.id));
        QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM transcript_lines")).toInt(), 0);
        QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM transcript_fts WHERE "
                                           "transcript_fts MATCH 'zebracorn'"))
                     .toInt(),
                 0);
        QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM calls_text WHERE calls_text "
                                           "MATCH '\"%1\"'")
                                .arg(d.call.to))
                     .toInt(),
                 0);
    }

    void contactNamesAreFoundByTheTextFilter()
    {
        CallCache cache;
        QVERIFY(cache.openFile(path("contacts.sqlite")));
        Call c = sb::test::CallGenerator().next(3);
        c.contactId = QStringLiteral("contact_ada");
        cache.storeCalls({c});
        QSignalSpy contactsSpy(&cache, &CallCache::contactsStored);
        Contact ada;
        ada.id = c.contactId;
        ada.name = QStringLiteral("Ada Lovelace");
        ada.phone = c.to;
        cache.storeContacts({ada});
        cache.flush();
        QCOMPARE(contactsSpy.count(), 1);
        QCOMPARE(cache.contactName(c.contactId), ada.name);

        CallHistoryModel model(&cache);
        auto rowsFor = [&](const QString &text) {
            HistoryFilter f;
            f.text = text;
            model.setFilter(f);
            return model.rowCount();
        };
        QCOMPARE(rowsFor(QStringLiteral("lovelace")), 1);
        QCOMPARE(rowsFor(QStringLiteral("LOVE")), 1);
        // A rename is one row in contacts: nothing about the calls is rewritten.
        ada.name = QStringLiteral("Ada Byrón");
        cache.storeContacts({ada});
        cache.flush();
        QCOMPARE(rowsFor(QStringLiteral("lovelace")), 0);
        QCOMPARE(rowsFor(QStringLiteral("BYRÓN")), 1); // folded beyond ASCII
        // A call stored after its contact is found at once.
        Call later = sb::test::CallGenerator(7).next(4);
        later.contactId = ada.id;
        cache.storeCalls({later});
        cache.flush();
        QCOMPARE(rowsFor(QStringLiteral("byrón")), 2);
        // The number index holds numbers only, one entry per call.
        RawDb raw(cache.databasePath());
        const QString remote = c.direction == CallDirection::Outbound ? c.to : c.from;
        QCOMPARE(raw.scalar(QStringLiteral(
                                "SELECT count(*) FROM calls_text WHERE calls_text MATCH '\"%1\"'")
                                .arg(remote))
                     .toInt(),
                 1);
        QCOMPARE(raw.scalar(QStringLiteral(
                                "SELECT count(*) FROM calls_text WHERE calls_text MATCH 'byr'"))
                     .toInt(),
                 0);
    }

    void alertsAreRecordedAndAcknowledged()
    {
        CallCache cache;
        QVERIFY(cache.openFile(path("alerts.sqlite")));
        QSignalSpy appended(&cache, &CallCache::alertAppended);
        QSignalSpy acked(&cache, &CallCache::alertAcknowledged);
        const QDateTime t0 = QDateTime::fromMSecsSinceEpoch(1767225600000LL, Qt::UTC);
        cache.appendAlert({0,
                           QStringLiteral("call_1"),
                           QStringLiteral("negativeSentiment"),
                           QStringLiteral("negative for 45 s"),
                           t0,
                           {},
                           {}});
        cache.appendAlert({0,
                           QStringLiteral("call_2"),
                           QStringLiteral("keyword"),
                           QStringLiteral("\"refund\""),
                           t0.addSecs(5),
                           {},
                           {}});
        cache.flush();
        QCOMPARE(appended.count(), 2);
        const auto first = appended.at(0).at(0).value<AlertRecord>();
        QVERIFY(first.id > 0);
        QCOMPARE(first.callId, QStringLiteral("call_1"));

        QList<AlertRecord> all = cache.alerts();
        QCOMPARE(all.size(), 2);
        QCOMPARE(all.at(0).rule, QStringLiteral("keyword")); // newest first
        QCOMPARE(all.at(1).at, t0);
        QVERIFY(all.at(1).acknowledgedBy.isEmpty());

        cache.acknowledgeAlert(first.id, QStringLiteral("operator 7"), t0.addSecs(60));
        cache.flush();
        QCOMPARE(acked.count(), 1);
        all = cache.alerts(1);
        QCOMPARE(all.size(), 1);
        all = cache.alerts();
        QCOMPARE(all.at(1).acknowledgedBy, QStringLiteral("operator 7"));
        QCOMPARE(all.at(1).acknowledgedAt, t0.addSecs(60));
    }

    void writesAreBatchedOffTheCallingThread()
    {
        CallCache cache;
        QVERIFY(cache.openFile(path("batch.sqlite")));
        sb::test::CallGenerator gen;
        QSignalSpy stored(&cache, &CallCache::callsStored);
        for (int i = 0; i < 200; ++i)
            cache.storeCalls(gen.calls(i * 50, 50));
        // Nothing was emitted synchronously: the writes are queued.
        QCOMPARE(stored.count(), 0);
        cache.flush();
        QCOMPARE(stored.count(), 200);
        QCOMPARE(cache.callCount(), 10000);
        RawDb raw(cache.databasePath());
        // Every call is in the number index: each one's own number finds it.
        const QList<Call> sample = sb::test::CallGenerator().calls(0, 10000);
        for (int i = 0; i < sample.size(); i += 997) {
            const QString remote = sample.at(i).direction == CallDirection::Outbound
                                       ? sample.at(i).to
                                       : sample.at(i).from;
            QVERIFY(
                raw.scalar(QStringLiteral("SELECT count(*) FROM calls_text WHERE calls_text MATCH "
                                          "'\"%1\"'")
                               .arg(remote))
                    .toInt() >= 1);
        }
    }

    void aCorruptedFileIsMovedAsideAndRebuilt_data()
    {
        QTest::addColumn<qint64>("offset");
        QTest::addColumn<bool>("atEnd");
        QTest::newRow("header") << qint64(0) << false;
        QTest::newRow("a page in the middle") << qint64(0) << true;
    }

    void aCorruptedFileIsMovedAsideAndRebuilt()
    {
        QFETCH(qint64, offset);
        QFETCH(bool, atEnd);
        const QString file = m_dir.filePath(QStringLiteral("corrupt-%1.sqlite").arg(atEnd));
        {
            CallCache cache;
            QVERIFY(cache.openFile(file));
            sb::test::CallGenerator gen;
            cache.storeCalls(gen.calls(0, 3000));
            cache.flush();
            QCOMPARE(cache.callCount(), 3000);
        }
        // Closed: the WAL is checkpointed into the file. Overwrite bytes of it.
        QVERIFY(!QFile::exists(file + QStringLiteral("-wal")) ||
                QFileInfo(file + QStringLiteral("-wal")).size() == 0);
        {
            QFile f(file);
            QVERIFY(f.open(QIODevice::ReadWrite));
            const qint64 at = atEnd ? f.size() / 2 / 4096 * 4096 : offset;
            QVERIFY(f.seek(at));
            f.write(QByteArray(4096, '\xA5'));
        }
        CallCache cache;
        QSignalSpy recovered(&cache, &CallCache::recovered);
        QString error;
        QVERIFY2(cache.openFile(file, &error), qPrintable(error));
        QCOMPARE(recovered.count(), 1);
        const QString aside = recovered.first().first().toString();
        QVERIFY(aside.startsWith(file + QStringLiteral(".corrupt-")));
        QVERIFY(QFile::exists(aside));
        // Rebuilt empty, and usable.
        QCOMPARE(cache.callCount(), 0);
        QVERIFY(cache.syncState().isEmpty());
        cache.storeCalls(sb::test::CallGenerator().calls(0, 10));
        cache.flush();
        QCOMPARE(cache.callCount(), 10);
        RawDb raw(file);
        QCOMPARE(raw.scalar(QStringLiteral("PRAGMA quick_check")).toString(), QStringLiteral("ok"));
    }

    void damageInALargeFileIsFoundInTheBackground()
    {
        const QString file = path("late-damage.sqlite");
        {
            CallCache cache;
            QVERIFY(cache.openFile(file));
            cache.storeCalls(sb::test::CallGenerator().calls(0, 3000));
            cache.flush();
        }
        {
            QFile f(file);
            QVERIFY(f.open(QIODevice::ReadWrite));
            QVERIFY(f.seek(f.size() / 2 / 4096 * 4096));
            f.write(QByteArray(4096, '\x5A'));
        }
        CallCache cache;
        cache.setForegroundCheckLimit(0); // as if the file were large
        QSignalSpy recovered(&cache, &CallCache::recovered);
        QVERIFY(cache.openFile(file));  // opens at once ...
        QVERIFY(recovered.wait(10000)); // ... and the check finds the damage in a while
        QCOMPARE(recovered.count(), 1);
        QVERIFY(QFile::exists(recovered.first().first().toString()));
        QVERIFY(cache.isOpen());
        QCOMPARE(cache.callCount(), 0);
        cache.storeCalls(sb::test::CallGenerator().calls(0, 5));
        cache.flush();
        QCOMPARE(cache.callCount(), 5);
    }

    void aHealthyLargeFileIsLeftAlone()
    {
        const QString file = path("healthy.sqlite");
        {
            CallCache cache;
            QVERIFY(cache.openFile(file));
            cache.storeCalls(sb::test::CallGenerator().calls(0, 1000));
            cache.flush();
        }
        CallCache cache;
        cache.setForegroundCheckLimit(0);
        QSignalSpy recovered(&cache, &CallCache::recovered);
        QVERIFY(cache.openFile(file));
        QVERIFY(!recovered.wait(1500));
        QCOMPARE(cache.callCount(), 1000);
        cache.close(); // with a check possibly under way: it is stopped, not waited out
    }

    void aFileThatIsNoDatabaseAtAllIsReplaced()
    {
        const QString file = path("garbage.sqlite");
        {
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray(20000, 'x'));
        }
        CallCache cache;
        QSignalSpy recovered(&cache, &CallCache::recovered);
        QVERIFY(cache.openFile(file));
        QCOMPARE(recovered.count(), 1);
        cache.storeCalls(sb::test::CallGenerator().calls(0, 1));
        cache.flush();
        QCOMPARE(cache.callCount(), 1);
    }

    void aSchemaThisBuildCannotReadIsRebuilt_data()
    {
        QTest::addColumn<QString>("setup");
        QTest::newRow("newer version") << QStringLiteral("PRAGMA user_version = 99");
        QTest::newRow("another program's database") << QStringLiteral("CREATE TABLE notes (x)");
        QTest::newRow("our version, other tables") << QStringLiteral("PRAGMA user_version = 1");
    }

    void aSchemaThisBuildCannotReadIsRebuilt()
    {
        QFETCH(QString, setup);
        const QString file =
            m_dir.filePath(QStringLiteral("schema-%1.sqlite")
                               .arg(QString::fromLatin1(QTest::currentDataTag())
                                        .replace(QLatin1Char(' '), QLatin1Char('-'))));
        {
            RawDb raw(file);
            raw.scalar(QStringLiteral("CREATE TABLE calls (something_else TEXT)"));
            raw.scalar(setup);
        }
        CallCache cache;
        QSignalSpy recovered(&cache, &CallCache::recovered);
        QString error;
        QVERIFY2(cache.openFile(file, &error), qPrintable(error));
        QCOMPARE(recovered.count(), 1);
        RawDb raw(file);
        QCOMPARE(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(),
                 CallCache::SchemaVersion);
        cache.storeCalls(sb::test::CallGenerator().calls(0, 3));
        cache.flush();
        QCOMPARE(cache.callCount(), 3);
    }

    void aFullDiskFailsTheWriteAndKeepsWhatWasStored()
    {
        const QString file = path("full.sqlite");
        sb::test::CallGenerator gen;
        CallCache cache;
        QVERIFY(cache.openFile(file));
        cache.storeCalls(gen.calls(0, 500),
                         {{QStringLiteral("fullSyncCursor"), QStringLiteral("p5")}});
        cache.flush();
        QCOMPARE(cache.callCount(), 500);

        QSignalSpy failed(&cache, &CallCache::writeFailed);
        QSignalSpy stored(&cache, &CallCache::callsStored);
        // Cap the file at its current size: the next pages cannot be allocated (SQLITE_FULL).
        cache.setMaxSizeBytes(QFileInfo(file).size() + 4096);
        cache.storeCalls(gen.calls(500, 5000),
                         {{QStringLiteral("fullSyncCursor"), QStringLiteral("p55")}});
        cache.flush();
        QCOMPARE(failed.count(), 1);
        QVERIFY2(failed.first().first().toString().contains(QStringLiteral("disk is full")),
                 qPrintable(failed.first().first().toString()));
        QCOMPARE(stored.count(), 0);
        // The failed batch left nothing behind, not even its sync state: the next sync
        // fetches it again.
        QCOMPARE(cache.callCount(), 500);
        QCOMPARE(cache.syncState().value(QStringLiteral("fullSyncCursor")).toString(),
                 QStringLiteral("p5"));

        // Reads still work, and once there is room again, writes do too.
        QVERIFY(cache.call(QStringLiteral("call_00000499")));
        cache.setMaxSizeBytes(0);
        cache.storeCalls(gen.calls(5500, 100));
        cache.flush();
        QCOMPARE(cache.callCount(), 600);
        cache.close();
        QVERIFY(cache.openFile(file));
        QCOMPARE(cache.callCount(), 600);
        RawDb raw(file);
        QCOMPARE(raw.scalar(QStringLiteral("PRAGMA integrity_check")).toString(),
                 QStringLiteral("ok"));
    }

    void signedUrlsAreStrippedBeforeStoring()
    {
        CallCache cache;
        QVERIFY(cache.openFile(path("urls.sqlite")));
        Call c = sb::test::CallGenerator().next(1);
        c.recordingUrl = QStringLiteral(
            "https://user:pw@media.example/rec/call_1.wav?X-Amz-Signature=deadbeefsig&token=t0k#f");
        cache.storeCalls({c});
        cache.flush();
        QCOMPARE(cache.call(c.id)->recordingUrl,
                 QStringLiteral("https://media.example/rec/call_1.wav"));
        cache.close();
        const QByteArray bytes = fileBytes(path("urls.sqlite"));
        QVERIFY(!bytes.contains("deadbeefsig"));
        QVERIFY(!bytes.contains("pw@"));
    }

    void holdsNoSecretAfterARealSync()
    {
        // The key the client used against the simulator never reaches the file or its WAL.
        sb::app::SimulatorProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--history-calls"), QStringLiteral("60")}),
                 qPrintable(sim.errorString()));
        Session session;
        QVERIFY(!session.setBaseUrl(sim.baseUrl()).isError());
        const QString key = sim.key();
        QVERIFY(key.size() >= 16);
        session.setApiKey(key);
        Platform *platform = createPlatform(PlatformKind::Talknex, &session, &session);

        const QString file = path("secret.sqlite");
        CallCache cache;
        QVERIFY(cache.openFile(file));
        Pager<Call> pager = platform->calls({}, 100, Lane::Background);
        QList<Call> all;
        bool done = false;
        std::function<void()> next = [&] {
            pager.fetchNext().onFinished(this, [&](const Result<Page<Call>> &r) {
                QVERIFY(r);
                all += r->items;
                cache.storeCalls(r->items, {{QStringLiteral("fullSyncCursor"), pager.cursor()}});
                if (pager.hasMore())
                    next();
                else
                    done = true;
            });
        };
        next();
        QVERIFY(QTest::qWaitFor([&] { return done; }, 30000));
        QVERIFY2(all.size() >= 20, qPrintable(QString::number(all.size())));
        QStringList completed;
        for (const Call &c : std::as_const(all)) {
            if (c.status == CallStatus::Completed && completed.size() < 5)
                completed.append(c.id);
        }
        QCOMPARE(completed.size(), 5);
        int details = 0;
        for (const QString &id : std::as_const(completed)) {
            platform->callDetails(id).onFinished(this, [&](const Result<CallDetails> &r) {
                QVERIFY(r);
                cache.storeDetails(r.value());
                ++details;
            });
        }
        QVERIFY(QTest::qWaitFor([&] { return details == 5; }, 30000));
        cache.appendAlert({0,
                           all.first().id,
                           QStringLiteral("keyword"),
                           QStringLiteral("x"),
                           QDateTime::currentDateTimeUtc(),
                           {},
                           {}});
        cache.flush();
        QCOMPARE(cache.callCount(), all.size());
        QVERIFY(cache.details(completed.first())->transcript.size() > 0);

        // Look while open (WAL and all) and after close (checkpointed).
        auto check = [&](const QString &what) {
            for (const QString &f : QStringList{file, file + QStringLiteral("-wal")}) {
                const QByteArray bytes = fileBytes(f);
                QVERIFY2(!bytes.contains(key.toUtf8()), qPrintable(what + f));
                QVERIFY2(!bytes.contains(QByteArray(reinterpret_cast<const char *>(key.utf16()),
                                                    key.size() * 2)),
                         qPrintable(what + f));
            }
        };
        check(QStringLiteral("open: "));
        cache.close();
        check(QStringLiteral("closed: "));
        QVERIFY(fileBytes(file).contains(all.first().id.toUtf8())); // the grep does see content
    }
};

QTEST_GUILESS_MAIN(TestCallCache)
#include "tst_callcache.moc"
