#include "simstreamclient.h"

#include <QJsonDocument>
#include <QNetworkRequest>
#include <QUrl>

SimStreamClient::SimStreamClient(const QString &baseUrl, const QString &key, const QString &path)
{
    QString url = baseUrl;
    url.replace(QLatin1String("http://"), QLatin1String("ws://"));
    url += path.isEmpty() ? QStringLiteral("/stream") : path;
    QNetworkRequest request{QUrl(url)};
    if (!key.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + key.toUtf8());
    connect(&socket, &QWebSocket::connected, this, [this] { connected = true; });
    connect(&socket, &QWebSocket::disconnected, this, [this] {
        disconnected = true;
        closeCode = int(socket.closeCode());
    });
    connect(&socket, &QWebSocket::pong, this, [this] { ++pongs; });
    connect(&socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        raw.append(text);
        const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8());
        if (doc.isObject())
            json.append(doc.object());
    });
    socket.open(request);
}

SimStreamClient::~SimStreamClient()
{
    disconnect(&socket, nullptr, this, nullptr);
    socket.abort();
}

void SimStreamClient::send(const QJsonObject &message)
{
    socket.sendTextMessage(
        QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact)));
}

void SimStreamClient::sendRaw(const QString &text)
{
    socket.sendTextMessage(text);
}

void SimStreamClient::subscribeCalls()
{
    send({{QStringLiteral("type"), QStringLiteral("subscribe")},
          {QStringLiteral("channel"), QStringLiteral("calls")}});
}

void SimStreamClient::subscribe(const QString &callId, qint64 since)
{
    QJsonObject m{{QStringLiteral("type"), QStringLiteral("subscribe")},
                  {QStringLiteral("callId"), callId}};
    if (since >= 0)
        m.insert(QStringLiteral("since"), since);
    send(m);
}

QList<QJsonObject> SimStreamClient::ofCall(const QString &callId) const
{
    QList<QJsonObject> out;
    for (const QJsonObject &o : json) {
        if (o.value(QLatin1String("callId")).toString() == callId)
            out.append(o);
    }
    return out;
}

QList<QJsonObject> SimStreamClient::ofType(const QString &type) const
{
    QList<QJsonObject> out;
    for (const QJsonObject &o : json) {
        if (o.value(QLatin1String("type")).toString() == type)
            out.append(o);
    }
    return out;
}
