#pragma once

#include "alertrules.h"

#include <QByteArray>
#include <QString>
#include <memory>

class QSettings;

namespace sb::models {

//! The one typed facade over QSettings: every key, its default and the format version.
//!
//! Never holds a secret (keys and tokens live in the keychain only). Opening a file written
//! by an older version migrates it; a newer version's keys are left alone and defaults used.
class Settings
{
public:
    static constexpr int Version = 1;

    //! The application's settings (QSettings' default location for the organization/app).
    Settings();
    //! Settings in an INI file at \a iniPath (tests, portable use).
    explicit Settings(const QString &iniPath);
    ~Settings();
    Settings(const Settings &) = delete;
    Settings &operator=(const Settings &) = delete;

    //! Splitter, header and column state of a pane, per profile so each account keeps its own.
    QByteArray paneState(const QString &profileId, const QString &paneId) const;
    void setPaneState(const QString &profileId, const QString &paneId, const QByteArray &state);

    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray &geometry);
    QByteArray windowState() const;
    void setWindowState(const QByteArray &state);
    //! The pane shown last ("live" by default).
    QString currentPane() const;
    void setCurrentPane(const QString &paneId);

    AlertRules alertRules() const;
    void setAlertRules(const AlertRules &rules);
    //! Desktop notifications for new alerts (on by default).
    bool alertNotifications() const;
    void setAlertNotifications(bool enabled);

    //! Id of the profile used last, empty before the first run finished the welcome.
    QString lastProfile() const;
    void setLastProfile(const QString &profileId);

    //! Playback speed of the recording player (0.5–2.0, 1.0 by default).
    double playbackRate() const;
    void setPlaybackRate(double rate);

    //! Direct access for stores that keep their own groups (ProfileStore).
    QSettings &raw() const { return *m_settings; }
    void sync();

private:
    void migrate();
    std::unique_ptr<QSettings> m_settings;
};

} // namespace sb::models
