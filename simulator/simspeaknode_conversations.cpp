// SpeakNode /conversations: the page-based list with filters, one session with its history, and
// dispatch (an outbound call on the live engine, exactly as Talknex POST /v1/calls places one).
#include "simdialogue.h"
#include "simjson.h"
#include "simlive.h"
#include "simpersonas.h"
#include "simspeaknode.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QUuid>

#include <climits>

Q_DECLARE_LOGGING_CATEGORY(lcSimSpeakNode)

using namespace SimSpeakNodeJson;

namespace {

QString traceOf(const SimRequest &req)
{
    const QByteArray h =
        QCryptographicHash::hash(req.requestId.toUtf8(), QCryptographicHash::Sha256).toHex();
    return QStringLiteral("00-%1-%2-00")
        .arg(QString::fromLatin1(h.left(32)), QString::fromLatin1(h.mid(32, 16)));
}

// SpeakNode status → the Talknex statuses it covers (case-insensitive, as ASP.NET binds enums).
QStringList talknexStatuses(const QString &status)
{
    const QString s = status.toLower();
    if (s == QLatin1String("pending"))
        return {QStringLiteral("initiated")};
    if (s == QLatin1String("dispatching"))
        return {QStringLiteral("ringing")};
    if (s == QLatin1String("active"))
        return {QStringLiteral("in_progress")};
    if (s == QLatin1String("completed"))
        return {QStringLiteral("completed")};
    if (s == QLatin1String("failed"))
        return {QStringLiteral("failed"), QStringLiteral("no_answer"), QStringLiteral("busy"),
                QStringLiteral("canceled")};
    return {};
}

void addError(QJsonObject *errors, const char *field, const QString &message)
{
    QJsonArray list = errors->value(QLatin1String(field)).toArray();
    list.append(message);
    errors->insert(QLatin1String(field), list);
}

quint64 seedForId(const QString &id)
{
    const QByteArray h = QCryptographicHash::hash(id.toUtf8(), QCryptographicHash::Sha256);
    quint64 v = 0;
    for (int i = 0; i < 8; ++i)
        v = (v << 8) | quint8(h.at(i));
    return v;
}

} // namespace

SimResponse SimSpeakNode::listConversations(const Ctx &ctx)
{
    const SimRequest &r = ctx.req;
    QJsonObject errors;
    const auto intParam = [&](const char *name, const char *field, int def, int lo, int hi) {
        if (!r.hasQuery(QLatin1String(name)))
            return def;
        bool ok = false;
        const int v = r.queryValue(QLatin1String(name)).toInt(&ok);
        if (!ok || v < lo || v > hi) {
            addError(&errors, field,
                     hi == INT_MAX ? QStringLiteral("%1 must be an integer of at least %2.")
                                         .arg(QLatin1String(name))
                                         .arg(lo)
                                   : QStringLiteral("%1 must be an integer from %2 to %3.")
                                         .arg(QLatin1String(name))
                                         .arg(lo)
                                         .arg(hi));
        }
        return v;
    };
    const int page = intParam("page", "Page", 1, 1, INT_MAX);
    const int pageSize = intParam("page_size", "PageSize", 50, 1, 100);
    SimCallPageQuery q;
    bool none = false; // a well-formed agent id that is not one of ours matches nothing
    if (r.hasQuery(QStringLiteral("agent_id"))) {
        const QString text = r.queryValue(QStringLiteral("agent_id"));
        if (QUuid::fromString(text).isNull()) {
            addError(&errors, "AgentId", QStringLiteral("agent_id must be a UUID."));
        } else {
            q.agentId = storeId(text);
            none = !q.agentId.startsWith(QLatin1String("agent_"));
        }
    }
    if (r.hasQuery(QStringLiteral("status"))) {
        q.statuses = talknexStatuses(r.queryValue(QStringLiteral("status")));
        if (q.statuses.isEmpty())
            addError(&errors, "Status",
                     QStringLiteral("status must be one of Pending, Dispatching, Active, "
                                    "Completed, Failed."));
    }
    const auto timeParam = [&](const char *name, const char *field) -> qint64 {
        if (!r.hasQuery(QLatin1String(name)))
            return -1;
        const qint64 t = SimJson::parseTime(r.queryValue(QLatin1String(name)));
        if (t < 0)
            addError(&errors, field,
                     QStringLiteral("%1 must be an ISO 8601 date-time.").arg(QLatin1String(name)));
        return t;
    };
    q.createdFrom = timeParam("from", "From");
    q.createdTo = timeParam("to", "To");
    if (q.createdFrom >= 0 && q.createdTo >= 0 && q.createdFrom > q.createdTo)
        addError(&errors, "To", QStringLiteral("to must not be earlier than from."));
    if (!errors.isEmpty())
        return problem(422, QStringLiteral("The query is invalid; see errors."), traceOf(r),
                       errors);

    qint64 total = 0;
    QJsonArray items;
    if (!none) {
        const QStringList ids =
            m_store->callIdsPage(ctx.org, q, qint64(page - 1) * pageSize, pageSize, &total);
        for (const QString &id : ids) {
            if (const std::optional<SimCallRow> c = m_store->call(id))
                items.append(sessionJson(*c));
        }
    }
    return json(200, QJsonObject{{QStringLiteral("items"), items},
                                 {QStringLiteral("total_count"), total},
                                 {QStringLiteral("page"), page},
                                 {QStringLiteral("page_size"), pageSize}});
}

