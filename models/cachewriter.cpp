#include "cachewriter.h"

#include "cacheschema.h"

#include <QDataStream>
#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlQuery>

#include <optional>

namespace sb::models {

using namespace sb::api;
using namespace sb::models::cache;

struct CacheWriter::Context
{
    QSqlDatabase db;
    QSqlError error;
    QList<Notify> notes;
    std::optional<QSqlQuery> upsertCall;
    std::optional<QSqlQuery> callRid;
    std::optional<QSqlQuery> putState;
    std::optional<QSqlQuery> dropState;

    bool fail(const QSqlQuery &q)
    {
        error = q.lastError();
        return false;
    }
    bool exec(QSqlQuery &q)
    {
        return q.exec() || fail(q);
    }
    bool exec(const QString &sql)
    {
        QSqlQuery q(db);
        return q.exec(sql) || fail(q);
    }
    //! rid of \a callId, or 0.
    qint64 rid(const QString &callId)
    {
        callRid->bindValue(0, callId);
        if (!callRid->exec()) {
            fail(*callRid);
            return -1;
        }
        const qint64 r = callRid->next() ? callRid->value(0).toLongLong() : 0;
        callRid->finish();
        return r;
    }
};

namespace {

// The newest version wins: an older copy of a call (a page fetched before a live call.ended
// was stored) does not overwrite a newer one. Without updatedAt on either side, last write wins.
QString upsertCallSql()
{
    return QStringLiteral(
        "INSERT INTO calls (id, created_at, updated_at, started_at, ended_at, agent_id, status,"
        " direction, sentiment, sentiment_score, duration, end_reason, to_number, from_number,"
        " remote_number, contact_id, search_text, recording_url, summary, metadata)"
        " VALUES (:id, :created, :updated, :started, :ended, :agent, :status, :direction,"
        " :sentiment, :score, :duration, :reason, :to, :from, :remote, :contact,"
        " :to2 || char(31) || :from2 || char(31) ||"
        " coalesce((SELECT name FROM contacts WHERE id = :contact2), ''),"
        " :url, :summary, :meta)"
        " ON CONFLICT(id) DO UPDATE SET created_at = excluded.created_at,"
        " updated_at = excluded.updated_at, started_at = excluded.started_at,"
        " ended_at = excluded.ended_at, agent_id = excluded.agent_id, status = excluded.status,"
        " direction = excluded.direction, sentiment = excluded.sentiment,"
        " sentiment_score = excluded.sentiment_score, duration = excluded.duration,"
        " end_reason = excluded.end_reason, to_number = excluded.to_number,"
        " from_number = excluded.from_number, remote_number = excluded.remote_number,"
        " contact_id = excluded.contact_id, search_text = excluded.search_text,"
        " recording_url = excluded.recording_url, summary = excluded.summary,"
        " metadata = excluded.metadata"
        " WHERE excluded.updated_at IS NULL OR calls.updated_at IS NULL"
        " OR excluded.updated_at >= calls.updated_at");
}

//! A NOT NULL text column's value: a null QString would bind as NULL.
QString nn(const QString &s)
{
    return s.isNull() ? QStringLiteral("") : s;
}

bool upsert(CacheWriter::Context &ctx, const Call &c)
{
    QSqlQuery &q = *ctx.upsertCall;
    q.bindValue(0, c.id);
    q.bindValue(1, c.createdAt.isValid() ? c.createdAt.toMSecsSinceEpoch() : 0);
    q.bindValue(2, msOrNull(c.updatedAt));
    q.bindValue(3, msOrNull(c.startedAt));
    q.bindValue(4, msOrNull(c.endedAt));
    q.bindValue(5, nn(c.agentId));
    q.bindValue(6, statusCode(c.status));
    q.bindValue(7, directionCode(c.direction));
    q.bindValue(8, sentimentCode(c.sentiment));
    q.bindValue(9, c.sentimentScore ? QVariant(*c.sentimentScore)
                                    : QVariant(QMetaType::fromType<double>()));
    q.bindValue(10, c.durationSeconds);
    q.bindValue(11, endReasonCode(c.endReason));
    q.bindValue(12, nn(c.to));
    q.bindValue(13, nn(c.from));
    q.bindValue(14, nn(remoteNumber(c)));
    q.bindValue(15, nn(c.contactId));
    q.bindValue(16, nn(c.to));
    q.bindValue(17, nn(c.from));
    q.bindValue(18, nn(c.contactId));
    q.bindValue(19, nn(storableUrl(c.recordingUrl)));
    q.bindValue(20, nn(c.summary));
    q.bindValue(21, c.metadata.isEmpty()
                        ? QStringLiteral("")
                        : QString::fromUtf8(QJsonDocument(c.metadata).toJson(QJsonDocument::Compact)));
    return ctx.exec(q);
}

QByteArray encodeVariant(const QVariant &value)
{
    QByteArray bytes;
    QDataStream out(&bytes, QIODevice::WriteOnly);
    out.setVersion(QDataStream::Qt_6_4);
    out << value;
    return bytes;
}

bool storeState(CacheWriter::Context &ctx, const QVariantMap &state)
{
    for (auto it = state.cbegin(); it != state.cend(); ++it) {
        if (!it.value().isValid()) {
            ctx.dropState->bindValue(0, it.key());
            if (!ctx.exec(*ctx.dropState))
                return false;
            continue;
        }
        ctx.putState->bindValue(0, it.key());
        ctx.putState->bindValue(1, encodeVariant(it.value()));
        if (!ctx.exec(*ctx.putState))
            return false;
    }
    return true;
}

bool removeChildren(CacheWriter::Context &ctx, qint64 rid, bool transcriptToo)
{
    QSqlQuery q(ctx.db);
    const QStringList tables =
        transcriptToo ? QStringList{QStringLiteral("transcript_lines"),
                                    QStringLiteral("sentiment_points"), QStringLiteral("tool_calls")}
                      : QStringList{QStringLiteral("sentiment_points"), QStringLiteral("tool_calls")};
    for (const QString &table : tables) {
        q.prepare(QStringLiteral("DELETE FROM ") + table + QStringLiteral(" WHERE call_rid = ?"));
        q.bindValue(0, rid);
        if (!ctx.exec(q))
            return false;
    }
    return true;
}

QString jsonText(const QJsonValue &value)
{
    if (value.isUndefined())
        return {};
    // Wrapped in an array so that scalars round-trip too.
    return QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact));
}

} // namespace

