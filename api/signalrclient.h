#pragma once

#include "signalrprotocol.h"

#include <QJsonArray>
#include <QObject>
#include <QPointer>
#include <QRandomGenerator>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;
class QTimer;
class QWebSocket;

namespace sb::api {

//! A client of one ASP.NET Core SignalR hub over WebSocket with the JSON hub protocol
//! (CONTRACT §2.3): negotiate, connect, handshake, keep-alive pings, invocations delivered as
//! (target, arguments). Every connection attempt negotiates again with a token fresh from the
//! provider; a lost connection, a dead server or a close message that allows it reconnects with
//! capped, jittered backoff. Malformed and oversized records are counted and dropped.
class SignalRClient : public QObject
{
    Q_OBJECT
public:
    enum class State {
        Idle,         //!< not started, or stopped
        Connecting,   //!< negotiating, opening the socket or in the handshake
        Connected,    //!< handshake done: invocations flow
        Backoff,      //!< waiting to reconnect (nextAttemptAtMs())
        Unauthorized, //!< the hub refused the token several times in a row: needs a new one
        Closed,       //!< the server closed and did not allow a reconnect
    };
    Q_ENUM(State)

    struct Options
    {
        int pingIntervalMs = 15000;          //!< the client's keep-alive ping
        int serverTimeoutMs = 30000;         //!< silence after which the connection is dead
        int handshakeTimeoutMs = 15000;      //!< negotiate + open + handshake, each
        int reconnectBaseMs = 1000;          //!< first reconnect waits 50–100 % of this
        int reconnectMaxMs = 30000;          //!< cap of one wait
        int stableAfterMs = 10000;           //!< a connection up this long resets the backoff
        int maxUnauthorized = 3;             //!< consecutive 401s before giving up (Unauthorized)
        qint64 maxRecordBytes = 1024 * 1024; //!< larger records: counted, dropped
        qint64 hardMessageLimitBytes = 16 * 1024 * 1024; //!< QWebSocket's own limit
    };

    struct Counters
    {
        quint64 invocations = 0;
        quint64 pingsSent = 0;
        quint64 messagesReceived = 0; //!< parsed records after the handshake
        quint64 malformedRecords = 0;
        quint64 oversizedRecords = 0;
        quint64 closeMessages = 0;
        quint64 connects = 0;   //!< successful handshakes
        quint64 reconnects = 0; //!< attempts after the first
        quint64 negotiations = 0;
    };

    //! The access token for the next attempt; called before every negotiate (never logged).
    using TokenProvider = std::function<QString()>;

    //! `nam` must outlive the client.
    explicit SignalRClient(QNetworkAccessManager *nam, QObject *parent = nullptr);
    ~SignalRClient() override;

    //! http(s) URL of the hub, e.g. https://api.speaknode.com/hubs/notifications.
    void setHubUrl(const QUrl &url) { m_hubUrl = url; }
    QUrl hubUrl() const { return m_hubUrl; }
    void setTokenProvider(TokenProvider provider) { m_tokenProvider = std::move(provider); }
    void setOptions(const Options &options) { m_options = options; }
    const Options &options() const { return m_options; }
    //! Seeds the backoff jitter (tests).
    void setRandomSeed(quint32 seed) { m_rng.seed(seed); }

    //! Connects now (a running connection is dropped first).
    void start();
    //! Sends a close message, closes and stops reconnecting.
    void stop();

    State state() const { return m_state; }
    qint64 nextAttemptAtMs() const { return m_nextAttemptAtMs; }
    const Counters &counters() const { return m_counters; }
    //! Why the last connection ended or failed (for the status bar and tests; no secrets).
    QString lastError() const { return m_lastError; }
    QString connectionId() const { return m_connectionId; }

    //! Capped "equal jitter" backoff for attempt n (0-based): 50–100 % of min(max, base·2^n).
    static qint64 backoffMs(int attempt, int baseMs, int maxMs, QRandomGenerator &rng);

Q_SIGNALS:
    void invocation(const QString &target, const QJsonArray &arguments);
    void stateChanged(sb::api::SignalRClient::State state);
    //! The handshake succeeded (every connect and reconnect).
    void connected();
    //! The server sent a close message (also before the reconnect it allows).
    void closedByServer(const QString &error, bool allowReconnect);
    //! Negotiate answered 401: the token provider should have a fresh token next time.
    void unauthorized();

private:
    void connectNow();
    void negotiate(const QUrl &hubUrl, const QString &token, int redirects);
    void negotiated(QNetworkReply *reply, const QUrl &hubUrl, const QString &token, int redirects);
    void openSocket(const QUrl &url);
    void onText(const QString &text);
    void onBinary(const QByteArray &data);
    void onRecords(const QByteArray &data);
    void handleMessage(const signalr::Message &message);
    void connectionLost(const QString &why, bool allowReconnect = true);
    void scheduleReconnect();
    void dropSocket();
    void setState(State state);

    QNetworkAccessManager *m_nam;
    QUrl m_hubUrl;
    TokenProvider m_tokenProvider;
    Options m_options;
    QRandomGenerator m_rng;
    QPointer<QNetworkReply> m_negotiateReply;
    QWebSocket *m_socket = nullptr;
    signalr::RecordSplitter m_splitter;
    QTimer *m_pingTimer;
    QTimer *m_deadTimer; // server silence, and the timeout of each connecting step
    QTimer *m_reconnectTimer;
    State m_state = State::Idle;
    bool m_running = false;
    bool m_handshakeDone = false;
    int m_attempt = 0;
    int m_unauthorizedInRow = 0;
    qint64 m_connectedAtMs = 0;
    qint64 m_nextAttemptAtMs = 0;
    QString m_connectionId;
    QString m_lastError;
    Counters m_counters;
};

} // namespace sb::api
