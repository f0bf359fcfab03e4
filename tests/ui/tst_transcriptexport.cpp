// TranscriptExport without a network: the three formats (CSV quoting of commas, quotes and line
// breaks; JSON that parses back into the same lines), and writes that never leave half a file.
#include "callspanetestutil.h"
#include "ui/transcriptexport.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace sb::api;
using sb::ui::TranscriptExport;

namespace {

CallDetails sampleCall()
{
    CallDetails d;
    d.call.id = QStringLiteral("call_42");
    d.call.direction = CallDirection::Inbound;
    d.call.from = QStringLiteral("+14155550123");
    d.call.to = QStringLiteral("+14155559999");
    d.call.agentId = QStringLiteral("agent_1");
    d.call.status = CallStatus::Completed;
    d.call.durationSeconds = 75;
    d.call.sentiment = Sentiment::Negative;
    d.call.sentimentScore = -0.5;
    d.call.createdAt = QDateTime(QDate(2026, 3, 4), QTime(10, 20, 30), Qt::UTC);
    d.call.summary = QStringLiteral("Billing question.");
    d.transcript = {
        {SpeakerRole::Agent, QStringLiteral("Hello, how can I help?"), 0, 1500, Sentiment::None,
         false, std::nullopt},
        {SpeakerRole::Caller, QStringLiteral("My bill says \"paid\", but it isn't"), 2000, 4200,
         Sentiment::Negative, false, std::nullopt},
        {SpeakerRole::Caller, QStringLiteral("Line one\nline two\r\nline three"), 65000, 70000,
         Sentiment::Neutral, false, std::nullopt},
        {SpeakerRole::Tool, QStringLiteral("plain"), 71000, 71500, Sentiment::None, false,
         std::nullopt},
    };
    d.sentimentTimeline = {{2000, Sentiment::Negative, -0.6}, {65000, Sentiment::Neutral, {}}};
    d.toolCalls = {{QStringLiteral("lookup_bill"), QJsonObject{{QStringLiteral("id"), 7}},
                    QJsonObject{{QStringLiteral("status"), QStringLiteral("paid")}}, 3000}};
    return d;
}

} // namespace

