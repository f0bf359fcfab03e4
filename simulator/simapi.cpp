#include "simapi.h"

#include "simjson.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLoggingCategory>
#include <QRandomGenerator>

Q_LOGGING_CATEGORY(lcSimApi, "switchboard.sim.api")

SimApi::SimApi(SimStore *store, SimKeyRing *keys, SimRecordings *recordings, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_keys(keys)
    , m_recordings(recordings)
{}

SimResponse SimApi::json(int status, const QJsonObject &body)
{
    SimResponse r;
    r.status = status;
    r.contentType = "application/json";
    r.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return r;
}

SimResponse SimApi::error(int status, const QString &code, const QString &message,
                          const QString &field, const QJsonObject &extra)
{
    QJsonObject e = extra;
    e.insert(QStringLiteral("code"), code);
    e.insert(QStringLiteral("message"), message);
    if (!field.isEmpty())
        e.insert(QStringLiteral("field"), field);
    return json(status, QJsonObject{{QStringLiteral("error"), e}});
}

SimResponse SimApi::noContent()
{
    SimResponse r;
    r.status = 204;
    return r;
}

SimResponse SimApi::methodNotAllowed(const Ctx &ctx, const QByteArray &allowed)
{
    SimResponse r = error(405, QStringLiteral("validation_error"),
                          QStringLiteral("%1 is not allowed on %2; use %3")
                              .arg(QString::fromLatin1(ctx.req.method), ctx.req.rawPath,
                                   QString::fromLatin1(allowed)));
    r.setHeader("Allow", allowed);
    return r;
}

static QString statusCode(int status)
{
    switch (status) {
    case 400:
        return QStringLiteral("validation_error");
    case 401:
        return QStringLiteral("unauthorized");
    case 403:
        return QStringLiteral("forbidden");
    case 404:
        return QStringLiteral("not_found");
    case 409:
        return QStringLiteral("conflict");
    case 412:
        return QStringLiteral("precondition_failed");
    case 429:
        return QStringLiteral("rate_limited");
    default:
        return QStringLiteral("internal_error");
    }
}

static SimResponse injected(int status)
{
    SimResponse r = SimApi::error(status, statusCode(status),
                                  QStringLiteral("Simulated failure (fault injection)"));
    if (status == 429)
        r.setHeader("Retry-After", "1");
    return r;
}

void SimApi::handle(const SimRequest &req, const SimHttpServer::Reply &reply)
{
    if (!req.segments.isEmpty() && req.segments.first() == QLatin1String("_sim")) {
        handleAdmin(req, reply);
        return;
    }
    ++m_requests;
    Ctx ctx;
    ctx.req = req;
    if (req.segments.isEmpty() || req.segments.first() != QLatin1String("v1")) {
        finish(ctx, error(404, QStringLiteral("not_found"), QStringLiteral("No such endpoint")),
               reply, false);
        return;
    }
    ctx.path = req.segments.mid(1);

    // Faults that strike before the request is looked at.
    if (m_faults.rollDrop()) {
        reply({}, SimDelivery{0, 0, true});
        return;
    }
    if (const auto rule = m_faults.takeFailNext(req.method, req.rawPath, true)) {
        if (rule->status == 0) {
            reply({}, SimDelivery{0, 0, true});
            return;
        }
        finish(ctx, injected(rule->status), reply, false);
        return;
    }
    if (const auto status = m_faults.rollError()) {
        finish(ctx, injected(*status), reply, false);
        return;
    }

    // Authentication, then the per-key budget.
    const QByteArray auth = req.header("Authorization");
    if (auth.startsWith("Bearer "))
        ctx.key = QString::fromUtf8(auth.mid(7).trimmed());
    ctx.org = m_keys->orgForKey(ctx.key);
    if (ctx.org.isEmpty()) {
        const QString why = ctx.key.isEmpty()          ? QStringLiteral("Missing bearer API key")
                            : m_keys->isKnown(ctx.key) ? QStringLiteral("This API key was revoked")
                                                       : QStringLiteral("Unknown API key");
        ctx.key.clear();
        finish(ctx, error(401, QStringLiteral("unauthorized"), why), reply, false);
        return;
    }
    ++m_byKey[ctx.key];
    const SimRateLimiter::Decision rl =
        m_rateLimiter.take(ctx.key, QDateTime::currentMSecsSinceEpoch());
    if (!rl.allowed) {
        ++m_rateLimited;
        SimResponse r =
            error(429, QStringLiteral("rate_limited"),
                  QStringLiteral("Rate limit of %1 requests per minute exceeded").arg(rl.limit));
        r.setHeader("Retry-After", QByteArray::number(rl.retryAfter));
        finish(ctx, r, reply, false);
        return;
    }

    // A body over the size limit was refused unread (SimHttpServer); uploads are the only
    // requests that can be that large.
    if (req.bodyTooLarge) {
        const bool upload = req.header("Content-Type").toLower().startsWith("multipart/form-data");
        finish(ctx,
               error(413, QStringLiteral("validation_error"),
                     QStringLiteral("The request body is larger than %1 MB (files are limited "
                                    "to 50 MB)")
                         .arg(SimHttpServer::kDefaultMaxBodyBytes / (1024 * 1024)),
                     upload ? QStringLiteral("file") : QString()),
               reply, false);
        return;
    }

    // Idempotent replay: same key and same request → the first answer, nothing created.
    const QByteArray idemKey = req.header("Idempotency-Key");
    const bool idempotent = req.method == "POST" && !idemKey.isEmpty();
    if (idempotent) {
        const QString slot = ctx.org + QLatin1Char('\n') + QString::fromUtf8(idemKey);
        const QByteArray fingerprint =
            req.method + ' ' + req.rawPath.toUtf8() + ' ' +
            QCryptographicHash::hash(req.body, QCryptographicHash::Sha256).toHex();
        if (const SimIdempotencyCache::Entry *it =
                m_idempotency.find(slot, QDateTime::currentMSecsSinceEpoch())) {
            if (it->fingerprint != fingerprint) {
                finish(ctx,
                       error(409, QStringLiteral("conflict"),
                             QStringLiteral("Idempotency-Key was already used with a different "
                                            "request"),
                             QStringLiteral("Idempotency-Key")),
                       reply, false);
                return;
            }
            SimResponse replay = it->response;
            replay.setHeader("Idempotent-Replayed", "true");
            finish(ctx, replay, reply, false);
            return;
        }
    }

    bool async = false;
    SimResponse response = dispatch(ctx, &async, reply);
    if (async)
        return;
    if (idempotent && response.status < 500) {
        const QString slot = ctx.org + QLatin1Char('\n') + QString::fromUtf8(idemKey);
        const QByteArray fingerprint =
            req.method + ' ' + req.rawPath.toUtf8() + ' ' +
            QCryptographicHash::hash(req.body, QCryptographicHash::Sha256).toHex();
        m_idempotency.insert(slot, {fingerprint, response, 0}, QDateTime::currentMSecsSinceEpoch());
    }
    finish(ctx, response, reply, true);
}

void SimApi::finish(const Ctx &ctx, SimResponse response, const SimHttpServer::Reply &reply,
                    bool processed)
{
    // Faults that strike after processing: the object exists, the client sees an error.
    if (processed) {
        if (const auto rule = m_faults.takeFailNext(ctx.req.method, ctx.req.rawPath, false)) {
            if (rule->status == 0) {
                reply({}, SimDelivery{0, 0, true});
                return;
            }
            response = injected(rule->status);
        }
    }
    // Every response, error or not, carries the request id and the key's budget: QHttpServer
    // 6.4 has no hook that covers all paths, so this is the one place that adds them.
    response.setHeader("X-Request-Id", ctx.req.requestId.toLatin1());
    if (response.status >= 400 && response.contentType == "application/json") {
        QJsonObject body = QJsonDocument::fromJson(response.body).object();
        QJsonObject e = body.value(QLatin1String("error")).toObject();
        e.insert(QStringLiteral("requestId"), ctx.req.requestId);
        body.insert(QStringLiteral("error"), e);
        response.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    }
    const SimRateLimiter::Decision rl =
        m_rateLimiter.peek(ctx.key, QDateTime::currentMSecsSinceEpoch());
    response.setHeader("X-RateLimit-Limit", QByteArray::number(rl.limit));
    response.setHeader("X-RateLimit-Remaining", QByteArray::number(rl.remaining));
    response.setHeader("X-RateLimit-Reset", QByteArray::number(rl.resetEpoch));
    reply(response, SimDelivery{m_faults.latencyMs, m_faults.slowBodyMs, false});
}

SimResponse SimApi::dispatch(const Ctx &ctx, bool *async, const SimHttpServer::Reply &reply)
{
    const QString top = ctx.path.value(0);
    if (top == QLatin1String("agents"))
        return agents(ctx);
    if (top == QLatin1String("calls"))
        return calls(ctx, async, reply);
    if (top == QLatin1String("phone-numbers"))
        return numbers(ctx);
    if (top == QLatin1String("knowledge"))
        return knowledge(ctx);
    if (top == QLatin1String("contacts"))
        return contacts(ctx);
    return error(404, QStringLiteral("not_found"), QStringLiteral("No such endpoint"));
}

bool SimApi::jsonBody(const Ctx &ctx, QJsonObject *out, SimResponse *err) const
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(ctx.req.body, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject()) {
        *err = error(400, QStringLiteral("validation_error"),
                     pe.error != QJsonParseError::NoError
                         ? QStringLiteral("Malformed JSON body: %1").arg(pe.errorString())
                         : QStringLiteral("The body must be a JSON object"));
        return false;
    }
    *out = doc.object();
    return true;
}

