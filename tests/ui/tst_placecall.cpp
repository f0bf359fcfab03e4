// The place-a-call dialog against the simulator: E.164 checked as typed, contact completion,
// a placed call shows on the server and opens in Live, a server error keeps the form.
#include "consolefixture.h"
#include "numberstesthelpers.h"
#include "testsupport.h"

#include "models/contactmodel.h"
#include "models/phonenumbermodel.h"
#include "ui/placecalldialog.h"

#include <QComboBox>
#include <QCompleter>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QtTest>

using namespace numbers_test;
using sb::models::PagedListModel;
using sb::ui::PlaceCallDialog;

class TestPlaceCall : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void invalidNumbersRejectedAsTyped();
    void onlyActiveVoiceNumbersOffered();
    void contactCompletionFillsTheNumber();
    void validPlacesCall();
    void serverErrorKeepsTheForm();

private:
    template<class T> T *child(const char *name) const
    {
        return m_dialog->findChild<T *>(QLatin1String(name));
    }
    void fillMetadata(const QString &key, const QString &value)
    {
        QTest::mouseClick(m_dialog->findChild<QPushButton *>(QStringLiteral("addRow")),
                          Qt::LeftButton);
        auto *table = child<QTableWidget>("metadata");
        const int row = table->rowCount() - 1;
        table->item(row, 0)->setText(key);
        table->item(row, 1)->setText(value);
    }

    ConsoleFixture m_f;
    std::unique_ptr<PlaceCallDialog> m_dialog;
};

