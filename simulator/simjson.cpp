#include "simjson.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonDocument>

namespace SimJson {

QString isoTime(qint64 epochMs)
{
    if (epochMs <= 0)
        return {};
    return QDateTime::fromMSecsSinceEpoch(epochMs, Qt::UTC)
        .toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ"));
}

static QDateTime parseIso(const QString &text)
{
    QDateTime dt = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!dt.isValid())
        dt = QDateTime::fromString(text, Qt::ISODate);
    return dt;
}

// Whether an ISO-8601 date-time carries its own offset ("Z", "+02:00", "-0500").
static bool hasZone(const QString &text)
{
    qsizetype t = text.indexOf(QLatin1Char('T'));
    if (t < 0)
        t = text.indexOf(QLatin1Char(' '));
    if (t < 0)
        return false;
    for (qsizetype i = t + 1; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c == QLatin1Char('Z') || c == QLatin1Char('z') || c == QLatin1Char('+') ||
            c == QLatin1Char('-'))
            return true;
    }
    return false;
}

qint64 parseTime(const QString &text)
{
    if (text.isEmpty())
        return -1;
    // A time without a zone is UTC (CONTRACT §1.1), never the host's local time. Parsing it
    // with "Z" appended avoids local time entirely (no DST gaps or folds).
    QDateTime dt;
    if (text.contains(QLatin1Char('T')) || text.contains(QLatin1Char(' ')))
        dt = parseIso(hasZone(text) ? text : text + QLatin1Char('Z'));
    else
        dt = QDateTime(QDate::fromString(text, Qt::ISODate), QTime(0, 0), Qt::UTC); // date only
    if (!dt.isValid())
        return -1;
    return dt.toMSecsSinceEpoch();
}

bool isE164(const QString &text)
{
    if (text.size() < 9 || text.size() > 16 || !text.startsWith(QLatin1Char('+')))
        return false;
    if (text.at(1) == QLatin1Char('0'))
        return false;
    for (qsizetype i = 1; i < text.size(); ++i) {
        if (!text.at(i).isDigit() || text.at(i).unicode() > 127)
            return false;
    }
    return true;
}

QString maskPhone(const QString &number)
{
    if (number.size() <= 4)
        return QStringLiteral("****");
    return QString(number.size() - 4, QLatin1Char('*')) + number.right(4);
}

QString makeId(const QString &prefix, quint64 value)
{
    static const char alphabet[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    QString s;
    for (int i = 0; i < 12; ++i) {
        s.append(QLatin1Char(alphabet[value % 36]));
        value /= 36;
    }
    return prefix + s;
}

QByteArray etag(const QString &id, qint64 version)
{
    const QByteArray input = id.toUtf8() + '#' + QByteArray::number(version);
    const QByteArray h = QCryptographicHash::hash(input, QCryptographicHash::Sha1).toHex().left(20);
    return '"' + h + '"';
}

QString encodeCursor(qint64 sortKey, const QString &id)
{
    const QByteArray raw = QByteArray::number(sortKey) + ':' + id.toUtf8();
    return QString::fromLatin1(
        raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

bool decodeCursor(const QString &cursor, qint64 *sortKey, QString *id)
{
    const auto result = QByteArray::fromBase64Encoding(
        cursor.toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!result || cursor.isEmpty())
        return false;
    const QByteArray raw = *result;
    const qsizetype colon = raw.indexOf(':');
    if (colon <= 0 || colon == raw.size() - 1)
        return false;
    bool ok = false;
    const qint64 key = raw.left(colon).toLongLong(&ok);
    if (!ok)
        return false;
    *sortKey = key;
    *id = QString::fromUtf8(raw.mid(colon + 1));
    return true;
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace SimJson
