// switchboard-sim's SpeakNode REST face, served in-process (sb_simulator) over real sockets.
#include "tst_sim_speaknode.h"

#include "simapi.h"
#include "simjson.h"
#include "simoptions.h"
#include "simspeaknode.h"
#include "simspeaknodejson.h"

#include <QDateTime>
#include <QNetworkReply>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>
#include <QUuid>

QByteArray SnReply::header(const QByteArray &name) const
{
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

void TestSimSpeakNode::initTestCase()
{
    m_sim = std::make_unique<SimInstance>();
    SimOptions o;
    o.historyCalls = 600;
    o.rateLimit = 100000;
    o.speed = 25; // dispatched calls run through in a few seconds
    QString error;
    QVERIFY2(m_sim->start(o, &error), qPrintable(error));
    QVERIFY(m_sim->speaknode());
    m_token = m_sim->speaknode()->oauth().staticToken(m_sim->orgs().at(0).id);
    m_otherToken = m_sim->speaknode()->oauth().staticToken(m_sim->orgs().at(1).id);
    QVERIFY(m_token.startsWith(QLatin1String("snk_static_")));
    QVERIFY(m_token != m_otherToken);
    QCOMPARE(m_sim->speaknode()->baseUrl(), m_sim->origin() + QStringLiteral("/api/v1"));
    QCOMPARE(m_sim->speaknode()->issuer(), m_sim->origin() + QStringLiteral("/realms/speaknode"));
}

QUrl TestSimSpeakNode::url(const QString &path) const
{
    return QUrl(path.startsWith(QLatin1String("http"))
                    ? path
                    : (path.startsWith(QLatin1String("/api/")) ||
                               path.startsWith(QLatin1String("/realms/")) ||
                               path.startsWith(QLatin1String("/_")) ||
                               path.startsWith(QLatin1String("/v1/"))
                           ? m_sim->origin() + path
                           : m_sim->speaknode()->baseUrl() + path));
}

SnReply TestSimSpeakNode::send(const QByteArray &method, const QUrl &u, const QString &token,
                               const QByteArray &body, const QByteArray &contentType,
                               const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QNetworkRequest req(u);
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                     QNetworkRequest::ManualRedirectPolicy);
    if (!token.isEmpty())
        req.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    if (!contentType.isEmpty())
        req.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    for (const auto &h : headers)
        req.setRawHeader(h.first, h.second);
    QNetworkReply *reply = m_nam.sendCustomRequest(req, method, body);
    QSignalSpy done(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        done.wait(60000);
    SnReply r;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.body = reply->readAll();
    r.headers = reply->rawHeaderPairs();
    reply->deleteLater();
    return r;
}

SnReply TestSimSpeakNode::get(const QString &path, const QString &token)
{
    return send("GET", url(path), token);
}

SnReply TestSimSpeakNode::post(const QString &path, const QString &token, const QJsonObject &body)
{
    return send("POST", url(path), token, QJsonDocument(body).toJson(QJsonDocument::Compact),
                "application/json");
}

QJsonObject TestSimSpeakNode::checkProblem(const SnReply &r, int status)
{
    [&] {
        QCOMPARE(r.status, status);
        QVERIFY2(r.header("Content-Type").startsWith("application/problem+json"),
                 r.header("Content-Type").constData());
        const QJsonObject p = r.object();
        QCOMPARE(p.value(QLatin1String("status")).toInt(), status);
        QVERIFY(!p.value(QLatin1String("type")).toString().isEmpty());
        QVERIFY(!p.value(QLatin1String("title")).toString().isEmpty());
        QVERIFY(p.value(QLatin1String("detail")).isString());
        QVERIFY(p.value(QLatin1String("traceId")).toString().startsWith(QLatin1String("00-")));
    }();
    return r.object();
}

QJsonObject TestSimSpeakNode::firstCompleted()
{
    const SnReply r = get(QStringLiteral("/conversations?status=Completed&page_size=1"), m_token);
    return r.object().value(QLatin1String("items")).toArray().at(0).toObject();
}

void TestSimSpeakNode::bearerAuthAndProblems()
{
    SnReply r = get(QStringLiteral("/agents"), QString());
    checkProblem(r, 401);
    QVERIFY(r.header("WWW-Authenticate").startsWith("Bearer "));
    QVERIFY(r.header("WWW-Authenticate").contains("error=\"invalid_token\""));
    r = get(QStringLiteral("/agents"), QStringLiteral("snk_static_nope"));
    checkProblem(r, 401);
    QVERIFY(r.header("WWW-Authenticate").contains("error=\"invalid_token\""));
    // A Talknex key is not a SpeakNode token, and the other way round.
    r = get(QStringLiteral("/agents"), m_sim->orgs().at(0).keys.at(0));
    checkProblem(r, 401);
    QCOMPARE(get(QStringLiteral("/v1/agents"), m_token).status, 401);
    // Unknown endpoint and wrong method are problems too.
    checkProblem(get(QStringLiteral("/nothing"), m_token), 404);
    const SnReply m = send("DELETE", url(QStringLiteral("/agents")), m_token);
    checkProblem(m, 405);
    QCOMPARE(m.header("Allow"), QByteArray("GET"));
    checkProblem(
        send("POST", url(QStringLiteral("/conversations")), m_token, "{}", "application/json"),
        405);
}

void TestSimSpeakNode::agents()
{
    const SnReply list = get(QStringLiteral("/agents"), m_token);
    QCOMPARE(list.status, 200);
    QVERIFY(list.header("Content-Type").startsWith("application/json"));
    const QJsonArray agents = list.array();
    QVERIFY(agents.size() >= 5);
    QSet<QString> ids;
    for (const QJsonValue &v : agents) {
        const QJsonObject a = v.toObject();
        const QString id = a.value(QLatin1String("id")).toString();
        QVERIFY(!QUuid::fromString(id).isNull());
        QVERIFY(SimSpeakNodeJson::storeId(id).startsWith(QLatin1String("agent_")));
        QVERIFY(!a.value(QLatin1String("title")).toString().isEmpty());
        for (const char *k :
             {"description", "language", "system_prompt", "first_message", "voice_id", "llm_model",
              "temperature", "tool_ids", "created_at", "updated_at"})
            QVERIFY2(a.contains(QLatin1String(k)), k);
        QVERIFY(a.value(QLatin1String("tool_ids")).isArray());
        ids.insert(id);
    }
    QCOMPARE(ids.size(), agents.size());
    // The same agents as the Talknex face shows to the same organization.
    const SnReply talknex =
        send("GET", url(QStringLiteral("/v1/agents?limit=100")), m_sim->orgs().at(0).keys.at(0));
    QCOMPARE(talknex.object().value(QLatin1String("data")).toArray().size(), agents.size());

    const QString first = agents.at(0)[QLatin1String("id")].toString();
    const SnReply one = get(QStringLiteral("/agents/") + first, m_token);
    QCOMPARE(one.status, 200);
    QCOMPARE(one.object(), agents.at(0).toObject());
    checkProblem(get(QStringLiteral("/agents/") + first, m_otherToken), 403);
    checkProblem(
        get(QStringLiteral("/agents/") + QUuid::createUuid().toString(QUuid::WithoutBraces),
            m_token),
        404);
    checkProblem(get(QStringLiteral("/agents/not-a-uuid"), m_token), 404);
    // Another organization sees its own, disjoint agents.
    const QJsonArray theirs = get(QStringLiteral("/agents"), m_otherToken).array();
    QVERIFY(!theirs.isEmpty());
    for (const QJsonValue &v : theirs)
        QVERIFY(!ids.contains(v[QLatin1String("id")].toString()));
}

void TestSimSpeakNode::toolsAndPhoneNumbers()
{
    const SnReply t = get(QStringLiteral("/tools"), m_token);
    QCOMPARE(t.status, 200);
    QSet<QString> toolIds, types;
    for (const QJsonValue &v : t.array()) {
        const QJsonObject o = v.toObject();
        for (const char *k : {"id", "name", "code", "description", "type", "method", "url"})
            QVERIFY2(o.contains(QLatin1String(k)), k);
        types.insert(o[QLatin1String("type")].toString());
        if (o[QLatin1String("type")].toString() == QLatin1String("Webhook")) {
            QCOMPARE(o[QLatin1String("method")].toString(), QStringLiteral("POST"));
            QVERIFY(o[QLatin1String("url")].toString().startsWith(QLatin1String("https://")));
        } else {
            QVERIFY(o[QLatin1String("url")].isNull());
        }
        toolIds.insert(o[QLatin1String("id")].toString());
    }
    QCOMPARE(types, (QSet<QString>{QStringLiteral("Webhook"), QStringLiteral("System"),
                                   QStringLiteral("TransferRule")}));
    QSet<QString> agentIds;
    for (const QJsonValue &v : get(QStringLiteral("/agents"), m_token).array()) {
        agentIds.insert(v[QLatin1String("id")].toString());
        for (const QJsonValue &id : v[QLatin1String("tool_ids")].toArray())
            QVERIFY2(toolIds.contains(id.toString()), "an agent's tool is listed in /tools");
    }
    const SnReply n = get(QStringLiteral("/phone-numbers"), m_token);
    QCOMPARE(n.status, 200);
    const QJsonArray numbers = n.array();
    QVERIFY(numbers.size() >= agentIds.size());
    int assigned = 0;
    for (const QJsonValue &v : numbers) {
        const QJsonObject o = v.toObject();
        QVERIFY(SimJson::isE164(o[QLatin1String("number")].toString()));
        QVERIFY(o.contains(QLatin1String("friendly_name")));
        QVERIFY(!o[QLatin1String("telecom_provider")].toString().isEmpty());
        if (!o[QLatin1String("agent_id")].isNull()) {
            QVERIFY(agentIds.contains(o[QLatin1String("agent_id")].toString()));
            ++assigned;
        }
    }
    QVERIFY(assigned > 0 && assigned < numbers.size());
}

void TestSimSpeakNode::conversationPaging()
{
    const SnReply first = get(QStringLiteral("/conversations?page_size=40"), m_token);
    QCOMPARE(first.status, 200);
    const qint64 total = first.object()[QLatin1String("total_count")].toInteger();
    QVERIFY(total > 200);
    QCOMPARE(first.object()[QLatin1String("page")].toInt(), 1);
    QCOMPARE(first.object()[QLatin1String("page_size")].toInt(), 40);
    // Walk every page: each id once, newest first, the count adds up.
    QSet<QString> seen;
    QString previous = QStringLiteral("9999");
    const int pages = int((total + 99) / 100);
    for (int p = 1; p <= pages; ++p) {
        const QJsonObject page =
            get(QStringLiteral("/conversations?page_size=100&page=%1").arg(p), m_token).object();
        const QJsonArray items = page[QLatin1String("items")].toArray();
        QCOMPARE(page[QLatin1String("page")].toInt(), p);
        QVERIFY(items.size() == 100 || p == pages);
        for (const QJsonValue &v : items) {
            const QString created = v[QLatin1String("created_at")].toString();
            QVERIFY2(created <= previous, qPrintable(created));
            previous = created;
            seen.insert(v[QLatin1String("id")].toString());
        }
    }
    QVERIFY(qAbs(seen.size() - total) <= 2); // live calls may start meanwhile (none here)
    // Beyond the end: an empty page that still reports the total.
    const QJsonObject beyond =
        get(QStringLiteral("/conversations?page=%1&page_size=100").arg(pages + 5), m_token)
            .object();
    QVERIFY(beyond[QLatin1String("items")].toArray().isEmpty());
    QCOMPARE(beyond[QLatin1String("total_count")].toInteger(), total);
}

void TestSimSpeakNode::conversationFilters()
{
    const QJsonArray agents = get(QStringLiteral("/agents"), m_token).array();
    const QString agent = agents.at(1)[QLatin1String("id")].toString();
    QJsonObject r =
        get(QStringLiteral("/conversations?page_size=100&agent_id=") + agent, m_token).object();
    QVERIFY(r[QLatin1String("total_count")].toInteger() > 0);
    for (const QJsonValue &v : r[QLatin1String("items")].toArray())
        QCOMPARE(v[QLatin1String("agent_id")].toString(), agent);

    qint64 sum = 0;
    for (const char *status : {"Pending", "Dispatching", "Active", "Completed", "Failed"}) {
        r = get(QStringLiteral("/conversations?page_size=100&status=") + QLatin1String(status),
                m_token)
                .object();
        sum += r[QLatin1String("total_count")].toInteger();
        for (const QJsonValue &v : r[QLatin1String("items")].toArray()) {
            QCOMPARE(v[QLatin1String("status")].toString(), QLatin1String(status));
            QCOMPARE(v[QLatin1String("error_message")].isString(), qstrcmp(status, "Failed") == 0);
        }
    }
    QCOMPARE(sum, get(QStringLiteral("/conversations"), m_token)
                      .object()[QLatin1String("total_count")]
                      .toInteger());

    // A created_at range, both ends inclusive.
    const QJsonArray some = get(QStringLiteral("/conversations?page_size=30"), m_token)
                                .object()[QLatin1String("items")]
                                .toArray();
    const QString to = some.at(5)[QLatin1String("created_at")].toString();
    const QString from = some.at(20)[QLatin1String("created_at")].toString();
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("from"), from);
    q.addQueryItem(QStringLiteral("to"), to);
    q.addQueryItem(QStringLiteral("page_size"), QStringLiteral("100"));
    QUrl u = url(QStringLiteral("/conversations"));
    u.setQuery(q);
    r = send("GET", u, m_token).object();
    QCOMPARE(r[QLatin1String("total_count")].toInteger(), 16);
    for (const QJsonValue &v : r[QLatin1String("items")].toArray()) {
        QVERIFY(v[QLatin1String("created_at")].toString() >= from);
        QVERIFY(v[QLatin1String("created_at")].toString() <= to);
    }
    // A well-formed UUID of no agent matches nothing.
    r = get(QStringLiteral("/conversations?agent_id=") +
                QUuid::createUuid().toString(QUuid::WithoutBraces),
            m_token)
            .object();
    QCOMPARE(r[QLatin1String("total_count")].toInteger(), 0);
}

