// Calls live in their own table with real columns: the history can hold a million rows and
// every filter of GET /calls must be answerable by SQLite, not by parsing JSON.
#include "simstore.h"

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <sqlite3.h>

Q_DECLARE_LOGGING_CATEGORY(lcSimStore)

static const char kCallColumns[] =
    "id, org, agent_id, persona, status, direction, sentiment, sentiment_score, to_num, "
    "from_num, contact_id, contact_name, created_at, started_at, ended_at, duration, end_reason, "
    "metadata, seed, updated_at, version, has_recording";

// The bulk path talks to SQLite directly through the QSQLITE driver's handle: binding through
// QVariant costs more than the insert itself, and a million rows must load in seconds.
struct SimStore::Bulk
{
    sqlite3 *db = nullptr;
    sqlite3_stmt *stmt = nullptr;
    ~Bulk()
    {
        if (stmt)
            sqlite3_finalize(stmt);
    }
};

namespace {

void bindText(sqlite3_stmt *st, int i, const QString &s, bool nullIfEmpty = false)
{
    if (nullIfEmpty && s.isEmpty()) {
        sqlite3_bind_null(st, i);
        return;
    }
    const QByteArray u = s.toUtf8();
    sqlite3_bind_text(st, i, u.constData(), int(u.size()), SQLITE_TRANSIENT);
}

void bindTime(sqlite3_stmt *st, int i, qint64 ms)
{
    if (ms > 0)
        sqlite3_bind_int64(st, i, ms);
    else
        sqlite3_bind_null(st, i);
}

bool bulkInsert(sqlite3_stmt *st, const SimCallRow &c)
{
    sqlite3_reset(st);
    int i = 1;
    bindText(st, i++, c.id);
    bindText(st, i++, c.org);
    bindText(st, i++, c.agentId);
    sqlite3_bind_int(st, i++, c.persona);
    bindText(st, i++, c.status);
    bindText(st, i++, c.direction);
    bindText(st, i++, c.sentiment, true);
    if (c.hasScore)
        sqlite3_bind_double(st, i++, c.sentimentScore);
    else
        sqlite3_bind_null(st, i++);
    bindText(st, i++, c.to);
    bindText(st, i++, c.from);
    bindText(st, i++, c.contactId, true);
    bindText(st, i++, c.contactName, true);
    sqlite3_bind_int64(st, i++, c.createdAt);
    bindTime(st, i++, c.startedAt);
    bindTime(st, i++, c.endedAt);
    sqlite3_bind_int(st, i++, c.duration);
    bindText(st, i++, c.endReason, true);
    if (c.metadata.isEmpty()) {
        sqlite3_bind_null(st, i++);
    } else {
        const QByteArray m = QJsonDocument(c.metadata).toJson(QJsonDocument::Compact);
        sqlite3_bind_text(st, i++, m.constData(), int(m.size()), SQLITE_TRANSIENT);
    }
    sqlite3_bind_int64(st, i++, qint64(c.seed));
    sqlite3_bind_int64(st, i++, c.updatedAt);
    sqlite3_bind_int64(st, i++, c.version);
    sqlite3_bind_int(st, i++, c.hasRecording ? 1 : 0);
    return sqlite3_step(st) == SQLITE_DONE;
}

} // namespace

static QVariant nullableText(const QString &s)
{
    return s.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(s);
}

static QVariant nullableTime(qint64 ms)
{
    return ms > 0 ? QVariant(ms) : QVariant(QMetaType(QMetaType::LongLong));
}

