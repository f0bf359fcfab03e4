#include "cachewriter.h"

#include "cacheschema.h"
#include "sqlitestatement.h"

#include <QDataStream>
#include <QElapsedTimer>
#include <QHash>
#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>

#include <memory>
#include <vector>

namespace sb::models {

using namespace sb::api;
using namespace sb::models::cache;

struct CacheWriter::Context
{
    sqlite3 *db = nullptr;
    int errorCode = 0;
    QString errorMessage;
    QList<Notify> notes;

    Statement findCall;
    Statement insertCall;
    Statement updateCall;
    Statement ftsCallInsert;
    Statement ftsCallDelete;
    Statement linesOfCall;
    Statement ftsLineInsert;
    Statement ftsLineDelete;
    Statement callRid;
    Statement putState;
    Statement dropState;
    Statement deleteLines;
    Statement deletePoints;
    Statement deleteTools;
    Statement insertLine;
    Statement insertPoint;
    Statement insertTool;
    Statement markDetails;
    Statement putContact;
    Statement deleteCall;
    Statement insertAlert;
    Statement ackAlert;
    qint64 callsInserted = 0; //!< since the last ANALYZE (see maybeAnalyze())
    qint64 callsUpdated = 0;
    qint64 callsAtAnalyze = 0; //!< rows of calls when the statistics were made

    bool fail()
    {
        errorCode = sqlite3_extended_errcode(db);
        errorMessage = QString::fromUtf8(sqlite3_errmsg(db));
        return false;
    }
    //! Runs \a s to completion; false (with the error noted) if it failed.
    bool run(Statement &s) { return s.run() == SQLITE_DONE || fail(); }
    bool exec(const char *sql)
    {
        return sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK || fail();
    }
    //! rid of \a callId: 0 when absent, -1 on error.
    qint64 rid(const QString &callId)
    {
        callRid.bind(1, callId);
        const int rc = callRid.step();
        const qint64 r = rc == SQLITE_ROW ? callRid.columnInt64(0) : 0;
        callRid.reset();
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
            fail();
            return -1;
        }
        return r;
    }
};

