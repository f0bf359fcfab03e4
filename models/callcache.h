#pragma once

#include "api/dto.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QVariantMap>

#include <memory>
#include <optional>

namespace sb::models {

//! An alert raised on a call (rule name, what triggered it, when; who acknowledged it).
struct AlertRecord
{
    qint64 id = 0; //!< 0 until stored
    QString callId;
    QString rule;
    QString detail;
    QDateTime at;
    QString acknowledgedBy;
    QDateTime acknowledgedAt;
};

class CacheWriter;
class IntegrityCheck;

//! The local SQLite cache of one connection profile: calls, transcripts of opened/watched calls,
//! sentiment timelines, tool calls, contact names and alerts. WAL mode; one writer thread with
//! its own connection commits queued writes in batched transactions, reads run on the owner's
//! thread through connectionName(). Never stores a secret: no key, no token, no signed URL.
class CallCache : public QObject
{
    Q_OBJECT
public:
    static constexpr int SchemaVersion = 1;

    explicit CallCache(QObject *parent = nullptr);
    ~CallCache() override;

    //! Path of the cache of \a profileId: AppDataLocation/cache/<sha1(profileId)>.sqlite.
    static QString pathForProfile(const QString &profileId);

    //! Opens (creating if needed) the cache of \a profileId. A corrupted file is moved aside and
    //! rebuilt (recovered() is emitted); false only when no usable cache could be made.
    bool open(const QString &profileId, QString *error = nullptr);
    bool openFile(const QString &path, QString *error = nullptr);
    //! Commits what is queued, stops the writer and closes every connection.
    void close();
    bool isOpen() const;

    // Writes: queued, committed by the writer thread in batched transactions. The matching
    // signal comes after the commit; writeFailed() when the transaction had to be rolled back.

    //! Upserts \a calls and, in the same transaction, merges \a syncState into the sync state.
    void storeCalls(const QList<sb::api::Call> &calls, const QVariantMap &syncState = {});
    //! Upserts the call row and replaces its transcript (and FTS), timeline and tool calls.
    void storeDetails(const sb::api::CallDetails &details);
    //! Contact names, for the history's contact column and its number/contact text filter.
    void storeContacts(const QList<sb::api::Contact> &contacts);
    void removeCall(const QString &callId);
    void appendAlert(const AlertRecord &alert);
    void acknowledgeAlert(qint64 id, const QString &who, const QDateTime &at);
    //! Files up to \a bytes are checked (quick_check) during open(); bigger ones in the
    //! background at idle priority, so that the history opens at once (default 16 MiB, which
    //! takes ~50 ms to check).
    void setForegroundCheckLimit(qint64 bytes) { m_foregroundCheckLimit = bytes; }
    //! Caps the file (0 = no cap). Writes beyond it fail like a full disk, keeping earlier data.
    void setMaxSizeBytes(qint64 bytes);

    //! Blocks until every queued write is committed (or failed) and its signal emitted.
    void flush();

    // Reads (committed data, on the owner's thread; flush() first to see queued writes).

    //! "fullSyncCursor", "fullSyncDone", "updatedSince", "lastSyncAt" and whatever else was stored.
    QVariantMap syncState() const;
    std::optional<sb::api::Call> call(const QString &callId) const;
    //! The call with its transcript, timeline and tool calls; transcript empty if never cached.
    std::optional<sb::api::CallDetails> details(const QString &callId) const;
    bool hasTranscript(const QString &callId) const;
    qint64 callCount() const;
    QString contactName(const QString &contactId) const;
    //! Newest first.
    QList<AlertRecord> alerts(int limit = 1000) const;

    QString databasePath() const;
    //! The QSqlDatabase connection for reads on the owner's thread (history, search models).
    QString connectionName() const;
    QString lastError() const { return m_lastError; }

Q_SIGNALS:
    void callsStored(const QStringList &ids);
    //! A storeCalls() with a non-empty sync state committed (even without calls).
    void syncStateStored();
    void detailsStored(const QString &callId);
    void callRemoved(const QString &callId);
    void contactsStored();
    void alertAppended(const sb::models::AlertRecord &alert);
    void alertAcknowledged(qint64 id);
    void writeFailed(const QString &message);
    //! The file was corrupt: it now lives at \a movedAsidePath and the cache starts empty.
    void recovered(const QString &movedAsidePath);

private:
    friend class CacheWriter;
    bool openReader(QString *error, bool *corrupt);
    bool recover(const QString &reason, QString *error);
    //! false only when the writer found the file damaged (m_writer stays empty on any failure).
    bool startWriter();
    void stopWriter();
    void onWriterCorruption(const QString &message);
    void startIntegrityCheck();

    QString m_path;
    QString m_connection;
    QString m_lastError;
    qint64 m_foregroundCheckLimit = 16 * 1024 * 1024;
    std::unique_ptr<CacheWriter> m_writer;
    std::unique_ptr<IntegrityCheck> m_check;
};

} // namespace sb::models

Q_DECLARE_METATYPE(sb::models::AlertRecord)
