// The Agents pane against the simulator: edit and save (the server has it), inline validation
// blocking Save, a 412 merged field by field, create/duplicate/delete, the unsaved guard, a
// failed save retried from the banner.

#include "agentspanetesthelpers.h"
#include "consolefixture.h"
#include "testsupport.h"

#include "api/pendingrequest.h"
#include "api/talknexplatform.h"
#include "models/collectionmodel.h"
#include "ui/agenteditor.h"
#include "ui/agentspane.h"
#include "ui/conflictdialog.h"
#include "ui/knowledgepicker.h"
#include "ui/messagebanner.h"
#include "ui/toolseditor.h"

#include <QAction>
#include <QCheckBox>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

using sb::ui::AgentEditor;
using sb::ui::AgentsPane;
using sb::ui::ConflictDialog;
using Field = sb::ui::agentfields::Field;

class TestAgentsPane : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void editPromptAndNumberThenSave();
    void invalidInputBlocksSave();
    void conflictMergesFieldByField();
    void createDuplicateDelete();
    void unsavedGuardOnSwitchingAgent();
    void failedSaveRetriesFromBanner();
    void filterAndStateRoundTrip();
    void transferNumberRulesAndClearing();
    void fieldTable();
    void toolsAndKnowledgeSave();
    void readOnlyWithoutWriteCapability();
    void serverValidationErrorOnTheField();

private:
    QLineEdit *lineEdit(Field f) const
    {
        return qobject_cast<QLineEdit *>(m_pane->editor()->input(f));
    }
    QPlainTextEdit *textEdit(Field f) const
    {
        return qobject_cast<QPlainTextEdit *>(m_pane->editor()->input(f));
    }
    QLabel *errorLabel(Field f) const
    {
        return m_pane->editor()->findChild<QLabel *>(sb::ui::agentfields::wireName(f) +
                                                     QStringLiteral("Error"));
    }
    //! Shows the field's tab and types \a text over its content, as a person would.
    void retype(Field f, const QString &text)
    {
        m_pane->editor()->focusField(f);
        QWidget *input = m_pane->editor()->input(f);
        QTest::mouseClick(input, Qt::LeftButton);
        QTest::keyClick(input, Qt::Key_A, Qt::ControlModifier);
        QTest::keyClick(input, Qt::Key_Delete);
        QTest::keyClicks(input, text);
    }
    //! Waits until the editor shows the server's copy of the current agent.
    bool waitLoaded()
    {
        return QTest::qWaitFor(
            [this] {
                return !m_pane->currentAgentId().isEmpty() && m_pane->editor()->isEnabled() &&
                       !m_pane->editor()->base().etag.isEmpty();
            },
            20000);
    }
    bool waitSaved()
    {
        return QTest::qWaitFor(
            [this] { return !m_pane->isSaving() && !m_pane->hasUnsavedChanges(); }, 20000);
    }
    //! The pane's shortcuts live while focus is inside it: after a message box closed, the
    //! window may still be waiting to become active again.
    void pressShortcut(Qt::Key key, Qt::KeyboardModifiers mods = Qt::ControlModifier)
    {
        m_pane->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_pane.get()));
        m_pane->view()->setFocus();
        QTest::keyClick(m_pane->view(), key, mods);
    }
    //! A radio button reacts to clicks on its indicator and text, not on its empty stretch.
    static void clickRadio(QRadioButton *button)
    {
        QVERIFY(button);
        QTest::mouseClick(button, Qt::LeftButton, {}, QPoint(6, button->height() / 2));
    }
    QString agentIdAtRow(int row) const
    {
        return m_pane->view()->model()->index(row, 0).data(Qt::UserRole + 2).toString();
    }

    ConsoleFixture m_f;
    std::unique_ptr<OtherClient> m_other;
    std::unique_ptr<AgentsPane> m_pane;
};

void TestAgentsPane::initTestCase()
{
    QVERIFY2(m_f.start({QStringLiteral("--history-calls"), QStringLiteral("20")}),
             qPrintable(m_f.errorString()));
    QVERIFY(m_f.waitForAgents());
    auto *collections = m_f.context().collections;
    QTRY_VERIFY_WITH_TIMEOUT(collections->state() == sb::models::PagedListModel::State::Loaded,
                             20000);
    m_other = std::make_unique<OtherClient>(m_f.sim().baseUrl(), m_f.sim().key());
}

