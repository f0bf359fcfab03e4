#include "testsupport.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>

namespace sb::test {

namespace {
QNetworkReply *waitFor(QNetworkReply *reply)
{
    QEventLoop loop;
    QTimer timeout;
    timeout.setSingleShot(true);
    QObject::connect(&timeout, &QTimer::timeout, reply, &QNetworkReply::abort);
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    timeout.start(15000);
    if (!reply->isFinished())
        loop.exec();
    return reply;
}

QNetworkRequest adminRequest(const QUrl &adminBase, const QString &path)
{
    QUrl url = adminBase;
    url.setPath(adminBase.path() + path);
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    return request;
}
} // namespace

int postAdmin(const QUrl &adminBase, const QString &path, const QJsonObject &body)
{
    QNetworkAccessManager nam;
    QNetworkReply *reply = waitFor(nam.post(adminRequest(adminBase, path),
                                            QJsonDocument(body).toJson(QJsonDocument::Compact)));
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    reply->deleteLater();
    return status;
}

QJsonObject getAdmin(const QUrl &adminBase, const QString &path)
{
    QNetworkAccessManager nam;
    QNetworkReply *reply = waitFor(nam.get(adminRequest(adminBase, path)));
    const QJsonObject object = QJsonDocument::fromJson(reply->readAll()).object();
    reply->deleteLater();
    return object;
}

int rawGet(const QUrl &url, const QString &apiKey)
{
    QNetworkAccessManager nam;
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + apiKey.toUtf8());
    QNetworkReply *reply = waitFor(nam.get(request));
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    reply->deleteLater();
    return status;
}

} // namespace sb::test
