#pragma once

#include <QJsonArray>
#include <QList>
#include <QString>

//! How a generated conversation ends (it follows the call's endReason).
enum class SimDialogueEnd { CallerHangup, AgentHangup, Transfer, Voicemail };

//! One line of a generated transcript.
struct SimLine
{
    bool agent = true;
    QString text; // empty when only planned
    qint64 startMs = 0;
    qint64 endMs = 0;
    QString sentiment;
    double score = 0;
};

//! A call's conversation, generated from its seed: identical on every request.
struct SimDialogue
{
    QList<SimLine> lines;
    QJsonArray sentimentTimeline;
    QJsonArray toolCalls;
    QString sentiment; // overall label of the call
    double score = 0;
    int durationSec = 0;
    QString summary;
};

//! Inputs that pick a conversation; everything else follows from `seed`.
struct SimDialogueInput
{
    int persona = -1;
    quint64 seed = 0;
    SimDialogueEnd end = SimDialogueEnd::AgentHangup;
    QString callerName;       // contact's name, or empty
    qint64 callCreatedMs = 0; // dates in tool arguments follow the call's own date
};

struct SimPersona;

//! Values of a persona's placeholders ({caller}, {day}, {time}, ...) for one call, from its seed.
struct SimFill
{
    QString caller, agent, company, day, date, time, ref, amount, count;
    QString apply(const char *templ) const;
};
SimFill simMakeFill(const SimPersona &persona, const SimDialogueInput &input);

//! Generates a call's dialogue. With render=false only the timing and sentiment are computed
//! (cheap enough to run for a million calls while seeding); render=true adds the text, the
//! tool calls and the summary, with the same timing and sentiment.
SimDialogue simGenerateDialogue(const SimDialogueInput &input, bool render);

//! The dialogue ending that matches a call's endReason.
SimDialogueEnd simDialogueEndFromReason(const QString &endReason);
