// The OAuth sign-in and token lifecycle against a real, independent OpenID Connect provider
// (oidc-provider from npm, tools/oidc), started on an ephemeral 127.0.0.1 port and stopped by
// its PID. A QNAM that keeps cookies and follows redirects plays the browser; the provider's
// interactions approve on their own. Its /rs/whoami is the resource server for the 401 tests.
#include "api/credentialstore.h"
#include "api/oauthdiscovery.h"
#include "api/oauthsignin.h"
#include "api/pendingrequest.h"
#include "api/session.h"
#include "api/tokenmanager.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkInterface>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTest>
#include <QUrlQuery>

#include <functional>

#ifdef Q_OS_LINUX
#include <csignal>
#include <sys/prctl.h>
#endif

using namespace sb::api;

namespace {

//! oidc-server.mjs as a child process; the kernel ends it if the test dies.
class OidcProvider
{
public:
    OidcProvider()
    {
#ifdef Q_OS_LINUX
        m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
#endif
    }
    ~OidcProvider()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.terminate(); // SIGTERM to this PID only
        if (!m_process.waitForFinished(3000))
            m_process.kill();
    }
    static QString toolsDir()
    {
        return QDir::cleanPath(QString::fromLocal8Bit(qgetenv("SWITCHBOARD_SOURCE_DIR")) +
                               QLatin1String("/tools/oidc"));
    }
    QString start()
    {
        const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
        if (node.isEmpty())
            return QStringLiteral("node is not on PATH");
        if (!QFileInfo::exists(toolsDir() + QLatin1String("/node_modules/oidc-provider")))
            return QStringLiteral("oidc-provider is not installed: run tools/oidc/install");
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PORT"), QStringLiteral("0"));
        env.insert(QStringLiteral("OIDC_SHORT_TTL"), QStringLiteral("4"));
        m_process.setProcessEnvironment(env);
        m_process.setWorkingDirectory(toolsDir());
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        m_process.start(node, {QStringLiteral("oidc-server.mjs")});
        QByteArray out;
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < 20000 && m_process.state() != QProcess::NotRunning) {
            m_process.waitForReadyRead(200);
            out += m_process.readAllStandardOutput();
            const qsizetype at = out.indexOf("OIDC_READY ");
            const qsizetype eol = out.indexOf('\n', at);
            if (at >= 0 && eol > at) {
                m_issuer = QUrl(QString::fromLatin1(out.mid(at + 11, eol - at - 11).trimmed()));
                return {};
            }
        }
        return QStringLiteral("oidc-server did not start: ") +
               QString::fromLocal8Bit(m_process.readAllStandardError());
    }
    QUrl issuer() const
    {
        return m_issuer;
    }

private:
    QProcess m_process;
    QUrl m_issuer;
};

//! Counts what the app's network access manager sends to one URL (the token endpoint).
class CountingNam : public QNetworkAccessManager
{
public:
    QUrl watched;
    int hits = 0;

protected:
    QNetworkReply *createRequest(Operation op, const QNetworkRequest &request,
                                 QIODevice *data) override
    {
        if (request.url().adjusted(QUrl::RemoveQuery) == watched)
            ++hits;
        return QNetworkAccessManager::createRequest(op, request, data);
    }
};

struct Outcome
{
    bool ok = false;
    TokenSet tokens;
    ApiError error;
};

struct Answer
{
    int status = 0;
    QByteArray body;
};

Answer finish(QNetworkReply *reply)
{
    QSignalSpy done(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        done.wait(15000);
    Answer a{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll()};
    reply->deleteLater();
    return a;
}

struct Sent
{
    bool finished = false;
    ApiError error;
    int status = 0;
    QByteArray body;
};

} // namespace

class TestOAuthProvider : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void discovery();
    void fullPkceGrant();
    void providerRequiresPkce();
    void wrongStateRejectedWithoutTokenRequest();
    void accessDeniedCallback();
    void listenerIsLoopbackOnly();
    void proactiveRefreshWithRotation();
    void concurrent401sShareOneRefresh();
    void refreshFailureRequiresSignIn();
    void signOutRevokes();
    void pastedTokenWorksForOneRun();
    void restoreFromKeychain();

