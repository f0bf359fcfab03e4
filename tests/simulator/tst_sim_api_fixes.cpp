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
