#include "oauthsignin.h"

#include "logging.h"
#include "oauthpkce.h"

#include <QNetworkReply>
#include <QTcpSocket>

namespace sb::api {

namespace {

constexpr int kDefaultTimeoutMs = 5 * 60 * 1000;
constexpr qsizetype kMaxRequestBytes = 16 * 1024; // a callback URL is far smaller
const QString kCallbackPath = QStringLiteral("/callback");

ApiError signInError(ApiError::Kind kind, const QString &code, const QString &message)
{
    ApiError e(kind, message);
    e.code = code;
    return e;
}

} // namespace

OAuthSignIn::OAuthSignIn(QNetworkAccessManager *nam, const OAuthEndpoints &endpoints,
                         const OAuthClientConfig &client, BrowserOpener openBrowser,
                         QObject *parent)
    : QObject(parent)
    , m_nam(nam)
    , m_endpoints(endpoints)
    , m_client(client)
    , m_openBrowser(std::move(openBrowser))
{
    qRegisterMetaType<sb::api::TokenSet>();
    qRegisterMetaType<sb::api::ApiError>();
    m_timer.setSingleShot(true);
    m_timer.setInterval(kDefaultTimeoutMs);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        fail(signInError(ApiError::Kind::Timeout, QStringLiteral("timeout"),
                         tr("The browser did not come back from the sign-in page in time.")));
    });
    connect(&m_server, &QTcpServer::newConnection, this, &OAuthSignIn::onNewConnection);
}

OAuthSignIn::~OAuthSignIn()
{
    if (m_tokenReply) {
        m_tokenReply->disconnect(this);
        m_tokenReply->abort();
        m_tokenReply->deleteLater();
    }
}

bool OAuthSignIn::start()
{
    if (m_running)
        return true;
    if (!m_endpoints.isValid() || m_client.clientId.isEmpty()) {
        fail(signInError(ApiError::Kind::InvalidRequest, QStringLiteral("not_configured"),
                         tr("Sign-in is not configured (no endpoints or client id).")));
        return false;
    }
    // RFC 8252 §8.3: loopback only. QHostAddress::Any would let the network reach the listener.
    if (!m_server.listen(QHostAddress::LocalHost, 0)) {
        fail(signInError(
            ApiError::Kind::Io, QStringLiteral("listen"),
            tr("Could not open the local sign-in listener: %1").arg(m_server.errorString())));
        return false;
    }
    m_running = true;
    m_listenAddress = m_server.serverAddress();
    m_redirectUri = QUrl();
    m_redirectUri.setScheme(QStringLiteral("http"));
    m_redirectUri.setHost(QStringLiteral("127.0.0.1"));
    m_redirectUri.setPort(m_server.serverPort());
    m_redirectUri.setPath(kCallbackPath);
    m_verifier = oauth::makeCodeVerifier();
    m_state = oauth::makeState();

    // Every value fully percent-encoded: QUrlQuery would leave '+' alone, which the server
    // reads as a space.
    QList<QPair<QString, QString>> fields{
        {QStringLiteral("response_type"), QStringLiteral("code")},
        {QStringLiteral("client_id"), m_client.clientId},
        {QStringLiteral("redirect_uri"), redirectUri().toString()},
        {QStringLiteral("scope"), m_client.scope},
        {QStringLiteral("state"), QString::fromLatin1(m_state)},
        {QStringLiteral("code_challenge"),
         QString::fromLatin1(oauth::codeChallengeS256(m_verifier))},
        {QStringLiteral("code_challenge_method"), QStringLiteral("S256")}};
    if (!m_client.prompt.isEmpty())
        fields.append({QStringLiteral("prompt"), m_client.prompt});
    const QByteArray params = oauth::formEncode(fields);
    m_authorizationUrl = m_endpoints.authorization;
    const QString existing = m_authorizationUrl.query(QUrl::FullyEncoded);
    m_authorizationUrl.setQuery(existing.isEmpty()
                                    ? QString::fromLatin1(params)
                                    : existing + QLatin1Char('&') + QString::fromLatin1(params),
                                QUrl::StrictMode);

    m_timer.start();
    qCInfo(lcApi).noquote() << "OAuth sign-in: listening on 127.0.0.1:" << m_server.serverPort();
    if (!m_openBrowser || !m_openBrowser(m_authorizationUrl)) {
        fail(signInError(ApiError::Kind::InvalidRequest, QStringLiteral("no_browser"),
                         tr("Could not open the web browser for the sign-in page.")));
        return false;
    }
    return true;
}

void OAuthSignIn::cancel()
{
    if (!m_running)
        return;
    fail(
        signInError(ApiError::Kind::Canceled, QStringLiteral("canceled"), tr("Sign-in canceled.")));
}

void OAuthSignIn::onNewConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        socket->setParent(this);
        m_buffers.insert(socket, QByteArray());
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            m_buffers.remove(socket);
            socket->deleteLater();
        });
    }
}

void OAuthSignIn::onReadyRead(QTcpSocket *socket)
{
    auto it = m_buffers.find(socket);
    if (it == m_buffers.end())
        return;
    it.value() += socket->readAll();
    const QByteArray &buffer = it.value();
    const qsizetype end = buffer.indexOf("\r\n\r\n");
    if (end < 0) {
        if (buffer.size() > kMaxRequestBytes)
            socket->abort();
        return;
    }
    const QByteArray requestLine = buffer.left(buffer.indexOf("\r\n"));
    m_buffers.erase(it);
    const QList<QByteArray> parts = requestLine.split(' ');
    if (parts.size() != 3 || !parts.at(2).startsWith("HTTP/1.")) {
        socket->abort();
        return;
    }
    handleRequest(socket, parts.at(0), parts.at(1));
}