QJsonObject SimSpeakNode::conversationJson(const SimCallRow &c) const
{
    if (m_live) {
        if (const auto live = m_live->liveDetails(c.id))
            return *live; // the lines so far: a poller sees the history grow
    }
    if (const auto stored = m_store->callDetails(c.id))
        return *stored;
    if (!c.hasRecording)
        return {};
    const SimDialogue d = dialogue(c);
    QJsonArray transcript;
    for (const SimLine &l : d.lines) {
        transcript.append(QJsonObject{
            {QStringLiteral("role"), l.agent ? QStringLiteral("agent") : QStringLiteral("caller")},
            {QStringLiteral("text"), l.text},
            {QStringLiteral("startMs"), l.startMs},
            {QStringLiteral("endMs"), l.endMs}});
    }
    return {{QStringLiteral("transcript"), transcript}, {QStringLiteral("toolCalls"), d.toolCalls}};
}

SimResponse SimSpeakNode::conversation(const Ctx &ctx, const QString &id)
{
    const QString trace = traceOf(ctx.req);
    const QString sid = storeId(id);
    const std::optional<SimCallRow> c =
        sid.startsWith(QLatin1String("call_")) ? m_store->call(sid) : std::nullopt;
    if (!c)
        return problem(404, QStringLiteral("No conversation with id %1").arg(id), trace);
    if (c->org != ctx.org)
        return problem(403, QStringLiteral("This conversation belongs to another organization"),
                       trace);
    QJsonObject o = sessionJson(*c);
    o.insert(QStringLiteral("history"), history(*c, conversationJson(*c)));
    return json(200, o);
}

