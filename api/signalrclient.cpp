#include "signalrclient.h"

#include "logging.h"

#include <QDateTime>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>
#include <QWebSocket>

#include <utility>

namespace sb::api {

namespace {
constexpr int kMaxRedirects = 5; // Azure SignalR redirects once; more is a loop
} // namespace

SignalRClient::SignalRClient(QNetworkAccessManager *nam, QObject *parent)
    : QObject(parent)
    , m_nam(nam)
    , m_rng(QRandomGenerator::securelySeeded())
    , m_pingTimer(new QTimer(this))
    , m_deadTimer(new QTimer(this))
    , m_reconnectTimer(new QTimer(this))
{
    m_deadTimer->setSingleShot(true);
    m_reconnectTimer->setSingleShot(true);
    m_pingTimer->setTimerType(Qt::CoarseTimer);
    connect(m_pingTimer, &QTimer::timeout, this, [this] {
        if (m_socket && m_handshakeDone) {
            m_socket->sendTextMessage(QString::fromLatin1(signalr::pingRecord()));
            ++m_counters.pingsSent;
        }
    });
    connect(m_deadTimer, &QTimer::timeout, this, [this] {
        connectionLost(
            m_handshakeDone
                ? tr("The hub sent nothing for %1 s.").arg(m_options.serverTimeoutMs / 1000)
                : tr("The hub did not answer in time."));
    });
    connect(m_reconnectTimer, &QTimer::timeout, this, [this] {
        ++m_counters.reconnects;
        connectNow();
    });
}

SignalRClient::~SignalRClient()
{
    m_running = false;
    dropSocket();
}

qint64 SignalRClient::backoffMs(int attempt, int baseMs, int maxMs, QRandomGenerator &rng)
{
    qint64 cap = qMax(1, baseMs);
    for (int i = 0; i < attempt && cap < maxMs; ++i)
        cap *= 2;
    cap = qMin<qint64>(cap, qMax(1, maxMs));
    const qint64 half = cap / 2;
    return half + qint64(rng.bounded(quint64(cap - half + 1)));
}

void SignalRClient::start()
{
    m_running = true;
    m_splitter.setMaxBytes(m_options.maxRecordBytes);
    m_attempt = 0;
    m_unauthorizedInRow = 0;
    m_reconnectTimer->stop();
    dropSocket();
    connectNow();
}

void SignalRClient::stop()
{
    m_running = false;
    m_reconnectTimer->stop();
    if (m_socket && m_handshakeDone)
        m_socket->sendTextMessage(QString::fromLatin1(signalr::closeRecord()));
    dropSocket();
    m_nextAttemptAtMs = 0;
    setState(State::Idle);
}

void SignalRClient::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void SignalRClient::dropSocket()
{
    m_pingTimer->stop();
    m_deadTimer->stop();
    m_handshakeDone = false;
    m_splitter.reset();
    if (m_negotiateReply) {
        QNetworkReply *reply = m_negotiateReply;
        m_negotiateReply = nullptr;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
    if (m_socket) {
        // Detached first: the closing handshake must not schedule a reconnect.
        QWebSocket *socket = std::exchange(m_socket, nullptr);
        socket->disconnect(this);
        if (socket->state() == QAbstractSocket::UnconnectedState) {
            socket->deleteLater();
        } else {
            connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
            socket->close();
            // A peer that never completes the closing handshake must not keep it alive.
            QTimer::singleShot(5000, socket, &QObject::deleteLater);
        }
    }
}

void SignalRClient::connectNow()
{
    if (!m_running)
        return;
    m_nextAttemptAtMs = 0;
    setState(State::Connecting);
    if (!m_hubUrl.isValid() || (m_hubUrl.scheme() != QLatin1String("http") &&
                                m_hubUrl.scheme() != QLatin1String("https"))) {
        m_lastError = tr("The hub address is not an http(s) URL.");
        m_running = false;
        setState(State::Closed);
        return;
    }
    negotiate(m_hubUrl, m_tokenProvider ? m_tokenProvider() : QString(), 0);
}

void SignalRClient::negotiate(const QUrl &hubUrl, const QString &token, int redirects)
{
    QNetworkRequest request(signalr::negotiateUrl(hubUrl));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("text/plain"));
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(m_options.handshakeTimeoutMs);
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    ++m_counters.negotiations;
    QNetworkReply *reply = m_nam->post(request, QByteArray());
    m_negotiateReply = reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply, hubUrl, token, redirects] {
        if (m_negotiateReply != reply)
            return;
        m_negotiateReply = nullptr;
        reply->deleteLater();
        negotiated(reply, hubUrl, token, redirects);
    });
}

void SignalRClient::negotiated(QNetworkReply *reply, const QUrl &hubUrl, const QString &token,
                               int redirects)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 401 || status == 403) {
        ++m_unauthorizedInRow;
        m_lastError = tr("The hub refused the access token (HTTP %1).").arg(status);
        qCInfo(lcStream) << "signalr: negotiate refused, HTTP" << status;
        Q_EMIT unauthorized();
        if (m_unauthorizedInRow >= m_options.maxUnauthorized) {
            m_running = false;
            setState(State::Unauthorized);
            return;
        }
        scheduleReconnect();
        return;
    }
    if (reply->error() != QNetworkReply::NoError || status != 200) {
        connectionLost(status ? tr("Negotiate failed with HTTP %1.").arg(status)
                              : tr("Negotiate failed: %1").arg(reply->errorString()));
        return;
    }
    QString problem;
    const std::optional<signalr::Negotiation> n =
        signalr::parseNegotiation(reply->readAll(), &problem);
    if (!n) {
        connectionLost(problem);
        return;
    }
    if (!n->error.isEmpty()) {
        connectionLost(tr("The hub refused the connection: %1").arg(n->error));
        return;
    }
    if (n->redirectUrl.isValid()) {
        if (redirects >= kMaxRedirects) {
            connectionLost(tr("Negotiate redirected too often."));
            return;
        }
        negotiate(n->redirectUrl, n->redirectToken.isEmpty() ? token : n->redirectToken,
                  redirects + 1);
        return;
    }
    if (!n->webSockets) {
        m_lastError = tr("The hub offers no WebSocket transport.");
        m_running = false;
        setState(State::Closed);
        return;
    }
    m_unauthorizedInRow = 0;
    m_connectionId = n->connectionId;
    openSocket(signalr::webSocketUrl(
        hubUrl, n->connectionToken.isEmpty() ? n->connectionId : n->connectionToken, token));
}

