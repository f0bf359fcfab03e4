#pragma once

#include "commandline.h"

#include <QObject>
#include <QPointer>
#include <QUrl>
#include <functional>
#include <memory>

namespace sb::api {
class CredentialStore;
}
namespace sb::models {
class ProfileStore;
class Settings;
struct Profile;
} // namespace sb::models
namespace sb::ui {
class MainWindow;
class SignInDialog;
class SpeakNodeSignInDialog;
} // namespace sb::ui

namespace sb::app {

class ProfileRuntime;
class SimulatorProcess;
class SpeakNodeConnector;

//! Composition root: builds every long-lived object once and hands each its collaborators.
//! No singletons; nothing below this class knows how the others were made. A profile switch
//! tears the window and the profile's runtime down together and builds them again.
class Application : public QObject
{
    Q_OBJECT
public:
    explicit Application(const LaunchOptions &options, QObject *parent = nullptr);
    ~Application() override;

    //! Creates the window and starts connecting; returns false only when nothing can be shown.
    bool start();
    sb::ui::MainWindow *window() const { return m_window.get(); }

private:
    void buildWindow();
    void openProfile(const sb::models::Profile &profile);
    void startDemo(const sb::models::Profile &profile);
    void connectAccount(const sb::models::Profile &profile);
    //! SpeakNode: tokens through SpeakNodeConnector (OAuth), then the runtime.
    void connectSpeakNode(const sb::models::Profile &profile, const QUrl &baseUrl,
                          const QUrl &issuer, const QString &clientId);
    void askForSpeakNodeSignIn(const QString &reason);
    void connectRuntime(const sb::models::Profile &profile, const QUrl &baseUrl, const QString &key,
                        double callTimeRate);
    void switchProfile(const QString &profileId);
    void refreshProfileMenu();
    void showWelcome();
    void manageProfiles();
    void reconnectActive();
    void askForNewKey(const QString &reason);
    void takeScreenshotWhenLoaded();
    void teardown();

    LaunchOptions m_options;
    std::unique_ptr<sb::models::Settings> m_settings;
    sb::models::ProfileStore *m_profiles = nullptr;
    sb::api::CredentialStore *m_credentials = nullptr;
    SimulatorProcess *m_simulator = nullptr;
    ProfileRuntime *m_runtime = nullptr;
    std::unique_ptr<sb::ui::MainWindow> m_window;
    QString m_activeProfile;
    QPointer<sb::ui::SignInDialog> m_signIn;
    SpeakNodeConnector *m_speakNode = nullptr;
    QPointer<sb::ui::SpeakNodeSignInDialog> m_speakNodeSignIn;
    bool m_speakNodeLost = false;      //!< a sign-in was required since the last token
    std::function<void()> m_onRuntime; //!< the screenshot hook, once a runtime exists
};

} // namespace sb::app
