#pragma once

#include "apierror.h"

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;

namespace sb::api {

//! The endpoints of an OpenID Connect provider, from its discovery document.
struct OAuthEndpoints
{
    QUrl issuer;
    QUrl authorization;
    QUrl token;
    QUrl revocation; //!< RFC 7009; may be empty (sign-out then only forgets)
    QUrl endSession; //!< RP-initiated logout; may be empty
    QUrl userinfo;   //!< may be empty
    bool isValid() const { return authorization.isValid() && token.isValid(); }
};

//! The settings of one public native client at one provider (CONTRACT §2.1).
struct OAuthClientConfig
{
    QUrl issuer; //!< e.g. https://identity.speaknode.com/realms/speaknode
    QString clientId;
    QString scope = QStringLiteral("openid offline_access");
    //! OpenID Connect Core §11: a request for offline_access MUST carry prompt=consent, or
    //! servers that follow it (oidc-provider) grant no refresh token. Empty = not sent.
    QString prompt = QStringLiteral("consent");
};

namespace oauth {
//! Reads a discovery document. Requires authorization and token endpoints, S256 among
//! code_challenge_methods_supported, and `issuer` equal to `expectedIssuer` (OpenID Connect
//! Discovery §4.3: anything else may be a mix-up). Endpoints must be https, or http on
//! loopback. On failure returns invalid endpoints and sets `error`.
OAuthEndpoints parseDiscoveryDocument(const QByteArray &json, const QUrl &expectedIssuer,
                                      ApiError *error);
//! <issuer>/.well-known/openid-configuration
QUrl discoveryUrl(const QUrl &issuer);
} // namespace oauth

//! Fetches and checks <issuer>/.well-known/openid-configuration once; emits finished() once
//! (asynchronously) and may then be deleted.
class OAuthDiscovery : public QObject
{
    Q_OBJECT
public:
    OAuthDiscovery(QNetworkAccessManager *nam, const QUrl &issuer, QObject *parent = nullptr);
    ~OAuthDiscovery() override;

    void start();
    const OAuthEndpoints &endpoints() const { return m_endpoints; }
    //! Kind::None on success.
    const ApiError &error() const { return m_error; }

Q_SIGNALS:
    void finished();

private:
    void onReplyFinished();
    void finish(ApiError error);

    QNetworkAccessManager *m_nam;
    QUrl m_issuer;
    QPointer<QNetworkReply> m_reply;
    OAuthEndpoints m_endpoints;
    ApiError m_error;
};

} // namespace sb::api
