#pragma once

#include <QByteArray>
#include <QString>
#include <QUrl>
#include <QUrlQuery>

namespace sb::api {

//! Priority lane of a request in the rate limiter: Interactive always goes first.
enum class Lane { Interactive, Background };

//! Describes one HTTP request to the platform; the Session sends (and re-sends) it.
struct Request
{
    QByteArray method = QByteArrayLiteral("GET");
    QString path; //!< relative to the base URL, e.g. "/agents/agent_1"
    QUrlQuery query;
    QByteArray body;
    QByteArray contentType; //!< defaults to application/json when a body is set

    //! Upload this file as multipart/form-data part `file` (instead of `body`).
    QString uploadFilePath;
    //! Stream the response body into this file (via "<file>.part", resumed with Range).
    QString downloadFilePath;

    //! When valid, sent here instead of baseUrl + path: a pre-signed media URL (SpeakNode's
    //! audio_url) that lives on another host. Must be https (http only for loopback).
    QUrl absoluteUrl;
    //! False for such a URL: the bearer token must never reach a third-party media host.
    bool sendAuthorization = true;

    Lane lane = Lane::Interactive;
    //! Sent as If-Match (PATCH with an ETag from get-single).
    QByteArray ifMatch;
    //! POSTs get a fresh key when this is empty, unless `noIdempotencyKey` is set. The same key
    //! goes out on every retry, which is what makes retrying a POST safe.
    QByteArray idempotencyKey;
    bool noIdempotencyKey = false;
};

//! Adds `value` to `query` as literal text. QUrlQuery::addQueryItem() reads "%41" in its input as
//! an escape ("A"), which would change search text and opaque cursors; every query item of a
//! Request goes through this.
inline void addQueryValue(QUrlQuery &query, const QString &key, const QString &value)
{
    QString literal = value;
    literal.replace(QLatin1Char('%'), QLatin1String("%25"));
    query.addQueryItem(key, literal);
}

} // namespace sb::api