void SignalRClient::openSocket(const QUrl &url)
{
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket->setMaxAllowedIncomingMessageSize(quint64(m_options.hardMessageLimitBytes));
    m_socket->setMaxAllowedIncomingFrameSize(quint64(m_options.hardMessageLimitBytes));
    QWebSocket *socket = m_socket;
    connect(socket, &QWebSocket::connected, this, [this] {
        m_socket->sendTextMessage(QString::fromLatin1(signalr::handshakeRequest()));
        m_deadTimer->start(m_options.handshakeTimeoutMs);
    });
    connect(socket, &QWebSocket::textMessageReceived, this, &SignalRClient::onText);
    connect(socket, &QWebSocket::binaryMessageReceived, this, &SignalRClient::onBinary);
    connect(socket, &QWebSocket::disconnected, this, [this, socket] {
        if (socket != m_socket)
            return;
        const QString reason = socket->closeReason();
        connectionLost(reason.isEmpty() ? tr("The hub connection closed.") : reason);
    });
    m_deadTimer->start(m_options.handshakeTimeoutMs);
    // The URL carries the access token: it is never logged.
    socket->open(QNetworkRequest(url));
}

void SignalRClient::onText(const QString &text)
{
    onRecords(text.toUtf8());
}

void SignalRClient::onBinary(const QByteArray &data)
{
    // The JSON protocol sends text; a binary message with the same records is accepted.
    onRecords(data);
}

void SignalRClient::onRecords(const QByteArray &data)
{
    QPointer<QWebSocket> socket = m_socket;
    const QList<QByteArray> records = m_splitter.feed(data);
    m_counters.oversizedRecords = m_splitter.oversized();
    if (m_handshakeDone)
        m_deadTimer->start(m_options.serverTimeoutMs); // any record is a sign of life
    for (const QByteArray &record : records) {
        if (!m_socket || m_socket != socket)
            return; // a message above ended this connection
        if (!m_handshakeDone) {
            const std::optional<QString> error = signalr::parseHandshakeResponse(record);
            if (!error) {
                ++m_counters.malformedRecords;
                connectionLost(tr("The hub answered the handshake with garbage."));
                return;
            }
            if (!error->isEmpty()) {
                m_lastError = tr("The hub refused the handshake: %1").arg(*error);
                m_running = false;
                dropSocket();
                setState(State::Closed);
                return;
            }
            m_handshakeDone = true;
            m_connectedAtMs = QDateTime::currentMSecsSinceEpoch();
            ++m_counters.connects;
            m_lastError.clear();
            m_pingTimer->start(m_options.pingIntervalMs);
            m_deadTimer->start(m_options.serverTimeoutMs);
            setState(State::Connected);
            Q_EMIT connected();
            continue;
        }
        bool unknown = false;
        const std::optional<signalr::Message> message = signalr::parseMessage(record, &unknown);
        if (!message) {
            if (!unknown) {
                ++m_counters.malformedRecords;
                qCWarning(lcStream)
                    << "signalr: malformed record dropped," << record.size() << "bytes";
            }
            continue;
        }
        ++m_counters.messagesReceived;
        handleMessage(*message);
    }
}

void SignalRClient::handleMessage(const signalr::Message &m)
{
    switch (m.type) {
    case signalr::MessageType::Invocation:
        ++m_counters.invocations;
        Q_EMIT invocation(m.target, m.arguments);
        return;
    case signalr::MessageType::Close: {
        ++m_counters.closeMessages;
        qCInfo(lcStream) << "signalr: server closed, reconnect allowed:" << m.allowReconnect;
        Q_EMIT closedByServer(m.error, m.allowReconnect);
        const QString why = m.error.isEmpty()
                                ? tr("The hub closed the connection.")
                                : tr("The hub closed the connection: %1").arg(m.error);
        connectionLost(why, m.allowReconnect);
        return;
    }
    default:
        return; // pings only prove life; completions and stream items are not expected
    }
}

void SignalRClient::connectionLost(const QString &why, bool allowReconnect)
{
    m_lastError = why;
    const bool wasStable =
        m_handshakeDone &&
        QDateTime::currentMSecsSinceEpoch() - m_connectedAtMs >= m_options.stableAfterMs;
    dropSocket();
    if (!m_running)
        return;
    if (!allowReconnect) {
        m_running = false;
        setState(State::Closed);
        return;
    }
    if (wasStable)
        m_attempt = 0;
    qCInfo(lcStream) << "signalr: connection lost:" << why;
    scheduleReconnect();
}

void SignalRClient::scheduleReconnect()
{
    dropSocket();
    const qint64 wait =
        backoffMs(m_attempt++, m_options.reconnectBaseMs, m_options.reconnectMaxMs, m_rng);
    m_nextAttemptAtMs = QDateTime::currentMSecsSinceEpoch() + wait;
    m_reconnectTimer->start(int(wait));
    setState(State::Backoff);
}

} // namespace sb::api