namespace {

const char FindCallSql[] = "SELECT rid, updated_at, remote_number FROM calls WHERE id = ?1";
const char InsertCallSql[] =
    "INSERT INTO calls (id, created_at, updated_at, started_at, ended_at, agent_id, status,"
    " direction, sentiment, sentiment_score, duration, end_reason, to_number, from_number,"
    " remote_number, contact_id, recording_url, summary, metadata)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
    " ?19) ON CONFLICT(id) DO NOTHING";
// A copy without sentiment (0, None: a list that carries none, such as SpeakNode's) keeps the
// sentiment the row already has (estimated from the details when the call was opened).
const char UpdateCallSql[] =
    "UPDATE calls SET created_at = ?2, updated_at = ?3, started_at = ?4, ended_at = ?5,"
    " agent_id = ?6, status = ?7, direction = ?8,"
    " sentiment = CASE WHEN ?9 = 0 THEN sentiment ELSE ?9 END,"
    " sentiment_score = CASE WHEN ?9 = 0 THEN sentiment_score ELSE ?10 END,"
    " duration = ?11, end_reason = ?12, to_number = ?13, from_number = ?14,"
    " remote_number = ?15, contact_id = ?16, recording_url = ?17, summary = ?18,"
    " metadata = ?19 WHERE rid = ?1";

void bindTime(Statement &s, int i, const QDateTime &t)
{
    if (t.isValid())
        s.bind(i, t.toMSecsSinceEpoch());
    else
        s.bindNull(i);
}

bool ftsCall(CacheWriter::Context &ctx, Statement &s, qint64 rid, const QString &text)
{
    s.bind(1, rid);
    s.bind(2, text);
    return ctx.run(s);
}

//! Binds ?2 … ?19 of the insert or the update (numbered alike); ?1 is the id or the rid.
void bindCall(Statement &q, const Call &c, const QString &remote)
{
    q.bind(2, c.createdAt.isValid() ? c.createdAt.toMSecsSinceEpoch() : qint64(0));
    bindTime(q, 3, c.updatedAt);
    bindTime(q, 4, c.startedAt);
    bindTime(q, 5, c.endedAt);
    q.bind(6, c.agentId);
    q.bind(7, statusCode(c.status));
    q.bind(8, directionCode(c.direction));
    q.bind(9, sentimentCode(c.sentiment));
    if (c.sentimentScore)
        q.bind(10, *c.sentimentScore);
    else
        q.bindNull(10);
    q.bind(11, c.durationSeconds);
    q.bind(12, endReasonCode(c.endReason));
    q.bind(13, c.to);
    q.bind(14, c.from);
    q.bind(15, remote);
    q.bind(16, c.contactId);
    q.bind(17, storableUrl(c.recordingUrl));
    q.bind(18, c.summary);
    q.bind(19, c.metadata.isEmpty()
                   ? QString()
                   : QString::fromUtf8(QJsonDocument(c.metadata).toJson(QJsonDocument::Compact)));
}

//! Inserts or updates \a c and keeps calls_text in step; the rid in \a rid (0 if skipped).
//! The newest version wins: an older copy of a call (a page fetched before a live call.ended
//! was stored) does not overwrite a newer one. Without updatedAt on either side, last write
//! wins.
bool upsert(CacheWriter::Context &ctx, const Call &c, qint64 *ridOut = nullptr)
{
    const QString remote = remoteNumber(c);
    qint64 rid = 0;
    QString indexed;
    // A new call (the bulk of a full sync) is one insert; only a conflict looks for the row.
    ctx.insertCall.bind(1, c.id);
    bindCall(ctx.insertCall, c, remote);
    const int inserted = ctx.insertCall.run();
    if (inserted != SQLITE_DONE)
        return ctx.fail();
    if (sqlite3_changes(ctx.db) == 1) {
        rid = sqlite3_last_insert_rowid(ctx.db);
        ++ctx.callsInserted;
        if (ridOut)
            *ridOut = rid;
        return ftsCall(ctx, ctx.ftsCallInsert, rid, remote);
    }
    {
        Statement &f = ctx.findCall;
        f.bind(1, c.id);
        const int rc = f.step();
        if (rc == SQLITE_ROW) {
            rid = f.columnInt64(0);
            const bool newer = sqlite3_column_type(f.handle(), 1) == SQLITE_NULL ||
                               !c.updatedAt.isValid() ||
                               c.updatedAt.toMSecsSinceEpoch() >= f.columnInt64(1);
            indexed = f.columnText(2);
            f.reset();
            if (!newer) {
                if (ridOut)
                    *ridOut = rid;
                return true;
            }
        } else {
            f.reset();
            if (rc != SQLITE_DONE)
                return ctx.fail();
            ctx.errorMessage = QStringLiteral("call %1 conflicts but cannot be found").arg(c.id);
            return false;
        }
    }
    ctx.updateCall.bind(1, rid);
    bindCall(ctx.updateCall, c, remote);
    if (!ctx.run(ctx.updateCall))
        return false;
    ++ctx.callsUpdated;
    if (indexed != remote) {
        if (!ftsCall(ctx, ctx.ftsCallDelete, rid, indexed) ||
            !ftsCall(ctx, ctx.ftsCallInsert, rid, remote))
            return false;
    }
    if (ridOut)
        *ridOut = rid;
    return true;
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
            ctx.dropState.bind(1, it.key());
            if (!ctx.run(ctx.dropState))
                return false;
            continue;
        }
        const QByteArray bytes = encodeVariant(it.value());
        ctx.putState.bind(1, it.key());
        ctx.putState.bind(2, bytes);
        if (!ctx.run(ctx.putState))
            return false;
    }
    return true;
}