private:
    Outcome signIn(const QString &clientId, const std::function<QUrl(QUrl)> &tamper = {},
                   QNetworkAccessManager *appNam = nullptr);
    QList<std::shared_ptr<Sent>> whoami(Session &session, int count = 1);
    Answer post(const QUrl &url, const QByteArray &form, const QByteArray &bearer = {});
    QString nextKey() { return QStringLiteral("oauth-test-%1").arg(++m_keys); }
    void connectManager(Session &session, TokenManager &manager, const QString &clientId);

    OidcProvider m_provider;
    OAuthEndpoints m_endpoints;
    QNetworkAccessManager m_raw;
    CredentialStore m_store{QStringLiteral("switchboard-test-oauth")};
    int m_keys = 0;
};

void TestOAuthProvider::initTestCase()
{
    const QString why = m_provider.start();
    if (why.startsWith(QLatin1String("node is not")))
        QSKIP(qPrintable(why));
    QVERIFY2(why.isEmpty(), qPrintable(why));
    OAuthDiscovery discovery(&m_raw, m_provider.issuer());
    QSignalSpy done(&discovery, &OAuthDiscovery::finished);
    discovery.start();
    QVERIFY(done.wait(15000));
    QVERIFY2(!discovery.error().isError(), qPrintable(discovery.error().message));
    m_endpoints = discovery.endpoints();
}

void TestOAuthProvider::discovery()
{
    QVERIFY(m_endpoints.isValid());
    QCOMPARE(m_endpoints.issuer, m_provider.issuer());
    QCOMPARE(m_endpoints.token.host(), QStringLiteral("127.0.0.1"));
    QVERIFY(m_endpoints.revocation.isValid());
    // A document from another issuer is refused (mix-up defence).
    QUrl other = m_provider.issuer();
    other.setPath(QStringLiteral("/realms/other"));
    OAuthDiscovery wrong(&m_raw, other);
    QSignalSpy done(&wrong, &OAuthDiscovery::finished);
    wrong.start();
    QVERIFY(done.wait(15000));
    QVERIFY(wrong.error().isError());
}

Outcome TestOAuthProvider::signIn(const QString &clientId, const std::function<QUrl(QUrl)> &tamper,
                                  QNetworkAccessManager *appNam)
{
    QNetworkAccessManager browser; // keeps cookies; follows the provider's redirects
    browser.setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy);
    QNetworkAccessManager ownNam;
    OAuthSignIn flow(appNam ? appNam : &ownNam, m_endpoints, {m_provider.issuer(), clientId},
                     [&](const QUrl &url) {
                         QNetworkReply *page =
                             browser.get(QNetworkRequest(tamper ? tamper(url) : url));
                         connect(page, &QNetworkReply::finished, page, &QObject::deleteLater);
                         return true;
                     });
    flow.setTimeoutMs(20000);
    QSignalSpy ok(&flow, &OAuthSignIn::succeeded);
    QSignalSpy failed(&flow, &OAuthSignIn::failed);
    Outcome out;
    if (!flow.start()) {
        out.error = failed.value(0).value(0).value<ApiError>();
        return out;
    }
    QElapsedTimer timer;
    timer.start();
    while (ok.count() + failed.count() == 0 && timer.elapsed() < 25000)
        QTest::qWait(10);
    out.ok = ok.count() == 1;
    if (ok.count() + failed.count() == 0)
        out.error = ApiError(ApiError::Kind::Timeout, QStringLiteral("test deadline passed"));
    if (out.ok)
        out.tokens = ok.at(0).at(0).value<TokenSet>();
    else if (failed.count() > 0)
        out.error = failed.at(0).at(0).value<ApiError>();
    QTest::qWait(50); // let the browser read its page before it goes
    return out;
}

QList<std::shared_ptr<Sent>> TestOAuthProvider::whoami(Session &session, int count)
{
    QList<std::shared_ptr<Sent>> all;
    for (int i = 0; i < count; ++i) {
        auto sent = std::make_shared<Sent>();
        Request request;
        request.path = QStringLiteral("/whoami");
        PendingRequest *pending = session.send(request);
        connect(pending, &PendingRequest::finished, this, [sent, pending] {
            sent->finished = true;
            sent->error = pending->error();
            sent->status = pending->httpStatus();
            sent->body = pending->body();
        });
        all << sent;
    }
    QElapsedTimer timer;
    timer.start();
    const auto done = [&all] {
        for (const auto &s : all) {
            if (!s->finished)
                return false;
        }
        return true;
    };
    while (!done() && timer.elapsed() < 30000)
        QTest::qWait(10);
    return all;
}

