// switchboard-sim's OAuth realm for SpeakNode: discovery, authorization code + PKCE, rotating
// refresh tokens, revocation, logout and the admin switches, driven over real sockets.
#include "tst_sim_speaknode.h"

#include "simspeaknode.h"

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QTest>
#include <QUrlQuery>

namespace {

const QString kRedirect = QStringLiteral("http://127.0.0.1:53682/callback");

QByteArray b64url(const QByteArray &in)
{
    return in.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray form(const QList<QPair<QString, QString>> &items)
{
    QUrlQuery q;
    for (const auto &i : items)
        q.addQueryItem(i.first, QString::fromLatin1(QUrl::toPercentEncoding(i.second)));
    return q.query(QUrl::FullyEncoded).toLatin1();
}

QUrlQuery locationQuery(const SnReply &r)
{
    return QUrlQuery(QUrl::fromEncoded(r.header("Location")));
}

} // namespace

TestSimSpeakNode::Pkce TestSimSpeakNode::makePkce()
{
    QByteArray raw(32, Qt::Uninitialized);
    QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(raw.data()), 8);
    Pkce p;
    p.verifier = b64url(raw);
    p.challenge = b64url(QCryptographicHash::hash(p.verifier, QCryptographicHash::Sha256));
    return p;
}

QUrl TestSimSpeakNode::authorizeUrl(const QString &redirectUri, const QByteArray &challenge,
                                    const QString &state, const QString &method) const
{
    QUrl u(m_sim->speaknode()->issuer() + QStringLiteral("/protocol/openid-connect/auth"));
    QUrlQuery q;
    const QList<QPair<QString, QString>> items = {
        {QStringLiteral("client_id"), QStringLiteral("switchboard")},
        {QStringLiteral("response_type"), QStringLiteral("code")},
        {QStringLiteral("redirect_uri"), redirectUri},
        {QStringLiteral("scope"), QStringLiteral("openid offline_access")},
        {QStringLiteral("state"), state},
        {QStringLiteral("code_challenge"), QString::fromLatin1(challenge)},
        {QStringLiteral("code_challenge_method"), method}};
    for (const auto &i : items) {
        if (!i.second.isEmpty())
            q.addQueryItem(i.first, QString::fromLatin1(QUrl::toPercentEncoding(i.second)));
    }
    u.setQuery(q);
    return u;
}

SnReply TestSimSpeakNode::tokenRequest(const QList<QPair<QString, QString>> &items)
{
    return send(
        "POST",
        QUrl(m_sim->speaknode()->issuer() + QStringLiteral("/protocol/openid-connect/token")), {},
        form(items), "application/x-www-form-urlencoded");
}

QJsonObject TestSimSpeakNode::signIn()
{
    const Pkce p = makePkce();
    const SnReply a = send("GET", authorizeUrl(kRedirect, p.challenge));
    const QString code = locationQuery(a).queryItemValue(QStringLiteral("code"));
    const SnReply t =
        tokenRequest({{QStringLiteral("grant_type"), QStringLiteral("authorization_code")},
                      {QStringLiteral("client_id"), QStringLiteral("switchboard")},
                      {QStringLiteral("code"), code},
                      {QStringLiteral("redirect_uri"), kRedirect},
                      {QStringLiteral("code_verifier"), QString::fromLatin1(p.verifier)}});
    return t.object();
}

void TestSimSpeakNode::discovery()
{
    const QString issuer = m_sim->speaknode()->issuer();
    const SnReply r =
        send("GET", QUrl(issuer + QStringLiteral("/.well-known/openid-configuration")));
    QCOMPARE(r.status, 200);
    const QJsonObject d = r.object();
    QCOMPARE(d[QLatin1String("issuer")].toString(), issuer);
    const QString oidc = issuer + QStringLiteral("/protocol/openid-connect");
    QCOMPARE(d[QLatin1String("authorization_endpoint")].toString(), oidc + QStringLiteral("/auth"));
    QCOMPARE(d[QLatin1String("token_endpoint")].toString(), oidc + QStringLiteral("/token"));
    QCOMPARE(d[QLatin1String("revocation_endpoint")].toString(), oidc + QStringLiteral("/revoke"));
    QCOMPARE(d[QLatin1String("end_session_endpoint")].toString(), oidc + QStringLiteral("/logout"));
    QCOMPARE(d[QLatin1String("code_challenge_methods_supported")].toArray(),
             QJsonArray{QStringLiteral("S256")});
    QCOMPARE(d[QLatin1String("response_types_supported")].toArray(),
             QJsonArray{QStringLiteral("code")});
    QVERIFY(d[QLatin1String("grant_types_supported")].toArray().contains(
        QStringLiteral("refresh_token")));
    QVERIFY(
        d[QLatin1String("scopes_supported")].toArray().contains(QStringLiteral("offline_access")));
}

