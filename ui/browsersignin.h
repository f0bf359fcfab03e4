#pragma once

#include "api/oauthdiscovery.h"
#include "api/oauthsignin.h"
#include "api/tokenendpoint.h"

#include <QObject>
#include <QPointer>

class QNetworkAccessManager;

namespace sb::ui {

//! One interactive OAuth sign-in as a person sees it: reads the realm's discovery document,
//! then runs OAuthSignIn (PKCE, loopback listener) with the system browser, and reports in
//! words what it is waiting for. The dialogs and the demo use it; tests and the demo replace
//! the browser with setBrowserOpener().
class BrowserSignIn : public QObject
{
    Q_OBJECT
public:
    BrowserSignIn(QNetworkAccessManager *nam, const sb::api::OAuthClientConfig &client,
                  QObject *parent = nullptr);
    ~BrowserSignIn() override;

    //! Default: QDesktopServices::openUrl.
    void setBrowserOpener(sb::api::OAuthSignIn::BrowserOpener opener);
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }

    //! Starts (a running sign-in is canceled first). Ends with succeeded() or failed().
    void start();
    void cancel();
    bool isRunning() const { return m_running; }
    const sb::api::OAuthEndpoints &endpoints() const { return m_endpoints; }

Q_SIGNALS:
    //! A translated progress line ("Waiting for the browser…").
    void progress(const QString &text);
    void succeeded(const sb::api::TokenSet &tokens, const sb::api::OAuthEndpoints &endpoints);
    //! `message` is translated and says what to do; canceled sign-ins report too.
    void failed(const QString &message, bool canceled);

private:
    void onDiscovered();
    void finishFailed(const sb::api::ApiError &error);

    QNetworkAccessManager *m_nam;
    sb::api::OAuthClientConfig m_client;
    sb::api::OAuthSignIn::BrowserOpener m_opener;
    sb::api::OAuthEndpoints m_endpoints;
    QPointer<sb::api::OAuthDiscovery> m_discovery;
    QPointer<sb::api::OAuthSignIn> m_signIn;
    int m_timeoutMs = 5 * 60 * 1000;
    bool m_running = false;
};

} // namespace sb::ui
