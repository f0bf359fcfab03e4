#pragma once

#include "simauth.h"
#include "simhttp.h"

#include <QHash>
#include <QList>
#include <QString>

//! The simulator's minimal OAuth 2.0 authorization server for SpeakNode (Keycloak-shaped realm
//! at /realms/speaknode): discovery, authorization code + PKCE (S256 only) for the public
//! native client `switchboard` with loopback redirects, rotating refresh tokens, revocation
//! (RFC 7009) and logout. There is no login page: /auth approves at once as the operator of
//! the demo organization. It also holds one static, long-lived access token per organization
//! (the "pasted token" path and tests). Tokens are opaque random strings kept in memory.
class SimOAuth
{
public:
    static constexpr qint64 kCodeTtlMs = 60000;
    static constexpr int kRefreshTtlS = 86400;

    SimOAuth(const QList<SimOrg> &orgs, quint64 seed);

    //! e.g. http://127.0.0.1:41234/realms/speaknode
    void setIssuer(const QString &issuer) { m_issuer = issuer; }
    QString issuer() const { return m_issuer; }
    void setAccessTtlSeconds(int seconds) { m_accessTtlS = qMax(1, seconds); }
    static QString clientId() { return QStringLiteral("switchboard"); }

    //! The organization's static access token (printed at start-up as `speaknode-token`).
    QString staticToken(const QString &org) const { return m_staticTokens.value(org); }

    //! What a bearer token is worth: the organization (empty when refused, with the reason)
    //! and a credential key for the rate limiter (one per sign-in, stable across refreshes).
    struct Access
    {
        QString org;
        QString credential;
        QString why;
    };
    Access checkAccessToken(const QString &token, qint64 nowMs) const;

    //! Answers a request under /realms/speaknode (path segments after "speaknode").
    SimResponse handle(const SimRequest &request, const QStringList &path, qint64 nowMs);

    //! Admin: every issued access token answers 401 from now on (refresh tokens still work).
    void expireAccessTokens(qint64 nowMs);
    //! Admin: every refresh token is dead (refresh answers invalid_grant).
    void revokeRefreshTokens();

private:
    struct Code
    {
        QString challenge, redirectUri, scope, org;
        qint64 expiresMs = 0;
        bool used = false;
        QString family; // the sign-in its tokens belong to, for revocation on reuse
    };
    struct Token
    {
        QString org, family, scope;
        qint64 expiresMs = 0;
    };

    SimResponse discovery() const;
    SimResponse authorize(const SimRequest &req, qint64 nowMs);
    SimResponse token(const SimRequest &req, qint64 nowMs);
    SimResponse revoke(const SimRequest &req);
    SimResponse logout(const SimRequest &req);
    SimResponse issue(const QString &org, const QString &family, const QString &scope,
                      qint64 nowMs);
    void killFamily(const QString &family);
    static SimResponse oauthError(int status, const char *error, const QString &description);

    QString m_issuer;
    int m_accessTtlS = 300;
    QString m_demoOrg;
    QHash<QString, QString> m_staticTokens; // org -> token
    QHash<QString, QString> m_staticOrgs;   // token -> org
    QHash<QString, Code> m_codes;
    QHash<QString, Token> m_access;
    QHash<QString, Token> m_refresh;
};