void TestSimSpeakNode::authorizationCodeFlow()
{
    const Pkce p = makePkce();
    const SnReply a = send("GET", authorizeUrl(kRedirect, p.challenge, QStringLiteral("s t/ä")));
    QCOMPARE(a.status, 302);
    const QUrl location = QUrl::fromEncoded(a.header("Location"));
    QCOMPARE(location.adjusted(QUrl::RemoveQuery).toString(), kRedirect);
    const QUrlQuery q(location);
    QCOMPARE(q.queryItemValue(QStringLiteral("state"), QUrl::FullyDecoded),
             QStringLiteral("s t/ä"));
    QCOMPARE(q.queryItemValue(QStringLiteral("iss"), QUrl::FullyDecoded),
             m_sim->speaknode()->issuer());
    const QString code = q.queryItemValue(QStringLiteral("code"));
    QVERIFY(code.size() > 20);
    const SnReply t =
        tokenRequest({{QStringLiteral("grant_type"), QStringLiteral("authorization_code")},
                      {QStringLiteral("client_id"), QStringLiteral("switchboard")},
                      {QStringLiteral("code"), code},
                      {QStringLiteral("redirect_uri"), kRedirect},
                      {QStringLiteral("code_verifier"), QString::fromLatin1(p.verifier)}});
    QCOMPARE(t.status, 200);
    QCOMPARE(t.header("Cache-Control"), QByteArray("no-store"));
    const QJsonObject tok = t.object();
    QCOMPARE(tok[QLatin1String("token_type")].toString(), QStringLiteral("Bearer"));
    QCOMPARE(tok[QLatin1String("expires_in")].toInt(), 300);
    QVERIFY(tok[QLatin1String("refresh_expires_in")].toInt() > 300);
    QCOMPARE(tok[QLatin1String("scope")].toString(), QStringLiteral("openid offline_access"));
    const QString access = tok[QLatin1String("access_token")].toString();
    QVERIFY(!tok[QLatin1String("refresh_token")].toString().isEmpty());
    // The demo organization's operator: the same agents as the demo organization's static token.
    const SnReply agents = get(QStringLiteral("/agents"), access);
    QCOMPARE(agents.status, 200);
    QCOMPARE(agents.array(), get(QStringLiteral("/agents"), m_token).array());
    QCOMPARE(m_sim->speaknode()->orgForToken(access), m_sim->orgs().at(0).id);
}

