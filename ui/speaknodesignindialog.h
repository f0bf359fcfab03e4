#pragma once

#include "api/oauthdiscovery.h"
#include "api/tokenendpoint.h"
#include "models/profilestore.h"

#include <QDialog>

class QLabel;
class QNetworkAccessManager;
class QPushButton;

namespace sb::ui {

class ApiKeyField;
class BrowserSignIn;
class ConnectionTester;
class InlineStatus;

//! Signing in to a SpeakNode profile (CONTRACT §2.1): through the browser (OAuth Authorization
//! Code + PKCE; the tokens go to the caller, which keeps the refresh token in the keychain), or
//! with an access token pasted from SpeakNode's token page, checked with the server and used
//! for this run only. Opened when a profile has no stored sign-in and when a refresh failed;
//! nothing in the window is closed meanwhile.
class SpeakNodeSignInDialog : public QDialog
{
    Q_OBJECT
public:
    //! done() code of "Switch Profile…" (Accepted = signed in, Rejected = cancelled).
    static constexpr int SwitchProfile = 2;

    SpeakNodeSignInDialog(const sb::models::Profile &profile, QNetworkAccessManager *nam,
                          QWidget *parent = nullptr);
    ~SpeakNodeSignInDialog() override;

    void setReason(const QString &reason);
    QString reason() const;
    //! The browser flow (tests and the demo replace its browser).
    BrowserSignIn *browserSignIn() const { return m_browser; }
    //! Starts the browser sign-in (the button does the same).
    void signInWithBrowser();
    //! Checks the pasted token with the server and accepts when it is taken.
    void usePastedToken();

Q_SIGNALS:
    void signedIn(const sb::api::TokenSet &tokens, const sb::api::OAuthEndpoints &endpoints);
    //! A pasted token that the server accepted; never stored.
    void accessTokenPasted(const QString &token);
    void switchProfileRequested();

private:
    void setBusy(bool busy);

    sb::models::Profile m_profile;
    BrowserSignIn *m_browser;
    ConnectionTester *m_tester;
    QLabel *m_reason;
    QPushButton *m_browserButton;
    InlineStatus *m_browserStatus;
    ApiKeyField *m_token;
    QPushButton *m_useToken;
    InlineStatus *m_tokenStatus;
    QString m_testedToken;
};

} // namespace sb::ui
