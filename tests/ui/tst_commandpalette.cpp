// The command palette (Ctrl+K), its fuzzy scorer (a table) and the keyboard shortcut overview,
// driven with real keys and clicks over a window with menus and a pane.
#include "consolefixture.h"
#include "models/fuzzymatch.h"
#include "ui/commandpalette.h"
#include "ui/commandpalettemodel.h"
#include "ui/pane.h"
#include "ui/shortcutsdialog.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMainWindow>
#include <QMenuBar>
#include <QSignalSpy>
#include <QTest>
#include <QTreeWidget>

using sb::models::fuzzyMatch;
using sb::ui::CommandPalette;
using sb::ui::CommandPaletteModel;

namespace {

class AgentsTestPane : public sb::ui::Pane
{
public:
    explicit AgentsTestPane(QWidget *parent)
        : Pane(QStringLiteral("agents"), sb::ui::ConsoleContext{}, parent)
        , newAgent(new QAction(tr("&New Agent"), this))
        , deleteAgent(new QAction(tr("Delete Agent"), this))
    {
        newAgent->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_N));
        deleteAgent->setShortcut(QKeySequence::Delete);
        deleteAgent->setEnabled(false); // nothing selected
    }
    QString title() const override { return tr("Agents"); }
    QList<QAction *> paneActions() const override { return {newAgent, deleteAgent}; }

    QAction *newAgent;
    QAction *deleteAgent;
};

//! A window like the console's: File and Go menus plus one pane with its own actions.
struct PaletteWindow
{
    PaletteWindow()
    {
        QMenu *file = window.menuBar()->addMenu(QStringLiteral("&File"));
        placeCall = file->addAction(QStringLiteral("&Place a Call…"));
        placeCall->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N));
        manageProfiles = file->addAction(QStringLiteral("&Manage Profiles…"));
        QMenu *go = window.menuBar()->addMenu(QStringLiteral("&Go"));
        goCalls = go->addAction(QStringLiteral("Go to Calls"));
        goCalls->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_2));
        goAgents = go->addAction(QStringLiteral("Go to Agents"));
        goAgents->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_3));
        pane = new AgentsTestPane(&window);
        window.setCentralWidget(pane);
        window.resize(1000, 700);
        window.show();
        palette = new CommandPalette(&window);
    }
    QList<QAction *> actions() const
    {
        return {placeCall, manageProfiles, goCalls, goAgents, pane->newAgent, pane->deleteAgent};
    }
    QStringList rows() const
    {
        QStringList texts;
        for (int r = 0; r < palette->model()->rowCount(); ++r)
            texts.append(palette->model()->index(r).data().toString());
        return texts;
    }
    QString currentText() const { return palette->listView()->currentIndex().data().toString(); }

    QMainWindow window;
    QAction *placeCall, *manageProfiles, *goCalls, *goAgents;
    AgentsTestPane *pane;
    CommandPalette *palette;
};

} // namespace

class TestCommandPalette : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fuzzyTable_data();
    void fuzzyTable();
    void fuzzyRanking_data();
    void fuzzyRanking();
    void typingFiltersAndRanks();
    void enterTriggersExactlyOnce();
    void escapeCloses();
    void disabledCommandsCannotRun();
    void arrowsAndClick();
    void shortcutsAndGroupsShown();
    void recentFirstWhenQueryEmpty();
    void shortcutsOverview();
};

void TestCommandPalette::fuzzyTable_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("matched");
    QTest::addColumn<QList<int>>("positions");

    QTest::newRow("empty query matches") << ""
                                         << "Go to Calls" << true << QList<int>{};
    QTest::newRow("exact") << "abc"
                           << "abc" << true << QList<int>{0, 1, 2};
    QTest::newRow("out of order") << "abc"
                                  << "acb" << false << QList<int>{};
    QTest::newRow("longer than text") << "calls"
                                      << "call" << false << QList<int>{};
    QTest::newRow("word starts") << "gtc"
                                 << "Go to Calls" << true << QList<int>{0, 3, 6};
    QTest::newRow("case-insensitive") << "CALLS"
                                      << "go to calls" << true << QList<int>{6, 7, 8, 9, 10};
    QTest::newRow("spaces ignored") << "go calls"
                                    << "Go to Calls" << true << QList<int>{0, 1, 6, 7, 8, 9, 10};
    // The run at the word start beats the earlier scattered letters.
    QTest::newRow("prefers the word start") << "cal"
                                            << "Local Calendar" << true << QList<int>{6, 7, 8};
    QTest::newRow("camelCase hump") << "pn"
                                    << "phoneNumbers" << true << QList<int>{0, 5};
    QTest::newRow("no match") << "xyz"
                              << "Place a Call" << false << QList<int>{};
    QTest::newRow("accented text") << "ré"
                                   << "Réglages" << true << QList<int>{0, 1};
}

