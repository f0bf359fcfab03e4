#include "agenteditorfields.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLocale>
#include <QRegularExpression>

#include <algorithm>

namespace sb::ui::agentfields {

using sb::api::Agent;
using sb::api::AgentChanges;
using sb::api::AgentStatus;
using sb::api::AgentTool;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("sb::ui::AgentFields", text);
}

QVariant optional(const std::optional<double> &v)
{
    return v ? QVariant(*v) : QVariant();
}

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

QJsonArray toolsJson(const QList<AgentTool> &tools)
{
    QJsonArray array;
    for (const AgentTool &t : tools) {
        array.append(QJsonObject{{QStringLiteral("name"), t.name},
                                 {QStringLiteral("description"), t.description},
                                 {QStringLiteral("parameters"), t.parameters},
                                 {QStringLiteral("webhookUrl"), t.webhookUrl}});
    }
    return array;
}

QString statusText(AgentStatus status)
{
    switch (status) {
    case AgentStatus::Active:
        return tr("Active");
    case AgentStatus::Paused:
        return tr("Paused");
    case AgentStatus::Unknown:
        break;
    }
    return tr("Unknown");
}

} // namespace

QList<Field> allFields()
{
    QList<Field> fields;
    for (int f = int(Field::Name); f <= int(Field::KnowledgeCollectionIds); ++f)
        fields.append(Field(f));
    return fields;
}

QString label(Field field)
{
    switch (field) {
    case Field::Name:
        return tr("Name");
    case Field::Status:
        return tr("Status");
    case Field::Language:
        return tr("Language");
    case Field::FirstMessage:
        return tr("First message");
    case Field::SystemPrompt:
        return tr("System prompt");
    case Field::VoiceProvider:
        return tr("Voice provider");
    case Field::VoiceId:
        return tr("Voice ID");
    case Field::VoiceSpeed:
        return tr("Speed");
    case Field::VoicePitch:
        return tr("Pitch");
    case Field::VoiceStability:
        return tr("Stability");
    case Field::VoiceSimilarityBoost:
        return tr("Similarity boost");
    case Field::InterruptionSensitivity:
        return tr("Interruption sensitivity");
    case Field::LlmModel:
        return tr("Model");
    case Field::LlmTemperature:
        return tr("Temperature");
    case Field::LlmMaxTokens:
        return tr("Max tokens");
    case Field::LlmTopP:
        return tr("Top P");
    case Field::BuiltinTools:
        return tr("Built-in tools");
    case Field::TransferNumber:
        return tr("Transfer number");
    case Field::Tools:
        return tr("Custom tools");
    case Field::KnowledgeCollectionIds:
        return tr("Knowledge collections");
    }
    return {};
}

QString wireName(Field field)
{
    static const char *const names[] = {"name",
                                        "status",
                                        "language",
                                        "firstMessage",
                                        "systemPrompt",
                                        "voiceProvider",
                                        "voiceId",
                                        "voiceSpeed",
                                        "voicePitch",
                                        "voiceStability",
                                        "voiceSimilarityBoost",
                                        "interruptionSensitivity",
                                        "llmModel",
                                        "llmTemperature",
                                        "llmMaxTokens",
                                        "llmTopP",
                                        "builtinTools",
                                        "transferNumber",
                                        "tools",
                                        "knowledgeCollectionIds"};
    return QLatin1String(names[int(field)]);
}

bool fromWireName(const QString &name, Field *field)
{
    // "tools[2].webhookUrl" names the tools field.
    QString key = name;
    const qsizetype cut = key.indexOf(QRegularExpression(QStringLiteral("[.\\[]")));
    if (cut >= 0)
        key.truncate(cut);
    const QList<Field> fields = allFields();
    for (Field f : fields) {
        if (wireName(f).compare(key, Qt::CaseInsensitive) == 0) {
            *field = f;
            return true;
        }
    }
    return false;
}

