#pragma once

#include "callcache.h"

#include <QMutex>
#include <QPointer>
#include <QThread>
#include <QWaitCondition>

#include <deque>
#include <functional>

namespace sb::models {

//! The cache's writer thread: owns the only writing connection (SQLite C API, see
//! sqlitestatement.h) and commits queued jobs in batched transactions (one BEGIN IMMEDIATE ...
//! COMMIT for as many queued jobs as fit a batch). A failed transaction is rolled back whole;
//! what earlier transactions committed stays.
class CacheWriter : public QThread
{
public:
    //! Runs on the owner's thread after the job's transaction committed.
    using Notify = std::function<void()>;
    struct Context;
    //! Runs on the writer thread inside a transaction; false = failed (error in the context).
    using Job = std::function<bool(Context &)>;

    CacheWriter(const QString &path, const QString &connectionName, CallCache *owner);
    ~CacheWriter() override;

    //! Starts the thread and waits until its connection is open (false and \a error if not;
    //! \a corrupt when the file turned out to be damaged).
    bool startWriter(QString *error, bool *corrupt);
    //! Commits what is queued, then ends the thread.
    void stopWriter();

    //! Queues \a job; \a rows sizes batches and bounds the queue (the caller waits while more
    //! than MaxQueuedRows are queued, so a bulk import cannot grow memory without bound).
    void enqueue(Job job, qint64 rows);
    //! Waits until every job queued before the call has been committed or failed.
    void waitForIdle();

    // The jobs of CallCache's writes.
    void storeCalls(const QList<sb::api::Call> &calls, const QVariantMap &syncState);
    void storeDetails(const sb::api::CallDetails &details);
    void storeContacts(const QList<sb::api::Contact> &contacts);
    void removeCall(const QString &callId);
    void appendAlert(const AlertRecord &alert);
    void acknowledgeAlert(qint64 id, const QString &who, const QDateTime &at);
    void setMaxSizeBytes(qint64 bytes);

    //! Rows per transaction at most. Big batches matter for the number index, whose inserts
    //! land on random pages: the fewer commits, the fewer times each such page is written
    //! (1M calls: ~54k/s with 250k-row batches, ~45k/s with 20k). Only a bulk import fills
    //! them; a sync page is 100 calls. The queue holds at most MaxQueuedRows (the caller
    //! waits), so a bulk import cannot grow memory without bound.
    static constexpr qint64 BatchRows = 250000;
    static constexpr qint64 MaxQueuedRows = 300000;

protected:
    void run() override;

private:
    struct Item
    {
        Job job;
        qint64 rows = 0;
    };
    struct Failure
    {
        int code = 0; //!< SQLite extended result code
        QString message;
    };
    bool runBatch(Context &ctx, const std::vector<Item> &items, Failure *failure);
    void post(QList<Notify> notes);

    const QString m_path;
    const QString m_connectionName;
    QPointer<CallCache> m_owner;

    QMutex m_mutex;
    QWaitCondition m_wake;    //!< work queued, or stop
    QWaitCondition m_changed; //!< progress made (flush, back-pressure, start-up)
    std::deque<Item> m_queue;
    qint64 m_queuedRows = 0;
    quint64 m_enqueued = 0;
    quint64 m_done = 0;
    bool m_stopping = false;
    bool m_started = false;
    bool m_startOk = false;
    bool m_startCorrupt = false;
    QString m_startError;
};

} // namespace sb::models