Answer TestOAuthProvider::post(const QUrl &url, const QByteArray &form, const QByteArray &bearer)
{
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader,
                      QByteArrayLiteral("application/x-www-form-urlencoded"));
    if (!bearer.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + bearer);
    return finish(m_raw.post(request, form));
}

void TestOAuthProvider::connectManager(Session &session, TokenManager &manager,
                                       const QString &clientId)
{
    QUrl rs = m_provider.issuer();
    rs.setPath(QStringLiteral("/rs"));
    QVERIFY(!session.setBaseUrl(rs).isError());
    manager.setEndpoints(m_endpoints, {m_provider.issuer(), clientId});
    manager.setRefreshRetryDelaysMs({100, 200});
    session.setTokenSource(&manager);
}

void TestOAuthProvider::fullPkceGrant()
{
    const Outcome out = signIn(QStringLiteral("console"));
    QVERIFY2(out.ok, qPrintable(out.error.code + QLatin1Char(' ') + out.error.message));
    QVERIFY(!out.tokens.accessToken.isEmpty());
    QVERIFY(!out.tokens.refreshToken.isEmpty()); // offline_access was granted
    QVERIFY(!out.tokens.idToken.isEmpty());
    QCOMPARE(out.tokens.expiresInSec, 600);

    Session session;
    const QString key = nextKey();
    TokenManager manager(session.networkAccessManager(), &m_store, key);
    connectManager(session, manager, QStringLiteral("console"));
    QSignalSpy stored(&manager, &TokenManager::refreshTokenStored);
    QSignalSpy signedIn(&manager, &TokenManager::signedIn);
    manager.adoptTokens(out.tokens);
    QCOMPARE(signedIn.count(), 1);
    QCOMPARE(manager.accessToken(), out.tokens.accessToken);
    QVERIFY(stored.wait(10000));

    // The granted token is accepted by a resource server that asks the provider.
    const auto sent = whoami(session);
    QVERIFY2(!sent.at(0)->error.isError(), qPrintable(sent.at(0)->error.message));
    QCOMPARE(QJsonDocument::fromJson(sent.at(0)->body).object().value(QLatin1String("sub")),
             QJsonValue(QStringLiteral("operator1")));

    // The refresh token is in the credential store under "<key>:refresh", and only there.
    QSignalSpy read(&m_store, &CredentialStore::readFinished);
    m_store.read(TokenManager::refreshTokenKey(key));
    QVERIFY(read.wait(10000));
    QCOMPARE(read.at(0).at(1).toString(), out.tokens.refreshToken);
    m_store.remove(TokenManager::refreshTokenKey(key));
}

void TestOAuthProvider::providerRequiresPkce()
{
    // Without our PKCE parameters the provider refuses the request: they are what it checks.
    const Outcome out = signIn(QStringLiteral("console"), [](QUrl url) {
        QUrlQuery q(url);
        q.removeAllQueryItems(QStringLiteral("code_challenge"));
        q.removeAllQueryItems(QStringLiteral("code_challenge_method"));
        url.setQuery(q);
        return url;
    });
    QVERIFY(!out.ok);
    QCOMPARE(out.error.code, QStringLiteral("invalid_request"));
    QVERIFY2(out.error.message.contains(QLatin1String("PKCE")), qPrintable(out.error.message));
}

void TestOAuthProvider::wrongStateRejectedWithoutTokenRequest()
{
    CountingNam app;
    app.watched = m_endpoints.token;
    const Outcome out = signIn(
        QStringLiteral("console"),
        [](QUrl url) {
            QUrlQuery q(url);
            q.removeAllQueryItems(QStringLiteral("state"));
            q.addQueryItem(QStringLiteral("state"), QStringLiteral("forged-state"));
            url.setQuery(q);
            return url;
        },
        &app);
    QVERIFY(!out.ok);
    QCOMPARE(out.error.code, QStringLiteral("state_mismatch"));
    QCOMPARE(app.hits, 0); // the code the provider issued was never exchanged
}

