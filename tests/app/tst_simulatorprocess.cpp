#include "simulatorprocess.h"
#include "testsupport.h"

#include <QSignalSpy>
#include <QTest>

using sb::app::SimulatorProcess;

//! The demo launcher against the real simulator program.
class TestSimulatorProcess : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void startsAndAnnouncesKeys()
    {
        SimulatorProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--history-calls"), QStringLiteral("50")}),
                 qPrintable(sim.errorString()));
        QCOMPARE(sim.baseUrl().scheme(), QStringLiteral("http"));
        QCOMPARE(sim.baseUrl().host(), QStringLiteral("127.0.0.1"));
        QVERIFY(sim.baseUrl().port() > 0);
        QVERIFY(sim.baseUrl().path().endsWith(QLatin1String("/v1")));
        QVERIFY2(sim.orgIds().size() >= 2, "two organizations are announced");
        for (const QString &org : sim.orgIds())
            QVERIFY2(sim.keysOf(org).size() >= 2, qPrintable(org));
        QVERIFY(!sim.key().isEmpty());
        const QJsonObject stats = sb::test::getAdmin(sim.adminUrl(), QStringLiteral("/stats"));
        QVERIFY2(stats.contains(QLatin1String("requests")), "admin endpoint answers");
        sim.stop();
        QVERIFY(!sim.isRunning());
    }

    void reportsAMissingProgram()
    {
        SimulatorProcess sim;
        sim.setProgram(QStringLiteral("/nonexistent/switchboard-sim"));
        QVERIFY(!sim.start());
        QVERIFY(!sim.errorString().isEmpty());
    }

    void reportsAFailingStart()
    {
        SimulatorProcess sim;
        QVERIFY(!sim.start({QStringLiteral("--no-such-flag")}));
        QVERIFY(!sim.errorString().isEmpty());
    }

    void startsWithoutBlocking()
    {
        SimulatorProcess sim;
        QSignalSpy finished(&sim, &SimulatorProcess::startFinished);
        sim.startAsync({QStringLiteral("--history-calls"), QStringLiteral("20")});
        // Nothing is known before the event loop ran: the call returned at once.
        QVERIFY(sim.baseUrl().isEmpty());
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.first().first().toBool(), true);
        QVERIFY(sim.baseUrl().port() > 0);
        QVERIFY(!sim.key().isEmpty());
        QCOMPARE(
            sb::test::rawGet(sim.baseUrl().resolved(QUrl(QStringLiteral("v1/agents"))), sim.key()),
            200);
        sim.stop();
        QVERIFY(!sim.isRunning());
    }

    void reportsAFailingStartWithoutBlocking()
    {
        SimulatorProcess sim;
        QSignalSpy finished(&sim, &SimulatorProcess::startFinished);
        sim.startAsync({QStringLiteral("--no-such-flag")});
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.first().first().toBool(), false);
        QVERIFY(!sim.errorString().isEmpty());

        SimulatorProcess missing;
        missing.setProgram(QStringLiteral("/nonexistent/switchboard-sim"));
        QSignalSpy missed(&missing, &SimulatorProcess::startFinished);
        missing.startAsync();
        QVERIFY(missed.count() == 1 || missed.wait(10000));
        QCOMPARE(missed.first().first().toBool(), false);
        QVERIFY(missing.errorString().contains(QLatin1String("nonexistent")));
    }
};

QTEST_GUILESS_MAIN(TestSimulatorProcess)
#include "tst_simulatorprocess.moc"
