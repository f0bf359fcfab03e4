#include "api/platform.h"
#include "api/session.h"
#include "models/agentlistmodel.h"
#include "simulatorprocess.h"
#include "testsupport.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>

using namespace sb::api;
using sb::models::AgentListModel;

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
        QVERIFY2(m_sim.start({QStringLiteral("--history-calls"), QStringLiteral("20")}),
                 qPrintable(m_sim.errorString()));
    }

    void loadsEveryAgentAndPassesTheTester()
    {
        Session session;
        QVERIFY(!session.setBaseUrl(m_sim.baseUrl()).isError());
        session.setApiKey(m_sim.key());
        Platform *platform = createPlatform(PlatformKind::Talknex, &session, &session);
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
        model.load(platform);
        QCOMPARE(model.state(), AgentListModel::State::Loading);
        QVERIFY(waitForState(model, AgentListModel::State::Loaded));
        QVERIFY(model.rowCount() >= 12);
        QVERIFY(model.loadedAt().isValid());

        // The id index agrees with the rows, and the sort role orders names case-insensitively.
        for (int row = 0; row < model.rowCount(); ++row)
            QCOMPARE(model.rowOf(model.agentAt(row).id), row);
        for (int row = 1; row < proxy.rowCount(); ++row) {
            QVERIFY(proxy.index(row - 1, 0).data(AgentListModel::SortRole).toString() <=
                    proxy.index(row, 0).data(AgentListModel::SortRole).toString());
        }

        // Update in place: one row changes, no reset.
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
        Agent renamed = model.agentAt(3);
        renamed.name = QStringLiteral("Renamed in place");
        model.upsert(renamed);
        QCOMPARE(resets.count(), 0);
        QCOMPARE(changes.count(), 1);
        QCOMPARE(changes.first().at(0).toModelIndex().row(), 3);
        QCOMPARE(model.index(3, AgentListModel::Name).data().toString(), renamed.name);

        const int before = model.rowCount();
        model.remove(renamed.id);
        QCOMPARE(model.rowCount(), before - 1);
        QCOMPARE(model.rowOf(renamed.id), -1);
        for (int row = 0; row < model.rowCount(); ++row)
            QCOMPARE(model.rowOf(model.agentAt(row).id), row);

        // Reload replaces everything with the server's truth.
        model.reload();
        QVERIFY(waitForState(model, AgentListModel::State::Loaded));
        QCOMPARE(model.rowCount(), before);
    }

    void failureIsAStateNotACrash()
    {
        Session session;
        QVERIFY(!session.setBaseUrl(m_sim.baseUrl()).isError());
        session.setApiKey(QStringLiteral("tnx_wrong"));
        Platform *platform = createPlatform(PlatformKind::Talknex, &session, &session);
        AgentListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.load(platform);
        QVERIFY(waitForState(model, AgentListModel::State::Failed));
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.lastError().kind, ApiError::Kind::Unauthorized);
        QVERIFY(!model.lastError().caption().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestAgentListModel)
#include "tst_agentlistmodel.moc"
