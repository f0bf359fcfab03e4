// The OAuth flow against switchboard-sim's SpeakNode realm (/realms/speaknode), the one the
// offline demo signs in to: discovery, PKCE sign-in, REST with the token, refresh after the
// realm expires every access token, proactive refresh, refresh failure, sign-out, pasted token.
#include "simulatorprocess.h"

#include "api/oauthdiscovery.h"
#include "api/oauthsignin.h"
#include "api/pendingrequest.h"
#include "api/session.h"
#include "api/tokenmanager.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

using namespace sb::api;

class TestOAuthSim : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void signInAndUseTheApi();
    void realmExpiresTokensRefreshOn401();
    void proactiveRefresh();
    void revokedRefreshTokensRequireSignIn();
    void signOutRevokes();
    void pastedStaticToken();

private:
    TokenSet signIn();
    ApiError getAgents(Session &session, int *status = nullptr);
    int admin(const QString &what);
    void wire(Session &session, TokenManager &manager);

    sb::app::SimulatorProcess m_sim;
    OAuthEndpoints m_endpoints;
    QNetworkAccessManager m_raw;
};

void TestOAuthSim::initTestCase()
{
    QVERIFY2(m_sim.start({QStringLiteral("--platform"), QStringLiteral("speaknode"),
                          QStringLiteral("--history-calls"), QStringLiteral("5"),
                          QStringLiteral("--live-calls"), QStringLiteral("0"),
                          QStringLiteral("--speaknode-token-ttl-s"), QStringLiteral("5")}),
             qPrintable(m_sim.errorString()));
    QVERIFY(m_sim.speakNodeIssuer().isValid());
    OAuthDiscovery discovery(&m_raw, m_sim.speakNodeIssuer());
    QSignalSpy done(&discovery, &OAuthDiscovery::finished);
    discovery.start();
    QVERIFY(done.wait(15000));
    QVERIFY2(!discovery.error().isError(), qPrintable(discovery.error().message));
    m_endpoints = discovery.endpoints();
    QVERIFY(m_endpoints.revocation.isValid());
}

TokenSet TestOAuthSim::signIn()
{
    QNetworkAccessManager browser; // the realm approves at once and redirects to our listener
    browser.setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy);
    QNetworkAccessManager app;
    OAuthSignIn flow(&app, m_endpoints, {m_sim.speakNodeIssuer(), m_sim.speakNodeClientId()},
                     [&browser](const QUrl &url) {
                         QNetworkReply *page = browser.get(QNetworkRequest(url));
                         QObject::connect(page, &QNetworkReply::finished, page,
                                          &QObject::deleteLater);
                         return true;
                     });
    QSignalSpy ok(&flow, &OAuthSignIn::succeeded);
    QSignalSpy failed(&flow, &OAuthSignIn::failed);
    if (!flow.start())
        return {};
    QElapsedTimer timer;
    timer.start();
    while (ok.isEmpty() && failed.isEmpty() && timer.elapsed() < 20000)
        QTest::qWait(10);
    if (!failed.isEmpty())
        qWarning() << "sign-in failed:" << failed.at(0).at(0).value<ApiError>().message;
    QTest::qWait(20);
    return ok.isEmpty() ? TokenSet() : ok.at(0).at(0).value<TokenSet>();
}

ApiError TestOAuthSim::getAgents(Session &session, int *status)
{
    Request request;
    request.path = QStringLiteral("/agents");
    PendingRequest *pending = session.send(request);
    QSignalSpy finished(pending, &PendingRequest::finished);
    ApiError error(ApiError::Kind::Timeout, QStringLiteral("test deadline passed"));
    connect(pending, &PendingRequest::finished, this, [&error, status, pending] {
        error = pending->error();
        if (status)
            *status = pending->httpStatus();
    });
    finished.wait(20000);
    return error;
}

