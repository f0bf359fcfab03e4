// The Numbers pane against the simulator: buy, name and assign, route, release, filter.
#include "consolefixture.h"
#include "numberstesthelpers.h"

#include "models/phonenumbermodel.h"
#include "ui/messagebanner.h"
#include "ui/numberspane.h"
#include "ui/purchasedialog.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QRadioButton>
#include <QTableView>
#include <QtTest>

using namespace numbers_test;
using sb::api::PhoneNumber;
using sb::api::PhoneNumberStatus;
using sb::api::RoutingMode;
using sb::models::PagedListModel;
using sb::ui::NumbersPane;

class TestNumbersPane : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void listShowsAgentNames();
    void purchaseAppearsInListAndOnServer();
    void purchaseRejectsBadNumberAsTyped();
    void assignAgentAndRouting();
    void renameWithFeedback();
    void releaseAfterConfirming();
    void filterNarrowsRows();

private:
    QList<PhoneNumber> serverNumbers() const
    {
        return fetchAll(m_f.context().platform->phoneNumbers(100));
    }
    template<class T> T *child(const char *name) const
    {
        return m_pane->findChild<T *>(QLatin1String(name));
    }
    QString forwardedUnassigned() const;

    ConsoleFixture m_f;
    std::unique_ptr<NumbersPane> m_pane;
    QString m_boughtId;
};

void TestNumbersPane::initTestCase()
{
    QVERIFY2(m_f.start({QStringLiteral("--history-calls"), QStringLiteral("20")}),
             qPrintable(m_f.errorString()));
    QVERIFY(m_f.waitForAgents());
    m_pane = std::make_unique<NumbersPane>(m_f.context());
    m_pane->resize(1200, 700);
    m_pane->show();
    m_pane->activated();
    auto *numbers = m_f.context().numbers;
    QTRY_COMPARE_WITH_TIMEOUT(numbers->state(), PagedListModel::State::Loaded, 30000);
    QVERIFY(numbers->rowCount() > 0);
}

void TestNumbersPane::cleanupTestCase()
{
    m_pane.reset();
}

QString TestNumbersPane::forwardedUnassigned() const
{
    const auto &items = m_f.context().numbers->items();
    for (const PhoneNumber &n : items) {
        if (n.status == PhoneNumberStatus::Active && n.agentId.isEmpty() &&
            n.routing.mode == RoutingMode::Forward)
            return n.id;
    }
    return {};
}

void TestNumbersPane::listShowsAgentNames()
{
    auto *numbers = m_f.context().numbers;
    auto *agents = m_f.context().agents;
    int assigned = -1;
    for (int row = 0; row < numbers->rowCount() && assigned < 0; ++row)
        assigned = numbers->numberAt(row).agentId.isEmpty() ? -1 : row;
    QVERIFY(assigned >= 0);
    const QString agentId = numbers->numberAt(assigned).agentId;
    const QString name = agents->agentAt(agents->rowOf(agentId)).name;
    QCOMPARE(numbers->index(assigned, sb::models::PhoneNumberModel::Agent).data().toString(), name);
    // Selecting the row fills the side form with the same agent.
    auto *view = child<QTableView>("numbersView");
    QVERIFY(clickRow(view, numbers->numberAt(assigned).id, PagedListModel::IdRole));
    QCOMPARE(child<QComboBox>("agent")->currentText(), name);
    QCOMPARE(child<QLabel>("numberText")->text(), numbers->numberAt(assigned).number);
    QVERIFY(!child<QPushButton>("save")->isEnabled()); // nothing changed yet
    ConsoleFixture::screenshot(m_pane.get(), QStringLiteral("numbers-pane"));
}

void TestNumbersPane::purchaseAppearsInListAndOnServer()
{
    const int before = m_f.context().numbers->rowCount();
    QAction *buy = child<QAction>("purchaseNumber");
    QVERIFY(buy && buy->isEnabled());
    QVERIFY(buy->toolTip().contains(buy->shortcut().toString(QKeySequence::NativeText)));
    buy->trigger();
    QPointer<sb::ui::PurchaseDialog> dialog = findVisible<sb::ui::PurchaseDialog>(m_pane.get());
    QVERIFY(dialog);
    auto *area = dialog->findChild<QLineEdit *>(QStringLiteral("areaCode"));
    QTest::keyClicks(area, QStringLiteral("415"));
    QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("name")),
                     QStringLiteral("Test support line"));
    auto *agent = dialog->findChild<QComboBox *>(QStringLiteral("agent"));
    QVERIFY(agent->count() > 1);
    agent->setCurrentIndex(1);
    const QString agentId = agent->currentData().toString();
    ConsoleFixture::screenshot(dialog, QStringLiteral("numbers-purchase-dialog"));
    auto *buyButton = dialog->findChild<QPushButton *>(QStringLiteral("buy"));
    QVERIFY(buyButton->isEnabled());
    QTest::mouseClick(buyButton, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog, 20000); // accepted and deleted

    auto *numbers = m_f.context().numbers;
    QCOMPARE(numbers->rowCount(), before + 1);
    m_boughtId = m_pane->currentId();
    QVERIFY(!m_boughtId.isEmpty());
    const PhoneNumber shown = numbers->numberAt(numbers->rowOf(m_boughtId));
    QVERIFY(shown.number.startsWith(QLatin1String("+1415")));
    QCOMPARE(shown.friendlyName, QStringLiteral("Test support line"));
    QVERIFY(child<QLabel>("feedback")->text().contains(shown.number));

    const auto server = findById(serverNumbers(), m_boughtId);
    QVERIFY(server);
    QCOMPARE(server->number, shown.number);
    QCOMPARE(server->friendlyName, QStringLiteral("Test support line"));
    QCOMPARE(server->agentId, agentId);
    QCOMPARE(server->status, PhoneNumberStatus::Active);
}

