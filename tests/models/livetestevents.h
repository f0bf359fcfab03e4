#pragma once

// Builders of synthetic live-stream events for the live model and alert tests.

#include "api/streamevent.h"

#include <QHash>
#include <QJsonObject>

namespace sb::test {

//! Makes events of calls with rising seqs and an explicit arrival time (steady ms).
class EventFactory
{
public:
    qint64 steadyMs = 1000000; //!< arrival time of the next event

    sb::api::StreamEvent make(sb::api::StreamEvent::Type type, const QString &callId)
    {
        sb::api::StreamEvent e;
        e.type = type;
        e.callId = callId;
        e.seq = ++m_seq[callId];
        e.receivedNs = steadyMs * 1000000;
        return e;
    }
    sb::api::StreamEvent status(const QString &callId, sb::api::CallStatus status)
    {
        auto e = make(sb::api::StreamEvent::Type::Status, callId);
        e.status = status;
        return e;
    }
    sb::api::StreamEvent line(const QString &callId, sb::api::SpeakerRole role, const QString &text,
                              qint64 startMs, qint64 endMs, bool final)
    {
        auto e = make(sb::api::StreamEvent::Type::Transcript, callId);
        e.line.role = role;
        e.line.text = text;
        e.line.startMs = startMs;
        e.line.endMs = final ? endMs : 0;
        e.isFinal = final;
        return e;
    }
    sb::api::StreamEvent caller(const QString &callId, const QString &text, qint64 startMs,
                                qint64 endMs)
    {
        return line(callId, sb::api::SpeakerRole::Caller, text, startMs, endMs, true);
    }
    sb::api::StreamEvent sentiment(const QString &callId, sb::api::Sentiment label, double score)
    {
        auto e = make(sb::api::StreamEvent::Type::Sentiment, callId);
        e.sentiment = label;
        e.score = score;
        return e;
    }
    sb::api::StreamEvent toolCall(const QString &callId, const QString &tool,
                                  const QJsonObject &args)
    {
        auto e = make(sb::api::StreamEvent::Type::ToolCall, callId);
        e.tool = tool;
        e.args = args;
        return e;
    }
    sb::api::StreamEvent toolResult(const QString &callId, const QString &tool,
                                    const QJsonValue &result)
    {
        auto e = make(sb::api::StreamEvent::Type::ToolResult, callId);
        e.tool = tool;
        e.result = result;
        return e;
    }
    static sb::api::Call call(const QString &id, sb::api::CallStatus status)
    {
        sb::api::Call c;
        c.id = id;
        c.status = status;
        c.direction = sb::api::CallDirection::Inbound;
        c.agentId = QStringLiteral("agent_1");
        c.from = QStringLiteral("+15550100") + id.right(2);
        c.to = QStringLiteral("+15550999");
        c.contactId = QStringLiteral("contact_") + id.right(2);
        c.createdAt = QDateTime::currentDateTimeUtc().addSecs(-5);
        return c;
    }
    sb::api::StreamEvent started(const sb::api::Call &c)
    {
        sb::api::StreamEvent e;
        e.type = sb::api::StreamEvent::Type::CallStarted;
        e.call = c;
        e.receivedNs = steadyMs * 1000000;
        return e;
    }
    sb::api::StreamEvent ended(sb::api::Call c, sb::api::CallStatus status,
                               sb::api::EndReason reason = sb::api::EndReason::CallerHangup)
    {
        c.status = status;
        c.endReason = reason;
        c.endedAt = QDateTime::currentDateTimeUtc();
        sb::api::StreamEvent e;
        e.type = sb::api::StreamEvent::Type::CallEnded;
        e.call = c;
        e.receivedNs = steadyMs * 1000000;
        return e;
    }

private:
    QHash<QString, qint64> m_seq;
};

} // namespace sb::test
