// switchboard-sim's REST API, served in-process (sb_simulator) and driven with raw
// QNetworkAccessManager requests over loopback.
#include "tst_sim_api.h"
#include "simapi.h"

#include <QHttpMultiPart>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

#include <memory>

void TestSimApi::initTestCase()
{
    m_sim = std::make_unique<SimInstance>();
    SimOptions o;
    o.historyCalls = 700;
    o.rateLimit = 100000; // rateLimit() lowers it for its own checks
    QString error;
    QVERIFY2(m_sim->start(o, &error), qPrintable(error));
    QCOMPARE(m_sim->orgs().size(), 2);
    QVERIFY(m_sim->orgs().at(0).keys.size() >= 2);
    QVERIFY(m_sim->orgs().at(1).keys.size() >= 2);
    m_key = m_sim->orgs().at(0).keys.at(0);
    m_key2 = m_sim->orgs().at(0).keys.at(1);
    m_otherKey = m_sim->orgs().at(1).keys.at(0);
    m_client = std::make_unique<SimClient>(m_sim->baseUrl());
}

QString TestSimApi::firstCompletedCall()
{
    const SimReply r = m_client->get(QStringLiteral("/calls?status=completed&limit=1"), m_key);
    return r.json.value(QLatin1String("data"))
        .toArray()
        .at(0)
        .toObject()
        .value(QLatin1String("id"))
        .toString();
}

void TestSimApi::auth()
{
    SimReply r = m_client->get(QStringLiteral("/agents"), QString());
    QCOMPARE(r.status, 401);
    QCOMPARE(r.errorCode(), QStringLiteral("unauthorized"));
    QVERIFY(!r.header("X-Request-Id").isEmpty());
    QCOMPARE(r.json.value(QLatin1String("error"))
                 .toObject()
                 .value(QLatin1String("requestId"))
                 .toString(),
             QString::fromLatin1(r.header("X-Request-Id")));
    QVERIFY(!r.header("X-RateLimit-Limit").isEmpty());

    r = m_client->get(QStringLiteral("/agents"), QStringLiteral("tnx_live_nope"));
    QCOMPARE(r.status, 401);

    // Another organization's objects: 403; unknown ids: 404.
    const SimReply mine = m_client->get(QStringLiteral("/agents?limit=1"), m_key);
    const QString agentId = mine.json.value(QLatin1String("data"))
                                .toArray()
                                .at(0)
                                .toObject()
                                .value(QLatin1String("id"))
                                .toString();
    QVERIFY(!agentId.isEmpty());
    r = m_client->get(QStringLiteral("/agents/") + agentId, m_otherKey);
    QCOMPARE(r.status, 403);
    QCOMPARE(r.errorCode(), QStringLiteral("forbidden"));
    r = m_client->get(QStringLiteral("/calls/") + firstCompletedCall(), m_otherKey);
    QCOMPARE(r.status, 403);
    r = m_client->get(QStringLiteral("/agents/agent_doesnotexist"), m_key);
    QCOMPARE(r.status, 404);
    QCOMPARE(r.errorCode(), QStringLiteral("not_found"));

    // The orgs see different data sets.
    const SimReply theirs = m_client->get(QStringLiteral("/agents?limit=100"), m_otherKey);
    QCOMPARE(theirs.json.value(QLatin1String("data")).toArray().size(), 3);
    QCOMPARE(m_client->get(QStringLiteral("/agents?limit=100"), m_key)
                 .json.value(QLatin1String("data"))
                 .toArray()
                 .size(),
             12);
}

void TestSimApi::unknownPathAndMethod()
{
    SimReply r = m_client->get(QStringLiteral("/nothing-here"), m_key);
    QCOMPARE(r.status, 404);
    QCOMPARE(r.errorCode(), QStringLiteral("not_found"));
    r = m_client->send("DELETE", QStringLiteral("/contacts"), m_key);
    QCOMPARE(r.status, 405);
    QCOMPARE(r.header("Allow"), QByteArray("GET, POST"));
    // An id with an encoded slash is one (unknown) id, not another route.
    r = m_client->get(QStringLiteral("/agents/a%2Fb"), m_key);
    QCOMPARE(r.status, 404);
    QCOMPARE(r.errorCode(), QStringLiteral("not_found"));
}

