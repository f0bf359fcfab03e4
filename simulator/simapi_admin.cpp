// /_sim/...: the simulator's own control endpoints (docs/SIM-INTERFACE.md), loopback only.
#include "simapi.h"
#include "simstream.h"

#include <QJsonDocument>

void SimApi::handleAdmin(const SimRequest &req, const SimHttpServer::Reply &reply)
{
    Ctx ctx;
    ctx.req = req;
    const auto send = [&](SimResponse r) {
        r.setHeader("X-Request-Id", req.requestId.toLatin1());
        reply(r, {});
    };
    if (!req.remote.isLoopback()) {
        send(error(403, QStringLiteral("forbidden"), QStringLiteral("Admin is loopback only")));
        return;
    }
    const QString what = req.segments.mid(1).join(QLatin1Char('/'));
    SimResponse err;
    QJsonObject in;
    if (what == QLatin1String("stats")) {
        if (req.method != "GET")
            return send(methodNotAllowed(ctx, "GET"));
        QJsonObject byKey;
        for (auto it = m_byKey.begin(); it != m_byKey.end(); ++it)
            byKey.insert(it.key(), it.value());
        QJsonObject stats = liveStats();
        stats.insert(QStringLiteral("requests"), m_requests);
        stats.insert(QStringLiteral("byKey"), byKey);
        stats.insert(QStringLiteral("calls"), m_store->callCount());
        stats.insert(QStringLiteral("rateLimited"), m_rateLimited);
        return send(json(200, stats));
    }
    const bool live = what == QLatin1String("live") || what == QLatin1String("stream/faults");
    if (what != QLatin1String("keys/revoke") && what != QLatin1String("faults") &&
        what != QLatin1String("rate-limit") && !live) {
        return send(error(404, QStringLiteral("not_found"), QStringLiteral("No such endpoint")));
    }
    if (req.method != "POST")
        return send(methodNotAllowed(ctx, "POST"));
    if (req.bodyTooLarge)
        return send(error(413, QStringLiteral("validation_error"),
                          QStringLiteral("The request body is too large")));
    if (!jsonBody(ctx, &in, &err))
        return send(err);
    if (live)
        return send(liveAdmin(what, in));
    if (what == QLatin1String("keys/revoke")) {
        const QString key = in.value(QLatin1String("key")).toString();
        if (!m_keys->revoke(key))
            return send(error(404, QStringLiteral("not_found"), QStringLiteral("Unknown key"),
                              QStringLiteral("key")));
        if (m_stream)
            m_stream->revoked(key);
        return send(noContent());
    }
    if (what == QLatin1String("faults")) {
        QString why;
        if (!m_faults.replaceFromJson(in, &why))
            return send(error(400, QStringLiteral("validation_error"), why));
        return send(noContent());
    }
    const int limit = in.value(QLatin1String("limit")).toInt(-1);
    if (limit < 1)
        return send(error(400, QStringLiteral("validation_error"),
                          QStringLiteral("limit must be a positive integer"),
                          QStringLiteral("limit")));
    m_rateLimiter.setLimit(limit);
    send(noContent());
}
