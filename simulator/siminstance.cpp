#include "siminstance.h"

#include "simapi.h"
#include "simhttp.h"
#include "simlive.h"
#include "simrecording.h"
#include "simseed.h"
#include "simsignalr.h"
#include "simspeaknode.h"
#include "simstore.h"
#include "simstream.h"

#include <QDateTime>
#include <QDir>
#include <QHostAddress>
#include <QLoggingCategory>
#include <QWebSocket>

Q_LOGGING_CATEGORY(lcSim, "switchboard.sim")

SimInstance::SimInstance(QObject *parent)
    : QObject(parent)
    , m_store(std::make_unique<SimStore>())
{}

SimInstance::~SimInstance()
{
    // The server goes first so no request reaches a half-destroyed API, then the stream's
    // sockets, then the engine they listen to.
    delete m_http;
    m_http = nullptr;
    delete m_signalr; // before the stream: it restores the engine hook it chained
    m_signalr = nullptr;
    delete m_stream;
    m_stream = nullptr;
    delete m_live;
    m_live = nullptr;
}

const QList<SimOrg> &SimInstance::orgs() const
{
    return m_keys.orgs();
}

bool SimInstance::start(const SimOptions &o, QString *error)
{
    if (!m_store->open(o.dataDir, error))
        return false;
    if (!m_store->hasData()) {
        SimSeedOptions so;
        so.seed = o.seed;
        so.historyCalls = o.historyCalls;
        // Whole hours keep restarts within the hour byte-identical.
        so.nowMs = QDateTime::currentMSecsSinceEpoch() / 3600000 * 3600000;
        const qint64 t0 = QDateTime::currentMSecsSinceEpoch();
        if (!simSeedStore(*m_store, so, error))
            return false;
        qCInfo(lcSim) << "seeded" << o.historyCalls << "calls in"
                      << QDateTime::currentMSecsSinceEpoch() - t0 << "ms";
    }
    const QList<SimOrg> orgs = simSeedOrgs(o.seed);
    for (const SimOrg &org : orgs)
        m_keys.addOrg(org);

    m_recordings = new SimRecordings(
        o.dataDir.isEmpty() ? QString() : QDir(o.dataDir).filePath(QStringLiteral("recordings")),
        this);
    m_recordings->setEspeakProgram(o.espeak);
    m_api = new SimApi(m_store.get(), &m_keys, m_recordings, this);
    m_api->rateLimiter().setLimit(o.rateLimit);
    m_api->faults() = o.faults;
    m_live = new SimLiveEngine(m_store.get(), orgs, o.seed, this);
    m_live->setSpeed(o.speed);
    m_live->setReplayLimit(o.replayLimit);
    m_stream = new SimStreamHub(m_live, &m_keys, m_store.get(), this);
    m_stream->setPingInterval(o.wsPingMs);
    m_stream->setFaults({o.wsDropRate, o.wsStallRate, o.wsMalformedRate});
    m_api->setLive(m_live, m_stream);
    if (o.speaknode) {
        m_speaknode = new SimSpeakNode(m_store.get(), orgs, o.seed, m_recordings,
                                       &m_api->rateLimiter(), &m_api->faults(), this);
        m_speaknode->setLive(m_live);
        m_speaknode->setAudioTtlSeconds(o.speaknodeAudioTtlS);
        m_speaknode->oauth().setAccessTtlSeconds(o.speaknodeTokenTtlS);
        m_signalr = new SimSignalRHub(m_live, m_store.get(), this);
        m_signalr->setPingInterval(o.wsPingMs);
        SimSpeakNode *sn = m_speaknode;
        m_signalr->orgForToken = [sn](const QString &token) { return sn->orgForToken(token); };
        m_signalr->sessionJson = [sn](const SimCallRow &c) { return sn->sessionJson(c); };
    }
    m_http = new SimHttpServer(this);
    if (o.talknex)
        m_http->setWebSocketPath(QStringLiteral("/v1/stream"));
    SimHttpServer *http = m_http;
    SimStreamHub *stream = m_stream;
    stream->connectionOf = [http](const QWebSocket *ws) {
        return http->connectionFrom(ws->peerAddress(), ws->peerPort());
    };
    SimSignalRHub *signalr = m_signalr;
    if (signalr)
        m_http->addWebSocketPath(
            QStringLiteral("/hubs/notifications"),
            [signalr](const SimRequest &r) { return signalr->upgradeStatus(r); });
    // One queue of upgraded sockets for every WebSocket path: the request URL tells them apart.
    connect(m_http, &SimHttpServer::newWebSocketConnection, m_stream, [http, stream, signalr] {
        while (std::unique_ptr<QWebSocket> socket = http->nextPendingWebSocketConnection()) {
            if (signalr && socket->requestUrl().path() == QLatin1String("/hubs/notifications"))
                signalr->accept(socket.release());
            else
                stream->accept(socket.release());
        }
    });
    SimApi *api = m_api;
    SimSpeakNode *speaknode = m_speaknode;
    const bool talknex = o.talknex;
    // One port, both faces over the same store (docs/SIM-INTERFACE.md): SpeakNode under
    // /api/v1, /realms/speaknode, /_media and /_sim/speaknode; Talknex under /v1; the Talknex
    // API answers everything else (its admin endpoints and 404s). A face that is off is 404.
    m_http->setHandler([api, speaknode, signalr, talknex](const SimRequest &r,
                                                          SimHttpServer::Reply reply) {
        const QString top = r.segments.value(0);
        const QString second = r.segments.value(1);
        if (speaknode) {
            if (top == QLatin1String("api") && second == QLatin1String("v1"))
                return speaknode->handleRest(r, reply);
            if (top == QLatin1String("realms") && second == QLatin1String("speaknode"))
                return speaknode->handleRealm(r, reply);
            if (top == QLatin1String("_media"))
                return speaknode->handleMedia(r, reply);
            if (top == QLatin1String("_sim") && second == QLatin1String("speaknode"))
                return speaknode->handleAdmin(r, reply);
            if (signalr && SimSignalRHub::handles(r))
                return signalr->handle(r, reply);
        }
        if (!talknex && top == QLatin1String("v1")) {
            SimResponse nf = SimApi::error(404, QStringLiteral("not_found"),
                                           QStringLiteral("The Talknex face is off (--platform)"));
            nf.setHeader("X-Request-Id", r.requestId.toLatin1());
            return reply(nf, {});
        }
        api->handle(r, reply);
    });
    const QHostAddress address(o.host);
    if (address.isNull()) {
        *error = QStringLiteral("--host %1 is not an IP address").arg(o.host);
        return false;
    }
    m_port = m_http->listenOn(address, o.port);
    if (m_port == 0) {
        *error = QStringLiteral("cannot listen on %1:%2").arg(o.host).arg(o.port);
        return false;
    }
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
                             ? QLatin1Char('[') + o.host + QLatin1Char(']')
                             : o.host;
    m_origin = QStringLiteral("http://%1:%2").arg(host).arg(m_port);
    m_baseUrl = m_origin + QStringLiteral("/v1");
    m_api->setBaseUrl(m_baseUrl);
    if (m_speaknode)
        m_speaknode->setOrigin(m_origin);
    m_live->setLiveCalls(o.liveCalls); // after the base URL: call.started carries recordingUrl
    return true;
}