static void bindCall(QSqlQuery &q, const SimCallRow &c)
{
    int i = 0;
    q.bindValue(i++, c.id);
    q.bindValue(i++, c.org);
    q.bindValue(i++, c.agentId);
    q.bindValue(i++, c.persona);
    q.bindValue(i++, c.status);
    q.bindValue(i++, c.direction);
    q.bindValue(i++, nullableText(c.sentiment));
    q.bindValue(i++,
                c.hasScore ? QVariant(c.sentimentScore) : QVariant(QMetaType(QMetaType::Double)));
    q.bindValue(i++, c.to);
    q.bindValue(i++, c.from);
    q.bindValue(i++, nullableText(c.contactId));
    q.bindValue(i++, nullableText(c.contactName));
    q.bindValue(i++, c.createdAt);
    q.bindValue(i++, nullableTime(c.startedAt));
    q.bindValue(i++, nullableTime(c.endedAt));
    q.bindValue(i++, c.duration);
    q.bindValue(i++, nullableText(c.endReason));
    q.bindValue(i++, c.metadata.isEmpty()
                         ? QVariant(QMetaType(QMetaType::QByteArray))
                         : QVariant(QJsonDocument(c.metadata).toJson(QJsonDocument::Compact)));
    q.bindValue(i++, qint64(c.seed));
    q.bindValue(i++, c.updatedAt);
    q.bindValue(i++, c.version);
    q.bindValue(i++, c.hasRecording ? 1 : 0);
}

static SimCallRow callFromQuery(const QSqlQuery &q)
{
    SimCallRow c;
    int i = 0;
    c.id = q.value(i++).toString();
    c.org = q.value(i++).toString();
    c.agentId = q.value(i++).toString();
    c.persona = q.value(i++).toInt();
    c.status = q.value(i++).toString();
    c.direction = q.value(i++).toString();
    c.sentiment = q.value(i++).toString();
    const QVariant score = q.value(i++);
    c.hasScore = !score.isNull();
    c.sentimentScore = score.toDouble();
    c.to = q.value(i++).toString();
    c.from = q.value(i++).toString();
    c.contactId = q.value(i++).toString();
    c.contactName = q.value(i++).toString();
    c.createdAt = q.value(i++).toLongLong();
    c.startedAt = q.value(i++).toLongLong();
    c.endedAt = q.value(i++).toLongLong();
    c.duration = q.value(i++).toInt();
    c.endReason = q.value(i++).toString();
    const QByteArray meta = q.value(i++).toByteArray();
    if (!meta.isEmpty())
        c.metadata = QJsonDocument::fromJson(meta).object();
    c.seed = quint64(q.value(i++).toLongLong());
    c.updatedAt = q.value(i++).toLongLong();
    c.version = q.value(i++).toLongLong();
    c.hasRecording = q.value(i++).toInt() != 0;
    return c;
}

static QString insertSql()
{
    return QStringLiteral("INSERT INTO calls (") + QLatin1String(kCallColumns) +
           QStringLiteral(") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                          "?, ?, ?)");
}

bool SimStore::prepareBulkCalls()
{
    finishBulkCalls();
    const QVariant handle = m_db.driver()->handle();
    if (qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return false;
    m_bulk = new Bulk;
    m_bulk->db = *static_cast<sqlite3 *const *>(handle.data());
    const QByteArray sql = insertSql().toUtf8();
    if (!m_bulk->db || sqlite3_prepare_v2(m_bulk->db, sql.constData(), int(sql.size()),
                                          &m_bulk->stmt, nullptr) != SQLITE_OK) {
        finishBulkCalls();
        return false;
    }
    return true;
}

void SimStore::finishBulkCalls()
{
    delete m_bulk;
    m_bulk = nullptr;
}

bool SimStore::insertCall(const SimCallRow &call)
{
    if (m_bulk)
        return bulkInsert(m_bulk->stmt, call);
    QSqlQuery q(m_db);
    q.prepare(insertSql());
    bindCall(q, call);
    if (!q.exec()) {
        qCWarning(lcSimStore) << "call insert failed" << q.lastError().text();
        return false;
    }
    return true;
}

bool SimStore::createCallIndexes()
{
    // Created after the bulk insert: building an index once is far cheaper than keeping it
    // up to date for every one of a million inserts.
    // The table has no primary key while it is filled: random ids would make every insert a
    // random B-tree write, while appending by rowid is sequential.
    return exec(QStringLiteral("CREATE UNIQUE INDEX IF NOT EXISTS calls_id ON calls(id)")) &&
           exec(QStringLiteral("CREATE INDEX IF NOT EXISTS calls_newest ON calls(org, "
                               "created_at DESC, id DESC)")) &&
           exec(QStringLiteral("CREATE INDEX IF NOT EXISTS calls_agent ON calls(org, "
                               "agent_id, created_at DESC, id DESC)"));
}

std::optional<SimCallRow> SimStore::call(const QString &id) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT ") + QLatin1String(kCallColumns) +
              QStringLiteral(" FROM calls WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec() || !q.next())
        return std::nullopt;
    return callFromQuery(q);
}

bool SimStore::updateCall(const SimCallRow &call)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE calls SET (") + QLatin1String(kCallColumns) +
              QStringLiteral(") = (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                             "?) WHERE id = ?"));
    bindCall(q, call);
    q.bindValue(22, call.id);
    if (!q.exec()) {
        qCWarning(lcSimStore) << "call update failed" << q.lastError().text();
        return false;
    }
    return q.numRowsAffected() == 1;
}

bool SimStore::removeCall(const QString &id)
{
    QSqlQuery details(m_db);
    details.prepare(QStringLiteral("DELETE FROM call_details WHERE id = ?"));
    details.addBindValue(id);
    details.exec();
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("DELETE FROM calls WHERE id = ?"));
    q.addBindValue(id);
    return q.exec() && q.numRowsAffected() == 1;
}

