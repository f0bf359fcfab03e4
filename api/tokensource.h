#pragma once

#include "apierror.h"

#include <QByteArray>
#include <QObject>
#include <QString>

namespace sb::api {

//! Where a Session gets its bearer token when the platform uses OAuth instead of an API key.
//! The Session asks for a refresh at most once per request after a 401; concurrent requests
//! share one refresh, which the source guarantees by emitting refreshFinished() once for all.
class TokenSource : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    //! Current access token; empty when signed out. A secret: never log it.
    virtual QString accessToken() const = 0;
    bool hasAccessToken() const { return !accessToken().isEmpty(); }
    //! "Bearer <token>", or empty when signed out.
    QByteArray authorizationHeader() const
    {
        const QString token = accessToken();
        return token.isEmpty() ? QByteArray() : QByteArrayLiteral("Bearer ") + token.toUtf8();
    }
    //! Starts a refresh unless one is running. refreshFinished() follows, always asynchronously.
    virtual void requestRefresh() = 0;

Q_SIGNALS:
    //! One refresh ended; `ok` false = no usable token (signInRequired() was emitted).
    void refreshFinished(bool ok);
    //! The access token changed (refresh, sign-in, sign-out → empty). For consumers that carry
    //! the token themselves, e.g. the SignalR `access_token` query.
    void accessTokenChanged(const QString &accessToken);
    //! No token can be had without the person signing in again (refresh failed, token expired,
    //! nothing stored). Emitted once per loss, not per failed request.
    void signInRequired(const sb::api::ApiError &error);
};

} // namespace sb::api