void TestPlaceCall::initTestCase()
{
    QVERIFY2(m_f.start({QStringLiteral("--history-calls"), QStringLiteral("20")}),
             qPrintable(m_f.errorString()));
    QVERIFY(m_f.waitForAgents());
    const auto &c = m_f.context();
    QTRY_COMPARE_WITH_TIMEOUT(c.numbers->state(), PagedListModel::State::Loaded, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(c.contacts->state(), PagedListModel::State::Loaded, 20000);
}

void TestPlaceCall::init()
{
    m_dialog = std::make_unique<PlaceCallDialog>(m_f.context());
    m_dialog->show();
}

void TestPlaceCall::cleanup()
{
    m_dialog.reset();
}

void TestPlaceCall::invalidNumbersRejectedAsTyped()
{
    auto *to = child<QLineEdit>("to");
    auto *place = child<QPushButton>("place");
    auto *problem = child<QLabel>("toProblem");
    QVERIFY(child<QComboBox>("agent")->currentIndex() < 0 || !place->isEnabled());
    child<QComboBox>("agent")->setCurrentIndex(0);
    QVERIFY(!place->isEnabled()); // no destination yet
    QTest::keyClicks(to, QStringLiteral("4155550100"));
    QVERIFY(!place->isEnabled());
    QVERIFY(problem->text().contains(QLatin1String("Start with +")));
    QCOMPARE(place->toolTip(), m_dialog->blockingReason());
    to->clear();
    QTest::keyClicks(to, QStringLiteral("+0415"));
    QVERIFY(problem->text().contains(QLatin1String("country code")));
    to->clear();
    QTest::keyClicks(to, QStringLiteral("+1415abc"));
    QVERIFY(problem->text().contains(QLatin1String("digits")));
    to->clear();
    QTest::keyClicks(to, QStringLiteral("+1 415 555"));
    QVERIFY(problem->text().contains(QLatin1String("short")));
    QVERIFY(!place->isEnabled());
    QTest::keyClicks(to, QStringLiteral("-0100"));
    QVERIFY(problem->text().isEmpty());
    QVERIFY2(place->isEnabled(), qPrintable(m_dialog->blockingReason()));
    // A metadata row without a key blocks as well.
    QTest::mouseClick(child<QPushButton>("addRow"), Qt::LeftButton);
    child<QTableWidget>("metadata")->item(0, 1)->setText(QStringLiteral("x"));
    QVERIFY(!place->isEnabled());
    QVERIFY(m_dialog->blockingReason().contains(QLatin1String("key")));
    ConsoleFixture::screenshot(m_dialog.get(), QStringLiteral("placecall-invalid"));
}

void TestPlaceCall::onlyActiveVoiceNumbersOffered()
{
    auto *from = child<QComboBox>("from");
    const auto &numbers = m_f.context().numbers->items();
    int allowed = 0;
    for (const auto &n : numbers) {
        const bool ok = n.status == sb::api::PhoneNumberStatus::Active && n.voice;
        allowed += ok ? 1 : 0;
        QCOMPARE(from->findData(n.number) >= 0, ok);
    }
    QCOMPARE(from->count(), allowed);
    QVERIFY(allowed < numbers.size()); // the seed has a pending number
    // Choosing an agent picks the number routed to it.
    auto *agent = child<QComboBox>("agent");
    for (const auto &n : numbers) {
        if (n.agentId.isEmpty() || n.status != sb::api::PhoneNumberStatus::Active)
            continue;
        m_dialog->setAgent(n.agentId);
        QCOMPARE(agent->currentData().toString(), n.agentId);
        QCOMPARE(from->currentData().toString(), n.number);
        break;
    }
}

void TestPlaceCall::contactCompletionFillsTheNumber()
{
    const sb::api::Contact contact = m_f.context().contacts->contactAt(0);
    auto *to = child<QLineEdit>("to");
    QCompleter *completer = to->completer();
    QVERIFY(completer);
    completer->setCompletionPrefix(contact.name);
    QVERIFY(completer->completionCount() >= 1);
    QVERIFY(completer->currentCompletion().contains(contact.name));
    Q_EMIT completer->activated(completer->currentCompletion()); // as a click in the popup
    QVERIFY(to->text().startsWith(QLatin1Char('+')));
    QVERIFY(child<QLabel>("toProblem")->text().isEmpty());
}

void TestPlaceCall::validPlacesCall()
{
    QSignalSpy live(m_f.context().navigator, &sb::ui::Navigator::showLiveCall);
    QSignalSpy done(m_dialog.get(), &QDialog::accepted);
    child<QComboBox>("agent")->setCurrentIndex(0);
    const QString agentId = child<QComboBox>("agent")->currentData().toString();
    const QString from = child<QComboBox>("from")->currentData().toString();
    QTest::keyClicks(child<QLineEdit>("to"), QStringLiteral("+1 (415) 555-0177"));
    fillMetadata(QStringLiteral("simOutcome"), QStringLiteral("answered"));
    fillMetadata(QStringLiteral("ticket"), QStringLiteral("T-42"));
    auto *place = child<QPushButton>("place");
    QVERIFY2(place->isEnabled(), qPrintable(m_dialog->blockingReason()));
    ConsoleFixture::screenshot(m_dialog.get(), QStringLiteral("placecall-ready"));
    QTest::mouseClick(place, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(live.count(), 1, 20000);
    QCOMPARE(done.count(), 1);
    QVERIFY(!m_dialog->isVisible());
    const QString id = live.at(0).at(0).toString();
    QVERIFY(id.startsWith(QLatin1String("call_")));

    const auto details = waitFor(m_f.context().platform->callDetails(id));
    QVERIFY(details && details->ok());
    const sb::api::Call &call = details->value().call;
    QCOMPARE(call.to, QStringLiteral("+14155550177"));
    QCOMPARE(call.from, from);
    QCOMPARE(call.agentId, agentId);
    QCOMPARE(call.direction, sb::api::CallDirection::Outbound);
    QCOMPARE(call.metadata.value(QStringLiteral("ticket")).toString(), QStringLiteral("T-42"));
}

void TestPlaceCall::serverErrorKeepsTheForm()
{
    QSignalSpy live(m_f.context().navigator, &sb::ui::Navigator::showLiveCall);
    child<QComboBox>("agent")->setCurrentIndex(1);
    QTest::keyClicks(child<QLineEdit>("to"), QStringLiteral("+14155550188"));
    fillMetadata(QStringLiteral("ticket"), QStringLiteral("T-43"));
    // Every attempt (the first and the session's retries) fails before it is processed.
    const QJsonObject fault{
        {QStringLiteral("failNext"),
         QJsonArray{QJsonObject{{QStringLiteral("status"), 500},
                                {QStringLiteral("count"), 4},
                                {QStringLiteral("when"), QStringLiteral("before")},
                                {QStringLiteral("method"), QStringLiteral("POST")},
                                {QStringLiteral("path"), QStringLiteral("/v1/calls")}}}}};
    QCOMPARE(sb::test::postAdmin(m_f.sim().adminUrl(), QStringLiteral("/faults"), fault), 204);
    QTest::mouseClick(child<QPushButton>("place"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!m_dialog->errorText().isEmpty(), 60000);
    QVERIFY(m_dialog->errorText().contains(QLatin1String("not placed")));
    QVERIFY(m_dialog->isVisible());
    QCOMPARE(live.count(), 0);
    QCOMPARE(child<QLineEdit>("to")->text(), QStringLiteral("+14155550188"));
    QCOMPARE(child<QTableWidget>("metadata")->item(0, 1)->text(), QStringLiteral("T-43"));
    QCOMPARE(child<QComboBox>("agent")->currentIndex(), 1);
    QVERIFY(child<QPushButton>("place")->isEnabled());
    ConsoleFixture::screenshot(m_dialog.get(), QStringLiteral("placecall-error"));

    // The faults are used up: trying again places the call.
    QCOMPARE(sb::test::postAdmin(m_f.sim().adminUrl(), QStringLiteral("/faults"), {}), 204);
    QTest::mouseClick(child<QPushButton>("place"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(live.count(), 1, 20000);
    QVERIFY(m_dialog->errorText().isEmpty());
    const auto details = waitFor(m_f.context().platform->callDetails(live.at(0).at(0).toString()));
    QVERIFY(details && details->ok());
    QCOMPARE(details->value().call.to, QStringLiteral("+14155550188"));
}

QTEST_MAIN(TestPlaceCall)
#include "tst_placecall.moc"
