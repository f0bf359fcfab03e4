#pragma once

#include "commandline.h"

#include <QObject>
#include <memory>

namespace sb::api {
class CredentialStore;
class Platform;
class Session;
} // namespace sb::api
namespace sb::models {
class AgentListModel;
}
namespace sb::ui {
class MainWindow;
}

namespace sb::app {

class SimulatorProcess;

//! Composition root: builds every long-lived object once and hands each its collaborators.
//! No singletons; nothing below this class knows how the others were made.
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
    void connectDemo();
    void connectProfile();
    void useKey(const QString &key);
    void takeScreenshotWhenLoaded();
    QString profileId() const;

    LaunchOptions m_options;
    SimulatorProcess *m_simulator = nullptr;
    sb::api::Session *m_session = nullptr;
    sb::api::Platform *m_platform = nullptr;
    sb::api::CredentialStore *m_credentials = nullptr;
    sb::models::AgentListModel *m_agents = nullptr;
    std::unique_ptr<sb::ui::MainWindow> m_window;
};

} // namespace sb::app
