// SimSignalRHub's HTTP side: negotiate, the upgrade check and the admin endpoint.

#include "simsignalr.h"

#include "simspeaknodejson.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>

namespace {

const QString kHubPath = QStringLiteral("/hubs/notifications");

// Random URL-safe text for connection ids and tokens (not secrets of any weight: the access
// token is what authorizes, the connection token only pairs the socket with its negotiate).
QString randomId(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    QRandomGenerator *rng = QRandomGenerator::system();
    for (char &c : raw)
        c = char(rng->bounded(256));
    return QString::fromLatin1(
        raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

SimResponse jsonResponse(int status, const QJsonObject &body, const QByteArray &type)
{
    SimResponse r;
    r.status = status;
    r.contentType = type;
    r.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return r;
}

SimResponse problemResponse(const SimRequest &request, int status, const QString &detail)
{
    SimResponse r =
        jsonResponse(status, SimSpeakNodeJson::problem(status, detail, request.requestId),
                     QByteArrayLiteral("application/problem+json"));
    if (status == 401)
        r.setHeader("WWW-Authenticate", QByteArrayLiteral("Bearer error=\"invalid_token\""));
    return r;
}

} // namespace

bool SimSignalRHub::handles(const SimRequest &r)
{
    return r.rawPath == kHubPath || r.rawPath.startsWith(kHubPath + QLatin1Char('/')) ||
           r.rawPath.startsWith(QLatin1String("/_sim/signalr/"));
}

QString SimSignalRHub::tokenOf(const SimRequest &r) const
{
    const QByteArray auth = r.header("Authorization");
    if (auth.size() > 7 && auth.left(7).compare("Bearer ", Qt::CaseInsensitive) == 0)
        return QString::fromLatin1(auth.mid(7).trimmed());
    return r.queryValue(QStringLiteral("access_token"));
}

void SimSignalRHub::handle(const SimRequest &r, const SimHttpServer::Reply &reply)
{
    if (r.rawPath.startsWith(QLatin1String("/_sim/signalr/"))) {
        if (r.method != "POST")
            return reply(problemResponse(r, 405, QStringLiteral("POST only")), {});
        if (r.rawPath == QLatin1String("/_sim/signalr/close")) {
            const QJsonObject body = QJsonDocument::fromJson(r.body).object();
            const int n = closeAll(body.value(QStringLiteral("error"))
                                       .toString(QStringLiteral("Server closed the connection.")),
                                   body.value(QStringLiteral("allowReconnect")).toBool(true));
            return reply(jsonResponse(200, {{QStringLiteral("closed"), n}}, "application/json"),
                         {});
        }
        return reply(problemResponse(r, 404, QStringLiteral("No such admin endpoint")), {});
    }
    if (r.rawPath == kHubPath + QLatin1String("/negotiate")) {
        if (r.method != "POST")
            return reply(problemResponse(r, 405, QStringLiteral("negotiate takes POST")), {});
        return negotiate(r, reply);
    }
    // A plain GET of the hub path is a WebSocket upgrade without its headers (or long polling,
    // which this hub does not offer).
    return reply(problemResponse(r, 400, QStringLiteral("WebSocket transport required")), {});
}

void SimSignalRHub::negotiate(const SimRequest &r, const SimHttpServer::Reply &reply)
{
    const QString org = orgForToken ? orgForToken(tokenOf(r)) : QString();
    if (org.isEmpty())
        return reply(problemResponse(r, 401, QStringLiteral("A valid access token is required")),
                     {});
    // negotiateVersion 0 (old clients) pairs the socket by connectionId; 1 by connectionToken.
    const int version = r.queryValue(QStringLiteral("negotiateVersion")).toInt() >= 1 ? 1 : 0;
    Negotiation n;
    n.connectionId = randomId(16);
    n.org = org;
    n.createdMs = QDateTime::currentMSecsSinceEpoch();
    const QString token = version == 1 ? randomId(16) : n.connectionId;
    m_negotiations.insert(token, n);
    QJsonObject body{
        {QStringLiteral("negotiateVersion"), version},
        {QStringLiteral("connectionId"), n.connectionId},
        {QStringLiteral("availableTransports"),
         QJsonArray{QJsonObject{{QStringLiteral("transport"), QStringLiteral("WebSockets")},
                                {QStringLiteral("transferFormats"),
                                 QJsonArray{QStringLiteral("Text"), QStringLiteral("Binary")}}}}}};
    if (version == 1)
        body.insert(QStringLiteral("connectionToken"), token);
    reply(jsonResponse(200, body, "application/json"), {});
}

int SimSignalRHub::upgradeStatus(const SimRequest &r)
{
    if (r.rawPath != kHubPath)
        return 404;
    const QString org = orgForToken ? orgForToken(tokenOf(r)) : QString();
    if (org.isEmpty())
        return 401;
    const auto it = m_negotiations.constFind(r.queryValue(QStringLiteral("id")));
    if (it == m_negotiations.constEnd() || it->org != org)
        return 404; // as ASP.NET answers for an unknown connection
    return 0;
}
