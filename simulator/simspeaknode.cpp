// The SpeakNode face: request pipeline (faults, bearer auth, rate limit), agents, tools and
// phone numbers. Conversations and media have their own files.
#include "simspeaknode.h"

#include "simauth.h"
#include "simfaults.h"
#include "simpersonas.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QMap>
#include <QRandomGenerator>

Q_LOGGING_CATEGORY(lcSimSpeakNode, "switchboard.sim.speaknode")

using namespace SimSpeakNodeJson;

namespace {

// A W3C trace id shape, as ASP.NET services put in their problems, made from the request id.
QString traceIdFor(const QString &requestId)
{
    const QByteArray h =
        QCryptographicHash::hash(requestId.toUtf8(), QCryptographicHash::Sha256).toHex();
    return QStringLiteral("00-%1-%2-00")
        .arg(QString::fromLatin1(h.left(32)), QString::fromLatin1(h.mid(32, 16)));
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace

SimSpeakNode::SimSpeakNode(SimStore *store, const QList<SimOrg> &orgs, quint64 seed,
                           SimRecordings *recordings, SimRateLimiter *limiter, SimFaults *faults,
                           QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_orgs(orgs)
    , m_recordings(recordings)
    , m_limiter(limiter)
    , m_faults(faults)
    , m_oauth(std::make_unique<SimOAuth>(orgs, seed))
{
    m_store->ensureCallPageIndexes();
    m_mediaSecret.resize(32);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(m_mediaSecret.data()),
                                          m_mediaSecret.size() / 4);
}

SimSpeakNode::~SimSpeakNode() = default;

void SimSpeakNode::setOrigin(const QString &origin)
{
    m_origin = origin;
    m_oauth->setIssuer(origin + QStringLiteral("/realms/speaknode"));
}

SimResponse SimSpeakNode::json(int status, const QJsonValue &body)
{
    SimResponse r;
    r.status = status;
    r.contentType = "application/json";
    r.body = body.isArray() ? QJsonDocument(body.toArray()).toJson(QJsonDocument::Compact)
                            : QJsonDocument(body.toObject()).toJson(QJsonDocument::Compact);
    return r;
}

SimResponse SimSpeakNode::problem(int status, const QString &detail, const QString &traceId,
                                  const QJsonObject &errors)
{
    SimResponse r;
    r.status = status;
    r.contentType = "application/problem+json";
    r.body = QJsonDocument(SimSpeakNodeJson::problem(status, detail, traceId, errors))
                 .toJson(QJsonDocument::Compact);
    return r;
}

SimResponse SimSpeakNode::methodNotAllowed(const Ctx &ctx, const QByteArray &allowed)
{
    SimResponse r =
        problem(405,
                QStringLiteral("%1 is not allowed here; use %2")
                    .arg(QString::fromLatin1(ctx.req.method), QString::fromLatin1(allowed)),
                traceIdFor(ctx.req.requestId));
    r.setHeader("Allow", allowed);
    return r;
}

QString SimSpeakNode::orgForToken(const QString &token) const
{
    return m_oauth->checkAccessToken(token, nowMs()).org;
}

QString SimSpeakNode::agentTitle(const QString &agentId) const
{
    const std::optional<SimObject> a = m_store->object(QStringLiteral("agent"), agentId);
    return a ? a->data.value(QLatin1String("name")).toString() : QString();
}

QJsonObject SimSpeakNode::sessionJson(const SimCallRow &call) const
{
    return session(call, agentTitle(call.agentId), audioLink(call));
}

static SimResponse injected(int status, const QString &traceId)
{
    SimResponse r = SimSpeakNode::problem(status,
                                          QStringLiteral("Simulated failure (fault "
                                                         "injection)"),
                                          traceId);
    if (status == 429)
        r.setHeader("Retry-After", "1");
    return r;
}

void SimSpeakNode::handleRest(const SimRequest &req, const SimHttpServer::Reply &reply)
{
    Ctx ctx;
    ctx.req = req;
    ctx.path = req.segments.mid(2);
    const QString trace = traceIdFor(req.requestId);

    // The same fault injection as the Talknex face (POST /_sim/faults applies to both).
    if (m_faults->rollDrop()) {
        reply({}, SimDelivery{0, 0, true});
        return;
    }
    if (const auto rule = m_faults->takeFailNext(req.method, req.rawPath, true)) {
        if (rule->status == 0) {
            reply({}, SimDelivery{0, 0, true});
            return;
        }
        finish(ctx, injected(rule->status, trace), reply, false);
        return;
    }
    if (const auto status = m_faults->rollError()) {
        finish(ctx, injected(*status, trace), reply, false);
        return;
    }

    const QByteArray auth = req.header("Authorization");
    const QString token =
        auth.startsWith("Bearer ") ? QString::fromUtf8(auth.mid(7).trimmed()) : QString();
    const SimOAuth::Access access = m_oauth->checkAccessToken(token, nowMs());
    if (access.org.isEmpty()) {
        SimResponse r = problem(401, access.why, trace);
        r.setHeader("WWW-Authenticate",
                    "Bearer realm=\"speaknode\", error=\"invalid_token\", error_description=\"" +
                        access.why.toLatin1() + '"');
        finish(ctx, r, reply, false);
        return;
    }
    ctx.org = access.org;
    ctx.credential = access.credential;
    const SimRateLimiter::Decision rl = m_limiter->take(ctx.credential, nowMs());
    if (!rl.allowed) {
        SimResponse r = problem(
            429, QStringLiteral("Rate limit of %1 requests per minute exceeded").arg(rl.limit),
            trace);
        r.setHeader("Retry-After", QByteArray::number(rl.retryAfter));
        finish(ctx, r, reply, false);
        return;
    }
    if (req.bodyTooLarge) {
        finish(ctx, problem(413, QStringLiteral("The request body is too large"), trace), reply,
               false);
        return;
    }
    finish(ctx, route(ctx), reply, true);
}

void SimSpeakNode::finish(const Ctx &ctx, SimResponse response, const SimHttpServer::Reply &reply,
                          bool processed)
{
    if (processed) {
        if (const auto rule = m_faults->takeFailNext(ctx.req.method, ctx.req.rawPath, false)) {
            if (rule->status == 0) {
                reply({}, SimDelivery{0, 0, true});
                return;
            }
            response = injected(rule->status, traceIdFor(ctx.req.requestId));
        }
    }
    response.setHeader("X-Request-Id", ctx.req.requestId.toLatin1());
    reply(response, SimDelivery{m_faults->latencyMs, m_faults->slowBodyMs, false});
}

SimResponse SimSpeakNode::route(const Ctx &ctx)
{
    const QString top = ctx.path.value(0);
    if (top == QLatin1String("agents"))
        return agents(ctx);
    if (top == QLatin1String("tools"))
        return tools(ctx);
    if (top == QLatin1String("phone-numbers"))
        return phoneNumbers(ctx);
    if (top == QLatin1String("conversations")) {
        if (ctx.path.size() == 1) {
            if (ctx.req.method != "GET")
                return methodNotAllowed(ctx, "GET");
            return listConversations(ctx);
        }
        if (ctx.path.size() == 2 && ctx.path.at(1) == QLatin1String("dispatch")) {
            if (ctx.req.method != "POST")
                return methodNotAllowed(ctx, "POST");
            return dispatchCall(ctx);
        }
        if (ctx.path.size() == 2) {
            if (ctx.req.method != "GET")
                return methodNotAllowed(ctx, "GET");
            return conversation(ctx, ctx.path.at(1));
        }
    }
    return problem(404, QStringLiteral("No such endpoint"), traceIdFor(ctx.req.requestId));
}

SimResponse SimSpeakNode::agents(const Ctx &ctx)
{
    const QString trace = traceIdFor(ctx.req.requestId);
    if (ctx.path.size() > 2)
        return problem(404, QStringLiteral("No such endpoint"), trace);
    if (ctx.req.method != "GET")
        return methodNotAllowed(ctx, "GET");
    if (ctx.path.size() == 2) {
        const QString id = storeId(ctx.path.at(1));
        const std::optional<SimObject> a = id.startsWith(QLatin1String("agent_"))
                                               ? m_store->object(QStringLiteral("agent"), id)
                                               : std::nullopt;
        if (!a)
            return problem(404, QStringLiteral("No agent with id %1").arg(ctx.path.at(1)), trace);
        if (a->org != ctx.org)
            return problem(403, QStringLiteral("This agent belongs to another organization"),
                           trace);
        return json(200, agent(*a));
    }
    // Oldest first, as a space's agent list reads; a bare array (the shape is not published).
    QList<SimObject> rows =
        m_store->listObjects(QStringLiteral("agent"), ctx.org, {}, {}, {}, 100000);
    std::reverse(rows.begin(), rows.end());
    QJsonArray out;
    for (const SimObject &o : std::as_const(rows))
        out.append(agent(o));
    return json(200, out);
}

SimResponse SimSpeakNode::tools(const Ctx &ctx)
{
    if (ctx.path.size() != 1)
        return problem(404, QStringLiteral("No such endpoint"), traceIdFor(ctx.req.requestId));
    if (ctx.req.method != "GET")
        return methodNotAllowed(ctx, "GET");
    const QList<SimObject> rows =
        m_store->listObjects(QStringLiteral("agent"), ctx.org, {}, {}, {}, 100000);
    QMap<QString, QJsonObject> byName; // one entry per tool code, sorted by name
    for (const SimObject &o : rows) {
        const QList<Tool> list = agentTools(ctx.org, o.data);
        for (const Tool &t : list)
            byName.insert(t.json.value(QLatin1String("name")).toString() + QLatin1Char('\n') +
                              t.code,
                          t.json);
    }
    QJsonArray out;
    for (const QJsonObject &t : std::as_const(byName))
        out.append(t);
    return json(200, out);
}

SimResponse SimSpeakNode::phoneNumbers(const Ctx &ctx)
{
    if (ctx.path.size() != 1)
        return problem(404, QStringLiteral("No such endpoint"), traceIdFor(ctx.req.requestId));
    if (ctx.req.method != "GET")
        return methodNotAllowed(ctx, "GET");
    QList<SimObject> rows =
        m_store->listObjects(QStringLiteral("number"), ctx.org, {}, {}, {}, 100000);
    std::reverse(rows.begin(), rows.end());
    QJsonArray out;
    for (const SimObject &o : std::as_const(rows))
        out.append(phoneNumber(o));
    return json(200, out);
}

void SimSpeakNode::handleRealm(const SimRequest &req, const SimHttpServer::Reply &reply)
{
    SimResponse r = m_oauth->handle(req, req.segments.mid(2), nowMs());
    r.setHeader("X-Request-Id", req.requestId.toLatin1());
    reply(r, {});
}

void SimSpeakNode::handleAdmin(const SimRequest &req, const SimHttpServer::Reply &reply)
{
    const QString trace = traceIdFor(req.requestId);
    const QString what = req.segments.mid(2).join(QLatin1Char('/'));
    SimResponse r;
    if (!req.remote.isLoopback()) {
        r = problem(403, QStringLiteral("Admin is loopback only"), trace);
    } else if (what != QLatin1String("expire-access-tokens") &&
               what != QLatin1String("revoke-refresh-tokens")) {
        r = problem(404, QStringLiteral("No such endpoint"), trace);
    } else if (req.method != "POST") {
        r = problem(405, QStringLiteral("Use POST"), trace);
        r.setHeader("Allow", "POST");
    } else {
        if (what == QLatin1String("expire-access-tokens"))
            m_oauth->expireAccessTokens(nowMs());
        else
            m_oauth->revokeRefreshTokens();
        qCInfo(lcSimSpeakNode) << "admin" << what;
        r.status = 204;
    }
    r.setHeader("X-Request-Id", req.requestId.toLatin1());
    reply(r, {});
}