bool removeChildren(CacheWriter::Context &ctx, qint64 rid)
{
    // The transcript's FTS entries go first: an external-content delete needs the old text.
    Statement &lines = ctx.linesOfCall;
    lines.bind(1, rid);
    int rc;
    while ((rc = lines.step()) == SQLITE_ROW) {
        ctx.ftsLineDelete.bind(1, lines.columnInt64(0));
        ctx.ftsLineDelete.bind(2, lines.columnText(1));
        if (!ctx.run(ctx.ftsLineDelete)) {
            lines.reset();
            return false;
        }
    }
    lines.reset();
    if (rc != SQLITE_DONE)
        return ctx.fail();
    for (Statement *s : {&ctx.deleteLines, &ctx.deletePoints, &ctx.deleteTools}) {
        s->bind(1, rid);
        if (!ctx.run(*s))
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

//! How many calls the planner statistics describe (0: none yet), and how many there are.
void readAnalyzeState(CacheWriter::Context &ctx)
{
    Statement q;
    qint64 total = 0;
    if (q.prepare(ctx.db, "SELECT count(*) FROM calls") && q.step() == SQLITE_ROW)
        total = q.columnInt64(0);
    Statement stat;
    if (stat.prepare(ctx.db, "SELECT stat FROM sqlite_stat1 WHERE idx = 'calls_created'") &&
        stat.step() == SQLITE_ROW) {
        ctx.callsAtAnalyze = stat.columnText(0).section(QLatin1Char(' '), 0, 0).toLongLong();
    }
    ctx.callsInserted = qMax<qint64>(0, total - ctx.callsAtAnalyze);
}

//! Refreshes the planner's statistics once the table has grown by a tenth (and by at least
//! 10,000 calls) since they were made. Without them SQLite cannot tell that an agent's
//! 25,000 calls are a better start than 600,000 completed ones (44 ms against 220 ms for a
//! count at a million calls). About 0.6 s at a million calls; run only when the queue is empty.
void maybeAnalyze(CacheWriter::Context &ctx)
{
    if (ctx.callsInserted < qMax<qint64>(10000, ctx.callsAtAnalyze / 10))
        return;
    QElapsedTimer t;
    t.start();
    if (!ctx.exec("ANALYZE calls")) {
        qCWarning(lcCache) << "ANALYZE failed:" << ctx.errorMessage;
        ctx.callsInserted = 0; // not again before the next tenth
        return;
    }
    ctx.callsAtAnalyze += ctx.callsInserted;
    ctx.callsInserted = 0;
    qCDebug(lcCache) << "statistics for" << ctx.callsAtAnalyze << "calls in" << t.elapsed() << "ms";
}

//! Opens the writer's connection: no shared-cache, no mutex (this thread only uses it).
bool openConnection(CacheWriter::Context &ctx, const QString &path, QString *error, bool *corrupt)
{
    const int rc =
        sqlite3_open_v2(path.toUtf8().constData(), &ctx.db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        *error = QString::fromUtf8(ctx.db ? sqlite3_errmsg(ctx.db) : sqlite3_errstr(rc));
        return false;
    }
    sqlite3_extended_result_codes(ctx.db, 1);
    sqlite3_busy_timeout(ctx.db, 5000);
    // See configureConnection(): WAL is set (and the schema made) by the reader at open.
    // A checkpoint every 8,192 pages (128 MiB) rather than 1,000: index pages written by one
    // batch are often written again by the next, and each checkpoint copies them once more.
    const bool ok = ctx.exec("PRAGMA synchronous = NORMAL") &&
                    ctx.exec("PRAGMA temp_store = MEMORY") &&
                    ctx.exec("PRAGMA cache_size = -65536") &&
                    ctx.exec("PRAGMA journal_size_limit = 67108864") &&
                    ctx.exec("PRAGMA wal_autocheckpoint = 8192");
    struct Prep
    {
        Statement *stmt;
        const char *sql;
    };
    const Prep preps[] = {
        {&ctx.findCall, FindCallSql},
        {&ctx.insertCall, InsertCallSql},
        {&ctx.updateCall, UpdateCallSql},
        {&ctx.ftsCallInsert, "INSERT INTO calls_text (rowid, number) VALUES (?1, ?2)"},
        {&ctx.ftsCallDelete, "INSERT INTO calls_text (calls_text, rowid, number)"
                             " VALUES ('delete', ?1, ?2)"},
        {&ctx.linesOfCall, "SELECT id, text FROM transcript_lines WHERE call_rid = ?1"},
        {&ctx.ftsLineInsert, "INSERT INTO transcript_fts (rowid, text) VALUES (?1, ?2)"},
        {&ctx.ftsLineDelete, "INSERT INTO transcript_fts (transcript_fts, rowid, text)"
                             " VALUES ('delete', ?1, ?2)"},
        {&ctx.callRid, "SELECT rid FROM calls WHERE id = ?1"},
        {&ctx.putState, "INSERT OR REPLACE INTO sync_state (key, value) VALUES (?1, ?2)"},
        {&ctx.dropState, "DELETE FROM sync_state WHERE key = ?1"},
        {&ctx.deleteLines, "DELETE FROM transcript_lines WHERE call_rid = ?1"},
        {&ctx.deletePoints, "DELETE FROM sentiment_points WHERE call_rid = ?1"},
        {&ctx.deleteTools, "DELETE FROM tool_calls WHERE call_rid = ?1"},
        {&ctx.insertLine, "INSERT INTO transcript_lines (call_rid, seq, role, start_ms, end_ms,"
                          " sentiment, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"},
        {&ctx.insertPoint, "INSERT INTO sentiment_points (call_rid, at_ms, label, score)"
                           " VALUES (?1, ?2, ?3, ?4)"},
        {&ctx.insertTool, "INSERT INTO tool_calls (call_rid, seq, tool, args, result, at_ms)"
                          " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"},
        {&ctx.markDetails, "UPDATE calls SET has_details = 1 WHERE rid = ?1"},
        {&ctx.putContact, "INSERT OR REPLACE INTO contacts (id, name, name_folded, phone)"
                          " VALUES (?1, ?2, ?3, ?4)"},
        {&ctx.deleteCall, "DELETE FROM calls WHERE rid = ?1"},
        {&ctx.insertAlert, "INSERT INTO alerts (call_id, rule, detail, at, ack_by, ack_at)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"},
        {&ctx.ackAlert, "UPDATE alerts SET ack_by = ?2, ack_at = ?3 WHERE id = ?1"},
    };
    bool prepared = ok;
    for (const Prep &p : preps) {
        if (!prepared)
            break;
        prepared = p.stmt->prepare(ctx.db, p.sql) || ctx.fail();
    }
    if (prepared)
        readAnalyzeState(ctx);
    if (!prepared) {
        *error = ctx.errorMessage;
        // A statement that does not prepare against a file of our version (no such table or
        // column) means the file is not what its version says: rebuild it like a damaged one.
        *corrupt =
            isCorruption(ctx.errorCode, ctx.errorMessage) || (ctx.errorCode & 0xff) == SQLITE_ERROR;
    }
    return prepared;
}

void closeConnection(std::unique_ptr<CacheWriter::Context> &ctx)
{
    sqlite3 *db = ctx->db;
    ctx.reset(); // finalizes every statement first
    sqlite3_close(db);
}

} // namespace

CacheWriter::CacheWriter(const QString &path, const QString &connectionName, CallCache *owner)
    : m_path(path)
    , m_connectionName(connectionName)
    , m_owner(owner)
{
    setObjectName(QStringLiteral("switchboard-cache"));
}

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
        m_changed.wakeAll();
    }
    wait();
}