void TestCommandPalette::fuzzyTable()
{
    QFETCH(QString, query);
    QFETCH(QString, text);
    QFETCH(bool, matched);
    QFETCH(QList<int>, positions);
    const auto match = fuzzyMatch(query, text);
    QCOMPARE(match.matched, matched);
    if (matched)
        QCOMPARE(match.positions, positions);
}

void TestCommandPalette::fuzzyRanking_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("better");
    QTest::addColumn<QString>("worse");

    QTest::newRow("word start over middle") << "cal"
                                            << "Go to Calls"
                                            << "Local settings";
    QTest::newRow("consecutive over scattered") << "agen"
                                                << "Agents"
                                                << "A Green Engine";
    QTest::newRow("initials") << "pc"
                              << "Place a Call"
                              << "Export CSV";
    QTest::newRow("earlier start") << "calls"
                                   << "Calls"
                                   << "Go to Calls";
    QTest::newRow("exact case tie-break") << "Call"
                                          << "Call"
                                          << "call";
    QTest::newRow("shorter gap") << "nc"
                                 << "New Call"
                                 << "New Agent Call";
}

void TestCommandPalette::fuzzyRanking()
{
    QFETCH(QString, query);
    QFETCH(QString, better);
    QFETCH(QString, worse);
    const auto a = fuzzyMatch(query, better);
    const auto b = fuzzyMatch(query, worse);
    QVERIFY(a);
    QVERIFY(b);
    QVERIFY2(
        a.score > b.score,
        qPrintable(
            QStringLiteral("%1 (%2) vs %3 (%4)").arg(better).arg(a.score).arg(worse).arg(b.score)));
}