void TestOAuthProvider::accessDeniedCallback()
{
    CountingNam app;
    app.watched = m_endpoints.token;
    const Outcome out = signIn(
        QStringLiteral("console"),
        [](QUrl url) {
            QUrlQuery q(url);
            q.addQueryItem(QStringLiteral("login_hint"), QStringLiteral("deny"));
            url.setQuery(q);
            return url;
        },
        &app);
    QVERIFY(!out.ok);
    QCOMPARE(out.error.code, QStringLiteral("access_denied"));
    QVERIFY(out.error.message.contains(QLatin1String("declined")));
    QCOMPARE(app.hits, 0);
}

void TestOAuthProvider::listenerIsLoopbackOnly()
{
    QNetworkAccessManager nam;
    OAuthSignIn flow(&nam, m_endpoints, {m_provider.issuer(), QStringLiteral("console")},
                     [](const QUrl &) { return true; });
    QVERIFY(flow.start());
    QCOMPARE(flow.listenAddress(), QHostAddress(QHostAddress::LocalHost));
    QTcpSocket loopback;
    loopback.connectToHost(QHostAddress::LocalHost, flow.listenPort());
    QVERIFY(loopback.waitForConnected(3000));
    loopback.abort();
    // Every other address of this machine must be refused (the listener is not on Any).
    int probed = 0;
    const auto addresses = QNetworkInterface::allAddresses();
    for (const QHostAddress &address : addresses) {
        if (address.isLoopback() || address.isLinkLocal())
            continue;
        QTcpSocket probe;
        probe.connectToHost(address, flow.listenPort());
        QVERIFY2(!probe.waitForConnected(1000), qPrintable(address.toString()));
        ++probed;
    }
    qInfo("probed %d non-loopback addresses", probed);
    flow.cancel();
    QVERIFY(!flow.isListening());
}

