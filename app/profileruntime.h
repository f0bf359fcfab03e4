#pragma once

#include "api/platform.h"
#include "ui/consolecontext.h"

#include <QObject>
#include <QString>
#include <QUrl>

namespace sb::api {
class TokenSource;
}

namespace sb::app {

//! Everything one connected profile needs, built in one place and torn down together:
//! session, platform, live stream, local cache, sync, alerts and the list models. The
//! composition root makes one per active profile; tests make one against the simulator.
class ProfileRuntime : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QString profileId; //!< keys the cache file and the stored pane state
        sb::api::PlatformKind platform = sb::api::PlatformKind::Talknex;
        QUrl baseUrl;   //!< REST base (".../v1" is appended by the platform)
        QString apiKey; //!< kept in memory only
        //! OAuth platforms (SpeakNode): where the Session gets its bearer token instead of
        //! apiKey. Not owned; must outlive the runtime.
        sb::api::TokenSource *tokenSource = nullptr;
        QString cachePath;         //!< empty: CallCache::pathForProfile(profileId)
        QString mediaCacheDir;     //!< empty: <AppDataLocation>/media/<profile hash>
        QString userName;          //!< who acknowledges alerts; empty: the login name
        double callTimeRate = 1.0; //!< simulator --speed: call time per wall second
    };

    //! \a settings must outlive the runtime.
    ProfileRuntime(const Options &options, sb::models::Settings *settings,
                   QObject *parent = nullptr);
    ~ProfileRuntime() override;

    //! Opens the cache and starts sync and the live stream. Returns false (with \a error)
    //! only when the base URL is refused; a cache that cannot open leaves history empty and
    //! says so through the navigator's statusMessage.
    bool start(QString *error = nullptr);
    void stop();

    const sb::ui::ConsoleContext &context() const { return m_context; }
    const Options &options() const { return m_options; }

Q_SIGNALS:
    //! The platform or the stream refused the key (revoked): the app asks for a new one.
    void credentialRejected();

private:
    Options m_options;
    sb::ui::ConsoleContext m_context;
    bool m_started = false;
};

} // namespace sb::app
