#pragma once

#include <QList>

//! One exchange of a persona's dialogue: what the agent says and how the caller answers in
//! each mood. Placeholders: {caller} {agent} {company} {day} {time} {ref} {amount} {count}.
struct SimExchange
{
    const char *agent;
    const char *callerPositive;
    const char *callerNeutral;
    const char *callerNegative;
};

//! A custom tool of a persona's agent, with its JSON Schema and the call it makes.
struct SimPersonaTool
{
    const char *name;
    const char *description;
    const char *parametersSchema; // JSON Schema, as JSON text
    const char *webhookUrl;
    const char *exampleArgs;   // JSON text; string values may hold placeholders
    const char *exampleResult; // JSON text
};

//! A demo agent persona: its configuration and the material its calls are made of.
struct SimPersona
{
    const char *key;
    const char *agentName;
    const char *company;
    const char *language;
    const char *systemPrompt;
    const char *firstMessage;
    const char *voiceProvider;
    const char *voiceId;
    const char *llmModel;
    double llmTemperature;
    int llmMaxTokens;
    double voiceSpeed;
    double outboundShare; // fraction of its calls that are outbound
    bool canTransfer;     // has transfer_to_human
    bool canBook;         // has book_appointment
    SimPersonaTool tool;
    int toolAfterExchange; // the tool is called after the caller's answer in this exchange
    const char *opener[3]; // caller's first words: positive, neutral, negative
    SimExchange exchanges[4];
    const char *closing[3]; // agent's last words: positive, neutral, negative
};

//! The twelve demo personas (distinct businesses), in a fixed order.
const QList<SimPersona> &simPersonas();

namespace SimPersonaParts {
void appendFirstHalf(QList<SimPersona> &out);
void appendSecondHalf(QList<SimPersona> &out);
} // namespace SimPersonaParts
