#include "simoauth.h"

#include "simrandom.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QUrl>
#include <QUrlQuery>

Q_LOGGING_CATEGORY(lcSimOAuth, "switchboard.sim.oauth")

namespace {

QString randomToken(const char *prefix)
{
    QByteArray raw(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(raw.data()), raw.size() / 4);
    return QLatin1String(prefix) +
           QString::fromLatin1(
               raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

// application/x-www-form-urlencoded: '+' is a space there, which QUrlQuery does not know.
QUrlQuery formBody(const SimRequest &req)
{
    QByteArray body = req.body;
    body.replace('+', "%20");
    return QUrlQuery(QString::fromLatin1(body));
}

QString formValue(const QUrlQuery &form, const char *key)
{
    return form.queryItemValue(QLatin1String(key), QUrl::FullyDecoded);
}

// RFC 8252 §7.3: a native client's loopback redirect, any port, http, IP literal only.
bool loopbackRedirect(const QString &text)
{
    const QUrl url(text, QUrl::StrictMode);
    return url.isValid() && url.scheme() == QLatin1String("http") &&
           (url.host() == QLatin1String("127.0.0.1") || url.host() == QLatin1String("::1")) &&
           url.port() > 0 && url.userInfo().isEmpty() && !url.hasFragment() &&
           url.path().startsWith(QLatin1Char('/'));
}

SimResponse page(int status, const QString &title, const QString &text)
{
    SimResponse r;
    r.status = status;
    r.contentType = "text/html; charset=utf-8";
    r.body = QStringLiteral("<!doctype html><html><head><title>%1</title></head><body><h1>%1</h1>"
                            "<p>%2</p></body></html>")
                 .arg(title.toHtmlEscaped(), text.toHtmlEscaped())
                 .toUtf8();
    return r;
}

SimResponse redirect(const QString &redirectUri, const QList<QPair<QString, QString>> &params)
{
    QUrl url(redirectUri);
    QUrlQuery q(url);
    for (const auto &p : params)
        q.addQueryItem(p.first, QString::fromLatin1(QUrl::toPercentEncoding(p.second)));
    url.setQuery(q);
    SimResponse r;
    r.status = 302;
    r.setHeader("Location", url.toEncoded());
    r.setHeader("Cache-Control", "no-store");
    return r;
}

SimResponse jsonResponse(int status, const QJsonObject &body)
{
    SimResponse r;
    r.status = status;
    r.contentType = "application/json";
    r.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    r.setHeader("Cache-Control", "no-store");
    r.setHeader("Pragma", "no-cache");
    return r;
}

} // namespace

SimOAuth::SimOAuth(const QList<SimOrg> &orgs, quint64 seed)
{
    for (int i = 0; i < orgs.size(); ++i) {
        // Derived from the seed like the Talknex keys, so a demo restarts with the same ones.
        const QString token =
            QStringLiteral("snk_static_%1%2")
                .arg(SimRandom::mix(seed, quint64(7100 + i)), 16, 16, QLatin1Char('0'))
                .arg(SimRandom::mix(seed, quint64(7200 + i)), 16, 16, QLatin1Char('0'));
        m_staticTokens.insert(orgs.at(i).id, token);
        m_staticOrgs.insert(token, orgs.at(i).id);
    }
    if (!orgs.isEmpty())
        m_demoOrg = orgs.first().id;
}

SimOAuth::Access SimOAuth::checkAccessToken(const QString &token, qint64 nowMs) const
{
    Access a;
    if (token.isEmpty()) {
        a.why = QStringLiteral("Missing bearer access token");
        return a;
    }
    if (const auto it = m_staticOrgs.constFind(token); it != m_staticOrgs.constEnd()) {
        a.org = *it;
        a.credential = QStringLiteral("speaknode-static:") + token;
        return a;
    }
    const auto it = m_access.constFind(token);
    if (it == m_access.constEnd()) {
        a.why = QStringLiteral("Unknown or revoked access token");
        return a;
    }
    if (it->expiresMs <= nowMs) {
        a.why = QStringLiteral("The access token has expired");
        return a;
    }
    a.org = it->org;
    a.credential = QStringLiteral("speaknode-session:") + it->family;
    return a;
}

SimResponse SimOAuth::oauthError(int status, const char *error, const QString &description)
{
    return jsonResponse(status, {{QStringLiteral("error"), QLatin1String(error)},
                                 {QStringLiteral("error_description"), description}});
}

SimResponse SimOAuth::handle(const SimRequest &req, const QStringList &path, qint64 nowMs)
{
    const QString p = path.join(QLatin1Char('/'));
    const QByteArray m = req.method;
    if (p == QLatin1String(".well-known/openid-configuration") && m == "GET")
        return discovery();
    if (p == QLatin1String("protocol/openid-connect/auth") && m == "GET")
        return authorize(req, nowMs);
    if (p == QLatin1String("protocol/openid-connect/token") && m == "POST")
        return token(req, nowMs);
    if (p == QLatin1String("protocol/openid-connect/revoke") && m == "POST")
        return revoke(req);
    if (p == QLatin1String("protocol/openid-connect/logout"))
        return logout(req);
    return oauthError(404, "not_found", QStringLiteral("No such endpoint in this realm"));
}

SimResponse SimOAuth::discovery() const
{
    const QString oidc = m_issuer + QStringLiteral("/protocol/openid-connect");
    return jsonResponse(
        200,
        QJsonObject{
            {QStringLiteral("issuer"), m_issuer},
            {QStringLiteral("authorization_endpoint"), QString(oidc + QStringLiteral("/auth"))},
            {QStringLiteral("token_endpoint"), QString(oidc + QStringLiteral("/token"))},
            {QStringLiteral("revocation_endpoint"), QString(oidc + QStringLiteral("/revoke"))},
            {QStringLiteral("end_session_endpoint"), QString(oidc + QStringLiteral("/logout"))},
            {QStringLiteral("code_challenge_methods_supported"),
             QJsonArray{QStringLiteral("S256")}},
            {QStringLiteral("grant_types_supported"),
             QJsonArray{QStringLiteral("authorization_code"), QStringLiteral("refresh_token")}},
            {QStringLiteral("response_types_supported"), QJsonArray{QStringLiteral("code")}},
            {QStringLiteral("response_modes_supported"), QJsonArray{QStringLiteral("query")}},
            {QStringLiteral("scopes_supported"),
             QJsonArray{QStringLiteral("openid"), QStringLiteral("offline_access")}},
            {QStringLiteral("token_endpoint_auth_methods_supported"),
             QJsonArray{QStringLiteral("none")}},
            {QStringLiteral("revocation_endpoint_auth_methods_supported"),
             QJsonArray{QStringLiteral("none")}},
            {QStringLiteral("subject_types_supported"), QJsonArray{QStringLiteral("public")}},
            {QStringLiteral("authorization_response_iss_parameter_supported"), true}});
}

SimResponse SimOAuth::authorize(const SimRequest &req, qint64 nowMs)
{
    // Errors about the client or the redirect target are shown, never redirected (RFC 6749
    // §4.1.2.1): sending them to an unchecked URI would make this an open redirector.
    const QString client = req.queryValue(QStringLiteral("client_id"));
    if (client != clientId())
        return page(400, QStringLiteral("Unknown client"),
                    QStringLiteral("client_id must be %1.").arg(clientId()));
    const QString redirectUri = req.queryValue(QStringLiteral("redirect_uri"));
    if (!loopbackRedirect(redirectUri))
        return page(400, QStringLiteral("Invalid redirect_uri"),
                    QStringLiteral("redirect_uri must be a loopback URI of the form "
                                   "http://127.0.0.1:<port>/<path>."));
    QList<QPair<QString, QString>> tail;
    const QString state = req.queryValue(QStringLiteral("state"));
    if (req.hasQuery(QStringLiteral("state")))
        tail.append({QStringLiteral("state"), state});
    tail.append({QStringLiteral("iss"), m_issuer});
    const auto fail = [&](const char *error, const QString &description) {
        QList<QPair<QString, QString>> params{{QStringLiteral("error"), QLatin1String(error)},
                                              {QStringLiteral("error_description"), description}};
        return redirect(redirectUri, params + tail);
    };
    if (req.queryValue(QStringLiteral("response_type")) != QLatin1String("code"))
        return fail("unsupported_response_type", QStringLiteral("response_type must be code"));
    const QString challenge = req.queryValue(QStringLiteral("code_challenge"));
    if (challenge.isEmpty())
        return fail("invalid_request", QStringLiteral("PKCE is required: code_challenge missing"));
    if (req.queryValue(QStringLiteral("code_challenge_method")) != QLatin1String("S256"))
        return fail("invalid_request", QStringLiteral("code_challenge_method must be S256"));
    if (challenge.size() != 43)
        return fail("invalid_request",
                    QStringLiteral("code_challenge must be a base64url SHA-256 (43 characters)"));
    QStringList scopes = req.queryValue(QStringLiteral("scope"))
                             .split(QRegularExpression(QStringLiteral("[ +]")), Qt::SkipEmptyParts);
    for (const QString &s : std::as_const(scopes)) {
        if (s != QLatin1String("openid") && s != QLatin1String("offline_access"))
            return fail("invalid_scope", QStringLiteral("Unknown scope %1").arg(s));
    }
    if (scopes.isEmpty())
        scopes.append(QStringLiteral("openid"));
    const QString code = randomToken("snc_");
    m_codes.insert(code, Code{challenge, redirectUri, scopes.join(QLatin1Char(' ')), m_demoOrg,
                              nowMs + kCodeTtlMs, false, randomToken("")});
    qCInfo(lcSimOAuth) << "authorized the demo operator, code issued";
    return redirect(redirectUri,
                    QList<QPair<QString, QString>>{{QStringLiteral("code"), code}} + tail);
}

SimResponse SimOAuth::issue(const QString &org, const QString &family, const QString &scope,
                            qint64 nowMs)
{
    // Forget what can no longer be used, so that a long demo does not pile tokens up (access
    // tokens an hour after they expired: until then a 401 can still say "expired").
    for (auto it = m_access.begin(); it != m_access.end();)
        it = it->expiresMs + 3600000 <= nowMs ? m_access.erase(it) : std::next(it);
    for (auto it = m_refresh.begin(); it != m_refresh.end();)
        it = it->expiresMs <= nowMs ? m_refresh.erase(it) : std::next(it);
    for (auto it = m_codes.begin(); it != m_codes.end();)
        it = it->expiresMs + kCodeTtlMs <= nowMs ? m_codes.erase(it) : std::next(it);
    const QString access = randomToken("snat_");
    const QString refresh = randomToken("snrt_");
    m_access.insert(access, Token{org, family, scope, nowMs + qint64(m_accessTtlS) * 1000});
    m_refresh.insert(refresh, Token{org, family, scope, nowMs + qint64(kRefreshTtlS) * 1000});
    return jsonResponse(200, {{QStringLiteral("access_token"), access},
                              {QStringLiteral("token_type"), QStringLiteral("Bearer")},
                              {QStringLiteral("expires_in"), m_accessTtlS},
                              {QStringLiteral("refresh_token"), refresh},
                              {QStringLiteral("refresh_expires_in"), kRefreshTtlS},
                              {QStringLiteral("scope"), scope}});
}

SimResponse SimOAuth::token(const SimRequest &req, qint64 nowMs)
{
    if (!req.header("Content-Type").toLower().startsWith("application/x-www-form-urlencoded"))
        return oauthError(400, "invalid_request",
                          QStringLiteral("The body must be application/x-www-form-urlencoded"));
    const QUrlQuery form = formBody(req);
    if (formValue(form, "client_id") != clientId())
        return oauthError(400, "invalid_client",
                          QStringLiteral("client_id must be %1").arg(clientId()));
    const QString grant = formValue(form, "grant_type");
    if (grant == QLatin1String("authorization_code")) {
        const QString codeText = formValue(form, "code");
        const QString verifier = formValue(form, "code_verifier");
        const QString redirectUri = formValue(form, "redirect_uri");
        if (codeText.isEmpty() || verifier.isEmpty() || redirectUri.isEmpty())
            return oauthError(400, "invalid_request",
                              QStringLiteral("code, code_verifier and redirect_uri are required"));
        const auto it = m_codes.find(codeText);
        if (it == m_codes.end())
            return oauthError(400, "invalid_grant", QStringLiteral("Unknown code"));
        if (it->used) {
            // RFC 6749 §4.1.2: a code used twice may have been stolen; what it gave is revoked.
            killFamily(it->family);
            return oauthError(400, "invalid_grant", QStringLiteral("The code was already used"));
        }
        it->used = true;
        if (it->expiresMs <= nowMs)
            return oauthError(400, "invalid_grant", QStringLiteral("The code has expired"));
        if (it->redirectUri != redirectUri)
            return oauthError(
                400, "invalid_grant",
                QStringLiteral("redirect_uri differs from the authorization request"));
        const QByteArray computed =
            QCryptographicHash::hash(verifier.toLatin1(), QCryptographicHash::Sha256)
                .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
        if (verifier.size() < 43 || verifier.size() > 128 ||
            QString::fromLatin1(computed) != it->challenge)
            return oauthError(400, "invalid_grant",
                              QStringLiteral("PKCE verification failed (code_verifier)"));
        return issue(it->org, it->family, it->scope, nowMs);
    }
    if (grant == QLatin1String("refresh_token")) {
        const QString refresh = formValue(form, "refresh_token");
        if (refresh.isEmpty())
            return oauthError(400, "invalid_request", QStringLiteral("refresh_token is required"));
        const auto it = m_refresh.constFind(refresh);
        if (it == m_refresh.constEnd())
            return oauthError(400, "invalid_grant",
                              QStringLiteral("Unknown, used or revoked refresh token"));
        const Token t = *it;
        m_refresh.remove(refresh); // rotation: each refresh token works once
        if (t.expiresMs <= nowMs)
            return oauthError(400, "invalid_grant", QStringLiteral("The refresh token expired"));
        return issue(t.org, t.family, t.scope, nowMs);
    }
    return oauthError(400, "unsupported_grant_type",
                      QStringLiteral("grant_type must be authorization_code or refresh_token"));
}

SimResponse SimOAuth::revoke(const SimRequest &req)
{
    const QUrlQuery form = formBody(req);
    const QString token = formValue(form, "token");
    if (token.isEmpty())
        return oauthError(400, "invalid_request", QStringLiteral("token is required"));
    // RFC 7009 §2.2: 200 whether or not the token was known. Revoking a refresh token ends
    // the sign-in it belongs to; an access token dies alone.
    if (const auto it = m_refresh.constFind(token); it != m_refresh.constEnd())
        killFamily(it->family);
    m_access.remove(token);
    SimResponse r;
    r.status = 200;
    return r;
}

SimResponse SimOAuth::logout(const SimRequest &req)
{
    if (req.method == "GET") {
        // The browser end-session step: nothing is kept per browser, so only the redirect.
        const QString back = req.queryValue(QStringLiteral("post_logout_redirect_uri"));
        if (!back.isEmpty() && loopbackRedirect(back))
            return redirect(back, {});
        return page(200, QStringLiteral("Signed out"), QStringLiteral("You are signed out."));
    }
    if (req.method != "POST")
        return oauthError(405, "invalid_request", QStringLiteral("Use GET or POST"));
    const QUrlQuery form = formBody(req);
    const QString refresh = formValue(form, "refresh_token");
    if (refresh.isEmpty())
        return oauthError(400, "invalid_request", QStringLiteral("refresh_token is required"));
    const auto it = m_refresh.constFind(refresh);
    if (it == m_refresh.constEnd())
        return oauthError(400, "invalid_grant", QStringLiteral("Unknown or revoked refresh token"));
    killFamily(it->family);
    SimResponse r;
    r.status = 204;
    return r;
}

void SimOAuth::killFamily(const QString &family)
{
    for (auto it = m_refresh.begin(); it != m_refresh.end();)
        it = it->family == family ? m_refresh.erase(it) : std::next(it);
    for (auto it = m_access.begin(); it != m_access.end();)
        it = it->family == family ? m_access.erase(it) : std::next(it);
}

void SimOAuth::expireAccessTokens(qint64 nowMs)
{
    for (Token &t : m_access)
        t.expiresMs = qMin(t.expiresMs, nowMs);
}

void SimOAuth::revokeRefreshTokens()
{
    m_refresh.clear();
}
