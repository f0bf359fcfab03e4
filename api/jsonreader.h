#pragma once

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <optional>

namespace sb::api {

//! Outcome of parsing one DTO: a value, or the reason it was rejected.
template<class T> struct Parsed
{
    std::optional<T> value;
    QString error; //!< English, for logs and ApiError::message

    bool ok() const { return value.has_value(); }
    static Parsed fail(QString why)
    {
        Parsed p;
        p.error = std::move(why);
        return p;
    }
};

//! Reads typed fields from a JSON object and remembers the first problem. Required fields must
//! be present with the right type; optional ones may be absent or null, but when present they
//! must have the right type (a wrong type is a protocol error, never a silent default).
class JsonReader
{
public:
    enum Need { Optional, Required };

    explicit JsonReader(const QJsonObject &object, QString context);

    bool ok() const { return m_error.isEmpty(); }
    const QString &error() const { return m_error; }
    void fail(const QString &why);

    QString string(const char *key, Need need = Optional);
    std::optional<double> number(const char *key, Need need = Optional);
    std::optional<qint64> integer(const char *key, Need need = Optional);
    std::optional<bool> boolean(const char *key, Need need = Optional);
    QDateTime dateTime(const char *key, Need need = Optional);
    QStringList stringList(const char *key, Need need = Optional);
    QJsonObject object(const char *key, Need need = Optional);
    QJsonArray array(const char *key, Need need = Optional);
    //! Any JSON value; Undefined when absent.
    QJsonValue value(const char *key) const;
    bool has(const char *key) const;

private:
    QJsonValue take(const char *key, Need need, QJsonValue::Type type, const char *typeName);

    QJsonObject m_object;
    QString m_context;
    QString m_error;
};

//! ISO-8601 UTC timestamp; invalid QDateTime on garbage.
QDateTime parseIsoDateTime(const QString &text);
//! Formats as ISO-8601 UTC with milliseconds ("2024-05-01T12:00:00.000Z").
QString formatIsoDateTime(const QDateTime &dateTime);

} // namespace sb::api