CacheWriter::CacheWriter(const QString &path, const QString &connectionName, CallCache *owner)
    : m_path(path)
    , m_connectionName(connectionName)
    , m_owner(owner)
{}

CacheWriter::~CacheWriter()
{
    stopWriter();
}

bool CacheWriter::startWriter(QString *error, bool *corrupt)
{
    start();
    QMutexLocker lock(&m_mutex);
    while (!m_started)
        m_changed.wait(&m_mutex);
    if (error)
        *error = m_startError;
    if (corrupt)
        *corrupt = m_startCorrupt;
    return m_startOk;
}

void CacheWriter::stopWriter()
{
    {
        QMutexLocker lock(&m_mutex);
        m_stopping = true;
        m_wake.wakeAll();
    }
    wait();
}

void CacheWriter::enqueue(Job job, qint64 rows)
{
    QMutexLocker lock(&m_mutex);
    if (m_stopping || (m_started && !m_startOk))
        return;
    while (m_queuedRows > MaxQueuedRows && !m_stopping)
        m_changed.wait(&m_mutex);
    m_queue.push_back({std::move(job), qMax<qint64>(1, rows)});
    m_queuedRows += qMax<qint64>(1, rows);
    ++m_enqueued;
    m_wake.wakeOne();
}

void CacheWriter::waitForIdle()
{
    QMutexLocker lock(&m_mutex);
    const quint64 target = m_enqueued;
    while (m_done < target && isRunning())
        m_changed.wait(&m_mutex, 200);
}

void CacheWriter::post(QList<Notify> notes)
{
    if (notes.isEmpty() || !m_owner)
        return;
    QMetaObject::invokeMethod(
        m_owner.data(),
        [notes = std::move(notes)] {
            for (const Notify &n : notes)
                n();
        },
        Qt::QueuedConnection);
}

