#include "callcache.h"

#include "cacheschema.h"
#include "cachewriter.h"
#include "sqlitestatement.h"

#include <QAtomicInt>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDataStream>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMutex>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QThread>

namespace sb::models {

using namespace sb::api;
using namespace sb::models::cache;

namespace {

QAtomicInt connectionCounter;

QVariant decodeVariant(const QByteArray &bytes)
{
    QDataStream in(bytes);
    in.setVersion(QDataStream::Qt_6_4);
    QVariant value;
    in >> value;
    return in.status() == QDataStream::Ok ? value : QVariant();
}

QJsonValue jsonValue(const QVariant &text)
{
    const QByteArray bytes = text.toByteArray();
    if (bytes.isEmpty())
        return QJsonValue(QJsonValue::Undefined);
    const QJsonArray wrapped = QJsonDocument::fromJson(bytes).array();
    return wrapped.isEmpty() ? QJsonValue(QJsonValue::Undefined) : wrapped.first();
}

} // namespace

//! PRAGMA quick_check on its own read-only connection, at idle priority: a large cache is
//! checked while the history is already in use (about 2 s for a million calls). Damage found
//! leads to the same recovery as damage found at open.
class IntegrityCheck : public QThread
{
public:
    explicit IntegrityCheck(const QString &path)
        : m_path(path)
    {
        setObjectName(QStringLiteral("switchboard-cache-check"));
    }
    ~IntegrityCheck() override { cancel(); }

