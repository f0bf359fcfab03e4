// switchboard-sim's SpeakNode SignalR hub (/hubs/notifications, CONTRACT §2.3), in-process, driven
// by a raw QWebSocket that speaks the JSON hub protocol by hand: what a hub must refuse, answer
// and send. tools/signalr drives the same hub with the official client.
#include "simclient.h"
#include "siminstance.h"
#include "simsignalr.h"
#include "simspeaknode.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>
#include <QWebSocket>

#include <memory>

namespace {

constexpr int kWait = 20000;

//! A hand-driven hub connection: records split on 0x1E, parsed, kept in order.
class RawHub : public QObject
{
public:
    QWebSocket ws;
    QList<QJsonObject> records;
    QList<QByteArray> raw;
    bool closed = false;

    RawHub()
    {
        connect(&ws, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
            const QList<QByteArray> parts = text.toUtf8().split('\x1e');
            for (qsizetype i = 0; i + 1 < parts.size(); ++i) {
                raw.append(parts.at(i));
                records.append(QJsonDocument::fromJson(parts.at(i)).object());
            }
        });
        connect(&ws, &QWebSocket::disconnected, this, [this] { closed = true; });
    }
    bool open(const QUrl &url)
    {
        QSignalSpy connected(&ws, &QWebSocket::connected);
        ws.open(url);
        return connected.wait(kWait);
    }
    void send(const QByteArray &json) { ws.sendTextMessage(QString::fromUtf8(json + "\x1e")); }
    QList<QJsonObject> ofType(int type) const
    {
        QList<QJsonObject> out;
        for (const QJsonObject &r : records) {
            if (r.value(QLatin1String("type")).toInt() == type)
                out.append(r);
        }
        return out;
    }
};

//! An access token issued by the realm (authorization code + PKCE), asked of SimOAuth directly.
QString realmToken(SimOAuth &oauth)
{
    const QByteArray verifier = QByteArray(43, 'v');
    const QByteArray challenge =
        QCryptographicHash::hash(verifier, QCryptographicHash::Sha256)
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    const QString redirect = QStringLiteral("http://127.0.0.1:9/callback");
    SimRequest auth;
    auth.method = "GET";
    auth.query.addQueryItem(QStringLiteral("client_id"), SimOAuth::clientId());
    auth.query.addQueryItem(QStringLiteral("response_type"), QStringLiteral("code"));
    auth.query.addQueryItem(QStringLiteral("redirect_uri"), redirect);
    auth.query.addQueryItem(QStringLiteral("scope"), QStringLiteral("openid"));
    auth.query.addQueryItem(QStringLiteral("state"), QStringLiteral("s"));
    auth.query.addQueryItem(QStringLiteral("code_challenge"), QString::fromLatin1(challenge));
    auth.query.addQueryItem(QStringLiteral("code_challenge_method"), QStringLiteral("S256"));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const SimResponse r = oauth.handle(
        auth,
        {QStringLiteral("protocol"), QStringLiteral("openid-connect"), QStringLiteral("auth")},
        now);
    const QString code = QUrlQuery(QUrl(QString::fromUtf8(r.header("Location"))))
                             .queryItemValue(QStringLiteral("code"));
    SimRequest token;
    token.method = "POST";
    token.headers.append(
        qMakePair(QByteArray("Content-Type"), QByteArray("application/x-www-form-urlencoded")));
    QUrlQuery form;
    form.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("authorization_code"));
    form.addQueryItem(QStringLiteral("code"), code);
    form.addQueryItem(QStringLiteral("redirect_uri"),
                      QString::fromLatin1(QUrl::toPercentEncoding(redirect)));
    form.addQueryItem(QStringLiteral("client_id"), SimOAuth::clientId());
    form.addQueryItem(QStringLiteral("code_verifier"), QString::fromLatin1(verifier));
    token.body = form.toString(QUrl::FullyEncoded).toLatin1();
    const SimResponse t = oauth.handle(
        token,
        {QStringLiteral("protocol"), QStringLiteral("openid-connect"), QStringLiteral("token")},
        now);
    return QJsonDocument::fromJson(t.body).object().value(QLatin1String("access_token")).toString();
}

} // namespace

class TestSimSignalR : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void negotiate();
    void upgradeIsCheckedBeforeIt();
    void handshakeAndPings();
    void handshakeErrors();
    void invocationsOfTheOrganizationOnly();
    void clientMessages();
    void expiredTokenCloses();

private:
    QJsonObject negotiated(const QString &token);
    QUrl socketUrl(const QString &id, const QString &token) const;
    std::unique_ptr<RawHub> connectHub(const QString &token);

    std::unique_ptr<SimInstance> m_sim;
    std::unique_ptr<SimClient> m_http;
    QString m_token, m_otherToken;
};