void CacheWriter::enqueue(Job job, qint64 rows)
{
    rows = qMax<qint64>(1, rows);
    QMutexLocker lock(&m_mutex);
    if (m_stopping || (m_started && !m_startOk))
        return;
    while (m_queuedRows > MaxQueuedRows && !m_stopping)
        m_changed.wait(&m_mutex);
    m_queue.push_back({std::move(job), rows});
    m_queuedRows += rows;
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
    auto ctx = std::make_unique<Context>();
    {
        QString error;
        bool corrupt = false;
        const bool ok = openConnection(*ctx, m_path, &error, &corrupt);
        QMutexLocker lock(&m_mutex);
        m_started = true;
        m_startOk = ok;
        m_startError = error;
        m_startCorrupt = corrupt;
        m_changed.wakeAll();
        if (!ok) {
            lock.unlock();
            closeConnection(ctx);
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
            while (!m_queue.empty() &&
                   (items.empty() || rows + m_queue.front().rows <= BatchRows)) {
                rows += m_queue.front().rows;
                items.push_back(std::move(m_queue.front()));
                m_queue.pop_front();
            }
            m_queuedRows -= rows;
            m_changed.wakeAll();
        }

        Failure failure;
        const bool ok = runBatch(*ctx, items, &failure);
        const int code = failure.code & 0xff;
        const bool corrupt = isCorruption(failure.code, failure.message);
        // One bad job (a constraint, a value SQLite refuses) should not take the others of its
        // batch down with it: retry them one by one. A full disk or a broken file would fail
        // them all again, so those are reported once.
        const bool fatal =
            code == Full || code == IoErr || code == ReadOnly || code == CantOpen || corrupt;
        auto report = [this](const Failure &f) {
            qCWarning(lcCache) << "cache write failed:" << f.message;
            QList<Notify> notes{[owner = m_owner, msg = describeWriteError(f.code, f.message)] {
                if (owner)
                    Q_EMIT owner->writeFailed(msg);
            }};
            if (isCorruption(f.code, f.message)) {
                notes.append([owner = m_owner, msg = f.message] {
                    if (owner)
                        owner->onWriterCorruption(msg);
                });
            }
            post(std::move(notes));
        };
        if (!ok && items.size() > 1 && !fatal) {
            for (const Item &item : items) {
                Failure one;
                if (!runBatch(*ctx, {item}, &one))
                    report(one);
            }
        } else if (!ok) {
            report(failure);
        }

        bool idle;
        {
            QMutexLocker lock(&m_mutex);
            m_done += items.size();
            m_changed.wakeAll();
            idle = m_queue.empty();
        }
        if (idle)
            maybeAnalyze(*ctx);
    }
    closeConnection(ctx);
}

