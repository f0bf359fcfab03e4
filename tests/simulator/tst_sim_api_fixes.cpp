// Third part of tst_sim_api: regression tests for reviewed defects (recordings of deleted
// calls, time zones of filters, contact linking, idempotency expiry, body limits, multipart
// parts, suffix ranges, sliding rate limits).
#include "simapi.h"
#include "simjson.h"
#include "tst_sim_api.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <ctime>

namespace {

QJsonArray dataOf(const SimReply &r)
{
    return r.json.value(QLatin1String("data")).toArray();
}

QString str(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}

// Sets TZ for the process while alive (local time is what a zone-less timestamp must not use).
class TimeZoneOverride
{
public:
    explicit TimeZoneOverride(const QByteArray &tz)
        : m_had(qEnvironmentVariableIsSet("TZ"))
        , m_old(qgetenv("TZ"))
    {
        qputenv("TZ", tz);
        apply();
    }
    ~TimeZoneOverride()
    {
        if (m_had)
            qputenv("TZ", m_old);
        else
            qunsetenv("TZ");
        apply();
    }
    TimeZoneOverride(const TimeZoneOverride &) = delete;
    TimeZoneOverride &operator=(const TimeZoneOverride &) = delete;

private:
    static void apply()
    {
#ifdef Q_OS_UNIX
        tzset();
#endif
    }
    bool m_had;
    QByteArray m_old;
};

// One HTTP/1.1 response read from a raw socket (Content-Length framed).
struct RawResponse
{
    int status = 0;
    QByteArray head;
    QByteArray body;
};

bool readResponse(QTcpSocket &s, QByteArray *buffer, RawResponse *out, int timeoutMs = 10000)
{
    QElapsedTimer t;
    t.start();
    for (;;) {
        const qsizetype end = buffer->indexOf("\r\n\r\n");
        if (end >= 0) {
            const QByteArray head = buffer->left(end);
            qint64 length = 0;
            for (const QByteArray &line : head.split('\n')) {
                if (line.trimmed().toLower().startsWith("content-length:"))
                    length = line.mid(line.indexOf(':') + 1).trimmed().toLongLong();
            }
            if (buffer->size() >= end + 4 + length) {
                out->head = head;
                out->status = head.mid(9, 3).toInt();
                out->body = buffer->mid(end + 4, length);
                buffer->remove(0, end + 4 + length);
                return true;
            }
        }
        if (t.elapsed() > timeoutMs || s.state() != QAbstractSocket::ConnectedState)
            return false;
        // The server runs in this thread: let its event loop turn while waiting.
        QSignalSpy more(&s, &QIODevice::readyRead);
        if (!s.bytesAvailable())
            more.wait(200);
        buffer->append(s.readAll());
    }
}

} // namespace

void TestSimApi::deleteDuringRecording()
{
    const QString espeak = QStandardPaths::findExecutable(QStringLiteral("espeak-ng"));
    if (espeak.isEmpty())
        QSKIP("espeak-ng is not installed here");
    // A synthesizer that waits for a "go" file, so the DELETE surely lands mid-synthesis.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString started = dir.filePath(QStringLiteral("started"));
    const QString go = dir.filePath(QStringLiteral("go"));
    const QString script = dir.filePath(QStringLiteral("gated-espeak.sh"));
    {
        QFile f(script);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("#!/bin/sh\n: > '" + started.toUtf8() + "'\nwhile [ ! -e '" + go.toUtf8() +
                "' ]; do sleep 0.05; done\nexec '" + espeak.toUtf8() + "' \"$@\"\n");
        f.close();
        QVERIFY(f.setPermissions(f.permissions() | QFileDevice::ExeOwner));
    }
    SimInstance sim;
    SimOptions o;
    o.historyCalls = 40;
    o.rateLimit = 100000;
    o.dataDir = dir.filePath(QStringLiteral("data"));
    o.espeak = script;
    QString error;
    QVERIFY2(sim.start(o, &error), qPrintable(error));
    SimClient client(sim.baseUrl());
    const QString id =
        str(dataOf(client.get(QStringLiteral("/calls?status=completed&limit=1"), m_key))
                .at(0)
                .toObject(),
            "id");
    QVERIFY(!id.isEmpty());

    QNetworkAccessManager nam;
    QNetworkRequest req(
        QUrl(sim.baseUrl() + QStringLiteral("/calls/") + id + QStringLiteral("/recording")));
    req.setRawHeader("Authorization", "Bearer " + m_key.toUtf8());
    QNetworkReply *waiting = nam.get(req);
    QSignalSpy done(waiting, &QNetworkReply::finished);
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(started), 20000); // the synthesis is running
    QCOMPARE(client.send("DELETE", QStringLiteral("/calls/") + id, m_key).status, 204);
    {
        QFile f(go);
        QVERIFY(f.open(QIODevice::WriteOnly));
    }
    QVERIFY(done.wait(120000));
    QCOMPARE(waiting->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 404);
    QCOMPARE(QJsonDocument::fromJson(waiting->readAll())
                 .object()
                 .value(QLatin1String("error"))
                 .toObject()
                 .value(QLatin1String("code"))
                 .toString(),
             QStringLiteral("not_found"));
    waiting->deleteLater();
    const QDir recordings(o.dataDir + QStringLiteral("/recordings"));
    QVERIFY(!recordings.exists(id + QStringLiteral(".wav")));
    QVERIFY(!recordings.exists(id + QStringLiteral(".wav.part")));
    QCOMPARE(
        client.get(QStringLiteral("/calls/") + id + QStringLiteral("/recording"), m_key).status,
        404);
}