void TestOAuthProvider::proactiveRefreshWithRotation()
{
    // console-short's access tokens live 4 s: the manager refreshes at 80 % (3.2 s), before any
    // request sees a 401.
    const Outcome out = signIn(QStringLiteral("console-short"));
    QVERIFY2(out.ok, qPrintable(out.error.message));
    QCOMPARE(out.tokens.expiresInSec, 4);
    Session session;
    const QString key = nextKey();
    TokenManager manager(session.networkAccessManager(), &m_store, key);
    connectManager(session, manager, QStringLiteral("console-short"));
    QSignalSpy changed(&manager, &TokenSource::accessTokenChanged);
    QSignalSpy stored(&manager, &TokenManager::refreshTokenStored);
    manager.adoptTokens(out.tokens);
    QCOMPARE(changed.count(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 2, 8000);
    QCOMPARE(manager.refreshRequestCount(), 1);
    const QString fresh = changed.at(1).at(0).toString();
    QVERIFY(!fresh.isEmpty());
    QVERIFY(fresh != out.tokens.accessToken);
    QVERIFY(manager.accessTokenExpiry() > QDateTime::currentDateTimeUtc());
    const auto sent = whoami(session);
    QVERIFY(!sent.at(0)->error.isError());
    QCOMPARE(manager.refreshRequestCount(), 1); // no 401 was needed
    // oidc-provider rotates a public client's refresh token: the new one replaced the old one.
    QTRY_COMPARE_WITH_TIMEOUT(stored.count(), 2, 5000);
    QSignalSpy read(&m_store, &CredentialStore::readFinished);
    m_store.read(TokenManager::refreshTokenKey(key));
    QVERIFY(read.wait(10000));
    const QString rotated = read.at(0).at(1).toString();
    QVERIFY(!rotated.isEmpty());
    QVERIFY(rotated != out.tokens.refreshToken);
    manager.signOut();
    QSignalSpy out2(&manager, &TokenManager::signedOut);
    QVERIFY(out2.wait(10000));
}

void TestOAuthProvider::concurrent401sShareOneRefresh()
{
    const Outcome out = signIn(QStringLiteral("console"));
    QVERIFY2(out.ok, qPrintable(out.error.message));
    Session session;
    TokenManager manager(session.networkAccessManager(), nullptr, nextKey());
    connectManager(session, manager, QStringLiteral("console"));
    manager.adoptTokens(out.tokens);
    QSignalSpy changed(&manager, &TokenSource::accessTokenChanged);
    QSignalSpy unauthorized(&session, &Session::unauthorized);
    // The resource server stops accepting the current (unexpired) token.
    QCOMPARE(post(m_provider.issuer().resolved(QUrl(QStringLiteral("/rs/distrust"))), {},
                  out.tokens.accessToken.toLatin1())
                 .status,
             204);
    const auto sent = whoami(session, 3);
    for (const auto &s : sent)
        QVERIFY2(!s->error.isError(), qPrintable(s->error.message));
    QCOMPARE(manager.refreshRequestCount(), 1); // three 401s, one refresh
    QCOMPARE(changed.count(), 1);
    QVERIFY(manager.accessToken() != out.tokens.accessToken);
    QCOMPARE(unauthorized.count(), 0);
}

void TestOAuthProvider::refreshFailureRequiresSignIn()
{
    const Outcome out = signIn(QStringLiteral("console"));
    QVERIFY2(out.ok, qPrintable(out.error.message));
    Session session;
    const QString key = nextKey();
    TokenManager manager(session.networkAccessManager(), &m_store, key);
    connectManager(session, manager, QStringLiteral("console"));
    QSignalSpy stored(&manager, &TokenManager::refreshTokenStored);
    manager.adoptTokens(out.tokens);
    QVERIFY(stored.wait(10000));
    QSignalSpy required(&manager, &TokenSource::signInRequired);
    QSignalSpy unauthorized(&session, &Session::unauthorized);
    // The grant is revoked at the provider (as an administrator would): both tokens die.
    const QByteArray form = "token=" + QUrl::toPercentEncoding(out.tokens.refreshToken) +
                            "&token_type_hint=refresh_token&client_id=console";
    QCOMPARE(post(m_endpoints.revocation, form).status, 200);

    const auto sent = whoami(session, 2);
    for (const auto &s : sent) {
        QVERIFY(s->finished);
        QCOMPARE(s->error.kind, ApiError::Kind::Unauthorized);
    }
    QCOMPARE(manager.refreshRequestCount(), 1);
    QCOMPARE(required.count(), 1);
    QCOMPARE(unauthorized.count(), 1);
    QCOMPARE(required.at(0).at(0).value<ApiError>().code, QStringLiteral("invalid_grant"));
    QVERIFY(!manager.hasRefreshToken());
    QVERIFY(manager.accessToken().isEmpty());

    // Later requests fail at once (no token, nothing to refresh) without asking again.
    const auto later = whoami(session);
    QCOMPARE(later.at(0)->error.kind, ApiError::Kind::Unauthorized);
    QCOMPARE(manager.refreshRequestCount(), 1);
    QCOMPARE(required.count(), 1);
    // The dead refresh token is gone from the keychain.
    QSignalSpy read(&m_store, &CredentialStore::readFinished);
    m_store.read(TokenManager::refreshTokenKey(key));
    QVERIFY(read.wait(10000));
    QCOMPARE(read.at(0).at(2).toBool(), false);
}

void TestOAuthProvider::signOutRevokes()
{
    const Outcome out = signIn(QStringLiteral("console"));
    QVERIFY2(out.ok, qPrintable(out.error.message));
    Session session;
    const QString key = nextKey();
    TokenManager manager(session.networkAccessManager(), &m_store, key);
    connectManager(session, manager, QStringLiteral("console"));
    QSignalSpy stored(&manager, &TokenManager::refreshTokenStored);
    manager.adoptTokens(out.tokens);
    QVERIFY(stored.wait(10000));
    // The logout URL for the browser names the provider's end_session endpoint and our sign-in.
    const QUrl logout = manager.endSessionUrl();
    QCOMPARE(logout.adjusted(QUrl::RemoveQuery), m_endpoints.endSession);
    QCOMPARE(QUrlQuery(logout).queryItemValue(QStringLiteral("id_token_hint")), out.tokens.idToken);
    QSignalSpy signedOut(&manager, &TokenManager::signedOut);
    QSignalSpy required(&manager, &TokenSource::signInRequired);
    manager.signOut();
    QVERIFY(manager.accessToken().isEmpty());
    QVERIFY(signedOut.wait(10000));
    QVERIFY2(!signedOut.at(0).at(0).value<ApiError>().isError(),
             qPrintable(signedOut.at(0).at(0).value<ApiError>().message));
    QCOMPARE(required.count(), 0); // signing out on purpose is not a lost session

    // The provider now refuses the refresh token, and the access token no longer works.
    const Answer refresh =
        post(m_endpoints.token, "grant_type=refresh_token&client_id=console&refresh_token=" +
                                    QUrl::toPercentEncoding(out.tokens.refreshToken));
    QCOMPARE(refresh.status, 400);
    QCOMPARE(QJsonDocument::fromJson(refresh.body).object().value(QLatin1String("error")),
             QJsonValue(QStringLiteral("invalid_grant")));
    QNetworkRequest direct(m_provider.issuer().resolved(QUrl(QStringLiteral("/rs/whoami"))));
    direct.setRawHeader("Authorization", "Bearer " + out.tokens.accessToken.toLatin1());
    QCOMPARE(finish(m_raw.get(direct)).status, 401);
    // And the keychain entry is forgotten.
    QSignalSpy read(&m_store, &CredentialStore::readFinished);
    m_store.read(TokenManager::refreshTokenKey(key));
    QVERIFY(read.wait(10000));
    QCOMPARE(read.at(0).at(2).toBool(), false);
}

void TestOAuthProvider::pastedTokenWorksForOneRun()
{
    const Outcome out = signIn(QStringLiteral("console"));
    QVERIFY2(out.ok, qPrintable(out.error.message));
    Session session;
    TokenManager manager(session.networkAccessManager(), &m_store, nextKey());
    connectManager(session, manager, QStringLiteral("console"));
    QSignalSpy stored(&manager, &TokenManager::refreshTokenStored);
    QSignalSpy required(&manager, &TokenSource::signInRequired);
    manager.usePastedAccessToken(QLatin1Char(' ') + out.tokens.accessToken + QLatin1Char('\n'));
    QVERIFY(manager.isPasted());
    QVERIFY(!whoami(session).at(0)->error.isError());
    QCOMPARE(post(m_provider.issuer().resolved(QUrl(QStringLiteral("/rs/distrust"))), {},
                  out.tokens.accessToken.toLatin1())
                 .status,
             204);
    const auto sent = whoami(session);
    QCOMPARE(sent.at(0)->error.kind, ApiError::Kind::Unauthorized);
    QCOMPARE(required.count(), 1);
    QCOMPARE(manager.refreshRequestCount(), 0); // nothing to refresh with
    QCOMPARE(stored.count(), 0);                // and nothing was stored
}

void TestOAuthProvider::restoreFromKeychain()
{
    const Outcome out = signIn(QStringLiteral("console"));
    QVERIFY2(out.ok, qPrintable(out.error.message));
    const QString key = nextKey();
    {
        QNetworkAccessManager nam;
        TokenManager first(&nam, &m_store, key);
        first.setEndpoints(m_endpoints, {m_provider.issuer(), QStringLiteral("console")});
        QSignalSpy stored(&first, &TokenManager::refreshTokenStored);
        first.adoptTokens(out.tokens);
        QVERIFY(stored.wait(10000));
    } // the app quits

    Session session;
    TokenManager manager(session.networkAccessManager(), &m_store, key);
    connectManager(session, manager, QStringLiteral("console"));
    QSignalSpy signedIn(&manager, &TokenManager::signedIn);
    // A request sent while the keychain is still being read waits for the token.
    manager.restore();
    const auto sent = whoami(session);
    QVERIFY2(!sent.at(0)->error.isError(), qPrintable(sent.at(0)->error.message));
    QCOMPARE(signedIn.count(), 1);
    QCOMPARE(manager.refreshRequestCount(), 1);
    QVERIFY(manager.accessToken() != out.tokens.accessToken);
    m_store.remove(TokenManager::refreshTokenKey(key));
}

QTEST_GUILESS_MAIN(TestOAuthProvider)
#include "tst_oauth_provider.moc"
