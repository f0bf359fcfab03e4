#include "siminstance.h"

#include "simapi.h"
#include "simhttp.h"
#include "simlive.h"
#include "simrecording.h"
#include "simseed.h"
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
    m_http = new SimHttpServer(this);
    m_http->setWebSocketPath(QStringLiteral("/v1/stream"));
    SimHttpServer *http = m_http;
    SimStreamHub *stream = m_stream;
    stream->connectionOf = [http](const QWebSocket *ws) {
        return http->connectionFrom(ws->peerAddress(), ws->peerPort());
    };
    connect(m_http, &SimHttpServer::newWebSocketConnection, m_stream, [http, stream] {
        while (std::unique_ptr<QWebSocket> socket = http->nextPendingWebSocketConnection())
            stream->accept(socket.release());
    });
    SimApi *api = m_api;
    m_http->setHandler(
        [api](const SimRequest &r, SimHttpServer::Reply reply) { api->handle(r, reply); });
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
    m_baseUrl = QStringLiteral("http://%1:%2/v1").arg(host).arg(m_port);
    m_api->setBaseUrl(m_baseUrl);
    m_live->setLiveCalls(o.liveCalls); // after the base URL: call.started carries recordingUrl
    return true;
}
