#include "simstore.h"

#include <QDir>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

Q_LOGGING_CATEGORY(lcSimStore, "switchboard.sim.store")

static int s_connectionCounter = 0;

SimStore::SimStore()
    : m_connection(QStringLiteral("switchboard-sim-%1").arg(++s_connectionCounter))
{}

SimStore::~SimStore()
{
    finishBulkCalls();
    if (m_db.isValid()) {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connection);
    }
}

bool SimStore::exec(const QString &sql) const
{
    QSqlQuery q(m_db);
    if (!q.exec(sql)) {
        qCWarning(lcSimStore) << "SQL failed:" << sql << q.lastError().text();
        return false;
    }
    return true;
}

bool SimStore::open(const QString &dataDir, QString *error)
{
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    if (dataDir.isEmpty()) {
        m_db.setDatabaseName(QStringLiteral(":memory:"));
    } else {
        if (!QDir().mkpath(dataDir)) {
            *error = QStringLiteral("cannot create data directory %1").arg(dataDir);
            return false;
        }
        m_db.setDatabaseName(QDir(dataDir).filePath(QStringLiteral("switchboard-sim.sqlite")));
    }
    if (!m_db.open()) {
        *error = m_db.lastError().text();
        return false;
    }
    const QStringList schema = {
        QStringLiteral("PRAGMA journal_mode=WAL"),
        QStringLiteral("PRAGMA synchronous=OFF"),
        QStringLiteral("PRAGMA temp_store=MEMORY"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS objects (kind TEXT NOT NULL, id TEXT PRIMARY "
                       "KEY, org TEXT NOT NULL, parent TEXT NOT NULL DEFAULT '', created_at "
                       "INTEGER NOT NULL, version INTEGER NOT NULL, data TEXT NOT NULL)"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS objects_list ON objects(kind, org, parent, "
                       "created_at DESC, id DESC)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS calls (id TEXT NOT NULL, org TEXT NOT NULL, "
                       "agent_id TEXT NOT NULL, persona INTEGER, status TEXT, direction TEXT, "
                       "sentiment TEXT, sentiment_score REAL, to_num TEXT, from_num TEXT, "
                       "contact_id TEXT, contact_name TEXT, created_at INTEGER, started_at "
                       "INTEGER, ended_at INTEGER, duration INTEGER, end_reason TEXT, metadata "
                       "TEXT, seed INTEGER, updated_at INTEGER, version INTEGER, has_recording "
                       "INTEGER)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS call_details (id TEXT PRIMARY KEY, data TEXT "
                       "NOT NULL)"),
    };
    for (const QString &sql : schema) {
        if (!exec(sql)) {
            *error = QStringLiteral("cannot create the schema");
            return false;
        }
    }
    return true;
}

bool SimStore::hasData() const
{
    QSqlQuery q(m_db);
    return q.exec(QStringLiteral("SELECT 1 FROM objects LIMIT 1")) && q.next();
}

bool SimStore::begin()
{
    return m_db.transaction();
}

bool SimStore::commit()
{
    return m_db.commit();
}

// SQLite binds a null QString as NULL; "no parent" is stored as the empty string.
static QString notNull(const QString &s)
{
    return s.isNull() ? QStringLiteral("") : s;
}

static SimObject objectFromQuery(const QSqlQuery &q)
{
    SimObject o;
    o.kind = q.value(0).toString();
    o.id = q.value(1).toString();
    o.org = q.value(2).toString();
    o.parent = q.value(3).toString();
    o.createdAt = q.value(4).toLongLong();
    o.version = q.value(5).toLongLong();
    o.data = QJsonDocument::fromJson(q.value(6).toByteArray()).object();
    return o;
}

bool SimStore::insertObject(const SimObject &object)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO objects (kind, id, org, parent, created_at, version, "
                             "data) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(object.kind);
    q.addBindValue(object.id);
    q.addBindValue(object.org);
    q.addBindValue(notNull(object.parent));
    q.addBindValue(object.createdAt);
    q.addBindValue(object.version);
    q.addBindValue(QJsonDocument(object.data).toJson(QJsonDocument::Compact));
    if (!q.exec()) {
        qCWarning(lcSimStore) << "insert failed" << q.lastError().text();
        return false;
    }
    return true;
}

std::optional<SimObject> SimStore::object(const QString &kind, const QString &id) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT kind, id, org, parent, created_at, version, data FROM "
                             "objects WHERE id = ? AND kind = ?"));
    q.addBindValue(id);
    q.addBindValue(kind);
    if (!q.exec() || !q.next())
        return std::nullopt;
    return objectFromQuery(q);
}

bool SimStore::updateObject(const QString &kind, const QString &id, const QJsonObject &data)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral(
        "UPDATE objects SET data = ?, version = version + 1 WHERE id = ? AND kind = ?"));
    q.addBindValue(QJsonDocument(data).toJson(QJsonDocument::Compact));
    q.addBindValue(id);
    q.addBindValue(kind);
    return q.exec() && q.numRowsAffected() == 1;
}

bool SimStore::removeObject(const QString &kind, const QString &id)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("DELETE FROM objects WHERE id = ? AND kind = ?"));
    q.addBindValue(id);
    q.addBindValue(kind);
    return q.exec() && q.numRowsAffected() == 1;
}

QList<SimObject> SimStore::listObjects(const QString &kind, const QString &org,
                                       const QString &parent, const SimObjectFilter &filter,
                                       const SimListPos &after, int limit) const
{
    QString sql = QStringLiteral("SELECT kind, id, org, parent, created_at, version, data FROM "
                                 "objects WHERE kind = ? AND org = ? AND parent = ?");
    QVariantList binds = {kind, org, notNull(parent)};
    if (!filter.q.isEmpty()) {
        // instr() instead of LIKE: a user's % or _ must match literally.
        sql += QStringLiteral(
            " AND (instr(lower(json_extract(data, '$.name')), lower(?)) > 0"
            " OR instr(json_extract(data, '$.phone'), ?) > 0"
            " OR instr(lower(ifnull(json_extract(data, '$.email'), '')), lower(?)) > 0"
            " OR instr(lower(ifnull(json_extract(data, '$.company'), '')), lower(?)) > 0)");
        binds << filter.q << filter.q << filter.q << filter.q;
    }
    if (!filter.phone.isEmpty()) {
        sql += QStringLiteral(" AND json_extract(data, '$.phone') = ?");
        binds << filter.phone;
    }
    if (!filter.tag.isEmpty()) {
        sql += QStringLiteral(
            " AND EXISTS (SELECT 1 FROM json_each(objects.data, '$.tags') WHERE value = ?)");
        binds << filter.tag;
    }
    if (after.valid) {
        sql += QStringLiteral(" AND (created_at < ? OR (created_at = ? AND id < ?))");
        binds << after.createdAt << after.createdAt << after.id;
    }
    sql += QStringLiteral(" ORDER BY created_at DESC, id DESC LIMIT ?");
    binds << limit;
    QSqlQuery q(m_db);
    q.prepare(sql);
    for (const QVariant &b : binds)
        q.addBindValue(b);
    QList<SimObject> out;
    if (!q.exec()) {
        qCWarning(lcSimStore) << "list failed" << q.lastError().text();
        return out;
    }
    while (q.next())
        out.append(objectFromQuery(q));
    return out;
}

int SimStore::countObjects(const QString &kind, const QString &parent) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT count(*) FROM objects WHERE kind = ? AND parent = ?"));
    q.addBindValue(kind);
    q.addBindValue(notNull(parent));
    if (!q.exec() || !q.next())
        return 0;
    return q.value(0).toInt();
}
