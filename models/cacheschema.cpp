#include "cacheschema.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTimeZone>
#include <QUrl>

namespace sb::models::cache {

Q_LOGGING_CATEGORY(lcCache, "switchboard.models.cache")

using namespace sb::api;

namespace {

// Version 1. Times are ms since the epoch (UTC). `rid` is the row's stable integer key: the
// history model pages and tie-breaks on it, the FTS tables point at it.
const char *const SchemaV1[] = {
    "CREATE TABLE calls ("
    " rid INTEGER PRIMARY KEY,"
    " id TEXT NOT NULL UNIQUE,"
    " created_at INTEGER NOT NULL DEFAULT 0,"
    " updated_at INTEGER,"
    " started_at INTEGER,"
    " ended_at INTEGER,"
    " agent_id TEXT NOT NULL DEFAULT '',"
    " status INTEGER NOT NULL DEFAULT 0,"
    " direction INTEGER NOT NULL DEFAULT 0,"
    " sentiment INTEGER NOT NULL DEFAULT 0,"
    " sentiment_score REAL,"
    " duration INTEGER NOT NULL DEFAULT 0,"
    " end_reason INTEGER NOT NULL DEFAULT 0,"
    " to_number TEXT NOT NULL DEFAULT '',"
    " from_number TEXT NOT NULL DEFAULT '',"
    " remote_number TEXT NOT NULL DEFAULT '',"
    " contact_id TEXT NOT NULL DEFAULT '',"
    " recording_url TEXT NOT NULL DEFAULT '',"
    " summary TEXT NOT NULL DEFAULT '',"
    " metadata TEXT NOT NULL DEFAULT '',"
    " has_details INTEGER NOT NULL DEFAULT 0)",
    // One index per sort key, each starting <key>, created_at so that "filter by X, newest
    // first" and "sort by X" both walk an index instead of sorting; rid is implicit in every
    // index. The filter columns (agent, status, direction, sentiment) follow in the indexes
    // that lead with one of them or with the time: a count or a block under any mix of those
    // filters then reads one index and never the table (600k table lookups took 220 ms).
    // Direction (two values) has no index of its own: it is not a sort key, and its filter
    // reads calls_created, which carries it (each index costs ~2 µs of every insert).
    "CREATE INDEX calls_created ON calls(created_at, status, direction, sentiment, agent_id)",
    "CREATE INDEX calls_agent ON calls(agent_id, created_at, status, direction, sentiment)",
    "CREATE INDEX calls_status ON calls(status, created_at, direction, sentiment, agent_id)",
    "CREATE INDEX calls_sentiment ON calls(sentiment, created_at, status, direction, agent_id)",
    "CREATE INDEX calls_duration ON calls(duration, created_at)",
    "CREATE INDEX calls_number ON calls(remote_number, created_at)",
    // The calls of the contacts a name filter found, newest first, from the index alone.
    "CREATE INDEX calls_contact ON calls(contact_id, created_at) WHERE contact_id <> ''",
    // Substring search over the other party's number: a trigram index turns "555012" into
    // a phrase of trigrams, matched from the posting lists alone (detail=full keeps positions,
    // so the phrase is an exact substring and no row is read to check it). Contentless:
    // calls.remote_number is the indexed text, which the writer needs to delete an entry.
    // Kept in step by the writer, like transcript_fts. Contact names are searched in the
    // contacts table (thousands of rows, not a million) and reach calls by calls_contact, so
    // a renamed contact re-indexes nothing.
    "CREATE VIRTUAL TABLE calls_text USING fts5(number, content='', tokenize='trigram',"
    " columnsize=0)",

    "CREATE TABLE transcript_lines ("
    " id INTEGER PRIMARY KEY,"
    " call_rid INTEGER NOT NULL,"
    " seq INTEGER NOT NULL,"
    " role INTEGER NOT NULL DEFAULT 0,"
    " start_ms INTEGER NOT NULL DEFAULT 0,"
    " end_ms INTEGER NOT NULL DEFAULT 0,"
    " sentiment INTEGER NOT NULL DEFAULT 0,"
    " text TEXT NOT NULL)",
    "CREATE INDEX transcript_call ON transcript_lines(call_rid, seq)",
    // External content: the text is stored once, in transcript_lines. There are no triggers
    // keeping the FTS tables in step: the writer (the only one) does it in the same
    // transaction. A trigger makes every upsert open a statement journal, and FTS5 flushes
    // its buffer at each of those: ingest went from ~29 to ~14 µs a row without them.
    "CREATE VIRTUAL TABLE transcript_fts USING fts5(text, content='transcript_lines',"
    " content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TABLE sentiment_points ("
    " call_rid INTEGER NOT NULL, at_ms INTEGER NOT NULL, label INTEGER NOT NULL, score REAL)",
    "CREATE INDEX sentiment_call ON sentiment_points(call_rid, at_ms)",
    "CREATE TABLE tool_calls ("
    " call_rid INTEGER NOT NULL, seq INTEGER NOT NULL, tool TEXT NOT NULL, args TEXT,"
    " result TEXT, at_ms INTEGER NOT NULL DEFAULT 0)",
    "CREATE INDEX tool_calls_call ON tool_calls(call_rid, seq)",
    // name_folded: the name case-folded by Qt (SQLite's lower() and LIKE fold ASCII only).
    "CREATE TABLE contacts (id TEXT PRIMARY KEY, name TEXT NOT NULL DEFAULT '',"
    " name_folded TEXT NOT NULL DEFAULT '', phone TEXT NOT NULL DEFAULT '') WITHOUT ROWID",
    "CREATE TABLE alerts ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, call_id TEXT NOT NULL, rule TEXT NOT NULL,"
    " detail TEXT NOT NULL DEFAULT '', at INTEGER NOT NULL, ack_by TEXT, ack_at INTEGER)",
    "CREATE INDEX alerts_at ON alerts(at)",
    "CREATE INDEX alerts_call ON alerts(call_id)",
    // Values are QDataStream-encoded QVariants, so a QDateTime comes back as a QDateTime.
    "CREATE TABLE sync_state (key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID",
};

bool execAll(QSqlDatabase &db, const char *const *statements, size_t count, QString *error)
{
    QSqlQuery q(db);
    for (size_t i = 0; i < count; ++i) {
        if (!q.exec(QString::fromLatin1(statements[i]))) {
            if (error)
                *error = q.lastError().text();
            return false;
        }
    }
    return true;
}

bool exec(QSqlDatabase &db, const QString &sql, QString *error)
{
    QSqlQuery q(db);
    if (q.exec(sql))
        return true;
    if (error)
        *error = q.lastError().text();
    return false;
}

// Migrations: from version N to N+1, each in the schema transaction. None yet; a v2 adds
// `case 1:` here and bumps CallCache::SchemaVersion.
bool migrateStep(QSqlDatabase &db, int from, QString *error)
{
    Q_UNUSED(db)
    if (error)
        *error = QStringLiteral("no migration from schema version %1").arg(from);
    return false;
}

} // namespace

bool configureConnection(QSqlDatabase &db, bool writer, QString *error)
{
    // WAL: the GUI's reads never wait for the writer's transactions and a crash mid-batch
    // leaves the last commit intact. synchronous=NORMAL: no fsync per commit (a power cut may
    // lose the last batches, which the next sync fetches again; it cannot corrupt the file).
    QStringList pragmas = {QStringLiteral("PRAGMA busy_timeout = 5000"),
                           QStringLiteral("PRAGMA synchronous = NORMAL"),
                           QStringLiteral("PRAGMA temp_store = MEMORY")};
    pragmas << (writer ? QStringLiteral("PRAGMA cache_size = -65536")
                       : QStringLiteral("PRAGMA cache_size = -32768"));
    if (writer)
        pragmas << QStringLiteral("PRAGMA journal_size_limit = 67108864");
    for (const QString &p : std::as_const(pragmas)) {
        if (!exec(db, p, error))
            return false;
    }
    return true;
}

bool prepareSchema(QSqlDatabase &db, int targetVersion, bool *rebuild, QString *error)
{
    *rebuild = false;
    QSqlQuery q(db);
    // Only takes effect on a new file. 16 KiB pages: ~15% less work per index insert than
    // 4 KiB ones, and a history block of 256 rows spans fewer pages.
    if (!q.exec(QStringLiteral("PRAGMA page_size = 16384"))) {
        if (error)
            *error = q.lastError().text();
        return false;
    }
    // The first statement that reads the file: a file that is not a database fails here.
    if (!q.exec(QStringLiteral("PRAGMA journal_mode = WAL")) || !q.next()) {
        if (error)
            *error = q.lastError().text();
        return false;
    }
    if (q.value(0).toString().compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0) {
        if (error)
            *error = QStringLiteral("WAL mode refused (%1)").arg(q.value(0).toString());
        return false;
    }
    if (!q.exec(QStringLiteral("PRAGMA user_version")) || !q.next()) {
        if (error)
            *error = q.lastError().text();
        return false;
    }
    int version = q.value(0).toInt();
    q.finish();
    if (version == targetVersion)
        return true;
    if (version > targetVersion) {
        *rebuild = true;
        if (error)
            *error = QStringLiteral("schema version %1 is newer than %2")
                         .arg(version)
                         .arg(targetVersion);
        return false;
    }
    if (!exec(db, QStringLiteral("BEGIN IMMEDIATE"), error))
        return false;
    bool ok = true;
    if (version == 0) {
        // A file with tables but no version is not ours: rebuild it like a newer one.
        if (q.exec(QStringLiteral("SELECT count(*) FROM sqlite_master")) && q.next() &&
            q.value(0).toInt() > 0) {
            if (error)
                *error = QStringLiteral("unversioned database");
            *rebuild = true;
            ok = false;
        }
        q.finish();
        ok = ok && execAll(db, SchemaV1, std::size(SchemaV1), error);
        version = 1;
    }
    while (ok && version < targetVersion) {
        ok = migrateStep(db, version++, error);
        // A step that cannot be made: the file is only a cache, build it anew.
        if (!ok)
            *rebuild = true;
    }
    ok = ok && exec(db, QStringLiteral("PRAGMA user_version = %1").arg(targetVersion), error);
    if (!ok) {
        exec(db, QStringLiteral("ROLLBACK"), nullptr);
        return false;
    }
    return exec(db, QStringLiteral("COMMIT"), error);
}

int sqliteCode(const QSqlError &error)
{
    bool ok = false;
    const int code = error.nativeErrorCode().toInt(&ok);
    // Extended codes carry the primary code in the low byte.
    return ok ? (code & 0xff) : 0;
}

bool isCorruption(const QSqlError &error)
{
    // Some paths report corruption only in the text ("database disk image is malformed").
    return isCorruption(sqliteCode(error), error.databaseText());
}

bool isCorruption(int code, const QString &text)
{
    if ((code & 0xff) == Corrupt || (code & 0xff) == NotADb)
        return true;
    return text.contains(QLatin1String("malformed")) ||
           text.contains(QLatin1String("not a database"));
}

QString describeWriteError(int code, const QString &text)
{
    switch (code & 0xff) {
    case Full:
        return QCoreApplication::translate(
            "sb::models::CallCache",
            "The disk is full: new calls could not be saved to the local cache. Calls saved "
            "before are kept; free some space and they will be fetched again.");
    case ReadOnly:
    case CantOpen:
        return QCoreApplication::translate(
            "sb::models::CallCache",
            "The local cache cannot be written (read-only or removed). Calls saved before are "
            "kept.");
    case IoErr:
        return QCoreApplication::translate(
            "sb::models::CallCache",
            "A disk error stopped the local cache from saving new calls. Calls saved before "
            "are kept.");
    case Corrupt:
    case NotADb:
        return QCoreApplication::translate("sb::models::CallCache",
                                           "The local cache file is damaged; it will be rebuilt.");
    default:
        break;
    }
    return QCoreApplication::translate("sb::models::CallCache",
                                       "The local cache could not save new data: %1")
        .arg(text);
}

// The DTO enums are stored by value; these asserts catch a reordering that would silently
// change what old cache files mean.
static_assert(int(CallStatus::Canceled) == 8 && int(CallStatus::Completed) == 4);
static_assert(int(CallDirection::Inbound) == 2 && int(EndReason::Error) == 7);
static_assert(int(SpeakerRole::Tool) == 4);

int statusCode(CallStatus status)
{
    return int(status);
}
CallStatus statusFromCode(int code)
{
    return code >= 0 && code <= int(CallStatus::Canceled) ? CallStatus(code) : CallStatus::Unknown;
}
int directionCode(CallDirection direction)
{
    return int(direction);
}
CallDirection directionFromCode(int code)
{
    return code >= 0 && code <= int(CallDirection::Inbound) ? CallDirection(code)
                                                            : CallDirection::Unknown;
}
int endReasonCode(EndReason reason)
{
    return int(reason);
}
EndReason endReasonFromCode(int code)
{
    return code >= 0 && code <= int(EndReason::Error) ? EndReason(code) : EndReason::Unknown;
}
int roleCode(SpeakerRole role)
{
    return int(role);
}
SpeakerRole roleFromCode(int code)
{
    return code >= 0 && code <= int(SpeakerRole::Tool) ? SpeakerRole(code) : SpeakerRole::Unknown;
}

int sentimentCode(Sentiment sentiment)
{
    switch (sentiment) {
    case Sentiment::None:
        return 0;
    case Sentiment::Unknown:
        return 1;
    case Sentiment::Negative:
        return 2;
    case Sentiment::Neutral:
        return 3;
    case Sentiment::Positive:
        return 4;
    }
    return 1;
}

Sentiment sentimentFromCode(int code)
{
    switch (code) {
    case 0:
        return Sentiment::None;
    case 2:
        return Sentiment::Negative;
    case 3:
        return Sentiment::Neutral;
    case 4:
        return Sentiment::Positive;
    default:
        return Sentiment::Unknown;
    }
}

QVariant msOrNull(const QDateTime &time)
{
    return time.isValid() ? QVariant(time.toMSecsSinceEpoch())
                          : QVariant(QMetaType::fromType<qint64>());
}

QDateTime timeFromMs(const QVariant &ms)
{
    if (ms.isNull())
        return {};
    return QDateTime::fromMSecsSinceEpoch(ms.toLongLong(), Qt::UTC);
}

QString remoteNumber(const Call &call)
{
    return call.direction == CallDirection::Outbound ? call.to : call.from;
}

QString storableUrl(const QString &url)
{
    if (url.isEmpty())
        return {};
    const QUrl u(url);
    if (!u.isValid())
        return {};
    return u.adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::RemoveUserInfo).toString();
}

