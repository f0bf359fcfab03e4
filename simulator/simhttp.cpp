#include "simhttp.h"

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QLoggingCategory>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <memory>

Q_LOGGING_CATEGORY(lcSimHttp, "switchboard.sim.http")

QByteArray SimRequest::header(const QByteArray &name) const
{
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

QString SimRequest::queryValue(const QString &key) const
{
    return query.queryItemValue(key, QUrl::FullyDecoded);
}

void SimResponse::setHeader(const QByteArray &name, const QByteArray &value)
{
    for (auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0) {
            h.second = value;
            return;
        }
    }
    headers.append({name, value});
}

QByteArray SimResponse::header(const QByteArray &name) const
{
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

SimHttpServer::SimHttpServer(QObject *parent)
    : QAbstractHttpServer(parent)
{}

static QByteArray methodName(QHttpServerRequest::Method m)
{
    switch (m) {
    case QHttpServerRequest::Method::Get:
        return "GET";
    case QHttpServerRequest::Method::Put:
        return "PUT";
    case QHttpServerRequest::Method::Delete:
        return "DELETE";
    case QHttpServerRequest::Method::Post:
        return "POST";
    case QHttpServerRequest::Method::Head:
        return "HEAD";
    case QHttpServerRequest::Method::Options:
        return "OPTIONS";
    case QHttpServerRequest::Method::Patch:
        return "PATCH";
    default:
        return "OTHER";
    }
}

namespace {

// Writes one response; the socket is guarded because 6.4's responder keeps a raw pointer and
// crashes when a late (async, delayed or trickled) answer meets a client that has gone.
struct Writer
{
    std::shared_ptr<QHttpServerResponder> responder;
    QPointer<QTcpSocket> socket;

    bool alive() const { return socket && socket->state() == QAbstractSocket::ConnectedState; }

    void writeHead(const SimResponse &r)
    {
        responder->writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(r.status));
        if (!r.contentType.isEmpty())
            responder->writeHeader("Content-Type", r.contentType);
        for (const auto &h : r.headers)
            responder->writeHeader(h.first, h.second);
        responder->writeHeader("Content-Length", QByteArray::number(r.body.size()));
    }
};

void trickle(Writer w, QByteArray rest, int chunkCount, int intervalMs)
{
    if (!w.alive())
        return;
    if (chunkCount <= 1 || rest.isEmpty()) {
        w.responder->writeBody(rest);
        return;
    }
    const qsizetype n = rest.size() / chunkCount;
    w.responder->writeBody(rest.left(n));
    QTimer::singleShot(intervalMs, w.socket, [w, rest = rest.mid(n), chunkCount, intervalMs] {
        trickle(w, rest, chunkCount - 1, intervalMs);
    });
}

void deliver(Writer w, const SimResponse &r, const SimDelivery &d)
{
    if (!w.alive())
        return;
    if (d.drop) {
        w.socket->abort();
        return;
    }
    w.writeHead(r);
    if (d.slowBodyMs <= 0 || r.body.size() < 2) {
        w.responder->writeBody(r.body);
        return;
    }
    const int chunks = int(qMin<qsizetype>(10, r.body.size()));
    trickle(w, r.body, chunks, qMax(1, d.slowBodyMs / chunks));
}

} // namespace

// Path and query of a request target, split before decoding so that an id with %2F stays one
// segment.
static void setTarget(SimRequest *req, const QUrl &url)
{
    req->rawPath = url.path(QUrl::FullyEncoded);
    const QStringList parts = req->rawPath.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    for (const QString &p : parts)
        req->segments.append(QUrl::fromPercentEncoding(p.toUtf8()));
    req->query = QUrlQuery(url);
}

QString SimHttpServer::nextRequestId()
{
    return QStringLiteral("req_%1").arg(++m_requestCounter, 8, 16, QLatin1Char('0'));
}