int TestOAuthSim::admin(const QString &what)
{
    QUrl url = m_sim.speakNodeBaseUrl();
    url.setPath(QStringLiteral("/_sim/speaknode/") + what);
    QNetworkReply *reply = m_raw.post(QNetworkRequest(url), QByteArray());
    QSignalSpy done(reply, &QNetworkReply::finished);
    done.wait(10000);
    reply->deleteLater();
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

void TestOAuthSim::wire(Session &session, TokenManager &manager)
{
    QVERIFY(!session.setBaseUrl(m_sim.speakNodeBaseUrl()).isError());
    manager.setEndpoints(m_endpoints, {m_sim.speakNodeIssuer(), m_sim.speakNodeClientId()});
    manager.setRefreshRetryDelaysMs({100});
    session.setTokenSource(&manager);
}

void TestOAuthSim::signInAndUseTheApi()
{
    const TokenSet tokens = signIn();
    QVERIFY(tokens.isValid());
    QVERIFY(!tokens.refreshToken.isEmpty());
    Session session;
    TokenManager manager(session.networkAccessManager(), nullptr, QStringLiteral("sim-1"));
    wire(session, manager);
    manager.adoptTokens(tokens);
    int status = 0;
    const ApiError error = getAgents(session, &status);
    QVERIFY2(!error.isError(), qPrintable(error.message));
    QCOMPARE(status, 200);
}

void TestOAuthSim::realmExpiresTokensRefreshOn401()
{
    Session session;
    TokenManager manager(session.networkAccessManager(), nullptr, QStringLiteral("sim-2"));
    wire(session, manager);
    manager.adoptTokens(signIn());
    QVERIFY(manager.hasAccessToken());
    QCOMPARE(admin(QStringLiteral("expire-access-tokens")), 204);
    const ApiError error = getAgents(session);
    QVERIFY2(!error.isError(), qPrintable(error.message));
    QCOMPARE(manager.refreshRequestCount(), 1);
}

void TestOAuthSim::proactiveRefresh()
{
    Session session;
    TokenManager manager(session.networkAccessManager(), nullptr, QStringLiteral("sim-3"));
    wire(session, manager);
    const TokenSet tokens = signIn();
    QCOMPARE(tokens.expiresInSec, 5);
    QSignalSpy changed(&manager, &TokenSource::accessTokenChanged);
    manager.adoptTokens(tokens);
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 2, 10000); // at 4 s of 5
    QCOMPARE(manager.refreshRequestCount(), 1);
    QVERIFY(!getAgents(session).isError());
    QCOMPARE(manager.refreshRequestCount(), 1);
}

void TestOAuthSim::revokedRefreshTokensRequireSignIn()
{
    Session session;
    TokenManager manager(session.networkAccessManager(), nullptr, QStringLiteral("sim-4"));
    wire(session, manager);
    manager.adoptTokens(signIn());
    QSignalSpy required(&manager, &TokenSource::signInRequired);
    QSignalSpy unauthorized(&session, &Session::unauthorized);
    QCOMPARE(admin(QStringLiteral("revoke-refresh-tokens")), 204);
    QCOMPARE(admin(QStringLiteral("expire-access-tokens")), 204);
    QCOMPARE(getAgents(session).kind, ApiError::Kind::Unauthorized);
    QCOMPARE(required.count(), 1);
    QCOMPARE(unauthorized.count(), 1);
    QVERIFY(!manager.hasRefreshToken());
}

void TestOAuthSim::signOutRevokes()
{
    Session session;
    TokenManager manager(session.networkAccessManager(), nullptr, QStringLiteral("sim-5"));
    wire(session, manager);
    const TokenSet tokens = signIn();
    manager.adoptTokens(tokens);
    QSignalSpy signedOut(&manager, &TokenManager::signedOut);
    manager.signOut();
    QVERIFY(signedOut.wait(10000));
    QVERIFY(!signedOut.at(0).at(0).value<ApiError>().isError());
    // A second manager holding the revoked refresh token cannot get a new access token.
    TokenManager stale(session.networkAccessManager(), nullptr, QStringLiteral("sim-5b"));
    stale.setEndpoints(m_endpoints, {m_sim.speakNodeIssuer(), m_sim.speakNodeClientId()});
    TokenSet expired = tokens;
    stale.adoptTokens(expired);
    QSignalSpy required(&stale, &TokenSource::signInRequired);
    stale.requestRefresh();
    QVERIFY(required.wait(10000));
    QCOMPARE(required.at(0).at(0).value<ApiError>().code, QStringLiteral("invalid_grant"));
}

void TestOAuthSim::pastedStaticToken()
{
    const QString pasted = m_sim.speakNodeToken();
    QVERIFY(!pasted.isEmpty());
    Session session;
    TokenManager manager(session.networkAccessManager(), nullptr, QStringLiteral("sim-6"));
    wire(session, manager);
    manager.usePastedAccessToken(pasted);
    QVERIFY(!getAgents(session).isError());
    QCOMPARE(manager.refreshRequestCount(), 0);
}

QTEST_GUILESS_MAIN(TestOAuthSim)
#include "tst_oauth_sim.moc"
