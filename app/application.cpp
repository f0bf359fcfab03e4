#include "application.h"

#include "simulatorprocess.h"

#include "api/credentialstore.h"
#include "api/platform.h"
#include "api/session.h"
#include "models/agentlistmodel.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QLoggingCategory>
#include <QTimer>

Q_LOGGING_CATEGORY(lcApp, "switchboard.app")

namespace sb::app {

using sb::api::ApiError;
using sb::api::CredentialStore;
using sb::models::AgentListModel;

Application::Application(const LaunchOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
{}

Application::~Application()
{
    // The window goes first so that nothing it shows outlives the models and the session.
    m_window.reset();
    if (m_simulator)
        m_simulator->stop();
}

bool Application::start()
{
    m_session = new sb::api::Session(this);
    m_platform = sb::api::createPlatform(sb::api::PlatformKind::Talknex, m_session, this);
    m_credentials = new CredentialStore(this);
    m_agents = new AgentListModel(this);
    m_window = std::make_unique<sb::ui::MainWindow>(m_agents);

    connect(m_session, &sb::api::Session::budgetChanged, m_window.get(),
            [this](const sb::api::RateBudget &budget) {
                m_window->setRequestBudget(budget.remaining, budget.limit);
            });
    connect(m_session, &sb::api::Session::unauthorized, m_window.get(), [this](const ApiError &) {
        m_window->showNotice(tr("The platform rejected the API key (it may have been revoked). "
                                "Start again with a new key."),
                             true);
    });
    connect(m_credentials, &CredentialStore::availabilityChanged, m_window.get(),
            [this](CredentialStore::Availability availability, const QString &message) {
                if (availability == CredentialStore::Availability::Unavailable)
                    m_window->showStatusMessage(message);
            });
    connect(m_window.get(), &sb::ui::MainWindow::reloadRequested, m_agents,
            &AgentListModel::reload);

    if (!m_options.screenshotPath.isEmpty())
        takeScreenshotWhenLoaded();

    m_window->show();
    if (m_options.demo)
        connectDemo();
    else if (m_options.baseUrl.isValid())
        connectProfile();
    else
        m_window->showNotice(tr("No profile is selected. Start Switchboard with --demo to try it "
                                "on the bundled simulator, or with --base-url and --api-key-env "
                                "to connect to your account."),
                             false);
    return true;
}

void Application::connectDemo()
{
    m_window->setProfile(m_options.profileName, tr("bundled simulator"));
    m_window->showStatusMessage(tr("Starting the simulator…"));
    m_simulator = new SimulatorProcess(this);
    if (!m_simulator->start(m_options.simulatorArgs)) {
        qCWarning(lcApp) << "demo simulator failed:" << m_simulator->errorString();
        m_window->showNotice(
            tr("The demo simulator could not start: %1").arg(m_simulator->errorString()), true);
        return;
    }
    connect(m_simulator, &SimulatorProcess::exitedUnexpectedly, m_window.get(),
            [this](const QString &reason) {
                m_window->showNotice(tr("The demo simulator stopped: %1").arg(reason), true);
            });
    m_window->setProfile(m_options.profileName, m_simulator->baseUrl().toString());
    m_window->showStatusMessage(
        tr("Simulator running at %1").arg(m_simulator->baseUrl().toString()));
    const ApiError error = m_session->setBaseUrl(m_simulator->baseUrl());
    if (error.isError()) {
        m_window->showNotice(error.caption(), true);
        return;
    }
    // The demo key is the simulator's and lives only as long as it does: no keychain entry.
    useKey(m_simulator->key());
}

void Application::connectProfile()
{
    m_window->setProfile(m_options.profileName, m_options.baseUrl.toString());
    const ApiError error = m_session->setBaseUrl(m_options.baseUrl);
    if (error.isError()) {
        m_window->showNotice(error.caption(), true);
        return;
    }
    if (!m_options.apiKeyEnv.isEmpty()) {
        const QString key = qEnvironmentVariable(qPrintable(m_options.apiKeyEnv)).trimmed();
        if (key.isEmpty()) {
            m_window->showNotice(tr("The environment variable %1 is not set or empty, so there is "
                                    "no API key to use.")
                                     .arg(m_options.apiKeyEnv),
                                 true);
            return;
        }
        connect(m_credentials, &CredentialStore::written, this,
                [this](const QString &, bool persisted) {
                    m_window->showStatusMessage(
                        persisted ? tr("The API key is stored in the system keychain.")
                                  : tr("No keychain is available: the API key is kept in memory "
                                       "for this run only."));
                });
        m_credentials->write(profileId(), key);
        useKey(key);
        return;
    }
    connect(m_credentials, &CredentialStore::readFinished, this,
            [this](const QString &id, const QString &secret, bool found) {
                if (id != profileId())
                    return;
                if (!found) {
                    m_window->showNotice(tr("No API key is stored for %1. Start once with "
                                            "--api-key-env to store it in the keychain.")
                                             .arg(m_options.baseUrl.toString()),
                                         true);
                    return;
                }
                useKey(secret);
            });
    m_credentials->read(profileId());
}

void Application::useKey(const QString &key)
{
    m_session->setApiKey(key);
    m_agents->load(m_platform);
}

QString Application::profileId() const
{
    return QStringLiteral("talknex:") + m_options.baseUrl.toString(QUrl::NormalizePathSegments);
}

void Application::takeScreenshotWhenLoaded()
{
    auto shoot = [this] {
        // Let the view lay out and paint the rows before grabbing.
        QTimer::singleShot(400, this, [this] {
            const bool saved = m_window->grab().save(m_options.screenshotPath);
            if (!saved)
                qCWarning(lcApp) << "could not write the screenshot to" << m_options.screenshotPath;
            QCoreApplication::exit(saved ? 0 : 1);
        });
    };
    connect(m_agents, &AgentListModel::stateChanged, this, [shoot](AgentListModel::State state) {
        if (state == AgentListModel::State::Loaded || state == AgentListModel::State::Failed)
            shoot();
    });
    // Nothing to wait for (no profile) or a start-up failure: grab what is there after a while.
    QTimer::singleShot(30000, this, shoot);
}

} // namespace sb::app
