// /v1/agents: list, create, read, partial update, delete.
#include "simapi.h"
#include "simjson.h"

#include <QDateTime>
#include <QJsonArray>
#include <QRegularExpression>
#include <QUrl>

namespace {

struct Range
{
    const char *field;
    double lo, hi;
};

const Range kRanges[] = {{"voiceSpeed", 0.5, 2.0},
                         {"voicePitch", -1, 1},
                         {"voiceStability", 0, 1},
                         {"voiceSimilarityBoost", 0, 1},
                         {"interruptionSensitivity", 0, 1},
                         {"llmTemperature", 0, 2},
                         {"llmTopP", 0, 1}};

SimResponse invalid(const QString &field, const QString &message)
{
    return SimApi::error(400, QStringLiteral("validation_error"), message, field);
}

bool oneOf(const QJsonValue &v, std::initializer_list<const char *> allowed)
{
    if (!v.isString())
        return false;
    for (const char *a : allowed) {
        if (v.toString() == QLatin1String(a))
            return true;
    }
    return false;
}

bool validTool(const QJsonValue &v, QString *why)
{
    static const QRegularExpression name(QStringLiteral("^[A-Za-z][A-Za-z0-9_]{0,63}$"));
    const QJsonObject t = v.toObject();
    if (!v.isObject() || !name.match(t.value(QLatin1String("name")).toString()).hasMatch()) {
        *why = QStringLiteral("each tool needs a name of letters, digits and _");
        return false;
    }
    const QJsonValue params = t.value(QLatin1String("parameters"));
    if (!params.isUndefined() &&
        (!params.isObject() ||
         params.toObject().value(QLatin1String("type")).toString() != QLatin1String("object"))) {
        *why = QStringLiteral("tool parameters must be a JSON Schema of type object");
        return false;
    }
    const QUrl url(t.value(QLatin1String("webhookUrl")).toString(), QUrl::StrictMode);
    if (!url.isValid() ||
        (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http")) ||
        url.host().isEmpty()) {
        *why = QStringLiteral("tool webhookUrl must be an http(s) URL");
        return false;
    }
    return true;
}

} // namespace

// Applies the known fields of `in` to `agent`; unknown fields are ignored (CONTRACT §1.1).
static bool applyAgentFields(const QJsonObject &in, QJsonObject *agent, SimStore *store,
                             const QString &org, SimResponse *err)
{
    static const QRegularExpression bcp47(QStringLiteral("^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"));
    for (auto it = in.begin(); it != in.end(); ++it) {
        const QString k = it.key();
        const QJsonValue v = it.value();
        if (k == QLatin1String("name")) {
            if (!v.isString() || v.toString().trimmed().isEmpty() || v.toString().size() > 200) {
                *err = invalid(k, QStringLiteral("name must be a non-empty string"));
                return false;
            }
        } else if (k == QLatin1String("status")) {
            if (!oneOf(v, {"active", "paused"})) {
                *err = invalid(k, QStringLiteral("status must be active or paused"));
                return false;
            }
        } else if (k == QLatin1String("language")) {
            if (!bcp47.match(v.toString()).hasMatch()) {
                *err = invalid(k, QStringLiteral("language must be a BCP-47 tag"));
                return false;
            }
        } else if (k == QLatin1String("systemPrompt") || k == QLatin1String("firstMessage") ||
                   k == QLatin1String("voiceId")) {
            if (!v.isString()) {
                *err = invalid(k, QStringLiteral("%1 must be a string").arg(k));
                return false;
            }
        } else if (k == QLatin1String("voiceProvider")) {
            if (!oneOf(v, {"elevenlabs", "openai"})) {
                *err = invalid(k, QStringLiteral("voiceProvider must be elevenlabs or openai"));
                return false;
            }
        } else if (k == QLatin1String("llmModel")) {
            if (!oneOf(v, {"gpt-4o", "gpt-4o-mini", "gpt-4-turbo"})) {
                *err = invalid(k, QStringLiteral("llmModel must be gpt-4o, gpt-4o-mini or "
                                                 "gpt-4-turbo"));
                return false;
            }
        } else if (k == QLatin1String("llmMaxTokens")) {
            if (!v.isDouble() || v.toDouble() != double(v.toInt()) || v.toInt() < 1 ||
                v.toInt() > 8192) {
                *err = invalid(k, QStringLiteral("llmMaxTokens must be an integer from 1 to 8192"));
                return false;
            }
        } else if (k == QLatin1String("builtinTools")) {
            const QJsonArray a = v.toArray();
            for (const QJsonValue &t : a) {
                if (!oneOf(t, {"book_appointment", "transfer_to_human"})) {
                    *err = invalid(k, QStringLiteral("builtinTools may hold book_appointment "
                                                     "and transfer_to_human"));
                    return false;
                }
            }
            if (!v.isArray()) {
                *err = invalid(k, QStringLiteral("builtinTools must be an array"));
                return false;
            }
        } else if (k == QLatin1String("transferNumber")) {
            if (!v.isNull() && !SimJson::isE164(v.toString())) {
                *err = invalid(k, QStringLiteral("transferNumber must be E.164 or null"));
                return false;
            }
        } else if (k == QLatin1String("tools")) {
            QString why = QStringLiteral("tools must be an array");
            bool ok = v.isArray();
            const QJsonArray a = v.toArray();
            for (const QJsonValue &t : a)
                ok = ok && validTool(t, &why);
            if (!ok) {
                *err = invalid(k, why);
                return false;
            }
        } else if (k == QLatin1String("knowledgeCollectionIds")) {
            bool ok = v.isArray();
            const QJsonArray a = v.toArray();
            for (const QJsonValue &id : a) {
                const auto col = store->object(QStringLiteral("collection"), id.toString());
                ok = ok && col && col->org == org;
            }
            if (!ok) {
                *err = invalid(k, QStringLiteral("knowledgeCollectionIds must list collections "
                                                 "of this organization"));
                return false;
            }
        } else {
            bool ranged = false;
            for (const Range &r : kRanges) {
                if (k != QLatin1String(r.field))
                    continue;
                ranged = true;
                if (!v.isDouble() || v.toDouble() < r.lo || v.toDouble() > r.hi) {
                    *err = invalid(k, QStringLiteral("%1 must be a number from %2 to %3")
                                          .arg(k)
                                          .arg(r.lo)
                                          .arg(r.hi));
                    return false;
                }
            }
            if (!ranged)
                continue; // unknown or read-only (id, createdAt, ...): ignored
        }
        agent->insert(k, v);
    }
    return true;
}

static QJsonObject defaultAgent()
{
    return QJsonObject{
        {QStringLiteral("status"), QStringLiteral("active")},
        {QStringLiteral("language"), QStringLiteral("en-US")},
        {QStringLiteral("systemPrompt"), QString()},
        {QStringLiteral("firstMessage"), QString()},
        {QStringLiteral("voiceProvider"), QStringLiteral("openai")},
        {QStringLiteral("voiceId"), QStringLiteral("alloy")},
        {QStringLiteral("voiceSpeed"), 1.0},
        {QStringLiteral("voicePitch"), 0.0},
        {QStringLiteral("voiceStability"), 0.5},
        {QStringLiteral("voiceSimilarityBoost"), 0.75},
        {QStringLiteral("interruptionSensitivity"), 0.5},
        {QStringLiteral("llmModel"), QStringLiteral("gpt-4o-mini")},
        {QStringLiteral("llmTemperature"), 0.7},
        {QStringLiteral("llmMaxTokens"), 400},
        {QStringLiteral("llmTopP"), 1.0},
        {QStringLiteral("builtinTools"), QJsonArray()},
        {QStringLiteral("transferNumber"), QJsonValue()},
        {QStringLiteral("tools"), QJsonArray()},
        {QStringLiteral("knowledgeCollectionIds"), QJsonArray()},
    };
}

SimResponse SimApi::agents(const Ctx &ctx)
{
    const QString kind = QStringLiteral("agent");
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    SimResponse err;
    if (ctx.path.size() == 1) {
        if (ctx.req.method == "GET")
            return listObjects(ctx, kind, {}, {});
        if (ctx.req.method != "POST")
            return methodNotAllowed(ctx, "GET, POST");
        QJsonObject in;
        if (!jsonBody(ctx, &in, &err))
            return err;
        if (!in.contains(QLatin1String("name")))
            return invalid(QStringLiteral("name"), QStringLiteral("name is required"));
        QJsonObject agent = defaultAgent();
        if (!applyAgentFields(in, &agent, m_store, ctx.org, &err))
            return err;
        SimObject o{kind, newId(QStringLiteral("agent_")), ctx.org, {}, now, 1, {}};
        agent.insert(QStringLiteral("id"), o.id);
        agent.insert(QStringLiteral("createdAt"), SimJson::isoTime(now));
        agent.insert(QStringLiteral("updatedAt"), SimJson::isoTime(now));
        o.data = agent;
        if (!m_store->insertObject(o))
            return error(500, QStringLiteral("internal_error"), QStringLiteral("Store failed"));
        return objectResponse(201, o);
    }
    if (ctx.path.size() != 2)
        return error(404, QStringLiteral("not_found"), QStringLiteral("No such endpoint"));
    const QByteArray m = ctx.req.method;
    if (m != "GET" && m != "PATCH" && m != "DELETE")
        return methodNotAllowed(ctx, "GET, PATCH, DELETE");
    std::optional<SimObject> o = owned(ctx, kind, ctx.path.at(1), &err);
    if (!o)
        return err;
    if (m == "GET")
        return objectResponse(200, *o);
    if (m == "DELETE") {
        m_store->removeObject(kind, o->id);
        // Numbers routed to the deleted agent keep working as unassigned numbers.
        const QList<SimObject> nums =
            m_store->listObjects(QStringLiteral("number"), ctx.org, {}, {}, {}, 10000);
        for (SimObject n : nums) {
            if (n.data.value(QLatin1String("agentId")).toString() == o->id) {
                n.data.insert(QStringLiteral("agentId"), QJsonValue());
                m_store->updateObject(n.kind, n.id, n.data);
            }
        }
        return noContent();
    }
    QJsonObject in;
    if (!jsonBody(ctx, &in, &err) || !ifMatchOk(ctx, *o, &err))
        return err;
    if (!applyAgentFields(in, &o->data, m_store, ctx.org, &err))
        return err;
    o->data.insert(QStringLiteral("updatedAt"), SimJson::isoTime(now));
    m_store->updateObject(kind, o->id, o->data);
    ++o->version;
    return objectResponse(200, *o);
}