bool CacheWriter::runBatch(Context &ctx, const std::vector<Item> &items, Failure *failure)
{
    ctx.notes.clear();
    ctx.errorCode = 0;
    ctx.errorMessage.clear();
    bool ok = ctx.exec("BEGIN IMMEDIATE");
    for (size_t i = 0; ok && i < items.size(); ++i)
        ok = items[i].job(ctx);
    ok = ok && ctx.exec("COMMIT");
    if (!ok) {
        failure->code = ctx.errorCode;
        failure->message = ctx.errorMessage;
        // A failed COMMIT (SQLITE_FULL while spilling) can leave the transaction open.
        if (!sqlite3_get_autocommit(ctx.db))
            sqlite3_exec(ctx.db, "ROLLBACK", nullptr, nullptr, nullptr);
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
            if (!syncState.isEmpty()) {
                ctx.notes.append([owner] {
                    if (owner)
                        Q_EMIT owner->syncStateStored();
                });
            }
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
    const qint64 rows =
        1 + details.transcript.size() + details.sentimentTimeline.size() + details.toolCalls.size();
    enqueue(
        [details, owner = m_owner](Context &ctx) {
            const Call &c = details.call;
            if (c.id.isEmpty())
                return true;
            qint64 rid = 0;
            if (!upsert(ctx, c, &rid))
                return false;
            if (!removeChildren(ctx, rid))
                return false;
            for (int i = 0; i < details.transcript.size(); ++i) {
                const TranscriptLine &l = details.transcript.at(i);
                Statement &q = ctx.insertLine;
                q.bind(1, rid);
                q.bind(2, i);
                q.bind(3, roleCode(l.role));
                q.bind(4, l.startMs);
                q.bind(5, l.endMs);
                q.bind(6, sentimentCode(l.sentiment));
                q.bind(7, l.text);
                if (!ctx.run(q))
                    return false;
                ctx.ftsLineInsert.bind(1, sqlite3_last_insert_rowid(ctx.db));
                ctx.ftsLineInsert.bind(2, l.text);
                if (!ctx.run(ctx.ftsLineInsert))
                    return false;
            }
            for (const SentimentPoint &p : details.sentimentTimeline) {
                Statement &q = ctx.insertPoint;
                q.bind(1, rid);
                q.bind(2, p.atMs);
                q.bind(3, sentimentCode(p.label));
                if (p.score)
                    q.bind(4, *p.score);
                else
                    q.bindNull(4);
                if (!ctx.run(q))
                    return false;
            }
            for (int i = 0; i < details.toolCalls.size(); ++i) {
                const ToolCall &t = details.toolCalls.at(i);
                const QString args = jsonText(t.args);
                const QString result = jsonText(t.result);
                Statement &q = ctx.insertTool;
                q.bind(1, rid);
                q.bind(2, i);
                q.bind(3, t.tool);
                if (args.isEmpty())
                    q.bindNull(4);
                else
                    q.bind(4, args);
                if (result.isEmpty())
                    q.bindNull(5);
                else
                    q.bind(5, result);
                q.bind(6, t.atMs);
                if (!ctx.run(q))
                    return false;
            }
            ctx.markDetails.bind(1, rid);
            if (!ctx.run(ctx.markDetails))
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
            for (const Contact &c : contacts) {
                if (c.id.isEmpty())
                    continue;
                ctx.putContact.bind(1, c.id);
                ctx.putContact.bind(2, c.name);
                ctx.putContact.bind(3, c.name.toCaseFolded());
                ctx.putContact.bind(4, c.phone);
                if (!ctx.run(ctx.putContact))
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
            if (!removeChildren(ctx, rid))
                return false;
            QString indexed;
            ctx.findCall.bind(1, callId);
            if (ctx.findCall.step() == SQLITE_ROW)
                indexed = ctx.findCall.columnText(2);
            ctx.findCall.reset();
            if (!ftsCall(ctx, ctx.ftsCallDelete, rid, indexed))
                return false;
            ctx.deleteCall.bind(1, rid);
            if (!ctx.run(ctx.deleteCall))
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
            AlertRecord stored = alert;
            if (!stored.at.isValid())
                stored.at = QDateTime::currentDateTimeUtc();
            Statement &q = ctx.insertAlert;
            q.bind(1, stored.callId);
            q.bind(2, stored.rule);
            q.bind(3, stored.detail);
            q.bind(4, stored.at.toMSecsSinceEpoch());
            if (stored.acknowledgedBy.isEmpty())
                q.bindNull(5);
            else
                q.bind(5, stored.acknowledgedBy);
            bindTime(q, 6, stored.acknowledgedAt);
            if (!ctx.run(q))
                return false;
            stored.id = sqlite3_last_insert_rowid(ctx.db);
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
            Statement &q = ctx.ackAlert;
            q.bind(1, id);
            q.bind(2, who);
            q.bind(3, (at.isValid() ? at : QDateTime::currentDateTimeUtc()).toMSecsSinceEpoch());
            if (!ctx.run(q))
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
            Statement q;
            if (!q.prepare(ctx.db, "PRAGMA page_size") || q.step() != SQLITE_ROW)
                return ctx.fail();
            const qint64 pageSize = qMax<qint64>(512, q.columnInt64(0));
            // SQLite's largest page count stands for "no cap".
            const qint64 pages = bytes > 0 ? qMax<qint64>(1, bytes / pageSize) : 4294967294LL;
            return ctx.exec(
                QByteArray("PRAGMA max_page_count = " + QByteArray::number(pages)).constData());
        },
        1);
}

} // namespace sb::models