void TestSimApi::timeFiltersWithoutZoneAreUtc()
{
    // Far from UTC, so that a zone-less time read as local time would be 12 hours off.
    const TimeZoneOverride tz("SIM-12");
    QCOMPARE(SimJson::parseTime(QStringLiteral("2024-03-10T08:30:00")),
             SimJson::parseTime(QStringLiteral("2024-03-10T08:30:00Z")));
    QCOMPARE(SimJson::parseTime(QStringLiteral("2024-03-10T08:30:00.250")),
             SimJson::parseTime(QStringLiteral("2024-03-10T08:30:00.250Z")));
    QCOMPARE(SimJson::parseTime(QStringLiteral("2024-03-10")),
             SimJson::parseTime(QStringLiteral("2024-03-10T00:00:00Z")));
    QCOMPARE(SimJson::parseTime(QStringLiteral("2024-03-10T08:30:00+02:00")),
             SimJson::parseTime(QStringLiteral("2024-03-10T06:30:00Z")));
    QVERIFY(SimJson::parseTime(QStringLiteral("2024-03-10T08:30:00Z")) > 0);

    // Two neighbouring calls less than 12 h apart: createdBefore the newer one's time, written
    // without a zone, must still list the older one first.
    const QJsonArray calls = dataOf(m_client->get(QStringLiteral("/calls?limit=100"), m_key));
    QString newerAt, olderId;
    for (qsizetype i = 0; i + 1 < calls.size() && olderId.isEmpty(); ++i) {
        const QString a = str(calls.at(i).toObject(), "createdAt");
        const QString b = str(calls.at(i + 1).toObject(), "createdAt");
        const qint64 gap = SimJson::parseTime(a) - SimJson::parseTime(b);
        if (gap > 0 && gap < 12 * 3600 * 1000) {
            newerAt = a;
            olderId = str(calls.at(i + 1).toObject(), "id");
        }
    }
    QVERIFY(!olderId.isEmpty());
    QVERIFY(newerAt.endsWith(QLatin1Char('Z')));
    const QString zoneless = newerAt.chopped(1);
    const SimReply before =
        m_client->get(QStringLiteral("/calls?limit=1&createdBefore=") + zoneless, m_key);
    QCOMPARE(before.status, 200);
    QCOMPARE(str(dataOf(before).at(0).toObject(), "id"), olderId);
    // createdAfter / updatedSince use the same reading.
    const QJsonArray after =
        dataOf(m_client->get(QStringLiteral("/calls?limit=100&createdAfter=") + zoneless, m_key));
    QCOMPARE(after, dataOf(m_client->get(QStringLiteral("/calls?limit=100&createdAfter=") + newerAt,
                                         m_key)));
    for (const QJsonValue &v : after)
        QVERIFY(str(v.toObject(), "createdAt") >= newerAt);
    QCOMPARE(
        dataOf(m_client->get(QStringLiteral("/calls?limit=100&updatedSince=") + zoneless, m_key)),
        dataOf(m_client->get(QStringLiteral("/calls?limit=100&updatedSince=") + newerAt, m_key)));
}