void TestNumbersPane::purchaseRejectsBadNumberAsTyped()
{
    const int before = serverNumbers().size();
    child<QAction>("purchaseNumber")->trigger();
    QPointer<sb::ui::PurchaseDialog> dialog = findVisible<sb::ui::PurchaseDialog>(m_pane.get());
    QVERIFY(dialog);
    auto *byNumber = dialog->findChild<QRadioButton *>(QStringLiteral("byNumber"));
    // A radio button reacts on its indicator and label, not on the whole row it spans.
    QTest::mouseClick(byNumber, Qt::LeftButton, {}, QPoint(8, byNumber->height() / 2));
    QVERIFY(byNumber->isChecked());
    auto *number = dialog->findChild<QLineEdit *>(QStringLiteral("number"));
    auto *buyButton = dialog->findChild<QPushButton *>(QStringLiteral("buy"));
    QVERIFY(!buyButton->isEnabled()); // empty
    QTest::keyClicks(number, QStringLiteral("4155550"));
    QVERIFY(!buyButton->isEnabled());
    QVERIFY(dialog->blockingReason().contains(QLatin1String("+")));
    QVERIFY(buyButton->toolTip() == dialog->blockingReason());
    number->clear();
    QTest::keyClicks(number, QStringLiteral("+1 415 555"));
    QVERIFY(!buyButton->isEnabled());
    QVERIFY(dialog->blockingReason().contains(QLatin1String("short")));
    dialog->reject();
    QTRY_VERIFY(!dialog);
    QCOMPARE(serverNumbers().size(), before); // nothing was bought
}

void TestNumbersPane::assignAgentAndRouting()
{
    const QString id = forwardedUnassigned();
    QVERIFY(!id.isEmpty());
    QVERIFY(clickRow(child<QTableView>("numbersView"), id, PagedListModel::IdRole));
    auto *agent = child<QComboBox>("agent");
    auto *routing = child<QComboBox>("routing");
    auto *forwardTo = child<QLineEdit>("forwardTo");
    auto *save = child<QPushButton>("save");
    QCOMPARE(agent->currentIndex(), 0); // Unassigned
    agent->setCurrentIndex(2);
    const QString agentId = agent->currentData().toString();
    QVERIFY(m_pane->hasUnsavedChanges());
    QVERIFY(save->isEnabled());
    QCOMPARE(routing->currentData().toInt(), int(RoutingMode::Forward));
    QCOMPARE(forwardTo->text(), QStringLiteral("+14155550123"));
    QVERIFY(forwardTo->isEnabled());
    forwardTo->clear();
    // A forward target is checked as typed and blocks the save until it is E.164.
    QTest::keyClicks(forwardTo, QStringLiteral("+1 (415) 555"));
    QVERIFY(!save->isEnabled());
    QVERIFY(!child<QLabel>("problem")->text().isEmpty());
    QTest::keyClicks(forwardTo, QStringLiteral("-0199"));
    QVERIFY(save->isEnabled());
    QVERIFY(child<QLabel>("problem")->text().isEmpty());
    QTest::mouseClick(save, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(child<QLabel>("feedback")->text().startsWith(QLatin1String("Saved")),
                             20000);
    QVERIFY(!m_pane->hasUnsavedChanges());

    const auto server = findById(serverNumbers(), id);
    QVERIFY(server);
    QCOMPARE(server->agentId, agentId);
    QCOMPARE(server->routing.mode, RoutingMode::Forward);
    QCOMPARE(server->routing.forwardTo, QStringLiteral("+14155550199"));
    // And back to the agent (forwardTo no longer used).
    routing->setCurrentIndex(routing->findData(int(RoutingMode::Agent)));
    QVERIFY(!forwardTo->isEnabled());
    child<QAction>("saveNumber")->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!m_pane->hasUnsavedChanges(), 20000);
    const auto back = findById(serverNumbers(), id);
    QVERIFY(back);
    QCOMPARE(back->routing.mode, RoutingMode::Agent);
}

