#pragma once

#include <QAbstractHttpServer>
#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrlQuery>

#include <functional>

//! One HTTP request, copied out of QHttpServerRequest so it can outlive the connection.
struct SimRequest
{
    QByteArray method;    // upper case: GET, POST, ...
    QString rawPath;      // still percent-encoded, e.g. /v1/agents/agent_x
    QStringList segments; // decoded path segments, empty ones dropped
    QUrlQuery query;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QHostAddress remote;
    QString requestId;
    //! The headers announced a body over SimHttpServer::maxBodyBytes(): it was not read (body
    //! is empty) and the connection closes after the answer. The handler should answer 413.
    bool bodyTooLarge = false;

    QByteArray header(const QByteArray &name) const;
    QString queryValue(const QString &key) const;
    bool hasQuery(const QString &key) const { return query.hasQueryItem(key); }
};

//! One HTTP response as the simulator builds it; SimHttpServer writes it to the socket.
struct SimResponse
{
    int status = 200;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QByteArray contentType;

    void setHeader(const QByteArray &name, const QByteArray &value);
    QByteArray header(const QByteArray &name) const;
};

//! How to deliver a response: delays, trickling and dropping come from fault injection.
struct SimDelivery
{
    int delayMs = 0;
    int slowBodyMs = 0;
    bool drop = false;
};

//! QAbstractHttpServer that hands every request to one handler, bypassing the 6.4 router
//! (which answers 404 for a wrong method and cannot route %2F).
//!
//! QHttpServer 6.4 reads a whole request body into memory before handleRequest() and has no
//! size limit. listenOn() therefore accepts connections itself and watches each socket's bytes
//! ahead of QAbstractHttpServer (peek only, following Content-Length framing across keep-alive
//! requests): a request whose Content-Length exceeds maxBodyBytes() is taken away from Qt as
//! soon as its headers are in, handed to the handler with bodyTooLarge set, answered with
//! "Connection: close", and what the client still sends is discarded. Not covered: chunked
//! bodies (no length up front; the guard stops watching that connection and the handler's own
//! checks apply once Qt has read it all) and connections bound with plain listen()/bind().
class SimHttpServer : public QAbstractHttpServer
{
    Q_OBJECT
public:
    using Reply = std::function<void(const SimResponse &, const SimDelivery &)>;
    using Handler = std::function<void(const SimRequest &, Reply)>;

    //! Largest request body accepted: a 50 MB upload plus multipart overhead.
    static constexpr qint64 kDefaultMaxBodyBytes = 51LL * 1024 * 1024;

    explicit SimHttpServer(QObject *parent = nullptr);

    void setHandler(Handler handler) { m_handler = std::move(handler); }
    void setMaxBodyBytes(qint64 bytes) { m_maxBodyBytes = bytes; }
    qint64 maxBodyBytes() const { return m_maxBodyBytes; }

    //! Decides an upgrade before it happens: 0 accepts, otherwise the HTTP status to answer.
    using UpgradeGate = std::function<int(const SimRequest &)>;
    //! WebSocket upgrades to this path (e.g. /v1/stream) are accepted (when `gate`, if given,
    //! says 0): Qt 6.4 then hands the socket to its own QWebSocketServer and emits
    //! newWebSocketConnection(); the receiver tells the paths apart by QWebSocket::requestUrl().
    //! Upgrades to any other path answer 404.
    void addWebSocketPath(const QString &path, UpgradeGate gate = {})
    {
        m_webSocketPaths.insert(path, std::move(gate));
    }
    void setWebSocketPath(const QString &path) { addWebSocketPath(path); }

    //! Listens with the body-size guard; returns the port, 0 on failure.
    quint16 listenOn(const QHostAddress &address, quint16 port);
    //! The accepted connection from \a peer:\a peerPort, or null (also after an upgrade).
    QTcpSocket *connectionFrom(const QHostAddress &peer, quint16 peerPort) const;

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    friend class SimGuardedTcpServer;
    struct Framing;
    void guard(QTcpSocket *socket);
    void inspect(QTcpSocket *socket, Framing &framing);
    void refuse(QTcpSocket *socket, const QByteArray &head);
    QString nextRequestId();

    Handler m_handler;
    QHash<QString, UpgradeGate> m_webSocketPaths;
    bool m_upgradeRefused = false; // handleRequest() answered a refused upgrade itself
    quint64 m_requestCounter = 0;
    qint64 m_maxBodyBytes = kDefaultMaxBodyBytes;
};
