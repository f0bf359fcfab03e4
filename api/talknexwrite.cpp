// Talknex request bodies and query strings (the writing half of talknexjson.h).
#include "talknexjson.h"

#include "request.h"

#include <QJsonArray>

namespace sb::api::talknex {

namespace {

template<class T> void put(QJsonObject &o, const char *key, const std::optional<T> &v)
{
    if (v)
        o.insert(QLatin1String(key), QJsonValue(*v));
}

void put(QJsonObject &o, const char *key, const std::optional<QStringList> &v)
{
    if (v)
        o.insert(QLatin1String(key), QJsonArray::fromStringList(*v));
}

void putNonEmpty(QJsonObject &o, const char *key, const QString &v)
{
    if (!v.isEmpty())
        o.insert(QLatin1String(key), v);
}

} // namespace

QJsonObject toJson(const AgentTool &tool)
{
    QJsonObject o;
    o.insert(QLatin1String("name"), tool.name);
    o.insert(QLatin1String("description"), tool.description);
    o.insert(QLatin1String("parameters"), tool.parameters);
    o.insert(QLatin1String("webhookUrl"), tool.webhookUrl);
    return o;
}

QJsonObject toJson(const AgentChanges &c)
{
    QJsonObject o;
    put(o, "name", c.name);
    if (c.status && *c.status != AgentStatus::Unknown)
        o.insert(QLatin1String("status"), agentStatusName(*c.status));
    put(o, "language", c.language);
    put(o, "systemPrompt", c.systemPrompt);
    put(o, "firstMessage", c.firstMessage);
    put(o, "voiceProvider", c.voiceProvider);
    put(o, "voiceId", c.voiceId);
    put(o, "voiceSpeed", c.voiceSpeed);
    put(o, "voicePitch", c.voicePitch);
    put(o, "voiceStability", c.voiceStability);
    put(o, "voiceSimilarityBoost", c.voiceSimilarityBoost);
    put(o, "interruptionSensitivity", c.interruptionSensitivity);
    put(o, "llmModel", c.llmModel);
    put(o, "llmTemperature", c.llmTemperature);
    put(o, "llmMaxTokens", c.llmMaxTokens);
    put(o, "llmTopP", c.llmTopP);
    put(o, "builtinTools", c.builtinTools);
    // An empty number clears it: the platform takes null, not "" (E.164 or null).
    if (c.transferNumber)
        o.insert(QLatin1String("transferNumber"),
                 c.transferNumber->isEmpty() ? QJsonValue() : QJsonValue(*c.transferNumber));
    if (c.tools) {
        QJsonArray tools;
        for (const AgentTool &t : *c.tools)
            tools.append(toJson(t));
        o.insert(QLatin1String("tools"), tools);
    }
    put(o, "knowledgeCollectionIds", c.knowledgeCollectionIds);
    return o;
}

QJsonObject toJson(const PlaceCallRequest &call)
{
    QJsonObject o;
    o.insert(QLatin1String("agentId"), call.agentId);
    o.insert(QLatin1String("to"), call.to);
    o.insert(QLatin1String("from"), call.from);
    if (!call.metadata.isEmpty())
        o.insert(QLatin1String("metadata"), call.metadata);
    return o;
}

QJsonObject toJson(const NumberPurchase &p)
{
    QJsonObject o;
    if (!p.number.isEmpty()) {
        o.insert(QLatin1String("number"), p.number);
        return o;
    }
    o.insert(QLatin1String("country"), p.country);
    putNonEmpty(o, "areaCode", p.areaCode);
    return o;
}

QJsonObject toJson(const PhoneNumberChanges &c)
{
    QJsonObject o;
    if (c.agentId) // an empty id unassigns the number: JSON null
        o.insert(QLatin1String("agentId"),
                 c.agentId->isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(*c.agentId));
    put(o, "friendlyName", c.friendlyName);
    if (c.routing) {
        QJsonObject routing;
        routing.insert(QLatin1String("mode"), routingModeName(c.routing->mode));
        putNonEmpty(routing, "forwardTo", c.routing->forwardTo);
        o.insert(QLatin1String("routing"), routing);
    }
    return o;
}

QJsonObject toJson(const ContactChanges &c)
{
    QJsonObject o;
    put(o, "name", c.name);
    put(o, "phone", c.phone);
    // A null (not just empty) string clears email/company and removes a custom field: the
    // server merges customFields like RFC 7396, so a missing key would be kept.
    const auto orNull = [](const QString &v) { return v.isNull() ? QJsonValue() : QJsonValue(v); };
    if (c.email)
        o.insert(QLatin1String("email"), orNull(*c.email));
    if (c.company)
        o.insert(QLatin1String("company"), orNull(*c.company));
    put(o, "tags", c.tags);
    if (c.customFields) {
        QJsonObject custom;
        for (auto it = c.customFields->constBegin(); it != c.customFields->constEnd(); ++it)
            custom.insert(it.key(), orNull(it.value()));
        o.insert(QLatin1String("customFields"), custom);
    }
    return o;
}

QUrlQuery callFilterQuery(const CallFilter &f)
{
    QUrlQuery q;
    const auto add = [&q](const char *key, const QString &value) {
        if (!value.isEmpty())
            addQueryValue(q, QLatin1String(key), value);
    };
    add("agentId", f.agentId);
    if (f.status)
        add("status", callStatusName(*f.status));
    if (f.direction)
        add("direction", directionName(*f.direction));
    if (f.sentiment)
        add("sentiment", sentimentName(*f.sentiment));
    if (f.createdAfter.isValid())
        add("createdAfter", formatIsoDateTime(f.createdAfter));
    if (f.createdBefore.isValid())
        add("createdBefore", formatIsoDateTime(f.createdBefore));
    add("q", f.query);
    if (f.updatedSince.isValid())
        add("updatedSince", formatIsoDateTime(f.updatedSince));
    return q;
}

} // namespace sb::api::talknex