void TestAgentsPane::init()
{
    m_pane = std::make_unique<AgentsPane>(m_f.context());
    m_pane->resize(1280, 800);
    m_pane->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_pane.get()));
    m_pane->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_pane.get()));
    m_pane->activated();
    QVERIFY(waitLoaded());
    m_pane->view()->setFocus();
}

void TestAgentsPane::cleanup()
{
    m_pane.reset();
}

void TestAgentsPane::editPromptAndNumberThenSave()
{
    const QString id = m_pane->currentAgentId();
    QVERIFY(!m_pane->saveAction()->isEnabled());
    const QString prompt = QStringLiteral("You are a careful test agent. Answer briefly.");
    retype(Field::SystemPrompt, prompt);
    retype(Field::LlmTemperature, QStringLiteral("1.3"));
    QVERIFY(m_pane->hasUnsavedChanges());
    QVERIFY(m_pane->saveAction()->isEnabled());
    QCOMPARE(m_pane->saveStatus(), QStringLiteral("Unsaved changes."));
    // Only the two edited fields go out.
    const sb::api::AgentChanges changes = m_pane->editor()->changes();
    QVERIFY(changes.systemPrompt && changes.llmTemperature);
    QVERIFY(!changes.name && !changes.tools && !changes.llmMaxTokens && !changes.voiceSpeed);
    ConsoleFixture::screenshot(m_pane.get(), QStringLiteral("agents-edited"));

    QTest::keyClick(m_pane->editor()->input(Field::LlmTemperature), Qt::Key_S, Qt::ControlModifier);
    QVERIFY(waitSaved());
    QVERIFY(!m_pane->banner()->isVisible());
    const auto server = m_other->agent(id);
    QVERIFY(server);
    QCOMPARE(server->systemPrompt, prompt);
    QVERIFY(server->llmTemperature);
    QCOMPARE(*server->llmTemperature, 1.3);
    // The editor took the server's new tag: a second save is not a conflict.
    retype(Field::LlmTopP, QStringLiteral("0.5"));
    m_pane->saveAction()->trigger();
    QVERIFY(waitSaved());
    QVERIFY(m_pane->conflictDialog() == nullptr);
    QCOMPARE(*m_other->agent(id)->llmTopP, 0.5);
}

