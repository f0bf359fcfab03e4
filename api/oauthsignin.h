#pragma once

#include "apierror.h"
#include "oauthdiscovery.h"
#include "tokenendpoint.h"

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QTimer>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;
class QTcpSocket;

namespace sb::api {

//! One interactive OAuth 2.0 sign-in: Authorization Code + PKCE (S256) for a public native
//! client (RFC 8252). Listens on 127.0.0.1 only, on an ephemeral port, has the browser open
//! the authorization URL, checks `state` (and `iss`) of the callback, exchanges the code for
//! tokens and answers the browser with a small page. Emits succeeded() or failed() once.
class OAuthSignIn : public QObject
{
    Q_OBJECT
public:
    //! Opens `url` in the person's browser (the app passes QDesktopServices::openUrl; api/
    //! cannot use Gui). Returns false when no browser could be started.
    using BrowserOpener = std::function<bool(const QUrl &url)>;

    OAuthSignIn(QNetworkAccessManager *nam, const OAuthEndpoints &endpoints,
                const OAuthClientConfig &client, BrowserOpener openBrowser,
                QObject *parent = nullptr);
    ~OAuthSignIn() override;

    //! How long to wait for the browser to come back (default 5 minutes).
    void setTimeoutMs(int ms) { m_timer.setInterval(ms); }

    //! Starts listening and opens the browser. Returns false (and emits failed()) when the
    //! listener cannot be bound or the browser cannot be opened.
    bool start();
    //! Gives up: stops listening, aborts a token request; emits failed() with Kind::Canceled.
    void cancel();
    bool isRunning() const { return m_running; }

    //! http://127.0.0.1:<port>/callback once started.
    QUrl redirectUri() const { return m_redirectUri; }
    //! The URL handed to the browser (valid once started). Contains no secret.
    QUrl authorizationUrl() const { return m_authorizationUrl; }
    //! Where the listener is (was) bound: 127.0.0.1, never Any.
    QHostAddress listenAddress() const { return m_listenAddress; }
    quint16 listenPort() const { return quint16(m_redirectUri.port(0)); }
    //! True while the listener accepts connections (until the callback or the end).
    bool isListening() const { return m_server.isListening(); }

Q_SIGNALS:
    //! The browser came back with a code; the token request is under way.
    void exchangingCode();
    void succeeded(const sb::api::TokenSet &tokens);
    void failed(const sb::api::ApiError &error);

private:
    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void handleRequest(QTcpSocket *socket, const QByteArray &method, const QByteArray &target);
    void exchangeCode(const QString &code);
    void onTokenReply();
    void fail(ApiError error);
    void finishListening();
    void respond(QTcpSocket *socket, int status, const QString &title, const QString &text);

    QNetworkAccessManager *m_nam;
    OAuthEndpoints m_endpoints;
    OAuthClientConfig m_client;
    BrowserOpener m_openBrowser;
    QTcpServer m_server;
    QTimer m_timer;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QPointer<QTcpSocket> m_browserSocket; //!< answered after the token exchange
    QPointer<QNetworkReply> m_tokenReply;
    QByteArray m_verifier;
    QByteArray m_state;
    QUrl m_authorizationUrl;
    QUrl m_redirectUri;
    QHostAddress m_listenAddress;
    bool m_running = false;
};

} // namespace sb::api
