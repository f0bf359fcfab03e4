#pragma once

#include "simlive.h"
#include "simlivedialogue.h"

#include <QJsonArray>

//! One scheduled moment of a live call, in call time (ms since the call was created).
struct SimLiveStep
{
    enum Kind : quint8 { Ringing, Answer, Word, Final, Mood, ToolCall, ToolResult, End };
    qint64 at = 0;
    Kind kind = End;
    int index = 0; // line, mood or tool
    int words = 0; // Word: how many words of the line are out
};

//! A call the engine is playing (or has just ended and still keeps for replay).
struct SimLiveCall
{
    SimCallRow row;
    int orgIndex = -1; // engine org of an inbound call, -1 for outbound
    QString finalStatus = QStringLiteral("completed");
    qint64 answerAt = -1; // call time of in_progress, -1 when never answered
    SimLiveDialogue dialogue;
    std::vector<SimLiveStep> steps;
    size_t next = 0;
    double clockMs = 0;
    bool ended = false;
    double endedAtMs = 0;
    qint64 seq = 0;
    std::deque<SimLiveEvent> events;
    // What has been streamed so far, as REST shows it.
    QJsonArray transcript, timeline, toolCalls;
};