void CacheWriter::run()
{
    Context ctx;
    {
        ctx.db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
        ctx.db.setDatabaseName(m_path);
        QString error;
        bool ok = ctx.db.open();
        if (!ok)
            error = ctx.db.lastError().text();
        ok = ok && configureConnection(ctx.db, true, &error);
        if (ok) {
            ctx.upsertCall.emplace(ctx.db);
            ctx.callRid.emplace(ctx.db);
            ctx.putState.emplace(ctx.db);
            ctx.dropState.emplace(ctx.db);
            ok = ctx.upsertCall->prepare(upsertCallSql())
                 && ctx.callRid->prepare(QStringLiteral("SELECT rid FROM calls WHERE id = ?"))
                 && ctx.putState->prepare(QStringLiteral(
                     "INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)"))
                 && ctx.dropState->prepare(
                     QStringLiteral("DELETE FROM sync_state WHERE key = ?"));
            if (!ok) {
                for (const auto *q : {&ctx.upsertCall, &ctx.callRid, &ctx.putState, &ctx.dropState}) {
                    if ((*q)->lastError().isValid()) {
                        error = (*q)->lastError().text();
                        m_startCorrupt = isCorruption((*q)->lastError());
                        break;
                    }
                }
            }
        }
        QMutexLocker lock(&m_mutex);
        m_started = true;
        m_startOk = ok;
        m_startError = error;
        m_changed.wakeAll();
        if (!ok) {
            lock.unlock();
            ctx = Context();
            QSqlDatabase::removeDatabase(m_connectionName);
            return;
        }
    }

    for (;;) {
        std::vector<Item> items;
        {
            QMutexLocker lock(&m_mutex);
            while (m_queue.empty() && !m_stopping)
                m_wake.wait(&m_mutex);
            if (m_queue.empty())
                break;
            qint64 rows = 0;
            while (!m_queue.empty() && (items.empty() || rows + m_queue.front().rows <= BatchRows)) {
                rows += m_queue.front().rows;
                items.push_back(std::move(m_queue.front()));
                m_queue.pop_front();
            }
            m_queuedRows -= rows;
            m_changed.wakeAll();
        }

        QSqlError error;
        bool ok = runBatch(ctx, items, &error);
        // One bad job (a constraint, a value SQLite refuses) should not take the others of its
        // batch down with it: retry them one by one. A full disk or a broken file would fail
        // them all again, so those are reported once.
        const int code = sqliteCode(error);
        const bool fatal = code == Full || code == IoErr || code == ReadOnly || code == CantOpen
                           || isCorruption(error);
        if (!ok && items.size() > 1 && !fatal) {
            for (const Item &item : items) {
                QSqlError one;
                if (!runBatch(ctx, {item}, &one)) {
                    qCWarning(lcCache) << "cache write failed:" << one.text();
                    post({[owner = m_owner, msg = describeWriteError(one)] {
                        if (owner)
                            Q_EMIT owner->writeFailed(msg);
                    }});
                }
            }
        } else if (!ok) {
            qCWarning(lcCache) << "cache write failed:" << error.text();
            QList<Notify> notes{[owner = m_owner, msg = describeWriteError(error)] {
                if (owner)
                    Q_EMIT owner->writeFailed(msg);
            }};
            if (isCorruption(error)) {
                notes.append([owner = m_owner, msg = error.text()] {
                    if (owner)
                        owner->onWriterCorruption(msg);
                });
            }
            post(std::move(notes));
        }

        QMutexLocker lock(&m_mutex);
        m_done += items.size();
        m_changed.wakeAll();
    }

    // Statements first, then the connection.
    ctx = Context();
    QSqlDatabase::removeDatabase(m_connectionName);
}

bool CacheWriter::runBatch(Context &ctx, const std::vector<Item> &items, QSqlError *error)
{
    ctx.notes.clear();
    ctx.error = {};
    bool ok = ctx.exec(QStringLiteral("BEGIN IMMEDIATE"));
    for (size_t i = 0; ok && i < items.size(); ++i)
        ok = items[i].job(ctx);
    ok = ok && ctx.exec(QStringLiteral("COMMIT"));
    if (!ok) {
        *error = ctx.error;
        // A failed COMMIT (SQLITE_FULL while spilling) leaves the transaction open.
        QSqlQuery(ctx.db).exec(QStringLiteral("ROLLBACK"));
        ctx.notes.clear();
        return false;
    }
    post(std::move(ctx.notes));
    ctx.notes.clear();
    return true;
}

