#pragma once

#include <functional>

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QString>

class QTimer;
class QTcpSocket;
class QWebSocket;
class SimKeyRing;
class SimLiveEngine;
class SimStore;
struct SimLiveEvent;

//! Random and one-shot faults of the stream (flags and POST /_sim/stream/faults).
struct SimStreamFaults
{
    double dropRate = 0;      // per second and socket: abort without a close frame
    double stallRate = 0;     // per second and socket: send nothing for kStallMs
    double malformedRate = 0; // per second and socket: send one malformed frame
};

//! /v1/stream (CONTRACT §1.5, docs/SIM-INTERFACE.md): authenticates sockets, keeps their
//! subscriptions, replays and forwards the live engine's events with `ts`, pings, injects
//! faults and closes slow readers (4008).
class SimStreamHub : public QObject
{
    Q_OBJECT
public:
    static constexpr qint64 kMaxQueuedBytes = 8 * 1024 * 1024;
    static constexpr int kStallMs = 40000;

    SimStreamHub(SimLiveEngine *engine, SimKeyRing *keys, SimStore *store,
                 QObject *parent = nullptr);
    ~SimStreamHub() override;

    //! Takes a socket whose handshake is done (ownership passes to the hub).
    void accept(QWebSocket *socket);

    void setPingInterval(int ms);
    void setFaults(const SimStreamFaults &faults) { m_faults = faults; }
    const SimStreamFaults &faults() const { return m_faults; }
    void dropAll();
    void stallAll(int ms);
    void malformedNext(int n);
    //! Closes the sockets of a key that was just revoked (4001).
    void revoked(const QString &key);

    //! Finds the TCP connection under a stream socket (the HTTP server owns it), so that a
    //! stall can stop reading it; QWebSocket itself offers no way to.
    std::function<QTcpSocket *(const QWebSocket *)> connectionOf;

    int socketCount() const { return int(m_clients.size()); }
    qint64 eventsSent() const { return m_eventsSent; }

private:
    struct Client;
    void received(Client *client, const QString &message);
    void subscribe(Client *client, const QJsonObject &message);
    void sendError(Client *client, const QString &code, const QString &message,
                   const QString &callId = {}, qint64 oldestSeq = -1);
    void send(Client *client, const QByteArray &head);
    void write(Client *client, const QByteArray &frame);
    //! Ends a stall once its time is up: reading resumes and held frames go out in order.
    void resumeWhenDue(QWebSocket *ws, QPointer<QTcpSocket> tcp);
    void callEvent(const QString &callId, const SimLiveEvent &event);
    void channelEvent(const QString &org, const QByteArray &head);
    void callDropped(const QString &callId);
    void stall(Client *client, int ms);
    void rollFaults();
    void remove(QWebSocket *socket);

    SimLiveEngine *m_engine;
    SimKeyRing *m_keys;
    SimStore *m_store;
    SimStreamFaults m_faults;
    QHash<QWebSocket *, Client *> m_clients;
    QHash<QString, QSet<Client *>> m_subscribers; // callId -> sockets
    QTimer *m_pingTimer;
    QTimer *m_faultTimer;
    qint64 m_eventsSent = 0;
};