void TestSimSpeakNode::conversationFilterErrors()
{
    const struct
    {
        const char *query;
        const char *field;
    } cases[] = {{"page_size=101", "PageSize"},
                 {"page_size=0", "PageSize"},
                 {"page=0", "Page"},
                 {"page=x", "Page"},
                 {"status=Done", "Status"},
                 {"agent_id=nope", "AgentId"},
                 {"from=yesterday", "From"},
                 {"from=2026-05-02T00:00:00Z&to=2026-05-01T00:00:00Z", "To"}};
    for (const auto &c : cases) {
        const SnReply r = get(QStringLiteral("/conversations?") + QLatin1String(c.query), m_token);
        const QJsonObject p = checkProblem(r, 422);
        QVERIFY2(p[QLatin1String("errors")][QLatin1String(c.field)].toArray().size() == 1, c.query);
    }
}

void TestSimSpeakNode::conversationDetails()
{
    const QJsonObject s = firstCompleted();
    const QString id = s[QLatin1String("id")].toString();
    QVERIFY(!id.isEmpty());
    const SnReply r = get(QStringLiteral("/conversations/") + id, m_token);
    QCOMPARE(r.status, 200);
    const QJsonObject d = r.object();
    QCOMPARE(d[QLatin1String("status")].toString(), QStringLiteral("Completed"));
    QVERIFY(d[QLatin1String("has_audio")].toBool());
    QVERIFY(d[QLatin1String("duration_seconds")].toDouble() > 0);
    const QJsonArray history = d[QLatin1String("history")].toArray();
    // The same conversation as the Talknex face shows.
    const QString callId = SimSpeakNodeJson::storeId(id);
    const QJsonObject call =
        send("GET", url(QStringLiteral("/v1/calls/") + callId), m_sim->orgs().at(0).keys.at(0))
            .object();
    const QJsonArray transcript = call[QLatin1String("transcript")].toArray();
    int messages = 0, tools = 0;
    QString previous;
    for (const QJsonValue &v : history) {
        const QJsonObject h = v.toObject();
        QVERIFY(!QUuid::fromString(h[QLatin1String("id")].toString()).isNull());
        QVERIFY(h[QLatin1String("created_at")].toString() >= previous);
        previous = h[QLatin1String("created_at")].toString();
        const QString kind = h[QLatin1String("kind")].toString();
        if (kind == QLatin1String("Message")) {
            QCOMPARE(h[QLatin1String("content")].toString(),
                     transcript.at(messages)[QLatin1String("text")].toString());
            QCOMPARE(h[QLatin1String("role")].toString(),
                     transcript.at(messages)[QLatin1String("role")].toString() ==
                             QLatin1String("agent")
                         ? QStringLiteral("Assistant")
                         : QStringLiteral("User"));
            QVERIFY(h[QLatin1String("metrics")].isObject());
            ++messages;
        } else if (kind == QLatin1String("ToolCall")) {
            QVERIFY(h[QLatin1String("tool_arguments_json")].isString());
            QVERIFY(!QJsonDocument::fromJson(
                         h[QLatin1String("tool_arguments_json")].toString().toUtf8())
                         .isNull());
            ++tools;
        }
    }
    QCOMPARE(messages, transcript.size());
    QCOMPARE(tools, call[QLatin1String("toolCalls")].toArray().size());
    checkProblem(get(QStringLiteral("/conversations/") + id, m_otherToken), 403);
    checkProblem(
        get(QStringLiteral("/conversations/") + QUuid::createUuid().toString(QUuid::WithoutBraces),
            m_token),
        404);

    // Over the history: hand-offs where calls were transferred, some interrupted lines.
    int handoffs = 0, interrupted = 0;
    const QJsonArray page =
        get(QStringLiteral("/conversations?status=Completed&page_size=60"), m_token)
            .object()[QLatin1String("items")]
            .toArray();
    for (const QJsonValue &v : page) {
        const QJsonArray h =
            get(QStringLiteral("/conversations/") + v[QLatin1String("id")].toString(), m_token)
                .object()[QLatin1String("history")]
                .toArray();
        for (const QJsonValue &item : h) {
            handoffs += item[QLatin1String("kind")].toString() == QLatin1String("Handoff");
            interrupted += item[QLatin1String("interrupted")].toBool();
        }
    }
    QVERIFY(handoffs > 0);
    QVERIFY(interrupted > 0);
}

