#include "apierror.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

namespace sb::api {

ApiError::ApiError(Kind k, QString msg)
    : kind(k)
    , message(std::move(msg))
{}

ApiError::Kind ApiError::kindForStatus(int status)
{
    switch (status) {
    case 400:
    case 422:
        return Kind::Validation;
    case 401:
        return Kind::Unauthorized;
    case 403:
        return Kind::Forbidden;
    case 404:
        return Kind::NotFound;
    case 409:
        return Kind::Conflict;
    case 412:
        return Kind::PreconditionFailed;
    case 429:
        return Kind::RateLimited;
    default:
        break;
    }
    if (status >= 500 && status <= 599)
        return Kind::Server;
    return Kind::Http;
}

ApiError ApiError::fromHttp(int status, const QByteArray &body, const QByteArray &requestIdHeader)
{
    ApiError e;
    e.kind = kindForStatus(status);
    e.httpStatus = status;
    e.requestId = QString::fromLatin1(requestIdHeader);
    QJsonParseError perr{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &perr);
    if (perr.error != QJsonParseError::NoError || !doc.isObject())
        return e; // an error page that is not JSON still has a usable status
    const QJsonObject root = doc.object();
    if (root.value(QLatin1String("error")).isObject()) {
        // Talknex: {"error": {"code", "message", "field", "requestId", "current"}}
        const QJsonObject err = root.value(QLatin1String("error")).toObject();
        e.code = err.value(QLatin1String("code")).toString();
        e.message = err.value(QLatin1String("message")).toString();
        e.field = err.value(QLatin1String("field")).toString();
        if (e.requestId.isEmpty())
            e.requestId = err.value(QLatin1String("requestId")).toString();
        e.currentJson = err.value(QLatin1String("current")).toObject();
    } else if (root.contains(QLatin1String("title")) || root.contains(QLatin1String("detail"))) {
        // RFC 7807 problem details (SpeakNode).
        e.code = root.value(QLatin1String("type")).toString();
        e.message = root.value(QLatin1String("detail")).toString();
        if (e.message.isEmpty())
            e.message = root.value(QLatin1String("title")).toString();
        if (e.requestId.isEmpty())
            e.requestId = root.value(QLatin1String("traceId")).toString();
        // 422: {"errors": {"Field": ["message", ...]}}. Every field keeps its messages; the
        // first field (and its first message) is the one a form highlights.
        const QJsonObject errors = root.value(QLatin1String("errors")).toObject();
        for (auto it = errors.constBegin(); it != errors.constEnd(); ++it) {
            QStringList messages;
            const QJsonValue v = it.value();
            const QJsonArray list = v.isArray() ? v.toArray() : QJsonArray{v};
            for (const QJsonValue &m : list) {
                if (m.isString() && !m.toString().isEmpty())
                    messages.append(m.toString());
            }
            e.fieldErrors.insert(it.key(), messages);
        }
        if (!errors.isEmpty()) {
            e.field = errors.constBegin().key();
            const QStringList first = e.fieldErrors.value(e.field);
            if (!first.isEmpty())
                e.message = first.constFirst();
        }
    }
    return e;
}

QString ApiError::caption() const
{
    const char *ctx = "sb::api::ApiError";
    switch (kind) {
    case Kind::None:
        return QString();
    case Kind::Network:
        return QCoreApplication::translate(
            ctx, "Cannot reach the server. Check the network connection.");
    case Kind::Timeout:
        return QCoreApplication::translate(ctx, "The server did not answer in time.");
    case Kind::Canceled:
        return QCoreApplication::translate(ctx, "The request was canceled.");
    case Kind::Protocol:
        return QCoreApplication::translate(ctx,
                                           "The server sent a response the console cannot read.");
    case Kind::InvalidRequest:
        return QCoreApplication::translate(ctx, "The request could not be sent: %1").arg(message);
    case Kind::Unauthorized:
        return QCoreApplication::translate(ctx, "The API key was rejected. Sign in again.");
    case Kind::Forbidden:
        return QCoreApplication::translate(ctx, "This account may not access that item.");
    case Kind::NotFound:
        return QCoreApplication::translate(ctx, "The item no longer exists.");
    case Kind::Validation:
        if (!field.isEmpty() && !message.isEmpty())
            return QCoreApplication::translate(ctx, "Invalid value for %1: %2").arg(field, message);
        if (!message.isEmpty())
            return QCoreApplication::translate(ctx, "The server rejected the input: %1")
                .arg(message);
        return QCoreApplication::translate(ctx, "The server rejected the input.");
    case Kind::Conflict:
        return QCoreApplication::translate(
            ctx, "The change conflicts with the current state on the server.");
    case Kind::PreconditionFailed:
        return QCoreApplication::translate(
            ctx, "Someone else changed this item. Review their changes and try again.");
    case Kind::RateLimited:
        return QCoreApplication::translate(ctx, "Too many requests. Try again in a moment.");
    case Kind::Server:
        return QCoreApplication::translate(ctx,
                                           "The server had a problem (HTTP %1). Try again later.")
            .arg(httpStatus);
    case Kind::Http:
        return QCoreApplication::translate(ctx, "The server answered with HTTP %1.")
            .arg(httpStatus);
    case Kind::NotSupported:
        // The platform layer puts a translated reason into `message`.
        if (!message.isEmpty())
            return message;
        return QCoreApplication::translate(ctx, "This platform does not support that.");
    case Kind::Io:
        return QCoreApplication::translate(ctx, "A local file could not be read or written: %1")
            .arg(message);
    }
    return QString();
}

QString ApiError::details() const
{
    QString text = caption();
    if (!message.isEmpty() && kind != Kind::InvalidRequest && kind != Kind::Io &&
        kind != Kind::NotSupported)
        text += QLatin1Char('\n') + message;
    if (!requestId.isEmpty())
        text += QLatin1Char('\n') +
                QCoreApplication::translate("sb::api::ApiError", "Request id: %1").arg(requestId);
    return text;
}

} // namespace sb::api
