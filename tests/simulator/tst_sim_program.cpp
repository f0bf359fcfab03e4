// The real switchboard-sim program: start-up lines, restarts with the same seed, --watch-stdin,
// --help and bad flags (docs/SIM-INTERFACE.md).
#include "simclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

namespace {

struct Started
{
    QString baseUrl;
    QStringList keyLines;
};

// Starts the program and reads its start-up lines up to "ready".
bool start(QProcess &p, const QStringList &args, Started *out)
{
    p.start(qEnvironmentVariable("SWITCHBOARD_SIM"), args);
    if (!p.waitForStarted(10000))
        return false;
    QStringList lines;
    while (!lines.contains(QStringLiteral("ready"))) {
        if (!p.canReadLine() && !p.waitForReadyRead(30000))
            return false;
        while (p.canReadLine())
            lines.append(QString::fromUtf8(p.readLine()).trimmed());
    }
    if (!lines.value(0).startsWith(QLatin1String("switchboard-sim ")) ||
        lines.last() != QLatin1String("ready"))
        return false;
    for (const QString &l : lines) {
        if (l.startsWith(QLatin1String("base-url ")))
            out->baseUrl = l.mid(9);
        if (l.startsWith(QLatin1String("api-key ")))
            out->keyLines.append(l);
    }
    return !out->baseUrl.isEmpty();
}

void stop(QProcess &p)
{
    p.closeWriteChannel(); // --watch-stdin: end of file ends it
    if (!p.waitForFinished(10000)) {
        p.kill();
        p.waitForFinished(5000);
    }
}

} // namespace

class TestSimProgram : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void startupLinesAndRestartDeterminism();
    void watchStdinExits();
    void helpAndBadFlags();
};

void TestSimProgram::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("SWITCHBOARD_SIM"))
        QSKIP("SWITCHBOARD_SIM is not set (run through ctest)");
}

void TestSimProgram::startupLinesAndRestartDeterminism()
{
    const QStringList args{QStringLiteral("--seed"), QStringLiteral("7"),
                           QStringLiteral("--history-calls"), QStringLiteral("300"),
                           QStringLiteral("--watch-stdin")};
    QByteArray transcripts[2];
    QStringList keys[2];
    for (int run = 0; run < 2; ++run) {
        QProcess p;
        Started s;
        QVERIFY(start(p, args, &s));
        QVERIFY(s.baseUrl.startsWith(QLatin1String("http://127.0.0.1:")));
        QVERIFY(s.baseUrl.endsWith(QLatin1String("/v1")));
        QVERIFY(s.keyLines.size() >= 4);
        keys[run] = s.keyLines;
        // api-key <orgId> <key> <organization name>
        const QStringList first = s.keyLines.first().split(QLatin1Char(' '));
        QVERIFY(first.size() >= 4);
        QVERIFY(first.at(1).startsWith(QLatin1String("org_")));
        SimClient client(s.baseUrl);
        const SimReply list =
            client.get(QStringLiteral("/calls?status=completed&limit=3"), first.at(2));
        QCOMPARE(list.status, 200);
        const QString id = list.json.value(QLatin1String("data"))
                               .toArray()
                               .at(2)
                               .toObject()
                               .value(QLatin1String("id"))
                               .toString();
        const SimReply details = client.get(QStringLiteral("/calls/") + id, first.at(2));
        QCOMPARE(details.status, 200);
        transcripts[run] =
            id.toUtf8() +
            QJsonDocument(details.json.value(QLatin1String("transcript")).toArray()).toJson();
        stop(p);
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    }
    QCOMPARE(keys[1], keys[0]);
    QCOMPARE(transcripts[1], transcripts[0]);
}

void TestSimProgram::watchStdinExits()
{
    QProcess p;
    Started s;
    QVERIFY(start(
        p,
        {QStringLiteral("--history-calls"), QStringLiteral("10"), QStringLiteral("--watch-stdin")},
        &s));
    QCOMPARE(p.state(), QProcess::Running);
    p.closeWriteChannel();
    QVERIFY(p.waitForFinished(10000));
    QCOMPARE(p.exitCode(), 0);
}

void TestSimProgram::helpAndBadFlags()
{
    QProcess help;
    help.start(qEnvironmentVariable("SWITCHBOARD_SIM"), {QStringLiteral("--help")});
    QVERIFY(help.waitForFinished(10000));
    const QByteArray text = help.readAllStandardOutput();
    for (const char *flag : {"--host", "--port", "--data", "--seed", "--history-calls",
                             "--rate-limit", "--watch-stdin", "--fault-latency-ms", "--fault-error",
                             "--fault-drop-rate", "--fault-slow-body-ms"})
        QVERIFY2(text.contains(flag), flag);

    QProcess bad;
    bad.start(qEnvironmentVariable("SWITCHBOARD_SIM"),
              {QStringLiteral("--fault-error"), QStringLiteral("oops")});
    QVERIFY(bad.waitForFinished(10000));
    QVERIFY(bad.exitCode() != 0);
    QVERIFY(!bad.readAllStandardError().isEmpty());
    QVERIFY(bad.readAllStandardOutput().isEmpty());
}

QTEST_GUILESS_MAIN(TestSimProgram)
#include "tst_sim_program.moc"