void TestSimSpeakNode::dispatchValidation()
{
    QJsonObject p = checkProblem(
        post(QStringLiteral("/conversations/dispatch"), m_token,
             {{QStringLiteral("agent_id"), QUuid::createUuid().toString(QUuid::WithoutBraces)},
              {QStringLiteral("to_number"), QStringLiteral("0123")},
              {QStringLiteral("from_number"), QStringLiteral("+19999999999")}}),
        422);
    const QJsonObject errors = p[QLatin1String("errors")].toObject();
    QCOMPARE(errors.keys(), (QStringList{QStringLiteral("AgentId"), QStringLiteral("FromNumber"),
                                         QStringLiteral("ToNumber")}));
    p = checkProblem(post(QStringLiteral("/conversations/dispatch"), m_token, {}), 422);
    QCOMPARE(p[QLatin1String("errors")].toObject().size(), 3);
    // Another organization's agent is unknown here.
    const QString theirAgent =
        get(QStringLiteral("/agents"), m_otherToken).array().at(0)[QLatin1String("id")].toString();
    p = checkProblem(post(QStringLiteral("/conversations/dispatch"), m_token,
                          {{QStringLiteral("agent_id"), theirAgent}}),
                     422);
    QVERIFY(p[QLatin1String("errors")].toObject().contains(QLatin1String("AgentId")));
    checkProblem(send("POST", url(QStringLiteral("/conversations/dispatch")), m_token, "{nope",
                      "application/json"),
                 400);
}

