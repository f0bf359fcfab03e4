#include "fakehttpserver.h"

#include <QTcpSocket>

FakeHttpServer::FakeHttpServer(QObject *parent)
    : QObject(parent)
{
    m_server.listen(QHostAddress::LocalHost, 0);
    connect(&m_server, &QTcpServer::newConnection, this, &FakeHttpServer::onNewConnection);
}

QString FakeHttpServer::baseUrl() const
{
    if (!m_server.isListening())
        return QString();
    return QStringLiteral("http://127.0.0.1:%1/v1").arg(m_server.serverPort());
}

FakeHttpServer::Response FakeHttpServer::json(int status, const QByteArray &body,
                                              QList<QPair<QByteArray, QByteArray>> headers)
{
    Response r;
    r.status = status;
    r.body = body;
    r.headers = std::move(headers);
    r.headers.append({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
    return r;
}

void FakeHttpServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        socket->setParent(this);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            m_buffers.remove(socket);
            socket->deleteLater();
        });
    }
}

void FakeHttpServer::onReadyRead(QTcpSocket *socket)
{
    QByteArray &buffer = m_buffers[socket];
    buffer += socket->readAll();
    for (;;) {
        const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0)
            return;
        const QList<QByteArray> lines = buffer.left(headerEnd).split('\n');
        Received req;
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        req.method = requestLine.value(0);
        req.target = requestLine.value(1);
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines.at(i).indexOf(':');
            if (colon > 0)
                req.headers.insert(lines.at(i).left(colon).trimmed().toLower(),
                                   lines.at(i).mid(colon + 1).trimmed());
        }
        const qsizetype length = req.header("content-length").toLongLong();
        if (buffer.size() < headerEnd + 4 + length)
            return;
        req.body = buffer.mid(headerEnd + 4, length);
        buffer.remove(0, headerEnd + 4 + length);
        m_received.append(req);
        Response response;
        if (!m_script.isEmpty())
            response = m_script.takeFirst();
        else if (m_handler)
            response = m_handler(req);
        else
            response = json(500, QByteArrayLiteral("{\"error\":{\"code\":\"internal_error\","
                                                   "\"message\":\"no scripted response\"}}"));
        Q_EMIT requestReceived();
        answer(socket, response);
        if (socket->state() != QAbstractSocket::ConnectedState)
            return;
    }
}

void FakeHttpServer::answer(QTcpSocket *socket, const Response &response)
{
    using Mode = Response::Mode;
    if (response.mode == Mode::NoAnswer)
        return;
    if (response.mode == Mode::Close) {
        socket->disconnectFromHost();
        return;
    }
    QByteArray out = "HTTP/1.1 " + QByteArray::number(response.status) + " Scripted\r\n";
    for (const auto &h : response.headers)
        out += h.first + ": " + h.second + "\r\n";
    qint64 announced = response.body.size();
    if (response.mode == Mode::TruncatedBody)
        announced = response.announcedLength >= 0 ? response.announcedLength : announced + 100;
    out += "Content-Length: " + QByteArray::number(announced) + "\r\n\r\n";
    out += response.body;
    socket->write(out);
    if (response.mode == Mode::TruncatedBody) {
        socket->flush();
        socket->disconnectFromHost();
    }
}
