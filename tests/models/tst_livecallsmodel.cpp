// LiveCallsModel under the model tester: synthetic batches (targeted changes, no resets, the
// linger, a late REST listing, the one-timer duration tick, the alert column), then the real
// simulator's live calls through the real stream client.
#include "livetestevents.h"
#include "simulatorprocess.h"

#include "api/livestream.h"
#include "api/platform.h"
#include "api/session.h"
#include "models/alertservice.h"
#include "models/livecallsmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>

using namespace sb::api;
using namespace sb::models;
using sb::test::EventFactory;

namespace {
void checkIndex(const LiveCallsModel &model)
{
    for (int row = 0; row < model.rowCount(); ++row)
        QCOMPARE(model.rowOf(model.callAt(row).id), row);
}
} // namespace

class TestLiveCallsModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void batchesUpdateRowsInPlace()
    {
        LiveCallsModel model;
        model.setLingerMs(0);
        model.setTickIntervalMs(3600 * 1000); // no duration ticks among the counted signals
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setSortRole(LiveCallsModel::SortRole);
        proxy.setDynamicSortFilter(true);
        proxy.sort(LiveCallsModel::Sentiment);
        QAbstractItemModelTester proxyTester(
            &proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setAgentNameLookup([](const QString &id) {
            return id == QLatin1String("agent_1") ? QStringLiteral("Ava") : QString();
        });
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);

        EventFactory f;
        const Call a = EventFactory::call(QStringLiteral("call_a1"), CallStatus::Ringing);
        const Call b = EventFactory::call(QStringLiteral("call_b2"), CallStatus::InProgress);
        model.applyBatch({f.started(a), f.started(b)});
        QCOMPARE(model.rowCount(), 2);
        checkIndex(model);
        QCOMPARE(model.index(0, LiveCallsModel::Agent).data().toString(), QStringLiteral("Ava"));
        QCOMPARE(model.index(0, LiveCallsModel::Number).data().toString(), a.from);
        QCOMPARE(model.index(0, LiveCallsModel::Status).data(LiveCallsModel::StatusRole).toInt(),
                 int(CallStatus::Ringing));

        // One batch with several events of one call: one dataChanged for that row only.
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.applyBatch(
            {f.status(a.id, CallStatus::InProgress),
             f.line(a.id, SpeakerRole::Agent, QStringLiteral("Hello, this"), 500, 0, false),
             f.line(a.id, SpeakerRole::Agent, QStringLiteral("Hello, this is Ava."), 500, 2000,
                    true),
             f.sentiment(a.id, Sentiment::Positive, 0.5)});
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.first().at(0).toModelIndex().row(), 0);
        QCOMPARE(changed.first().at(1).toModelIndex().row(), 0);
        const QModelIndex latest = model.index(0, LiveCallsModel::LatestLine);
        QVERIFY(latest.data().toString().endsWith(QLatin1String("Hello, this is Ava.")));
        QVERIFY(latest.data(LiveCallsModel::LatestIsFinalRole).toBool());
        QCOMPARE(model.index(0, 0).data(LiveCallsModel::StatusRole).toInt(),
                 int(CallStatus::InProgress));

        // An interim chunk of the next line shows at once; a late interim never undoes a final.
        changed.clear();
        model.applyBatch(
            {f.line(a.id, SpeakerRole::Caller, QStringLiteral("I need"), 2600, 0, false),
             f.line(a.id, SpeakerRole::Agent, QStringLiteral("Hello"), 500, 0, false),
             f.sentiment(a.id, Sentiment::Negative, -0.4)});
        QVERIFY(latest.data().toString().contains(QLatin1String("I need")));
        QVERIFY(!latest.data(LiveCallsModel::LatestIsFinalRole).toBool());
        QCOMPARE(model.index(0, 0).data(LiveCallsModel::SentimentTrendRole).toInt(), -1);
        QCOMPARE(model.index(0, 0).data(LiveCallsModel::SentimentScoreRole).toDouble(), -0.4);
        QCOMPARE(changed.count(), 1);

        // Events of calls not in the set are ignored.
        model.applyBatch({f.sentiment(QStringLiteral("call_zz"), Sentiment::Positive, 1)});
        QCOMPARE(model.rowCount(), 2);

        // The first call ends: with no linger it leaves with the batch, and stays gone even
        // when an older REST listing still says it is running.
        QSignalSpy removed(&model, &LiveCallsModel::callRemoved);
        model.applyBatch({f.status(a.id, CallStatus::Completed)});
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(removed.count(), 1);
        QCOMPARE(model.rowOf(a.id), -1);
        checkIndex(model);
        model.upsertCall(a);
        QCOMPARE(model.rowCount(), 1);
        model.applyBatch({f.ended(a, CallStatus::Completed)});
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(resets.count(), 0);
    }

    void endedCallLingers()
    {
        LiveCallsModel model;
        model.setLingerMs(300);
        model.setTickIntervalMs(50);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        EventFactory f;
        const Call a = EventFactory::call(QStringLiteral("call_a1"), CallStatus::InProgress);
        const Call b = EventFactory::call(QStringLiteral("call_b2"), CallStatus::InProgress);
        const Call c = EventFactory::call(QStringLiteral("call_c3"), CallStatus::InProgress);
        model.applyBatch({f.started(a), f.started(b), f.started(c)});
        model.applyBatch({f.ended(b, CallStatus::Completed)});
        QCOMPARE(model.rowCount(), 3);
        QVERIFY(model.index(1, 0).data(LiveCallsModel::EndedRole).toBool());
        QCOMPARE(model.index(1, LiveCallsModel::Status).data().toString(),
                 LiveCallsModel::tr("Ended"));
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 2, 10000);
        QCOMPARE(model.rowOf(c.id), 1);
        checkIndex(model);
    }

    void durationsTickWithOneSignal()
    {
        LiveCallsModel model;
        model.setTickIntervalMs(100);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        EventFactory f;
        QList<StreamEvent> batch;
        for (int i = 0; i < 5; ++i) {
            Call c = EventFactory::call(QStringLiteral("call_%1").arg(i, 2, 10, QLatin1Char('0')),
                                        CallStatus::InProgress);
            c.startedAt = QDateTime::currentDateTimeUtc().addSecs(-60 * i);
            batch.append(f.started(c));
        }
        model.applyBatch(batch);
        QCOMPARE(model.index(3, LiveCallsModel::Duration).data().toString(),
                 QStringLiteral("3:00"));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QTRY_VERIFY_WITH_TIMEOUT(!changed.isEmpty(), 5000);
        const QModelIndex from = changed.first().at(0).toModelIndex();
        const QModelIndex to = changed.first().at(1).toModelIndex();
        QCOMPARE(from.row(), 0);
        QCOMPARE(to.row(), 4);
        QCOMPARE(from.column(), int(LiveCallsModel::Duration));
        QCOMPARE(to.column(), int(LiveCallsModel::Duration));
        const qint64 before =
            model.index(1, LiveCallsModel::Duration).data(LiveCallsModel::SortRole).toLongLong();
        QTRY_VERIFY_WITH_TIMEOUT(
            model.index(1, LiveCallsModel::Duration).data(LiveCallsModel::SortRole).toLongLong() >
                before,
            5000);
    }

    void alertColumnFollowsTheService()
    {
        LiveCallsModel model;
        AlertService service;
        service.setCheckIntervalMs(0);
        model.setAlertService(&service);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        EventFactory f;
        const Call a = EventFactory::call(QStringLiteral("call_a1"), CallStatus::InProgress);
        const QList<StreamEvent> batch{
            f.started(a), f.caller(a.id, QStringLiteral("I want the manager"), 0, 1000),
            f.toolCall(a.id, QStringLiteral("transfer_to_human"), {})};
        model.applyBatch(batch);
        service.applyBatch(batch);
        const QModelIndex alert = model.index(0, LiveCallsModel::AlertState);
        QCOMPARE(alert.data(LiveCallsModel::AlertSeverityRole).toInt(),
                 int(AlertSeverity::Critical));
        for (const Alert &x : service.alerts()) {
            if (x.rule == AlertRule::transfer())
                service.acknowledge(x.id, QStringLiteral("sam"));
        }
        QCOMPARE(alert.data(LiveCallsModel::AlertSeverityRole).toInt(),
                 int(AlertSeverity::Warning));
    }

    void followsTheSimulatorsLiveCalls()
    {
        sb::app::SimulatorProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--history-calls"), QStringLiteral("5"),
                            QStringLiteral("--live-calls"), QStringLiteral("4"),
                            QStringLiteral("--speed"), QStringLiteral("30")}),
                 qPrintable(sim.errorString()));
        Session session;
        QVERIFY(!session.setBaseUrl(sim.baseUrl()).isError());
        session.setApiKey(sim.key());
        Platform *platform = createPlatform(PlatformKind::Talknex, &session, &session);
        LiveStream stream(platform);
        LiveCallsModel model;
        model.setLingerMs(1000);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setSortRole(LiveCallsModel::SortRole);
        proxy.setDynamicSortFilter(true);
        proxy.sort(LiveCallsModel::Duration, Qt::DescendingOrder);
        QAbstractItemModelTester proxyTester(
            &proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy added(&model, &LiveCallsModel::callAdded);
        QSignalSpy removed(&model, &LiveCallsModel::callRemoved);

        // Remember every latest line a row showed, to see it change.
        QHash<QString, QSet<QString>> lines;
        bool durationTicked = false;
        connect(&model, &QAbstractItemModel::dataChanged, this,
                [&](const QModelIndex &from, const QModelIndex &to) {
                    if (from.column() == LiveCallsModel::Duration && from.row() == 0 &&
                        to.row() == model.rowCount() - 1 && to.column() == from.column())
                        durationTicked = true;
                    for (int row = from.row(); row <= to.row(); ++row) {
                        const QString text =
                            model.index(row, LiveCallsModel::LatestLine).data().toString();
                        if (!text.isEmpty())
                            lines[model.callAt(row).id].insert(text);
                    }
                });

        model.attach(&stream);
        model.loadActive(platform);
        stream.start();

        // The running calls show up (listed by REST and started on the channel).
        QTRY_VERIFY_WITH_TIMEOUT(model.rowCount() >= 3, 30000);
        QVERIFY(stream.subscribedCalls().size() >= 3);
        // Their latest lines change as they talk.
        QTRY_VERIFY_WITH_TIMEOUT(
            std::any_of(lines.cbegin(), lines.cend(), [](const auto &s) { return s.size() >= 3; }),
            60000);
        // A call ends and leaves the set (after its linger); new ones replace it.
        QTRY_VERIFY_WITH_TIMEOUT(removed.count() >= 1, 60000);
        const QString gone = removed.first().first().toString();
        QCOMPARE(model.rowOf(gone), -1);
        QVERIFY(!stream.subscribedCalls().contains(gone));
        QTRY_VERIFY_WITH_TIMEOUT(added.count() > 4, 60000);
        // Durations tick, with one signal for the column.
        QTRY_VERIFY_WITH_TIMEOUT(durationTicked, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(model.rowCount() > 0 && proxy.index(0, LiveCallsModel::Duration)
                                                                 .data(LiveCallsModel::SortRole)
                                                                 .toLongLong() >= 1,
                                 30000);
        for (int row = 0; row < model.rowCount(); ++row)
            QCOMPARE(model.rowOf(model.callAt(row).id), row);
        QCOMPARE(resets.count(), 0);
    }
};

QTEST_GUILESS_MAIN(TestLiveCallsModel)
#include "tst_livecallsmodel.moc"