void TestAgentsPane::invalidInputBlocksSave()
{
    retype(Field::LlmTemperature, QStringLiteral("3"));
    QLabel *error = errorLabel(Field::LlmTemperature);
    QVERIFY(error && error->isVisible());
    QCOMPARE(error->text(), QStringLiteral("Enter a number from 0 to 2."));
    QCOMPARE(m_pane->editor()->input(Field::LlmTemperature)->accessibleDescription(),
             error->text());
    QVERIFY(!m_pane->saveAction()->isEnabled());
    QVERIFY2(
        m_pane->saveStatus().contains(QStringLiteral("Temperature: Enter a number from 0 to 2.")),
        qPrintable(m_pane->saveStatus()));
    QVERIFY(m_pane->hasUnsavedChanges());
    ConsoleFixture::screenshot(m_pane.get(), QStringLiteral("agents-invalid-temperature"));

    retype(Field::LlmTemperature, QStringLiteral("0.4"));
    QVERIFY(!error->isVisible());
    QVERIFY(m_pane->saveAction()->isEnabled());

    // A tool whose JSON Schema does not parse: the position is shown while typing.
    sb::ui::ToolsEditor *tools = m_pane->editor()->toolsEditor();
    m_pane->editor()->focusField(Field::Tools);
    QTest::mouseClick(tools->addButton(), Qt::LeftButton);
    QTest::keyClicks(tools->webhookEdit(), QStringLiteral("https://hooks.example.com/t"));
    QTest::mouseClick(tools->parametersEdit(), Qt::LeftButton);
    QTest::keyClick(tools->parametersEdit(), Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(tools->parametersEdit(), QStringLiteral("{\"type\": \"object\", \"x\": }"));
    QVERIFY(tools->parametersErrorLabel()->isVisible());
    QVERIFY2(tools->parametersErrorLabel()->text().contains(QStringLiteral("line 1, column")),
             qPrintable(tools->parametersErrorLabel()->text()));
    QVERIFY(!m_pane->saveAction()->isEnabled());
    QVERIFY2(m_pane->saveStatus().contains(QStringLiteral("Custom tools")),
             qPrintable(m_pane->saveStatus()));
    ConsoleFixture::screenshot(m_pane.get(), QStringLiteral("agents-invalid-tool"));
    // A bad webhook URL is caught as well.
    QTest::keyClick(tools->parametersEdit(), Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(tools->parametersEdit(), QStringLiteral("{\"type\": \"object\"}"));
    QVERIFY(!tools->parametersErrorLabel()->isVisible());
    tools->webhookEdit()->clear();
    QTest::keyClicks(tools->webhookEdit(), QStringLiteral("ftp:/nowhere"));
    QVERIFY2(m_pane->saveStatus().contains(QStringLiteral("http")),
             qPrintable(m_pane->saveStatus()));
    QVERIFY(!m_pane->saveAction()->isEnabled());

    // Esc reverts after a confirmation; nothing reached the server.
    ModalAnswer discard(QStringLiteral("Discard"));
    QTest::keyClick(m_pane->view(), Qt::Key_Escape);
    QTRY_VERIFY(discard.answered());
    QVERIFY(!m_pane->hasUnsavedChanges());
    QVERIFY(!errorLabel(Field::LlmTemperature)->isVisible());
    QCOMPARE(m_other->agent(m_pane->currentAgentId())->tools.size(),
             m_pane->editor()->base().tools.size());
}

void TestAgentsPane::conflictMergesFieldByField()
{
    const QString id = m_pane->currentAgentId();
    const sb::api::Agent before = m_pane->editor()->base();
    const QString myPrompt = QStringLiteral("Mine: greet, qualify, book.");
    retype(Field::SystemPrompt, myPrompt);
    retype(Field::LlmMaxTokens, QStringLiteral("321"));
    retype(Field::VoiceId, QStringLiteral("nova"));

    // Someone else saves the same agent meanwhile.
    sb::api::AgentChanges theirs;
    theirs.systemPrompt = QStringLiteral("Theirs: a different prompt.");
    theirs.llmMaxTokens = 999;
    theirs.firstMessage = QStringLiteral("Hello from the other desk.");
    QVERIFY(m_other->patch(id, theirs));

    m_pane->saveAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(m_pane->conflictDialog() != nullptr, 20000);
    ConflictDialog *dialog = m_pane->conflictDialog();
    const QList<Field> shown = dialog->fields();
    QVERIFY(shown.contains(Field::SystemPrompt));
    QVERIFY(shown.contains(Field::LlmMaxTokens));
    QVERIFY(shown.contains(Field::FirstMessage)); // theirs only: preselected "theirs"
    QVERIFY(shown.contains(Field::VoiceId));      // mine only: preselected "mine"
    QVERIFY(!shown.contains(Field::Name));        // nobody changed it
    QCOMPARE(dialog->button(Field::SystemPrompt, ConflictDialog::Choice::Theirs)->text(),
             *theirs.systemPrompt);
    QCOMPARE(dialog->button(Field::SystemPrompt, ConflictDialog::Choice::Mine)->text(), myPrompt);
    QCOMPARE(dialog->button(Field::LlmMaxTokens, ConflictDialog::Choice::Theirs)->text(),
             QStringLiteral("999"));
    QCOMPARE(dialog->button(Field::LlmMaxTokens, ConflictDialog::Choice::Mine)->text(),
             QStringLiteral("321"));
    QCOMPARE(dialog->choice(Field::FirstMessage), ConflictDialog::Choice::Theirs);
    QCOMPARE(dialog->choice(Field::VoiceId), ConflictDialog::Choice::Mine);
    ConsoleFixture::screenshot(dialog, QStringLiteral("agents-conflict"));

    // Overall choices first, then per field.
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("takeAllTheirs")),
                      Qt::LeftButton);
    for (Field f : shown)
        QCOMPARE(dialog->choice(f), ConflictDialog::Choice::Theirs);
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("keepAllMine")),
                      Qt::LeftButton);
    for (Field f : shown)
        QCOMPARE(dialog->choice(f), ConflictDialog::Choice::Mine);
    clickRadio(dialog->button(Field::FirstMessage, ConflictDialog::Choice::Theirs));
    clickRadio(dialog->button(Field::SystemPrompt, ConflictDialog::Choice::Mine));
    clickRadio(dialog->button(Field::LlmMaxTokens, ConflictDialog::Choice::Theirs));
    QCOMPARE(dialog->choice(Field::LlmMaxTokens), ConflictDialog::Choice::Theirs);
    QCOMPARE(dialog->choice(Field::SystemPrompt), ConflictDialog::Choice::Mine);
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("saveMerged")),
                      Qt::LeftButton);
    QVERIFY(waitSaved());
    QVERIFY(m_pane->conflictDialog() == nullptr);

    const auto server = m_other->agent(id);
    QVERIFY(server);
    QCOMPARE(server->systemPrompt, myPrompt);
    QCOMPARE(*server->llmMaxTokens, 999);
    QCOMPARE(server->firstMessage, *theirs.firstMessage);
    QCOMPARE(server->voiceId, QStringLiteral("nova"));
    QCOMPARE(server->name, before.name);
    QCOMPARE(m_pane->editor()->base().llmMaxTokens, std::optional<int>(999));
}

