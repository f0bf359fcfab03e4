#include "jsonreader.h"

#include <QTimeZone>

#include <cmath>

namespace sb::api {

JsonReader::JsonReader(const QJsonObject &object, QString context)
    : m_object(object)
    , m_context(std::move(context))
{}

void JsonReader::fail(const QString &why)
{
    if (m_error.isEmpty())
        m_error = m_context + QStringLiteral(": ") + why;
}

bool JsonReader::has(const char *key) const
{
    const QJsonValue v = m_object.value(QLatin1String(key));
    return !v.isUndefined() && !v.isNull();
}

QJsonValue JsonReader::value(const char *key) const
{
    return m_object.value(QLatin1String(key));
}

QJsonValue JsonReader::take(const char *key, Need need, QJsonValue::Type type, const char *typeName)
{
    const QJsonValue v = m_object.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull()) {
        if (need == Required)
            fail(QStringLiteral("missing required field '%1'").arg(QLatin1String(key)));
        return QJsonValue(QJsonValue::Undefined);
    }
    if (v.type() != type) {
        fail(QStringLiteral("field '%1' is not a %2")
                 .arg(QLatin1String(key), QLatin1String(typeName)));
        return QJsonValue(QJsonValue::Undefined);
    }
    return v;
}

QString JsonReader::string(const char *key, Need need)
{
    const QJsonValue v = take(key, need, QJsonValue::String, "string");
    if (need == Required && v.isString() && v.toString().isEmpty())
        fail(QStringLiteral("required field '%1' is empty").arg(QLatin1String(key)));
    return v.toString();
}

std::optional<double> JsonReader::number(const char *key, Need need)
{
    const QJsonValue v = take(key, need, QJsonValue::Double, "number");
    if (!v.isDouble())
        return std::nullopt;
    if (!std::isfinite(v.toDouble())) {
        fail(QStringLiteral("field '%1' is not finite").arg(QLatin1String(key)));
        return std::nullopt;
    }
    return v.toDouble();
}

std::optional<qint64> JsonReader::integer(const char *key, Need need)
{
    const std::optional<double> d = number(key, need);
    if (!d)
        return std::nullopt;
    // 2^53: beyond it doubles stop being exact integers.
    if (*d != std::floor(*d) || std::fabs(*d) > 9007199254740992.0) {
        fail(QStringLiteral("field '%1' is not an integer").arg(QLatin1String(key)));
        return std::nullopt;
    }
    return static_cast<qint64>(*d);
}

std::optional<bool> JsonReader::boolean(const char *key, Need need)
{
    const QJsonValue v = take(key, need, QJsonValue::Bool, "boolean");
    if (!v.isBool())
        return std::nullopt;
    return v.toBool();
}

QDateTime JsonReader::dateTime(const char *key, Need need)
{
    const QJsonValue v = take(key, need, QJsonValue::String, "timestamp string");
    if (!v.isString())
        return QDateTime();
    const QDateTime dt = parseIsoDateTime(v.toString());
    if (!dt.isValid())
        fail(QStringLiteral("field '%1' is not an ISO-8601 timestamp").arg(QLatin1String(key)));
    return dt;
}

QStringList JsonReader::stringList(const char *key, Need need)
{
    const QJsonArray a = array(key, need);
    QStringList out;
    out.reserve(a.size());
    for (const QJsonValue &item : a) {
        if (!item.isString()) {
            fail(QStringLiteral("field '%1' has a non-string item").arg(QLatin1String(key)));
            return {};
        }
        out.append(item.toString());
    }
    return out;
}

QJsonObject JsonReader::object(const char *key, Need need)
{
    return take(key, need, QJsonValue::Object, "object").toObject();
}

QJsonArray JsonReader::array(const char *key, Need need)
{
    return take(key, need, QJsonValue::Array, "array").toArray();
}

QDateTime parseIsoDateTime(const QString &text)
{
    if (text.isEmpty())
        return QDateTime();
    QDateTime dt = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!dt.isValid())
        dt = QDateTime::fromString(text, Qt::ISODate);
    if (!dt.isValid())
        return QDateTime();
    // A timestamp without zone is read as UTC (the contract says UTC), not local time.
    if (dt.timeSpec() == Qt::LocalTime)
        dt.setTimeZone(QTimeZone::utc());
    return dt.toUTC();
}

QString formatIsoDateTime(const QDateTime &dateTime)
{
    return dateTime.toUTC().toString(Qt::ISODateWithMs);
}

} // namespace sb::api