void TestSimSignalR::initTestCase()
{
    m_sim = std::make_unique<SimInstance>();
    SimOptions o;
    o.historyCalls = 30;
    o.rateLimit = 100000;
    o.speed = 40;
    o.wsPingMs = 200;
    QString error;
    QVERIFY2(m_sim->start(o, &error), qPrintable(error));
    QVERIFY(m_sim->signalr());
    m_token = m_sim->speaknode()->oauth().staticToken(m_sim->orgs().at(0).id);
    m_otherToken = m_sim->speaknode()->oauth().staticToken(m_sim->orgs().at(1).id);
    QVERIFY(!m_token.isEmpty() && !m_otherToken.isEmpty());
    m_http = std::make_unique<SimClient>(m_sim->origin());
}

QJsonObject TestSimSignalR::negotiated(const QString &token)
{
    const SimReply r =
        m_http->post(QStringLiteral("/hubs/notifications/negotiate?negotiateVersion=1"), token, {});
    return r.status == 200 ? r.json : QJsonObject();
}

QUrl TestSimSignalR::socketUrl(const QString &id, const QString &token) const
{
    QUrl url(m_sim->origin());
    url.setScheme(QStringLiteral("ws"));
    url.setPath(QStringLiteral("/hubs/notifications"));
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("id"), id);
    if (!token.isEmpty())
        q.addQueryItem(QStringLiteral("access_token"),
                       QString::fromLatin1(QUrl::toPercentEncoding(token)));
    url.setQuery(q);
    return url;
}

std::unique_ptr<RawHub> TestSimSignalR::connectHub(const QString &token)
{
    const QJsonObject n = negotiated(token);
    auto hub = std::make_unique<RawHub>();
    if (!hub->open(socketUrl(n.value(QLatin1String("connectionToken")).toString(), token)))
        return nullptr;
    hub->send(R"({"protocol":"json","version":1})");
    if (!QTest::qWaitFor([&] { return !hub->records.isEmpty(); }, kWait))
        return nullptr;
    return hub;
}

void TestSimSignalR::negotiate()
{
    SimReply r =
        m_http->post(QStringLiteral("/hubs/notifications/negotiate?negotiateVersion=1"), {}, {});
    QCOMPARE(r.status, 401);
    QVERIFY(r.header("WWW-Authenticate").startsWith("Bearer"));
    QCOMPARE(r.json.value(QLatin1String("status")).toInt(), 401); // problem+json
    r = m_http->post(QStringLiteral("/hubs/notifications/negotiate?negotiateVersion=1"),
                     QStringLiteral("snk_nope"), {});
    QCOMPARE(r.status, 401);
    // The token may come as access_token in the query too (browsers cannot set headers).
    r = m_http->post(
        QStringLiteral("/hubs/notifications/negotiate?negotiateVersion=1&access_token=") +
            QString::fromLatin1(QUrl::toPercentEncoding(m_token)),
        {}, {});
    QCOMPARE(r.status, 200);
    const QJsonObject n = r.json;
    QCOMPARE(n.value(QLatin1String("negotiateVersion")).toInt(), 1);
    QVERIFY(!n.value(QLatin1String("connectionId")).toString().isEmpty());
    QVERIFY(!n.value(QLatin1String("connectionToken")).toString().isEmpty());
    QVERIFY(n.value(QLatin1String("connectionId")) != n.value(QLatin1String("connectionToken")));
    const QJsonObject ws = n.value(QLatin1String("availableTransports")).toArray().at(0).toObject();
    QCOMPARE(ws.value(QLatin1String("transport")).toString(), QStringLiteral("WebSockets"));
    QCOMPARE(ws.value(QLatin1String("transferFormats")).toArray(),
             (QJsonArray{QStringLiteral("Text"), QStringLiteral("Binary")}));
    // negotiateVersion 0: no connectionToken.
    r = m_http->post(QStringLiteral("/hubs/notifications/negotiate"), m_token, {});
    QCOMPARE(r.status, 200);
    QVERIFY(!r.json.contains(QLatin1String("connectionToken")));
    // Only POST negotiates.
    QCOMPARE(m_http->get(QStringLiteral("/hubs/notifications/negotiate"), m_token).status, 405);
}

