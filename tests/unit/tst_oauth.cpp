// OAuth building blocks without a provider: PKCE (RFC 7636 Appendix B), state, callback and
// discovery parsing, token answers, and OAuthSignIn's loopback listener against a scripted
// token endpoint (state mismatch, error callbacks, favicon, timeout, what the exchange sends).
#include "fakehttpserver.h"

#include "api/oauthdiscovery.h"
#include "api/oauthpkce.h"
#include "api/oauthsignin.h"
#include "api/tokenendpoint.h"
#include "api/tokenmanager.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

using namespace sb::api;
using Response = FakeHttpServer::Response;

namespace {

QString queryValue(const QUrl &url, const char *key)
{
    return QUrlQuery(url).queryItemValue(QLatin1String(key), QUrl::FullyDecoded);
}

QUrlQuery formBody(const QByteArray &body)
{
    QByteArray copy = body;
    copy.replace('+', ' ');
    return QUrlQuery(QString::fromLatin1(copy));
}

} // namespace

class TestOAuth : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void pkceAppendixB();
    void verifierAndStateAreRandom();
    void formEncodeEscapesEverything();
    void callbackParsing_data();
    void callbackParsing();
    void discoveryParsing();
    void tokenResponseParsing();
    void jwtExpiry();
    void proactiveDelay();

    void signInExchangesCodeWithVerifier();
    void signInRejectsWrongStateWithoutTokenRequest();
    void signInAccessDenied();
    void signInTimesOut();
    void signInTokenEndpointError();

private:
    struct Browser
    {
        QNetworkAccessManager nam;
        QList<int> statuses;
        QList<QByteArray> bodies;
        void get(const QUrl &url)
        {
            QNetworkReply *reply = nam.get(QNetworkRequest(url));
            QObject::connect(reply, &QNetworkReply::finished, reply, [this, reply] {
                statuses << reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                bodies << reply->readAll();
                reply->deleteLater();
            });
        }
    };
    OAuthEndpoints endpointsFor(const FakeHttpServer &server) const
    {
        const QUrl base(server.baseUrl());
        OAuthEndpoints e;
        e.issuer = base;
        e.authorization = base.resolved(QUrl(QStringLiteral("/auth")));
        e.token = base.resolved(QUrl(QStringLiteral("/token")));
        return e;
    }
};

