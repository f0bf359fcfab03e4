#pragma once

#include <QList>
#include <QObject>
#include <QString>
#include <QUrl>

namespace sb::models {

class Settings;

//! A connection profile: which platform, where, under which name. The secret (API key or
//! refresh token) is never here: it lives in the keychain under id().
struct Profile
{
    QString id;        //!< stable, generated once ("p-<uuid>"); the keychain entry's name
    QString name;      //!< shown in the title and the status bar
    QString platform;  //!< "talknex" or "speaknode"
    QUrl baseUrl;      //!< empty for the demo profile (the simulator picks its port)
    bool demo = false; //!< the bundled simulator
    //! SpeakNode: the identity realm (OIDC issuer, discovery below it) and the OAuth client id.
    QUrl issuerUrl;
    QString clientId;

    bool isValid() const { return !id.isEmpty() && !name.trimmed().isEmpty(); }
    //! Name of this profile's keychain entry (CredentialStore): "<platform>:<id>".
    QString credentialKey() const { return platform + QLatin1Char(':') + id; }
    friend bool operator==(const Profile &a, const Profile &b)
    {
        return a.id == b.id && a.name == b.name && a.platform == b.platform &&
               a.baseUrl == b.baseUrl && a.demo == b.demo && a.issuerUrl == b.issuerUrl &&
               a.clientId == b.clientId;
    }
};

//! The connection profiles, kept in Settings (group "profiles"). Emits changed() after any edit.
class ProfileStore : public QObject
{
    Q_OBJECT
public:
    explicit ProfileStore(Settings *settings, QObject *parent = nullptr);

    QList<Profile> profiles() const { return m_profiles; }
    Profile profile(const QString &id) const;
    bool contains(const QString &id) const;
    //! True when another profile than \a exceptId already uses \a name (trimmed, any case).
    bool isNameTaken(const QString &name, const QString &exceptId = QString()) const;
    //! Adds (when the id is new or empty: one is generated) or replaces a profile; returns it.
    Profile save(Profile profile);
    void remove(const QString &id);
    //! The demo profile, created on first use.
    Profile demoProfile(const QString &platform = QStringLiteral("talknex"));

    static QString newId();
    //! SpeakNode's production realm and the console's registered public client id.
    static QUrl defaultSpeakNodeIssuer();
    static QString defaultSpeakNodeClientId();

Q_SIGNALS:
    void changed();

private:
    void load();
    void store();

    Settings *m_settings;
    QList<Profile> m_profiles;
};

} // namespace sb::models
