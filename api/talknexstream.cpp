#include "talknexstream.h"

#include "jsonreader.h"
#include "talknexjson.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

namespace sb::api::talknex {

namespace {

using Type = StreamEvent::Type;

std::optional<Type> typeFromName(const QString &name)
{
    static const QHash<QString, Type> types = {
        {QStringLiteral("transcript"), Type::Transcript},
        {QStringLiteral("tool_call"), Type::ToolCall},
        {QStringLiteral("tool_result"), Type::ToolResult},
        {QStringLiteral("sentiment"), Type::Sentiment},
        {QStringLiteral("status"), Type::Status},
        {QStringLiteral("call.started"), Type::CallStarted},
        {QStringLiteral("call.ended"), Type::CallEnded},
        {QStringLiteral("error"), Type::Error},
    };
    const auto it = types.constFind(name);
    if (it == types.constEnd())
        return std::nullopt;
    return *it;
}

FrameParse failed(FrameParse::Problem problem, QString why)
{
    FrameParse p;
    p.problem = problem;
    p.error = std::move(why);
    return p;
}

//! Fields of one event type; reports problems through `r`.
void readBody(JsonReader &r, StreamEvent &e)
{
    switch (e.type) {
    case Type::Transcript:
        e.line.role = roleFromName(r.string("role", JsonReader::Required));
        e.line.text = r.string("text");
        if (!r.has("text"))
            r.fail(QStringLiteral("missing required field 'text'"));
        e.isFinal = r.boolean("final", JsonReader::Required).value_or(false);
        e.line.startMs = r.integer("startMs", JsonReader::Required).value_or(0);
        e.line.endMs = r.integer("endMs").value_or(e.line.startMs);
        e.line.sentiment = sentimentFromName(r.string("sentiment"));
        break;
    case Type::ToolCall:
        e.tool = r.string("tool", JsonReader::Required);
        e.args = r.value("args");
        break;
    case Type::ToolResult:
        e.tool = r.string("tool", JsonReader::Required);
        e.result = r.value("result");
        break;
    case Type::Sentiment:
        e.sentiment = sentimentFromName(r.string("label", JsonReader::Required));
        e.score = r.number("score");
        break;
    case Type::Status:
        e.status = callStatusFromName(r.string("status", JsonReader::Required));
        break;
    case Type::CallStarted:
    case Type::CallEnded: {
        Parsed<Call> call = parseCall(r.object("call", JsonReader::Required));
        if (!r.ok())
            break;
        if (!call.ok())
            r.fail(call.error);
        else
            e.call = std::move(*call.value);
        e.callId = e.call.id;
        break;
    }
    case Type::Error:
        e.errorCode = r.string("code", JsonReader::Required);
        e.errorMessage = r.string("message");
        e.oldestSeq = r.integer("oldestSeq");
        break;
    }
}

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

} // namespace

FrameParse parseStreamFrame(const QByteArray &utf8, qint64 receivedNs, qint64 maxBytes)
{
    if (utf8.size() > maxBytes)
        return failed(
            FrameParse::Problem::Oversized,
            QStringLiteral("frame of %1 bytes exceeds %2").arg(utf8.size()).arg(maxBytes));
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(utf8, &err);
    if (err.error != QJsonParseError::NoError)
        return failed(FrameParse::Problem::NotJson,
                      QStringLiteral("invalid JSON: ") + err.errorString());
    if (!doc.isObject())
        return failed(FrameParse::Problem::NotJson, QStringLiteral("frame is not a JSON object"));

    JsonReader r(doc.object(), QStringLiteral("stream frame"));
    const QString typeName = r.string("type", JsonReader::Required);
    if (!r.ok())
        return failed(FrameParse::Problem::Invalid, r.error());
    const std::optional<Type> type = typeFromName(typeName);
    if (!type)
        return failed(FrameParse::Problem::UnknownType,
                      QStringLiteral("unknown event type (%1 chars)").arg(typeName.size()));

    StreamEvent e;
    e.type = *type;
    e.receivedNs = receivedNs;
    const bool channelEvent = e.type == Type::CallStarted || e.type == Type::CallEnded;
    const bool callEvent = !channelEvent && e.type != Type::Error;
    e.callId = r.string("callId", callEvent ? JsonReader::Required : JsonReader::Optional);
    if (callEvent) {
        e.seq = r.integer("seq", JsonReader::Required).value_or(0);
        if (r.ok() && e.seq < 1)
            r.fail(QStringLiteral("field 'seq' is below 1"));
    }
    e.serverTsMs = r.integer("ts").value_or(0);
    readBody(r, e);
    if (!r.ok())
        return failed(FrameParse::Problem::Invalid, r.error());
    FrameParse out;
    out.event = std::move(e);
    return out;
}

QByteArray subscribeCallsMessage()
{
    return compact({{QStringLiteral("type"), QStringLiteral("subscribe")},
                    {QStringLiteral("channel"), QStringLiteral("calls")}});
}

QByteArray subscribeCallMessage(const QString &callId, qint64 since)
{
    QJsonObject o{{QStringLiteral("type"), QStringLiteral("subscribe")},
                  {QStringLiteral("callId"), callId}};
    if (since > 0)
        o.insert(QStringLiteral("since"), since);
    return compact(o);
}

QByteArray unsubscribeCallMessage(const QString &callId)
{
    return compact({{QStringLiteral("type"), QStringLiteral("unsubscribe")},
                    {QStringLiteral("callId"), callId}});
}

} // namespace sb::api::talknex
