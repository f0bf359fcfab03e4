#pragma once

// Internal to the cache writer: a thin RAII layer over the SQLite C API. The writer talks to
// SQLite directly because Qt Sql's binding costs ~0.6 µs per value (QSqlResult::bindValue
// formats a placeholder name for every bind), which alone caps a 20-column upsert at ~70k
// rows/s before SQLite does any work; through the C API the same row binds in ~0.1 µs.
// The QSQLITE driver loads this same system libsqlite3, so the process holds one SQLite.

#include <QByteArray>
#include <QString>
#include <QVariant>

#include <sqlite3.h>

#include <vector>

namespace sb::models::cache {

//! A prepared statement; binds are 1-based like SQLite's.
class Statement
{
public:
    Statement() = default;
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;
    ~Statement() { sqlite3_finalize(m_stmt); }

    bool prepare(sqlite3 *db, const char *sql)
    {
        sqlite3_finalize(m_stmt);
        m_stmt = nullptr;
        if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr) !=
            SQLITE_OK)
            return false;
        m_keep.resize(sqlite3_bind_parameter_count(m_stmt) + 1);
        return true;
    }
    bool isValid() const { return m_stmt != nullptr; }
    sqlite3_stmt *handle() const { return m_stmt; }

    void bind(int i, qint64 v) { sqlite3_bind_int64(m_stmt, i, v); }
    void bind(int i, int v) { sqlite3_bind_int(m_stmt, i, v); }
    void bind(int i, double v) { sqlite3_bind_double(m_stmt, i, v); }
    //! Bound as UTF-8 (the database's encoding): SQLite then uses the bytes as they are
    //! instead of converting (and allocating) for every value. A null QString binds as ''.
    void bind(int i, const QString &s)
    {
        QByteArray &utf8 = keep(i);
        utf8 = s.toUtf8();
        sqlite3_bind_text(m_stmt, i, utf8.isNull() ? "" : utf8.constData(), int(utf8.size()),
                          SQLITE_STATIC);
    }
    void bind(int i, const QByteArray &b)
    {
        QByteArray &kept = keep(i);
        kept = b;
        sqlite3_bind_blob(m_stmt, i, kept.constData(), int(kept.size()), SQLITE_STATIC);
    }
    void bindNull(int i) { sqlite3_bind_null(m_stmt, i); }
    void bindOptional(int i, const QVariant &v)
    {
        if (v.isNull())
            bindNull(i);
        else if (v.typeId() == QMetaType::Double)
            bind(i, v.toDouble());
        else if (v.typeId() == QMetaType::QString)
            bind(i, v.toString());
        else
            bind(i, v.toLongLong());
    }

    //! SQLITE_ROW, SQLITE_DONE or an error code.
    int step() { return sqlite3_step(m_stmt); }
    //! Runs to completion and resets; SQLITE_DONE on success.
    int run()
    {
        int rc;
        while ((rc = sqlite3_step(m_stmt)) == SQLITE_ROW) {
        }
        sqlite3_reset(m_stmt);
        return rc;
    }
    void reset() { sqlite3_reset(m_stmt); }
    qint64 columnInt64(int i) const { return sqlite3_column_int64(m_stmt, i); }
    QString columnText(int i) const
    {
        const auto *p = static_cast<const char16_t *>(sqlite3_column_text16(m_stmt, i));
        return p ? QString::fromUtf16(p, sqlite3_column_bytes16(m_stmt, i) / 2) : QString();
    }

private:
    QByteArray &keep(int i)
    {
        if (i >= int(m_keep.size()))
            m_keep.resize(i + 1);
        return m_keep[i];
    }

    sqlite3_stmt *m_stmt = nullptr;
    std::vector<QByteArray> m_keep; //!< bound text, alive until the next bind of its slot
};

} // namespace sb::models::cache