QString normalizedFilterText(const QString &text)
{
    const QString t = text.simplified();
    bool phoneLike = !t.isEmpty();
    int digits = 0;
    for (const QChar c : t) {
        if (c.isDigit())
            ++digits;
        else if (!QStringLiteral("+-() ./").contains(c))
            phoneLike = false;
    }
    if (!phoneLike || digits == 0)
        return t;
    QString out;
    for (qsizetype i = 0; i < t.size(); ++i) {
        if (t.at(i).isDigit() || (out.isEmpty() && t.at(i) == QLatin1Char('+')))
            out.append(t.at(i));
    }
    return out;
}

QString ftsPhrase(const QString &text)
{
    // Control characters (a NUL ends the string for FTS5's parser) and private-use ones
    // (the snippet markers) never belong to a word.
    QString clean = text;
    clean.removeIf([](QChar c) {
        return c.category() == QChar::Other_Control || c.category() == QChar::Other_PrivateUse;
    });
    const QString t = clean.simplified();
    if (t.isEmpty())
        return {};
    QString quoted = t;
    quoted.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString callColumns()
{
    return QStringLiteral(
        "id, created_at, updated_at, started_at, ended_at, agent_id, status, direction,"
        " sentiment, sentiment_score, duration, end_reason, to_number, from_number, contact_id,"
        " recording_url, summary, metadata");
}

Call readCall(const QSqlQuery &q, int o)
{
    Call c;
    c.id = q.value(o + 0).toString();
    c.createdAt = timeFromMs(q.value(o + 1));
    c.updatedAt = timeFromMs(q.value(o + 2));
    c.startedAt = timeFromMs(q.value(o + 3));
    c.endedAt = timeFromMs(q.value(o + 4));
    c.agentId = q.value(o + 5).toString();
    c.status = statusFromCode(q.value(o + 6).toInt());
    c.direction = directionFromCode(q.value(o + 7).toInt());
    c.sentiment = sentimentFromCode(q.value(o + 8).toInt());
    if (!q.value(o + 9).isNull())
        c.sentimentScore = q.value(o + 9).toDouble();
    c.durationSeconds = q.value(o + 10).toInt();
    c.endReason = endReasonFromCode(q.value(o + 11).toInt());
    c.to = q.value(o + 12).toString();
    c.from = q.value(o + 13).toString();
    c.contactId = q.value(o + 14).toString();
    c.recordingUrl = q.value(o + 15).toString();
    c.summary = q.value(o + 16).toString();
    const QByteArray meta = q.value(o + 17).toByteArray();
    if (!meta.isEmpty())
        c.metadata = QJsonDocument::fromJson(meta).object();
    return c;
}

} // namespace sb::models::cache
