#include "oauthdiscovery.h"

#include "logging.h"
#include "session.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace sb::api {

namespace {

QUrl withoutTrailingSlash(QUrl url)
{
    QString path = url.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    url.setPath(path);
    return url;
}

ApiError discoveryError(const QString &message)
{
    ApiError e(ApiError::Kind::Protocol, message);
    e.code = QStringLiteral("discovery");
    return e;
}

} // namespace

namespace oauth {

QUrl discoveryUrl(const QUrl &issuer)
{
    QUrl url = withoutTrailingSlash(issuer);
    url.setPath(url.path() + QLatin1String("/.well-known/openid-configuration"));
    return url;
}

OAuthEndpoints parseDiscoveryDocument(const QByteArray &json, const QUrl &expectedIssuer,
                                      ApiError *error)
{
    const auto fail = [error](const QString &message) {
        if (error)
            *error = discoveryError(message);
        return OAuthEndpoints();
    };
    QJsonParseError perr{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &perr);
    if (perr.error != QJsonParseError::NoError || !doc.isObject())
        return fail(QCoreApplication::translate("sb::api::OAuthDiscovery",
                                                "the sign-in server's discovery document is not "
                                                "JSON"));
    const QJsonObject root = doc.object();
    const QUrl issuer(root.value(QLatin1String("issuer")).toString());
    if (withoutTrailingSlash(issuer) != withoutTrailingSlash(expectedIssuer))
        return fail(QCoreApplication::translate("sb::api::OAuthDiscovery",
                                                "the sign-in server calls itself \"%1\", not "
                                                "\"%2\"")
                        .arg(issuer.toDisplayString(), expectedIssuer.toDisplayString()));
    const auto endpoint = [&root](const char *key) {
        return QUrl(root.value(QLatin1String(key)).toString());
    };
    OAuthEndpoints out;
    out.issuer = issuer;
    out.authorization = endpoint("authorization_endpoint");
    out.token = endpoint("token_endpoint");
    out.revocation = endpoint("revocation_endpoint");
    out.endSession = endpoint("end_session_endpoint");
    out.userinfo = endpoint("userinfo_endpoint");
    if (!Session::isAllowedBaseUrl(out.authorization) || !Session::isAllowedBaseUrl(out.token))
        return fail(QCoreApplication::translate("sb::api::OAuthDiscovery",
                                                "the sign-in server publishes no usable https "
                                                "authorization and token endpoints"));
    // Optional endpoints that are insecure are dropped rather than used with a token.
    for (QUrl *optional : {&out.revocation, &out.endSession, &out.userinfo}) {
        if (!optional->isEmpty() && !Session::isAllowedBaseUrl(*optional))
            *optional = QUrl();
    }
    const QJsonArray methods =
        root.value(QLatin1String("code_challenge_methods_supported")).toArray();
    if (!methods.contains(QJsonValue(QStringLiteral("S256"))))
        return fail(QCoreApplication::translate("sb::api::OAuthDiscovery",
                                                "the sign-in server does not support PKCE with "
                                                "S256"));
    if (error)
        *error = ApiError();
    return out;
}

} // namespace oauth

OAuthDiscovery::OAuthDiscovery(QNetworkAccessManager *nam, const QUrl &issuer, QObject *parent)
    : QObject(parent)
    , m_nam(nam)
    , m_issuer(issuer)
{}

OAuthDiscovery::~OAuthDiscovery()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

void OAuthDiscovery::start()
{
    if (!Session::isAllowedBaseUrl(m_issuer)) {
        ApiError e(ApiError::Kind::InvalidRequest,
                   tr("\"%1\" is not a valid https:// sign-in address")
                       .arg(m_issuer.toDisplayString(QUrl::RemoveUserInfo)));
        QMetaObject::invokeMethod(
            this, [this, e] { finish(e); }, Qt::QueuedConnection);
        return;
    }
    QNetworkRequest request(oauth::discoveryUrl(m_issuer));
    request.setRawHeader("Accept", "application/json");
    request.setTransferTimeout(15000);
    m_reply = m_nam->get(request);
    connect(m_reply, &QNetworkReply::finished, this, &OAuthDiscovery::onReplyFinished);
}

void OAuthDiscovery::onReplyFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    m_reply = nullptr;
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (reply->error() != QNetworkReply::NoError && status == 0) {
        finish(ApiError(reply->error() == QNetworkReply::OperationCanceledError
                            ? ApiError::Kind::Timeout
                            : ApiError::Kind::Network,
                        reply->errorString()));
        return;
    }
    if (status != 200) {
        ApiError e = ApiError::fromHttp(status, reply->readAll(), QByteArray());
        e.message = tr("the sign-in server's discovery document answered HTTP %1").arg(status);
        finish(e);
        return;
    }
    ApiError error;
    m_endpoints = oauth::parseDiscoveryDocument(reply->readAll(), m_issuer, &error);
    finish(error);
}

void OAuthDiscovery::finish(ApiError error)
{
    m_error = std::move(error);
    if (m_error.isError())
        qCWarning(lcApi).noquote() << "OAuth discovery failed:" << m_error.message;
    Q_EMIT finished();
}

} // namespace sb::api