QVariant value(const Agent &a, Field field)
{
    switch (field) {
    case Field::Name:
        return a.name;
    case Field::Status:
        return int(a.status);
    case Field::Language:
        return a.language;
    case Field::FirstMessage:
        return a.firstMessage;
    case Field::SystemPrompt:
        return a.systemPrompt;
    case Field::VoiceProvider:
        return a.voiceProvider;
    case Field::VoiceId:
        return a.voiceId;
    case Field::VoiceSpeed:
        return optional(a.voiceSpeed);
    case Field::VoicePitch:
        return optional(a.voicePitch);
    case Field::VoiceStability:
        return optional(a.voiceStability);
    case Field::VoiceSimilarityBoost:
        return optional(a.voiceSimilarityBoost);
    case Field::InterruptionSensitivity:
        return optional(a.interruptionSensitivity);
    case Field::LlmModel:
        return a.llmModel;
    case Field::LlmTemperature:
        return optional(a.llmTemperature);
    case Field::LlmMaxTokens:
        return a.llmMaxTokens ? QVariant(*a.llmMaxTokens) : QVariant();
    case Field::LlmTopP:
        return optional(a.llmTopP);
    case Field::BuiltinTools:
        return sorted(a.builtinTools);
    case Field::TransferNumber:
        return a.transferNumber;
    case Field::Tools:
        return toolsJson(a.tools);
    case Field::KnowledgeCollectionIds:
        return sorted(a.knowledgeCollectionIds);
    }
    return {};
}

QString displayValue(const Agent &a, Field field)
{
    const QVariant v = value(a, field);
    switch (field) {
    case Field::Status:
        return statusText(a.status);
    case Field::BuiltinTools:
    case Field::KnowledgeCollectionIds:
        return v.toStringList().isEmpty() ? tr("(none)")
                                          : v.toStringList().join(QStringLiteral(", "));
    case Field::Tools: {
        QStringList names;
        for (const AgentTool &t : a.tools)
            names.append(t.name);
        return names.isEmpty() ? tr("(none)") : names.join(QStringLiteral(", "));
    }
    default:
        break;
    }
    if (v.isNull())
        return tr("(not set)");
    if (v.userType() == QMetaType::Double)
        return QLocale().toString(v.toDouble(), 'g', 6);
    if (v.userType() == QMetaType::Int)
        return QLocale().toString(v.toInt());
    const QString text = v.toString();
    return text.isEmpty() ? tr("(empty)") : text;
}

QString detailValue(const Agent &a, Field field)
{
    // Tools with the same names may differ in their schema or URL: the tooltip shows it all.
    if (field == Field::Tools)
        return QString::fromUtf8(QJsonDocument(value(a, field).toJsonArray()).toJson());
    return displayValue(a, field);
}

void copyField(Agent &to, const Agent &from, Field field)
{
    switch (field) {
    case Field::Name:
        to.name = from.name;
        break;
    case Field::Status:
        to.status = from.status;
        break;
    case Field::Language:
        to.language = from.language;
        break;
    case Field::FirstMessage:
        to.firstMessage = from.firstMessage;
        break;
    case Field::SystemPrompt:
        to.systemPrompt = from.systemPrompt;
        break;
    case Field::VoiceProvider:
        to.voiceProvider = from.voiceProvider;
        break;
    case Field::VoiceId:
        to.voiceId = from.voiceId;
        break;
    case Field::VoiceSpeed:
        to.voiceSpeed = from.voiceSpeed;
        break;
    case Field::VoicePitch:
        to.voicePitch = from.voicePitch;
        break;
    case Field::VoiceStability:
        to.voiceStability = from.voiceStability;
        break;
    case Field::VoiceSimilarityBoost:
        to.voiceSimilarityBoost = from.voiceSimilarityBoost;
        break;
    case Field::InterruptionSensitivity:
        to.interruptionSensitivity = from.interruptionSensitivity;
        break;
    case Field::LlmModel:
        to.llmModel = from.llmModel;
        break;
    case Field::LlmTemperature:
        to.llmTemperature = from.llmTemperature;
        break;
    case Field::LlmMaxTokens:
        to.llmMaxTokens = from.llmMaxTokens;
        break;
    case Field::LlmTopP:
        to.llmTopP = from.llmTopP;
        break;
    case Field::BuiltinTools:
        to.builtinTools = from.builtinTools;
        break;
    case Field::TransferNumber:
        to.transferNumber = from.transferNumber;
        break;
    case Field::Tools:
        to.tools = from.tools;
        break;
    case Field::KnowledgeCollectionIds:
        to.knowledgeCollectionIds = from.knowledgeCollectionIds;
        break;
    }
}

