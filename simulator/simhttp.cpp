#include "simhttp.h"

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QLoggingCategory>
#include <QPointer>
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

bool SimHttpServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    // The responder writes the status line, headers and body separately; with Nagle's
    // algorithm on, a keep-alive client waits for the delayed ACK (~40 ms) on every answer.
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    SimRequest req;
    req.method = methodName(request.method());
    const QUrl url = request.url();
    req.rawPath = url.path(QUrl::FullyEncoded);
    // Split before decoding so that an id with %2F stays one segment.
    const QStringList parts = req.rawPath.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    for (const QString &p : parts)
        req.segments.append(QUrl::fromPercentEncoding(p.toUtf8()));
    req.query = request.query();
    req.headers = request.headers();
    req.body = request.body();
    req.remote = request.remoteAddress();
    req.requestId = QStringLiteral("req_%1").arg(++m_requestCounter, 8, 16, QLatin1Char('0'));

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

void SimHttpServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    // handleRequest() accepts everything, so this is only reached if Qt changes its mind.
    qCWarning(lcSimHttp) << "unhandled request" << request.url().path();
    makeResponder(request, socket).write(QHttpServerResponder::StatusCode::NotFound);
}