    //! Stops a check under way (sqlite3_interrupt) and waits for the thread.
    void cancel()
    {
        {
            QMutexLocker lock(&m_mutex);
            m_canceled = true;
            if (m_db)
                sqlite3_interrupt(m_db);
        }
        wait();
    }
    //! "ok", a description of the damage, or empty when canceled or not readable.
    QString result() const { return m_result; }

protected:
    void run() override
    {
        sqlite3 *db = nullptr;
        if (sqlite3_open_v2(m_path.toUtf8().constData(), &db,
                            SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
            sqlite3_close(db);
            return;
        }
        {
            QMutexLocker lock(&m_mutex);
            if (m_canceled) {
                sqlite3_close(db);
                return;
            }
            m_db = db;
        }
        {
            cache::Statement q;
            if (q.prepare(db, "PRAGMA quick_check(1)")) {
                const int rc = q.step();
                if (rc == SQLITE_ROW)
                    m_result = q.columnText(0);
                else if (cache::isCorruption(rc, QString::fromUtf8(sqlite3_errmsg(db))))
                    m_result = QString::fromUtf8(sqlite3_errmsg(db));
            } else if (cache::isCorruption(sqlite3_errcode(db),
                                           QString::fromUtf8(sqlite3_errmsg(db)))) {
                m_result = QString::fromUtf8(sqlite3_errmsg(db));
            }
        }
        QMutexLocker lock(&m_mutex);
        m_db = nullptr;
        sqlite3_close(db);
    }

private:
    const QString m_path;
    QMutex m_mutex;
    sqlite3 *m_db = nullptr;
    bool m_canceled = false;
    QString m_result;
};

void CallCache::startIntegrityCheck()
{
    m_check = std::make_unique<IntegrityCheck>(m_path);
    IntegrityCheck *check = m_check.get();
    connect(check, &QThread::finished, this, [this, check] {
        if (m_check.get() != check)
            return;
        const QString result = check->result();
        m_check.reset();
        if (!result.isEmpty() && result != QLatin1String("ok"))
            onWriterCorruption(result);
    });
    check->start(QThread::IdlePriority);
}

CallCache::CallCache(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<sb::models::AlertRecord>();
}

CallCache::~CallCache()
{
    close();
}

QString CallCache::pathForProfile(const QString &profileId)
{
    const QString hash = QString::fromLatin1(
        QCryptographicHash::hash(profileId.toUtf8(), QCryptographicHash::Sha1).toHex());
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
           QStringLiteral("/cache/") + hash + QStringLiteral(".sqlite");
}

bool CallCache::open(const QString &profileId, QString *error)
{
    return openFile(pathForProfile(profileId), error);
}

bool CallCache::openFile(const QString &path, QString *error)
{
    close();
    m_path = QFileInfo(path).absoluteFilePath();
    if (!QDir().mkpath(QFileInfo(m_path).absolutePath())) {
        m_lastError = tr("Cannot create the folder of the local cache (%1).")
                          .arg(QFileInfo(m_path).absolutePath());
        if (error)
            *error = m_lastError;
        m_path.clear();
        return false;
    }
    const int n = connectionCounter.fetchAndAddRelaxed(1);
    m_connection = QStringLiteral("sb.cache.%1.read").arg(n);

    QString why;
    bool corrupt = false;
    bool ok = openReader(&why, &corrupt);
    if (ok) {
        corrupt = !startWriter();
        ok = m_writer != nullptr;
        if (!ok)
            why = m_lastError;
    }
    if (!ok && corrupt) {
        ok = recover(why, &why);
    } else if (ok && QFileInfo(m_path).size() > m_foregroundCheckLimit) {
        startIntegrityCheck();
    }
    if (!ok) {
        m_lastError = tr("The local cache cannot be opened: %1").arg(why);
        if (error)
            *error = m_lastError;
        close();
        return false;
    }
    m_lastError.clear();
    return true;
}

bool CallCache::openReader(QString *error, bool *corrupt)
{
    *corrupt = false;
    QString why;
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
        db.setDatabaseName(m_path);
        ok = db.open();
        if (!ok) {
            why = db.lastError().text();
            *corrupt = isCorruption(db.lastError());
        }
        ok = ok && configureConnection(db, false, &why);
        bool rebuild = false;
        ok = ok && prepareSchema(db, SchemaVersion, &rebuild, &why);
        if (!ok && db.isOpen()) {
            // The helpers report text only: probe once more for the code. A foreign or newer
            // schema is rebuilt like a damaged file.
            QSqlQuery probe(db);
            probe.exec(QStringLiteral("SELECT count(*) FROM sqlite_master"));
            *corrupt = rebuild || isCorruption(probe.lastError()) ||
                       why.contains(QLatin1String("not a database")) ||
                       why.contains(QLatin1String("malformed"));
        }
        if (ok && QFileInfo(m_path).size() <= m_foregroundCheckLimit) {
            QSqlQuery q(db);
            if (!q.exec(QStringLiteral("PRAGMA quick_check(1)")) || !q.next()) {
                why = q.lastError().text();
                *corrupt = true;
                ok = false;
            } else if (q.value(0).toString() != QLatin1String("ok")) {
                why = q.value(0).toString();
                *corrupt = true;
                ok = false;
            }
        }
    }
    if (!ok) {
        QSqlDatabase::removeDatabase(m_connection);
        if (error)
            *error = why;
    }
    return ok;
}

bool CallCache::startWriter()
{
    const QString name = m_connection.left(m_connection.size() - 4) + QStringLiteral("write");
    auto writer = std::make_unique<CacheWriter>(m_path, name, this);
    QString why;
    bool corrupt = false;
    if (!writer->startWriter(&why, &corrupt)) {
        writer->stopWriter();
        m_lastError = why;
        return !corrupt;
    }
    m_writer = std::move(writer);
    return true;
}

void CallCache::stopWriter()
{
    if (!m_writer)
        return;
    m_writer->stopWriter();
    m_writer.reset();
    // Deliver what the writer committed before it stopped.
    QCoreApplication::sendPostedEvents(this, QEvent::MetaCall);
}

bool CallCache::recover(const QString &reason, QString *error)
{
    qCWarning(lcCache) << "cache file damaged, rebuilding:" << reason;
    m_check.reset();
    stopWriter();
    if (QSqlDatabase::contains(m_connection))
        QSqlDatabase::removeDatabase(m_connection);
    // A new name: readers (the history model) notice the change and re-attach on recovered().
    m_connection = QStringLiteral("sb.cache.%1.read").arg(connectionCounter.fetchAndAddRelaxed(1));

    const QString stamp =
        QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz"));
    const QString aside = m_path + QStringLiteral(".corrupt-") + stamp;
    bool moved = QFile::rename(m_path, aside);
    QFile::rename(m_path + QStringLiteral("-wal"), aside + QStringLiteral("-wal"));
    QFile::remove(m_path + QStringLiteral("-shm"));
    if (!moved && QFile::exists(m_path) && !QFile::remove(m_path)) {
        if (error)
            *error = tr("the damaged file cannot be moved aside");
        return false;
    }

    bool corrupt = false;
    QString why;
    if (!openReader(&why, &corrupt)) {
        if (error)
            *error = why;
        return false;
    }
    startWriter();
    if (!m_writer) {
        if (error)
            *error = m_lastError;
        return false;
    }
    Q_EMIT recovered(moved ? aside : QString());
    return true;
}

void CallCache::onWriterCorruption(const QString &message)
{
    if (m_path.isEmpty())
        return;
    QString why;
    if (!recover(message, &why)) {
        m_lastError = tr("The local cache cannot be rebuilt: %1").arg(why);
        Q_EMIT writeFailed(m_lastError);
    }
}

void CallCache::close()
{
    m_check.reset();
    stopWriter();
    if (!m_connection.isEmpty() && QSqlDatabase::contains(m_connection))
        QSqlDatabase::removeDatabase(m_connection);
    m_connection.clear();
    m_path.clear();
}

bool CallCache::isOpen() const
{
    return m_writer != nullptr;
}

void CallCache::storeCalls(const QList<Call> &calls, const QVariantMap &syncState)
{
    if (m_writer && (!calls.isEmpty() || !syncState.isEmpty()))
        m_writer->storeCalls(calls, syncState);
}

void CallCache::storeDetails(const CallDetails &details)
{
    if (m_writer)
        m_writer->storeDetails(details);
}

void CallCache::storeContacts(const QList<Contact> &contacts)
{
    if (m_writer && !contacts.isEmpty())
        m_writer->storeContacts(contacts);
}

void CallCache::removeCall(const QString &callId)
{
    if (m_writer)
        m_writer->removeCall(callId);
}

void CallCache::appendAlert(const AlertRecord &alert)
{
    if (m_writer)
        m_writer->appendAlert(alert);
}

void CallCache::acknowledgeAlert(qint64 id, const QString &who, const QDateTime &at)
{
    if (m_writer)
        m_writer->acknowledgeAlert(id, who, at);
}

void CallCache::setMaxSizeBytes(qint64 bytes)
{
    if (m_writer)
        m_writer->setMaxSizeBytes(bytes);
}

void CallCache::flush()
{
    if (!m_writer)
        return;
    m_writer->waitForIdle();
    QCoreApplication::sendPostedEvents(this, QEvent::MetaCall);
}

QVariantMap CallCache::syncState() const
{
    QVariantMap state;
    if (!isOpen())
        return state;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (!q.exec(QStringLiteral("SELECT key, value FROM sync_state"))) {
        qCWarning(lcCache) << "reading the sync state failed:" << q.lastError().text();
        return state;
    }
    while (q.next())
        state.insert(q.value(0).toString(), decodeVariant(q.value(1).toByteArray()));
    return state;
}

std::optional<Call> CallCache::call(const QString &callId) const
{
    if (!isOpen())
        return std::nullopt;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT ") + callColumns() +
              QStringLiteral(" FROM calls WHERE id = ?"));
    q.bindValue(0, callId);
    if (!q.exec() || !q.next())
        return std::nullopt;
    return readCall(q);
}

