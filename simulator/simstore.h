#pragma once

#include <QJsonObject>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <optional>

//! A JSON object kept by the store, with its owner and version (for ETags).
struct SimObject
{
    QString kind;
    QString id;
    QString org;
    QString parent;
    qint64 createdAt = 0;
    qint64 version = 1;
    QJsonObject data;
};

//! A call's stored fields; transcript and recording are derived from `seed` on request.
struct SimCallRow
{
    QString id;
    QString org;
    QString agentId;
    int persona = -1;
    QString status;
    QString direction;
    QString sentiment; // empty means null
    double sentimentScore = 0;
    bool hasScore = false;
    QString to;
    QString from;
    QString contactId;
    QString contactName;
    qint64 createdAt = 0;
    qint64 startedAt = 0;
    qint64 endedAt = 0;
    int duration = 0;
    QString endReason; // empty means null
    QJsonObject metadata;
    quint64 seed = 0;
    qint64 updatedAt = 0;
    qint64 version = 1;
    bool hasRecording = false;
};

//! Filters of GET /calls (CONTRACT §1.3); empty or -1 means "not set".
struct SimCallFilter
{
    QString agentId, status, direction, sentiment, q;
    qint64 createdAfter = -1, createdBefore = -1, updatedSince = -1;
};

//! Filters of SpeakNode's GET /conversations (page-based): any of `statuses`, an agent and a
//! created_at range [from, to]; empty or -1 means "not set".
struct SimCallPageQuery
{
    QString agentId;
    QStringList statuses;
    qint64 createdFrom = -1, createdTo = -1;
};

//! Filters of object lists (contacts: q over name/phone/email/company, tag).
struct SimObjectFilter
{
    QString q;
    QString tag;
    QString phone; // exact match of data.phone
};

//! Newest-first keyset position: rows strictly after (createdAt, id) in descending order.
struct SimListPos
{
    bool valid = false;
    qint64 createdAt = 0;
    QString id;
};

//! SQLite store of the simulator (in memory or in --data DIR).
class SimStore
{
public:
    SimStore();
    ~SimStore();
    SimStore(const SimStore &) = delete;
    SimStore &operator=(const SimStore &) = delete;

    bool open(const QString &dataDir, QString *error);
    bool hasData() const;
    bool begin();
    bool commit();

    // Generic objects (agents, numbers, collections, documents, contacts).
    bool insertObject(const SimObject &object);
    std::optional<SimObject> object(const QString &kind, const QString &id) const;
    bool updateObject(const QString &kind, const QString &id, const QJsonObject &data);
    bool removeObject(const QString &kind, const QString &id);
    QList<SimObject> listObjects(const QString &kind, const QString &org, const QString &parent,
                                 const SimObjectFilter &filter, const SimListPos &after,
                                 int limit) const;
    int countObjects(const QString &kind, const QString &parent) const;

    // Calls.
    bool prepareBulkCalls();
    bool insertCall(const SimCallRow &call); // uses the bulk statement when prepared
    void finishBulkCalls();
    bool createCallIndexes();
    std::optional<SimCallRow> call(const QString &id) const;
    //! Rewrites a call's row (the live engine moves calls through their states).
    bool updateCall(const SimCallRow &call);
    bool removeCall(const QString &id);
    //! Transcript, sentimentTimeline, toolCalls and summary of a call that ran live (stored
    //! as it was streamed); nullopt for calls whose conversation follows from their seed.
    std::optional<QJsonObject> callDetails(const QString &id) const;
    bool setCallDetails(const QString &id, const QJsonObject &details);
    QList<SimCallRow> listCalls(const QString &org, const SimCallFilter &filter,
                                const SimListPos &after, int limit) const;
    qint64 callCount() const;
    //! Ids of one page (newest first, `offset` rows skipped) and the total matching count, for
    //! the SpeakNode face (simstore_speaknode.cpp).
    QStringList callIdsPage(const QString &org, const SimCallPageQuery &query, qint64 offset,
                            int limit, qint64 *total) const;
    //! Indexes callIdsPage() needs for its status filters (built once; seconds at a million).
    bool ensureCallPageIndexes();

private:
    bool exec(const QString &sql) const;
    QString m_connection;
    QSqlDatabase m_db;
    struct Bulk;
    Bulk *m_bulk = nullptr;
};
