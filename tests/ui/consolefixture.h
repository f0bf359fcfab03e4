#pragma once

// A connected console context for UI tests: the real simulator over real sockets, a
// ProfileRuntime (session, stream, cache, sync, models) on a temporary data folder.

#include "api/livestream.h"
#include "api/tokenmanager.h"
#include "models/agentlistmodel.h"
#include "models/settings.h"
#include "profileruntime.h"
#include "simulatorprocess.h"
#include "speaknodeconnector.h"

#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

class ConsoleFixture
{
public:
    //! Starts switchboard-sim with \a simArgs and connects a runtime with the first key.
    bool start(const QStringList &simArgs = {QStringLiteral("--history-calls"),
                                             QStringLiteral("50")})
    {
        QStandardPaths::setTestModeEnabled(true);
        if (!m_dir.isValid())
            return fail(QStringLiteral("no temporary folder"));
        if (!m_sim.start(simArgs))
            return fail(m_sim.errorString());
        m_settings =
            std::make_unique<sb::models::Settings>(m_dir.filePath(QStringLiteral("s.ini")));
        sb::app::ProfileRuntime::Options options;
        options.profileId = QStringLiteral("test-profile");
        options.baseUrl = m_sim.baseUrl();
        options.apiKey = m_sim.key();
        options.cachePath = m_dir.filePath(QStringLiteral("cache.sqlite"));
        options.mediaCacheDir = m_dir.filePath(QStringLiteral("media"));
        options.userName = QStringLiteral("tester");
        m_runtime = std::make_unique<sb::app::ProfileRuntime>(options, m_settings.get());
        QString error;
        if (!m_runtime->start(&error))
            return fail(error);
        return true;
    }

    //! Starts switchboard-sim and connects a SpeakNode runtime the way the demo does: the
    //! realm's discovery, a PKCE sign-in against the simulator's realm, then the runtime with
    //! the connector's TokenManager as the Session's token source.
    bool startSpeakNode(const QStringList &simArgs = {QStringLiteral("--history-calls"),
                                                      QStringLiteral("50")})
    {
        QStandardPaths::setTestModeEnabled(true);
        if (!m_dir.isValid())
            return fail(QStringLiteral("no temporary folder"));
        if (!m_sim.start(simArgs))
            return fail(m_sim.errorString());
        if (m_sim.speakNodeBaseUrl().isEmpty())
            return fail(QStringLiteral("the simulator announced no SpeakNode face"));
        m_settings =
            std::make_unique<sb::models::Settings>(m_dir.filePath(QStringLiteral("s.ini")));
        sb::app::SpeakNodeConnector::Options o;
        o.profile.id = QStringLiteral("test-speaknode");
        o.profile.name = QStringLiteral("SpeakNode test");
        o.profile.platform = QStringLiteral("speaknode");
        o.profile.demo = true;
        o.issuer = m_sim.speakNodeIssuer();
        o.clientId = m_sim.speakNodeClientId();
        o.demo = true;
        m_connector = std::make_unique<sb::app::SpeakNodeConnector>(o);
        bool ready = false;
        QString problem;
        QObject::connect(m_connector.get(), &sb::app::SpeakNodeConnector::readyToConnect,
                         [&ready] { ready = true; });
        QObject::connect(m_connector.get(), &sb::app::SpeakNodeConnector::signInRequired,
                         [&problem](const QString &why) { problem = why; });
        m_connector->start();
        if (!QTest::qWaitFor([&ready] { return ready; }, 30000))
            return fail(QStringLiteral("the sign-in did not finish"));
        if (!problem.isEmpty())
            return fail(problem);
        sb::app::ProfileRuntime::Options options;
        options.profileId = o.profile.id;
        options.platform = sb::api::PlatformKind::SpeakNode;
        options.baseUrl = m_sim.speakNodeBaseUrl();
        options.tokenSource = m_connector->tokens();
        options.cachePath = m_dir.filePath(QStringLiteral("cache.sqlite"));
        options.mediaCacheDir = m_dir.filePath(QStringLiteral("media"));
        options.userName = QStringLiteral("tester");
        m_runtime = std::make_unique<sb::app::ProfileRuntime>(options, m_settings.get());
        QString error;
        if (!m_runtime->start(&error))
            return fail(error);
        return true;
    }

    sb::app::SpeakNodeConnector *connector() const { return m_connector.get(); }

    //! Waits until the agents are loaded (most panes need their names).
    bool waitForAgents(int timeoutMs = 30000)
    {
        auto *agents = context().agents;
        return QTest::qWaitFor(
            [agents] { return agents->state() == sb::models::PagedListModel::State::Loaded; },
            timeoutMs);
    }

    const sb::ui::ConsoleContext &context() const { return m_runtime->context(); }
    sb::app::SimulatorProcess &sim() { return m_sim; }
    sb::app::ProfileRuntime *runtime() const { return m_runtime.get(); }
    QString dataPath(const QString &name) const { return m_dir.filePath(name); }
    QString errorString() const { return m_error; }

    //! Saves a PNG of \a widget to $SB_SCREENSHOT_DIR/<name>.png when that variable is set
    //! (for a person to look at; never asserted).
    static void screenshot(QWidget *widget, const QString &name)
    {
        const QString dir = qEnvironmentVariable("SB_SCREENSHOT_DIR");
        if (!dir.isEmpty())
            widget->grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png"));
    }

private:
    bool fail(const QString &message)
    {
        m_error = message;
        return false;
    }

    QTemporaryDir m_dir;
    sb::app::SimulatorProcess m_sim;
    std::unique_ptr<sb::models::Settings> m_settings;
    std::unique_ptr<sb::app::SpeakNodeConnector> m_connector; // outlives the runtime's Session
    std::unique_ptr<sb::app::ProfileRuntime> m_runtime;
    QString m_error;
};
