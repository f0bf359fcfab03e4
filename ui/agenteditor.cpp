#include "agenteditor.h"

#include "knowledgepicker.h"
#include "toolseditor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QStyle>
#include <QTabWidget>
#include <QVBoxLayout>

namespace sb::ui {

using namespace agentfields;
using sb::api::Agent;
using sb::api::AgentStatus;

namespace {

const QString kBookAppointment = QStringLiteral("book_appointment");
const QString kTransferToHuman = QStringLiteral("transfer_to_human");

QString numberText(double v)
{
    return QLocale().toString(v, 'g', 6);
}

std::optional<double> &numberRef(Agent &a, Field field)
{
    switch (field) {
    case Field::VoiceSpeed:
        return a.voiceSpeed;
    case Field::VoicePitch:
        return a.voicePitch;
    case Field::VoiceStability:
        return a.voiceStability;
    case Field::VoiceSimilarityBoost:
        return a.voiceSimilarityBoost;
    case Field::InterruptionSensitivity:
        return a.interruptionSensitivity;
    case Field::LlmTemperature:
        return a.llmTemperature;
    default:
        return a.llmTopP;
    }
}

} // namespace

AgentEditor::AgentEditor(sb::models::CollectionModel *collections, QWidget *parent)
    : QWidget(parent)
    , m_readOnlyReason(new QLabel(this))
    , m_meta(new QLabel(this))
    , m_tabs(new QTabWidget(this))
    , m_collections(collections)
{
    m_readOnlyReason->setObjectName(QStringLiteral("readOnlyReason"));
    m_readOnlyReason->setWordWrap(true);
    m_readOnlyReason->hide();
    m_meta->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_meta->setForegroundRole(QPalette::PlaceholderText);
    m_tabs->setAccessibleName(tr("Agent settings"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_readOnlyReason);
    layout->addWidget(m_meta);
    layout->addWidget(m_tabs, 1);
    buildForm();
    setAgent(newAgentTemplate());
}

QFormLayout *AgentEditor::addTab(const QString &title)
{
    auto *page = new QWidget(m_tabs);
    auto *form = new QFormLayout(page);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_tabs->addTab(page, title);
    return form;
}

void AgentEditor::addRow(QFormLayout *form, Field field, QWidget *input, QWidget *hint)
{
    input->setObjectName(wireName(field));
    input->setAccessibleName(label(field));
    auto *text = new QLabel(tr("%1:").arg(label(field)));
    text->setBuddy(input);
    if (hint) {
        auto *row = new QHBoxLayout;
        // Keep the hint beside the short input instead of at the window's far edge.
        row->addWidget(input);
        row->addWidget(hint);
        row->addStretch(1);
        form->addRow(text, row);
    } else {
        form->addRow(text, input);
    }
    QLabel *error = makeErrorLabel(this);
    error->setObjectName(wireName(field) + QStringLiteral("Error"));
    form->addRow(static_cast<QWidget *>(nullptr), error);
    m_inputs.insert(field, input);
    m_errors.insert(field, error);
    m_tabOf.insert(field, m_tabs->count() - 1);
}

QLineEdit *AgentEditor::numberInput(Field field, double lo, double hi, bool integer)
{
    auto *edit = new QLineEdit(this);
    edit->setMaximumWidth(120);
    const QString range = tr("%1 – %2").arg(numberText(lo), numberText(hi));
    edit->setPlaceholderText(range);
    edit->setToolTip(tr("A number from %1 to %2").arg(numberText(lo), numberText(hi)));
    m_numbers.insert(field, {lo, hi, integer});
    connect(edit, &QLineEdit::textEdited, this, [this, field] { fieldEdited(field); });
    return edit;
}

void AgentEditor::buildForm()
{
    const auto rangeHint = [this](const NumberSpec &s) {
        auto *hint = new QLabel(tr("(%1 to %2)").arg(numberText(s.lo), numberText(s.hi)), this);
        hint->setForegroundRole(QPalette::PlaceholderText);
        return hint;
    };
    const auto addNumber = [&](QFormLayout *form, Field f, double lo, double hi, bool integer) {
        QLineEdit *edit = numberInput(f, lo, hi, integer);
        addRow(form, f, edit, rangeHint(m_numbers.value(f)));
    };

    QFormLayout *general = addTab(tr("&Behaviour"));
    m_name = new QLineEdit(this);
    m_name->setMaxLength(400); // longer than allowed, so the inline message explains the limit
    addRow(general, Field::Name, m_name);
    m_status = new QComboBox(this);
    m_status->addItem(tr("Active"), int(AgentStatus::Active));
    m_status->addItem(tr("Paused"), int(AgentStatus::Paused));
    addRow(general, Field::Status, m_status);
    m_language = new QLineEdit(this);
    m_language->setPlaceholderText(QStringLiteral("en-US"));
    m_language->setCompleter(
        new QCompleter({QStringLiteral("en-US"), QStringLiteral("en-GB"), QStringLiteral("es-ES"),
                        QStringLiteral("es-MX"), QStringLiteral("fr-FR"), QStringLiteral("de-DE"),
                        QStringLiteral("it-IT"), QStringLiteral("pt-BR"), QStringLiteral("nl-NL")},
                       m_language));
    addRow(general, Field::Language, m_language);
    m_firstMessage = new QPlainTextEdit(this);
    m_firstMessage->setTabChangesFocus(true);
    m_firstMessage->setMaximumHeight(m_firstMessage->fontMetrics().lineSpacing() * 4 + 12);
    addRow(general, Field::FirstMessage, m_firstMessage);
    m_systemPrompt = new QPlainTextEdit(this);
    m_systemPrompt->setTabChangesFocus(true);
    addRow(general, Field::SystemPrompt, m_systemPrompt);

    QFormLayout *voice = addTab(tr("&Voice"));
    m_voiceProvider = new QComboBox(this);
    m_voiceProvider->addItem(tr("ElevenLabs"), QStringLiteral("elevenlabs"));
    m_voiceProvider->addItem(tr("OpenAI"), QStringLiteral("openai"));
    addRow(voice, Field::VoiceProvider, m_voiceProvider);
    m_voiceId = new QLineEdit(this);
    m_voiceId->setCompleter(
        new QCompleter({QStringLiteral("alloy"), QStringLiteral("echo"), QStringLiteral("fable"),
                        QStringLiteral("onyx"), QStringLiteral("nova"), QStringLiteral("shimmer")},
                       m_voiceId));
    addRow(voice, Field::VoiceId, m_voiceId);
    addNumber(voice, Field::VoiceSpeed, 0.5, 2.0, false);
    addNumber(voice, Field::VoicePitch, -1, 1, false);
    addNumber(voice, Field::VoiceStability, 0, 1, false);
    addNumber(voice, Field::VoiceSimilarityBoost, 0, 1, false);
    addNumber(voice, Field::InterruptionSensitivity, 0, 1, false);

    QFormLayout *model = addTab(tr("&Model"));
    m_llmModel = new QComboBox(this);
    for (const char *name : {"gpt-4o", "gpt-4o-mini", "gpt-4-turbo"})
        m_llmModel->addItem(QLatin1String(name), QLatin1String(name));
    addRow(model, Field::LlmModel, m_llmModel);
    addNumber(model, Field::LlmTemperature, 0, 2, false);
    // The contract gives no range; the platform accepts 1–8192.
    addNumber(model, Field::LlmMaxTokens, 1, 8192, true);
    addNumber(model, Field::LlmTopP, 0, 1, false);

    QFormLayout *tools = addTab(tr("&Tools"));
    auto *builtins = new QWidget(this);
    auto *builtinsLayout = new QHBoxLayout(builtins);
    builtinsLayout->setContentsMargins(0, 0, 0, 0);
    m_bookAppointment = new QCheckBox(tr("Book appointment"), builtins);
    m_transferToHuman = new QCheckBox(tr("Transfer to a human"), builtins);
    builtinsLayout->addWidget(m_bookAppointment);
    builtinsLayout->addWidget(m_transferToHuman);
    builtinsLayout->addStretch(1);
    addRow(tools, Field::BuiltinTools, builtins);
    m_transferNumber = new QLineEdit(this);
    m_transferNumber->setPlaceholderText(QStringLiteral("+14155550100"));
    addRow(tools, Field::TransferNumber, m_transferNumber);
    m_tools = new ToolsEditor(this);
    addRow(tools, Field::Tools, m_tools);

    QFormLayout *knowledge = addTab(tr("&Knowledge"));
    m_knowledge = new KnowledgePicker(m_collections, this);
    addRow(knowledge, Field::KnowledgeCollectionIds, m_knowledge);

    const auto on = [this](Field f) { return [this, f] { fieldEdited(f); }; };
    connect(m_name, &QLineEdit::textEdited, this, on(Field::Name));
    connect(m_status, &QComboBox::activated, this, on(Field::Status));
    connect(m_language, &QLineEdit::textChanged, this, on(Field::Language));
    connect(m_firstMessage, &QPlainTextEdit::textChanged, this, on(Field::FirstMessage));
    connect(m_systemPrompt, &QPlainTextEdit::textChanged, this, on(Field::SystemPrompt));
    connect(m_voiceProvider, &QComboBox::activated, this, on(Field::VoiceProvider));
    connect(m_voiceId, &QLineEdit::textChanged, this, on(Field::VoiceId));
    connect(m_llmModel, &QComboBox::activated, this, on(Field::LlmModel));
    connect(m_bookAppointment, &QCheckBox::toggled, this, on(Field::BuiltinTools));
    connect(m_transferToHuman, &QCheckBox::toggled, this, on(Field::BuiltinTools));
    connect(m_transferNumber, &QLineEdit::textEdited, this, on(Field::TransferNumber));
    connect(m_tools, &ToolsEditor::changed, this, on(Field::Tools));
    connect(m_knowledge, &KnowledgePicker::changed, this, on(Field::KnowledgeCollectionIds));
}

void AgentEditor::setAgent(const Agent &agent)
{
    setAgent(agent, agent);
}

void AgentEditor::selectData(QComboBox *combo, const QString &value)
{
    int index = combo->findData(value);
    if (index < 0) {
        // A value this console does not know (a newer server): keep it selectable, unchanged.
        combo->addItem(value.isEmpty() ? tr("(not set)") : value, value);
        index = combo->count() - 1;
    }
    combo->setCurrentIndex(index);
}

void AgentEditor::setAgent(const Agent &base, const Agent &e)
{
    m_loading = true;
    m_base = base;
    m_serverErrors.clear();
    m_name->setText(e.name);
    if (m_status->findData(int(e.status)) < 0)
        m_status->addItem(tr("Unknown"), int(e.status));
    m_status->setCurrentIndex(m_status->findData(int(e.status)));
    m_language->setText(e.language);
    m_firstMessage->setPlainText(e.firstMessage);
    m_systemPrompt->setPlainText(e.systemPrompt);
    selectData(m_voiceProvider, e.voiceProvider);
    m_voiceId->setText(e.voiceId);
    selectData(m_llmModel, e.llmModel);
    for (auto it = m_numbers.cbegin(); it != m_numbers.cend(); ++it) {
        const QVariant v = value(e, it.key());
        auto *edit = static_cast<QLineEdit *>(m_inputs.value(it.key()));
        edit->setText(v.isNull()    ? QString()
                      : it->integer ? QLocale().toString(v.toInt())
                                    : numberText(v.toDouble()));
    }
    m_bookAppointment->setChecked(e.builtinTools.contains(kBookAppointment));
    m_transferToHuman->setChecked(e.builtinTools.contains(kTransferToHuman));
    m_transferNumber->setText(e.transferNumber);
    m_tools->setTools(e.tools);
    m_knowledge->setSelectedIds(e.knowledgeCollectionIds);
    const QLocale locale;
    m_meta->setText(
        base.id.isEmpty()
            ? tr("New agent, not saved yet")
            : tr("%1 · created %2 · updated %3")
                  .arg(base.id, locale.toString(base.createdAt.toLocalTime(), QLocale::ShortFormat),
                       locale.toString(base.updatedAt.toLocalTime(), QLocale::ShortFormat)));
    m_loading = false;
    refreshErrors();
    m_loadedError = validationError();
    Q_EMIT changed();
}

std::optional<double> AgentEditor::parsedNumber(Field field, bool *ok) const
{
    const QString text = static_cast<QLineEdit *>(m_inputs.value(field))->text().trimmed();
    *ok = !text.isEmpty();
    if (text.isEmpty())
        return std::nullopt;
    double v = QLocale().toDouble(text, ok);
    if (!*ok) // a number pasted in the C locale ("0.7") is meant, whatever the UI locale
        v = QLocale::c().toDouble(text, ok);
    return *ok ? std::optional<double>(v) : std::nullopt;
}

Agent AgentEditor::edited() const
{
    Agent a = m_base;
    a.name = m_name->text();
    a.status = AgentStatus(m_status->currentData().toInt());
    a.language = m_language->text().trimmed();
    a.firstMessage = m_firstMessage->toPlainText();
    a.systemPrompt = m_systemPrompt->toPlainText();
    a.voiceProvider = m_voiceProvider->currentData().toString();
    a.voiceId = m_voiceId->text().trimmed();
    a.llmModel = m_llmModel->currentData().toString();
    for (auto it = m_numbers.cbegin(); it != m_numbers.cend(); ++it) {
        bool ok = false;
        const std::optional<double> v = parsedNumber(it.key(), &ok);
        if (!ok)
            continue;
        if (it.key() == Field::LlmMaxTokens)
            a.llmMaxTokens = qRound(*v);
        else
            numberRef(a, it.key()) = v;
    }
    // Keep the base's order (and any tool this console does not know) for a stable diff.
    QStringList builtins;
    for (const QString &t : std::as_const(m_base.builtinTools)) {
        if (t != kBookAppointment && t != kTransferToHuman)
            builtins.append(t);
    }
    if (m_bookAppointment->isChecked())
        builtins.append(kBookAppointment);
    if (m_transferToHuman->isChecked())
        builtins.append(kTransferToHuman);
    a.builtinTools = builtins;
    a.transferNumber = m_transferNumber->text().trimmed();
    a.tools = m_tools->tools();
    a.knowledgeCollectionIds = m_knowledge->selectedIds();
    return a;
}

sb::api::AgentChanges AgentEditor::changes() const
{
    return changesBetween(m_base, edited());
}

bool AgentEditor::isModified() const
{
    if (!differingFields(m_base, edited()).isEmpty())
        return true;
    // Text that does not parse is an edit too (it must not be dropped silently).
    for (auto it = m_numbers.cbegin(); it != m_numbers.cend(); ++it) {
        bool ok = false;
        parsedNumber(it.key(), &ok);
        if (!ok && !value(m_base, it.key()).isNull())
            return true;
    }
    // Tool text that does not parse is an edit as well: compare with the error at load.
    return validationError() != m_loadedError;
}

void AgentEditor::focusField(Field field)
{
    m_tabs->setCurrentIndex(m_tabOf.value(field));
    if (QWidget *w = m_inputs.value(field))
        w->setFocus(Qt::OtherFocusReason);
}

void AgentEditor::setReadOnly(bool readOnly, const QString &reason)
{
    m_readOnly = readOnly;
    m_readOnlyReason->setText(reason);
    m_readOnlyReason->setVisible(readOnly && !reason.isEmpty());
    for (QLineEdit *e : {m_name, m_language, m_voiceId, m_transferNumber})
        e->setReadOnly(readOnly);
    for (auto it = m_numbers.cbegin(); it != m_numbers.cend(); ++it)
        static_cast<QLineEdit *>(m_inputs.value(it.key()))->setReadOnly(readOnly);
    m_firstMessage->setReadOnly(readOnly);
    m_systemPrompt->setReadOnly(readOnly);
    for (QWidget *w : std::initializer_list<QWidget *>{m_status, m_voiceProvider, m_llmModel,
                                                       m_bookAppointment, m_transferToHuman})
        w->setEnabled(!readOnly);
    m_tools->setReadOnly(readOnly);
    m_knowledge->setReadOnly(readOnly);
    refreshErrors();
}

void AgentEditor::fieldEdited(Field field)
{
    if (m_loading)
        return;
    m_serverErrors.remove(field);
    refreshErrors();
    Q_EMIT changed();
}

void AgentEditor::refreshErrors()
{
    QHash<int, bool> tabHasError;
    for (auto it = m_errors.cbegin(); it != m_errors.cend(); ++it) {
        // Read-only: nothing can be changed here, so the console's own checks have no say.
        const QString error = m_readOnly ? QString() : fieldError(it.key());
        // The tools editor shows its problems beside the tool's own fields; only the
        // server's word about tools needs this line.
        setError(it.value(), it.key() == Field::Tools ? m_serverErrors.value(Field::Tools) : error);
        // Screen readers announce the problem with the field, not only the red line below.
        if (QWidget *input = m_inputs.value(it.key()))
            input->setAccessibleDescription(error);
        if (!error.isEmpty())
            tabHasError[m_tabOf.value(it.key())] = true;
    }
    // A mark on the tab: an error on a tab out of sight must still be findable.
    const QIcon warning = style()->standardIcon(QStyle::SP_MessageBoxWarning);
    for (int i = 0; i < m_tabs->count(); ++i)
        m_tabs->setTabIcon(i, tabHasError.value(i) ? warning : QIcon());
}

} // namespace sb::ui