void TestAgentsPane::createDuplicateDelete()
{
    // New: a draft that cannot be saved without a name.
    pressShortcut(Qt::Key_N);
    QVERIFY(m_pane->isDraft());
    QVERIFY(m_pane->currentAgentId().isEmpty());
    QVERIFY(!m_pane->saveAction()->isEnabled());
    QVERIFY(errorLabel(Field::Name)->isVisible());
    QVERIFY2(m_pane->saveStatus().isEmpty() ||
                 m_pane->saveStatus().contains(QStringLiteral("Name")),
             qPrintable(m_pane->saveStatus()));
    QTest::keyClicks(lineEdit(Field::Name), QStringLiteral("QA intake agent"));
    retype(Field::SystemPrompt, QStringLiteral("Collect the caller's details."));
    QVERIFY(m_pane->saveAction()->isEnabled());
    const int rowsBefore = m_f.context().agents->rowCount();
    m_pane->saveAction()->trigger();
    QVERIFY(waitSaved());
    const QString created = m_pane->currentAgentId();
    QVERIFY(created.startsWith(QStringLiteral("agent_")));
    QVERIFY(!m_pane->isDraft());
    QCOMPARE(m_f.context().agents->rowCount(), rowsBefore + 1);
    QCOMPARE(m_pane->view()->currentIndex().data(Qt::UserRole + 2).toString(), created);
    QCOMPARE(m_other->agent(created)->name, QStringLiteral("QA intake agent"));

    // Duplicate: "Copy of …" with the same settings, a new agent on save.
    QVERIFY(waitLoaded());
    pressShortcut(Qt::Key_D);
    QVERIFY(m_pane->isDraft());
    QCOMPARE(lineEdit(Field::Name)->text(), QStringLiteral("Copy of QA intake agent"));
    QCOMPARE(textEdit(Field::SystemPrompt)->toPlainText(),
             QStringLiteral("Collect the caller's details."));
    QVERIFY(m_pane->hasUnsavedChanges());
    m_pane->saveAction()->trigger();
    QVERIFY(waitSaved());
    const QString copy = m_pane->currentAgentId();
    QVERIFY(copy != created && !copy.isEmpty());
    const auto copied = m_other->agent(copy);
    QVERIFY(copied);
    QCOMPARE(copied->name, QStringLiteral("Copy of QA intake agent"));
    QCOMPARE(copied->systemPrompt, QStringLiteral("Collect the caller's details."));

    // Delete after a confirmation that names the agent; Cancel first keeps it.
    QVERIFY(waitLoaded());
    {
        ModalAnswer cancel(QStringLiteral("Cancel"));
        pressShortcut(Qt::Key_Delete, Qt::NoModifier);
        QTRY_VERIFY(cancel.answered());
        QVERIFY(cancel.text().contains(QStringLiteral("Copy of QA intake agent")));
    }
    QVERIFY(m_other->agent(copy));
    ModalAnswer confirm(QStringLiteral("Delete"));
    pressShortcut(Qt::Key_Delete, Qt::NoModifier);
    QTRY_VERIFY(confirm.answered());
    QTRY_VERIFY_WITH_TIMEOUT(m_f.context().agents->rowOf(copy) < 0, 20000);
    sb::api::ApiError error;
    QVERIFY(!m_other->agent(copy, &error));
    QCOMPARE(error.kind, sb::api::ApiError::Kind::NotFound);
    QVERIFY(m_pane->currentAgentId() != copy);
    QVERIFY(m_other->agent(created));
}

