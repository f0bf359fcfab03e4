#include "settings.h"

#include <QSettings>

namespace sb::models {

namespace {
const QString VersionKey = QStringLiteral("settingsVersion");

QString paneKey(const QString &profileId, const QString &paneId)
{
    // Profile ids contain ':' and '/', which QSettings treats specially in keys.
    const QString safe = QString::fromLatin1(profileId.toUtf8().toHex());
    return QStringLiteral("panes/") + safe + QLatin1Char('/') + paneId;
}
} // namespace

Settings::Settings()
    : m_settings(std::make_unique<QSettings>())
{
    migrate();
}

Settings::Settings(const QString &iniPath)
    : m_settings(std::make_unique<QSettings>(iniPath, QSettings::IniFormat))
{
    migrate();
}

Settings::~Settings() = default;

void Settings::migrate()
{
    const int stored = m_settings->value(VersionKey, 0).toInt();
    if (stored > Version)
        return; // written by a newer Switchboard: read what we know, write nothing back
    // Version 0 is an empty file or one from before versioning: nothing to convert yet.
    if (stored < Version)
        m_settings->setValue(VersionKey, Version);
}

QByteArray Settings::paneState(const QString &profileId, const QString &paneId) const
{
    return m_settings->value(paneKey(profileId, paneId)).toByteArray();
}

void Settings::setPaneState(const QString &profileId, const QString &paneId,
                            const QByteArray &state)
{
    m_settings->setValue(paneKey(profileId, paneId), state);
}

QByteArray Settings::windowGeometry() const
{
    return m_settings->value(QStringLiteral("window/geometry")).toByteArray();
}

void Settings::setWindowGeometry(const QByteArray &geometry)
{
    m_settings->setValue(QStringLiteral("window/geometry"), geometry);
}

QByteArray Settings::windowState() const
{
    return m_settings->value(QStringLiteral("window/state")).toByteArray();
}

void Settings::setWindowState(const QByteArray &state)
{
    m_settings->setValue(QStringLiteral("window/state"), state);
}

QString Settings::currentPane() const
{
    return m_settings->value(QStringLiteral("window/pane"), QStringLiteral("live")).toString();
}

void Settings::setCurrentPane(const QString &paneId)
{
    m_settings->setValue(QStringLiteral("window/pane"), paneId);
}

AlertRules Settings::alertRules() const
{
    const QVariant stored = m_settings->value(QStringLiteral("alerts/rules"));
    return stored.isValid() ? AlertRules::fromMap(stored.toMap()) : AlertRules();
}

void Settings::setAlertRules(const AlertRules &rules)
{
    m_settings->setValue(QStringLiteral("alerts/rules"), rules.toMap());
}

bool Settings::alertNotifications() const
{
    return m_settings->value(QStringLiteral("alerts/notifications"), true).toBool();
}

void Settings::setAlertNotifications(bool enabled)
{
    m_settings->setValue(QStringLiteral("alerts/notifications"), enabled);
}

QString Settings::lastProfile() const
{
    return m_settings->value(QStringLiteral("profiles/last")).toString();
}

void Settings::setLastProfile(const QString &profileId)
{
    m_settings->setValue(QStringLiteral("profiles/last"), profileId);
}

double Settings::playbackRate() const
{
    const double rate = m_settings->value(QStringLiteral("player/rate"), 1.0).toDouble();
    return qBound(0.5, rate, 2.0);
}

void Settings::setPlaybackRate(double rate)
{
    m_settings->setValue(QStringLiteral("player/rate"), qBound(0.5, rate, 2.0));
}

void Settings::sync()
{
    m_settings->sync();
}

} // namespace sb::models
