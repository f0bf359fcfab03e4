#pragma once

#include <QAbstractHttpServer>
#include <QByteArray>
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
class SimHttpServer : public QAbstractHttpServer
{
    Q_OBJECT
public:
    using Reply = std::function<void(const SimResponse &, const SimDelivery &)>;
    using Handler = std::function<void(const SimRequest &, Reply)>;

    explicit SimHttpServer(QObject *parent = nullptr);

    void setHandler(Handler handler) { m_handler = std::move(handler); }

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    Handler m_handler;
    quint64 m_requestCounter = 0;
};
