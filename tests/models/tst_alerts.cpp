// The alert rules on synthetic stream events (thresholds, once per episode, whole words, silence,
// tool errors, transfers), the rules as settings, the alert log with the model tester, and one
// run against the real simulator that must see a transfer or a negative caller.
#include "livetestevents.h"
#include "simulatorprocess.h"

#include "api/livestream.h"
#include "api/platform.h"
#include "api/session.h"
#include "models/alertlogmodel.h"
#include "models/alertservice.h"
#include "models/callcache.h"
#include "models/livecallsmodel.h"

#include <QAbstractItemModelTester>
#include <QSettings>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTemporaryDir>
#include <QTest>

using namespace sb::api;
using namespace sb::models;
using sb::test::EventFactory;

namespace {
const QString kCall = QStringLiteral("call_a1");

int countRule(const AlertService &service, const QString &rule)
{
    int n = 0;
    for (const Alert &a : service.alerts())
        n += a.rule == rule ? 1 : 0;
    return n;
}

//! A service with no wall-clock timer: the tests drive time through events and checkTimers().
void quiet(AlertService &service)
{
    service.setCheckIntervalMs(0);
}
} // namespace

class TestAlerts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rulesRoundTripThroughSettings()
    {
        AlertRules rules;
        rules.negativeSentimentSeconds = 42;
        rules.silenceSeconds = 0;
        rules.toolErrors = false;
        rules.keywords = {QStringLiteral("refund")};
        QCOMPARE(AlertRules::fromMap(rules.toMap()), rules);

        // Through an INI file, where booleans and one-item lists come back as strings.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("alerts.ini"));
        {
            QSettings s(path, QSettings::IniFormat);
            s.setValue(QStringLiteral("alerts"), rules.toMap());
        }
        QSettings s(path, QSettings::IniFormat);
        QCOMPARE(AlertRules::fromMap(s.value(QStringLiteral("alerts")).toMap()), rules);

        // Garbage keeps the defaults.
        const AlertRules fallback = AlertRules::fromMap(
            {{QStringLiteral("negativeSentimentSeconds"), QStringLiteral("soon")},
             {QStringLiteral("silenceSeconds"), -3}});
        QCOMPARE(fallback, AlertRules());
    }

    void negativeSentimentFiresOncePerEpisode()
    {
        AlertService service;
        quiet(service);
        AlertRules rules;
        rules.negativeSentimentSeconds = 20;
        service.setRules(rules);
        QSignalSpy raised(&service, &AlertService::alertRaised);
        EventFactory f;
        service.applyBatch({f.status(kCall, CallStatus::InProgress),
                            f.caller(kCall, QStringLiteral("This is bad."), 500, 2000),
                            f.sentiment(kCall, Sentiment::Negative, -0.6)});
        // Call time moves with the final lines: 19 s after the negative turn is not enough.
        service.applyBatch({f.caller(kCall, QStringLiteral("Still bad."), 15000, 21000)});
        QCOMPARE(raised.count(), 0);
        service.applyBatch({f.caller(kCall, QStringLiteral("Worse."), 21500, 22500)});
        QCOMPARE(raised.count(), 1);
        const Alert a = raised.first().first().value<Alert>();
        QCOMPARE(a.rule, AlertRule::negativeSentiment());
        QCOMPARE(a.callId, kCall);
        QVERIFY(a.at.isValid());
        QVERIFY(a.id > 0);
        // Still negative: the same episode, no second alert.
        service.applyBatch({f.sentiment(kCall, Sentiment::Negative, -0.8),
                            f.caller(kCall, QStringLiteral("Terrible."), 40000, 60000)});
        QCOMPARE(raised.count(), 1);
        // The caller recovers, then turns again: a new episode, a second alert after 20 s.
        service.applyBatch({f.sentiment(kCall, Sentiment::Neutral, 0.0),
                            f.sentiment(kCall, Sentiment::Negative, -0.5)});
        service.applyBatch({f.caller(kCall, QStringLiteral("No."), 61000, 79000)});
        QCOMPARE(raised.count(), 1);
        service.applyBatch({f.caller(kCall, QStringLiteral("No!"), 80000, 81000)});
        QCOMPARE(raised.count(), 2);
        // A short negative spell that ends before the threshold raises nothing.
        service.applyBatch({f.sentiment(kCall, Sentiment::Positive, 0.4),
                            f.sentiment(kCall, Sentiment::Negative, -0.4),
                            f.caller(kCall, QStringLiteral("Hm."), 82000, 90000),
                            f.sentiment(kCall, Sentiment::Neutral, 0.0),
                            f.caller(kCall, QStringLiteral("Fine."), 91000, 150000)});
        QCOMPARE(raised.count(), 2);
    }

    void negativeSentimentBetweenLinesUsesTheClock()
    {
        // No line for a while: call time runs on at the configured rate (here 10x).
        AlertService service;
        quiet(service);
        service.setCallTimeRate(10);
        EventFactory f;
        service.applyBatch({f.status(kCall, CallStatus::InProgress),
                            f.caller(kCall, QStringLiteral("Ugh."), 100, 1000),
                            f.sentiment(kCall, Sentiment::Negative, -0.7)});
        service.checkTimers(f.steadyMs + 1900); // 19 s of call time
        QCOMPARE(countRule(service, AlertRule::negativeSentiment()), 0);
        service.checkTimers(f.steadyMs + 2100);
        QCOMPARE(countRule(service, AlertRule::negativeSentiment()), 1);
    }

    void keywordWholeWords_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("final");
        QTest::addColumn<int>("alerts");
        QTest::newRow("word") << QStringLiteral("Get me a manager.") << true << 1;
        QTest::newRow("case") << QStringLiteral("MANAGER, now!") << true << 1;
        QTest::newRow("inside a word") << QStringLiteral("Management said so.") << true << 0;
        QTest::newRow("prefix") << QStringLiteral("The managers' office") << true << 0;
        QTest::newRow("phrase") << QStringLiteral("I want a real  person please") << true << 1;
        QTest::newRow("interim") << QStringLiteral("Get me a manager") << false << 0;
        QTest::newRow("two keywords")
            << QStringLiteral("Cancel it or I call my lawyer") << true << 2;
        QTest::newRow("unicode boundary") << QStringLiteral("managerä") << true << 0;
    }

    void keywordWholeWords()
    {
        QFETCH(QString, text);
        QFETCH(bool, final);
        QFETCH(int, alerts);
        AlertService service;
        quiet(service);
        EventFactory f;
        service.applyBatch({f.status(kCall, CallStatus::InProgress),
                            f.line(kCall, SpeakerRole::Caller, text, 1000, 3000, final)});
        QCOMPARE(countRule(service, AlertRule::keyword()), alerts);
    }

    void keywordOncePerCallAndEditable()
    {
        AlertService service;
        quiet(service);
        AlertRules rules;
        rules.keywords = {QStringLiteral("refund")};
        service.setRules(rules);
        EventFactory f;
        service.applyBatch({f.caller(kCall, QStringLiteral("I want a refund."), 0, 1000),
                            f.caller(kCall, QStringLiteral("A REFUND, I said."), 2000, 3000),
                            f.caller(kCall, QStringLiteral("Get me a manager."), 4000, 5000)});
        QCOMPARE(countRule(service, AlertRule::keyword()), 1); // manager is not on this list
        QVERIFY(service.alerts().first().detail.contains(QLatin1String("refund")));
        service.applyBatch({f.caller(QStringLiteral("call_b2"), QStringLiteral("refund"), 0, 1)});
        QCOMPARE(countRule(service, AlertRule::keyword()), 2); // another call
    }

    void longSilence()
    {
        AlertService service;
        quiet(service);
        AlertRules rules;
        rules.silenceSeconds = 15;
        service.setRules(rules);
        EventFactory f;
        const qint64 t0 = f.steadyMs;
        // Ringing is not silence.
        service.applyBatch({f.status(kCall, CallStatus::Ringing)});
        service.checkTimers(t0 + 60000);
        QCOMPARE(countRule(service, AlertRule::silence()), 0);

        f.steadyMs = t0 + 60000;
        service.applyBatch({f.status(kCall, CallStatus::InProgress),
                            f.caller(kCall, QStringLiteral("Hello?"), 0, 1000)});
        service.checkTimers(f.steadyMs + 14000);
        QCOMPARE(countRule(service, AlertRule::silence()), 0);
        service.checkTimers(f.steadyMs + 16000);
        QCOMPARE(countRule(service, AlertRule::silence()), 1);
        service.checkTimers(f.steadyMs + 40000);
        QCOMPARE(countRule(service, AlertRule::silence()), 1); // one per silent spell
        // Someone speaks: the next spell may fire again.
        f.steadyMs += 41000;
        service.applyBatch(
            {f.line(kCall, SpeakerRole::Agent, QStringLiteral("Are"), 42000, 0, false)});
        service.checkTimers(f.steadyMs + 10000);
        QCOMPARE(countRule(service, AlertRule::silence()), 1);
        service.checkTimers(f.steadyMs + 15000);
        QCOMPARE(countRule(service, AlertRule::silence()), 2);

        // A disconnected stream is not a silent call.
        f.steadyMs += 20000;
        service.applyBatch({f.caller(kCall, QStringLiteral("Yes."), 70000, 71000)});
        service.setStreamConnected(false);
        service.checkTimers(f.steadyMs + 60000);
        QCOMPARE(countRule(service, AlertRule::silence()), 2);

        // Once the call ended, silence is expected.
        service.setStreamConnected(true);
        f.steadyMs = AlertService::steadyNowMs();
        service.applyBatch({f.status(kCall, CallStatus::Completed)});
        service.checkTimers(f.steadyMs + 120000);
        QCOMPARE(countRule(service, AlertRule::silence()), 2);
    }

    void silenceInCallTime()
    {
        // 30x: 0.6 s of wall time is 18 s of call time.
        AlertService service;
        quiet(service);
        service.setCallTimeRate(30);
        EventFactory f;
        service.applyBatch({f.status(kCall, CallStatus::InProgress)});
        service.checkTimers(f.steadyMs + 400);
        QCOMPARE(countRule(service, AlertRule::silence()), 0);
        service.checkTimers(f.steadyMs + 600);
        QCOMPARE(countRule(service, AlertRule::silence()), 1);
    }

    void silenceWaitsForPolledLines()
    {
        // Lines that come by polling arrive up to one poll interval late: that gap is not
        // silence. 30x as above; a 1 s (wall) poll interval is 30 s of call time more.
        AlertService service;
        quiet(service);
        service.setCallTimeRate(30);
        service.setTranscriptDelay([] { return qint64(1000); });
        EventFactory f;
        service.applyBatch({f.status(kCall, CallStatus::InProgress)});
        service.checkTimers(f.steadyMs + 600);
        QCOMPARE(countRule(service, AlertRule::silence()), 0);
        service.checkTimers(f.steadyMs + 1400);
        QCOMPARE(countRule(service, AlertRule::silence()), 0);
        service.checkTimers(f.steadyMs + 1700);
        QCOMPARE(countRule(service, AlertRule::silence()), 1);
    }

    void toolErrors_data()
    {
        QTest::addColumn<QJsonValue>("result");
        QTest::addColumn<bool>("fires");
        QTest::newRow("ok") << QJsonValue(QJsonObject{{QStringLiteral("confirmed"), true}})
                            << false;
        QTest::newRow("error string")
            << QJsonValue(QJsonObject{{QStringLiteral("error"), QStringLiteral("timeout")}})
            << true;
        QTest::newRow("error object")
            << QJsonValue(
                   QJsonObject{{QStringLiteral("error"),
                                QJsonObject{{QStringLiteral("message"), QStringLiteral("503")}}}})
            << true;
        QTest::newRow("ok false") << QJsonValue(QJsonObject{{QStringLiteral("ok"), false}}) << true;
        QTest::newRow("null error")
            << QJsonValue(QJsonObject{{QStringLiteral("error"), QJsonValue::Null}}) << false;
        QTest::newRow("plain string") << QJsonValue(QStringLiteral("done")) << false;
    }

    void toolErrors()
    {
        QFETCH(QJsonValue, result);
        QFETCH(bool, fires);
        AlertService service;
        quiet(service);
        EventFactory f;
        const QString tool = QStringLiteral("lookup_order");
        service.applyBatch({f.toolCall(kCall, tool, {}), f.toolResult(kCall, tool, result)});
        QCOMPARE(countRule(service, AlertRule::toolError()), fires ? 1 : 0);
        if (fires)
            QVERIFY(service.alerts().first().detail.contains(tool));
    }

    void transferToHuman()
    {
        AlertService service;
        quiet(service);
        EventFactory f;
        const Call call = EventFactory::call(kCall, CallStatus::InProgress);
        service.applyBatch(
            {f.started(call),
             f.toolCall(kCall, QStringLiteral("transfer_to_human"),
                        {{QStringLiteral("reason"), QStringLiteral("caller asked")}}),
             f.toolResult(kCall, QStringLiteral("transfer_to_human"),
                          QJsonObject{{QStringLiteral("transferred"), true}}),
             f.status(kCall, CallStatus::Completed)});
        service.applyBatch({f.ended(call, CallStatus::Completed, EndReason::Transfer)});
        QCOMPARE(countRule(service, AlertRule::transfer()), 1); // not again for the end reason
        QVERIFY(service.alerts().first().detail.contains(QLatin1String("caller asked")));

        // Only the end reason says so (the tool call was missed): still one alert.
        const QString other = QStringLiteral("call_b2");
        service.applyBatch({f.ended(EventFactory::call(other, CallStatus::InProgress),
                                    CallStatus::Completed, EndReason::Transfer)});
        QCOMPARE(countRule(service, AlertRule::transfer()), 2);

        AlertRules off;
        off.transfers = false;
        service.setRules(off);
        service.applyBatch(
            {f.toolCall(QStringLiteral("call_c3"), QStringLiteral("transfer_to_human"), {})});
        QCOMPARE(countRule(service, AlertRule::transfer()), 2);
    }

    void replayedEventsDoNotFireTwice()
    {
        AlertService service;
        quiet(service);
        EventFactory f;
        const QList<StreamEvent> batch{
            f.caller(kCall, QStringLiteral("Get me a manager"), 0, 1000),
            f.toolResult(kCall, QStringLiteral("x"),
                         QJsonObject{{QStringLiteral("error"), QStringLiteral("boom")}})};
        service.applyBatch(batch);
        service.applyBatch(batch);
        QCOMPARE(service.alerts().size(), 2);
    }

    void acknowledgeAndLogModel()
    {
        AlertService service;
        quiet(service);
        QList<Alert> sunk;
        service.setSink([&](const Alert &a) { sunk.append(a); });
        AlertLogModel log(&service);
        QAbstractItemModelTester tester(&log,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&log);
        proxy.setSortRole(AlertLogModel::SortRole);
        proxy.sort(AlertLogModel::Severity, Qt::DescendingOrder);
        QAbstractItemModelTester proxyTester(
            &proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy severity(&service, &AlertService::callSeverityChanged);

        EventFactory f;
        service.applyBatch(
            {f.caller(kCall, QStringLiteral("manager"), 0, 1000),
             f.toolCall(kCall, QStringLiteral("transfer_to_human"), {}),
             f.toolResult(QStringLiteral("call_b2"), QStringLiteral("t"),
                          QJsonObject{{QStringLiteral("error"), QStringLiteral("boom")}})});
        QCOMPARE(log.rowCount(), 3);
        QCOMPARE(sunk.size(), 3);
        // Newest first, and the index agrees.
        QCOMPARE(log.index(0, AlertLogModel::Call).data().toString(), QStringLiteral("call_b2"));
        for (int row = 0; row < log.rowCount(); ++row)
            QCOMPARE(log.rowOf(log.alertAt(row).id), row);
        QCOMPARE(service.highestUnacknowledged(kCall), AlertSeverity::Critical);
        QCOMPARE(proxy.index(0, AlertLogModel::Rule).data(AlertLogModel::RuleRole).toString(),
                 AlertRule::transfer());

        const qint64 transferId = log.alertAt(1).id;
        QSignalSpy changed(&log, &QAbstractItemModel::dataChanged);
        QVERIFY(log.acknowledge(transferId, QStringLiteral("sam")));
        QVERIFY(!log.acknowledge(transferId, QStringLiteral("sam"))); // already done
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.first().at(0).toModelIndex().row(), 1);
        QVERIFY(log.index(1, 0).data(AlertLogModel::AcknowledgedRole).toBool());
        QVERIFY(log.index(1, AlertLogModel::Acknowledged)
                    .data()
                    .toString()
                    .contains(QLatin1String("sam")));
        QCOMPARE(sunk.size(), 4);
        QVERIFY(sunk.last().isAcknowledged());
        QCOMPARE(service.highestUnacknowledged(kCall), AlertSeverity::Warning);
        QVERIFY(log.acknowledge(log.alertAt(2).id, QStringLiteral("sam")));
        QCOMPARE(service.highestUnacknowledged(kCall), AlertSeverity::None);
        QVERIFY(severity.count() >= 3);

        // Bounded: the oldest rows leave from the bottom.
        log.setMaxRows(2);
        QCOMPARE(log.rowCount(), 2);
        QCOMPARE(log.rowOf(transferId), 1);
        service.applyBatch({f.caller(QStringLiteral("call_d4"), QStringLiteral("lawyer"), 0, 1)});
        QCOMPARE(log.rowCount(), 2);
        QCOMPARE(log.rowOf(transferId), -1);
        QCOMPARE(log.index(0, AlertLogModel::Call).data().toString(), QStringLiteral("call_d4"));
    }

    void recordedInTheCache()
    {
        QTemporaryDir dir;
        CallCache cache;
        QString error;
        QVERIFY2(cache.openFile(dir.filePath(QStringLiteral("cache.sqlite")), &error),
                 qPrintable(error));
        AlertService service;
        quiet(service);
        service.setCache(&cache);
        EventFactory f;
        service.applyBatch({f.caller(kCall, QStringLiteral("Get me a manager"), 0, 1000)});
        // Acknowledged before the cache has numbered it: the acknowledgement follows the number.
        QVERIFY(service.acknowledge(service.alerts().first().id, QStringLiteral("sam")));
        service.applyBatch({f.toolCall(kCall, QStringLiteral("transfer_to_human"), {})});
        QTRY_COMPARE_WITH_TIMEOUT(cache.alerts().size(), 2, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!cache.alerts().constLast().acknowledgedBy.isEmpty(), 10000);
        const QList<AlertRecord> stored = cache.alerts(); // newest first
        QCOMPARE(stored.at(0).rule, AlertRule::transfer());
        QVERIFY(stored.at(0).acknowledgedBy.isEmpty());
        QCOMPARE(stored.at(1).rule, AlertRule::keyword());
        QCOMPARE(stored.at(1).callId, kCall);
        QCOMPARE(stored.at(1).acknowledgedBy, QStringLiteral("sam"));
        QVERIFY(stored.at(1).acknowledgedAt.isValid());

        // Acknowledged after it was stored.
        QVERIFY(service.acknowledge(service.alerts().constLast().id, QStringLiteral("kim")));
        QTRY_COMPARE_WITH_TIMEOUT(cache.alerts().constFirst().acknowledgedBy, QStringLiteral("kim"),
                                  10000);
    }

    void simulatorRaisesTransferOrNegativeAlert()
    {
        sb::app::SimulatorProcess sim;
        const double speed = 30;
        QVERIFY2(sim.start({QStringLiteral("--history-calls"), QStringLiteral("5"),
                            QStringLiteral("--live-calls"), QStringLiteral("6"),
                            QStringLiteral("--speed"), QString::number(speed)}),
                 qPrintable(sim.errorString()));
        Session session;
        QVERIFY(!session.setBaseUrl(sim.baseUrl()).isError());
        session.setApiKey(sim.key());
        Platform *platform = createPlatform(PlatformKind::Talknex, &session, &session);
        LiveStream stream(platform);
        AlertService service;
        service.setCallTimeRate(speed);
        connect(&stream, &LiveStream::eventsReady, &service, &AlertService::applyBatch);
        LiveCallsModel calls; // subscribes every live call
        calls.setAlertService(&service);
        calls.attach(&stream);
        calls.loadActive(platform);
        stream.start();

        // About half the callers turn angry; most angry ones get a person. At 30x a call takes a
        // few seconds, so dozens run within the deadline.
        QTRY_VERIFY_WITH_TIMEOUT(countRule(service, AlertRule::transfer()) +
                                         countRule(service, AlertRule::negativeSentiment()) >
                                     0,
                                 90000);
        const Alert a = service.alerts().constLast();
        QVERIFY(a.callId.startsWith(QLatin1String("call_")));
        QVERIFY(a.at.isValid());
        // The sim's dialogues have no dead air of 15 s.
        QCOMPARE(countRule(service, AlertRule::silence()), 0);
    }
};

QTEST_GUILESS_MAIN(TestAlerts)
#include "tst_alerts.moc"
