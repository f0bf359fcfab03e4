// Calls live in their own table with real columns: the history can hold a million rows and
// every filter of GET /calls must be answerable by SQLite, not by parsing JSON.
#include "simstore.h"

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

Q_DECLARE_LOGGING_CATEGORY(lcSimStore)

static const char kCallColumns[] =
    "id, org, agent_id, persona, status, direction, sentiment, sentiment_score, to_num, "
    "from_num, contact_id, contact_name, created_at, started_at, ended_at, duration, end_reason, "
    "metadata, seed, updated_at, version, has_recording";

struct SimStore::Bulk
{
    explicit Bulk(const QSqlDatabase &db)
        : query(db)
    {}
    QSqlQuery query;
};

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
    m_bulk = new Bulk(m_db);
    return m_bulk->query.prepare(insertSql());
}

void SimStore::finishBulkCalls()
{
    delete m_bulk;
    m_bulk = nullptr;
}

bool SimStore::insertCall(const SimCallRow &call)
{
    if (m_bulk) {
        bindCall(m_bulk->query, call);
        return m_bulk->query.exec();
    }
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
    return exec(QStringLiteral("CREATE INDEX IF NOT EXISTS calls_newest ON calls(org, "
                               "created_at DESC, id DESC)")) &&
           exec(QStringLiteral("CREATE INDEX IF NOT EXISTS calls_agent ON calls(org, "
                               "agent_id, created_at DESC, id DESC)")) &&
           exec(QStringLiteral(
               "CREATE INDEX IF NOT EXISTS calls_updated ON calls(org, updated_at)"));
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

bool SimStore::removeCall(const QString &id)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("DELETE FROM calls WHERE id = ?"));
    q.addBindValue(id);
    return q.exec() && q.numRowsAffected() == 1;
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
        sql += QStringLiteral(" AND updated_at >= ?");
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