std::optional<QJsonObject> SimStore::callDetails(const QString &id) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT data FROM call_details WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec() || !q.next())
        return std::nullopt;
    return QJsonDocument::fromJson(q.value(0).toByteArray()).object();
}

bool SimStore::setCallDetails(const QString &id, const QJsonObject &details)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO call_details (id, data) VALUES (?, ?)"));
    q.addBindValue(id);
    q.addBindValue(QJsonDocument(details).toJson(QJsonDocument::Compact));
    if (!q.exec()) {
        qCWarning(lcSimStore) << "call details failed" << q.lastError().text();
        return false;
    }
    return true;
}

QList<SimCallRow> SimStore::listCalls(const QString &org, const SimCallFilter &f,
                                      const SimListPos &after, int limit) const
{
    QString sql = QStringLiteral("SELECT ") + QLatin1String(kCallColumns) +
                  QStringLiteral(" FROM calls WHERE org = ?");
    QVariantList binds = {org};
    const auto addEq = [&](const char *column, const QString &value) {
        if (value.isEmpty())
            return;
        sql += QStringLiteral(" AND ") + QLatin1String(column) + QStringLiteral(" = ?");
        binds << value;
    };
    addEq("agent_id", f.agentId);
    addEq("status", f.status);
    addEq("direction", f.direction);
    addEq("sentiment", f.sentiment);
    if (f.createdAfter >= 0) {
        sql += QStringLiteral(" AND created_at >= ?");
        binds << f.createdAfter;
    }
    if (f.createdBefore >= 0) {
        sql += QStringLiteral(" AND created_at < ?");
        binds << f.createdBefore;
    }
    if (f.updatedSince >= 0) {
        // Unary + keeps SQLite on the newest-first index: updated rows are the recent ones, so
        // walking newest first finds a page quickly, while an updated_at index would sort them all.
        sql += QStringLiteral(" AND +updated_at >= ?");
        binds << f.updatedSince;
    }
    if (!f.q.isEmpty()) {
        sql += QStringLiteral(" AND (instr(to_num, ?) > 0 OR instr(from_num, ?) > 0 OR "
                              "instr(lower(ifnull(contact_name, '')), lower(?)) > 0)");
        binds << f.q << f.q << f.q;
    }
    if (after.valid) {
        sql += QStringLiteral(" AND (created_at < ? OR (created_at = ? AND id < ?))");
        binds << after.createdAt << after.createdAt << after.id;
    }
    sql += QStringLiteral(" ORDER BY created_at DESC, id DESC LIMIT ?");
    binds << limit;
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(sql);
    for (const QVariant &b : binds)
        q.addBindValue(b);
    QList<SimCallRow> out;
    if (!q.exec()) {
        qCWarning(lcSimStore) << "call list failed" << q.lastError().text();
        return out;
    }
    while (q.next())
        out.append(callFromQuery(q));
    return out;
}

qint64 SimStore::callCount() const
{
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SELECT count(*) FROM calls")) || !q.next())
        return 0;
    return q.value(0).toLongLong();
}