void CacheWriter::storeCalls(const QList<Call> &calls, const QVariantMap &syncState)
{
    enqueue(
        [calls, syncState, owner = m_owner](Context &ctx) {
            QStringList ids;
            ids.reserve(calls.size());
            for (const Call &c : calls) {
                if (c.id.isEmpty())
                    continue;
                if (!upsert(ctx, c))
                    return false;
                ids.append(c.id);
            }
            if (!storeState(ctx, syncState))
                return false;
            if (!ids.isEmpty()) {
                ctx.notes.append([owner, ids] {
                    if (owner)
                        Q_EMIT owner->callsStored(ids);
                });
            }
            return true;
        },
        calls.size());
}

void CacheWriter::storeDetails(const CallDetails &details)
{
    const qint64 rows = 1 + details.transcript.size() + details.sentimentTimeline.size()
                        + details.toolCalls.size();
    enqueue(
        [details, owner = m_owner](Context &ctx) {
            const Call &c = details.call;
            if (c.id.isEmpty())
                return true;
            if (!upsert(ctx, c))
                return false;
            const qint64 rid = ctx.rid(c.id);
            if (rid <= 0)
                return false;
            if (!removeChildren(ctx, rid, true))
                return false;
            QSqlQuery line(ctx.db);
            line.prepare(QStringLiteral(
                "INSERT INTO transcript_lines (call_rid, seq, role, start_ms, end_ms, sentiment,"
                " text) VALUES (?, ?, ?, ?, ?, ?, ?)"));
            for (int i = 0; i < details.transcript.size(); ++i) {
                const TranscriptLine &l = details.transcript.at(i);
                line.bindValue(0, rid);
                line.bindValue(1, i);
                line.bindValue(2, roleCode(l.role));
                line.bindValue(3, l.startMs);
                line.bindValue(4, l.endMs);
                line.bindValue(5, sentimentCode(l.sentiment));
                line.bindValue(6, nn(l.text));
                if (!ctx.exec(line))
                    return false;
            }
            QSqlQuery point(ctx.db);
            point.prepare(QStringLiteral(
                "INSERT INTO sentiment_points (call_rid, at_ms, label, score) VALUES (?, ?, ?, ?)"));
            for (const SentimentPoint &p : details.sentimentTimeline) {
                point.bindValue(0, rid);
                point.bindValue(1, p.atMs);
                point.bindValue(2, sentimentCode(p.label));
                point.bindValue(3, p.score ? QVariant(*p.score) : QVariant(QMetaType::fromType<double>()));
                if (!ctx.exec(point))
                    return false;
            }
            QSqlQuery tool(ctx.db);
            tool.prepare(QStringLiteral(
                "INSERT INTO tool_calls (call_rid, seq, tool, args, result, at_ms)"
                " VALUES (?, ?, ?, ?, ?, ?)"));
            for (int i = 0; i < details.toolCalls.size(); ++i) {
                const ToolCall &t = details.toolCalls.at(i);
                tool.bindValue(0, rid);
                tool.bindValue(1, i);
                tool.bindValue(2, nn(t.tool));
                tool.bindValue(3, jsonText(t.args));
                tool.bindValue(4, jsonText(t.result));
                tool.bindValue(5, t.atMs);
                if (!ctx.exec(tool))
                    return false;
            }
            QSqlQuery mark(ctx.db);
            mark.prepare(QStringLiteral("UPDATE calls SET has_details = 1 WHERE rid = ?"));
            mark.bindValue(0, rid);
            if (!ctx.exec(mark))
                return false;
            ctx.notes.append([owner, id = c.id] {
                if (owner) {
                    Q_EMIT owner->callsStored({id});
                    Q_EMIT owner->detailsStored(id);
                }
            });
            return true;
        },
        rows);
}

