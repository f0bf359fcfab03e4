#include "consolefixture.h"
#include "models/settings.h"
#include "testsupport.h"
#include "ui/mainwindow.h"
#include "ui/pane.h"

#include <QAction>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTest>

using sb::ui::ConsoleContext;
using sb::ui::MainWindow;
using sb::ui::Pane;

namespace {
//! A pane with scripted answers, to check what the frame does with them.
class ScriptedPane : public Pane
{
public:
    ScriptedPane(const QString &id, const ConsoleContext &context)
        : Pane(id, context)
        , m_action(new QAction(QStringLiteral("Do %1").arg(id), this))
    {
        m_action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_J));
        connect(m_action, &QAction::triggered, this, [this] { ++triggered; });
    }
    QString title() const override { return QStringLiteral("Pane %1").arg(paneId()); }
    QList<QAction *> paneActions() const override { return {m_action}; }
    void activated() override { ++activations; }
    QByteArray saveState() const override { return state; }
    void restoreState(const QByteArray &s) override { restored = s; }
    bool confirmLeave() override
    {
        ++leaveAsked;
        return allowLeave;
    }
    bool hasUnsavedChanges() const override { return !allowLeave; }

    QAction *m_action;
    int triggered = 0;
    int activations = 0;
    int leaveAsked = 0;
    bool allowLeave = true;
    QByteArray state;
    QByteArray restored;
};
} // namespace