void TestAgentsPane::unsavedGuardOnSwitchingAgent()
{
    const QString first = m_pane->currentAgentId();
    const int firstRow = m_pane->view()->currentIndex().row();
    const int otherRow = firstRow == 0 ? 1 : 0;
    const QString second = agentIdAtRow(otherRow);
    const QString name = lineEdit(Field::Name)->text();
    m_pane->editor()->focusField(Field::Name);
    QTest::keyClick(lineEdit(Field::Name), Qt::Key_End);
    QTest::keyClicks(lineEdit(Field::Name), QStringLiteral(" (draft)"));
    QVERIFY(m_pane->hasUnsavedChanges());

    const QRect otherRect = m_pane->view()->visualRect(m_pane->view()->model()->index(otherRow, 0));
    {
        ModalAnswer cancel(QStringLiteral("Cancel"));
        QTest::mouseClick(m_pane->view()->viewport(), Qt::LeftButton, {}, otherRect.center());
        QTRY_VERIFY(cancel.answered());
        QVERIFY(cancel.text().contains(name));
    }
    QCOMPARE(m_pane->currentAgentId(), first);
    QCOMPARE(m_pane->view()->currentIndex().row(), firstRow);
    QCOMPARE(lineEdit(Field::Name)->text(), name + QStringLiteral(" (draft)"));
    QVERIFY(m_pane->hasUnsavedChanges());
    {
        ModalAnswer cancel(QStringLiteral("Cancel"));
        QVERIFY(!m_pane->confirmLeave());
        QVERIFY(cancel.answered());
    }

    ModalAnswer discard(QStringLiteral("Discard"));
    QTest::mouseClick(m_pane->view()->viewport(), Qt::LeftButton, {}, otherRect.center());
    QTRY_VERIFY(discard.answered());
    QCOMPARE(m_pane->currentAgentId(), second);
    QVERIFY(waitLoaded());
    QVERIFY(!m_pane->hasUnsavedChanges());
    QCOMPARE(m_other->agent(first)->name, name);
}

void TestAgentsPane::failedSaveRetriesFromBanner()
{
    const QString id = m_pane->currentAgentId();
    retype(Field::FirstMessage, QStringLiteral("Hi, this is the retry test."));
    const QJsonObject fault{
        {QStringLiteral("failNext"),
         QJsonArray{QJsonObject{{QStringLiteral("status"), 403},
                                {QStringLiteral("count"), 1},
                                {QStringLiteral("method"), QStringLiteral("PATCH")},
                                {QStringLiteral("when"), QStringLiteral("before")}}}}};
    QCOMPARE(sb::test::postAdmin(m_f.sim().adminUrl(), QStringLiteral("/faults"), fault), 204);
    m_pane->saveAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(m_pane->banner()->isVisible(), 20000);
    QVERIFY(m_pane->hasUnsavedChanges()); // nothing lost
    QVERIFY(m_pane->banner()->text().contains(QStringLiteral("could not be saved")));
    ConsoleFixture::screenshot(m_pane.get(), QStringLiteral("agents-save-failed"));
    auto *retry = m_pane->banner()->findChild<QPushButton *>();
    const QList<QPushButton *> buttons = m_pane->banner()->findChildren<QPushButton *>();
    for (QPushButton *b : buttons) {
        if (b->text().remove(QLatin1Char('&')) == QStringLiteral("Retry"))
            retry = b;
    }
    QVERIFY(retry && retry->isVisible());
    QTest::mouseClick(retry, Qt::LeftButton);
    QVERIFY(waitSaved());
    QCOMPARE(m_other->agent(id)->firstMessage, QStringLiteral("Hi, this is the retry test."));
}

void TestAgentsPane::filterAndStateRoundTrip()
{
    const QString current = m_pane->currentAgentId();
    const QString name = m_pane->editor()->base().name;
    pressShortcut(Qt::Key_F);
    QVERIFY(m_pane->filterEdit()->hasFocus());
    QTest::keyClicks(m_pane->filterEdit(), name);
    QTRY_VERIFY(m_pane->view()->model()->rowCount() >= 1);
    QVERIFY(m_pane->view()->model()->rowCount() < m_f.context().agents->rowCount());
    QCOMPARE(m_pane->currentAgentId(), current); // filtering opens nothing else
    QTest::keyClicks(m_pane->filterEdit(), QStringLiteral("zzz-no-such-agent"));
    QCOMPARE(m_pane->view()->model()->rowCount(), 0);
    QCOMPARE(m_pane->currentAgentId(), current);
    m_pane->filterEdit()->clear();

    // Coming back to the pane with nothing edited shows what the server has now.
    sb::api::AgentChanges elsewhere;
    elsewhere.firstMessage = QStringLiteral("Changed at another desk.");
    QVERIFY(m_other->patch(current, elsewhere));
    m_pane->activated();
    QTRY_COMPARE_WITH_TIMEOUT(textEdit(Field::FirstMessage)->toPlainText(),
                              QStringLiteral("Changed at another desk."), 20000);
    QVERIFY(waitLoaded());
    QVERIFY(!m_pane->hasUnsavedChanges());

    m_pane->view()->sortByColumn(sb::models::AgentListModel::Updated, Qt::DescendingOrder);
    const QByteArray state = m_pane->saveState();
    AgentsPane other(m_f.context());
    other.restoreState(state);
    QCOMPARE(other.view()->horizontalHeader()->sortIndicatorSection(),
             int(sb::models::AgentListModel::Updated));
    QCOMPARE(other.view()->horizontalHeader()->sortIndicatorOrder(), Qt::DescendingOrder);
    other.restoreState(QByteArray("garbage")); // ignored, no crash
}