QJsonObject TestSimSpeakNode::waitForStatus(const QString &id, const QString &status, int timeoutMs,
                                            QList<int> *historySizes)
{
    QJsonObject d;
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        d = get(QStringLiteral("/conversations/") + id, m_token).object();
        if (historySizes && d[QLatin1String("status")].toString() == QLatin1String("Active"))
            historySizes->append(d[QLatin1String("history")].toArray().size());
        if (d[QLatin1String("status")].toString() == status)
            return d;
        QTest::qWait(60);
    }
    return d;
}

static QJsonObject dispatchBody(const QJsonArray &numbers, const char *outcome)
{
    for (const QJsonValue &n : numbers) {
        if (!n[QLatin1String("agent_id")].isNull()) {
            return {{QStringLiteral("agent_id"), n[QLatin1String("agent_id")]},
                    {QStringLiteral("from_number"), n[QLatin1String("number")]},
                    {QStringLiteral("to_number"), QStringLiteral("+14155550199")},
                    {QStringLiteral("dynamic_variables"),
                     QJsonObject{{QStringLiteral("customer_name"), QStringLiteral("Mia")},
                                 {QStringLiteral("sim_outcome"), QLatin1String(outcome)}}}};
        }
    }
    return {};
}

void TestSimSpeakNode::dispatchRunsLive()
{
    const QJsonObject body =
        dispatchBody(get(QStringLiteral("/phone-numbers"), m_token).array(), "answered");
    const SnReply r = post(QStringLiteral("/conversations/dispatch"), m_token, body);
    QCOMPARE(r.status, 201);
    const QJsonObject s = r.object();
    QCOMPARE(s[QLatin1String("status")].toString(), QStringLiteral("Pending"));
    QCOMPARE(s[QLatin1String("agent_id")], body[QLatin1String("agent_id")]);
    QCOMPARE(s[QLatin1String("to_number")].toString(), QStringLiteral("+14155550199"));
    QVERIFY(!s[QLatin1String("has_audio")].toBool());
    const QString id = s[QLatin1String("id")].toString();
    // It is a real call of the live engine: the Talknex face sees it too.
    const QString callId = SimSpeakNodeJson::storeId(id);
    QVERIFY(callId.startsWith(QLatin1String("call_")));
    QCOMPARE(send("GET", url(QStringLiteral("/v1/calls/") + callId), m_sim->orgs().at(0).keys.at(0))
                 .status,
             200);
    // A poller sees it become Active with a growing history, then Completed.
    QList<int> sizes;
    const QJsonObject done = waitForStatus(id, QStringLiteral("Completed"), 30000, &sizes);
    QCOMPARE(done[QLatin1String("status")].toString(), QStringLiteral("Completed"));
    QVERIFY2(sizes.size() >= 3, "polled while Active");
    QVERIFY(sizes.last() > sizes.first());
    QVERIFY(done[QLatin1String("has_audio")].toBool());
    QVERIFY(!done[QLatin1String("ended_at")].isNull());
    QVERIFY(done[QLatin1String("history")].toArray().size() >= sizes.last());
    // Newest first: it leads the list.
    const QJsonObject top = get(QStringLiteral("/conversations?page_size=1"), m_token).object();
    QCOMPARE(top[QLatin1String("items")].toArray().at(0)[QLatin1String("id")].toString(), id);
}

