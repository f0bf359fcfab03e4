#pragma once

#include <QHash>
#include <QObject>
#include <QString>

namespace sb::api {

//! API keys and tokens in the OS keychain (QtKeychain; service "switchboard", one entry per
//! profile id). When no keychain is usable (no Secret Service, locked, denied) it says so
//! through availabilityChanged() and keeps secrets in memory for this run only: never on disk,
//! never in a log.
class CredentialStore : public QObject
{
    Q_OBJECT
public:
    enum class Availability { Unknown, Available, Unavailable };
    Q_ENUM(Availability)

    explicit CredentialStore(QObject *parent = nullptr);
    //! `service` other than "switchboard" is for tests.
    explicit CredentialStore(const QString &service, QObject *parent = nullptr);

    QString service() const { return m_service; }
    Availability availability() const { return m_availability; }
    //! Translated explanation when Unavailable (for a banner); empty otherwise.
    QString unavailableMessage() const { return m_message; }

    //! Stores `secret` for `profileId`; emits written().
    void write(const QString &profileId, const QString &secret);
    //! Looks up `profileId`; emits readFinished().
    void read(const QString &profileId);
    //! Deletes `profileId` (keychain and memory); emits removed().
    void remove(const QString &profileId);

Q_SIGNALS:
    //! `persisted` false = kept in memory only for this run.
    void written(const QString &profileId, bool persisted);
    //! `found` false = no secret stored (secret is empty).
    void readFinished(const QString &profileId, const QString &secret, bool found);
    void removed(const QString &profileId);
    void availabilityChanged(sb::api::CredentialStore::Availability availability,
                             const QString &message);

private:
    void markUnavailable(int keychainError, const QString &detail);
    void markAvailable();
    static bool meansUnavailable(int keychainError);

    QString m_service;
    Availability m_availability = Availability::Unknown;
    QString m_message;
    QHash<QString, QString> m_memory; //!< only used while the keychain is unavailable
};

} // namespace sb::api
