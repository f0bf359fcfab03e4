// TokenManager + Session against a scripted token endpoint and API on 127.0.0.1: what the
// real provider cannot easily be made to do (5xx and lost refreshes, a token still refused
// after refreshing, a pasted JWT running out, cancel while waiting) and that no token is logged.
#include "fakehttpserver.h"

#include "api/oauthpkce.h"
#include "api/pendingrequest.h"
#include "api/session.h"
#include "api/tokenmanager.h"

#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTest>

using namespace sb::api;
using Response = FakeHttpServer::Response;

namespace {

QStringList g_log;
QtMessageHandler g_previous = nullptr;
void captureHandler(QtMsgType type, const QMessageLogContext &context, const QString &msg)
{
    g_log << msg;
    if (g_previous)
        g_previous(type, context, msg);
}

QByteArray tokenJson(const QByteArray &access, const QByteArray &refresh, int expiresIn = 300)
{
    return "{\"access_token\":\"" + access + "\",\"refresh_token\":\"" + refresh +
           "\",\"token_type\":\"Bearer\",\"expires_in\":" + QByteArray::number(expiresIn) + '}';
}

struct Result
{
    bool finished = false;
    ApiError error;
};

} // namespace

class TestOAuthTokens : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void transientRefreshFailureIsRetried();
    void refreshFailingForGoodKeepsTheRefreshToken();
    void stillRefusedAfterRefreshIsFinal();
    void pastedJwtRunsOut();
    void signInWithoutRefreshTokenRunsOut();
    void cancelWhileWaitingForRefresh();
    void requestsWaitForTheFirstToken();
    void noTokenInLogs();

private:
    std::shared_ptr<Result> get(Session &session, PendingRequest **handle = nullptr);
    void wire(Session &session, TokenManager &manager);

    std::unique_ptr<FakeHttpServer> m_server;
    int m_tokenCalls = 0;
    QList<int> m_tokenStatuses;    //!< answers of the token endpoint, in order (then 200)
    QSet<QByteArray> m_goodTokens; //!< access tokens the API accepts
    QList<QByteArray> m_apiAuth;   //!< Authorization headers the API saw
};

void TestOAuthTokens::init()
{
    m_server = std::make_unique<FakeHttpServer>();
    m_tokenCalls = 0;
    m_tokenStatuses.clear();
    m_goodTokens.clear();
    m_apiAuth.clear();
    m_server->setHandler([this](const FakeHttpServer::Received &req) {
        if (req.target.endsWith("/token")) {
            const int n = ++m_tokenCalls;
            const int status = m_tokenStatuses.isEmpty() ? 200 : m_tokenStatuses.takeFirst();
            if (status == 200) {
                const QByteArray access = "AT" + QByteArray::number(n + 1);
                m_goodTokens.insert(access);
                return FakeHttpServer::json(200,
                                            tokenJson(access, "RT" + QByteArray::number(n + 1)));
            }
            if (status == 400)
                return FakeHttpServer::json(400, R"({"error":"invalid_grant"})");
            return FakeHttpServer::json(status, R"({"error":"temporarily_unavailable"})");
        }
        m_apiAuth << req.header("authorization");
        const QByteArray token = req.header("authorization").mid(7);
        if (!m_goodTokens.contains(token))
            return FakeHttpServer::json(401, R"({"title":"Unauthorized","status":401})");
        return FakeHttpServer::json(200, R"({"ok":true})");
    });
}

void TestOAuthTokens::cleanup()
{
    m_server.reset();
}

void TestOAuthTokens::wire(Session &session, TokenManager &manager)
{
    QVERIFY(!session.setBaseUrl(QUrl(m_server->baseUrl())).isError());
    OAuthEndpoints endpoints;
    endpoints.issuer = QUrl(m_server->baseUrl());
    endpoints.authorization = QUrl(m_server->baseUrl() + QLatin1String("/auth"));
    endpoints.token = QUrl(m_server->baseUrl() + QLatin1String("/token"));
    manager.setEndpoints(endpoints, {endpoints.issuer, QStringLiteral("console")});
    manager.setRefreshRetryDelaysMs({50, 50});
    session.setTokenSource(&manager);
}

std::shared_ptr<Result> TestOAuthTokens::get(Session &session, PendingRequest **handle)
{
    auto result = std::make_shared<Result>();
    Request request;
    request.path = QStringLiteral("/agents");
    PendingRequest *pending = session.send(request);
    connect(pending, &PendingRequest::finished, this, [result, pending] {
        result->finished = true;
        result->error = pending->error();
    });
    if (handle)
        *handle = pending;
    return result;
}