class TestTranscriptExport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void csvFieldQuotesOnlyWhenNeeded_data()
    {
        QTest::addColumn<QString>("in");
        QTest::addColumn<QString>("out");
        QTest::newRow("plain") << QStringLiteral("hello world") << QStringLiteral("hello world");
        QTest::newRow("comma") << QStringLiteral("a,b") << QStringLiteral("\"a,b\"");
        QTest::newRow("quote") << QStringLiteral("say \"hi\"")
                               << QStringLiteral("\"say \"\"hi\"\"\"");
        QTest::newRow("newline") << QStringLiteral("a\nb") << QStringLiteral("\"a\nb\"");
        QTest::newRow("cr") << QStringLiteral("a\rb") << QStringLiteral("\"a\rb\"");
        QTest::newRow("empty") << QString() << QString();
    }
    void csvFieldQuotesOnlyWhenNeeded()
    {
        QFETCH(QString, in);
        QFETCH(QString, out);
        QCOMPARE(TranscriptExport::csvField(in), out);
    }

    void csvRoundTripsEveryLine()
    {
        const CallDetails d = sampleCall();
        const QString csv = QString::fromUtf8(TranscriptExport::toCsv(d, QStringLiteral("Ava")));
        QVERIFY(csv.endsWith(QLatin1String("\r\n")));
        const QList<QStringList> rows = callstest::parseCsv(csv);
        QCOMPARE(rows.size(), d.transcript.size() + 1);
        QCOMPARE(rows.at(0), (QStringList{QStringLiteral("call_id"), QStringLiteral("start_ms"),
                                          QStringLiteral("end_ms"), QStringLiteral("time"),
                                          QStringLiteral("speaker"), QStringLiteral("speaker_name"),
                                          QStringLiteral("text"), QStringLiteral("sentiment")}));
        for (int i = 0; i < d.transcript.size(); ++i) {
            const QStringList &r = rows.at(i + 1);
            QCOMPARE(r.size(), 8);
            QCOMPARE(r.at(0), d.call.id);
            QCOMPARE(r.at(1).toLongLong(), d.transcript.at(i).startMs);
            QCOMPARE(r.at(6), d.transcript.at(i).text); // commas, quotes, CRLF inside survive
        }
        QCOMPARE(rows.at(1).at(5), QStringLiteral("Ava"));
        QCOMPARE(rows.at(2).at(4), QStringLiteral("caller"));
        QCOMPARE(rows.at(3).at(3), QStringLiteral("1:05"));
        QCOMPARE(rows.at(2).at(7), QStringLiteral("negative"));
    }

    void jsonParsesBack()
    {
        const CallDetails d = sampleCall();
        QJsonParseError error;
        const QJsonDocument doc =
            QJsonDocument::fromJson(TranscriptExport::toJson(d, QStringLiteral("Ava")), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        const QJsonObject root = doc.object();
        const QJsonObject call = root.value(QStringLiteral("call")).toObject();
        QCOMPARE(call.value(QStringLiteral("id")).toString(), d.call.id);
        QCOMPARE(call.value(QStringLiteral("direction")).toString(), QStringLiteral("inbound"));
        QCOMPARE(call.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        QCOMPARE(call.value(QStringLiteral("durationSeconds")).toInt(), 75);
        QCOMPARE(call.value(QStringLiteral("agent")).toObject().value(QStringLiteral("name")),
                 QJsonValue(QStringLiteral("Ava")));
        QCOMPARE(QDateTime::fromString(call.value(QStringLiteral("createdAt")).toString(),
                                       Qt::ISODateWithMs),
                 d.call.createdAt);
        const QJsonArray lines = root.value(QStringLiteral("transcript")).toArray();
        QCOMPARE(lines.size(), d.transcript.size());
        for (int i = 0; i < lines.size(); ++i) {
            const QJsonObject l = lines.at(i).toObject();
            QCOMPARE(l.value(QStringLiteral("text")).toString(), d.transcript.at(i).text);
            QCOMPARE(qint64(l.value(QStringLiteral("startMs")).toDouble()),
                     d.transcript.at(i).startMs);
        }
        QVERIFY(lines.at(0).toObject().value(QStringLiteral("sentiment")).isNull());
        const QJsonArray timeline = root.value(QStringLiteral("sentimentTimeline")).toArray();
        QCOMPARE(timeline.size(), 2);
        QVERIFY(timeline.at(1).toObject().value(QStringLiteral("score")).isNull());
        const QJsonArray tools = root.value(QStringLiteral("toolCalls")).toArray();
        QCOMPARE(tools.size(), 1);
        QCOMPARE(tools.at(0)
                     .toObject()
                     .value(QStringLiteral("result"))
                     .toObject()
                     .value(QStringLiteral("status")),
                 QJsonValue(QStringLiteral("paid")));
    }

    void textHasHeaderAndTimedLines()
    {
        const QString text =
            QString::fromUtf8(TranscriptExport::toText(sampleCall(), QStringLiteral("Ava")));
        QVERIFY(text.startsWith(QLatin1String("Call call_42\n")));
        QVERIFY(text.contains(QLatin1String("Agent: Ava\n")));
        QVERIFY(text.contains(QLatin1String("Duration: 1:15\n")));
        QVERIFY(text.contains(QLatin1String("[0:00] Ava: Hello, how can I help?\n")));
        QVERIFY(
            text.contains(QLatin1String("[0:02] Caller: My bill says \"paid\", but it isn't\n")));
        QVERIFY(text.endsWith(QLatin1Char('\n')));
    }

    void formatFollowsSuffixOrFilter()
    {
        QCOMPARE(TranscriptExport::formatForPath(QStringLiteral("/x/a.CSV")),
                 std::optional(TranscriptExport::Format::Csv));
        QCOMPARE(TranscriptExport::formatForPath(QStringLiteral("a.json")),
                 std::optional(TranscriptExport::Format::Json));
        QVERIFY(!TranscriptExport::formatForPath(QStringLiteral("a.doc")));
        const QStringList filters = TranscriptExport::nameFilters();
        QCOMPARE(filters.size(), 3);
        QCOMPARE(TranscriptExport::formatForNameFilter(filters.at(2)),
                 TranscriptExport::Format::Csv);
    }

    void failedWriteLeavesNoFile()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        // The target's folder does not exist: nothing is written, the error says why.
        const QString missing = dir.filePath(QStringLiteral("nope/out.txt"));
        QString error;
        QVERIFY(!TranscriptExport::writeFile(missing, "data", &error));
        QVERIFY(!error.isEmpty());
        QVERIFY(!QFile::exists(missing));

        // An existing file survives a failed copy untouched (the source is missing).
        const QString target = dir.filePath(QStringLiteral("keep.wav"));
        QVERIFY(TranscriptExport::writeFile(target, "old contents", &error));
        QVERIFY(
            !TranscriptExport::copyFile(dir.filePath(QStringLiteral("gone.wav")), target, &error));
        QFile keep(target);
        QVERIFY(keep.open(QIODevice::ReadOnly));
        QCOMPARE(keep.readAll(), QByteArray("old contents"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("keep.wav")});

        // A successful copy is byte for byte.
        const QString source = dir.filePath(QStringLiteral("src.bin"));
        QByteArray big(3 * 1024 * 1024 + 17, 'x');
        big[12345] = 'y';
        QVERIFY(TranscriptExport::writeFile(source, big, &error));
        QVERIFY(TranscriptExport::copyFile(source, target, &error));
        QFile copied(target);
        QVERIFY(copied.open(QIODevice::ReadOnly));
        QCOMPARE(copied.readAll(), big);
    }
};

QTEST_GUILESS_MAIN(TestTranscriptExport)
#include "tst_transcriptexport.moc"