void TestSimSpeakNode::pkceEnforced()
{
    const Pkce p = makePkce();
    // No challenge, or the plain method: redirected back with invalid_request.
    for (const auto &[challenge, method] :
         {std::pair<QByteArray, QString>{QByteArray(), QStringLiteral("S256")},
          std::pair<QByteArray, QString>{p.challenge, QStringLiteral("plain")},
          std::pair<QByteArray, QString>{p.challenge, QString()}}) {
        const SnReply a =
            send("GET", authorizeUrl(kRedirect, challenge, QStringLiteral("k"), method));
        QCOMPARE(a.status, 302);
        const QUrlQuery q = locationQuery(a);
        QCOMPARE(q.queryItemValue(QStringLiteral("error")), QStringLiteral("invalid_request"));
        QCOMPARE(q.queryItemValue(QStringLiteral("state")), QStringLiteral("k"));
        QVERIFY(!q.hasQueryItem(QStringLiteral("code")));
    }
    // A wrong verifier fails; the code is then spent.
    const SnReply a = send("GET", authorizeUrl(kRedirect, p.challenge));
    const QString code = locationQuery(a).queryItemValue(QStringLiteral("code"));
    const Pkce other = makePkce();
    SnReply t =
        tokenRequest({{QStringLiteral("grant_type"), QStringLiteral("authorization_code")},
                      {QStringLiteral("client_id"), QStringLiteral("switchboard")},
                      {QStringLiteral("code"), code},
                      {QStringLiteral("redirect_uri"), kRedirect},
                      {QStringLiteral("code_verifier"), QString::fromLatin1(other.verifier)}});
    QCOMPARE(t.status, 400);
    QCOMPARE(t.object()[QLatin1String("error")].toString(), QStringLiteral("invalid_grant"));
    QVERIFY(!t.object()[QLatin1String("error_description")].toString().isEmpty());
    // Without a verifier at all: invalid_request.
    t = tokenRequest({{QStringLiteral("grant_type"), QStringLiteral("authorization_code")},
                      {QStringLiteral("client_id"), QStringLiteral("switchboard")},
                      {QStringLiteral("code"), code},
                      {QStringLiteral("redirect_uri"), kRedirect}});
    QCOMPARE(t.object()[QLatin1String("error")].toString(), QStringLiteral("invalid_request"));
    // Unknown grant type and client.
    t = tokenRequest({{QStringLiteral("grant_type"), QStringLiteral("password")},
                      {QStringLiteral("client_id"), QStringLiteral("switchboard")}});
    QCOMPARE(t.object()[QLatin1String("error")].toString(),
             QStringLiteral("unsupported_grant_type"));
    t = tokenRequest({{QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
                      {QStringLiteral("client_id"), QStringLiteral("someone")},
                      {QStringLiteral("refresh_token"), QStringLiteral("x")}});
    QCOMPARE(t.object()[QLatin1String("error")].toString(), QStringLiteral("invalid_client"));
}

void TestSimSpeakNode::codeReuseRevokes()
{
    const Pkce p = makePkce();
    const QString code = locationQuery(send("GET", authorizeUrl(kRedirect, p.challenge)))
                             .queryItemValue(QStringLiteral("code"));
    const QList<QPair<QString, QString>> exchange = {
        {QStringLiteral("grant_type"), QStringLiteral("authorization_code")},
        {QStringLiteral("client_id"), QStringLiteral("switchboard")},
        {QStringLiteral("code"), code},
        {QStringLiteral("redirect_uri"), kRedirect},
        {QStringLiteral("code_verifier"), QString::fromLatin1(p.verifier)}};
    const SnReply first = tokenRequest(exchange);
    QCOMPARE(first.status, 200);
    const QString access = first.object()[QLatin1String("access_token")].toString();
    QCOMPARE(get(QStringLiteral("/tools"), access).status, 200);
    const SnReply again = tokenRequest(exchange);
    QCOMPARE(again.status, 400);
    QCOMPARE(again.object()[QLatin1String("error")].toString(), QStringLiteral("invalid_grant"));
    // What the first exchange gave is revoked (RFC 6749 §4.1.2).
    QCOMPARE(get(QStringLiteral("/tools"), access).status, 401);
    const SnReply refresh =
        tokenRequest({{QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
                      {QStringLiteral("client_id"), QStringLiteral("switchboard")},
                      {QStringLiteral("refresh_token"),
                       first.object()[QLatin1String("refresh_token")].toString()}});
    QCOMPARE(refresh.object()[QLatin1String("error")].toString(), QStringLiteral("invalid_grant"));
}

void TestSimSpeakNode::redirectUriChecks()
{
    const Pkce p = makePkce();
    // Not loopback, not http, no port, a name instead of the IP: a 400 page, never a redirect.
    for (const char *bad :
         {"https://127.0.0.1:5000/cb", "http://example.com:5000/cb", "http://localhost:5000/cb",
          "http://127.0.0.1/cb", "http://user@127.0.0.1:5000/cb", "not a url"}) {
        const SnReply a = send("GET", authorizeUrl(QLatin1String(bad), p.challenge));
        QVERIFY2(a.status == 400, bad);
        QVERIFY(a.header("Location").isEmpty());
        QVERIFY(a.header("Content-Type").startsWith("text/html"));
    }
    QUrl wrongClient = authorizeUrl(kRedirect, p.challenge);
    QUrlQuery q(wrongClient);
    q.removeQueryItem(QStringLiteral("client_id"));
    q.addQueryItem(QStringLiteral("client_id"), QStringLiteral("evil"));
    wrongClient.setQuery(q);
    const SnReply wc = send("GET", wrongClient);
    QCOMPARE(wc.status, 400);
    QVERIFY(wc.header("Location").isEmpty());
    // Any port and path of 127.0.0.1 is fine; the token request must repeat it exactly.
    const QString other = QStringLiteral("http://127.0.0.1:1234/other/path");
    const QString code = locationQuery(send("GET", authorizeUrl(other, p.challenge)))
                             .queryItemValue(QStringLiteral("code"));
    QVERIFY(!code.isEmpty());
    const SnReply t =
        tokenRequest({{QStringLiteral("grant_type"), QStringLiteral("authorization_code")},
                      {QStringLiteral("client_id"), QStringLiteral("switchboard")},
                      {QStringLiteral("code"), code},
                      {QStringLiteral("redirect_uri"), kRedirect},
                      {QStringLiteral("code_verifier"), QString::fromLatin1(p.verifier)}});
    QCOMPARE(t.status, 400);
    QCOMPARE(t.object()[QLatin1String("error")].toString(), QStringLiteral("invalid_grant"));
}

void TestSimSpeakNode::refreshRotation()
{
    const QJsonObject first = signIn();
    const QString r1 = first[QLatin1String("refresh_token")].toString();
    QVERIFY(!r1.isEmpty());
    const auto refresh = [this](const QString &token) {
        return tokenRequest({{QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
                             {QStringLiteral("client_id"), QStringLiteral("switchboard")},
                             {QStringLiteral("refresh_token"), token}});
    };
    const SnReply second = refresh(r1);
    QCOMPARE(second.status, 200);
    const QString r2 = second.object()[QLatin1String("refresh_token")].toString();
    const QString a2 = second.object()[QLatin1String("access_token")].toString();
    QVERIFY(r2 != r1);
    QVERIFY(a2 != first[QLatin1String("access_token")].toString());
    QCOMPARE(get(QStringLiteral("/agents"), a2).status, 200);
    // The old one died with the rotation.
    const SnReply reuse = refresh(r1);
    QCOMPARE(reuse.status, 400);
    QCOMPARE(reuse.object()[QLatin1String("error")].toString(), QStringLiteral("invalid_grant"));
    QCOMPARE(refresh(r2).status, 200);
}

void TestSimSpeakNode::revokeAndLogout()
{
    const QString revokeUrl =
        m_sim->speaknode()->issuer() + QStringLiteral("/protocol/openid-connect/revoke");
    const QString logoutUrl =
        m_sim->speaknode()->issuer() + QStringLiteral("/protocol/openid-connect/logout");
    const auto refresh = [this](const QString &token) {
        return tokenRequest({{QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
                             {QStringLiteral("client_id"), QStringLiteral("switchboard")},
                             {QStringLiteral("refresh_token"), token}});
    };
    // Revoking the refresh token ends the sign-in: refresh and its access tokens die.
    QJsonObject s = signIn();
    SnReply r = send("POST", QUrl(revokeUrl), {},
                     form({{QStringLiteral("token"), s[QLatin1String("refresh_token")].toString()},
                           {QStringLiteral("client_id"), QStringLiteral("switchboard")}}),
                     "application/x-www-form-urlencoded");
    QCOMPARE(r.status, 200);
    QCOMPARE(refresh(s[QLatin1String("refresh_token")].toString()).status, 400);
    QCOMPARE(get(QStringLiteral("/agents"), s[QLatin1String("access_token")].toString()).status,
             401);
    // Revoking an access token alone.
    s = signIn();
    r = send("POST", QUrl(revokeUrl), {},
             form({{QStringLiteral("token"), s[QLatin1String("access_token")].toString()},
                   {QStringLiteral("token_type_hint"), QStringLiteral("access_token")}}),
             "application/x-www-form-urlencoded");
    QCOMPARE(r.status, 200);
    QCOMPARE(get(QStringLiteral("/agents"), s[QLatin1String("access_token")].toString()).status,
             401);
    QCOMPARE(refresh(s[QLatin1String("refresh_token")].toString()).status, 200);
    // Unknown tokens are fine to revoke (RFC 7009 §2.2).
    r = send("POST", QUrl(revokeUrl), {}, form({{QStringLiteral("token"), QStringLiteral("nope")}}),
             "application/x-www-form-urlencoded");
    QCOMPARE(r.status, 200);
    // Logout with the refresh token: 204, then it is dead.
    s = signIn();
    r = send("POST", QUrl(logoutUrl), {},
             form({{QStringLiteral("refresh_token"), s[QLatin1String("refresh_token")].toString()},
                   {QStringLiteral("client_id"), QStringLiteral("switchboard")}}),
             "application/x-www-form-urlencoded");
    QCOMPARE(r.status, 204);
    const SnReply dead = refresh(s[QLatin1String("refresh_token")].toString());
    QCOMPARE(dead.object()[QLatin1String("error")].toString(), QStringLiteral("invalid_grant"));
    QCOMPARE(get(QStringLiteral("/agents"), s[QLatin1String("access_token")].toString()).status,
             401);
}

void TestSimSpeakNode::adminExpireAndRevoke()
{
    const QJsonObject s = signIn();
    const QString access = s[QLatin1String("access_token")].toString();
    QCOMPARE(get(QStringLiteral("/agents"), access).status, 200);
    QCOMPARE(send("POST", url(QStringLiteral("/_sim/speaknode/expire-access-tokens"))).status, 204);
    const SnReply expired = get(QStringLiteral("/agents"), access);
    checkProblem(expired, 401);
    QVERIFY(expired.header("WWW-Authenticate").contains("invalid_token"));
    QCOMPARE(get(QStringLiteral("/agents"), m_token).status, 200); // static tokens stay valid
    const SnReply refreshed = tokenRequest(
        {{QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
         {QStringLiteral("client_id"), QStringLiteral("switchboard")},
         {QStringLiteral("refresh_token"), s[QLatin1String("refresh_token")].toString()}});
    QCOMPARE(refreshed.status, 200);
    QCOMPARE(
        get(QStringLiteral("/agents"), refreshed.object()[QLatin1String("access_token")].toString())
            .status,
        200);
    QCOMPARE(send("POST", url(QStringLiteral("/_sim/speaknode/revoke-refresh-tokens"))).status,
             204);
    const SnReply dead =
        tokenRequest({{QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
                      {QStringLiteral("client_id"), QStringLiteral("switchboard")},
                      {QStringLiteral("refresh_token"),
                       refreshed.object()[QLatin1String("refresh_token")].toString()}});
    QCOMPARE(dead.status, 400);
    QCOMPARE(dead.object()[QLatin1String("error")].toString(), QStringLiteral("invalid_grant"));
    QCOMPARE(send("GET", url(QStringLiteral("/_sim/speaknode/expire-access-tokens"))).status, 405);
    QCOMPARE(send("POST", url(QStringLiteral("/_sim/speaknode/nothing"))).status, 404);
}

void TestSimSpeakNode::accessTokenExpires()
{
    // Two seconds: long enough for the first request on a loaded machine.
    m_sim->speaknode()->oauth().setAccessTtlSeconds(2);
    const QJsonObject s = signIn();
    m_sim->speaknode()->oauth().setAccessTtlSeconds(300);
    QCOMPARE(s[QLatin1String("expires_in")].toInt(), 2);
    const QString access = s[QLatin1String("access_token")].toString();
    QCOMPARE(get(QStringLiteral("/agents"), access).status, 200);
    QTest::qWait(2200);
    const SnReply r = get(QStringLiteral("/agents"), access);
    checkProblem(r, 401);
    QVERIFY(r.object()[QLatin1String("detail")].toString().contains(QLatin1String("expired")));
}
