// The Contacts pane against the simulator: search and tag narrow rows (on the server), create
// and edit with custom fields, validation blocks bad input, 412 reloads, call this contact.
#include "consolefixture.h"
#include "numberstesthelpers.h"

#include "models/contactmodel.h"
#include "ui/contacteditor.h"
#include "ui/contactspane.h"
#include "ui/messagebanner.h"

#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTimer>
#include <QtTest>

using namespace numbers_test;
using sb::api::Contact;
using sb::models::ContactModel;
using sb::models::PagedListModel;
using sb::ui::ContactsPane;

class TestContactsPane : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void searchNarrowsRows();
    void tagFilterNarrowsRows();
    void createWithCustomFields();
    void invalidInputBlocksSave();
    void editCustomFields();
    void staleSaveReloads();
    void callThisContact();
    void unsavedGuard();

private:
    template<class T> T *child(const char *name) const
    {
        return m_pane->findChild<T *>(QLatin1String(name));
    }
    std::optional<Contact> serverContact(const QString &id) const
    {
        const auto result = waitFor(m_f.context().platform->contact(id));
        if (!result || !result->ok())
            return std::nullopt;
        return result->value();
    }
    bool waitLoaded() const
    {
        auto *model = m_pane->model();
        return QTest::qWaitFor([model] { return model->state() == PagedListModel::State::Loaded; },
                               20000);
    }
    void typeInto(const char *name, const QString &text)
    {
        auto *edit = child<QLineEdit>(name);
        edit->selectAll();
        QTest::keyClick(edit, Qt::Key_Delete);
        QTest::keyClicks(edit, text);
    }
    void setCell(int row, int column, const QString &text)
    {
        auto *table = child<QTableWidget>("customFields");
        table->item(row, column)->setText(text); // what the delegate's editor commits
    }

    ConsoleFixture m_f;
    std::unique_ptr<ContactsPane> m_pane;
    QString m_createdId;
};

void TestContactsPane::initTestCase()
{
    QVERIFY2(m_f.start({QStringLiteral("--history-calls"), QStringLiteral("20")}),
             qPrintable(m_f.errorString()));
    m_pane = std::make_unique<ContactsPane>(m_f.context());
    m_pane->resize(1200, 700);
    m_pane->show();
    m_pane->activated();
    QVERIFY(waitLoaded());
    QVERIFY(m_pane->model()->rowCount() > 5);
    QTRY_VERIFY(child<QComboBox>("tag")->count() > 1);
}

void TestContactsPane::cleanupTestCase()
{
    m_pane.reset();
}

void TestContactsPane::searchNarrowsRows()
{
    auto *model = m_pane->model();
    auto *view = child<QTableView>("contactsView");
    const int all = view->model()->rowCount();
    const Contact target = model->contactAt(0);
    const QString surname = target.name.section(QLatin1Char(' '), -1);
    child<QAction>("searchContacts")->trigger();
    QVERIFY(child<QLineEdit>("search")->hasFocus());
    QTest::keyClicks(child<QLineEdit>("search"), surname);
    // Debounced: one server query once typing pauses.
    QTRY_COMPARE_WITH_TIMEOUT(model->query(), surname, 5000);
    QVERIFY(waitLoaded());
    const int narrowed = view->model()->rowCount();
    QVERIFY(narrowed >= 1);
    QVERIFY(narrowed < all);
    for (int row = 0; row < narrowed; ++row) {
        const Contact &c = model->contactAt(row);
        const QString hay = c.name + c.phone + c.email + c.company;
        QVERIFY2(hay.contains(surname, Qt::CaseInsensitive), qPrintable(c.name));
    }
    QVERIFY(model->rowOf(target.id) >= 0);
    ConsoleFixture::screenshot(m_pane.get(), QStringLiteral("contacts-search"));
    child<QLineEdit>("search")->clear();
    QTRY_COMPARE_WITH_TIMEOUT(model->query(), QString(), 5000);
    QVERIFY(waitLoaded());
    QCOMPARE(view->model()->rowCount(), all);
}

void TestContactsPane::tagFilterNarrowsRows()
{
    auto *model = m_pane->model();
    const int all = model->rowCount();
    auto *tag = child<QComboBox>("tag");
    const int vip = tag->findData(QStringLiteral("vip"));
    QVERIFY(vip > 0);
    tag->setCurrentIndex(vip);
    QCOMPARE(model->tag(), QStringLiteral("vip"));
    QVERIFY(waitLoaded());
    QVERIFY(model->rowCount() >= 1);
    QVERIFY(model->rowCount() < all);
    for (const Contact &c : model->items())
        QVERIFY(c.tags.contains(QStringLiteral("vip")));
    tag->setCurrentIndex(0);
    QVERIFY(waitLoaded());
    QCOMPARE(model->rowCount(), all);
}