bool SimHttpServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    // A WebSocket upgrade reaches this only when a slot is connected to newWebSocketConnection;
    // returning true without writing lets QAbstractHttpServer take the socket away from HTTP
    // (the body-size guard stopped watching it at the Upgrade header) and finish the handshake.
    const QList<QPair<QByteArray, QByteArray>> headers = request.headers();
    for (const auto &h : headers) {
        if (h.first.compare("Upgrade", Qt::CaseInsensitive) == 0 &&
            h.second.trimmed().compare("websocket", Qt::CaseInsensitive) == 0) {
            const auto path = m_webSocketPaths.constFind(request.url().path());
            if (path == m_webSocketPaths.constEnd())
                return false;
            if (!*path)
                return true;
            SimRequest req;
            req.method = methodName(request.method());
            setTarget(&req, request.url());
            req.query = request.query();
            req.headers = headers;
            req.remote = request.remoteAddress();
            const int status = (*path)(req);
            if (status == 0)
                return true;
            // Refused: Qt calls missingHandler() and closes the connection after this.
            QHttpServerResponder responder = makeResponder(request, socket);
            responder.write(QByteArray(), {{"Connection", "close"}},
                            QHttpServerResponder::StatusCode(status));
            m_upgradeRefused = true;
            return false;
        }
    }
    // The responder writes the status line, headers and body separately; with Nagle's
    // algorithm on, a keep-alive client waits for the delayed ACK (~40 ms) on every answer.
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    SimRequest req;
    req.method = methodName(request.method());
    setTarget(&req, request.url());
    req.query = request.query();
    req.headers = request.headers();
    req.body = request.body();
    req.remote = request.remoteAddress();
    req.requestId = nextRequestId();

    Writer w{std::make_shared<QHttpServerResponder>(makeResponder(request, socket)), socket};
    Reply reply = [w](const SimResponse &r, const SimDelivery &d) {
        if (!w.alive())
            return;
        if (d.delayMs > 0 && !d.drop) {
            QTimer::singleShot(d.delayMs, w.socket, [w, r, d] { deliver(w, r, d); });
        } else {
            deliver(w, r, d);
        }
    };
    if (m_handler) {
        m_handler(req, std::move(reply));
    } else {
        SimResponse r;
        r.status = 503;
        reply(r, {});
    }
    return true;
}

// ---- Body-size guard -----------------------------------------------------------------------

//! Accepts connections like QTcpServer, but lets SimHttpServer watch each socket before
//! QAbstractHttpServer connects to it (so the guard's readyRead slot runs first).
class SimGuardedTcpServer : public QTcpServer
{
public:
    explicit SimGuardedTcpServer(SimHttpServer *http)
        : QTcpServer(http)
        , m_http(http)
    {}

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *socket = new QTcpSocket(this);
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            return;
        }
        m_http->guard(socket);
        addPendingConnection(socket);
    }

private:
    SimHttpServer *m_http;
};

//! Where the guard is in a connection's byte stream.
struct SimHttpServer::Framing
{
    QByteArray head;     // header bytes of the request being received
    qint64 bodyLeft = 0; // body bytes of the current request still to come
    bool off = false;    // stopped watching (chunked, upgrade, unparseable)
};

quint16 SimHttpServer::listenOn(const QHostAddress &address, quint16 port)
{
    auto *server = new SimGuardedTcpServer(this);
    if (!server->listen(address, port)) {
        delete server;
        return 0;
    }
    bind(server);
    return server->serverPort();
}

QTcpSocket *SimHttpServer::connectionFrom(const QHostAddress &peer, quint16 peerPort) const
{
    const auto sockets = findChildren<QTcpSocket *>();
    for (QTcpSocket *socket : sockets) {
        if (socket->peerPort() == peerPort && socket->peerAddress().isEqual(peer))
            return socket;
    }
    return nullptr;
}

void SimHttpServer::guard(QTcpSocket *socket)
{
    auto framing = std::make_shared<Framing>();
    connect(socket, &QIODevice::readyRead, socket,
            [this, socket, framing] { inspect(socket, *framing); });
}

static constexpr qsizetype kMaxHeadBytes = 64 * 1024;

