#include "speaknodejson.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonParseError>

#include <cmath>

namespace sb::api::speaknode {

namespace {

const char *const kTr = "sb::api::SpeakNodePlatform";

const std::pair<const char *, CallStatus> kSessionStatus[] = {
    {"Pending", CallStatus::Initiated}, {"Dispatching", CallStatus::Ringing},
    {"Active", CallStatus::InProgress}, {"Completed", CallStatus::Completed},
    {"Failed", CallStatus::Failed},
};

const std::pair<const char *, SpeakerRole> kRole[] = {{"User", SpeakerRole::Caller},
                                                      {"Assistant", SpeakerRole::Agent},
                                                      {"System", SpeakerRole::System},
                                                      {"Tool", SpeakerRole::Tool}};

template<class T> Parsed<T> done(JsonReader &r, T value)
{
    if (!r.ok())
        return Parsed<T>::fail(r.error());
    Parsed<T> p;
    p.value = std::move(value);
    return p;
}

template<class T> Parsed<T> notAnObject(const char *what)
{
    return Parsed<T>::fail(QStringLiteral("%1: expected an object").arg(QLatin1String(what)));
}

//! A JSON text inside a string field (tool arguments, tool output): its value when it parses,
//! else the string itself, so a broken payload is still shown instead of failing the call.
QJsonValue embeddedJson(const QString &text)
{
    // QJsonDocument reads only objects and arrays; wrapping reads scalars ("42", "true") too.
    QJsonParseError err{};
    const QJsonDocument doc =
        QJsonDocument::fromJson(QByteArray("[") + text.toUtf8() + QByteArray("]"), &err);
    if (err.error == QJsonParseError::NoError && doc.isArray() && doc.array().size() == 1)
        return doc.array().at(0);
    return text;
}

//! `metrics` timestamps: epoch seconds (possibly fractional) in the published example. The
//! unit is not stated, so a value too large for seconds is read as milliseconds.
std::optional<qint64> metricEpochMs(JsonReader &metrics, const char *key)
{
    const std::optional<double> v = metrics.number(key);
    if (!v || *v <= 0)
        return std::nullopt;
    if (*v > 1e11)
        return static_cast<qint64>(std::llround(*v));
    return static_cast<qint64>(std::llround(*v * 1000.0));
}

void readSession(JsonReader &r, SessionRecord &s)
{
    Call &c = s.call;
    c.id = r.string("id", JsonReader::Required);
    c.status = callStatusFromSessionStatus(r.string("status", JsonReader::Required));
    c.agentId = r.string("agent_id");
    s.agentTitle = r.string("agent_title");
    c.createdAt = r.dateTime("created_at", JsonReader::Required);
    c.startedAt = r.dateTime("started_at");
    c.endedAt = r.dateTime("ended_at");
    if (const std::optional<double> d = r.number("duration_seconds"))
        c.durationSeconds = static_cast<int>(std::llround(std::max(0.0, *d)));
    c.from = r.string("from_number");
    c.to = r.string("to_number");
    r.string("telecom_provider"); // type-checked only; the Call has no field for it
    s.hasAudio = r.boolean("has_audio").value_or(false);
    s.audioUrl = r.string("audio_url");
    s.audioExpires = r.dateTime("audio_url_expires_at");
    // The console's Call has no error field; the summary is what the details panel shows.
    c.summary = r.string("error_message");
    if (c.status == CallStatus::Failed)
        c.endReason = EndReason::Error;
    // The pre-signed URL is a short-lived credential: it must not reach the cache or a log.
    // The console only needs to know that a recording exists; downloadRecording() fetches a
    // fresh URL.
    if (s.hasAudio || !s.audioUrl.isEmpty())
        c.recordingUrl = QStringLiteral("speaknode:conversations/%1/audio")
                             .arg(QString::fromLatin1(QUrl::toPercentEncoding(c.id)));
}

qint64 relativeMs(qint64 epochMs, const QDateTime &reference)
{
    if (!reference.isValid())
        return 0;
    return std::max<qint64>(0, epochMs - reference.toMSecsSinceEpoch());
}

//! Adds history item `json` to `d`; returns an error text or an empty string.
QString readHistoryItem(const QJsonValue &json, const QDateTime &reference, CallDetails &d)
{
    if (!json.isObject())
        return QStringLiteral("history item: expected an object");
    JsonReader r(json.toObject(), QStringLiteral("history item"));
    const QString kind = r.string("kind", JsonReader::Required);
    const QString role = r.string("role", JsonReader::Required);
    const QString content = r.string("content");
    const QDateTime created = r.dateTime("created_at");
    const bool interrupted = r.boolean("interrupted").value_or(false);
    const std::optional<double> confidence = r.number("transcript_confidence");
    const QString toolName = r.string("tool_name");
    const QJsonValue argsValue = r.value("tool_arguments_json");
    const QString args = r.string("tool_arguments_json");
    const QJsonValue outputValue = r.value("tool_output");
    const QString output = outputValue.isString() ? outputValue.toString() : QString();
    JsonReader metrics(r.object("metrics"), QStringLiteral("history item metrics"));
    const std::optional<qint64> spokeFrom = metricEpochMs(metrics, "started_speaking_at");
    const std::optional<qint64> spokeTo = metricEpochMs(metrics, "stopped_speaking_at");
    metrics.number("e2e_latency");
    if (!metrics.ok())
        r.fail(metrics.error());
    if (!r.ok())
        return r.error();

    const qint64 createdMs = created.isValid()
                                 ? relativeMs(created.toMSecsSinceEpoch(), reference)
                                 : (d.transcript.isEmpty() ? 0 : d.transcript.last().endMs);
    if (kind == QLatin1String("ToolCall")) {
        if (toolName.isEmpty())
            return QStringLiteral("history item: tool call without 'tool_name'");
        ToolCall t;
        t.tool = toolName;
        t.args = argsValue.isString() ? embeddedJson(args) : QJsonValue(QJsonObject());
        // Undefined = no result yet; an output that is not a string (a server that sends the
        // JSON itself) is taken as it is.
        t.result = QJsonValue(QJsonValue::Undefined);
        if (outputValue.isString())
            t.result = embeddedJson(output);
        else if (!outputValue.isNull() && !outputValue.isUndefined())
            t.result = outputValue;
        t.atMs = createdMs;
        d.toolCalls.append(t);
        return QString();
    }
    TranscriptLine line;
    if (kind == QLatin1String("Handoff")) {
        line.role = SpeakerRole::System;
        line.text = QCoreApplication::translate(kTr, "Handed off: %1").arg(content);
    } else if (kind == QLatin1String("Message")) {
        line.role = SpeakerRole::Unknown;
        for (const auto &entry : kRole) {
            if (role == QLatin1String(entry.first))
                line.role = entry.second;
        }
        line.text = content;
        line.interrupted = interrupted;
        line.confidence = confidence;
    } else {
        return QString(); // a kind this console does not know yet: skipped, not fatal
    }
    line.startMs = spokeFrom ? relativeMs(*spokeFrom, reference) : createdMs;
    line.endMs = spokeTo ? std::max(line.startMs, relativeMs(*spokeTo, reference)) : line.startMs;
    d.transcript.append(line);
    return QString();
}

} // namespace

QJsonValue detail::parseJsonText(const QByteArray &body, QString *error)
{
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &err);
    if (err.error != QJsonParseError::NoError) {
        *error = QStringLiteral("invalid JSON: ") + err.errorString();
        return QJsonValue();
    }
    error->clear();
    if (doc.isArray())
        return doc.array();
    return doc.object();
}

