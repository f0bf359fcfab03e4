#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <optional>

namespace sb::api {

//! Everything that can go wrong with a request, in one value the UI can show.
class ApiError
{
public:
    enum class Kind {
        None,               //!< no error
        Network,            //!< connection refused/reset, DNS, TLS ...
        Timeout,            //!< connect or inactivity timeout
        Canceled,           //!< cancel() was called; never retried
        Protocol,           //!< malformed, truncated or wrong-typed response
        InvalidRequest,     //!< refused before sending (bad base URL, insecure http, bad file)
        Unauthorized,       //!< 401: key revoked or wrong
        Forbidden,          //!< 403
        NotFound,           //!< 404
        Validation,         //!< 400 / 422
        Conflict,           //!< 409
        PreconditionFailed, //!< 412: `current` holds the server's object
        RateLimited,        //!< 429 after the retries ran out
        Server,             //!< 5xx after the retries ran out
        Http,               //!< any other HTTP error status
        NotSupported,       //!< the platform lacks this feature (or 404 on an optional endpoint)
        Io,                 //!< local file error (download target, upload source)
    };

    ApiError() = default;
    ApiError(Kind kind, QString message);

    Kind kind = Kind::None;
    int httpStatus = 0;
    QString code;    //!< platform error code, e.g. "validation_error"
    QString message; //!< server's or our own detail message (English, for logs/details)
    QString field;   //!< offending field for validation errors
    //! Every field's messages of a validation error (RFC 7807 `errors`), field → messages.
    QMap<QString, QStringList> fieldErrors;
    QString requestId;       //!< X-Request-Id header or error.requestId
    QJsonObject currentJson; //!< 412: the server's current object, raw
    QVariant current;        //!< 412: the same, parsed into the DTO when possible
    QString currentEtag;     //!< 412: the response's ETag, the tag of `current` (for If-Match)
    std::optional<qint64> retryAfterMs; //!< 429/503: server's Retry-After

    bool isError() const { return kind != Kind::None; }
    //! Translated, user-readable one-liner for a banner or the status bar.
    QString caption() const;
    //! Caption plus server detail and request id, for a "details" expander.
    QString details() const;

    //! Maps an HTTP error status and body (Talknex `{error:{...}}` or RFC 7807) to an error.
    static ApiError fromHttp(int status, const QByteArray &body, const QByteArray &requestIdHeader);
    static Kind kindForStatus(int status);

    template<class T> std::optional<T> currentAs() const
    {
        if (current.canConvert<T>())
            return current.value<T>();
        return std::nullopt;
    }
};

} // namespace sb::api

Q_DECLARE_METATYPE(sb::api::ApiError)
