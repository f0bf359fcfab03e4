// /v1/calls: history with filters, placing outbound calls, details, delete, recordings.
#include "simapi.h"
#include "simdialogue.h"
#include "simjson.h"
#include "simlive.h"
#include "simpersonas.h"
#include "simrecording.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>
#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcSimApi)

QJsonObject SimApi::callJson(const SimCallRow &c, bool details) const
{
    const auto orNull = [](const QString &s) { return s.isEmpty() ? QJsonValue() : QJsonValue(s); };
    const auto timeOrNull = [](qint64 ms) {
        return ms > 0 ? QJsonValue(SimJson::isoTime(ms)) : QJsonValue();
    };
    QJsonObject o{
        {QStringLiteral("id"), c.id},
        {QStringLiteral("status"), c.status},
        {QStringLiteral("direction"), c.direction},
        {QStringLiteral("agentId"), c.agentId},
        {QStringLiteral("to"), c.to},
        {QStringLiteral("from"), c.from},
        {QStringLiteral("contactId"), orNull(c.contactId)},
        {QStringLiteral("createdAt"), SimJson::isoTime(c.createdAt)},
        {QStringLiteral("startedAt"), timeOrNull(c.startedAt)},
        {QStringLiteral("endedAt"), timeOrNull(c.endedAt)},
        {QStringLiteral("updatedAt"), SimJson::isoTime(c.updatedAt)},
        {QStringLiteral("duration"), c.duration},
        {QStringLiteral("endReason"), orNull(c.endReason)},
        {QStringLiteral("sentiment"), orNull(c.sentiment)},
        {QStringLiteral("metadata"), c.metadata},
        {QStringLiteral("recordingUrl"), c.hasRecording
                                             ? QJsonValue(m_baseUrl + QStringLiteral("/calls/") +
                                                          c.id + QStringLiteral("/recording"))
                                             : QJsonValue()},
    };
    if (c.hasScore)
        o.insert(QStringLiteral("sentimentScore"), c.sentimentScore);
    if (!details)
        return o;
    const QJsonObject conv = conversationJson(c);
    for (auto it = conv.begin(); it != conv.end(); ++it)
        o.insert(it.key(), it.value());
    return o;
}

// A created call's conversation seed follows from its id, so it never changes.
static quint64 seedForId(const QString &id)
{
    const QByteArray h = QCryptographicHash::hash(id.toUtf8(), QCryptographicHash::Sha256);
    quint64 v = 0;
    for (int i = 0; i < 8; ++i)
        v = (v << 8) | quint8(h.at(i));
    return v;
}

static bool enumValue(const QString &v, std::initializer_list<const char *> allowed)
{
    for (const char *a : allowed) {
        if (v == QLatin1String(a))
            return true;
    }
    return false;
}

static SimResponse listError(const QString &field, const QString &message)
{
    return SimApi::error(400, QStringLiteral("validation_error"), message, field);
}