void TestSimApi::placeCallLinksContactByExactPhone()
{
    QJsonObject number;
    for (const QJsonValue &v :
         dataOf(m_client->get(QStringLiteral("/phone-numbers?limit=100"), m_key))) {
        if (str(v.toObject(), "status") == QLatin1String("active") &&
            !str(v.toObject(), "agentId").isEmpty())
            number = v.toObject();
    }
    QVERIFY(!number.isEmpty());
    const auto placeTo = [&](const QString &to) {
        const SimReply r = m_client->post(QStringLiteral("/calls"), m_key,
                                          {{QStringLiteral("agentId"), str(number, "agentId")},
                                           {QStringLiteral("to"), to},
                                           {QStringLiteral("from"), str(number, "number")}});
        return r.status == 201 ? r.json.value(QLatin1String("contactId")) : QJsonValue(r.status);
    };
    const auto contact = [&](const QString &key, const QJsonObject &body) {
        const SimReply r = m_client->post(QStringLiteral("/contacts"), key, body);
        return r.status == 201 ? str(r.json, "id") : QString();
    };
    const QString to = QStringLiteral("+14155550142");
    // Contacts that contain the number without having it as their phone.
    QVERIFY(
        !contact(m_key, {{QStringLiteral("name"), QStringLiteral("Decoy Email")},
                         {QStringLiteral("phone"), QStringLiteral("+14155550901")},
                         {QStringLiteral("email"), QStringLiteral("sip+14155550142@x.example")}})
             .isEmpty());
    QVERIFY(!contact(m_key, {{QStringLiteral("name"), QStringLiteral("Decoy Longer")},
                             {QStringLiteral("phone"), QStringLiteral("+141555501429")}})
                 .isEmpty());
    QVERIFY(!contact(m_otherKey, {{QStringLiteral("name"), QStringLiteral("Other Org")},
                                  {QStringLiteral("phone"), to}})
                 .isEmpty());
    QCOMPARE(placeTo(to), QJsonValue());

    const QString exact = contact(m_key, {{QStringLiteral("name"), QStringLiteral("Exact Match")},
                                          {QStringLiteral("phone"), to}});
    QVERIFY(!exact.isEmpty());
    QVERIFY(!contact(m_key, {{QStringLiteral("name"), QString(QStringLiteral("Newer ") + to)},
                             {QStringLiteral("phone"), QStringLiteral("+14155550902")}})
                 .isEmpty());
    QCOMPARE(placeTo(to), QJsonValue(exact));
}

void TestSimApi::idempotencyEntriesExpire()
{
    SimIdempotencyCache cache;
    const qint64 t0 = 1'700'000'000'000;
    const qint64 hour = 3600 * 1000;
    const auto entry = [](const char *fp) {
        SimIdempotencyCache::Entry e;
        e.fingerprint = fp;
        e.response.status = 201;
        return e;
    };
    cache.insert(QStringLiteral("org\na"), entry("A"), t0);
    cache.insert(QStringLiteral("org\nb"), entry("B"), t0 + hour);
    QCOMPARE(cache.size(), 2);
    // Within 24 h an entry is found (and kept when others are inserted).
    QVERIFY(cache.find(QStringLiteral("org\na"), t0 + 23 * hour));
    QCOMPARE(cache.find(QStringLiteral("org\na"), t0 + 23 * hour)->fingerprint, QByteArray("A"));
    cache.insert(QStringLiteral("org\nc"), entry("C"), t0 + 23 * hour);
    QCOMPARE(cache.size(), 3);
    // Older than 24 h: not found, and gone from memory after the next insert.
    QVERIFY(!cache.find(QStringLiteral("org\na"), t0 + 24 * hour));
    cache.insert(QStringLiteral("org\nd"), entry("D"), t0 + 24 * hour + 1);
    QCOMPARE(cache.size(), 3);
    QVERIFY(!cache.find(QStringLiteral("org\na"), t0 + 24 * hour + 1));
    // A key reused after expiry starts a new 24 h, independent of its old queue position.
    cache.insert(QStringLiteral("org\na"), entry("A2"), t0 + 25 * hour);
    cache.insert(QStringLiteral("org\ne"), entry("E"), t0 + 26 * hour);
    QCOMPARE(cache.find(QStringLiteral("org\na"), t0 + 26 * hour)->fingerprint, QByteArray("A2"));
    cache.insert(QStringLiteral("org\nf"), entry("F"), t0 + 100 * hour);
    QCOMPARE(cache.size(), 1);
}

