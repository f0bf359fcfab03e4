#pragma once

#include "simdialogue.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

//! A tool the agent uses during a live call: the call, then its result after the webhook's
//! round trip (call time, ms from the answer).
struct SimLiveTool
{
    QString tool;
    QJsonObject args;
    QJsonValue result;
    qint64 atMs = 0;
    qint64 resultAtMs = 0;
};

//! The running sentiment after a caller's line (what a `sentiment` event carries).
struct SimLiveMood
{
    qint64 atMs = 0;
    QString label;
    double score = 0;
};

//! A live call's whole conversation, planned when it is answered and then played out in time.
struct SimLiveDialogue
{
    QList<SimLine> lines; // with text, timing and the line's lexicon sentiment
    QList<SimLiveTool> tools;
    QList<SimLiveMood> moods;
    QString endReason; // caller_hangup | agent_hangup | transfer
    QString sentiment; // of the whole call: the last running sentiment
    double score = 0;
    int durationSec = 0;
    QString summary;
};

//! Plans a live conversation for a persona at a human speaking rate (~150 words a minute):
//! branches for an angry caller (who may be transferred to a human), the persona's own tool
//! with its result, and book_appointment for agents that can book. Sentiment follows the text
//! (simScoreText). A pure function of its input.
SimLiveDialogue simGenerateLiveDialogue(const SimDialogueInput &input);
