#pragma once

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QStringList>
#include <QWebSocket>

//! A raw QWebSocket client of the simulator's /v1/stream for its tests (shares nothing with
//! api/): records every frame, and the close code when the server closes.
class SimStreamClient : public QObject
{
    Q_OBJECT
public:
    //! baseUrl as the simulator prints it (http://127.0.0.1:port/v1); key may be empty.
    SimStreamClient(const QString &baseUrl, const QString &key, const QString &path = {});
    ~SimStreamClient() override;

    void send(const QJsonObject &message);
    void sendRaw(const QString &text);
    void subscribeCalls();
    void subscribe(const QString &callId, qint64 since = -1);

    bool connected = false;
    bool disconnected = false;
    int closeCode = -1;
    QStringList raw;         // every text frame, in order
    QList<QJsonObject> json; // the frames that parsed as JSON objects
    int pongs = 0;

    //! Frames of one call (callId matches; errors included), in order.
    QList<QJsonObject> ofCall(const QString &callId) const;
    //! Frames of a type.
    QList<QJsonObject> ofType(const QString &type) const;

    QWebSocket socket;
};