//! The main window's frame: rail, pane switching and its guard, actions, state, status bar.
class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void railSwitchesPanesAndKeepsGuard()
    {
        QTemporaryDir dir;
        sb::models::Settings settings(dir.filePath(QStringLiteral("s.ini")));
        ConsoleContext context;
        context.settings = &settings;
        MainWindow window;
        auto *a = new ScriptedPane(QStringLiteral("live"), context);
        auto *b = new ScriptedPane(QStringLiteral("calls"), context);
        window.attach(context, QStringLiteral("p1"), {a, b});
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        auto *rail = window.findChild<QListWidget *>(QStringLiteral("navigationRail"));
        QVERIFY(rail);
        QCOMPARE(rail->count(), 2);
        QCOMPARE(rail->item(1)->text(), QStringLiteral("Pane calls"));
        QVERIFY(!rail->item(0)->icon().isNull());
        QCOMPARE(window.currentPane(), a);
        QCOMPARE(a->activations, 1);

        // Clicking the rail switches, and the choice is remembered.
        rail->setCurrentRow(1);
        QCOMPARE(window.currentPane(), b);
        QCOMPARE(b->activations, 1);
        QCOMPARE(settings.currentPane(), QStringLiteral("calls"));

        // Ctrl+1 goes back through the Go menu's action.
        QTest::keyClick(&window, Qt::Key_1, Qt::ControlModifier);
        QCOMPARE(window.currentPane(), a);

        // A pane that refuses to be left keeps the window (and the rail) where it is.
        a->allowLeave = false;
        rail->setCurrentRow(1);
        QCOMPARE(window.currentPane(), a);
        QCOMPARE(rail->currentRow(), 0);
        QVERIFY(!window.showPane(QStringLiteral("calls")));
        QVERIFY(!window.close());
        QVERIFY(window.isVisible());
        a->allowLeave = true;
        QVERIFY(window.showPane(QStringLiteral("calls")));
        QVERIFY(!window.showPane(QStringLiteral("nope")));
    }

    void paneActionsAreInThePaneMenuAndLiveOnlyThere()
    {
        QTemporaryDir dir;
        sb::models::Settings settings(dir.filePath(QStringLiteral("s.ini")));
        ConsoleContext context;
        context.settings = &settings;
        MainWindow window;
        auto *a = new ScriptedPane(QStringLiteral("live"), context);
        auto *b = new ScriptedPane(QStringLiteral("calls"), context);
        window.attach(context, QStringLiteral("p1"), {a, b});
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        QVERIFY(window.allActions().contains(a->m_action));
        QVERIFY(window.allActions().contains(b->m_action));
        QVERIFY(window.allActions().contains(window.paletteAction()));
        // Both panes use Ctrl+J: only the visible pane's action fires.
        QTest::keyClick(&window, Qt::Key_J, Qt::ControlModifier);
        QCOMPARE(a->triggered, 1);
        QCOMPARE(b->triggered, 0);
        window.showPane(QStringLiteral("calls"));
        QTest::keyClick(&window, Qt::Key_J, Qt::ControlModifier);
        QCOMPARE(a->triggered, 1);
        QCOMPARE(b->triggered, 1);
        bool found = false;
        for (QAction *menu : window.menuBar()->actions())
            if (menu->menu() && menu->menu()->actions().contains(b->m_action))
                found = true;
        QVERIFY(found);
    }

    void paneStateIsSavedPerProfileAndRestored()
    {
        QTemporaryDir dir;
        const QString ini = dir.filePath(QStringLiteral("s.ini"));
        {
            sb::models::Settings settings(ini);
            ConsoleContext context;
            context.settings = &settings;
            MainWindow window;
            auto *a = new ScriptedPane(QStringLiteral("live"), context);
            a->state = QByteArrayLiteral("splitter-state");
            window.attach(context, QStringLiteral("p1"), {a});
            window.show();
            QVERIFY(window.close());
        }
        sb::models::Settings settings(ini);
        ConsoleContext context;
        context.settings = &settings;
        MainWindow window;
        auto *a = new ScriptedPane(QStringLiteral("live"), context);
        window.attach(context, QStringLiteral("p1"), {a});
        QCOMPARE(a->restored, QByteArrayLiteral("splitter-state"));
        MainWindow other;
        auto *b = new ScriptedPane(QStringLiteral("live"), context);
        other.attach(context, QStringLiteral("p2"), {b});
        QVERIFY(b->restored.isEmpty());
    }

    void statusBarFollowsTheConnection()
    {
        ConsoleFixture fixture;
        QVERIFY2(fixture.start(), qPrintable(fixture.errorString()));
        MainWindow window;
        window.attach(fixture.context(), QStringLiteral("test-profile"),
                      {new ScriptedPane(QStringLiteral("live"), fixture.context())});
        window.setProfile(QStringLiteral("Demo"), fixture.sim().baseUrl().toString());
        window.show();
        auto label = [&window](const char *name) {
            auto *l = window.statusBar()->findChild<QLabel *>(QLatin1String(name));
            return l ? l->text() : QStringLiteral("<missing>");
        };
        QTRY_COMPARE_WITH_TIMEOUT(label("connectionStatus"), QStringLiteral("Live: connected"),
                                  20000);
        QTRY_VERIFY_WITH_TIMEOUT(label("requestBudget").contains(QLatin1String("/100")), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(!label("cacheFreshness").isEmpty(), 20000);
        QCOMPARE(label("profileStatus"), QStringLiteral("Profile: Demo"));
        QVERIFY(window.windowTitle().startsWith(QLatin1String("Demo")));

        // The simulator drops every socket: the status says so and counts down to a retry.
        QCOMPARE(sb::test::postAdmin(fixture.sim().adminUrl(), QStringLiteral("/stream/faults"),
                                     QJsonObject{{QStringLiteral("dropAll"), true}}),
                 204);
        QTRY_VERIFY_WITH_TIMEOUT(
            label("connectionStatus").startsWith(QLatin1String("Live: reconnecting")) ||
                label("connectionStatus") == QLatin1String("Live: connecting…"),
            20000);
        QTRY_COMPARE_WITH_TIMEOUT(label("connectionStatus"), QStringLiteral("Live: connected"),
                                  30000);
        ConsoleFixture::screenshot(&window, QStringLiteral("frame"));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
