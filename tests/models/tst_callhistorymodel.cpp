#include "cachetestdata.h"
#include "models/callcache.h"
#include "models/callhistorymodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <functional>

using namespace sb::api;
using sb::models::CallCache;
using sb::models::CallHistoryModel;
using sb::models::HistoryFilter;

namespace {

constexpr int CallCount = 5000;

//! The expected rows, computed in C++ from the generated calls: nothing here asks SQLite.
struct Truth
{
    QList<Call> calls; // in insertion order: rid = index + 1
    QHash<QString, QString> contactNames;

    static int sentimentRank(Sentiment s)
    {
        switch (s) {
        case Sentiment::None:
            return 0;
        case Sentiment::Unknown:
            return 1;
        case Sentiment::Negative:
            return 2;
        case Sentiment::Neutral:
            return 3;
        case Sentiment::Positive:
            return 4;
        }
        return 1;
    }

    static QString remote(const Call &c)
    {
        return c.direction == CallDirection::Outbound ? c.to : c.from;
    }

    bool matches(const Call &c, const HistoryFilter &f) const
    {
        if (!f.agentId.isEmpty() && c.agentId != f.agentId)
            return false;
        if (f.status && c.status != *f.status)
            return false;
        if (f.direction && c.direction != *f.direction)
            return false;
        if (f.sentiment && c.sentiment != *f.sentiment)
            return false;
        if (f.createdFrom.isValid() && c.createdAt < f.createdFrom)
            return false;
        if (f.createdTo.isValid() && c.createdAt >= f.createdTo)
            return false;
        const QString t = f.text.simplified();
        if (t.isEmpty())
            return true;
        static const QRegularExpression phoneLike(QStringLiteral("^[-+0-9(). /]+$"));
        if (phoneLike.match(t).hasMatch()) {
            QString digits;
            for (QChar ch : t) {
                if (ch.isDigit() || (digits.isEmpty() && ch == QLatin1Char('+')))
                    digits.append(ch);
            }
            return remote(c).contains(digits) ||
                   contactNames.value(c.contactId).contains(t, Qt::CaseInsensitive);
        }
        return remote(c).contains(t, Qt::CaseInsensitive) ||
               contactNames.value(c.contactId).contains(t, Qt::CaseInsensitive);
    }

    //! Ids in the order the model must show for \a column / \a order.
    QStringList expected(const HistoryFilter &f, int column, Qt::SortOrder order) const
    {
        QList<int> rows;
        for (int i = 0; i < calls.size(); ++i) {
            if (matches(calls.at(i), f))
                rows.append(i);
        }
        auto key = [&](int i) -> std::tuple<QString, qint64, qint64, int> {
            const Call &c = calls.at(i);
            qint64 k = 0;
            QString s;
            switch (column) {
            case CallHistoryModel::Duration:
                k = c.durationSeconds;
                break;
            case CallHistoryModel::Agent:
                s = c.agentId;
                break;
            case CallHistoryModel::Status:
                k = int(c.status);
                break;
            case CallHistoryModel::Sentiment:
                k = sentimentRank(c.sentiment);
                break;
            case CallHistoryModel::Number:
                s = remote(c);
                break;
            default:
                break;
            }
            return {s, k, c.createdAt.toMSecsSinceEpoch(), i + 1};
        };
        std::sort(rows.begin(), rows.end(), [&](int a, int b) {
            const auto ka = key(a);
            const auto kb = key(b);
            // SQLite compares text by bytes: these strings are ASCII, so QString's order agrees.
            return order == Qt::AscendingOrder ? ka < kb : kb < ka;
        });
        QStringList ids;
        for (int i : std::as_const(rows))
            ids << calls.at(i).id;
        return ids;
    }
};

QStringList modelIds(CallHistoryModel &model)
{
    QStringList ids;
    for (int row = 0; row < model.rowCount(); ++row)
        ids << model.index(row, 0).data(CallHistoryModel::IdRole).toString();
    return ids;
}

} // namespace