void TestSimSpeakNode::dispatchFailedOutcome()
{
    const QJsonObject body =
        dispatchBody(get(QStringLiteral("/phone-numbers"), m_token).array(), "busy");
    const SnReply r = post(QStringLiteral("/conversations/dispatch"), m_token, body);
    QCOMPARE(r.status, 201);
    const QJsonObject done =
        waitForStatus(r.object()[QLatin1String("id")].toString(), QStringLiteral("Failed"), 30000);
    QCOMPARE(done[QLatin1String("status")].toString(), QStringLiteral("Failed"));
    QVERIFY(done[QLatin1String("error_message")].toString().contains(QLatin1String("busy")));
    QVERIFY(done[QLatin1String("history")].toArray().isEmpty());
    QVERIFY(done[QLatin1String("audio_url")].isNull());
    QJsonObject bad = body;
    bad.insert(QStringLiteral("dynamic_variables"),
               QJsonObject{{QStringLiteral("sim_outcome"), QStringLiteral("maybe")}});
    const QJsonObject p =
        checkProblem(post(QStringLiteral("/conversations/dispatch"), m_token, bad), 422);
    QVERIFY(p[QLatin1String("errors")].toObject().contains(QLatin1String("DynamicVariables")));
}

void TestSimSpeakNode::audioUrlSignedAndExpiring()
{
    const QString id = firstCompleted()[QLatin1String("id")].toString();
    QJsonObject d = get(QStringLiteral("/conversations/") + id, m_token).object();
    const QString audio = d[QLatin1String("audio_url")].toString();
    QVERIFY(audio.startsWith(m_sim->origin() + QStringLiteral("/_media/") + id +
                             QStringLiteral(".wav?")));
    const QDateTime expires = QDateTime::fromString(
        d[QLatin1String("audio_url_expires_at")].toString(), Qt::ISODateWithMs);
    QVERIFY(expires > QDateTime::currentDateTimeUtc().addSecs(250));
    // No Authorization header: the link is the credential.
    SnReply wav = send("GET", QUrl(audio));
    QCOMPARE(wav.status, 200);
    QVERIFY(wav.body.startsWith("RIFF"));
    QCOMPARE(wav.header("Content-Type"), QByteArray("audio/wav"));
    // The same bytes as Talknex's recording route.
    const SnReply talknex = send("GET",
                                 url(QStringLiteral("/v1/calls/") + SimSpeakNodeJson::storeId(id) +
                                     QStringLiteral("/recording")),
                                 m_sim->orgs().at(0).keys.at(0));
    QCOMPARE(talknex.body, wav.body);
    const SnReply part = send("GET", QUrl(audio), {}, {}, {}, {{"Range", "bytes=10-29"}});
    QCOMPARE(part.status, 206);
    QCOMPARE(part.body, wav.body.mid(10, 20));
    QCOMPARE(part.header("Content-Range"), "bytes 10-29/" + QByteArray::number(wav.body.size()));
    // Tampering with the signature, the expiry or the id breaks it.
    QUrl tampered(audio);
    QUrlQuery q(tampered);
    const QString sig = q.queryItemValue(QStringLiteral("signature"));
    q.removeQueryItem(QStringLiteral("signature"));
    q.addQueryItem(QStringLiteral("signature"),
                   QString(sig).replace(0, 1,
                                        sig.at(0) == QLatin1Char('a') ? QStringLiteral("b")
                                                                      : QStringLiteral("a")));
    tampered.setQuery(q);
    QCOMPARE(send("GET", tampered).status, 403);
    QUrlQuery later{QUrl(audio)};
    const qint64 exp = later.queryItemValue(QStringLiteral("expires")).toLongLong();
    later.removeQueryItem(QStringLiteral("expires"));
    later.addQueryItem(QStringLiteral("expires"), QString::number(exp + 3600));
    QUrl extended(audio);
    extended.setQuery(later);
    QCOMPARE(send("GET", extended).status, 403);

    // A short TTL: the link dies, a fresh GET gives a working one.
    m_sim->speaknode()->setAudioTtlSeconds(1);
    d = get(QStringLiteral("/conversations/") + id, m_token).object();
    const QString shortLived = d[QLatin1String("audio_url")].toString();
    QCOMPARE(send("GET", QUrl(shortLived)).status, 200);
    QTest::qWait(2100);
    const SnReply expired = send("GET", QUrl(shortLived));
    QCOMPARE(expired.status, 403);
    QVERIFY(expired.body.contains("expired"));
    m_sim->speaknode()->setAudioTtlSeconds(300);
    const QString fresh = get(QStringLiteral("/conversations/") + id, m_token)
                              .object()[QLatin1String("audio_url")]
                              .toString();
    QVERIFY(fresh != shortLived);
    QCOMPARE(send("GET", QUrl(fresh)).status, 200);
}

