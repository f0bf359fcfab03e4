#pragma once

#include <QByteArray>
#include <QString>

namespace sb::api::oauth {

//! PKCE code verifier (RFC 7636 §4.1): 32 random bytes, base64url without padding (43 chars).
QByteArray makeCodeVerifier();
//! S256 code challenge of `verifier`: base64url(SHA-256(verifier)) without padding.
QByteArray codeChallengeS256(const QByteArray &verifier);
//! Unguessable `state` for one authorization request (16 random bytes, base64url).
QByteArray makeState();
//! base64url without padding, as OAuth uses it everywhere.
QByteArray base64Url(const QByteArray &bytes);
//! application/x-www-form-urlencoded body; every name and value fully percent-encoded, so a
//! '+' or '&' in a code or token cannot change its meaning.
QByteArray formEncode(const QList<QPair<QString, QString>> &fields);

//! What the browser brought back to the loopback redirect URI (RFC 6749 §4.1.2).
struct CallbackParams
{
    bool isCallback = false; //!< the request was for the redirect path (not a favicon etc.)
    QString code;
    QString state;
    QString error; //!< e.g. "access_denied"; empty on success
    QString errorDescription;
    QString issuer; //!< `iss` (RFC 9207), when the server sends it
};

//! Parses a request target such as "/callback?code=..&state=.." received by the listener.
//! `redirectPath` is the path of our redirect URI ("/callback").
CallbackParams parseCallbackTarget(const QByteArray &target, const QString &redirectPath);

} // namespace sb::api::oauth