void TestSimSignalR::upgradeIsCheckedBeforeIt()
{
    // An unknown connection token, a missing access token, and a token of another organization
    // than the negotiation's are refused with an HTTP status instead of an upgrade.
    const QString id = negotiated(m_token).value(QLatin1String("connectionToken")).toString();
    QVERIFY(!id.isEmpty());
    for (const QUrl &url : {socketUrl(QStringLiteral("unknown"), m_token), socketUrl(id, QString()),
                            socketUrl(id, m_otherToken)}) {
        QWebSocket ws;
        QSignalSpy connected(&ws, &QWebSocket::connected);
        QSignalSpy disconnected(&ws, &QWebSocket::disconnected);
        ws.open(url);
        QVERIFY(disconnected.wait(kWait));
        QCOMPARE(connected.size(), 0);
    }
    QCOMPARE(m_sim->signalr()->connectionCount(), 0);
    // The connection token is still good for the right organization, and only once.
    RawHub hub;
    QVERIFY(hub.open(socketUrl(id, m_token)));
    QTRY_COMPARE(m_sim->signalr()->connectionCount(), 1);
    RawHub again;
    QVERIFY(!again.open(socketUrl(id, m_token)));
}

void TestSimSignalR::handshakeAndPings()
{
    std::unique_ptr<RawHub> hub = connectHub(m_token);
    QVERIFY(hub);
    QCOMPARE(hub->raw.first(), QByteArray("{}"));
    // The hub pings every --ws-ping-ms (200 ms here).
    QTRY_VERIFY_WITH_TIMEOUT(hub->ofType(6).size() >= 3, kWait);
    QVERIFY(!hub->closed);
}

void TestSimSignalR::handshakeErrors()
{
    const QList<QByteArray> bad = {R"({"protocol":"messagepack","version":1})",
                                   R"({"protocol":"json","version":2})", "not json"};
    for (const QByteArray &handshake : bad) {
        const QJsonObject n = negotiated(m_token);
        RawHub hub;
        QVERIFY(hub.open(socketUrl(n.value(QLatin1String("connectionToken")).toString(), m_token)));
        hub.send(handshake);
        QTRY_VERIFY(hub.closed);
        QCOMPARE(hub.records.size(), 1);
        QVERIFY2(!hub.records.first().value(QLatin1String("error")).toString().isEmpty(),
                 hub.raw.first().constData());
        QCOMPARE(hub.ofType(6).size(), 0); // no ping before a handshake
    }
}

void TestSimSignalR::invocationsOfTheOrganizationOnly()
{
    std::unique_ptr<RawHub> mine = connectHub(m_token);
    std::unique_ptr<RawHub> other = connectHub(m_otherToken);
    QVERIFY(mine && other);
    // Lists are a page object or a bare array (both allowed by CONTRACT §2.2).
    auto first = [](const SimReply &r, const char *key) {
        const QJsonDocument d = QJsonDocument::fromJson(r.body);
        const QJsonArray items =
            d.isArray() ? d.array() : d.object().value(QLatin1String("items")).toArray();
        return items.at(0).toObject().value(QLatin1String(key)).toString();
    };
    const QString agent =
        first(m_http->get(QStringLiteral("/api/v1/agents?page_size=1"), m_token), "id");
    const QString from =
        first(m_http->get(QStringLiteral("/api/v1/phone-numbers"), m_token), "number");
    QVERIFY(!agent.isEmpty() && !from.isEmpty());
    const SimReply placed =
        m_http->post(QStringLiteral("/api/v1/conversations/dispatch"), m_token,
                     {{QStringLiteral("agent_id"), agent},
                      {QStringLiteral("from_number"), from},
                      {QStringLiteral("to_number"), QStringLiteral("+14155550190")},
                      {QStringLiteral("dynamic_variables"),
                       QJsonObject{{QStringLiteral("sim_outcome"), QStringLiteral("answered")}}}});
    QVERIFY2(placed.status == 201, placed.body.constData());
    const QString id = placed.json.value(QLatin1String("id")).toString();
    auto statusesOf = [&](const RawHub &hub) {
        QStringList out;
        for (const QJsonObject &r : hub.ofType(1)) {
            const QJsonObject s = r.value(QLatin1String("arguments")).toArray().at(0).toObject();
            if (r.value(QLatin1String("target")).toString() ==
                    QLatin1String("AgentSessionUpdated") &&
                s.value(QLatin1String("id")).toString() == id)
                out.append(s.value(QLatin1String("status")).toString());
        }
        return out;
    };
    QTRY_VERIFY_WITH_TIMEOUT(statusesOf(*mine).contains(QLatin1String("Completed")), 60000);
    QCOMPARE(statusesOf(*mine),
             (QStringList{QStringLiteral("Pending"), QStringLiteral("Dispatching"),
                          QStringLiteral("Active"), QStringLiteral("Completed")}));
    QVERIFY(statusesOf(*other).isEmpty());
    // The last payload equals the REST session of the call.
    const SimReply rest = m_http->get(QStringLiteral("/api/v1/conversations/") + id, m_token);
    QJsonObject last;
    for (const QJsonObject &r : mine->ofType(1)) {
        const QJsonObject s = r.value(QLatin1String("arguments")).toArray().at(0).toObject();
        if (s.value(QLatin1String("id")).toString() == id)
            last = s;
    }
    for (const QString &key : last.keys()) {
        if (key == QLatin1String("audio_url") || key == QLatin1String("audio_url_expires_at"))
            continue; // signed per request
        QCOMPARE(last.value(key), rest.json.value(key));
    }
    QVERIFY(!last.contains(QLatin1String("history")));
}