void TestNumbersPane::renameWithFeedback()
{
    QVERIFY(!m_boughtId.isEmpty());
    QVERIFY(clickRow(child<QTableView>("numbersView"), m_boughtId, PagedListModel::IdRole));
    auto *name = child<QLineEdit>("name");
    name->selectAll();
    QTest::keyClicks(name, QStringLiteral("Renamed line"));
    QVERIFY(m_pane->hasUnsavedChanges());
    QTest::mouseClick(child<QPushButton>("save"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(child<QLabel>("feedback")->text().startsWith(QLatin1String("Saved")),
                             20000);
    auto *numbers = m_f.context().numbers;
    QCOMPARE(numbers->numberAt(numbers->rowOf(m_boughtId)).friendlyName,
             QStringLiteral("Renamed line"));
    const auto server = findById(serverNumbers(), m_boughtId);
    QVERIFY(server);
    QCOMPARE(server->friendlyName, QStringLiteral("Renamed line"));

    // Revert drops an edit without sending it.
    QTest::keyClicks(name, QStringLiteral(" 2"));
    QVERIFY(m_pane->hasUnsavedChanges());
    QTest::mouseClick(child<QPushButton>("revert"), Qt::LeftButton);
    QCOMPARE(name->text(), QStringLiteral("Renamed line"));
    QVERIFY(!m_pane->hasUnsavedChanges());
}

void TestNumbersPane::releaseAfterConfirming()
{
    QVERIFY(!m_boughtId.isEmpty());
    QVERIFY(clickRow(child<QTableView>("numbersView"), m_boughtId, PagedListModel::IdRole));
    const QString number =
        m_f.context().numbers->numberAt(m_f.context().numbers->rowOf(m_boughtId)).number;

    // Cancel first: nothing happens.
    QTest::mouseClick(child<QPushButton>("release"), Qt::LeftButton);
    QPointer<QMessageBox> box =
        findVisible<QMessageBox>(m_pane.get(), QStringLiteral("releaseConfirmation"));
    QVERIFY(box);
    QVERIFY(box->informativeText().contains(QLatin1String("Inbound calls to ") + number));
    QVERIFY(box->informativeText().contains(QLatin1String("stop working")));
    ConsoleFixture::screenshot(box, QStringLiteral("numbers-release-confirmation"));
    QTest::mouseClick(box->button(QMessageBox::Cancel), Qt::LeftButton);
    QTRY_VERIFY(!box);
    const auto kept = findById(serverNumbers(), m_boughtId);
    QVERIFY(kept);
    QCOMPARE(kept->status, PhoneNumberStatus::Active);

    const int shownBefore = child<QTableView>("numbersView")->model()->rowCount();
    QTest::mouseClick(child<QPushButton>("release"), Qt::LeftButton);
    box = findVisible<QMessageBox>(m_pane.get(), QStringLiteral("releaseConfirmation"));
    QVERIFY(box);
    QTest::mouseClick(box->findChild<QPushButton *>(QStringLiteral("confirmRelease")),
                      Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(child<QLabel>("feedback")->text().contains(QLatin1String("released")),
                             20000);
    const auto server = findById(serverNumbers(), m_boughtId);
    QVERIFY(server);
    QCOMPARE(server->status, PhoneNumberStatus::Released);
    QVERIFY(server->agentId.isEmpty());
    // Hidden from the list unless "Show released" is on.
    QCOMPARE(child<QTableView>("numbersView")->model()->rowCount(), shownBefore - 1);
    QTest::mouseClick(child<QCheckBox>("showReleased"), Qt::LeftButton);
    QCOMPARE(child<QTableView>("numbersView")->model()->rowCount(), shownBefore);
    QTest::mouseClick(child<QCheckBox>("showReleased"), Qt::LeftButton);
}

void TestNumbersPane::filterNarrowsRows()
{
    auto *view = child<QTableView>("numbersView");
    const int all = view->model()->rowCount();
    QVERIFY(all > 2);
    child<QAction>("filterNumbers")->trigger();
    QTest::keyClicks(child<QLineEdit>("filter"), QStringLiteral("After-hours"));
    QCOMPARE(view->model()->rowCount(), 1);
    QVERIFY(view->model()
                ->index(0, sb::models::PhoneNumberModel::FriendlyName)
                .data()
                .toString()
                .contains(QLatin1String("After-hours")));
    child<QLineEdit>("filter")->clear();
    QCOMPARE(view->model()->rowCount(), all);
    // Sorting by the agent column keeps every row.
    view->sortByColumn(sb::models::PhoneNumberModel::Agent, Qt::DescendingOrder);
    QCOMPARE(view->model()->rowCount(), all);
}

QTEST_MAIN(TestNumbersPane)
#include "tst_numberspane.moc"