SimResponse SimSpeakNode::dispatchCall(const Ctx &ctx)
{
    const QString trace = traceOf(ctx.req);
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(ctx.req.body, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject())
        return problem(400,
                       pe.error != QJsonParseError::NoError
                           ? QStringLiteral("Malformed JSON body: %1").arg(pe.errorString())
                           : QStringLiteral("The body must be a JSON object"),
                       trace);
    const QJsonObject in = doc.object();
    QJsonObject errors;

    const QJsonValue agentValue = in.value(QLatin1String("agent_id"));
    std::optional<SimObject> agentRow;
    if (!agentValue.isString() || agentValue.toString().isEmpty()) {
        addError(&errors, "AgentId", QStringLiteral("The AgentId field is required."));
    } else {
        const QString sid = storeId(agentValue.toString());
        if (sid.startsWith(QLatin1String("agent_")))
            agentRow = m_store->object(QStringLiteral("agent"), sid);
        if (!agentRow || agentRow->org != ctx.org) {
            agentRow.reset();
            addError(&errors, "AgentId", QStringLiteral("No agent with this id in this space."));
        }
    }
    const QJsonValue toValue = in.value(QLatin1String("to_number"));
    const QString to = toValue.toString();
    if (!toValue.isString() || to.isEmpty())
        addError(&errors, "ToNumber", QStringLiteral("The ToNumber field is required."));
    else if (!SimJson::isE164(to))
        addError(&errors, "ToNumber",
                 QStringLiteral("ToNumber must be an E.164 number, e.g. +14155550123."));
    const QJsonValue fromValue = in.value(QLatin1String("from_number"));
    const QString from = fromValue.toString();
    if (!fromValue.isString() || from.isEmpty()) {
        addError(&errors, "FromNumber", QStringLiteral("The FromNumber field is required."));
    } else {
        bool owned = false;
        const QList<SimObject> nums =
            m_store->listObjects(QStringLiteral("number"), ctx.org, {}, {}, {}, 100000);
        for (const SimObject &n : nums) {
            owned = owned ||
                    (n.data.value(QLatin1String("number")).toString() == from &&
                     n.data.value(QLatin1String("status")).toString() == QLatin1String("active"));
        }
        if (!owned)
            addError(&errors, "FromNumber",
                     QStringLiteral("FromNumber must be an active phone number of this space."));
    }
    const QJsonValue vars = in.value(QLatin1String("dynamic_variables"));
    QString outcome;
    if (!vars.isUndefined() && !vars.isNull()) {
        bool strings = vars.isObject();
        const QJsonObject o = vars.toObject();
        for (auto it = o.begin(); strings && it != o.end(); ++it)
            strings = it.value().isString();
        if (!strings)
            addError(&errors, "DynamicVariables",
                     QStringLiteral("dynamic_variables must map names to strings."));
        // Simulator hint (docs/SIM-INTERFACE.md): how the live engine lets the call end.
        outcome = o.value(QLatin1String("sim_outcome")).toString();
        if (!outcome.isEmpty() && outcome != QLatin1String("answered") &&
            outcome != QLatin1String("no_answer") && outcome != QLatin1String("busy") &&
            outcome != QLatin1String("failed"))
            addError(&errors, "DynamicVariables",
                     QStringLiteral("sim_outcome must be answered, no_answer, busy or failed."));
    }
    if (!errors.isEmpty())
        return problem(422, QStringLiteral("One or more fields are invalid; see errors."), trace,
                       errors);

    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    SimCallRow c;
    // Unseeded on purpose, as Talknex's: a created call must not collide with seeded ones.
    c.id = SimJson::makeId(QStringLiteral("call_"), QRandomGenerator::global()->generate64());
    c.org = ctx.org;
    c.agentId = agentRow->id;
    const QString agentName = agentRow->data.value(QLatin1String("name")).toString();
    for (int i = 0; i < simPersonas().size(); ++i) {
        if (agentName == QString::fromUtf8(simPersonas().at(i).agentName))
            c.persona = i;
    }
    c.status = QStringLiteral("initiated");
    c.direction = QStringLiteral("outbound");
    c.to = to;
    c.from = from;
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
    if (vars.isObject())
        c.metadata = QJsonObject{{QStringLiteral("dynamicVariables"), vars.toObject()}};
    c.seed = seedForId(c.id);
    if (!m_store->insertCall(c))
        return problem(500, QStringLiteral("The store failed"), trace);
    qCInfo(lcSimSpeakNode) << "dispatched call" << c.id << "to" << SimJson::maskPhone(to);
    if (m_live)
        m_live->placeOutbound(c, outcome);
    return json(201, sessionJson(c));
}