CallStatus callStatusFromSessionStatus(const QString &name)
{
    for (const auto &entry : kSessionStatus) {
        if (name == QLatin1String(entry.first))
            return entry.second;
    }
    return CallStatus::Unknown;
}

QString sessionStatusName(CallStatus status)
{
    switch (status) {
    case CallStatus::Initiated:
        return QStringLiteral("Pending");
    case CallStatus::Ringing:
        return QStringLiteral("Dispatching");
    case CallStatus::InProgress:
        return QStringLiteral("Active");
    case CallStatus::Completed:
        return QStringLiteral("Completed");
    case CallStatus::Failed:
    case CallStatus::NoAnswer:
    case CallStatus::Busy:
    case CallStatus::Canceled:
        return QStringLiteral("Failed");
    case CallStatus::Unknown:
        break;
    }
    return QString();
}

Parsed<AgentRecord> parseAgentRecord(const QJsonValue &json)
{
    if (!json.isObject())
        return notAnObject<AgentRecord>("agent");
    JsonReader r(json.toObject(), QStringLiteral("agent"));
    AgentRecord rec;
    Agent &a = rec.agent;
    a.id = r.string("id", JsonReader::Required);
    a.name = r.string("title");
    if (a.name.isEmpty())
        a.name = r.string("name"); // tolerated spelling
    // SpeakNode has no paused state: a published agent takes calls.
    a.status = AgentStatus::Active;
    a.language = r.string("language");
    a.systemPrompt = r.string("system_prompt");
    a.firstMessage = r.string("first_message");
    a.voiceId = r.string("voice_id");
    a.llmModel = r.string("llm_model");
    a.llmTemperature = r.number("temperature");
    rec.toolIds = r.stringList("tool_ids");
    a.createdAt = r.dateTime("created_at");
    a.updatedAt = r.dateTime("updated_at");
    r.string("description"); // type-checked; the console's Agent has no description
    return done(r, std::move(rec));
}