bool SimApi::pageParams(const Ctx &ctx, int *limit, SimListPos *pos, SimResponse *err) const
{
    *limit = 20;
    if (ctx.req.hasQuery(QStringLiteral("limit"))) {
        bool ok = false;
        *limit = ctx.req.queryValue(QStringLiteral("limit")).toInt(&ok);
        if (!ok || *limit < 1 || *limit > 100) {
            *err = error(400, QStringLiteral("validation_error"),
                         QStringLiteral("limit must be an integer from 1 to 100"),
                         QStringLiteral("limit"));
            return false;
        }
    }
    const QString cursor = ctx.req.queryValue(QStringLiteral("cursor"));
    if (ctx.req.hasQuery(QStringLiteral("cursor"))) {
        if (!SimJson::decodeCursor(cursor, &pos->createdAt, &pos->id)) {
            *err = error(400, QStringLiteral("validation_error"),
                         QStringLiteral("cursor is not a cursor this server issued"),
                         QStringLiteral("cursor"));
            return false;
        }
        pos->valid = true;
    }
    return true;
}

SimResponse SimApi::page(const QList<QJsonObject> &items, const QString &nextCursor)
{
    QJsonArray data;
    for (const QJsonObject &o : items)
        data.append(o);
    return json(200, QJsonObject{{QStringLiteral("data"), data},
                                 {QStringLiteral("nextCursor"),
                                  nextCursor.isEmpty() ? QJsonValue() : QJsonValue(nextCursor)}});
}

