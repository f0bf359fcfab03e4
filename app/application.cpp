#include "application.h"

#include "profileruntime.h"
#include "simulatorprocess.h"
#include "speaknodeconnector.h"

#include "api/credentialstore.h"
#include "api/livestream.h"
#include "api/session.h"
#include "api/tokenmanager.h"
#include "models/agentlistmodel.h"
#include "models/callcache.h"
#include "models/profilestore.h"
#include "models/settings.h"
#include "models/syncservice.h"
#include "ui/mainwindow.h"
#include "ui/pane.h"
#include "ui/panes.h"
#include "ui/profilesdialog.h"
#include "ui/signindialog.h"
#include "ui/welcomedialog.h"

#include <QActionGroup>
#include <QApplication>
#include <QFile>
#include <QLoggingCategory>
#include <QMenu>
#include <QTimer>

Q_LOGGING_CATEGORY(lcApp, "switchboard.app")

namespace sb::app {

using sb::api::CredentialStore;
using sb::models::Profile;

Application::Application(const LaunchOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
{}

Application::~Application()
{
    teardown();
}

void Application::teardown()
{
    // The window goes first so that nothing it shows outlives the models and the session.
    m_window.reset();
    delete m_runtime;
    m_runtime = nullptr;
    delete m_speakNode; // after the runtime: its Session used the connector's tokens
    m_speakNode = nullptr;
    m_speakNodeLost = false;
    if (m_simulator) {
        m_simulator->stop();
        delete m_simulator;
        m_simulator = nullptr;
    }
}

bool Application::start()
{
    m_settings = std::make_unique<sb::models::Settings>();
    m_profiles = new sb::models::ProfileStore(m_settings.get(), this);
    m_credentials = new CredentialStore(this);
    connect(m_profiles, &sb::models::ProfileStore::changed, this, &Application::refreshProfileMenu);

    if (m_options.demo) {
        Profile demo = m_profiles->demoProfile(m_options.platform);
        openProfile(demo);
    } else if (m_options.baseUrl.isValid()) {
        // A command-line account becomes a stored profile, found again by its URL.
        Profile profile;
        for (const Profile &p : m_profiles->profiles())
            if (!p.demo && p.baseUrl == m_options.baseUrl && p.platform == m_options.platform)
                profile = p;
        profile.name = m_options.profileName;
        profile.platform = m_options.platform;
        profile.baseUrl = m_options.baseUrl;
        profile = m_profiles->save(profile);
        openProfile(profile);
    } else if (m_profiles->contains(m_settings->lastProfile())) {
        openProfile(m_profiles->profile(m_settings->lastProfile()));
    } else {
        buildWindow();
        m_window->showNotice(tr("No profile is selected yet. Try the demo or connect an account "
                                "(File › Manage Profiles)."),
                             false);
        if (m_options.screenshotPath.isEmpty())
            showWelcome();
    }
    if (!m_options.screenshotPath.isEmpty())
        takeScreenshotWhenLoaded();
    return true;
}

void Application::buildWindow()
{
    m_window = std::make_unique<sb::ui::MainWindow>();
    const QByteArray geometry = m_settings->windowGeometry();
    if (!geometry.isEmpty() && m_options.screenshotPath.isEmpty())
        m_window->restoreGeometry(geometry);
    refreshProfileMenu();
    connect(m_window->manageProfilesAction(), &QAction::triggered, this,
            &Application::manageProfiles);
    m_window->show();
}

void Application::showWelcome()
{
    auto *welcome = new sb::ui::WelcomeDialog(m_profiles, m_credentials, m_window.get());
    welcome->setAttribute(Qt::WA_DeleteOnClose);
    connect(welcome, &sb::ui::WelcomeDialog::choiceMade, this,
            [this, welcome](sb::ui::WelcomeDialog::Choice choice) {
                Profile chosen;
                if (choice == sb::ui::WelcomeDialog::Choice::Demo)
                    chosen = m_profiles->demoProfile();
                else if (choice == sb::ui::WelcomeDialog::Choice::ConnectAccount)
                    chosen = welcome->profile();
                if (chosen.isValid())
                    QTimer::singleShot(0, this, [this, chosen] { openProfile(chosen); });
            });
    welcome->open();
}

void Application::manageProfiles()
{
    auto *dialog =
        new sb::ui::ProfilesDialog(m_profiles, m_credentials, m_activeProfile, m_window.get());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &sb::ui::ProfilesDialog::switchRequested, this, &Application::switchProfile);
    connect(dialog, &sb::ui::ProfilesDialog::profileSaved, this,
            [this](const Profile &profile, bool keyChanged) {
                // The active account got a new key or address: connect again with it.
                if (profile.id == m_activeProfile && (keyChanged || !profile.demo))
                    reconnectActive();
            });
    dialog->open();
}

void Application::reconnectActive()
{
    const QString id = m_activeProfile;
    if (!m_window || !m_window->confirmClose())
        return;
    m_activeProfile.clear();
    QTimer::singleShot(0, this, [this, id] { openProfile(m_profiles->profile(id)); });
}

void Application::askForNewKey(const QString &reason)
{
    if (m_signIn || !m_window)
        return;
    const Profile profile = m_profiles->profile(m_activeProfile);
    if (profile.demo) {
        m_window->showNotice(reason, true);
        return;
    }
    m_signIn = new sb::ui::SignInDialog(profile, m_credentials, m_window.get());
    m_signIn->setAttribute(Qt::WA_DeleteOnClose);
    m_signIn->setReason(reason);
    connect(m_signIn, &sb::ui::SignInDialog::signedIn, this, [this](const QString &key, bool) {
        // Nothing is torn down: the same session and stream go on with the new key.
        if (!m_runtime)
            return;
        m_runtime->context().session->setApiKey(key);
        m_runtime->context().stream->stop();
        m_runtime->context().stream->start();
        m_runtime->context().sync->syncNow();
        m_window->showStatusMessage(tr("Signed in again."));
    });
    connect(m_signIn, &sb::ui::SignInDialog::switchProfileRequested, this,
            &Application::manageProfiles);
    m_signIn->open();
}

void Application::refreshProfileMenu()
{
    if (!m_window)
        return;
    QMenu *menu = m_window->switchProfileMenu();
    menu->clear();
    auto *group = new QActionGroup(menu);
    for (const Profile &p : m_profiles->profiles()) {
        QAction *action = menu->addAction(p.name);
        action->setCheckable(true);
        action->setChecked(p.id == m_activeProfile);
        action->setActionGroup(group);
        connect(action, &QAction::triggered, this, [this, id = p.id] { switchProfile(id); });
    }
    menu->setEnabled(!menu->isEmpty());
}

void Application::openProfile(const Profile &profile)
{
    teardown();
    m_activeProfile = profile.id;
    buildWindow();
    m_window->setProfile(profile.name,
                         profile.demo ? tr("bundled simulator") : profile.baseUrl.toString());
    if (profile.demo)
        startDemo(profile);
    else if (profile.platform == QLatin1String("speaknode"))
        connectSpeakNode(profile, profile.baseUrl, profile.issuerUrl, profile.clientId);
    else
        connectAccount(profile);
}

void Application::switchProfile(const QString &profileId)
{
    if (profileId == m_activeProfile || !m_profiles->contains(profileId))
        return;
    if (m_window && !m_window->confirmClose()) {
        refreshProfileMenu(); // the check mark goes back to the active profile
        return;
    }
    // Deferred: the menu action that asked is owned by the window about to be destroyed.
    QTimer::singleShot(0, this, [this, profileId] { openProfile(m_profiles->profile(profileId)); });
}

void Application::startDemo(const Profile &profile)
{
    m_window->showStatusMessage(tr("Starting the simulator…"));
    m_simulator = new SimulatorProcess(this);
    connect(m_simulator, &SimulatorProcess::exitedUnexpectedly, this,
            [this](const QString &reason) {
                if (m_window)
                    m_window->showNotice(tr("The demo simulator stopped: %1").arg(reason), true);
            });
    // Started without blocking: the window paints at once and says what it is waiting for.
    connect(m_simulator, &SimulatorProcess::startFinished, this, [this, profile](bool ok) {
        if (!m_window)
            return;
        if (!ok) {
            qCWarning(lcApp) << "demo simulator failed:" << m_simulator->errorString();
            m_window->showNotice(
                tr("The demo simulator could not start: %1").arg(m_simulator->errorString()), true);
            return;
        }
        if (profile.platform == QLatin1String("speaknode")) {
            m_window->setProfile(profile.name, m_simulator->speakNodeBaseUrl().toString());
            connectSpeakNode(profile, m_simulator->speakNodeBaseUrl(),
                             m_simulator->speakNodeIssuer(), m_simulator->speakNodeClientId());
            return;
        }
        m_window->setProfile(profile.name, m_simulator->baseUrl().toString());
        // The demo key is the simulator's and lives only as long as it does: no keychain entry.
        connectRuntime(profile, m_simulator->baseUrl(), m_simulator->key(), 1.0);
    });
    m_simulator->startAsync(m_options.simulatorArgs);
}

void Application::connectAccount(const Profile &profile)
{
    const QString keyId = profile.credentialKey();
    if (!m_options.apiKeyEnv.isEmpty() && profile.baseUrl == m_options.baseUrl) {
        const QString key = qEnvironmentVariable(qPrintable(m_options.apiKeyEnv)).trimmed();
        if (key.isEmpty()) {
            m_window->showNotice(tr("The environment variable %1 is not set or empty, so there "
                                    "is no API key to use.")
                                     .arg(m_options.apiKeyEnv),
                                 true);
            return;
        }
        connect(m_credentials, &CredentialStore::written, m_window.get(),
                [this](const QString &, bool persisted) {
                    m_window->showStatusMessage(
                        persisted ? tr("The API key is stored in the system keychain.")
                                  : tr("No keychain is available: the API key is kept in memory "
                                       "for this run only."));
                });
        m_credentials->write(keyId, key);
        connectRuntime(profile, profile.baseUrl, key, 1.0);
        return;
    }
    connect(m_credentials, &CredentialStore::readFinished, m_window.get(),
            [this, profile, keyId](const QString &id, const QString &secret, bool found) {
                if (id != keyId)
                    return;
                if (!found) {
                    m_window->showNotice(tr("No API key is stored for %1. Enter it under File › "
                                            "Manage Profiles.")
                                             .arg(profile.name),
                                         true);
                    return;
                }
                connectRuntime(profile, profile.baseUrl, secret, 1.0);
            });
    m_credentials->read(keyId);
}

void Application::connectRuntime(const Profile &profile, const QUrl &baseUrl, const QString &key,
                                 double callTimeRate)
{
    ProfileRuntime::Options options;
    options.profileId = profile.id;
    if (profile.demo) {
        // Every demo start is a new simulated world: yesterday's cached calls (some still
        // "ringing" there) would only confuse it. The demo cache lives for one run.
        const QString path = sb::models::CallCache::pathForProfile(profile.id);
        for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
            QFile::remove(path + suffix);
    }
    options.baseUrl = baseUrl;
    options.apiKey = key;
    options.callTimeRate = callTimeRate;
    if (profile.platform == QLatin1String("speaknode")) {
        options.platform = sb::api::PlatformKind::SpeakNode;
        options.tokenSource = m_speakNode ? m_speakNode->tokens() : nullptr;
    }
    m_runtime = new ProfileRuntime(options, m_settings.get(), this);
    QString error;
    if (!m_runtime->start(&error)) {
        m_window->showNotice(error, true);
        return;
    }
    m_settings->setLastProfile(profile.id);
    if (m_onRuntime)
        m_onRuntime();
    const sb::ui::ConsoleContext &context = m_runtime->context();
    const QList<sb::ui::Pane *> panes = sb::ui::createPanes(context, m_window.get());
    m_window->attach(context, profile.id, panes);
    if (!m_options.pane.isEmpty())
        m_window->showPane(m_options.pane);
    connect(m_runtime, &ProfileRuntime::credentialRejected, this, [this] {
        if (m_speakNode) // the connector says why and asks for a sign-in itself
            return;
        askForNewKey(tr("The platform rejected the API key of this profile (it may have been "
                        "revoked or expired)."));
    });
}

void Application::takeScreenshotWhenLoaded()
{
    auto shoot = [this] {
        // Let the views lay out, fetch and paint their first rows before grabbing.
        const int delayMs = qEnvironmentVariableIsSet("SWITCHBOARD_SCREENSHOT_DELAY_MS")
                                ? qEnvironmentVariableIntValue("SWITCHBOARD_SCREENSHOT_DELAY_MS")
                                : 2500;
        QTimer::singleShot(delayMs, this, [this] {
            const bool saved = m_window && m_window->grab().save(m_options.screenshotPath);
            if (!saved)
                qCWarning(lcApp) << "could not write the screenshot to" << m_options.screenshotPath;
            QCoreApplication::exit(saved ? 0 : 1);
        });
    };
    m_onRuntime = [this, shoot] {
        auto *agents = m_runtime->context().agents;
        connect(agents, &sb::models::AgentListModel::stateChanged, this,
                [shoot](sb::models::PagedListModel::State state) {
                    if (state == sb::models::PagedListModel::State::Loaded ||
                        state == sb::models::PagedListModel::State::Failed)
                        shoot();
                });
    };
    if (m_runtime)
        m_onRuntime();
    // Nothing to wait for (no profile) or a start-up failure: grab what is there after a while.
    QTimer::singleShot(30000, this, shoot);
}

} // namespace sb::app