Parsed<Agent> parseAgent(const QJsonValue &json)
{
    Parsed<AgentRecord> rec = parseAgentRecord(json);
    if (!rec.ok())
        return Parsed<Agent>::fail(rec.error);
    Parsed<Agent> out;
    out.value = std::move(rec.value->agent);
    return out;
}

Parsed<ToolRecord> parseTool(const QJsonValue &json)
{
    if (!json.isObject())
        return notAnObject<ToolRecord>("tool");
    JsonReader r(json.toObject(), QStringLiteral("tool"));
    ToolRecord t;
    t.id = r.string("id", JsonReader::Required);
    const QString name = r.string("name");
    const QString code = r.string("code");
    // `code` is what the LLM calls (and what history's tool_name says); the name is a label.
    t.tool.name = code.isEmpty() ? name : code;
    if (t.tool.name.isEmpty() && r.ok())
        r.fail(QStringLiteral("neither 'code' nor 'name' is set"));
    t.tool.description = r.string("description");
    if (t.tool.description.isEmpty() && !code.isEmpty() && name != code)
        t.tool.description = name;
    t.type = r.string("type");
    r.string("method");
    t.tool.webhookUrl = r.string("url");
    return done(r, std::move(t));
}

Parsed<SessionRecord> parseSession(const QJsonValue &json)
{
    if (!json.isObject())
        return notAnObject<SessionRecord>("session");
    JsonReader r(json.toObject(), QStringLiteral("session"));
    SessionRecord s;
    readSession(r, s);
    return done(r, std::move(s));
}

Parsed<Call> parseCall(const QJsonValue &json)
{
    Parsed<SessionRecord> s = parseSession(json);
    if (!s.ok())
        return Parsed<Call>::fail(s.error);
    Parsed<Call> out;
    out.value = std::move(s.value->call);
    return out;
}

Parsed<CallDetails> parseCallDetails(const QJsonValue &json)
{
    if (!json.isObject())
        return notAnObject<CallDetails>("session");
    JsonReader r(json.toObject(), QStringLiteral("session"));
    SessionRecord s;
    readSession(r, s);
    const QJsonArray history = r.array("history");
    if (!r.ok())
        return Parsed<CallDetails>::fail(r.error());
    CallDetails d;
    d.call = std::move(s.call);
    // Offsets count from the moment the call was answered, like Talknex's startMs.
    const QDateTime reference = d.call.startedAt.isValid() ? d.call.startedAt : d.call.createdAt;
    for (qsizetype i = 0; i < history.size(); ++i) {
        const QString error = readHistoryItem(history.at(i), reference, d);
        if (!error.isEmpty())
            return Parsed<CallDetails>::fail(QStringLiteral("history %1: ").arg(i) + error);
    }
    Parsed<CallDetails> out;
    out.value = std::move(d);
    return out;
}

Parsed<PhoneNumber> parsePhoneNumber(const QJsonValue &json)
{
    if (!json.isObject())
        return notAnObject<PhoneNumber>("phone number");
    JsonReader r(json.toObject(), QStringLiteral("phone number"));
    PhoneNumber n;
    n.id = r.string("id", JsonReader::Required);
    n.number = r.string("number", JsonReader::Required);
    n.friendlyName = r.string("friendly_name");
    n.agentId = r.string("agent_id");
    n.provider = r.string("telecom_provider");
    // SpeakNode lists imported voice numbers only; it has no status or SMS.
    n.voice = true;
    n.status = PhoneNumberStatus::Active;
    n.routing.mode = n.agentId.isEmpty() ? RoutingMode::Unknown : RoutingMode::Agent;
    n.createdAt = r.dateTime("created_at");
    return done(r, std::move(n));
}

} // namespace sb::api::speaknode