void TestSimApi::agentsCrud()
{
    QJsonObject body{{QStringLiteral("name"), QStringLiteral("Test Agent")},
                     {QStringLiteral("voiceSpeed"), 1.2},
                     {QStringLiteral("unknownField"), 42}};
    SimReply r = m_client->post(QStringLiteral("/agents"), m_key, body);
    QCOMPARE(r.status, 201);
    const QString id = r.json.value(QLatin1String("id")).toString();
    QVERIFY(id.startsWith(QLatin1String("agent_")));
    QCOMPARE(r.json.value(QLatin1String("llmModel")).toString(), QStringLiteral("gpt-4o-mini"));
    QVERIFY(!r.json.contains(QLatin1String("unknownField")));

    r = m_client->get(QStringLiteral("/agents/") + id, m_key);
    QCOMPARE(r.status, 200);
    QVERIFY(r.header("ETag").startsWith('"'));

    r = m_client->patch(QStringLiteral("/agents/") + id, m_key,
                        {{QStringLiteral("status"), QStringLiteral("paused")}});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value(QLatin1String("status")).toString(), QStringLiteral("paused"));
    QCOMPARE(r.json.value(QLatin1String("name")).toString(), QStringLiteral("Test Agent"));
    QCOMPARE(r.json.value(QLatin1String("voiceSpeed")).toDouble(), 1.2);

    r = m_client->send("DELETE", QStringLiteral("/agents/") + id, m_key);
    QCOMPARE(r.status, 204);
    QCOMPARE(m_client->get(QStringLiteral("/agents/") + id, m_key).status, 404);
}

void TestSimApi::agentValidation()
{
    SimReply r = m_client->send("POST", QStringLiteral("/agents"), m_key, "{not json");
    QCOMPARE(r.status, 400);
    QCOMPARE(r.errorCode(), QStringLiteral("validation_error"));
    r = m_client->send("POST", QStringLiteral("/agents"), m_key, "[1,2]");
    QCOMPARE(r.status, 400);
    r = m_client->post(QStringLiteral("/agents"), m_key, {{QStringLiteral("voiceSpeed"), 1}});
    QCOMPARE(r.errorField(), QStringLiteral("name"));
    r = m_client->post(
        QStringLiteral("/agents"), m_key,
        {{QStringLiteral("name"), QStringLiteral("x")}, {QStringLiteral("voiceSpeed"), 5}});
    QCOMPARE(r.status, 400);
    QCOMPARE(r.errorField(), QStringLiteral("voiceSpeed"));
    r = m_client->post(QStringLiteral("/agents"), m_key,
                       {{QStringLiteral("name"), QStringLiteral("x")},
                        {QStringLiteral("llmModel"), QStringLiteral("gpt-2")}});
    QCOMPARE(r.errorField(), QStringLiteral("llmModel"));
    r = m_client->post(
        QStringLiteral("/agents"), m_key,
        {{QStringLiteral("name"), QStringLiteral("x")},
         {QStringLiteral("tools"),
          QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("t")},
                                 {QStringLiteral("webhookUrl"), QStringLiteral("not a url")}}}}});
    QCOMPARE(r.errorField(), QStringLiteral("tools"));
}

void TestSimApi::paginationToTheEnd_data()
{
    QTest::addColumn<QString>("list");
    QTest::addColumn<QString>("filter");
    QTest::newRow("calls") << QStringLiteral("/calls") << QString();
    QTest::newRow("calls completed")
        << QStringLiteral("/calls") << QStringLiteral("status=completed");
    QTest::newRow("calls inbound")
        << QStringLiteral("/calls") << QStringLiteral("direction=inbound");
    QTest::newRow("contacts") << QStringLiteral("/contacts") << QString();
    QTest::newRow("contacts tag") << QStringLiteral("/contacts") << QStringLiteral("tag=vip");
}

void TestSimApi::paginationToTheEnd()
{
    QFETCH(QString, list);
    QFETCH(QString, filter);
    QSet<QString> seen;
    QString cursor;
    QString lastCreated;
    int pages = 0;
    for (;;) {
        QUrlQuery q(filter);
        q.addQueryItem(QStringLiteral("limit"), QStringLiteral("37"));
        if (!cursor.isEmpty())
            q.addQueryItem(QStringLiteral("cursor"), cursor);
        const SimReply r =
            m_client->get(list + QLatin1Char('?') + q.toString(QUrl::FullyEncoded), m_key);
        QCOMPARE(r.status, 200);
        const QJsonArray data = r.json.value(QLatin1String("data")).toArray();
        QVERIFY(data.size() <= 37);
        for (const QJsonValue &v : data) {
            const QString id = v.toObject().value(QLatin1String("id")).toString();
            QVERIFY2(!seen.contains(id), qPrintable(id));
            seen.insert(id);
            const QString created = v.toObject().value(QLatin1String("createdAt")).toString();
            if (!lastCreated.isEmpty())
                QVERIFY2(created <= lastCreated, "newest first");
            lastCreated = created;
        }
        ++pages;
        const QJsonValue next = r.json.value(QLatin1String("nextCursor"));
        if (next.isNull()) {
            QVERIFY(data.size() <= 37);
            break;
        }
        QCOMPARE(data.size(), 37);
        cursor = next.toString();
        QVERIFY(pages < 1000);
    }
    QVERIFY(seen.size() > 10);
    if (filter.isEmpty() && list == QLatin1String("/calls")) {
        // 700 calls, every twelfth in the other organization.
        QCOMPARE(seen.size(), 700 - 700 / 12);
    }
}

