#include "api/platform.h"
#include "api/session.h"
#include "models/agentlistmodel.h"
#include "simulatorprocess.h"
#include "testsupport.h"
#include "ui/mainwindow.h"
#include "ui/messagebanner.h"

#include <QLineEdit>
#include <QPushButton>
#include <QStatusBar>
#include <QTableView>
#include <QTest>
#include <QTextBrowser>

using namespace sb::api;
using sb::models::AgentListModel;

//! The main window driven offscreen against the simulator.
class TestMainWindow : public QObject
{
    Q_OBJECT
    sb::app::SimulatorProcess m_sim;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_sim.start({QStringLiteral("--history-calls"), QStringLiteral("20")}),
                 qPrintable(m_sim.errorString()));
    }

    void listsFiltersAndShowsAgents()
    {
        Session session;
        QVERIFY(!session.setBaseUrl(m_sim.baseUrl()).isError());
        session.setApiKey(m_sim.key());
        Platform *platform = createPlatform(PlatformKind::Talknex, &session, &session);
        AgentListModel model;
        sb::ui::MainWindow window(&model);
        window.setProfile(QStringLiteral("Demo"), m_sim.baseUrl().toString());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        model.load(platform);
        QTRY_COMPARE_WITH_TIMEOUT(int(model.state()), int(AgentListModel::State::Loaded), 30000);

        QTableView *view = window.agentView();
        QCOMPARE(view->model()->rowCount(), model.rowCount());
        QVERIFY(window.windowTitle().contains(QLatin1String("Demo")));
        // The first agent is selected and its prompt is shown beside the list.
        auto *details = window.findChild<QTextBrowser *>(QStringLiteral("agentDetails"));
        QVERIFY(details);
        QTRY_VERIFY(!details->toPlainText().isEmpty());
        const QString firstName = view->model()->index(0, AgentListModel::Name).data().toString();
        QVERIFY(details->toPlainText().contains(firstName));

        // Typing in the filter narrows the rows to the matching agent.
        auto *filter = window.findChild<QLineEdit *>();
        QVERIFY(filter);
        QTest::keyClicks(filter, firstName);
        QVERIFY(view->model()->rowCount() >= 1);
        QVERIFY(view->model()->rowCount() < model.rowCount());
        for (int row = 0; row < view->model()->rowCount(); ++row) {
            bool matches = false;
            for (int col = 0; col < view->model()->columnCount(); ++col)
                matches = matches || view->model()->index(row, col).data().toString().contains(
                                         firstName, Qt::CaseInsensitive);
            QVERIFY(matches);
        }
        filter->clear();
        QCOMPARE(view->model()->rowCount(), model.rowCount());
        QVERIFY(window.banner()->isHidden());
    }

    void failureShowsABannerAndRetryRecovers()
    {
        // A key that is revoked: the pane shows an inline error with Retry, no dialog.
        const QString doomed = m_sim.keysOf(m_sim.orgIds().first()).last();
        Session session;
        QVERIFY(!session.setBaseUrl(m_sim.baseUrl()).isError());
        session.setApiKey(doomed);
        QCOMPARE(sb::test::postAdmin(m_sim.adminUrl(), QStringLiteral("/keys/revoke"),
                                     {{QStringLiteral("key"), doomed}}),
                 204);
        Platform *platform = createPlatform(PlatformKind::Talknex, &session, &session);
        AgentListModel model;
        sb::ui::MainWindow window(&model);
        QObject::connect(&window, &sb::ui::MainWindow::reloadRequested, &model,
                         &AgentListModel::reload);
        window.show();
        model.load(platform);
        QTRY_VERIFY_WITH_TIMEOUT(window.banner()->isVisible(), 30000);
        QVERIFY(!window.banner()->text().isEmpty());
        auto *retry = window.banner()->findChild<QPushButton *>();
        QVERIFY(retry && retry->isVisible());

        session.setApiKey(m_sim.key());
        QTest::mouseClick(retry, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(int(model.state()), int(AgentListModel::State::Loaded), 30000);
        QVERIFY(model.rowCount() >= 12);
        QVERIFY(window.banner()->isHidden());
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
