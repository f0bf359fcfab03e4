#include "credentialstore.h"

#include "logging.h"

#include <QCoreApplication>

#include <qt6keychain/keychain.h>

namespace sb::api {

CredentialStore::CredentialStore(QObject *parent)
    : CredentialStore(QStringLiteral("switchboard"), parent)
{}

CredentialStore::CredentialStore(const QString &service, QObject *parent)
    : QObject(parent)
    , m_service(service)
{
    qRegisterMetaType<sb::api::CredentialStore::Availability>();
}

bool CredentialStore::meansUnavailable(int keychainError)
{
    switch (keychainError) {
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied:
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
    case QKeychain::OtherError:
        return true;
    default:
        return false;
    }
}

void CredentialStore::markUnavailable(int keychainError, const QString &detail)
{
    // The detail is QtKeychain's English text about the backend; it never contains the secret.
    qCWarning(lcApi).noquote() << "keychain unavailable, error" << keychainError << detail;
    if (m_availability == Availability::Unavailable)
        return;
    m_availability = Availability::Unavailable;
    m_message = tr("The system keychain is not available (%1). Your API key is kept in memory "
                   "for this session only and must be entered again next time.")
                    .arg(detail);
    Q_EMIT availabilityChanged(m_availability, m_message);
}

void CredentialStore::markAvailable()
{
    if (m_availability == Availability::Available)
        return;
    m_availability = Availability::Available;
    m_message.clear();
    Q_EMIT availabilityChanged(m_availability, m_message);
}

void CredentialStore::write(const QString &profileId, const QString &secret)
{
    if (m_availability == Availability::Unavailable) {
        m_memory.insert(profileId, secret);
        QMetaObject::invokeMethod(
            this, [this, profileId] { Q_EMIT written(profileId, false); }, Qt::QueuedConnection);
        return;
    }
    auto *job = new QKeychain::WritePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setKey(profileId);
    job->setTextData(secret);
    connect(job, &QKeychain::Job::finished, this, [this, profileId, secret](QKeychain::Job *j) {
        if (j->error() == QKeychain::NoError) {
            m_memory.remove(profileId);
            markAvailable();
            Q_EMIT written(profileId, true);
            return;
        }
        if (meansUnavailable(j->error()))
            markUnavailable(j->error(), j->errorString());
        else
            qCWarning(lcApi).noquote() << "keychain write failed:" << j->errorString();
        // Whatever went wrong, the operator's key must work for this run.
        m_memory.insert(profileId, secret);
        Q_EMIT written(profileId, false);
    });
    job->start();
}

void CredentialStore::read(const QString &profileId)
{
    const auto it = m_memory.constFind(profileId);
    if (it != m_memory.constEnd() || m_availability == Availability::Unavailable) {
        const bool found = it != m_memory.constEnd();
        const QString secret = found ? it.value() : QString();
        QMetaObject::invokeMethod(
            this,
            [this, profileId, secret, found] { Q_EMIT readFinished(profileId, secret, found); },
            Qt::QueuedConnection);
        return;
    }
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setKey(profileId);
    connect(job, &QKeychain::Job::finished, this, [this, profileId](QKeychain::Job *j) {
        auto *readJob = static_cast<QKeychain::ReadPasswordJob *>(j);
        if (j->error() == QKeychain::NoError) {
            markAvailable();
            Q_EMIT readFinished(profileId, readJob->textData(), true);
            return;
        }
        if (j->error() == QKeychain::EntryNotFound)
            markAvailable();
        else if (meansUnavailable(j->error()))
            markUnavailable(j->error(), j->errorString());
        Q_EMIT readFinished(profileId, QString(), false);
    });
    job->start();
}

void CredentialStore::remove(const QString &profileId)
{
    m_memory.remove(profileId);
    if (m_availability == Availability::Unavailable) {
        QMetaObject::invokeMethod(
            this, [this, profileId] { Q_EMIT removed(profileId); }, Qt::QueuedConnection);
        return;
    }
    auto *job = new QKeychain::DeletePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setKey(profileId);
    connect(job, &QKeychain::Job::finished, this, [this, profileId](QKeychain::Job *j) {
        if (j->error() == QKeychain::NoError || j->error() == QKeychain::EntryNotFound)
            markAvailable();
        else if (meansUnavailable(j->error()))
            markUnavailable(j->error(), j->errorString());
        Q_EMIT removed(profileId);
    });
    job->start();
}

} // namespace sb::api