void TestSimSpeakNode::rateLimitAndFaults()
{
    SimRateLimiter &rl = m_sim->api()->rateLimiter();
    rl.setLimit(3);
    // A fresh credential: the other organization's static token.
    int ok = 0;
    SnReply r;
    for (int i = 0; i < 4; ++i) {
        r = get(QStringLiteral("/tools"), m_otherToken);
        ok += r.status == 200;
    }
    rl.setLimit(100000);
    QVERIFY(ok <= 3);
    checkProblem(r, 429);
    QVERIFY(r.header("Retry-After").toInt() >= 1);

    SimFailRule rule;
    rule.status = 503;
    rule.method = "GET";
    rule.path = QStringLiteral("/api/v1/agents");
    rule.before = true;
    m_sim->api()->faults().failNext.append(rule);
    checkProblem(get(QStringLiteral("/agents"), m_token), 503);
    QCOMPARE(get(QStringLiteral("/agents"), m_token).status, 200);
    rule.status = 429;
    m_sim->api()->faults().failNext.append(rule);
    r = get(QStringLiteral("/agents"), m_token);
    checkProblem(r, 429);
    QCOMPARE(r.header("Retry-After"), QByteArray("1"));
}

void TestSimSpeakNode::platformSwitch()
{
    for (const bool speaknodeOnly : {true, false}) {
        SimInstance sim;
        SimOptions o;
        o.historyCalls = 20;
        o.talknex = !speaknodeOnly;
        o.speaknode = speaknodeOnly;
        QString error;
        QVERIFY2(sim.start(o, &error), qPrintable(error));
        const QString key = sim.orgs().at(0).keys.at(0);
        const SnReply talknex = send("GET", QUrl(sim.origin() + QStringLiteral("/v1/agents")), key);
        QCOMPARE(talknex.status, speaknodeOnly ? 404 : 200);
        QCOMPARE(bool(sim.speaknode()), speaknodeOnly);
        const QString token = speaknodeOnly
                                  ? sim.speaknode()->oauth().staticToken(sim.orgs().at(0).id)
                                  : QStringLiteral("x");
        QCOMPARE(send("GET", QUrl(sim.origin() + QStringLiteral("/api/v1/agents")), token).status,
                 speaknodeOnly ? 200 : 404);
        QCOMPARE(
            send("GET", QUrl(sim.origin() +
                             QStringLiteral("/realms/speaknode/.well-known/openid-configuration")))
                .status,
            speaknodeOnly ? 200 : 404);
    }
}