void TestOAuth::pkceAppendixB()
{
    // RFC 7636 Appendix B: these 32 octets, their verifier and its S256 challenge.
    const unsigned char octets[32] = {116, 24,  223, 180, 151, 153, 224, 37,  79,  250, 96,
                                      125, 216, 173, 187, 186, 22,  212, 37,  77,  105, 214,
                                      191, 240, 91,  88,  5,   88,  83,  132, 141, 121};
    const QByteArray raw(reinterpret_cast<const char *>(octets), 32);
    QCOMPARE(oauth::base64Url(raw), QByteArray("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
    QCOMPARE(oauth::codeChallengeS256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
             QByteArray("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
}

void TestOAuth::verifierAndStateAreRandom()
{
    const QRegularExpression unreserved(QStringLiteral("^[A-Za-z0-9_-]+$"));
    QSet<QByteArray> verifiers, states;
    for (int i = 0; i < 200; ++i) {
        const QByteArray v = oauth::makeCodeVerifier();
        QCOMPARE(v.size(), 43); // RFC 7636 §4.1: 43..128 characters
        QVERIFY(unreserved.match(QString::fromLatin1(v)).hasMatch());
        verifiers.insert(v);
        const QByteArray s = oauth::makeState();
        QVERIFY(s.size() >= 22);
        QVERIFY(unreserved.match(QString::fromLatin1(s)).hasMatch());
        states.insert(s);
    }
    QCOMPARE(verifiers.size(), 200);
    QCOMPARE(states.size(), 200);
}

void TestOAuth::formEncodeEscapesEverything()
{
    const QByteArray body =
        oauth::formEncode({{QStringLiteral("code"), QStringLiteral("a+b&c=d e")},
                           {QStringLiteral("x"), QStringLiteral("ü/")}});
    QCOMPARE(body, QByteArray("code=a%2Bb%26c%3Dd%20e&x=%C3%BC%2F"));
}

void TestOAuth::callbackParsing_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<bool>("isCallback");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("state");
    QTest::addColumn<QString>("error");
    QTest::addColumn<QString>("description");
    QTest::addColumn<QString>("issuer");
    QTest::newRow("code") << QByteArray("/callback?code=abc%2B1&state=st_1") << true
                          << QStringLiteral("abc+1") << QStringLiteral("st_1") << QString()
                          << QString() << QString();
    QTest::newRow("iss") << QByteArray("/callback?code=c&state=s&iss=http%3A%2F%2F127.0.0.1%3A9")
                         << true << QStringLiteral("c") << QStringLiteral("s") << QString()
                         << QString() << QStringLiteral("http://127.0.0.1:9");
    QTest::newRow("error plus is space")
        << QByteArray("/callback?error=access_denied&error_description=User+said+no%21&state=s")
        << true << QString() << QStringLiteral("s") << QStringLiteral("access_denied")
        << QStringLiteral("User said no!") << QString();
    QTest::newRow("no query") << QByteArray("/callback") << true << QString() << QString()
                              << QString() << QString() << QString();
    QTest::newRow("favicon") << QByteArray("/favicon.ico") << false << QString() << QString()
                             << QString() << QString() << QString();
    QTest::newRow("other path with code")
        << QByteArray("/callbackx?code=c&state=s") << false << QString() << QString() << QString()
        << QString() << QString();
}

void TestOAuth::callbackParsing()
{
    QFETCH(QByteArray, target);
    const oauth::CallbackParams p = oauth::parseCallbackTarget(target, QStringLiteral("/callback"));
    QTEST(p.isCallback, "isCallback");
    QTEST(p.code, "code");
    QTEST(p.state, "state");
    QTEST(p.error, "error");
    QTEST(p.errorDescription, "description");
    QTEST(p.issuer, "issuer");
}

void TestOAuth::discoveryParsing()
{
    const QUrl issuer(QStringLiteral("https://id.example/realms/speaknode"));
    const QByteArray good = R"({"issuer":"https://id.example/realms/speaknode",
        "authorization_endpoint":"https://id.example/realms/speaknode/protocol/openid-connect/auth",
        "token_endpoint":"https://id.example/realms/speaknode/protocol/openid-connect/token",
        "revocation_endpoint":"https://id.example/realms/speaknode/protocol/openid-connect/revoke",
        "end_session_endpoint":"http://evil.example/logout",
        "code_challenge_methods_supported":["plain","S256"]})";
    ApiError error;
    OAuthEndpoints e = oauth::parseDiscoveryDocument(good, issuer, &error);
    QVERIFY2(!error.isError(), qPrintable(error.message));
    QVERIFY(e.isValid());
    QCOMPARE(e.token.path(), QStringLiteral("/realms/speaknode/protocol/openid-connect/token"));
    QVERIFY(e.revocation.isValid());
    QVERIFY(e.endSession.isEmpty()); // plain http to another host is dropped
    QCOMPARE(oauth::discoveryUrl(QUrl(QStringLiteral("https://id.example/r/"))).toString(),
             QStringLiteral("https://id.example/r/.well-known/openid-configuration"));

    QByteArray wrongIssuer = good;
    wrongIssuer.replace("\"issuer\":\"https://id.example/realms/speaknode\"",
                        "\"issuer\":\"https://other.example/realms/speaknode\"");
    e = oauth::parseDiscoveryDocument(wrongIssuer, issuer, &error);
    QVERIFY(!e.isValid());
    QCOMPARE(error.kind, ApiError::Kind::Protocol);
    QVERIFY(error.message.contains(QLatin1String("other.example")));

    QByteArray noS256 = good;
    noS256.replace("[\"plain\",\"S256\"]", "[\"plain\"]");
    e = oauth::parseDiscoveryDocument(noS256, issuer, &error);
    QVERIFY(!e.isValid());
    QVERIFY(error.message.contains(QLatin1String("S256")));

    QByteArray insecure = good;
    insecure.replace("\"token_endpoint\":\"https://", "\"token_endpoint\":\"http://");
    e = oauth::parseDiscoveryDocument(insecure, issuer, &error);
    QVERIFY(!e.isValid());
    QVERIFY(error.isError());

    e = oauth::parseDiscoveryDocument("<html>", issuer, &error);
    QVERIFY(!e.isValid());
    QVERIFY(error.isError());
}

void TestOAuth::tokenResponseParsing()
{
    ApiError error;
    TokenSet t = oauth::parseTokenResponse(
        200,
        R"({"access_token":"at","refresh_token":"rt","token_type":"bearer","expires_in":"300"})",
        &error);
    QVERIFY(!error.isError());
    QCOMPARE(t.accessToken, QStringLiteral("at"));
    QCOMPARE(t.refreshToken, QStringLiteral("rt"));
    QCOMPARE(t.expiresInSec, 300);

    t = oauth::parseTokenResponse(
        400, R"({"error":"invalid_grant","error_description":"grant request is invalid"})", &error);
    QVERIFY(!t.isValid());
    QCOMPARE(error.kind, ApiError::Kind::Unauthorized);
    QCOMPARE(error.code, QStringLiteral("invalid_grant"));
    QCOMPARE(error.message, QStringLiteral("grant request is invalid"));

    oauth::parseTokenResponse(400, R"({"error":"invalid_request"})", &error);
    QCOMPARE(error.kind, ApiError::Kind::Validation);
    oauth::parseTokenResponse(503, "busy", &error);
    QCOMPARE(error.kind, ApiError::Kind::Server);
    t = oauth::parseTokenResponse(200, R"({"access_token":"at","token_type":"DPoP"})", &error);
    QVERIFY(!t.isValid());
    QCOMPARE(error.kind, ApiError::Kind::Protocol);
}

void TestOAuth::jwtExpiry()
{
    const auto part = [](const QByteArray &json) {
        return QString::fromLatin1(oauth::base64Url(json));
    };
    const QString jwt = part(R"({"alg":"RS256"})") + QLatin1Char('.') +
                        part(R"({"sub":"x","exp":1900000000})") + QStringLiteral(".sig");
    QCOMPARE(oauth::jwtExpiry(jwt).toSecsSinceEpoch(), 1900000000);
    QVERIFY(!oauth::jwtExpiry(QStringLiteral("opaque-token")).isValid());
}

void TestOAuth::proactiveDelay()
{
    QCOMPARE(TokenManager::proactiveRefreshDelayMs(3600 * 1000), 3540 * 1000);
    QCOMPARE(TokenManager::proactiveRefreshDelayMs(300 * 1000), 240 * 1000);
    QCOMPARE(TokenManager::proactiveRefreshDelayMs(10 * 1000), 8 * 1000);
    QCOMPARE(TokenManager::refreshTokenKey(QStringLiteral("profile-7")),
             QStringLiteral("profile-7:refresh"));
}

void TestOAuth::signInExchangesCodeWithVerifier()
{
    FakeHttpServer tokenServer;
    tokenServer.enqueue(FakeHttpServer::json(
        200,
        R"({"access_token":"AT1","refresh_token":"RT1","token_type":"Bearer","expires_in":300})"));
    QNetworkAccessManager nam;
    Browser browser;
    QUrl opened;
    OAuthSignIn signIn(
        &nam, endpointsFor(tokenServer), {QUrl(tokenServer.baseUrl()), QStringLiteral("console")},
        [&](const QUrl &url) {
            opened = url;
            QUrl back(queryValue(url, "redirect_uri"));
            // A browser asks for the icon too; the listener must keep waiting.
            browser.get(back.resolved(QUrl(QStringLiteral("/favicon.ico"))));
            back.setQuery(QStringLiteral("code=the%2Bcode&state=") + queryValue(url, "state"));
            browser.get(back);
            return true;
        });
    QSignalSpy ok(&signIn, &OAuthSignIn::succeeded);
    QSignalSpy failed(&signIn, &OAuthSignIn::failed);
    QVERIFY(signIn.start());
    QCOMPARE(signIn.listenAddress(), QHostAddress(QHostAddress::LocalHost));
    QVERIFY(ok.wait(10000));
    QCOMPARE(failed.count(), 0);
    const TokenSet tokens = ok.at(0).at(0).value<TokenSet>();
    QCOMPARE(tokens.accessToken, QStringLiteral("AT1"));
    QCOMPARE(tokens.refreshToken, QStringLiteral("RT1"));

    // The authorization request: S256 PKCE, our loopback redirect, the scopes of CONTRACT §2.1.
    QCOMPARE(queryValue(opened, "response_type"), QStringLiteral("code"));
    QCOMPARE(queryValue(opened, "code_challenge_method"), QStringLiteral("S256"));
    QCOMPARE(queryValue(opened, "scope"), QStringLiteral("openid offline_access"));
    QCOMPARE(queryValue(opened, "prompt"), QStringLiteral("consent"));
    QCOMPARE(queryValue(opened, "client_id"), QStringLiteral("console"));
    const QUrl redirect(queryValue(opened, "redirect_uri"));
    QCOMPARE(redirect.host(), QStringLiteral("127.0.0.1"));
    QCOMPARE(redirect.path(), QStringLiteral("/callback"));
    QCOMPARE(redirect.port(), int(signIn.listenPort()));

    // The token request proves possession of the verifier behind that challenge.
    QCOMPARE(tokenServer.requestCount(), 1);
    const FakeHttpServer::Received &req = tokenServer.received().at(0);
    QCOMPARE(req.method, QByteArray("POST"));
    QVERIFY(req.header("content-type").startsWith("application/x-www-form-urlencoded"));
    const QUrlQuery form = formBody(req.body);
    const auto field = [&form](const char *k) {
        return form.queryItemValue(QLatin1String(k), QUrl::FullyDecoded);
    };
    QCOMPARE(field("grant_type"), QStringLiteral("authorization_code"));
    QCOMPARE(field("code"), QStringLiteral("the+code"));
    QCOMPARE(field("client_id"), QStringLiteral("console"));
    QCOMPARE(field("redirect_uri"), redirect.toString());
    const QByteArray verifier = field("code_verifier").toLatin1();
    QCOMPARE(verifier.size(), 43);
    QCOMPARE(QString::fromLatin1(oauth::codeChallengeS256(verifier)),
             queryValue(opened, "code_challenge"));

    QTRY_COMPARE_WITH_TIMEOUT(browser.statuses.size(), 2, 5000);
    QVERIFY(browser.statuses.contains(404)); // the favicon
    QVERIFY(browser.statuses.contains(200));
    QVERIFY(!signIn.isRunning());
    QVERIFY(!signIn.isListening());
}

void TestOAuth::signInRejectsWrongStateWithoutTokenRequest()
{
    FakeHttpServer tokenServer;
    QNetworkAccessManager nam;
    Browser browser;
    OAuthSignIn signIn(&nam, endpointsFor(tokenServer),
                       {QUrl(tokenServer.baseUrl()), QStringLiteral("console")},
                       [&](const QUrl &url) {
                           QUrl back(queryValue(url, "redirect_uri"));
                           back.setQuery(QStringLiteral("code=stolen&state=not-ours"));
                           browser.get(back);
                           return true;
                       });
    QSignalSpy failed(&signIn, &OAuthSignIn::failed);
    QVERIFY(signIn.start());
    QVERIFY(failed.wait(10000));
    const ApiError error = failed.at(0).at(0).value<ApiError>();
    QCOMPARE(error.code, QStringLiteral("state_mismatch"));
    QTRY_COMPARE_WITH_TIMEOUT(browser.statuses.size(), 1, 5000);
    QCOMPARE(browser.statuses.at(0), 400);
    QTest::qWait(200);
    QCOMPARE(tokenServer.requestCount(), 0);
    QVERIFY(!signIn.isRunning());
}

void TestOAuth::signInAccessDenied()
{
    FakeHttpServer tokenServer;
    QNetworkAccessManager nam;
    Browser browser;
    OAuthSignIn signIn(&nam, endpointsFor(tokenServer),
                       {QUrl(tokenServer.baseUrl()), QStringLiteral("console")},
                       [&](const QUrl &url) {
                           QUrl back(queryValue(url, "redirect_uri"));
                           back.setQuery(QStringLiteral("error=access_denied&error_description="
                                                        "The+operator+said+%3Cno%3E&state=") +
                                         queryValue(url, "state"));
                           browser.get(back);
                           return true;
                       });
    QSignalSpy failed(&signIn, &OAuthSignIn::failed);
    QVERIFY(signIn.start());
    QVERIFY(failed.wait(10000));
    const ApiError error = failed.at(0).at(0).value<ApiError>();
    QCOMPARE(error.code, QStringLiteral("access_denied"));
    QVERIFY(error.message.contains(QLatin1String("The operator said <no>")));
    QTRY_COMPARE_WITH_TIMEOUT(browser.bodies.size(), 1, 5000);
    // The page shows the reason, escaped.
    QVERIFY(browser.bodies.at(0).contains("The operator said &lt;no&gt;"));
    QCOMPARE(tokenServer.requestCount(), 0);
}

void TestOAuth::signInTimesOut()
{
    FakeHttpServer tokenServer;
    QNetworkAccessManager nam;
    OAuthSignIn signIn(&nam, endpointsFor(tokenServer),
                       {QUrl(tokenServer.baseUrl()), QStringLiteral("console")},
                       [](const QUrl &) { return true; });
    signIn.setTimeoutMs(300);
    QSignalSpy failed(&signIn, &OAuthSignIn::failed);
    QVERIFY(signIn.start());
    const quint16 port = signIn.listenPort();
    QVERIFY(failed.wait(5000));
    QCOMPARE(failed.at(0).at(0).value<ApiError>().kind, ApiError::Kind::Timeout);
    // The listener is gone: nothing on this computer can deliver a code any more.
    QTcpSocket probe;
    probe.connectToHost(QHostAddress::LocalHost, port);
    QVERIFY(!probe.waitForConnected(1000));
}

void TestOAuth::signInTokenEndpointError()
{
    FakeHttpServer tokenServer;
    tokenServer.enqueue(FakeHttpServer::json(
        400, R"({"error":"invalid_grant","error_description":"PKCE verification failed"})"));
    QNetworkAccessManager nam;
    Browser browser;
    OAuthSignIn signIn(
        &nam, endpointsFor(tokenServer), {QUrl(tokenServer.baseUrl()), QStringLiteral("console")},
        [&](const QUrl &url) {
            QUrl back(queryValue(url, "redirect_uri"));
            back.setQuery(QStringLiteral("code=c&state=") + queryValue(url, "state"));
            browser.get(back);
            return true;
        });
    QSignalSpy failed(&signIn, &OAuthSignIn::failed);
    QVERIFY(signIn.start());
    QVERIFY(failed.wait(10000));
    QCOMPARE(failed.at(0).at(0).value<ApiError>().code, QStringLiteral("invalid_grant"));
    QTRY_COMPARE_WITH_TIMEOUT(browser.statuses.size(), 1, 5000);
    QCOMPARE(browser.statuses.at(0), 400); // the browser page tells the truth too
    QVERIFY(browser.bodies.at(0).contains("PKCE verification failed"));
}

QTEST_GUILESS_MAIN(TestOAuth)
#include "tst_oauth.moc"
