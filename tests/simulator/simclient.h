#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QPair>
#include <QString>

//! A finished raw HTTP exchange with the simulator.
struct SimReply
{
    int status = 0;
    QByteArray body;
    QJsonObject json;
    QList<QPair<QByteArray, QByteArray>> headers;
    QString networkError;

    QByteArray header(const QByteArray &name) const;
    QString errorCode() const;
    QString errorField() const;
};

//! Sends raw requests with QNetworkAccessManager and waits for the answer (signal-based).
class SimClient
{
public:
    explicit SimClient(const QString &baseUrl)
        : m_base(baseUrl)
    {}

    SimReply send(const QByteArray &method, const QString &path, const QString &key,
                  const QByteArray &body = {},
                  const QList<QPair<QByteArray, QByteArray>> &headers = {});
    SimReply get(const QString &path, const QString &key) { return send("GET", path, key); }
    SimReply post(const QString &path, const QString &key, const QJsonObject &body,
                  const QList<QPair<QByteArray, QByteArray>> &headers = {});
    SimReply patch(const QString &path, const QString &key, const QJsonObject &body,
                   const QList<QPair<QByteArray, QByteArray>> &headers = {});

    QString base() const { return m_base; }

private:
    QString m_base;
    QNetworkAccessManager m_nam;
};