void addChange(AgentChanges &c, const Agent &a, Field field)
{
    switch (field) {
    case Field::Name:
        c.name = a.name;
        break;
    case Field::Status:
        c.status = a.status;
        break;
    case Field::Language:
        c.language = a.language;
        break;
    case Field::FirstMessage:
        c.firstMessage = a.firstMessage;
        break;
    case Field::SystemPrompt:
        c.systemPrompt = a.systemPrompt;
        break;
    case Field::VoiceProvider:
        c.voiceProvider = a.voiceProvider;
        break;
    case Field::VoiceId:
        c.voiceId = a.voiceId;
        break;
    case Field::VoiceSpeed:
        c.voiceSpeed = a.voiceSpeed;
        break;
    case Field::VoicePitch:
        c.voicePitch = a.voicePitch;
        break;
    case Field::VoiceStability:
        c.voiceStability = a.voiceStability;
        break;
    case Field::VoiceSimilarityBoost:
        c.voiceSimilarityBoost = a.voiceSimilarityBoost;
        break;
    case Field::InterruptionSensitivity:
        c.interruptionSensitivity = a.interruptionSensitivity;
        break;
    case Field::LlmModel:
        c.llmModel = a.llmModel;
        break;
    case Field::LlmTemperature:
        c.llmTemperature = a.llmTemperature;
        break;
    case Field::LlmMaxTokens:
        c.llmMaxTokens = a.llmMaxTokens;
        break;
    case Field::LlmTopP:
        c.llmTopP = a.llmTopP;
        break;
    case Field::BuiltinTools:
        c.builtinTools = a.builtinTools;
        break;
    case Field::TransferNumber:
        c.transferNumber = a.transferNumber;
        break;
    case Field::Tools:
        c.tools = a.tools;
        break;
    case Field::KnowledgeCollectionIds:
        c.knowledgeCollectionIds = a.knowledgeCollectionIds;
        break;
    }
}

QList<Field> differingFields(const Agent &a, const Agent &b)
{
    QList<Field> fields;
    const QList<Field> all = allFields();
    for (Field f : all) {
        if (value(a, f) != value(b, f))
            fields.append(f);
    }
    return fields;
}

AgentChanges changesBetween(const Agent &base, const Agent &edited)
{
    AgentChanges changes;
    const QList<Field> fields = differingFields(base, edited);
    for (Field f : fields)
        addChange(changes, edited, f);
    return changes;
}

AgentChanges allChanges(const Agent &agent)
{
    AgentChanges changes;
    const QList<Field> fields = allFields();
    for (Field f : fields) {
        // Unset optionals stay unset: the platform fills in its default.
        if (!value(agent, f).isNull())
            addChange(changes, agent, f);
    }
    if (agent.status == AgentStatus::Unknown)
        changes.status.reset();
    return changes;
}

Agent newAgentTemplate()
{
    Agent a;
    a.status = AgentStatus::Active;
    a.language = QStringLiteral("en-US");
    a.voiceProvider = QStringLiteral("openai");
    a.voiceId = QStringLiteral("alloy");
    a.voiceSpeed = 1.0;
    a.voicePitch = 0.0;
    a.voiceStability = 0.5;
    a.voiceSimilarityBoost = 0.75;
    a.interruptionSensitivity = 0.5;
    a.llmModel = QStringLiteral("gpt-4o-mini");
    a.llmTemperature = 0.7;
    a.llmMaxTokens = 400;
    a.llmTopP = 1.0;
    return a;
}

QLabel *makeErrorLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QPalette pal = label->palette();
    // A dark red on light windows, a light red on dark ones: both keep a readable contrast.
    const bool dark = pal.color(QPalette::Window).lightness() < 128;
    pal.setColor(QPalette::WindowText, dark ? QColor(0xff, 0x8a, 0x80) : QColor(0xb0, 0x00, 0x20));
    label->setPalette(pal);
    label->hide();
    return label;
}

void setError(QLabel *label, const QString &text)
{
    if (label->text() != text)
        label->setText(text);
    label->setVisible(!text.isEmpty());
}

} // namespace sb::ui::agentfields
