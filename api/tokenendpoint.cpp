#include "tokenendpoint.h"

#include "oauthpkce.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace sb::api::oauth {

TokenSet parseTokenResponse(int httpStatus, const QByteArray &body, ApiError *error)
{
    QJsonParseError perr{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &perr);
    const QJsonObject root = doc.object();
    const auto text = [&root](const char *key) {
        return root.value(QLatin1String(key)).toString();
    };
    const auto setError = [error](ApiError e) {
        if (error)
            *error = std::move(e);
    };
    if (httpStatus != 200) {
        ApiError e;
        e.httpStatus = httpStatus;
        e.code = text("error");
        e.message = text("error_description");
        if (e.message.isEmpty())
            e.message = e.code;
        if (httpStatus >= 500)
            e.kind = ApiError::Kind::Server;
        else if (e.code == QLatin1String("invalid_grant") || httpStatus == 401)
            e.kind = ApiError::Kind::Unauthorized;
        else if (httpStatus == 429)
            e.kind = ApiError::Kind::RateLimited;
        else
            e.kind = ApiError::Kind::Validation;
        setError(e);
        return {};
    }
    if (perr.error != QJsonParseError::NoError || !doc.isObject()) {
        setError(ApiError(ApiError::Kind::Protocol,
                          QStringLiteral("token endpoint answer is not a JSON object")));
        return {};
    }
    TokenSet tokens;
    tokens.accessToken = text("access_token");
    tokens.refreshToken = text("refresh_token");
    tokens.idToken = text("id_token");
    tokens.tokenType = text("token_type");
    tokens.scope = text("scope");
    const QJsonValue expires = root.value(QLatin1String("expires_in"));
    // Some servers send the number as a string.
    tokens.expiresInSec = expires.isString() ? expires.toString().toLongLong()
                                             : static_cast<qint64>(expires.toDouble());
    if (tokens.expiresInSec < 0)
        tokens.expiresInSec = 0;
    if (tokens.accessToken.isEmpty() ||
        (!tokens.tokenType.isEmpty() &&
         tokens.tokenType.compare(QLatin1String("Bearer"), Qt::CaseInsensitive) != 0)) {
        setError(ApiError(ApiError::Kind::Protocol,
                          QStringLiteral("token endpoint granted no Bearer access token")));
        return {};
    }
    setError(ApiError());
    return tokens;
}

QNetworkReply *postForm(QNetworkAccessManager *nam, const QUrl &url,
                        const QList<QPair<QString, QString>> &fields, int timeoutMs)
{
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader,
                      QByteArrayLiteral("application/x-www-form-urlencoded"));
    request.setRawHeader("Accept", "application/json");
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                         QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    request.setTransferTimeout(timeoutMs);
    return nam->post(request, formEncode(fields));
}

ApiError transportError(QNetworkReply *reply)
{
    const bool timedOut = reply->error() == QNetworkReply::OperationCanceledError ||
                          reply->error() == QNetworkReply::TimeoutError;
    return ApiError(timedOut ? ApiError::Kind::Timeout : ApiError::Kind::Network,
                    reply->errorString());
}

TokenSet readTokenReply(QNetworkReply *reply, ApiError *error)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 0) {
        *error = transportError(reply);
        return {};
    }
    return parseTokenResponse(status, reply->readAll(), error);
}

QDateTime jwtExpiry(const QString &token)
{
    const QStringList parts = token.split(QLatin1Char('.'));
    if (parts.size() != 3)
        return {};
    const QByteArray payload = QByteArray::fromBase64(
        parts.at(1).toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    const QJsonObject claims = QJsonDocument::fromJson(payload).object();
    const QJsonValue exp = claims.value(QLatin1String("exp"));
    if (!exp.isDouble())
        return {};
    return QDateTime::fromSecsSinceEpoch(static_cast<qint64>(exp.toDouble()), Qt::UTC);
}

} // namespace sb::api::oauth
