#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

//! JSON and wire-format helpers shared by the simulator's handlers (never by api/).
namespace SimJson {

//! ISO-8601 UTC with milliseconds, e.g. 2024-05-01T10:00:00.000Z; empty for 0.
QString isoTime(qint64 epochMs);
//! Parses an ISO-8601 timestamp (Z or offset; none means UTC, a bare date is midnight UTC);
//! returns -1 when it is not one.
qint64 parseTime(const QString &text);

//! Whether text is an E.164 number: '+', 8 to 15 digits, no leading zero.
bool isE164(const QString &text);
//! Masks all but the last four digits, for logs.
QString maskPhone(const QString &number);

//! A prefixed opaque id, e.g. agent_k3j9x2mq, made from a 64-bit value.
QString makeId(const QString &prefix, quint64 value);

//! Quoted strong ETag for an object id at a version.
QByteArray etag(const QString &id, qint64 version);

//! Opaque list cursor: base64url of "<sortKey>:<id>".
QString encodeCursor(qint64 sortKey, const QString &id);
bool decodeCursor(const QString &cursor, qint64 *sortKey, QString *id);

QByteArray compact(const QJsonObject &object);

} // namespace SimJson