void TestContactsPane::createWithCustomFields()
{
    child<QAction>("newContact")->trigger();
    auto *editor = m_pane->editor();
    QVERIFY(editor->isNew());
    QVERIFY(!child<QPushButton>("save")->isEnabled());
    typeInto("name", QStringLiteral("Zed Testperson"));
    typeInto("phone", QStringLiteral("+1 415 555 0142"));
    typeInto("email", QStringLiteral("zed@example.com"));
    typeInto("company", QStringLiteral("Test Co"));
    typeInto("tags", QStringLiteral("lead, vip"));
    QTest::mouseClick(child<QPushButton>("addField"), Qt::LeftButton);
    setCell(0, 0, QStringLiteral("plan"));
    setCell(0, 1, QStringLiteral("gold"));
    QTest::mouseClick(child<QPushButton>("addField"), Qt::LeftButton);
    setCell(1, 0, QStringLiteral("region"));
    setCell(1, 1, QStringLiteral("west"));
    QVERIFY(m_pane->hasUnsavedChanges());
    QVERIFY2(editor->problem().isEmpty(), qPrintable(editor->problem()));
    QVERIFY(child<QPushButton>("save")->isEnabled());
    ConsoleFixture::screenshot(m_pane.get(), QStringLiteral("contacts-new"));
    QTest::mouseClick(child<QPushButton>("save"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!editor->isNew(), 20000);
    QVERIFY(editor->feedback().startsWith(QLatin1String("Created")));
    m_createdId = editor->contactId();
    QVERIFY(!m_createdId.isEmpty());
    QVERIFY(m_pane->model()->rowOf(m_createdId) >= 0);
    QVERIFY(m_f.context().contacts->rowOf(m_createdId) >= 0);

    const auto server = serverContact(m_createdId);
    QVERIFY(server);
    QCOMPARE(server->name, QStringLiteral("Zed Testperson"));
    QCOMPARE(server->phone, QStringLiteral("+14155550142"));
    QCOMPARE(server->email, QStringLiteral("zed@example.com"));
    QCOMPARE(server->tags, (QStringList{QStringLiteral("lead"), QStringLiteral("vip")}));
    QCOMPARE(server->customFields.value(QStringLiteral("plan")), QStringLiteral("gold"));
    QCOMPARE(server->customFields.value(QStringLiteral("region")), QStringLiteral("west"));
    QVERIFY(!m_pane->hasUnsavedChanges());
}

void TestContactsPane::invalidInputBlocksSave()
{
    QVERIFY(!m_createdId.isEmpty());
    auto *editor = m_pane->editor();
    auto *save = child<QPushButton>("save");
    auto *problem = child<QLabel>("problem");
    typeInto("email", QStringLiteral("not-an-address"));
    QVERIFY(!save->isEnabled());
    QVERIFY(problem->isVisible());
    QVERIFY(problem->text().startsWith(QLatin1String("E-mail")));
    child<QAction>("saveContact")->trigger(); // the shortcut does not bypass the check
    typeInto("email", QStringLiteral("zed@example.com"));
    typeInto("phone", QStringLiteral("4155550142"));
    QVERIFY(!save->isEnabled());
    QVERIFY(problem->text().startsWith(QLatin1String("Phone")));
    typeInto("phone", QStringLiteral("+1415555014299999999"));
    QVERIFY(problem->text().contains(QLatin1String("long")));
    typeInto("phone", QStringLiteral("+14155550142"));
    QVERIFY(!problem->isVisible());
    QVERIFY(!editor->isDirty()); // back to what is stored
    QCOMPARE(serverContact(m_createdId).value_or(Contact()).email,
             QStringLiteral("zed@example.com"));
}

void TestContactsPane::editCustomFields()
{
    QVERIFY(!m_createdId.isEmpty());
    auto *editor = m_pane->editor();
    auto *table = child<QTableWidget>("customFields");
    QCOMPARE(table->rowCount(), 2);
    // Remove "plan", change "region", add "tier".
    const int planRow = table->item(0, 0)->text() == QLatin1String("plan") ? 0 : 1;
    table->setCurrentCell(planRow, 0);
    QTest::mouseClick(child<QPushButton>("removeField"), Qt::LeftButton);
    QCOMPARE(table->rowCount(), 1);
    setCell(0, 1, QStringLiteral("east"));
    QTest::mouseClick(child<QPushButton>("addField"), Qt::LeftButton);
    setCell(1, 0, QStringLiteral("tier"));
    setCell(1, 1, QStringLiteral("2"));
    typeInto("company", QStringLiteral("Other Co"));
    QVERIFY(editor->isDirty());
    child<QAction>("saveContact")->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(editor->feedback().startsWith(QLatin1String("Saved")), 20000);
    const auto server = serverContact(m_createdId);
    QVERIFY(server);
    QCOMPARE(server->company, QStringLiteral("Other Co"));
    QVERIFY(!server->customFields.contains(QStringLiteral("plan")));
    QCOMPARE(server->customFields.value(QStringLiteral("region")), QStringLiteral("east"));
    QCOMPARE(server->customFields.value(QStringLiteral("tier")), QStringLiteral("2"));
    const int row = m_pane->model()->rowOf(m_createdId);
    QCOMPARE(m_pane->model()->contactAt(row).company, QStringLiteral("Other Co"));
}

void TestContactsPane::staleSaveReloads()
{
    QVERIFY(!m_createdId.isEmpty());
    auto *editor = m_pane->editor();
    // Someone else saves first: the editor's If-Match tag goes stale.
    sb::api::ContactChanges theirs;
    theirs.company = QStringLiteral("Their Co");
    const auto other = waitFor(m_f.context().platform->patchContact(m_createdId, theirs));
    QVERIFY(other && other->ok());
    typeInto("name", QStringLiteral("Zed Mine"));
    QTest::mouseClick(child<QPushButton>("save"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(editor->feedback().contains(QLatin1String("Someone else")), 20000);
    QCOMPARE(child<QLineEdit>("company")->text(), QStringLiteral("Their Co"));
    QCOMPARE(child<QLineEdit>("name")->text(), QStringLiteral("Zed Testperson"));
    QCOMPARE(serverContact(m_createdId).value_or(Contact()).name, QStringLiteral("Zed Testperson"));
    // Saving again now works with the fresh tag.
    typeInto("name", QStringLiteral("Zed Mine"));
    QTest::mouseClick(child<QPushButton>("save"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(editor->feedback().startsWith(QLatin1String("Saved")), 20000);
    QCOMPARE(serverContact(m_createdId).value_or(Contact()).name, QStringLiteral("Zed Mine"));
    QCOMPARE(serverContact(m_createdId).value_or(Contact()).company, QStringLiteral("Their Co"));
}

void TestContactsPane::callThisContact()
{
    QSignalSpy spy(m_f.context().navigator, &sb::ui::Navigator::placeCall);
    auto *call = child<QPushButton>("call");
    QVERIFY(call->isEnabled());
    QTest::mouseClick(call, Qt::LeftButton);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toString(), QStringLiteral("+14155550142"));
    QVERIFY(spy.at(0).at(1).toString().isEmpty());
    QAction *action = child<QAction>("callContact");
    QVERIFY(action->toolTip().contains(action->shortcut().toString(QKeySequence::NativeText)));
    action->trigger();
    QCOMPARE(spy.count(), 2);
}

// Answers the next modal message box with \a button once it is open.
static void answerNextBox(QMessageBox::StandardButton button)
{
    QTimer::singleShot(0, [button] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        QVERIFY(box);
        QTest::mouseClick(box->button(button), Qt::LeftButton);
    });
}

void TestContactsPane::unsavedGuard()
{
    QVERIFY(!m_createdId.isEmpty());
    typeInto("company", QStringLiteral("Unsaved Co"));
    QVERIFY(m_pane->hasUnsavedChanges());
    QSignalSpy title(m_pane.get(), &sb::ui::Pane::titleChanged);
    answerNextBox(QMessageBox::Cancel);
    QVERIFY(!m_pane->confirmLeave()); // stay, edits kept
    QCOMPARE(child<QLineEdit>("company")->text(), QStringLiteral("Unsaved Co"));
    answerNextBox(QMessageBox::Discard);
    QVERIFY(m_pane->confirmLeave());
    QCOMPARE(child<QLineEdit>("company")->text(), QStringLiteral("Their Co"));
    QVERIFY(!m_pane->hasUnsavedChanges());
    QVERIFY(title.count() > 0); // the rail's unsaved dot follows
    QCOMPARE(serverContact(m_createdId).value_or(Contact()).company, QStringLiteral("Their Co"));
}

QTEST_MAIN(TestContactsPane)
#include "tst_contactspane.moc"