//! CallHistoryModel against the truth computed in C++, under the model tester.
class TestCallHistoryModel : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    CallCache m_cache;
    Truth m_truth;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(m_cache.openFile(m_dir.filePath(QStringLiteral("history.sqlite"))));
        sb::test::CallGenerator gen(7, 12, 40);
        QList<Contact> contacts;
        for (int i = 0; i < 40; ++i) {
            Contact c;
            c.id = sb::test::CallGenerator::contactId(i);
            c.name = sb::test::CallGenerator::contactName(i);
            c.phone = QStringLiteral("+1999000%1").arg(i, 4, 10, QLatin1Char('0'));
            contacts << c;
            m_truth.contactNames.insert(c.id, c.name);
        }
        m_cache.storeContacts(contacts);
        for (int i = 0; i < CallCount; i += 500) {
            const QList<Call> batch = gen.calls(i, 500);
            m_truth.calls += batch;
            m_cache.storeCalls(batch);
        }
        m_cache.flush();
        QCOMPARE(m_cache.callCount(), CallCount);
    }

    void passesTheModelTesterThroughFiltersAndSorts()
    {
        CallHistoryModel model(&m_cache);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), CallCount);
        QCOMPARE(model.columnCount(), int(CallHistoryModel::ColumnCount));
        HistoryFilter f;
        f.status = CallStatus::Completed;
        model.setFilter(f);
        model.sort(CallHistoryModel::Duration, Qt::AscendingOrder);
        f.text = QStringLiteral("novak");
        model.setFilter(f);
        model.setFilter({});
        QCOMPARE(model.rowCount(), CallCount);
        QVERIFY(model.lastError().isEmpty());
    }

    void filtersAndSortsAgreeWithTheTruth_data()
    {
        QTest::addColumn<HistoryFilter>("filter");
        const QDateTime newest = m_truth.calls.first().createdAt;
        HistoryFilter f;
        QTest::newRow("everything") << f;
        f = {};
        f.agentId = sb::test::CallGenerator::agentId(3);
        QTest::newRow("agent") << f;
        f = {};
        f.status = CallStatus::NoAnswer;
        QTest::newRow("status") << f;
        f = {};
        f.direction = CallDirection::Inbound;
        QTest::newRow("direction") << f;
        f = {};
        f.sentiment = Sentiment::Negative;
        QTest::newRow("sentiment") << f;
        f = {};
        f.createdFrom = newest.addSecs(-3 * 3600);
        f.createdTo = newest.addSecs(-3600);
        QTest::newRow("date range") << f;
        f = {};
        f.text = Truth::remote(m_truth.calls.at(1234)).mid(4, 6);
        QTest::newRow("number digits") << f;
        f = {};
        const QString r = Truth::remote(m_truth.calls.at(777)).mid(2);
        f.text = QLatin1Char('(') + r.left(3) + QStringLiteral(") ") + r.mid(3, 3) +
                 QLatin1Char('-') + r.mid(6);
        QTest::newRow("number as typed") << f;
        f = {};
        f.text = QStringLiteral("HANA o");
        QTest::newRow("contact name, any case") << f;
        f = {};
        f.text = QStringLiteral("49");
        QTest::newRow("two characters") << f;
        f = {};
        f.text = QStringLiteral("no such thing");
        QTest::newRow("nothing matches") << f;
        f = {};
        f.agentId = sb::test::CallGenerator::agentId(5);
        f.status = CallStatus::Completed;
        f.direction = CallDirection::Outbound;
        f.createdFrom = newest.addSecs(-4 * 3600);
        QTest::newRow("combined") << f;
    }

    void filtersAndSortsAgreeWithTheTruth()
    {
        QFETCH(HistoryFilter, filter);
        CallHistoryModel model(&m_cache);
        model.setFilter(filter);
        for (int column : {int(CallHistoryModel::Created), int(CallHistoryModel::Duration),
                           int(CallHistoryModel::Agent), int(CallHistoryModel::Status),
                           int(CallHistoryModel::Sentiment), int(CallHistoryModel::Number)}) {
            for (Qt::SortOrder order : {Qt::DescendingOrder, Qt::AscendingOrder}) {
                model.sort(column, order);
                const QStringList expected = m_truth.expected(filter, column, order);
                QCOMPARE(model.rowCount(), expected.size());
                const QStringList got = modelIds(model);
                if (got != expected) {
                    int i = 0;
                    while (i < got.size() && got.at(i) == expected.at(i))
                        ++i;
                    QFAIL(
                        qPrintable(QStringLiteral("column %1 order %2: first difference at row %3")
                                       .arg(column)
                                       .arg(int(order))
                                       .arg(i)));
                }
                // The sort role orders the rows as shown.
                for (int row = 1; row < qMin(model.rowCount(), 300); ++row) {
                    const QVariant a =
                        model.index(row - 1, column).data(CallHistoryModel::SortRole);
                    const QVariant b = model.index(row, column).data(CallHistoryModel::SortRole);
                    QVERIFY(order == Qt::AscendingOrder ? QVariant::compare(a, b) <= 0
                                                        : QVariant::compare(a, b) >= 0);
                }
            }
        }
        QVERIFY(filter.isEmpty() || model.rowCount() < CallCount);
    }

    void readsOnlyTheBlocksItIsAskedFor()
    {
        CallHistoryModel model(&m_cache);
        const QStringList expected =
            m_truth.expected({}, CallHistoryModel::Created, Qt::DescendingOrder);
        QCOMPARE(model.rowCount(), CallCount);
        // Far rows first (from the end, the middle), then their neighbours (keyset).
        for (int row : {4999, 2600, 2599, 2855, 1, 3800, 4000, 3999, 0, 255, 256}) {
            QCOMPARE(model.index(row, CallHistoryModel::Created)
                         .data(CallHistoryModel::IdRole)
                         .toString(),
                     expected.at(row));
            QCOMPARE(model.rowOf(expected.at(row)), row);
        }
        QVERIFY(model.cachedBlocks() <= CallHistoryModel::MaxBlocks);
        QCOMPARE(model.rowOf(QStringLiteral("call_not_there")), -1);
        // Display text is formatted; the sort role is raw.
        const Call &c = m_truth.calls.at(CallCount - 1); // the oldest: last row
        QCOMPARE(model.index(4999, CallHistoryModel::Created)
                     .data(CallHistoryModel::SortRole)
                     .toLongLong(),
                 c.createdAt.toMSecsSinceEpoch());
        QCOMPARE(model.index(4999, CallHistoryModel::Number).data().toString(), Truth::remote(c));
        QCOMPARE(
            model.index(4999, CallHistoryModel::Duration).data(CallHistoryModel::SortRole).toInt(),
            c.durationSeconds);
        QCOMPARE(model.index(4999, CallHistoryModel::Duration).data().toString(),
                 QStringLiteral("%1:%2")
                     .arg(c.durationSeconds / 60)
                     .arg(c.durationSeconds % 60, 2, 10, QLatin1Char('0')));
        QCOMPARE(model.index(4999, CallHistoryModel::Contact).data().toString(),
                 m_truth.contactNames.value(c.contactId));
        model.setAgentNames({{c.agentId, QStringLiteral("Front desk")}});
        QCOMPARE(model.index(4999, CallHistoryModel::Agent).data().toString(),
                 QStringLiteral("Front desk"));
        QCOMPARE(
            model.index(4999, CallHistoryModel::Agent).data(CallHistoryModel::SortRole).toString(),
            c.agentId);
    }

    void contactAndDirectionDoNotSort()
    {
        CallHistoryModel model(&m_cache);
        model.sort(CallHistoryModel::Status, Qt::AscendingOrder);
        model.sort(CallHistoryModel::Contact, Qt::AscendingOrder);
        QCOMPARE(model.sortColumn(), int(CallHistoryModel::Status));
        model.sort(CallHistoryModel::Direction, Qt::AscendingOrder);
        QCOMPARE(model.sortColumn(), int(CallHistoryModel::Status));
        QVERIFY(!CallHistoryModel::isSortable(CallHistoryModel::Contact));
        QVERIFY(!CallHistoryModel::isSortable(CallHistoryModel::Direction));
    }

    void followsTheCacheWithoutResetting()
    {
        QTemporaryDir dir;
        CallCache cache;
        QVERIFY(cache.openFile(dir.filePath(QStringLiteral("live.sqlite"))));
        sb::test::CallGenerator gen(11);
        QList<Call> calls = gen.calls(0, 600);
        cache.storeCalls(calls);
        cache.flush();
        CallHistoryModel model(&cache);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 600);
        QCOMPARE(model.index(0, 0).data(CallHistoryModel::IdRole).toString(), calls.first().id);
        QPersistentModelIndex watched = model.index(3, CallHistoryModel::Status);

        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

        // An update in place: same rows in the same places, one row's data changes.
        Call updated = calls.at(3);
        updated.status = CallStatus::Failed;
        updated.updatedAt = updated.updatedAt.addSecs(60);
        cache.storeCalls({updated});
        cache.flush();
        QVERIFY(QTest::qWaitFor([&] { return changed.count() > 0; }, 5000));
        QCOMPARE(resets.count(), 0);
        QCOMPARE(changed.first().at(0).toModelIndex().row(), 3);
        QCOMPARE(changed.first().at(1).toModelIndex().row(), 3);
        QCOMPARE(model.index(3, CallHistoryModel::Status).data().toString(),
                 QStringLiteral("Failed"));

        // A change to a call far from the rows read so far: nothing to announce, and the row
        // reads fresh when the view gets there.
        QVERIFY(model.rowOf(calls.at(590).id) < 0);
        const int changesBefore = int(changed.count());
        Call far = calls.at(590);
        far.status = CallStatus::Busy;
        far.updatedAt = far.updatedAt.addSecs(60);
        cache.storeCalls({far});
        cache.flush();
        QTest::qWait(400);
        QCOMPARE(changed.count(), changesBefore);
        QCOMPARE(resets.count(), 0);
        QCOMPARE(model.index(590, CallHistoryModel::Status).data().toString(),
                 QStringLiteral("Busy"));

        // Two new calls, newer than all: inserted at the top, the watched row moves down.
        Call a = calls.first();
        a.id = QStringLiteral("call_new_a");
        a.createdAt = a.createdAt.addSecs(30);
        Call b = a;
        b.id = QStringLiteral("call_new_b");
        b.createdAt = a.createdAt.addSecs(30);
        cache.storeCalls({a, b});
        cache.flush();
        QVERIFY(QTest::qWaitFor([&] { return inserted.count() > 0; }, 5000));
        QCOMPARE(resets.count(), 0);
        QCOMPARE(inserted.first().at(1).toInt(), 0);
        QCOMPARE(inserted.first().at(2).toInt(), 1);
        QCOMPARE(model.rowCount(), 602);
        QCOMPARE(model.index(0, 0).data(CallHistoryModel::IdRole).toString(), b.id);
        QCOMPARE(watched.row(), 5);
        QCOMPARE(watched.data(CallHistoryModel::IdRole).toString(), updated.id);

        // Sorted by status, a status change moves a row. The loaded rows are checked against
        // the new order: a cheap reset if they moved, dataChanged if only contents changed.
        model.sort(CallHistoryModel::Status, Qt::AscendingOrder);
        QSignalSpy counted(&model, &CallHistoryModel::countChanged);
        Call moved = a;
        moved.status = CallStatus::Canceled;
        moved.updatedAt = moved.updatedAt.addSecs(120);
        cache.storeCalls({moved});
        cache.flush();
        QVERIFY(QTest::qWaitFor([&] { return counted.count() > 0; }, 5000));
        QCOMPARE(model.rowCount(), 602);
        for (int row = 1; row < model.rowCount(); ++row) {
            QVERIFY(model.index(row - 1, CallHistoryModel::Status)
                        .data(CallHistoryModel::SortRole)
                        .toInt() <= model.index(row, CallHistoryModel::Status)
                                        .data(CallHistoryModel::SortRole)
                                        .toInt());
        }
        QCOMPARE(model.index(model.rowOf(a.id), CallHistoryModel::Status).data().toString(),
                 QStringLiteral("Canceled"));

        // Removal.
        cache.removeCall(a.id);
        cache.flush();
        QVERIFY(QTest::qWaitFor([&] { return model.rowCount() == 601; }, 5000));
        QCOMPARE(model.rowOf(a.id), -1);
    }

    void saysHowStaleItIs()
    {
        QTemporaryDir dir;
        CallCache cache;
        QVERIFY(cache.openFile(dir.filePath(QStringLiteral("stale.sqlite"))));
        CallHistoryModel model(&cache);
        QVERIFY(!model.lastSyncAt().isValid());
        QCOMPARE(model.stalenessText(), QStringLiteral("not synced yet"));
        QSignalSpy stale(&model, &CallHistoryModel::stalenessChanged);
        const QDateTime fiveMinAgo = QDateTime::currentDateTimeUtc().addSecs(-5 * 60 - 5);
        // As the sync service writes it (ISO text), with no calls in the page.
        cache.storeCalls({},
                         {{QStringLiteral("lastSyncAt"), fiveMinAgo.toString(Qt::ISODateWithMs)}});
        cache.flush();
        QVERIFY(QTest::qWaitFor([&] { return stale.count() > 0; }, 5000));
        QCOMPARE(model.lastSyncAt().toMSecsSinceEpoch(), fiveMinAgo.toMSecsSinceEpoch());
        QCOMPARE(model.stalenessText(), QStringLiteral("updated 5 min ago"));
        cache.storeCalls(
            {}, {{QStringLiteral("lastSyncAt"), QDateTime::currentDateTimeUtc().addDays(-3)}});
        cache.flush();
        QVERIFY(QTest::qWaitFor([&] { return stale.count() > 1; }, 5000));
        QCOMPARE(model.stalenessText(), QStringLiteral("updated 3 day(s) ago"));
    }

    void worksOfflineAndAfterARebuild()
    {
        // Nothing here has a network: the history is the cache. A rebuilt cache empties it.
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("offline.sqlite"));
        {
            CallCache cache;
            QVERIFY(cache.openFile(file));
            cache.storeCalls(sb::test::CallGenerator(3).calls(0, 300));
            cache.flush();
        }
        CallCache cache;
        QVERIFY(cache.openFile(file));
        CallHistoryModel model(&cache);
        QCOMPARE(model.rowCount(), 300);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        Q_EMIT cache.recovered(QString()); // as after a rebuild
        QCOMPARE(resets.count(), 1);
    }
};

QTEST_GUILESS_MAIN(TestCallHistoryModel)
#include "tst_callhistorymodel.moc"
