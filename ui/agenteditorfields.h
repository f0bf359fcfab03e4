#pragma once

#include "api/dto.h"

#include <QList>
#include <QString>
#include <QVariant>

class QLabel;
class QWidget;

namespace sb::ui::agentfields {

//! The editable fields of an agent (CONTRACT §1.2), in the order the editor shows them.
enum class Field {
    Name,
    Status,
    Language,
    FirstMessage,
    SystemPrompt,
    VoiceProvider,
    VoiceId,
    VoiceSpeed,
    VoicePitch,
    VoiceStability,
    VoiceSimilarityBoost,
    InterruptionSensitivity,
    LlmModel,
    LlmTemperature,
    LlmMaxTokens,
    LlmTopP,
    BuiltinTools,
    TransferNumber,
    Tools,
    KnowledgeCollectionIds,
};

//! Every editable field.
QList<Field> allFields();
//! Translated label ("Temperature").
QString label(Field field);
//! The platform's field name ("llmTemperature"), as 400/422 errors name it.
QString wireName(Field field);
//! The field named \a wireName (a prefix before '.' or '[' is enough); false when unknown.
bool fromWireName(const QString &wireName, Field *field);

//! Comparable value of \a field in \a agent (null for an unset optional; lists sorted where
//! their order carries no meaning; tools as a QJsonArray).
QVariant value(const sb::api::Agent &agent, Field field);
//! Human-readable value for the conflict dialog.
QString displayValue(const sb::api::Agent &agent, Field field);
//! The full value (tools as JSON) for a tooltip.
QString detailValue(const sb::api::Agent &agent, Field field);
//! Copies \a field from \a from into \a to.
void copyField(sb::api::Agent &to, const sb::api::Agent &from, Field field);
//! Puts \a agent's \a field into \a changes (engages that optional).
void addChange(sb::api::AgentChanges &changes, const sb::api::Agent &agent, Field field);

//! The fields whose value differs between \a a and \a b.
QList<Field> differingFields(const sb::api::Agent &a, const sb::api::Agent &b);
//! A change set with the fields of \a edited that differ from \a base (what a save sends).
sb::api::AgentChanges changesBetween(const sb::api::Agent &base, const sb::api::Agent &edited);
//! Every field of \a agent (for creating it).
sb::api::AgentChanges allChanges(const sb::api::Agent &agent);
//! The values a new agent starts with (the platform's documented defaults).
sb::api::Agent newAgentTemplate();

//! A hidden, word-wrapped label for a field's inline error, in a red readable on the palette.
QLabel *makeErrorLabel(QWidget *parent);
//! Shows \a text in \a label (hides it when empty).
void setError(QLabel *label, const QString &text);

} // namespace sb::ui::agentfields
