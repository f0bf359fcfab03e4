#include "simulatorprocess.h"
#include "testsupport.h"

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
};

QTEST_GUILESS_MAIN(TestSimulatorProcess)
#include "tst_simulatorprocess.moc"