std::optional<CallDetails> CallCache::details(const QString &callId) const
{
    if (!isOpen())
        return std::nullopt;
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    // One read transaction: the call and its children come from the same snapshot.
    db.transaction();
    CallDetails d;
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT rid, ") + callColumns() +
              QStringLiteral(" FROM calls WHERE id = ?"));
    q.bindValue(0, callId);
    if (!q.exec() || !q.next()) {
        db.rollback();
        return std::nullopt;
    }
    const qint64 rid = q.value(0).toLongLong();
    d.call = readCall(q, 1);
    q.finish();

    q.prepare(QStringLiteral("SELECT role, text, start_ms, end_ms, sentiment FROM transcript_lines"
                             " WHERE call_rid = ? ORDER BY seq"));
    q.bindValue(0, rid);
    if (q.exec()) {
        while (q.next()) {
            TranscriptLine l;
            l.role = roleFromCode(q.value(0).toInt());
            l.text = q.value(1).toString();
            l.startMs = q.value(2).toLongLong();
            l.endMs = q.value(3).toLongLong();
            l.sentiment = sentimentFromCode(q.value(4).toInt());
            d.transcript.append(l);
        }
    }
    q.prepare(QStringLiteral("SELECT at_ms, label, score FROM sentiment_points WHERE call_rid = ?"
                             " ORDER BY at_ms, rowid"));
    q.bindValue(0, rid);
    if (q.exec()) {
        while (q.next()) {
            SentimentPoint p;
            p.atMs = q.value(0).toLongLong();
            p.label = sentimentFromCode(q.value(1).toInt());
            if (!q.value(2).isNull())
                p.score = q.value(2).toDouble();
            d.sentimentTimeline.append(p);
        }
    }
    q.prepare(QStringLiteral("SELECT tool, args, result, at_ms FROM tool_calls WHERE call_rid = ?"
                             " ORDER BY seq"));
    q.bindValue(0, rid);
    if (q.exec()) {
        while (q.next()) {
            ToolCall t;
            t.tool = q.value(0).toString();
            t.args = jsonValue(q.value(1));
            t.result = jsonValue(q.value(2));
            t.atMs = q.value(3).toLongLong();
            d.toolCalls.append(t);
        }
    }
    q.finish();
    db.rollback();
    return d;
}

