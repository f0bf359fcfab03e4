#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QPair>
#include <QTcpServer>

#include <functional>

class QTcpSocket;

//! Scripted HTTP/1.1 server on 127.0.0.1 for unit tests: records each request and answers
//! from a queue of canned responses (or a handler), including broken answers.
class FakeHttpServer : public QObject
{
    Q_OBJECT
public:
    struct Received
    {
        QByteArray method;
        QByteArray target;                     //!< path with query, as sent
        QHash<QByteArray, QByteArray> headers; //!< lower-case names
        QByteArray body;
        QByteArray header(const char *name) const { return headers.value(QByteArray(name)); }
    };
    struct Response
    {
        enum class Mode {
            Normal,
            NoAnswer,      //!< read the request, never answer
            TruncatedBody, //!< announce more bytes than sent, then close
            Close,         //!< close the connection without an answer
        };
        int status = 200;
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray body;
        Mode mode = Mode::Normal;
        qint64 announcedLength = -1; //!< TruncatedBody: Content-Length sent (default +100)
    };
    using Handler = std::function<Response(const Received &)>;

    explicit FakeHttpServer(QObject *parent = nullptr);
    //! Base URL "http://127.0.0.1:<port>/v1"; empty when listening failed.
    QString baseUrl() const;

    void enqueue(const Response &response) { m_script.append(response); }
    //! Used when the queue is empty (default: 500 "no scripted response").
    void setHandler(Handler handler) { m_handler = std::move(handler); }
    const QList<Received> &received() const { return m_received; }
    int requestCount() const { return static_cast<int>(m_received.size()); }

    static Response json(int status, const QByteArray &body,
                         QList<QPair<QByteArray, QByteArray>> headers = {});

Q_SIGNALS:
    void requestReceived();

private:
    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void answer(QTcpSocket *socket, const Response &response);

    QTcpServer m_server;
    QList<Response> m_script;
    Handler m_handler;
    QList<Received> m_received;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};
