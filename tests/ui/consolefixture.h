#pragma once

// A connected console context for UI tests: the real simulator over real sockets, a
// ProfileRuntime (session, stream, cache, sync, models) on a temporary data folder.

#include "api/livestream.h"
#include "models/agentlistmodel.h"
#include "models/settings.h"
#include "profileruntime.h"
#include "simulatorprocess.h"

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
    std::unique_ptr<sb::app::ProfileRuntime> m_runtime;
    QString m_error;
};
