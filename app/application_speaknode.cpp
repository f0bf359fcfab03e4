// Application's SpeakNode half: a profile signs in through the realm (SpeakNodeConnector), the
// console asks the person to sign in again when the grant is gone, and File › Sign Out.

#include "application.h"

#include "profileruntime.h"
#include "speaknodeconnector.h"

#include "api/livestream.h"
#include "models/profilestore.h"
#include "models/syncservice.h"
#include "ui/mainwindow.h"
#include "ui/speaknodesignindialog.h"

#include <QAction>

namespace sb::app {

using sb::models::Profile;

void Application::connectSpeakNode(const Profile &profile, const QUrl &baseUrl, const QUrl &issuer,
                                   const QString &clientId)
{
    SpeakNodeConnector::Options o;
    o.profile = profile;
    o.issuer = issuer;
    o.clientId = clientId;
    o.demo = profile.demo;
    o.credentials = profile.demo ? nullptr : m_credentials; // the demo's sign-in dies with it
    if (!profile.demo && !m_options.apiKeyEnv.isEmpty() && profile.baseUrl == m_options.baseUrl) {
        o.pastedToken = qEnvironmentVariable(qPrintable(m_options.apiKeyEnv)).trimmed();
        if (o.pastedToken.isEmpty()) {
            m_window->showNotice(tr("The environment variable %1 is not set or empty, so there "
                                    "is no access token to use.")
                                     .arg(m_options.apiKeyEnv),
                                 true);
            return;
        }
    }
    m_speakNode = new SpeakNodeConnector(o, this);
    connect(m_speakNode, &SpeakNodeConnector::signInRequired, this, [this](const QString &why) {
        m_speakNodeLost = true;
        askForSpeakNodeSignIn(why);
    });
    connect(m_speakNode, &SpeakNodeConnector::signedIn, this, [this] {
        if (!m_speakNodeLost || !m_runtime)
            return;
        // Nothing is torn down: the same session, stream and panes go on with the new token.
        m_speakNodeLost = false;
        m_runtime->context().stream->stop();
        m_runtime->context().stream->start();
        m_runtime->context().sync->syncNow();
        m_window->showStatusMessage(tr("Signed in again."));
    });
    connect(m_speakNode, &SpeakNodeConnector::signedOut, this, [this](const QString &message) {
        if (m_window)
            m_window->showNotice(message, false);
    });
    QAction *signOut = m_window->signOutAction();
    signOut->setVisible(!profile.demo);
    connect(signOut, &QAction::triggered, m_speakNode, [this] {
        m_speakNodeLost = true;
        m_speakNode->signOut();
        askForSpeakNodeSignIn(tr("You signed out. Sign in again to go on working with this "
                                 "profile."));
    });
    // The runtime starts once there is a token, or once it is clear there will be none
    // without the person (then the cached history shows while the sign-in dialog is open).
    connect(m_speakNode, &SpeakNodeConnector::readyToConnect, this,
            [this, profile, baseUrl] { connectRuntime(profile, baseUrl, QString(), 1.0); });
    m_window->showStatusMessage(tr("Signing in to SpeakNode…"));
    m_speakNode->start();
}

void Application::askForSpeakNodeSignIn(const QString &reason)
{
    if (m_speakNodeSignIn || !m_window || !m_speakNode)
        return;
    const Profile profile = m_profiles->profile(m_activeProfile);
    if (profile.demo) {
        m_window->showNotice(tr("The demo could not sign in to the simulator: %1").arg(reason),
                             true);
        return;
    }
    m_speakNodeSignIn = new sb::ui::SpeakNodeSignInDialog(
        profile, m_speakNode->networkAccessManager(), m_window.get());
    m_speakNodeSignIn->setAttribute(Qt::WA_DeleteOnClose);
    m_speakNodeSignIn->setReason(reason);
    connect(m_speakNodeSignIn, &sb::ui::SpeakNodeSignInDialog::signedIn, m_speakNode,
            &SpeakNodeConnector::adopt);
    connect(m_speakNodeSignIn, &sb::ui::SpeakNodeSignInDialog::accessTokenPasted, m_speakNode,
            &SpeakNodeConnector::usePasted);
    connect(m_speakNodeSignIn, &sb::ui::SpeakNodeSignInDialog::switchProfileRequested, this,
            &Application::manageProfiles);
    m_speakNodeSignIn->open();
}

} // namespace sb::app