void TestOAuthTokens::transientRefreshFailureIsRetried()
{
    Session session;
    TokenManager manager(session.networkAccessManager(), nullptr, QStringLiteral("p"));
    wire(session, manager);
    QSignalSpy required(&manager, &TokenSource::signInRequired);
    manager.adoptTokens({QStringLiteral("AT-old"), QStringLiteral("RT1"), {}, {}, {}, 300});
    m_tokenStatuses = {503, 502};
    const auto r = get(session);
    QTRY_VERIFY_WITH_TIMEOUT(r->finished, 10000);
    QVERIFY2(!r->error.isError(), qPrintable(r->error.message));
    QCOMPARE(manager.refreshRequestCount(), 3);
    QCOMPARE(required.count(), 0);
    QCOMPARE(m_apiAuth.last(), QByteArray("Bearer AT4")); // sent again with the new token
}

void TestOAuthTokens::refreshFailingForGoodKeepsTheRefreshToken()
{
    Session session;
    TokenManager manager(session.networkAccessManager(), nullptr, QStringLiteral("p"));
    wire(session, manager);
    QSignalSpy required(&manager, &TokenSource::signInRequired);
    QSignalSpy unauthorized(&session, &Session::unauthorized);
    QSignalSpy signedIn(&manager, &TokenManager::signedIn);
    manager.adoptTokens({QStringLiteral("AT-old"), QStringLiteral("RT1"), {}, {}, {}, 300});
    m_tokenStatuses = {503, 503, 503};
    const auto r = get(session);
    QTRY_VERIFY_WITH_TIMEOUT(r->finished, 10000);
    QCOMPARE(r->error.kind, ApiError::Kind::Unauthorized);
    QCOMPARE(required.count(), 1);
    QCOMPARE(unauthorized.count(), 1);
    // A server outage is not a revoked grant: the refresh token stays for the next try, and
    // the next request recovers on its own.
    QVERIFY(manager.hasRefreshToken());
    QVERIFY(!manager.hasAccessToken());
    const auto again = get(session);
    QTRY_VERIFY_WITH_TIMEOUT(again->finished, 10000);
    QVERIFY2(!again->error.isError(), qPrintable(again->error.message));
    QCOMPARE(signedIn.count(), 2);
    QCOMPARE(required.count(), 1);
}

void TestOAuthTokens::stillRefusedAfterRefreshIsFinal()
{
    Session session;
    TokenManager manager(session.networkAccessManager(), nullptr, QStringLiteral("p"));
    wire(session, manager);
    QSignalSpy unauthorized(&session, &Session::unauthorized);
    manager.adoptTokens({QStringLiteral("AT-old"), QStringLiteral("RT1"), {}, {}, {}, 300});
    // The API refuses every token: one refresh, one resend, then the 401 stands (no loop).
    m_server->setHandler([this](const FakeHttpServer::Received &req) {
        if (req.target.endsWith("/token")) {
            ++m_tokenCalls;
            return FakeHttpServer::json(200, tokenJson("AT-new", "RT2"));
        }
        return FakeHttpServer::json(401, R"({"title":"Unauthorized","status":401})");
    });
    const auto r = get(session);
    QTRY_VERIFY_WITH_TIMEOUT(r->finished, 10000);
    QCOMPARE(r->error.kind, ApiError::Kind::Unauthorized);
    QCOMPARE(m_tokenCalls, 1);
    QCOMPARE(m_server->requestCount(), 3); // API, token, API
    QCOMPARE(unauthorized.count(), 1);
}

void TestOAuthTokens::pastedJwtRunsOut()
{
    Session session;
    TokenManager manager(session.networkAccessManager(), nullptr, QStringLiteral("p"));
    wire(session, manager);
    QSignalSpy required(&manager, &TokenSource::signInRequired);
    QSignalSpy changed(&manager, &TokenSource::accessTokenChanged);
    const qint64 exp = QDateTime::currentSecsSinceEpoch() + 2;
    const QString jwt =
        QString::fromLatin1(oauth::base64Url(R"({"alg":"none"})") + '.' +
                            oauth::base64Url("{\"exp\":" + QByteArray::number(exp) + '}') + ".x");
    manager.usePastedAccessToken(jwt);
    QVERIFY(manager.isPasted());
    QVERIFY(manager.accessTokenExpiry().isValid());
    QCOMPARE(manager.accessToken(), jwt);
    QVERIFY(required.wait(5000));
    QVERIFY(manager.accessToken().isEmpty());
    QCOMPARE(changed.count(), 2); // the token, then none
    QCOMPARE(m_tokenCalls, 0);    // nothing to refresh with
    const auto r = get(session);
    QTRY_VERIFY_WITH_TIMEOUT(r->finished, 5000);
    QCOMPARE(r->error.kind, ApiError::Kind::Unauthorized);
    QCOMPARE(m_server->requestCount(), 0);
    QCOMPARE(required.count(), 1);
}

