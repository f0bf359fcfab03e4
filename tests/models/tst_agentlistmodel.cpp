#include "listmodelchecks.h"
#include "models/agentlistmodel.h"
#include "simulatorprocess.h"
#include "testsupport.h"

#include <QJsonObject>

using namespace sb::api;
using sb::models::AgentListModel;
using sb::test::Client;

//! AgentListModel fed by the real client from the real simulator, checked by the model tester.
class TestAgentListModel : public QObject
{
    Q_OBJECT
    sb::app::SimulatorProcess m_sim;

    static bool waitForState(AgentListModel &model, AgentListModel::State state)
    {
        return QTest::qWaitFor([&] { return model.state() == state; }, 30000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_sim.start({QStringLiteral("--history-calls"), QStringLiteral("20"),
                              QStringLiteral("--rate-limit"), QStringLiteral("100000")}),
                 qPrintable(m_sim.errorString()));
    }

    void loadsEveryAgentAndPassesTheTester()
    {
        Client client(m_sim.baseUrl(), m_sim.key());
        QVERIFY(client.ok);
        AgentListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setSortRole(AgentListModel::SortRole);
        proxy.sort(AgentListModel::Name);
        QAbstractItemModelTester proxyTester(
            &proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);

        QSignalSpy states(&model, &AgentListModel::stateChanged);
        model.load(client.platform);
        QCOMPARE(model.state(), AgentListModel::State::Loading);
        QVERIFY(waitForState(model, AgentListModel::State::Loaded));
        QVERIFY(model.rowCount() >= 12);
        QVERIFY(model.loadedAt().isValid());
        QCOMPARE(states.count(), 2);

        sb::test::verifyIdIndex(model);
        for (int row = 1; row < proxy.rowCount(); ++row) {
            QVERIFY(proxy.index(row - 1, 0).data(AgentListModel::SortRole).toString() <=
                    proxy.index(row, 0).data(AgentListModel::SortRole).toString());
        }
        sb::test::verifySortByEveryColumn(model);
        if (QTest::currentTestFailed())
            return;
        // The raw values are the DTO's.
        for (int row = 0; row < model.rowCount(); ++row) {
            const Agent &agent = model.agentAt(row);
            QCOMPARE(model.index(row, AgentListModel::Updated).data(AgentListModel::SortRole),
                     QVariant(agent.updatedAt.toMSecsSinceEpoch()));
            QCOMPARE(model.index(row, AgentListModel::Name).data().toString(), agent.name);
        }

        const QString renamed = QStringLiteral("Renamed in place");
        sb::test::verifyUpsertInPlace(
            model, 3, [&](Agent &a) { a.name = renamed; }, AgentListModel::Name, renamed);
        if (QTest::currentTestFailed())
            return;
        const int before = model.rowCount();
        sb::test::verifyInsertAndRemove(model, QStringLiteral("agent_local_only"));
        if (QTest::currentTestFailed())
            return;

        // Reload replaces everything with the server's truth.
        model.reload();
        QVERIFY(waitForState(model, AgentListModel::State::Loaded));
        QCOMPARE(model.rowCount(), before);
        QVERIFY(model.index(3, AgentListModel::Name).data().toString() != renamed);
    }

    void reloadIgnoresStalePages()
    {
        Client client(m_sim.baseUrl(), m_sim.key());
        AgentListModel reference;
        reference.load(client.platform);
        QVERIFY(waitForState(reference, AgentListModel::State::Loaded));

        AgentListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPageSize(4); // several pages
        model.load(client.platform);
        QVERIFY(waitForState(model, AgentListModel::State::Loaded));
        QCOMPARE(sb::test::idsOf(model), sb::test::idsOf(reference));
        sb::test::verifyReloadIgnoresStalePages(model, sb::test::idsOf(reference));
    }

    void failureIsAStateNotACrash()
    {
        Client client(m_sim.baseUrl(), QStringLiteral("tnx_wrong"));
        AgentListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.load(client.platform);
        QVERIFY(waitForState(model, AgentListModel::State::Failed));
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.lastError().kind, ApiError::Kind::Unauthorized);
        QVERIFY(!model.lastError().caption().isEmpty());
        QVERIFY(model.notSupportedReason().isEmpty());
    }

    void revokedKeyFailsAReload()
    {
        const QString orgId = m_sim.keys().constFirst().orgId;
        const QStringList keys = m_sim.keysOf(orgId);
        QVERIFY(keys.size() >= 2);
        Client client(m_sim.baseUrl(), keys.last());
        AgentListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.load(client.platform);
        QVERIFY(waitForState(model, AgentListModel::State::Loaded));
        QVERIFY(model.rowCount() > 0);

        QCOMPARE(sb::test::postAdmin(m_sim.adminUrl(), QStringLiteral("/keys/revoke"),
                                     QJsonObject{{QStringLiteral("key"), keys.last()}}),
                 204);
        model.reload();
        QVERIFY(waitForState(model, AgentListModel::State::Failed));
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.lastError().kind, ApiError::Kind::Unauthorized);
        QVERIFY(!model.lastError().caption().isEmpty());
    }

    void withoutAPlatformItFails()
    {
        AgentListModel model;
        model.load(nullptr);
        QCOMPARE(model.state(), AgentListModel::State::Failed);
        QVERIFY(!model.lastError().caption().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestAgentListModel)
#include "tst_agentlistmodel.moc"