void TestSimSpeakNode::commandLine()
{
    const auto parse = [](const QStringList &args, SimOptions *o, QString *error) {
        bool exitNow = false;
        return SimOptions::parse(QStringList{QStringLiteral("switchboard-sim")} + args, o, error,
                                 &exitNow);
    };
    SimOptions o;
    QString error;
    QVERIFY2(parse({}, &o, &error), qPrintable(error));
    QVERIFY(o.talknex && o.speaknode);
    QCOMPARE(o.speaknodeAudioTtlS, 300);
    QCOMPARE(o.speaknodeTokenTtlS, 300);
    o = SimOptions();
    QVERIFY2(parse({QStringLiteral("--platform"), QStringLiteral("speaknode"),
                    QStringLiteral("--speaknode-audio-ttl-s"), QStringLiteral("7"),
                    QStringLiteral("--speaknode-token-ttl-s"), QStringLiteral("9")},
                   &o, &error),
             qPrintable(error));
    QVERIFY(!o.talknex && o.speaknode);
    QCOMPARE(o.speaknodeAudioTtlS, 7);
    QCOMPARE(o.speaknodeTokenTtlS, 9);
    o = SimOptions();
    QVERIFY(parse({QStringLiteral("--platform"), QStringLiteral("talknex")}, &o, &error));
    QVERIFY(o.talknex && !o.speaknode);
    QVERIFY(!parse({QStringLiteral("--platform"), QStringLiteral("vonage")}, &o, &error));
    QVERIFY(error.contains(QLatin1String("--platform")));
    QVERIFY(!parse({QStringLiteral("--speaknode-audio-ttl-s"), QStringLiteral("0")}, &o, &error));
}

QTEST_GUILESS_MAIN(TestSimSpeakNode)