void TestSimSignalR::clientMessages()
{
    std::unique_ptr<RawHub> hub = connectHub(m_token);
    QVERIFY(hub);
    // A blocking invocation of a method the hub does not have gets an error completion.
    hub->send(R"({"type":1,"invocationId":"7","target":"Subscribe","arguments":[]})");
    QTRY_COMPARE(hub->ofType(3).size(), 1);
    QCOMPARE(hub->ofType(3).first().value(QLatin1String("invocationId")).toString(),
             QStringLiteral("7"));
    QVERIFY(!hub->ofType(3).first().value(QLatin1String("error")).toString().isEmpty());
    // Pings and unknown types are fine; two records in one message are both read.
    hub->ws.sendTextMessage(QStringLiteral("{\"type\":6}\x1e{\"type\":99}\x1e"));
    QTest::qWait(300);
    QVERIFY(!hub->closed);
    // A message that is not a hub message closes with an error (type 7).
    hub->send("[1,2,3]");
    QTRY_VERIFY(hub->closed);
    QCOMPARE(hub->ofType(7).size(), 1);
    QVERIFY(!hub->ofType(7).first().value(QLatin1String("error")).toString().isEmpty());
    // A close from the client ends the connection.
    std::unique_ptr<RawHub> second = connectHub(m_token);
    QVERIFY(second);
    second->send(R"({"type":7})");
    QTRY_VERIFY(second->closed);
    // A record over 32 KiB is refused with a close message.
    std::unique_ptr<RawHub> third = connectHub(m_token);
    QVERIFY(third);
    third->send("{\"type\":6,\"pad\":\"" + QByteArray(40 * 1024, 'x') + "\"}");
    QTRY_VERIFY(third->closed);
    QCOMPARE(third->ofType(7).size(), 1);
}

void TestSimSignalR::expiredTokenCloses()
{
    // A token the realm issued, then expired by the admin endpoint: the open connection gets
    // a close message within a second or two; static tokens are unaffected.
    const QString issued = realmToken(m_sim->speaknode()->oauth());
    QVERIFY(!issued.isEmpty());
    std::unique_ptr<RawHub> realmHub = connectHub(issued);
    std::unique_ptr<RawHub> staticHub = connectHub(m_token);
    QVERIFY(realmHub && staticHub);
    QCOMPARE(realmHub->raw.first(), QByteArray("{}"));
    QCOMPARE(m_http->post(QStringLiteral("/_sim/speaknode/expire-access-tokens"), {}, {}).status,
             204);
    QTRY_VERIFY_WITH_TIMEOUT(realmHub->closed, 5000);
    const QJsonObject expired = realmHub->ofType(7).value(0);
    QVERIFY(expired.value(QLatin1String("error")).toString().contains(QLatin1String("expired")));
    QCOMPARE(expired.value(QLatin1String("allowReconnect")).toBool(), true);
    // Negotiating with it again is refused now.
    QCOMPARE(
        m_http->post(QStringLiteral("/hubs/notifications/negotiate?negotiateVersion=1"), issued, {})
            .status,
        401);
    QVERIFY(!staticHub->closed);
    // The admin close reaches every connection with the given error and reconnect flag.
    QCOMPARE(m_http
                 ->post(QStringLiteral("/_sim/signalr/close"), {},
                        {{QStringLiteral("error"), QStringLiteral("maintenance")},
                         {QStringLiteral("allowReconnect"), false}})
                 .status,
             200);
    QTRY_VERIFY(staticHub->closed);
    const QJsonObject close = staticHub->ofType(7).value(0);
    QCOMPARE(close.value(QLatin1String("error")).toString(), QStringLiteral("maintenance"));
    QCOMPARE(close.value(QLatin1String("allowReconnect")).toBool(true), false);
}

QTEST_GUILESS_MAIN(TestSimSignalR)
#include "tst_sim_signalr.moc"
