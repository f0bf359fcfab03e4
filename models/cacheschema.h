#pragma once

// Internal to the call cache (callcache.cpp, cachewriter.cpp, callhistorymodel.cpp,
// searchmodel.cpp): the schema, its migrations, and how DTO values map onto columns.

#include "api/dto.h"

#include <QLoggingCategory>
#include <QSqlError>
#include <QString>
#include <QStringList>
#include <QVariant>

class QSqlDatabase;
class QSqlQuery;

namespace sb::models::cache {

Q_DECLARE_LOGGING_CATEGORY(lcCache)

//! Creates the schema on an empty file, or migrates an older one. A schema this build cannot
//! read or migrate (a newer app wrote the file, a migration step failed, it is some other
//! database) sets \a rebuild: the caller moves the file aside and starts anew, the file is
//! only a cache.
bool prepareSchema(QSqlDatabase &db, int targetVersion, bool *rebuild, QString *error);

//! Connection settings every connection of the cache gets (busy timeout, cache size ...).
bool configureConnection(QSqlDatabase &db, bool writer, QString *error);

// SQLite primary result codes as the QSQLITE driver reports them (nativeErrorCode()).
enum SqliteCode {
    Busy = 5,
    Locked = 6,
    ReadOnly = 8,
    IoErr = 10,
    Corrupt = 11,
    Full = 13,
    CantOpen = 14,
    NotADb = 26
};
int sqliteCode(const QSqlError &error);
bool isCorruption(const QSqlError &error);
bool isCorruption(int code, const QString &text);
//! A message for the status bar: what failed and what it means for the user's data.
QString describeWriteError(int code, const QString &text);

// Column codes. Stored as small integers so that filters and sorts use compact indexes; the
// sentiment code orders none < unknown < negative < neutral < positive.
int statusCode(sb::api::CallStatus status);
sb::api::CallStatus statusFromCode(int code);
int directionCode(sb::api::CallDirection direction);
sb::api::CallDirection directionFromCode(int code);
int sentimentCode(sb::api::Sentiment sentiment);
sb::api::Sentiment sentimentFromCode(int code);
int endReasonCode(sb::api::EndReason reason);
sb::api::EndReason endReasonFromCode(int code);
int roleCode(sb::api::SpeakerRole role);
sb::api::SpeakerRole roleFromCode(int code);

//! ms since the epoch (UTC), or a null QVariant for an invalid time.
QVariant msOrNull(const QDateTime &time);
QDateTime timeFromMs(const QVariant &ms);

//! The other party of the call: `to` for outbound calls, `from` otherwise.
QString remoteNumber(const sb::api::Call &call);
//! A recording URL without query, fragment or user info: a pre-signed URL is a credential.
QString storableUrl(const QString &url);

//! The user's number/contact text as the filter compares it: a number typed with spaces,
//! dashes or brackets keeps only its digits (and a leading '+').
QString normalizedFilterText(const QString &text);
//! \a text as one FTS5 string literal (a phrase): user input never reaches the FTS5 parser as
//! syntax. Empty when \a text has nothing to search for.
QString ftsPhrase(const QString &text);

//! The calls columns readCall() expects, in order, for `SELECT <callColumns> FROM calls`.
QString callColumns();
//! The call at \a offset in the current record of \a q (see callColumns()).
sb::api::Call readCall(const QSqlQuery &q, int offset = 0);

} // namespace sb::models::cache
