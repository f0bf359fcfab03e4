#include "simclient.h"

#include <QJsonDocument>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QUrl>

QByteArray SimReply::header(const QByteArray &name) const
{
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

QString SimReply::errorCode() const
{
    return json.value(QLatin1String("error")).toObject().value(QLatin1String("code")).toString();
}

QString SimReply::errorField() const
{
    return json.value(QLatin1String("error")).toObject().value(QLatin1String("field")).toString();
}

SimReply SimClient::send(const QByteArray &method, const QString &path, const QString &key,
                         const QByteArray &body,
                         const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QNetworkRequest req(QUrl(path.startsWith(QLatin1String("http")) ? path : m_base + path));
    if (!key.isEmpty())
        req.setRawHeader("Authorization", "Bearer " + key.toUtf8());
    if (!body.isEmpty())
        req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    for (const auto &h : headers)
        req.setRawHeader(h.first, h.second);
    QNetworkReply *reply = m_nam.sendCustomRequest(req, method, body);
    QSignalSpy done(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        done.wait(60000);
    SimReply r;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.body = reply->readAll();
    r.json = QJsonDocument::fromJson(r.body).object();
    r.headers = reply->rawHeaderPairs();
    if (reply->error() != QNetworkReply::NoError && r.status == 0)
        r.networkError = reply->errorString();
    reply->deleteLater();
    return r;
}

SimReply SimClient::post(const QString &path, const QString &key, const QJsonObject &body,
                         const QList<QPair<QByteArray, QByteArray>> &headers)
{
    return send("POST", path, key, QJsonDocument(body).toJson(QJsonDocument::Compact), headers);
}

SimReply SimClient::patch(const QString &path, const QString &key, const QJsonObject &body,
                          const QList<QPair<QByteArray, QByteArray>> &headers)
{
    return send("PATCH", path, key, QJsonDocument(body).toJson(QJsonDocument::Compact), headers);
}
