#include "fakestreamserver.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QTcpSocket>
#include <QWebSocket>

FakeStreamServer::FakeStreamServer(QObject *parent)
    : QObject(parent)
    , m_server(QStringLiteral("fake-stream"), QWebSocketServer::NonSecureMode)
{
    m_server.listen(QHostAddress::LocalHost, 0);
    connect(&m_server, &QWebSocketServer::newConnection, this, &FakeStreamServer::onNewConnection);
}

FakeStreamServer::~FakeStreamServer()
{
    // Server-side sockets are children of the server and signal while it is destroyed
    // (toolchain.md §6.2): detach from them first.
    // QWebSocketServer 6.4 does not delete the sockets it handed out: we own them.
    for (const Connection &c : std::as_const(m_connections)) {
        if (c.socket) {
            c.socket->disconnect(this);
            delete c.socket.data();
        }
    }
    m_server.disconnect(this);
    m_server.close();
}

QUrl FakeStreamServer::url() const
{
    return QUrl(QStringLiteral("ws://127.0.0.1:%1/v1/stream").arg(m_server.serverPort()));
}

QList<QJsonObject> FakeStreamServer::subscribes(int i) const
{
    QList<QJsonObject> out;
    for (const QJsonObject &m : m_connections.at(i).messages) {
        if (m.value(QStringLiteral("type")).toString() == QLatin1String("subscribe"))
            out.append(m);
    }
    return out;
}

void FakeStreamServer::onNewConnection()
{
    while (QWebSocket *socket = m_server.nextPendingConnection()) {
        const int index = static_cast<int>(m_connections.size());
        m_connections.append(Connection{socket, socket->request().rawHeader("Authorization"), {}});
        connect(socket, &QWebSocket::textMessageReceived, this, [this, index](const QString &text) {
            m_connections[index].messages.append(QJsonDocument::fromJson(text.toUtf8()).object());
            Q_EMIT messageReceived();
        });
        if (m_onConnect)
            m_onConnect(socket);
    }
}

void FakeStreamServer::sendText(const QString &text)
{
    if (!m_connections.isEmpty() && m_connections.last().socket)
        m_connections.last().socket->sendTextMessage(text);
}

void FakeStreamServer::sendJson(const QJsonObject &object)
{
    sendText(QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)));
}

void FakeStreamServer::abortClient()
{
    if (!m_connections.isEmpty() && m_connections.last().socket)
        m_connections.last().socket->abort();
}

void FakeStreamServer::closeClient(int code, const QString &reason)
{
    if (!m_connections.isEmpty() && m_connections.last().socket)
        m_connections.last().socket->close(static_cast<QWebSocketProtocol::CloseCode>(code),
                                           reason);
}

SilentStreamServer::SilentStreamServer(QObject *parent)
    : QObject(parent)
{
    m_server.listen(QHostAddress::LocalHost, 0);
    connect(&m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            socket->setParent(this);
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        }
    });
}

QUrl SilentStreamServer::url() const
{
    return QUrl(QStringLiteral("ws://127.0.0.1:%1/v1/stream").arg(m_server.serverPort()));
}

void SilentStreamServer::onReadyRead(QTcpSocket *socket)
{
    if (socket->property("upgraded").toBool()) {
        socket->readAll(); // pings and everything else: swallowed, never answered
        return;
    }
    QByteArray buffer = socket->property("buffer").toByteArray() + socket->readAll();
    socket->setProperty("buffer", buffer);
    if (!buffer.contains("\r\n\r\n"))
        return;
    QByteArray key;
    for (const QByteArray &line : buffer.split('\n')) {
        const QByteArray trimmed = line.trimmed();
        if (trimmed.toLower().startsWith("sec-websocket-key:"))
            key = trimmed.mid(trimmed.indexOf(':') + 1).trimmed();
    }
    const QByteArray accept =
        QCryptographicHash::hash(QByteArray(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"),
                                 QCryptographicHash::Sha1)
            .toBase64();
    const QByteArray answer = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                              "Connection: Upgrade\r\nSec-WebSocket-Accept: " +
                              accept + "\r\n\r\n";
    socket->write(answer);
    socket->setProperty("upgraded", true);
    ++m_handshakes;
}
