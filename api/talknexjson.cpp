#include "talknexjson.h"

#include <QJsonArray>

namespace sb::api::talknex {

namespace {

template<class E, size_t N>
E lookup(const QString &s, const std::pair<const char *, E> (&table)[N], E unknown)
{
    for (const auto &entry : table) {
        if (s == QLatin1String(entry.first))
            return entry.second;
    }
    return unknown;
}

template<class E, size_t N> QString nameOf(E value, const std::pair<const char *, E> (&table)[N])
{
    for (const auto &entry : table) {
        if (entry.second == value)
            return QLatin1String(entry.first);
    }
    return QString();
}

const std::pair<const char *, AgentStatus> kAgentStatus[] = {{"active", AgentStatus::Active},
                                                             {"paused", AgentStatus::Paused}};
const std::pair<const char *, CallStatus> kCallStatus[] = {{"initiated", CallStatus::Initiated},
                                                           {"ringing", CallStatus::Ringing},
                                                           {"in_progress", CallStatus::InProgress},
                                                           {"completed", CallStatus::Completed},
                                                           {"failed", CallStatus::Failed},
                                                           {"no_answer", CallStatus::NoAnswer},
                                                           {"busy", CallStatus::Busy},
                                                           {"canceled", CallStatus::Canceled}};
const std::pair<const char *, CallDirection> kDirection[] = {{"outbound", CallDirection::Outbound},
                                                             {"inbound", CallDirection::Inbound}};
const std::pair<const char *, EndReason> kEndReason[] = {
    {"caller_hangup", EndReason::CallerHangup}, {"agent_hangup", EndReason::AgentHangup},
    {"transfer", EndReason::Transfer},          {"no_answer", EndReason::NoAnswer},
    {"voicemail", EndReason::Voicemail},        {"error", EndReason::Error}};
const std::pair<const char *, Sentiment> kSentiment[] = {{"positive", Sentiment::Positive},
                                                         {"neutral", Sentiment::Neutral},
                                                         {"negative", Sentiment::Negative}};
const std::pair<const char *, SpeakerRole> kRole[] = {{"agent", SpeakerRole::Agent},
                                                      {"caller", SpeakerRole::Caller}};
const std::pair<const char *, PhoneNumberStatus> kPhoneStatus[] = {
    {"active", PhoneNumberStatus::Active},
    {"pending", PhoneNumberStatus::Pending},
    {"released", PhoneNumberStatus::Released}};
const std::pair<const char *, RoutingMode> kRouting[] = {{"agent", RoutingMode::Agent},
                                                         {"forward", RoutingMode::Forward}};
const std::pair<const char *, DocumentSource> kDocSource[] = {
    {"file", DocumentSource::File}, {"text", DocumentSource::Text}, {"url", DocumentSource::Url}};
const std::pair<const char *, DocumentStatus> kDocStatus[] = {
    {"processing", DocumentStatus::Processing},
    {"ready", DocumentStatus::Ready},
    {"failed", DocumentStatus::Failed}};

template<class T> Parsed<T> done(JsonReader &r, T value)
{
    if (!r.ok())
        return Parsed<T>::fail(r.error());
    Parsed<T> p;
    p.value = std::move(value);
    return p;
}

bool expectObject(const QJsonValue &json, QString *error, const char *what)
{
    if (json.isObject())
        return true;
    *error = QStringLiteral("%1: expected an object").arg(QLatin1String(what));
    return false;
}

} // namespace

AgentStatus agentStatusFromName(const QString &s)
{
    return lookup(s, kAgentStatus, AgentStatus::Unknown);
}
CallStatus callStatusFromName(const QString &s)
{
    return lookup(s, kCallStatus, CallStatus::Unknown);
}
CallDirection directionFromName(const QString &s)
{
    return lookup(s, kDirection, CallDirection::Unknown);
}
EndReason endReasonFromName(const QString &s)
{
    return s.isEmpty() ? EndReason::None : lookup(s, kEndReason, EndReason::Unknown);
}
Sentiment sentimentFromName(const QString &s)
{
    return s.isEmpty() ? Sentiment::None : lookup(s, kSentiment, Sentiment::Unknown);
}
SpeakerRole roleFromName(const QString &s)
{
    return lookup(s, kRole, SpeakerRole::Unknown);
}
PhoneNumberStatus phoneStatusFromName(const QString &s)
{
    return lookup(s, kPhoneStatus, PhoneNumberStatus::Unknown);
}
RoutingMode routingModeFromName(const QString &s)
{
    return lookup(s, kRouting, RoutingMode::Unknown);
}
DocumentSource documentSourceFromName(const QString &s)
{
    return lookup(s, kDocSource, DocumentSource::Unknown);
}
DocumentStatus documentStatusFromName(const QString &s)
{
    return lookup(s, kDocStatus, DocumentStatus::Unknown);
}
QString agentStatusName(AgentStatus s)
{
    return nameOf(s, kAgentStatus);
}
QString callStatusName(CallStatus s)
{
    return nameOf(s, kCallStatus);
}
QString directionName(CallDirection d)
{
    return nameOf(d, kDirection);
}
QString sentimentName(Sentiment s)
{
    return nameOf(s, kSentiment);
}
QString routingModeName(RoutingMode m)
{
    return nameOf(m, kRouting);
}

namespace {

Parsed<AgentTool> parseTool(const QJsonValue &json)
{
    QString err;
    if (!expectObject(json, &err, "tool"))
        return Parsed<AgentTool>::fail(err);
    JsonReader r(json.toObject(), QStringLiteral("tool"));
    AgentTool t;
    t.name = r.string("name", JsonReader::Required);
    t.description = r.string("description");
    t.parameters = r.object("parameters");
    t.webhookUrl = r.string("webhookUrl");
    return done(r, std::move(t));
}

template<class T>
QList<T> parseList(JsonReader &r, const char *key, Parsed<T> (*item)(const QJsonValue &))
{
    QList<T> out;
    const QJsonArray a = r.array(key);
    out.reserve(a.size());
    for (const QJsonValue &v : a) {
        Parsed<T> p = item(v);
        if (!p.ok()) {
            r.fail(p.error);
            return {};
        }
        out.append(std::move(*p.value));
    }
    return out;
}

// Fills `call` from `r`; shared by Call and CallDetails.
void readCall(JsonReader &r, Call &c)
{
    c.id = r.string("id", JsonReader::Required);
    c.status = callStatusFromName(r.string("status", JsonReader::Required));
    c.direction = directionFromName(r.string("direction"));
    c.agentId = r.string("agentId");
    c.to = r.string("to");
    c.from = r.string("from");
    c.contactId = r.string("contactId");
    c.createdAt = r.dateTime("createdAt", JsonReader::Required);
    c.startedAt = r.dateTime("startedAt");
    c.endedAt = r.dateTime("endedAt");
    c.updatedAt = r.dateTime("updatedAt");
    c.durationSeconds = static_cast<int>(r.integer("duration").value_or(0));
    c.endReason = endReasonFromName(r.string("endReason"));
    c.sentiment = sentimentFromName(r.string("sentiment"));
    c.sentimentScore = r.number("sentimentScore");
    c.metadata = r.object("metadata");
    c.recordingUrl = r.string("recordingUrl");
    c.summary = r.string("summary");
}

} // namespace

Parsed<Agent> parseAgent(const QJsonValue &json)
{
    QString err;
    if (!expectObject(json, &err, "agent"))
        return Parsed<Agent>::fail(err);
    JsonReader r(json.toObject(), QStringLiteral("agent"));
    Agent a;
    a.id = r.string("id", JsonReader::Required);
    a.name = r.string("name", JsonReader::Required);
    a.status = agentStatusFromName(r.string("status"));
    a.language = r.string("language");
    a.systemPrompt = r.string("systemPrompt");
    a.firstMessage = r.string("firstMessage");
    a.voiceProvider = r.string("voiceProvider");
    a.voiceId = r.string("voiceId");
    a.voiceSpeed = r.number("voiceSpeed");
    a.voicePitch = r.number("voicePitch");
    a.voiceStability = r.number("voiceStability");
    a.voiceSimilarityBoost = r.number("voiceSimilarityBoost");
    a.interruptionSensitivity = r.number("interruptionSensitivity");
    a.llmModel = r.string("llmModel");
    a.llmTemperature = r.number("llmTemperature");
    if (const auto t = r.integer("llmMaxTokens"))
        a.llmMaxTokens = static_cast<int>(*t);
    a.llmTopP = r.number("llmTopP");
    a.builtinTools = r.stringList("builtinTools");
    a.transferNumber = r.string("transferNumber");
    a.tools = parseList(r, "tools", parseTool);
    a.knowledgeCollectionIds = r.stringList("knowledgeCollectionIds");
    a.createdAt = r.dateTime("createdAt");
    a.updatedAt = r.dateTime("updatedAt");
    return done(r, std::move(a));
}

Parsed<Call> parseCall(const QJsonValue &json)
{
    QString err;
    if (!expectObject(json, &err, "call"))
        return Parsed<Call>::fail(err);
    JsonReader r(json.toObject(), QStringLiteral("call"));
    Call c;
    readCall(r, c);
    return done(r, std::move(c));
}

Parsed<TranscriptLine> parseTranscriptLine(const QJsonValue &json)
{
    QString err;
    if (!expectObject(json, &err, "transcript line"))
        return Parsed<TranscriptLine>::fail(err);
    JsonReader r(json.toObject(), QStringLiteral("transcript line"));
    TranscriptLine t;
    t.role = roleFromName(r.string("role", JsonReader::Required));
    t.text = r.string("text");
    if (!r.has("text"))
        r.fail(QStringLiteral("missing required field 'text'"));
    t.startMs = r.integer("startMs", JsonReader::Required).value_or(0);
    t.endMs = r.integer("endMs").value_or(t.startMs);
    t.sentiment = sentimentFromName(r.string("sentiment"));
    return done(r, std::move(t));
}

Parsed<SentimentPoint> parseSentimentPoint(const QJsonValue &json)
{
    QString err;
    if (!expectObject(json, &err, "sentiment point"))
        return Parsed<SentimentPoint>::fail(err);
    JsonReader r(json.toObject(), QStringLiteral("sentiment point"));
    SentimentPoint s;
    s.atMs = r.integer("atMs", JsonReader::Required).value_or(0);
    s.label = sentimentFromName(r.string("label", JsonReader::Required));
    s.score = r.number("score");
    return done(r, std::move(s));
}

Parsed<ToolCall> parseToolCall(const QJsonValue &json)
{
    QString err;
    if (!expectObject(json, &err, "tool call"))
        return Parsed<ToolCall>::fail(err);
    JsonReader r(json.toObject(), QStringLiteral("tool call"));
    ToolCall t;
    t.tool = r.string("tool", JsonReader::Required);
    t.args = r.value("args");
    t.result = r.value("result");
    t.atMs = r.integer("atMs", JsonReader::Required).value_or(0);
    return done(r, std::move(t));
}

Parsed<CallDetails> parseCallDetails(const QJsonValue &json)
{
    QString err;
    if (!expectObject(json, &err, "call"))
        return Parsed<CallDetails>::fail(err);
    JsonReader r(json.toObject(), QStringLiteral("call"));
    CallDetails d;
    readCall(r, d.call);
    d.transcript = parseList(r, "transcript", parseTranscriptLine);
    d.sentimentTimeline = parseList(r, "sentimentTimeline", parseSentimentPoint);
    d.toolCalls = parseList(r, "toolCalls", parseToolCall);
    return done(r, std::move(d));
}

Parsed<PhoneNumber> parsePhoneNumber(const QJsonValue &json)
{
    QString err;
    if (!expectObject(json, &err, "phone number"))
        return Parsed<PhoneNumber>::fail(err);
    JsonReader r(json.toObject(), QStringLiteral("phone number"));
    PhoneNumber n;
    n.id = r.string("id", JsonReader::Required);
    n.number = r.string("number", JsonReader::Required);
    n.friendlyName = r.string("friendlyName");
    n.agentId = r.string("agentId");
    n.status = phoneStatusFromName(r.string("status"));
    JsonReader caps(r.object("capabilities"), QStringLiteral("phone number capabilities"));
    n.voice = caps.boolean("voice").value_or(false);
    n.sms = caps.boolean("sms").value_or(false);
    if (!caps.ok())
        r.fail(caps.error());
    n.provider = r.string("provider");
    JsonReader routing(r.object("routing"), QStringLiteral("phone number routing"));
    n.routing.mode = routingModeFromName(routing.string("mode"));
    n.routing.forwardTo = routing.string("forwardTo");
    if (!routing.ok())
        r.fail(routing.error());
    n.createdAt = r.dateTime("createdAt");
    return done(r, std::move(n));
}

Parsed<KnowledgeCollection> parseCollection(const QJsonValue &json)
{
    QString err;
    if (!expectObject(json, &err, "collection"))
        return Parsed<KnowledgeCollection>::fail(err);
    JsonReader r(json.toObject(), QStringLiteral("collection"));
    KnowledgeCollection c;
    c.id = r.string("id", JsonReader::Required);
    c.name = r.string("name", JsonReader::Required);
    c.description = r.string("description");
    c.documentCount = static_cast<int>(r.integer("documentCount").value_or(0));
    c.createdAt = r.dateTime("createdAt");
    return done(r, std::move(c));
}

Parsed<Document> parseDocument(const QJsonValue &json)
{
    QString err;
    if (!expectObject(json, &err, "document"))
        return Parsed<Document>::fail(err);
    JsonReader r(json.toObject(), QStringLiteral("document"));
    Document d;
    d.id = r.string("id", JsonReader::Required);
    d.title = r.string("title");
    d.source = documentSourceFromName(r.string("source"));
    d.status = documentStatusFromName(r.string("status", JsonReader::Required));
    d.chunkCount = static_cast<int>(r.integer("chunkCount").value_or(0));
    d.sizeBytes = r.integer("sizeBytes").value_or(0);
    d.createdAt = r.dateTime("createdAt");
    return done(r, std::move(d));
}

Parsed<Contact> parseContact(const QJsonValue &json)
{
    QString err;
    if (!expectObject(json, &err, "contact"))
        return Parsed<Contact>::fail(err);
    JsonReader r(json.toObject(), QStringLiteral("contact"));
    Contact c;
    c.id = r.string("id", JsonReader::Required);
    c.name = r.string("name");
    c.phone = r.string("phone", JsonReader::Required);
    c.email = r.string("email");
    c.company = r.string("company");
    c.tags = r.stringList("tags");
    const QJsonObject custom = r.object("customFields");
    for (auto it = custom.constBegin(); it != custom.constEnd(); ++it) {
        if (!it.value().isString()) {
            r.fail(QStringLiteral("customFields.%1 is not a string").arg(it.key()));
            break;
        }
        c.customFields.insert(it.key(), it.value().toString());
    }
    c.createdAt = r.dateTime("createdAt");
    c.updatedAt = r.dateTime("updatedAt");
    return done(r, std::move(c));
}

} // namespace sb::api::talknex