void CacheWriter::storeContacts(const QList<Contact> &contacts)
{
    enqueue(
        [contacts, owner = m_owner](Context &ctx) {
            QSqlQuery put(ctx.db);
            put.prepare(QStringLiteral(
                "INSERT OR REPLACE INTO contacts (id, name, phone) VALUES (?, ?, ?)"));
            // The trigger re-indexes the search text only where the name really changed.
            QSqlQuery text(ctx.db);
            text.prepare(QStringLiteral(
                "UPDATE calls SET search_text = to_number || char(31) || from_number || char(31)"
                " || :name WHERE contact_id = :id AND contact_id <> ''"));
            for (const Contact &c : contacts) {
                if (c.id.isEmpty())
                    continue;
                put.bindValue(0, c.id);
                put.bindValue(1, nn(c.name));
                put.bindValue(2, nn(c.phone));
                if (!ctx.exec(put))
                    return false;
                text.bindValue(QStringLiteral(":name"), nn(c.name));
                text.bindValue(QStringLiteral(":id"), c.id);
                if (!ctx.exec(text))
                    return false;
            }
            ctx.notes.append([owner] {
                if (owner)
                    Q_EMIT owner->contactsStored();
            });
            return true;
        },
        contacts.size());
}

void CacheWriter::removeCall(const QString &callId)
{
    enqueue(
        [callId, owner = m_owner](Context &ctx) {
            const qint64 rid = ctx.rid(callId);
            if (rid < 0)
                return false;
            if (rid == 0)
                return true;
            if (!removeChildren(ctx, rid, true))
                return false;
            QSqlQuery q(ctx.db);
            q.prepare(QStringLiteral("DELETE FROM calls WHERE rid = ?"));
            q.bindValue(0, rid);
            if (!ctx.exec(q))
                return false;
            ctx.notes.append([owner, callId] {
                if (owner)
                    Q_EMIT owner->callRemoved(callId);
            });
            return true;
        },
        1);
}

void CacheWriter::appendAlert(const AlertRecord &alert)
{
    enqueue(
        [alert, owner = m_owner](Context &ctx) {
            QSqlQuery q(ctx.db);
            q.prepare(QStringLiteral("INSERT INTO alerts (call_id, rule, detail, at, ack_by, ack_at)"
                                     " VALUES (?, ?, ?, ?, ?, ?)"));
            q.bindValue(0, nn(alert.callId));
            q.bindValue(1, nn(alert.rule));
            q.bindValue(2, nn(alert.detail));
            q.bindValue(3, (alert.at.isValid() ? alert.at : QDateTime::currentDateTimeUtc())
                               .toMSecsSinceEpoch());
            q.bindValue(4, alert.acknowledgedBy.isEmpty() ? QVariant(QMetaType::fromType<QString>())
                                                          : QVariant(alert.acknowledgedBy));
            q.bindValue(5, msOrNull(alert.acknowledgedAt));
            if (!ctx.exec(q))
                return false;
            AlertRecord stored = alert;
            stored.id = q.lastInsertId().toLongLong();
            if (!stored.at.isValid())
                stored.at = QDateTime::currentDateTimeUtc();
            ctx.notes.append([owner, stored] {
                if (owner)
                    Q_EMIT owner->alertAppended(stored);
            });
            return true;
        },
        1);
}

void CacheWriter::acknowledgeAlert(qint64 id, const QString &who, const QDateTime &at)
{
    enqueue(
        [id, who, at, owner = m_owner](Context &ctx) {
            QSqlQuery q(ctx.db);
            q.prepare(QStringLiteral("UPDATE alerts SET ack_by = ?, ack_at = ? WHERE id = ?"));
            q.bindValue(0, who);
            q.bindValue(1, (at.isValid() ? at : QDateTime::currentDateTimeUtc()).toMSecsSinceEpoch());
            q.bindValue(2, id);
            if (!ctx.exec(q))
                return false;
            ctx.notes.append([owner, id] {
                if (owner)
                    Q_EMIT owner->alertAcknowledged(id);
            });
            return true;
        },
        1);
}

void CacheWriter::setMaxSizeBytes(qint64 bytes)
{
    enqueue(
        [bytes](Context &ctx) {
            QSqlQuery q(ctx.db);
            if (!q.exec(QStringLiteral("PRAGMA page_size")) || !q.next())
                return ctx.fail(q);
            const qint64 pageSize = qMax<qint64>(512, q.value(0).toLongLong());
            // SQLite's largest page count stands for "no cap".
            const qint64 pages = bytes > 0 ? qMax<qint64>(1, bytes / pageSize) : 4294967294LL;
            return ctx.exec(QStringLiteral("PRAGMA max_page_count = %1").arg(pages));
        },
        1);
}

} // namespace sb::models