void TestOAuthTokens::signInWithoutRefreshTokenRunsOut()
{
    Session session;
    TokenManager manager(session.networkAccessManager(), nullptr, QStringLiteral("p"));
    wire(session, manager);
    manager.adoptTokens({QStringLiteral("AT-a"), QStringLiteral("RT-a"), {}, {}, {}, 300});
    QVERIFY(manager.hasRefreshToken());
    QSignalSpy required(&manager, &TokenSource::signInRequired);
    // A later sign-in without offline access replaces the whole grant, old refresh token too.
    manager.adoptTokens({QStringLiteral("AT-b"), QString(), {}, {}, {}, 1});
    QVERIFY(!manager.hasRefreshToken());
    QVERIFY(required.wait(4000)); // at its end, not at the next request's 401
    QCOMPARE(required.at(0).at(0).value<ApiError>().code, QStringLiteral("token_expired"));
    QVERIFY(!manager.hasAccessToken());
    QCOMPARE(m_tokenCalls, 0);
}

void TestOAuthTokens::cancelWhileWaitingForRefresh()
{
    Session session;
    TokenManager manager(session.networkAccessManager(), nullptr, QStringLiteral("p"));
    wire(session, manager);
    manager.adoptTokens({QStringLiteral("AT-old"), QStringLiteral("RT1"), {}, {}, {}, 300});
    m_tokenStatuses = {503}; // the refresh takes a retry: time to cancel
    PendingRequest *handle = nullptr;
    const auto r = get(session, &handle);
    QTRY_VERIFY_WITH_TIMEOUT(manager.isRefreshing(), 5000);
    handle->cancel();
    QTRY_VERIFY_WITH_TIMEOUT(r->finished, 5000);
    QCOMPARE(r->error.kind, ApiError::Kind::Canceled);
    QTRY_VERIFY_WITH_TIMEOUT(!manager.isRefreshing(), 5000);
    QVERIFY(manager.hasAccessToken());
    QCOMPARE(m_apiAuth.size(), 1); // the canceled request was not sent again
}

void TestOAuthTokens::requestsWaitForTheFirstToken()
{
    Session session;
    TokenManager manager(session.networkAccessManager(), nullptr, QStringLiteral("p"));
    wire(session, manager);
    QSignalSpy required(&manager, &TokenSource::signInRequired);
    // Nothing signed in: the request asks for a token, none can be had, sign-in is required.
    const auto first = get(session);
    QTRY_VERIFY_WITH_TIMEOUT(first->finished, 5000);
    QCOMPARE(first->error.kind, ApiError::Kind::Unauthorized);
    QCOMPARE(required.count(), 1);
    QCOMPARE(m_server->requestCount(), 0);
    // After a sign-in the same session works, with the token of the sign-in.
    m_goodTokens.insert("AT-signed-in");
    manager.adoptTokens({QStringLiteral("AT-signed-in"), QStringLiteral("RT1"), {}, {}, {}, 300});
    const auto second = get(session);
    QTRY_VERIFY_WITH_TIMEOUT(second->finished, 5000);
    QVERIFY(!second->error.isError());
    QCOMPARE(m_apiAuth.last(), QByteArray("Bearer AT-signed-in"));
}

void TestOAuthTokens::noTokenInLogs()
{
    QLoggingCategory::setFilterRules(QStringLiteral("switchboard.*=true"));
    g_log.clear();
    g_previous = qInstallMessageHandler(captureHandler);
    {
        Session session;
        TokenManager manager(session.networkAccessManager(), nullptr, QStringLiteral("p"));
        wire(session, manager);
        manager.adoptTokens({QStringLiteral("AT-old"), QStringLiteral("RT1"), {}, {}, {}, 300});
        m_tokenStatuses = {503};
        const auto r = get(session);
        QTRY_VERIFY_WITH_TIMEOUT(r->finished, 10000);
        QVERIFY(!r->error.isError());
        manager.signOut();
    }
    qInstallMessageHandler(g_previous);
    QLoggingCategory::setFilterRules(QString());
    QVERIFY(!g_log.isEmpty());
    for (const QString &line : std::as_const(g_log)) {
        for (const char *secret : {"AT-old", "RT1", "AT3", "RT3"})
            QVERIFY2(!line.contains(QLatin1String(secret)), qPrintable(line));
    }
}

QTEST_GUILESS_MAIN(TestOAuthTokens)
#include "tst_oauth_tokens.moc"