void TestSimApi::paginationErrors()
{
    for (const char *bad : {"limit=0", "limit=101", "limit=abc"}) {
        const SimReply r = m_client->get(QStringLiteral("/calls?") + QLatin1String(bad), m_key);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errorField(), QStringLiteral("limit"));
    }
    SimReply r = m_client->get(QStringLiteral("/calls?cursor=!!garbage!!"), m_key);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.errorField(), QStringLiteral("cursor"));
    r = m_client->get(QStringLiteral("/agents?cursor=Zm9v"), m_key); // "foo": no separator
    QCOMPARE(r.errorField(), QStringLiteral("cursor"));
    r = m_client->get(QStringLiteral("/calls?limit=100"), m_key);
    QCOMPARE(r.json.value(QLatin1String("data")).toArray().size(), 100);
}

void TestSimApi::callFilters_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("expected");
    QTest::newRow("status") << QStringLiteral("status=no_answer") << QStringLiteral("status")
                            << QStringLiteral("no_answer");
    QTest::newRow("direction") << QStringLiteral("direction=outbound")
                               << QStringLiteral("direction") << QStringLiteral("outbound");
    QTest::newRow("sentiment") << QStringLiteral("sentiment=negative")
                               << QStringLiteral("sentiment") << QStringLiteral("negative");
}

void TestSimApi::callFilters()
{
    QFETCH(QString, query);
    QFETCH(QString, field);
    QFETCH(QString, expected);
    const SimReply r = m_client->get(QStringLiteral("/calls?limit=100&") + query, m_key);
    QCOMPARE(r.status, 200);
    const QJsonArray data = r.json.value(QLatin1String("data")).toArray();
    QVERIFY(!data.isEmpty());
    for (const QJsonValue &v : data)
        QCOMPARE(v.toObject().value(field).toString(), expected);

    // The filters that need values from the data itself.
    const QJsonObject sample = m_client->get(QStringLiteral("/calls?limit=50"), m_key)
                                   .json.value(QLatin1String("data"))
                                   .toArray()
                                   .at(25)
                                   .toObject();
    const QString agentId = sample.value(QLatin1String("agentId")).toString();
    for (const QJsonValue &v :
         m_client->get(QStringLiteral("/calls?limit=100&agentId=") + agentId, m_key)
             .json.value(QLatin1String("data"))
             .toArray())
        QCOMPARE(v.toObject().value(QLatin1String("agentId")).toString(), agentId);
    const QString created = sample.value(QLatin1String("createdAt")).toString();
    for (const QJsonValue &v :
         m_client->get(QStringLiteral("/calls?limit=100&createdAfter=") + created, m_key)
             .json.value(QLatin1String("data"))
             .toArray())
        QVERIFY(v.toObject().value(QLatin1String("createdAt")).toString() >= created);
    const QJsonArray before =
        m_client->get(QStringLiteral("/calls?limit=100&createdBefore=") + created, m_key)
            .json.value(QLatin1String("data"))
            .toArray();
    QVERIFY(!before.isEmpty());
    for (const QJsonValue &v : before)
        QVERIFY(v.toObject().value(QLatin1String("createdAt")).toString() < created);
    for (const QJsonValue &v :
         m_client->get(QStringLiteral("/calls?limit=100&updatedSince=") + created, m_key)
             .json.value(QLatin1String("data"))
             .toArray())
        QVERIFY(v.toObject().value(QLatin1String("updatedAt")).toString() >= created);
    const QString digits = sample.value(QLatin1String("to")).toString().right(6);
    const QJsonArray byQ = m_client->get(QStringLiteral("/calls?limit=100&q=") + digits, m_key)
                               .json.value(QLatin1String("data"))
                               .toArray();
    QVERIFY(!byQ.isEmpty());
    for (const QJsonValue &v : byQ) {
        const QJsonObject c = v.toObject();
        QVERIFY(c.value(QLatin1String("to")).toString().contains(digits) ||
                c.value(QLatin1String("from")).toString().contains(digits));
    }
    QCOMPARE(m_client->get(QStringLiteral("/calls?status=flying"), m_key).errorField(),
             QStringLiteral("status"));
    QCOMPARE(m_client->get(QStringLiteral("/calls?createdAfter=yesterday"), m_key).errorField(),
             QStringLiteral("createdAfter"));
}

QTEST_GUILESS_MAIN(TestSimApi)