void TestSimApi::oversizedBodyRefusedEarly()
{
    const QString col =
        str(dataOf(m_client->get(QStringLiteral("/knowledge/collections"), m_key)).at(0).toObject(),
            "id");
    QTcpSocket s;
    s.connectToHost(QHostAddress::LocalHost, m_sim->port());
    QSignalSpy connected(&s, &QTcpSocket::connected);
    QVERIFY(s.state() == QAbstractSocket::ConnectedState || connected.wait(10000));
    const QByteArray auth = "Authorization: Bearer " + m_key.toUtf8() + "\r\n";
    QByteArray buffer;
    RawResponse r;
    // Keep-alive: a GET and a POST with a body first, so the guard must follow request framing.
    s.write("GET /v1/agents?limit=1 HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n");
    QVERIFY(readResponse(s, &buffer, &r));
    QCOMPARE(r.status, 200);
    const QByteArray json = R"({"name":"Frame Check","phone":"+14155550903",)"
                            R"("company":"Content-Length: 99999999999"})";
    s.write("POST /v1/contacts HTTP/1.1\r\nHost: x\r\n" + auth +
            "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(json.size()) +
            "\r\n\r\n" + json);
    QVERIFY(readResponse(s, &buffer, &r));
    QCOMPARE(r.status, 201);

    // Headers announce 60 MB; only the first kilobytes are sent. The answer must not wait for
    // the rest.
    s.write("POST /v1/knowledge/collections/" + col.toUtf8() +
            "/documents HTTP/1.1\r\nHost: x\r\n" + auth +
            "Content-Type: multipart/form-data; boundary=xyz\r\n"
            "Content-Length: 60000000\r\n\r\n"
            "--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\n"
            "Content-Type: text/plain\r\n\r\n" +
            QByteArray(4096, 'x'));
    QVERIFY(readResponse(s, &buffer, &r));
    QCOMPARE(r.status, 413);
    QVERIFY(r.head.toLower().contains("x-ratelimit-remaining:"));
    QVERIFY(r.head.toLower().contains("x-request-id:"));
    const QJsonObject e =
        QJsonDocument::fromJson(r.body).object().value(QLatin1String("error")).toObject();
    QCOMPARE(str(e, "code"), QStringLiteral("validation_error"));
    QCOMPARE(str(e, "field"), QStringLiteral("file"));
    QVERIFY(!str(e, "requestId").isEmpty());
    // The guard counts the refusal like any request; the server is still fine afterwards.
    QCOMPARE(m_client->get(QStringLiteral("/agents?limit=1"), m_key).status, 200);

    // Without a key the answer is 401 as for any request.
    QTcpSocket s2;
    s2.connectToHost(QHostAddress::LocalHost, m_sim->port());
    QSignalSpy connected2(&s2, &QTcpSocket::connected);
    QVERIFY(s2.state() == QAbstractSocket::ConnectedState || connected2.wait(10000));
    s2.write("POST /v1/contacts HTTP/1.1\r\nHost: x\r\nContent-Length: 900000000\r\n\r\n{");
    QByteArray buffer2;
    QVERIFY(readResponse(s2, &buffer2, &r));
    QCOMPARE(r.status, 401);
}