void TestAgentsPane::transferNumberRulesAndClearing()
{
    // An agent that may transfer calls (it has a transfer number and the built-in tool).
    QString id;
    const auto &agents = m_f.context().agents->items();
    for (const sb::api::Agent &a : agents) {
        if (!a.transferNumber.isEmpty() &&
            a.builtinTools.contains(QStringLiteral("transfer_to_human")))
            id = a.id;
    }
    QVERIFY2(!id.isEmpty(), "the demo data has no agent with a transfer number");
    QVERIFY(m_pane->showAgent(id));
    QVERIFY(waitLoaded());
    QCOMPARE(m_pane->currentAgentId(), id);

    retype(Field::TransferNumber, QStringLiteral("+1 415"));
    QVERIFY(errorLabel(Field::TransferNumber)->isVisible());
    QVERIFY(errorLabel(Field::TransferNumber)->text().contains(QStringLiteral("E.164")));
    QVERIFY(!m_pane->saveAction()->isEnabled());
    QVERIFY(m_pane->editor()->tabs()->tabIcon(m_pane->editor()->tabs()->currentIndex()).isNull() ==
            false);
    retype(Field::TransferNumber, QString());
    QVERIFY(
        errorLabel(Field::TransferNumber)->text().contains(QStringLiteral("Transfer to a human")));
    QVERIFY(!m_pane->saveAction()->isEnabled());
    auto *transfer =
        m_pane->editor()->input(Field::BuiltinTools)->findChildren<QCheckBox *>().at(1);
    QTest::mouseClick(transfer, Qt::LeftButton);
    QVERIFY(!transfer->isChecked());
    QVERIFY(!errorLabel(Field::TransferNumber)->isVisible());
    QVERIFY(m_pane->saveAction()->isEnabled());
    m_pane->saveAction()->trigger();
    QVERIFY(waitSaved());
    const auto server = m_other->agent(id);
    QVERIFY(server);
    QVERIFY(server->transferNumber.isEmpty()); // sent as null, accepted
    QVERIFY(!server->builtinTools.contains(QStringLiteral("transfer_to_human")));
}

void TestAgentsPane::fieldTable()
{
    namespace f = sb::ui::agentfields;
    Field field = Field::Name;
    QVERIFY(f::fromWireName(QStringLiteral("llmTemperature"), &field));
    QCOMPARE(field, Field::LlmTemperature);
    QVERIFY(f::fromWireName(QStringLiteral("tools[2].webhookUrl"), &field));
    QCOMPARE(field, Field::Tools);
    QVERIFY(!f::fromWireName(QStringLiteral("agentId"), &field));
    for (Field each : f::allFields()) {
        QVERIFY(f::fromWireName(f::wireName(each), &field));
        QCOMPARE(field, each);
    }

    sb::api::Agent a = f::newAgentTemplate();
    a.builtinTools = {QStringLiteral("book_appointment"), QStringLiteral("transfer_to_human")};
    sb::api::Agent b = a;
    std::reverse(b.builtinTools.begin(), b.builtinTools.end()); // order carries no meaning
    QVERIFY(f::differingFields(a, b).isEmpty());
    b.llmTopP = 0.2;
    b.name = QStringLiteral("B");
    QCOMPARE(f::differingFields(a, b), (QList<Field>{Field::Name, Field::LlmTopP}));
    const sb::api::AgentChanges c = f::changesBetween(a, b);
    QVERIFY(c.name && c.llmTopP && !c.llmTemperature && !c.builtinTools && !c.tools);
    sb::api::Agent unset;
    unset.name = QStringLiteral("x");
    const sb::api::AgentChanges all = f::allChanges(unset);
    QVERIFY(all.name && !all.status && !all.voiceSpeed && !all.llmMaxTokens);
}

