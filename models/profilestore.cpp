#include "profilestore.h"

#include "settings.h"

#include <QSettings>
#include <QUuid>

namespace sb::models {

ProfileStore::ProfileStore(Settings *settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
{
    load();
}

void ProfileStore::load()
{
    QSettings &s = m_settings->raw();
    const int count = s.beginReadArray(QStringLiteral("profiles/list"));
    for (int i = 0; i < count; ++i) {
        s.setArrayIndex(i);
        Profile p;
        p.id = s.value(QStringLiteral("id")).toString();
        p.name = s.value(QStringLiteral("name")).toString();
        p.platform = s.value(QStringLiteral("platform"), QStringLiteral("talknex")).toString();
        p.baseUrl = QUrl(s.value(QStringLiteral("baseUrl")).toString());
        p.demo = s.value(QStringLiteral("demo"), false).toBool();
        p.issuerUrl = QUrl(s.value(QStringLiteral("issuerUrl")).toString());
        p.clientId = s.value(QStringLiteral("clientId")).toString();
        if (p.isValid() && !contains(p.id))
            m_profiles.append(p);
    }
    s.endArray();
}

void ProfileStore::store()
{
    QSettings &s = m_settings->raw();
    s.remove(QStringLiteral("profiles/list"));
    s.beginWriteArray(QStringLiteral("profiles/list"), int(m_profiles.size()));
    for (int i = 0; i < m_profiles.size(); ++i) {
        const Profile &p = m_profiles.at(i);
        s.setArrayIndex(i);
        s.setValue(QStringLiteral("id"), p.id);
        s.setValue(QStringLiteral("name"), p.name);
        s.setValue(QStringLiteral("platform"), p.platform);
        s.setValue(QStringLiteral("baseUrl"), p.baseUrl.toString());
        s.setValue(QStringLiteral("demo"), p.demo);
        if (p.platform == QLatin1String("speaknode")) {
            s.setValue(QStringLiteral("issuerUrl"), p.issuerUrl.toString());
            s.setValue(QStringLiteral("clientId"), p.clientId);
        }
    }
    s.endArray();
    s.sync();
    Q_EMIT changed();
}

Profile ProfileStore::profile(const QString &id) const
{
    for (const Profile &p : m_profiles)
        if (p.id == id)
            return p;
    return {};
}

bool ProfileStore::contains(const QString &id) const
{
    return profile(id).isValid();
}

bool ProfileStore::isNameTaken(const QString &name, const QString &exceptId) const
{
    const QString wanted = name.trimmed();
    for (const Profile &p : m_profiles)
        if (p.id != exceptId && p.name.trimmed().compare(wanted, Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

Profile ProfileStore::save(Profile profile)
{
    if (profile.id.isEmpty())
        profile.id = newId();
    if (profile.platform.isEmpty())
        profile.platform = QStringLiteral("talknex");
    bool replaced = false;
    for (Profile &p : m_profiles) {
        if (p.id == profile.id) {
            p = profile;
            replaced = true;
        }
    }
    if (!replaced)
        m_profiles.append(profile);
    store();
    return profile;
}

void ProfileStore::remove(const QString &id)
{
    const auto removed = m_profiles.removeIf([&](const Profile &p) { return p.id == id; });
    if (removed > 0) {
        if (m_settings->lastProfile() == id)
            m_settings->setLastProfile(QString());
        store();
    }
}

Profile ProfileStore::demoProfile(const QString &platform)
{
    for (const Profile &p : m_profiles)
        if (p.demo && p.platform == platform)
            return p;
    Profile demo;
    demo.id = QStringLiteral("demo-") + platform;
    demo.name = platform == QLatin1String("speaknode") ? tr("Demo (SpeakNode)") : tr("Demo");
    demo.platform = platform;
    demo.demo = true;
    return save(demo);
}

QUrl ProfileStore::defaultSpeakNodeIssuer()
{
    return QUrl(QStringLiteral("https://identity.speaknode.com/realms/speaknode"));
}

QString ProfileStore::defaultSpeakNodeClientId()
{
    return QStringLiteral("switchboard");
}

QString ProfileStore::newId()
{
    return QStringLiteral("p-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
}

} // namespace sb::models