bool CallCache::hasTranscript(const QString &callId) const
{
    if (!isOpen())
        return false;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT has_details FROM calls WHERE id = ?"));
    q.bindValue(0, callId);
    return q.exec() && q.next() && q.value(0).toInt() != 0;
}

qint64 CallCache::callCount() const
{
    if (!isOpen())
        return 0;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    return q.exec(QStringLiteral("SELECT count(*) FROM calls")) && q.next()
               ? q.value(0).toLongLong()
               : 0;
}

QString CallCache::contactName(const QString &contactId) const
{
    if (!isOpen() || contactId.isEmpty())
        return {};
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT name FROM contacts WHERE id = ?"));
    q.bindValue(0, contactId);
    return q.exec() && q.next() ? q.value(0).toString() : QString();
}

QList<AlertRecord> CallCache::alerts(int limit) const
{
    QList<AlertRecord> out;
    if (!isOpen())
        return out;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT id, call_id, rule, detail, at, ack_by, ack_at FROM alerts"
                             " ORDER BY at DESC, id DESC LIMIT ?"));
    q.bindValue(0, qMax(0, limit));
    if (!q.exec())
        return out;
    while (q.next()) {
        AlertRecord a;
        a.id = q.value(0).toLongLong();
        a.callId = q.value(1).toString();
        a.rule = q.value(2).toString();
        a.detail = q.value(3).toString();
        a.at = timeFromMs(q.value(4));
        a.acknowledgedBy = q.value(5).toString();
        a.acknowledgedAt = timeFromMs(q.value(6));
        out.append(a);
    }
    return out;
}

QString CallCache::databasePath() const
{
    return m_path;
}

QString CallCache::connectionName() const
{
    return m_connection;
}

} // namespace sb::models