SimResponse SimApi::calls(const Ctx &ctx, bool *async, const SimHttpServer::Reply &reply)
{
    const QByteArray m = ctx.req.method;
    SimResponse err;
    if (ctx.path.size() == 1 && m == "GET") {
        int limit = 20;
        SimListPos pos;
        if (!pageParams(ctx, &limit, &pos, &err))
            return err;
        SimCallFilter f;
        f.agentId = ctx.req.queryValue(QStringLiteral("agentId"));
        f.status = ctx.req.queryValue(QStringLiteral("status"));
        f.direction = ctx.req.queryValue(QStringLiteral("direction"));
        f.sentiment = ctx.req.queryValue(QStringLiteral("sentiment"));
        f.q = ctx.req.queryValue(QStringLiteral("q"));
        if (!f.status.isEmpty() &&
            !enumValue(f.status, {"initiated", "ringing", "in_progress", "completed", "failed",
                                  "no_answer", "busy", "canceled"})) {
            return listError(QStringLiteral("status"), QStringLiteral("Unknown call status"));
        }
        if (!f.direction.isEmpty() && !enumValue(f.direction, {"inbound", "outbound"}))
            return listError(QStringLiteral("direction"),
                             QStringLiteral("direction must be inbound or outbound"));
        if (!f.sentiment.isEmpty() && !enumValue(f.sentiment, {"positive", "neutral", "negative"}))
            return listError(QStringLiteral("sentiment"),
                             QStringLiteral("sentiment must be positive, neutral or negative"));
        const struct
        {
            const char *name;
            qint64 *target;
        } times[] = {{"createdAfter", &f.createdAfter},
                     {"createdBefore", &f.createdBefore},
                     {"updatedSince", &f.updatedSince}};
        for (const auto &t : times) {
            const QString name = QLatin1String(t.name);
            if (!ctx.req.hasQuery(name))
                continue;
            *t.target = SimJson::parseTime(ctx.req.queryValue(name));
            if (*t.target < 0)
                return listError(name, QStringLiteral("%1 must be an ISO-8601 time").arg(name));
        }
        QList<SimCallRow> rows = m_store->listCalls(ctx.org, f, pos, limit + 1);
        QString next;
        if (rows.size() > limit) {
            rows.resize(limit);
            next = SimJson::encodeCursor(rows.last().createdAt, rows.last().id);
        }
        QList<QJsonObject> items;
        for (const SimCallRow &c : rows)
            items.append(callJson(c, false));
        return page(items, next);
    }
    if (ctx.path.size() == 1 && m == "POST") {
        QJsonObject in;
        if (!jsonBody(ctx, &in, &err))
            return err;
        const QString agentId = in.value(QLatin1String("agentId")).toString();
        if (agentId.isEmpty())
            return listError(QStringLiteral("agentId"), QStringLiteral("agentId is required"));
        const auto agent = m_store->object(QStringLiteral("agent"), agentId);
        if (!agent || agent->org != ctx.org)
            return listError(QStringLiteral("agentId"),
                             QStringLiteral("agentId is not an agent of this organization"));
        const QString to = in.value(QLatin1String("to")).toString();
        if (!SimJson::isE164(to))
            return listError(QStringLiteral("to"), QStringLiteral("to must be an E.164 number"));
        const QString from = in.value(QLatin1String("from")).toString();
        if (!SimJson::isE164(from))
            return listError(QStringLiteral("from"),
                             QStringLiteral("from must be an E.164 number"));
        const QJsonValue meta = in.value(QLatin1String("metadata"));
        if (!meta.isUndefined() && !meta.isNull() && !meta.isObject())
            return listError(QStringLiteral("metadata"),
                             QStringLiteral("metadata must be an object"));
        // Simulator hint (docs/SIM-INTERFACE.md): how the live engine lets the call end.
        const QString outcome = meta.toObject().value(QLatin1String("simOutcome")).toString();
        if (!outcome.isEmpty() && !enumValue(outcome, {"answered", "no_answer", "busy", "failed"}))
            return listError(QStringLiteral("metadata.simOutcome"),
                             QStringLiteral("simOutcome must be answered, no_answer, busy or "
                                            "failed"));
        bool ownsFrom = false;
        const QList<SimObject> nums =
            m_store->listObjects(QStringLiteral("number"), ctx.org, {}, {}, {}, 10000);
        for (const SimObject &n : nums) {
            ownsFrom = ownsFrom || (n.data.value(QLatin1String("number")).toString() == from &&
                                    n.data.value(QLatin1String("status")).toString() ==
                                        QLatin1String("active"));
        }
        if (!ownsFrom)
            return listError(QStringLiteral("from"),
                             QStringLiteral("from must be an active phone number of this "
                                            "organization"));
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        SimCallRow c;
        c.id = newId(QStringLiteral("call_"));
        c.org = ctx.org;
        c.agentId = agentId;
        const QString agentName = agent->data.value(QLatin1String("name")).toString();
        for (int i = 0; i < simPersonas().size(); ++i) {
            if (agentName == QString::fromUtf8(simPersonas().at(i).agentName))
                c.persona = i;
        }
        c.status = QStringLiteral("initiated");
        c.direction = QStringLiteral("outbound");
        c.to = to;
        c.from = from;
        // The contact whose phone is exactly `to` (the newest, if several), never a substring
        // match on names, emails or longer numbers.
        SimObjectFilter byPhone;
        byPhone.phone = to;
        const QList<SimObject> contact =
            m_store->listObjects(QStringLiteral("contact"), ctx.org, {}, byPhone, {}, 1);
        if (!contact.isEmpty()) {
            c.contactId = contact.first().id;
            c.contactName = contact.first().data.value(QLatin1String("name")).toString();
        }
        c.createdAt = now;
        c.updatedAt = now;
        c.metadata = meta.toObject();
        c.seed = seedForId(c.id);
        if (!m_store->insertCall(c))
            return error(500, QStringLiteral("internal_error"), QStringLiteral("Store failed"));
        qCInfo(lcSimApi) << "placed call" << c.id << "to" << SimJson::maskPhone(to);
        if (m_live)
            m_live->placeOutbound(c, outcome);
        SimResponse r = json(201, callJson(c, false));
        r.setHeader("ETag", SimJson::etag(c.id, c.version));
        return r;
    }
    if (ctx.path.size() == 1)
        return methodNotAllowed(ctx, "GET, POST");
    if (ctx.path.size() > 3 ||
        (ctx.path.size() == 3 && ctx.path.at(2) != QLatin1String("recording")))
        return error(404, QStringLiteral("not_found"), QStringLiteral("No such endpoint"));
    if (ctx.path.size() == 3 && m != "GET")
        return methodNotAllowed(ctx, "GET");
    if (ctx.path.size() == 2 && m != "GET" && m != "DELETE")
        return methodNotAllowed(ctx, "GET, DELETE");

    const std::optional<SimCallRow> c = m_store->call(ctx.path.at(1));
    if (!c)
        return error(404, QStringLiteral("not_found"),
                     QStringLiteral("No call with id %1").arg(ctx.path.at(1)));
    if (c->org != ctx.org)
        return error(403, QStringLiteral("forbidden"),
                     QStringLiteral("This call belongs to another organization"));
    if (ctx.path.size() == 3) {
        if (!c->hasRecording)
            return error(404, QStringLiteral("not_found"),
                         QStringLiteral("This call has no recording"));
        *async = true;
        recording(ctx, *c, reply);
        return {};
    }
    if (m == "DELETE") {
        if (m_live)
            m_live->forget(c->id);
        m_store->removeCall(c->id);
        m_recordings->remove(c->id);
        return noContent();
    }
    SimResponse r = json(200, callJson(*c, true));
    r.setHeader("ETag", SimJson::etag(c->id, c->version));
    return r;
}