void OAuthSignIn::handleRequest(QTcpSocket *socket, const QByteArray &method,
                                const QByteArray &target)
{
    const oauth::CallbackParams params = oauth::parseCallbackTarget(target, kCallbackPath);
    // Browsers also ask for /favicon.ico and the like: answer and keep waiting.
    if (!params.isCallback || method != "GET" || !m_running || m_browserSocket) {
        respond(socket, 404, tr("Not found"), tr("This address only receives the sign-in."));
        return;
    }
    if (params.state != QString::fromLatin1(m_state)) {
        // Another page (or an attacker) sent this: never exchange a code we did not ask for.
        const QString text = tr("The sign-in answer did not belong to this sign-in (state "
                                "mismatch). Please try again from Switchboard.");
        respond(socket, 400, tr("Sign-in failed"), text);
        fail(signInError(ApiError::Kind::Protocol, QStringLiteral("state_mismatch"), text));
        return;
    }
    if (!params.issuer.isEmpty() && m_endpoints.issuer.isValid() &&
        QUrl(params.issuer) != m_endpoints.issuer) {
        const QString text =
            tr("The sign-in answer came from another server (%1).").arg(params.issuer);
        respond(socket, 400, tr("Sign-in failed"), text);
        fail(signInError(ApiError::Kind::Protocol, QStringLiteral("issuer_mismatch"), text));
        return;
    }
    if (!params.error.isEmpty()) {
        const QString detail =
            params.errorDescription.isEmpty() ? params.error : params.errorDescription;
        const QString text = params.error == QLatin1String("access_denied")
                                 ? tr("Sign-in was declined: %1").arg(detail)
                                 : tr("The sign-in server refused: %1").arg(detail);
        respond(socket, 400, tr("Sign-in failed"), text);
        ApiError e = signInError(ApiError::Kind::Unauthorized, params.error, text);
        fail(e);
        return;
    }
    if (params.code.isEmpty()) {
        const QString text = tr("The sign-in answer carried no authorization code.");
        respond(socket, 400, tr("Sign-in failed"), text);
        fail(signInError(ApiError::Kind::Protocol, QStringLiteral("no_code"), text));
        return;
    }
    m_browserSocket = socket;
    finishListening(); // one code per sign-in: nothing else may arrive
    Q_EMIT exchangingCode();
    exchangeCode(params.code);
}

void OAuthSignIn::exchangeCode(const QString &code)
{
    m_tokenReply =
        oauth::postForm(m_nam, m_endpoints.token,
                        {{QStringLiteral("grant_type"), QStringLiteral("authorization_code")},
                         {QStringLiteral("code"), code},
                         {QStringLiteral("redirect_uri"), redirectUri().toString()},
                         {QStringLiteral("client_id"), m_client.clientId},
                         {QStringLiteral("code_verifier"), QString::fromLatin1(m_verifier)}});
    connect(m_tokenReply, &QNetworkReply::finished, this, &OAuthSignIn::onTokenReply);
}

void OAuthSignIn::onTokenReply()
{
    QNetworkReply *reply = m_tokenReply;
    if (!reply)
        return;
    m_tokenReply = nullptr;
    reply->deleteLater();
    ApiError error;
    const TokenSet tokens = oauth::readTokenReply(reply, &error);
    if (error.isError()) {
        error.message = tr("The sign-in server did not grant a token: %1").arg(error.message);
        fail(error);
        return;
    }
    m_running = false;
    m_timer.stop();
    if (m_browserSocket)
        respond(m_browserSocket, 200, tr("Signed in"),
                tr("You are signed in to Switchboard. You can close this window."));
    qCInfo(lcApi) << "OAuth sign-in: tokens granted, refresh token"
                  << (tokens.refreshToken.isEmpty() ? "absent" : "present");
    Q_EMIT succeeded(tokens);
}

void OAuthSignIn::fail(ApiError error)
{
    if (!m_running)
        return;
    m_running = false;
    m_timer.stop();
    finishListening();
    if (m_tokenReply) {
        m_tokenReply->disconnect(this);
        m_tokenReply->abort();
        m_tokenReply->deleteLater();
        m_tokenReply = nullptr;
    }
    if (m_browserSocket)
        respond(m_browserSocket, 400, tr("Sign-in failed"), error.message);
    qCWarning(lcApi).noquote() << "OAuth sign-in failed:" << error.code << error.message;
    Q_EMIT failed(error);
}

void OAuthSignIn::finishListening()
{
    m_server.close();
}

void OAuthSignIn::respond(QTcpSocket *socket, int status, const QString &title, const QString &text)
{
    if (socket == m_browserSocket)
        m_browserSocket = nullptr;
    const QString html = QStringLiteral("<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
                                        "<title>%1</title></head><body style=\"font-family:"
                                        "sans-serif;margin:3em\"><h1>%1</h1><p>%2</p></body>"
                                        "</html>")
                             .arg(title.toHtmlEscaped(), text.toHtmlEscaped());
    const QByteArray body = html.toUtf8();
    const QByteArray reason = status == 200 ? "OK" : status == 404 ? "Not Found" : "Bad Request";
    QByteArray head = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason + "\r\n";
    head += "Content-Type: text/html; charset=utf-8\r\n";
    head += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    head += "Cache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nConnection: close\r\n\r\n";
    socket->write(head + body);
    socket->disconnectFromHost(); // flushes first
}

} // namespace sb::api