void TestSimApi::multipartPartByName()
{
    const QString col =
        str(dataOf(m_client->get(QStringLiteral("/knowledge/collections"), m_key)).at(0).toObject(),
            "id");
    const QString path =
        QStringLiteral("/knowledge/collections/") + col + QStringLiteral("/documents");
    const QByteArray type = "multipart/form-data; boundary=\"b0undary\"";
    // The first part's *filename* is "file"; the part named file is the second one.
    QByteArray body = "--b0undary\r\n"
                      "Content-Disposition: form-data; name=\"notes\"; filename=\"file\"\r\n"
                      "Content-Type: text/plain\r\n\r\n"
                      "not the upload\r\n"
                      "--b0undary\r\n"
                      "content-disposition: form-data; filename=\"a;name=file.md\"; NAME=file\r\n"
                      "Content-Type: text/markdown\r\n\r\n" +
                      QByteArray(1500, 'm') +
                      "\r\n"
                      "--b0undary--\r\n";
    SimReply r = m_client->send("POST", path, m_key, body, {{"Content-Type", type}});
    QCOMPARE(r.status, 201);
    QCOMPARE(str(r.json, "title"), QStringLiteral("a;name=file.md"));
    QCOMPARE(r.json.value(QLatin1String("sizeBytes")).toInt(), 1500);

    // Only a part whose name parameter is exactly "file" counts.
    body = "--b0undary\r\n"
           "Content-Disposition: form-data; name=\"files\"; filename=\"x.txt\"\r\n\r\n"
           "abc\r\n"
           "--b0undary\r\n"
           "Content-Disposition: form-data; filename=\"file\"\r\n\r\n"
           "abc\r\n"
           "--b0undary--\r\n";
    r = m_client->send("POST", path, m_key, body, {{"Content-Type", type}});
    QCOMPARE(r.status, 400);
    QCOMPARE(r.errorField(), QStringLiteral("file"));
}

void TestSimApi::recordingRangeSuffixZero()
{
    const QString id = firstCompletedCall();
    const QString url = QStringLiteral("/calls/") + id + QStringLiteral("/recording");
    const SimReply whole = m_client->get(url, m_key);
    if (whole.status == 500)
        QSKIP("espeak-ng is not installed here");
    QCOMPARE(whole.status, 200);
    const SimReply r = m_client->send("GET", url, m_key, {}, {{"Range", "bytes=-0"}});
    QCOMPARE(r.status, 416);
    QCOMPARE(r.header("Content-Range"), "bytes */" + QByteArray::number(whole.body.size()));
    QCOMPARE(m_client->send("GET", url, m_key, {}, {{"Range", "bytes=-1"}}).body,
             whole.body.right(1));
}

void TestSimApi::rateLimitSlidingWindow()
{
    SimRateLimiter rl(3);
    const QString key = QStringLiteral("k");
    // Three requests just before a calendar minute ends, one just after it.
    const qint64 minute = 1'700'000'040'000; // a multiple of 60,000
    QVERIFY(rl.take(key, minute - 900).allowed);
    QVERIFY(rl.take(key, minute - 800).allowed);
    const SimRateLimiter::Decision third = rl.take(key, minute - 700);
    QVERIFY(third.allowed);
    QCOMPARE(third.remaining, 0);
    QCOMPARE(third.resetEpoch, (minute - 900 + 60000 + 999) / 1000);
    const SimRateLimiter::Decision over = rl.take(key, minute + 100);
    QVERIFY(!over.allowed);
    QCOMPARE(over.remaining, 0);
    QCOMPARE(over.limit, 3);
    // The oldest request leaves the window 60 s after it was made.
    QCOMPARE(over.resetEpoch, (minute - 900 + 60000 + 999) / 1000);
    QCOMPARE(over.retryAfter, 59); // (minute + 59,100) - (minute + 100) = 59 s
    QVERIFY(!rl.take(key, minute + 59099).allowed);
    const SimRateLimiter::Decision back = rl.take(key, minute + 59100);
    QVERIFY(back.allowed);
    QCOMPARE(back.remaining, 0);
    // Denied requests are not counted: the next slot frees when the second one leaves.
    QCOMPARE(back.resetEpoch, (minute - 800 + 60000 + 999) / 1000);
    QCOMPARE(rl.peek(key, minute + 59200).remaining, 1);
    // Retry-After never says 0 while the request is refused.
    const SimRateLimiter::Decision soon = rl.take(key, minute + 59199);
    QVERIFY(!soon.allowed);
    QCOMPARE(soon.retryAfter, 1);
    // An idle key has its whole budget.
    const SimRateLimiter::Decision idle = rl.peek(QStringLiteral("idle"), minute);
    QVERIFY(idle.allowed);
    QCOMPARE(idle.remaining, 3);
    QVERIFY(idle.resetEpoch >= minute / 1000);
    // Lowering the limit below what was counted waits until enough requests have left.
    rl.setLimit(1);
    const SimRateLimiter::Decision lowered = rl.take(key, minute + 59150);
    QVERIFY(!lowered.allowed);
    QCOMPARE(lowered.resetEpoch, (minute + 59100 + 60000 + 999) / 1000);
}