void SimHttpServer::inspect(QTcpSocket *socket, Framing &f)
{
    if (f.off)
        return;
    // Only peek: QAbstractHttpServer reads the same bytes after this slot. It reads all there
    // is on every readyRead, so what is available now is what arrived since the last call.
    const QByteArray data = socket->peek(socket->bytesAvailable());
    qsizetype pos = 0;
    while (pos < data.size()) {
        if (f.bodyLeft > 0) {
            const qint64 n = qMin<qint64>(f.bodyLeft, data.size() - pos);
            f.bodyLeft -= n;
            pos += qsizetype(n);
            continue;
        }
        const qsizetype before = f.head.size();
        f.head.append(data.constData() + pos, data.size() - pos);
        const qsizetype end = f.head.indexOf("\r\n\r\n", qMax<qsizetype>(0, before - 3));
        if (end < 0) {
            if (f.head.size() > kMaxHeadBytes)
                f.off = true; // not HTTP we understand: leave it to Qt's parser
            return;
        }
        pos += end + 4 - before;
        QByteArray head = f.head.left(end + 4);
        f.head.clear();
        while (head.startsWith("\r\n")) // empty lines before a request line are allowed
            head.remove(0, 2);
        if (head.isEmpty())
            continue;
        qint64 length = 0;
        const QList<QByteArray> lines = head.split('\n');
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray &line = lines.at(i);
            const qsizetype colon = line.indexOf(':');
            if (colon < 0)
                continue;
            const QByteArray name = line.left(colon).trimmed().toLower();
            const QByteArray value = line.mid(colon + 1).trimmed();
            if (name == "content-length") {
                bool ok = false;
                length = value.toLongLong(&ok);
                if (!ok || length < 0) {
                    f.off = true;
                    return;
                }
            } else if (name == "transfer-encoding" || name == "upgrade") {
                f.off = true; // no length up front / another protocol follows
                return;
            }
        }
        if (length > m_maxBodyBytes) {
            f.off = true;
            refuse(socket, head);
            return;
        }
        f.bodyLeft = length;
    }
}

static QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 413:
        return "Content Too Large";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return "Status";
    }
}

void SimHttpServer::refuse(QTcpSocket *socket, const QByteArray &head)
{
    // Take the connection away from QAbstractHttpServer (its slot, connected after ours, is
    // not called in this emission once disconnected) and discard whatever the client sends.
    disconnect(socket, &QIODevice::readyRead, nullptr, nullptr);
    if (socket->isTransactionStarted())
        socket->commitTransaction();
    socket->readAll();
    connect(socket, &QIODevice::readyRead, socket, [socket] { socket->readAll(); });

    SimRequest req;
    const QList<QByteArray> lines = head.split('\n');
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    req.method = requestLine.value(0).toUpper();
    setTarget(&req, QUrl(QString::fromLatin1(requestLine.value(1))));
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines.at(i).indexOf(':');
        if (colon > 0)
            req.headers.append(
                {lines.at(i).left(colon).trimmed(), lines.at(i).mid(colon + 1).trimmed()});
    }
    req.remote = socket->peerAddress();
    req.requestId = nextRequestId();
    req.bodyTooLarge = true;
    qCInfo(lcSimHttp) << "refusing" << req.method << req.rawPath << "before reading its body";

    const QPointer<QTcpSocket> guarded(socket);
    Reply reply = [guarded](const SimResponse &r, const SimDelivery &d) {
        const auto write = [guarded, r, drop = d.drop] {
            if (!guarded || guarded->state() != QAbstractSocket::ConnectedState)
                return;
            if (drop) {
                guarded->abort();
                return;
            }
            QByteArray out =
                "HTTP/1.1 " + QByteArray::number(r.status) + ' ' + reasonPhrase(r.status) + "\r\n";
            if (!r.contentType.isEmpty())
                out += "Content-Type: " + r.contentType + "\r\n";
            for (const auto &h : r.headers)
                out += h.first + ": " + h.second + "\r\n";
            out += "Content-Length: " + QByteArray::number(r.body.size()) +
                   "\r\nConnection: close\r\n\r\n" + r.body;
            guarded->write(out);
            // Closing at once, with the client still sending, would reset the connection and
            // may destroy the answer before it is read: keep draining, and close once the
            // client had time to read it (it normally closes first, as asked).
            QTimer::singleShot(10000, guarded.data(), [guarded] {
                if (guarded)
                    guarded->disconnectFromHost();
            });
        };
        if (d.delayMs > 0 && !d.drop && guarded)
            QTimer::singleShot(d.delayMs, guarded.data(), write);
        else
            write();
    };
    if (m_handler) {
        m_handler(req, std::move(reply));
    } else {
        SimResponse r;
        r.status = 503;
        reply(r, {});
    }
}

void SimHttpServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    if (m_upgradeRefused) {
        m_upgradeRefused = false; // already answered by handleRequest()
        return;
    }
    // handleRequest() accepts everything else, so this is only reached if Qt changes its mind.
    qCWarning(lcSimHttp) << "unhandled request" << request.url().path();
    makeResponder(request, socket).write(QHttpServerResponder::StatusCode::NotFound);
}