void TestCommandPalette::typingFiltersAndRanks()
{
    PaletteWindow w;
    QAbstractItemModelTester tester(w.palette->model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    w.palette->setActions(w.actions());
    w.palette->popup();
    QVERIFY(QTest::qWaitForWindowExposed(w.palette));
    QCOMPARE(w.palette->model()->rowCount(), 6);
    QCOMPARE(QApplication::focusWidget(), w.palette->searchField());

    QTest::keyClicks(w.palette->searchField(), QStringLiteral("gta"));
    QCOMPARE(w.rows().first(), QStringLiteral("Go to Agents"));
    QCOMPARE(w.currentText(), QStringLiteral("Go to Agents"));

    w.palette->searchField()->clear();
    QTest::keyClicks(w.palette->searchField(), QStringLiteral("agent"));
    // Word-start runs first, the one that starts earlier ahead; every row has the letters.
    QCOMPARE(w.rows().mid(0, 2),
             (QStringList{QStringLiteral("New Agent"), QStringLiteral("Go to Agents")}));
    QVERIFY(!w.rows().contains(QStringLiteral("Place a Call…")));
    // The disabled command is listed last, greyed (not enabled, not selectable).
    QCOMPARE(w.rows().last(), QStringLiteral("Delete Agent"));
    const QModelIndex last = w.palette->model()->index(w.palette->model()->rowCount() - 1);
    QVERIFY(!last.flags().testFlag(Qt::ItemIsEnabled));

    w.palette->searchField()->clear();
    QTest::keyClicks(w.palette->searchField(), QStringLiteral("zzqx"));
    QCOMPARE(w.palette->model()->rowCount(), 0);
    auto *empty = w.palette->findChild<QLabel *>(QStringLiteral("paletteEmpty"));
    QVERIFY(empty->isVisible());
    QVERIFY(empty->text().contains(QStringLiteral("zzqx")));
    ConsoleFixture::screenshot(w.palette, QStringLiteral("palette-nomatch"));
}

void TestCommandPalette::enterTriggersExactlyOnce()
{
    PaletteWindow w;
    w.palette->setActions(w.actions());
    QSignalSpy triggered(w.goCalls, &QAction::triggered);
    QSignalSpy other(w.goAgents, &QAction::triggered);
    QSignalSpy announced(w.palette, &CommandPalette::commandTriggered);
    w.palette->popup();
    QVERIFY(QTest::qWaitForWindowExposed(w.palette));
    QTest::keyClicks(w.palette->searchField(), QStringLiteral("gtc"));
    ConsoleFixture::screenshot(w.palette, QStringLiteral("palette-query"));
    QTest::keyClick(w.palette->searchField(), Qt::Key_Return);
    QTRY_COMPARE(triggered.count(), 1);
    QVERIFY(!w.palette->isVisible());
    QCOMPARE(announced.count(), 1);
    QTest::qWait(100); // a second, late trigger would show up here
    QCOMPARE(triggered.count(), 1);
    QCOMPARE(other.count(), 0);
}

void TestCommandPalette::escapeCloses()
{
    PaletteWindow w;
    w.palette->setActions(w.actions());
    QSignalSpy triggered(w.goCalls, &QAction::triggered);
    w.palette->popup();
    QVERIFY(QTest::qWaitForWindowExposed(w.palette));
    QTest::keyClicks(w.palette->searchField(), QStringLiteral("calls"));
    QTest::keyClick(w.palette->searchField(), Qt::Key_Escape);
    QTRY_VERIFY(!w.palette->isVisible());
    QTest::qWait(50);
    QCOMPARE(triggered.count(), 0);
    // Reopening starts with an empty query.
    w.palette->popup();
    QVERIFY(w.palette->query().isEmpty());
    QCOMPARE(w.palette->model()->rowCount(), 6);
}

void TestCommandPalette::disabledCommandsCannotRun()
{
    PaletteWindow w;
    w.palette->setActions(w.actions());
    QSignalSpy triggered(w.pane->deleteAgent, &QAction::triggered);
    w.palette->popup();
    QVERIFY(QTest::qWaitForWindowExposed(w.palette));
    QTest::keyClicks(w.palette->searchField(), QStringLiteral("delete agent"));
    QCOMPARE(w.rows(), QStringList{QStringLiteral("Delete Agent")});
    QVERIFY(!w.palette->listView()->currentIndex().isValid());
    QTest::keyClick(w.palette->searchField(), Qt::Key_Return);
    const QRect rect = w.palette->listView()->visualRect(w.palette->model()->index(0));
    QTest::mouseClick(w.palette->listView()->viewport(), Qt::LeftButton, {}, rect.center());
    QTest::qWait(50);
    QCOMPARE(triggered.count(), 0);
    QVERIFY(w.palette->isVisible());

    // Once enabled (an agent got selected) the same command runs.
    w.pane->deleteAgent->setEnabled(true);
    w.palette->popup();
    QTest::keyClicks(w.palette->searchField(), QStringLiteral("delete agent"));
    QCOMPARE(w.currentText(), QStringLiteral("Delete Agent"));
    QTest::keyClick(w.palette->searchField(), Qt::Key_Enter);
    QTRY_COMPARE(triggered.count(), 1);
}

void TestCommandPalette::arrowsAndClick()
{
    PaletteWindow w;
    w.palette->setActions(w.actions());
    w.palette->popup();
    QVERIFY(QTest::qWaitForWindowExposed(w.palette));
    QTest::keyClicks(w.palette->searchField(), QStringLiteral("go"));
    QCOMPARE(w.rows().mid(0, 2),
             (QStringList{QStringLiteral("Go to Calls"), QStringLiteral("Go to Agents")}));
    QCOMPARE(w.currentText(), QStringLiteral("Go to Calls"));
    QTest::keyClick(w.palette->searchField(), Qt::Key_Down);
    QCOMPARE(w.currentText(), QStringLiteral("Go to Agents"));
    QTest::keyClick(w.palette->searchField(), Qt::Key_Up);
    QCOMPARE(w.currentText(), QStringLiteral("Go to Calls"));
    QTest::keyClick(w.palette->searchField(), Qt::Key_Up); // stays on the first row
    QCOMPARE(w.currentText(), QStringLiteral("Go to Calls"));

    QSignalSpy agents(w.goAgents, &QAction::triggered);
    const QRect rect = w.palette->listView()->visualRect(w.palette->model()->index(1));
    QTest::mouseClick(w.palette->listView()->viewport(), Qt::LeftButton, {}, rect.center());
    QTRY_COMPARE(agents.count(), 1);
    QVERIFY(!w.palette->isVisible());
}

void TestCommandPalette::shortcutsAndGroupsShown()
{
    PaletteWindow w;
    w.palette->setActions(w.actions());
    w.palette->popup();
    QVERIFY(QTest::qWaitForWindowExposed(w.palette));
    QHash<QString, QModelIndex> byText;
    for (int r = 0; r < w.palette->model()->rowCount(); ++r) {
        const QModelIndex index = w.palette->model()->index(r);
        byText.insert(index.data().toString(), index);
    }
    const QModelIndex calls = byText.value(QStringLiteral("Go to Calls"));
    QCOMPARE(calls.data(CommandPaletteModel::ShortcutRole).toString(),
             QKeySequence(Qt::CTRL | Qt::Key_2).toString(QKeySequence::NativeText));
    QCOMPARE(calls.data(CommandPaletteModel::GroupRole).toString(), QStringLiteral("Go"));
    // Mnemonics are stripped; a pane's action is grouped under the pane.
    const QModelIndex newAgent = byText.value(QStringLiteral("New Agent"));
    QVERIFY(newAgent.isValid());
    QCOMPARE(newAgent.data(CommandPaletteModel::GroupRole).toString(), QStringLiteral("Agents"));
    QVERIFY(newAgent.data(Qt::AccessibleTextRole)
                .toString()
                .contains(QKeySequence(Qt::CTRL | Qt::Key_N).toString(QKeySequence::NativeText)));
    QCOMPARE(byText.value(QStringLiteral("Manage Profiles…"))
                 .data(CommandPaletteModel::ShortcutRole)
                 .toString(),
             QString());
    // An explicit group wins over the guess.
    w.placeCall->setProperty(CommandPalette::GroupProperty, QStringLiteral("Calls"));
    QCOMPARE(CommandPalette::groupOf(w.placeCall), QStringLiteral("Calls"));
    ConsoleFixture::screenshot(w.palette, QStringLiteral("palette-all"));
}

void TestCommandPalette::recentFirstWhenQueryEmpty()
{
    PaletteWindow w;
    w.palette->setActions(w.actions());
    QSignalSpy profiles(w.manageProfiles, &QAction::triggered);
    w.palette->popup();
    QCOMPARE(w.rows().first(), QStringLiteral("Place a Call…"));
    QTest::keyClicks(w.palette->searchField(), QStringLiteral("manage"));
    QTest::keyClick(w.palette->searchField(), Qt::Key_Return);
    QTRY_COMPARE(profiles.count(), 1);

    w.palette->popup();
    QCOMPARE(w.rows().first(), QStringLiteral("Manage Profiles…"));
    QCOMPARE(w.currentText(), QStringLiteral("Manage Profiles…"));
    QCOMPARE(w.palette->recentActions(), QList<QAction *>{w.manageProfiles});
    // A renamed action is listed under its new name the next time the palette opens.
    w.goCalls->setText(QStringLiteral("Go to Call History"));
    w.palette->popup();
    QVERIFY(w.rows().contains(QStringLiteral("Go to Call History")));
    // A deleted action disappears from the list instead of dangling.
    delete w.goAgents;
    w.goAgents = nullptr;
    w.palette->popup();
    QVERIFY(!w.rows().contains(QStringLiteral("Go to Agents")));
}

void TestCommandPalette::shortcutsOverview()
{
    PaletteWindow w;
    sb::ui::ShortcutsDialog dialog(&w.window);
    w.goCalls->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_2), QKeySequence(Qt::Key_F2)});
    dialog.setActions(w.actions());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QTreeWidget *tree = dialog.tree();
    QStringList groups;
    for (int g = 0; g < tree->topLevelItemCount(); ++g)
        groups.append(tree->topLevelItem(g)->text(0));
    QCOMPARE(groups,
             (QStringList{QStringLiteral("File"), QStringLiteral("Go"), QStringLiteral("Agents")}));
    QTreeWidgetItem *go = tree->topLevelItem(1);
    QCOMPARE(go->child(0)->text(0), QStringLiteral("Go to Calls"));
    QVERIFY(go->child(0)->text(1).contains(
        QKeySequence(Qt::Key_F2).toString(QKeySequence::NativeText)));
    QCOMPARE(tree->topLevelItem(2)->childCount(), 2);
    ConsoleFixture::screenshot(&dialog, QStringLiteral("shortcuts"));

    QTest::keyClicks(dialog.filterField(), QStringLiteral("agent"));
    QVERIFY(tree->topLevelItem(0)->isHidden()); // File has no agent command
    QVERIFY(!tree->topLevelItem(1)->isHidden());
    QVERIFY(go->child(0)->isHidden());
    QVERIFY(!go->child(1)->isHidden());
    dialog.filterField()->clear();
    QTest::keyClicks(dialog.filterField(), QStringLiteral("F2"));
    QVERIFY(!go->child(0)->isHidden());
    QVERIFY(go->child(1)->isHidden());
    QTest::keyClick(&dialog, Qt::Key_Escape);
    QVERIFY(!dialog.isVisible());
}

QTEST_MAIN(TestCommandPalette)
#include "tst_commandpalette.moc"
