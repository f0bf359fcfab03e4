#pragma once

#include "simhttp.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QString>

#include <functional>

class QTimer;
class QWebSocket;
class SimLiveEngine;
class SimStore;
struct SimCallRow;
struct SimLiveEvent;

//! SpeakNode's SignalR hub at /hubs/notifications (CONTRACT §2.3): negotiate, the JSON hub
//! protocol (version 1, records ending in 0x1E) over WebSocket, pings both ways and one
//! AgentSessionUpdated invocation per session change (created, status change, ended) of the
//! token's organization. Tokens are checked on negotiate, on the upgrade and every second while
//! connected: an expired token closes the connection with a close message (type 7).
class SimSignalRHub : public QObject
{
    Q_OBJECT
public:
    static constexpr char kRecordSeparator = '\x1e';
    //! Largest client record kept: a hub client sends only handshakes, pings and closes.
    static constexpr qint64 kMaxClientRecordBytes = 32 * 1024;
    //! A connection that sends nothing for this long is dropped (ASP.NET's client timeout).
    static constexpr int kClientTimeoutMs = 30000;
    //! The handshake must arrive this soon after the upgrade.
    static constexpr int kHandshakeTimeoutMs = 15000;
    //! A negotiated connection token not used by a WebSocket within this time is forgotten.
    static constexpr qint64 kNegotiationTtlMs = 60000;

    SimSignalRHub(SimLiveEngine *engine, SimStore *store, QObject *parent = nullptr);
    ~SimSignalRHub() override;

    //! The organization of a valid access token, or empty (missing, unknown, expired).
    std::function<QString(const QString &token)> orgForToken;
    //! The SpeakNode session object of a call (SimSpeakNodeJson::session with its agent title and
    //! audio link).
    std::function<QJsonObject(const SimCallRow &)> sessionJson;

    //! True for the paths handle() serves: /hubs/notifications... and /_sim/signalr/...
    static bool handles(const SimRequest &request);
    //! Negotiate and the admin endpoints; anything else under the hub answers 404/405.
    void handle(const SimRequest &request, const SimHttpServer::Reply &reply);
    //! Decides a WebSocket upgrade to the hub path before it happens: 0 accepts, otherwise the
    //! HTTP status to answer (401 bad token, 404 unknown connection token).
    int upgradeStatus(const SimRequest &request);
    //! Takes an upgraded socket (ownership passes to the hub).
    void accept(QWebSocket *socket);

    void setPingInterval(int ms);
    //! Sends a close message to every connection and closes them (admin, tests).
    int closeAll(const QString &error, bool allowReconnect);
    int connectionCount() const { return int(m_clients.size()); }
    qint64 invocationsSent() const { return m_invocationsSent; }

private:
    struct Client;
    struct Negotiation
    {
        QString connectionId;
        QString org;
        qint64 createdMs = 0;
    };
    QString tokenOf(const SimRequest &request) const;
    void negotiate(const SimRequest &request, const SimHttpServer::Reply &reply);
    void received(Client *client, const QString &text);
    void record(Client *client, const QByteArray &json);
    void sendRecord(Client *client, const QJsonObject &message);
    void closeClient(Client *client, const QString &error, bool allowReconnect);
    void callEvent(const QString &callId, const SimLiveEvent &event);
    void publish(const SimCallRow &call);
    void housekeeping();
    void remove(QWebSocket *socket);

    SimLiveEngine *m_engine;
    SimStore *m_store;
    std::function<void(const QString &, const SimLiveEvent &)> m_previousCallEvent;
    QHash<QString, Negotiation> m_negotiations; // connection token → negotiation
    QHash<QWebSocket *, Client *> m_clients;
    QHash<QString, QString> m_lastStatus; // call id → SpeakNode status last published
    QTimer *m_pingTimer;
    QTimer *m_checkTimer;
    qint64 m_invocationsSent = 0;
};
