#pragma once

#include "apierror.h"

#include <QDateTime>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;

namespace sb::api {

//! What a token endpoint grants (RFC 6749 §5.1). Secrets: never log or persist these fields
//! except the refresh token, and that only in the keychain.
struct TokenSet
{
    QString accessToken;
    QString refreshToken; //!< empty when the server sent none (keep the old one then)
    QString idToken;
    QString tokenType;
    QString scope;
    qint64 expiresInSec = 0; //!< 0 = the server did not say
    bool isValid() const { return !accessToken.isEmpty(); }
};

namespace oauth {

//! Parses a token endpoint answer. 200 with an access token → TokenSet; an OAuth error body
//! ({"error": "invalid_grant", "error_description": ...}) → ApiError with `code` = the OAuth
//! error: invalid_grant is Unauthorized (the grant is gone: sign in again), a 5xx is Server.
TokenSet parseTokenResponse(int httpStatus, const QByteArray &body, ApiError *error);

//! POSTs an application/x-www-form-urlencoded body to `url` (token and revocation endpoints).
//! No redirects are followed: a token must never travel to another host.
QNetworkReply *postForm(QNetworkAccessManager *nam, const QUrl &url,
                        const QList<QPair<QString, QString>> &fields, int timeoutMs = 15000);

//! Maps a finished reply that had no HTTP answer to a Network or Timeout error.
ApiError transportError(QNetworkReply *reply);

//! A finished token-endpoint reply: the tokens, or in `error` why there are none (no HTTP
//! answer, an OAuth error body, a malformed one).
TokenSet readTokenReply(QNetworkReply *reply, ApiError *error);

//! Expiry time of a JWT access token (its unverified `exp` claim); invalid when the token is
//! not a JWT or has no `exp`. Used only to know when a pasted token runs out.
QDateTime jwtExpiry(const QString &token);

} // namespace oauth
} // namespace sb::api

Q_DECLARE_METATYPE(sb::api::TokenSet)
