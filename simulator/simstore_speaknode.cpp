// Page-based call listing for the SpeakNode face: SpeakNode pages by number and reports a total,
// where Talknex walks a cursor. Only ids are selected; the page's rows are then read by id.
#include "simstore.h"

#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

Q_DECLARE_LOGGING_CATEGORY(lcSimStore)

bool SimStore::ensureCallPageIndexes()
{
    // Without them a status filter walks the newest-first index and reads every row of the
    // organization: seconds per request at a million calls. With them counts and pages come
    // from the index alone.
    return exec(QStringLiteral("CREATE INDEX IF NOT EXISTS calls_status ON calls(org, status, "
                               "created_at DESC, id DESC)")) &&
           exec(QStringLiteral("CREATE INDEX IF NOT EXISTS calls_agent_status ON calls(org, "
                               "agent_id, status, created_at DESC, id DESC)"));
}

QStringList SimStore::callIdsPage(const QString &org, const SimCallPageQuery &f, qint64 offset,
                                  int limit, qint64 *total) const
{
    QString where = QStringLiteral(" FROM calls WHERE org = ?");
    QVariantList binds = {org};
    if (!f.agentId.isEmpty()) {
        where += QStringLiteral(" AND agent_id = ?");
        binds << f.agentId;
    }
    if (!f.statuses.isEmpty()) {
        QStringList marks;
        for (const QString &s : f.statuses) {
            marks << QStringLiteral("?");
            binds << s;
        }
        where +=
            QStringLiteral(" AND status IN (") + marks.join(QLatin1Char(',')) + QLatin1Char(')');
    }
    if (f.createdFrom >= 0) {
        where += QStringLiteral(" AND created_at >= ?");
        binds << f.createdFrom;
    }
    if (f.createdTo >= 0) {
        where += QStringLiteral(" AND created_at <= ?");
        binds << f.createdTo;
    }
    const auto run = [&](QSqlQuery &q, const QString &sql, const QVariantList &extra) {
        q.setForwardOnly(true);
        q.prepare(sql);
        for (const QVariant &b : binds)
            q.addBindValue(b);
        for (const QVariant &b : extra)
            q.addBindValue(b);
        if (!q.exec()) {
            qCWarning(lcSimStore) << "call page failed" << q.lastError().text();
            return false;
        }
        return true;
    };
    QStringList ids;
    *total = 0;
    QSqlQuery count(m_db);
    if (!run(count, QStringLiteral("SELECT count(*)") + where, {}) || !count.next())
        return ids;
    *total = count.value(0).toLongLong();
    if (offset >= *total)
        return ids;
    QSqlQuery q(m_db);
    if (!run(q,
             QStringLiteral("SELECT id") + where +
                 QStringLiteral(" ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?"),
             {limit, offset}))
        return ids;
    while (q.next())
        ids << q.value(0).toString();
    return ids;
}