std::optional<SimObject> SimApi::owned(const Ctx &ctx, const QString &kind, const QString &id,
                                       SimResponse *err) const
{
    const std::optional<SimObject> o = m_store->object(kind, id);
    if (!o) {
        *err = error(404, QStringLiteral("not_found"),
                     QStringLiteral("No %1 with id %2").arg(kind, id));
        return std::nullopt;
    }
    if (o->org != ctx.org) {
        *err = error(403, QStringLiteral("forbidden"),
                     QStringLiteral("This %1 belongs to another organization").arg(kind));
        return std::nullopt;
    }
    return o;
}

SimResponse SimApi::objectResponse(int status, const SimObject &object)
{
    SimResponse r = json(status, object.data);
    r.setHeader("ETag", SimJson::etag(object.id, object.version));
    return r;
}

bool SimApi::ifMatchOk(const Ctx &ctx, const SimObject &object, SimResponse *err)
{
    const QByteArray ifMatch = ctx.req.header("If-Match").trimmed();
    if (ifMatch.isEmpty() || ifMatch == "*")
        return true;
    const QByteArray current = SimJson::etag(object.id, object.version);
    // Accept a weak form of our tag too (W/"..."), as proxies may add it.
    const QList<QByteArray> tags = ifMatch.split(',');
    for (QByteArray t : tags) {
        t = t.trimmed();
        if (t.startsWith("W/"))
            t = t.mid(2);
        if (t == current)
            return true;
    }
    *err = error(412, QStringLiteral("precondition_failed"),
                 QStringLiteral("The object changed since it was read (If-Match does not match)"),
                 {}, QJsonObject{{QStringLiteral("current"), object.data}});
    err->setHeader("ETag", current);
    return false;
}

SimResponse SimApi::listObjects(const Ctx &ctx, const QString &kind, const QString &parent,
                                const SimObjectFilter &filter)
{
    int limit = 20;
    SimListPos pos;
    SimResponse err;
    if (!pageParams(ctx, &limit, &pos, &err))
        return err;
    QList<SimObject> rows = m_store->listObjects(kind, ctx.org, parent, filter, pos, limit + 1);
    QString next;
    if (rows.size() > limit) {
        rows.resize(limit);
        next = SimJson::encodeCursor(rows.last().createdAt, rows.last().id);
    }
    QList<QJsonObject> items;
    for (const SimObject &o : rows)
        items.append(o.data);
    return page(items, next);
}

QString SimApi::newId(const QString &prefix)
{
    // Unseeded on purpose: created objects must not collide with seeded ones across restarts
    // that reuse a --data directory.
    return SimJson::makeId(prefix, QRandomGenerator::global()->generate64() ^ ++m_idCounter);
}
