#pragma once

#include "api/oauthdiscovery.h"
#include "api/tokenendpoint.h"
#include "models/profilestore.h"

#include <QObject>
#include <QPointer>

class QNetworkAccessManager;

namespace sb::api {
class CredentialStore;
class TokenManager;
} // namespace sb::api

namespace sb::ui {
class BrowserSignIn;
}

namespace sb::app {

//! Gets a SpeakNode profile its tokens (CONTRACT §2.1): reads the realm's discovery document,
//! then uses a pasted token, the refresh token in the keychain, or (demo) a browser sign-in
//! against the simulator's realm, whose authorization endpoint approves at once so the demo
//! follows its redirect itself instead of opening a browser. Owns the profile's TokenManager,
//! which the Session uses for every request.
class SpeakNodeConnector : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        sb::models::Profile profile;
        QUrl issuer;                                     //!< empty: the profile's or the default
        QString clientId;                                //!< empty: the profile's or the default
        sb::api::CredentialStore *credentials = nullptr; //!< null: nothing stored (demo)
        QString pastedToken;                             //!< used for this run only
        bool demo = false;                               //!< sign in at once (simulator realm)
    };

    explicit SpeakNodeConnector(const Options &options, QObject *parent = nullptr);
    ~SpeakNodeConnector() override;

    void start();
    sb::api::TokenManager *tokens() const { return m_tokens; }
    QNetworkAccessManager *networkAccessManager() const { return m_nam; }
    sb::api::OAuthClientConfig client() const { return m_client; }

    //! Tokens from a sign-in dialog (the refresh token goes to the keychain).
    void adopt(const sb::api::TokenSet &tokens, const sb::api::OAuthEndpoints &endpoints);
    //! A pasted access token, for this run only.
    void usePasted(const QString &token);
    //! Revokes at the realm and forgets the stored sign-in.
    void signOut();

Q_SIGNALS:
    //! Emitted once: there is a token, or it is clear that the person must sign in. The
    //! runtime can be built now (the cached history shows either way).
    void readyToConnect();
    //! A token is available again (after sign-in, restore or a pasted token).
    void signedIn();
    //! The person must sign in; `reason` is translated.
    void signInRequired(const QString &reason);
    //! Sign-out finished; `message` says whether the realm could be told.
    void signedOut(const QString &message);

private:
    void onDiscovered();
    void signInDemo();
    void markReady();

    Options m_options;
    sb::api::OAuthClientConfig m_client;
    QNetworkAccessManager *m_nam;
    sb::api::TokenManager *m_tokens;
    QPointer<sb::ui::BrowserSignIn> m_demoSignIn;
    bool m_ready = false;
};

} // namespace sb::app