void TestAgentsPane::toolsAndKnowledgeSave()
{
    const QString id = m_pane->currentAgentId();
    const sb::api::Agent before = m_pane->editor()->base();

    // A new tool with a schema typed by hand.
    sb::ui::ToolsEditor *tools = m_pane->editor()->toolsEditor();
    m_pane->editor()->focusField(Field::Tools);
    QTest::mouseClick(tools->addButton(), Qt::LeftButton);
    tools->nameEdit()->selectAll();
    QTest::keyClicks(tools->nameEdit(), QStringLiteral("check_stock"));
    QTest::keyClicks(tools->descriptionEdit(), QStringLiteral("Looks up stock by SKU"));
    QTest::mouseClick(tools->parametersEdit(), Qt::LeftButton);
    QTest::keyClick(tools->parametersEdit(), Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(tools->parametersEdit(),
                     QStringLiteral("{\"type\": \"object\", \"properties\": {\"sku\": "
                                    "{\"type\": \"string\"}}, \"required\": [\"sku\"]}"));
    tools->webhookEdit()->clear();
    QTest::keyClicks(tools->webhookEdit(), QStringLiteral("https://hooks.example.com/stock"));
    QVERIFY(!tools->parametersErrorLabel()->isVisible());
    QCOMPARE(tools->list()->currentItem()->text(), QStringLiteral("check_stock"));

    // Toggle every collection: checked ones become unchecked and the other way round.
    m_pane->editor()->focusField(Field::KnowledgeCollectionIds);
    QListWidget *collections = m_pane->editor()->knowledgePicker()->list();
    QVERIFY(collections->count() >= 2);
    QStringList expected;
    for (int i = 0; i < collections->count(); ++i) {
        QListWidgetItem *item = collections->item(i);
        if (item->checkState() == Qt::Unchecked)
            expected.append(item->data(Qt::UserRole).toString());
        const QRect rect = collections->visualItemRect(item);
        // The check box sits at the item's left edge.
        QTest::mouseClick(collections->viewport(), Qt::LeftButton, {},
                          QPoint(rect.left() + 10, rect.center().y()));
    }
    QCOMPARE(m_pane->editor()->knowledgePicker()->selectedIds(), expected);
    ConsoleFixture::screenshot(m_pane.get(), QStringLiteral("agents-knowledge"));
    QVERIFY(m_pane->saveAction()->isEnabled());
    const sb::api::AgentChanges changes = m_pane->editor()->changes();
    QVERIFY(changes.tools && changes.knowledgeCollectionIds && !changes.systemPrompt);
    m_pane->saveAction()->trigger();
    QVERIFY(waitSaved());

    const auto server = m_other->agent(id);
    QVERIFY(server);
    QCOMPARE(server->tools.size(), before.tools.size() + 1);
    const sb::api::AgentTool &tool = server->tools.constLast();
    QCOMPARE(tool.name, QStringLiteral("check_stock"));
    QCOMPARE(tool.description, QStringLiteral("Looks up stock by SKU"));
    QCOMPARE(tool.webhookUrl, QStringLiteral("https://hooks.example.com/stock"));
    QCOMPARE(tool.parameters.value(QStringLiteral("required")).toArray().at(0).toString(),
             QStringLiteral("sku"));
    QStringList got = server->knowledgeCollectionIds;
    got.sort();
    expected.sort();
    QCOMPARE(got, expected);

    // Removing the tool again is a change as well.
    m_pane->editor()->focusField(Field::Tools);
    tools->list()->setCurrentRow(tools->list()->count() - 1);
    QTest::mouseClick(tools->removeButton(), Qt::LeftButton);
    m_pane->saveAction()->trigger();
    QVERIFY(waitSaved());
    QCOMPARE(m_other->agent(id)->tools.size(), before.tools.size());
}

//! The same server, seen as a platform whose agents cannot be written (as SpeakNode's).
class ReadOnlyAgentsPlatform : public sb::api::TalknexPlatform
{
public:
    using TalknexPlatform::TalknexPlatform;
    Capabilities capabilities() const override
    {
        return TalknexPlatform::capabilities() & ~Capabilities(Capability::AgentsWritable);
    }
};

void TestAgentsPane::readOnlyWithoutWriteCapability()
{
    ReadOnlyAgentsPlatform platform(m_f.context().session);
    sb::ui::ConsoleContext context = m_f.context();
    context.platform = &platform;
    AgentsPane pane(context);
    pane.resize(1100, 700);
    pane.show();
    QVERIFY(QTest::qWaitForWindowExposed(&pane));
    pane.activated();
    QTRY_VERIFY_WITH_TIMEOUT(pane.editor()->isEnabled() && !pane.currentAgentId().isEmpty(), 20000);
    const QString reason =
        platform.unsupportedReason(sb::api::Platform::Capability::AgentsWritable);
    QVERIFY(!reason.isEmpty());
    QVERIFY(pane.editor()->isReadOnly());
    QCOMPARE(pane.saveStatus(), reason);
    const QList<QLabel *> labels = pane.editor()->findChildren<QLabel *>();
    QVERIFY(std::any_of(labels.cbegin(), labels.cend(),
                        [&](QLabel *l) { return l->isVisible() && l->text() == reason; }));
    auto *name = qobject_cast<QLineEdit *>(pane.editor()->input(Field::Name));
    QVERIFY(name->isReadOnly());
    const QString before = name->text();
    QTest::keyClicks(name, QStringLiteral("typed"));
    QCOMPARE(name->text(), before);
    QVERIFY(!pane.hasUnsavedChanges());
    QVERIFY(!pane.saveAction()->isEnabled());
    QVERIFY(!pane.newAction()->isEnabled());
    QVERIFY(!pane.duplicateAction()->isEnabled());
    QVERIFY(!pane.deleteAction()->isEnabled());
    ConsoleFixture::screenshot(&pane, QStringLiteral("agents-read-only"));
}

//! The same server, but a save is refused the way a 422 naming a field is (the API layer maps
//! the body's field into ApiError::field; that parsing has its own tests).
class RejectingPlatform : public sb::api::TalknexPlatform
{
public:
    using TalknexPlatform::TalknexPlatform;
    sb::api::ApiReply<sb::api::Agent> patchAgent(const QString &, const sb::api::AgentChanges &,
                                                 const QString &) override
    {
        sb::api::ApiError error(sb::api::ApiError::Kind::Validation,
                                QStringLiteral("voiceId is not a voice of this provider"));
        error.httpStatus = 422;
        error.field = QStringLiteral("voiceId");
        ++patches;
        return sb::api::ApiReply<sb::api::Agent>(
            session()->fail(error),
            [error](const sb::api::PendingRequest &) -> sb::api::Result<sb::api::Agent> {
                return error;
            });
    }
    int patches = 0;
};

void TestAgentsPane::serverValidationErrorOnTheField()
{
    RejectingPlatform platform(m_f.context().session);
    sb::ui::ConsoleContext context = m_f.context();
    context.platform = &platform;
    AgentsPane pane(context);
    pane.resize(1100, 700);
    pane.show();
    QVERIFY(QTest::qWaitForWindowExposed(&pane));
    pane.activated();
    QTRY_VERIFY_WITH_TIMEOUT(pane.editor()->isEnabled() && !pane.currentAgentId().isEmpty(), 20000);
    auto *voiceId = qobject_cast<QLineEdit *>(pane.editor()->input(Field::VoiceId));
    pane.editor()->focusField(Field::VoiceId);
    voiceId->selectAll();
    QTest::keyClicks(voiceId, QStringLiteral("no-such-voice"));
    pane.editor()->focusField(Field::Name); // the error must bring the field back into view
    pane.saveAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(pane.banner()->isVisible(), 20000);
    QCOMPARE(platform.patches, 1);
    QVERIFY(pane.banner()->text().contains(QStringLiteral("Voice ID")));
    QLabel *error = pane.editor()->findChild<QLabel *>(QStringLiteral("voiceIdError"));
    QVERIFY(error && error->isVisible());
    QCOMPARE(error->text(), QStringLiteral("voiceId is not a voice of this provider"));
    QCOMPARE(pane.editor()->tabs()->currentWidget()->isAncestorOf(voiceId), true);
    QVERIFY(pane.hasUnsavedChanges()); // the edit is kept
    QCOMPARE(voiceId->text(), QStringLiteral("no-such-voice"));
    QVERIFY(!pane.saveAction()->isEnabled()); // until the field is edited again
    ConsoleFixture::screenshot(&pane, QStringLiteral("agents-server-error"));
    QTest::keyClick(voiceId, Qt::Key_Backspace);
    QVERIFY(!error->isVisible());
    QVERIFY(pane.saveAction()->isEnabled());
}

QTEST_MAIN(TestAgentsPane)
#include "tst_agentspane.moc"
