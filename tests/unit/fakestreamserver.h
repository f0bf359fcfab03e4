#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPointer>
#include <QTcpServer>
#include <QUrl>
#include <QWebSocketServer>

#include <functional>

class QTcpSocket;
class QWebSocket;

//! Scripted live-stream server on 127.0.0.1 for unit tests: records every client message and the
//! handshake's Authorization header per connection, and sends, aborts or closes on demand.
class FakeStreamServer : public QObject
{
    Q_OBJECT
public:
    struct Connection
    {
        QPointer<QWebSocket> socket;
        QByteArray authorization;
        QList<QJsonObject> messages;
    };
    //! Runs for each new connection before anything else (e.g. close it with 4001).
    using OnConnect = std::function<void(QWebSocket *)>;

    explicit FakeStreamServer(QObject *parent = nullptr);
    ~FakeStreamServer() override;

    //! ws://127.0.0.1:<port>/v1/stream
    QUrl url() const;
    void setOnConnect(OnConnect fn) { m_onConnect = std::move(fn); }

    int connectionCount() const { return static_cast<int>(m_connections.size()); }
    const Connection &connection(int i) const { return m_connections.at(i); }
    //! Messages of connection `i` with "type":"subscribe".
    QList<QJsonObject> subscribes(int i) const;

    //! To the newest connection.
    void sendText(const QString &text);
    void sendJson(const QJsonObject &object);
    //! Drops the newest connection without a close frame.
    void abortClient();
    void closeClient(int code, const QString &reason = QString());

Q_SIGNALS:
    void messageReceived();

private:
    void onNewConnection();

    QWebSocketServer m_server;
    QList<Connection> m_connections;
    OnConnect m_onConnect;
};

//! A WebSocket server that completes the handshake and then never sends a byte: no frames,
//! no pongs. What a stalled server or a half-open TCP connection looks like to the client.
class SilentStreamServer : public QObject
{
    Q_OBJECT
public:
    explicit SilentStreamServer(QObject *parent = nullptr);
    QUrl url() const;
    int handshakeCount() const { return m_handshakes; }

private:
    void onReadyRead(QTcpSocket *socket);

    QTcpServer m_server;
    int m_handshakes = 0;
};
