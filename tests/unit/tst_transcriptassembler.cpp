// TranscriptAssembler tables: interim → final, duplicates, out of order, REST snapshot merges.
#include "api/transcriptassembler.h"

#include <QTest>

using namespace sb::api;

namespace {

//! One step of a table: a stream chunk ("A" agent / "C" caller) or, with snapshot, a REST line.
struct Step
{
    char role = 'A';
    qint64 startMs = 0;
    QString text;
    bool isFinal = true;
    bool snapshot = false;
};

TranscriptLine lineOf(const Step &s)
{
    TranscriptLine l;
    l.role = s.role == 'A' ? SpeakerRole::Agent : SpeakerRole::Caller;
    l.startMs = s.startMs;
    l.endMs = s.startMs + 500;
    l.text = s.text;
    return l;
}

//! "A@0:hello*" per line (* = final), joined by " | ".
QString render(const TranscriptAssembler &a)
{
    QStringList out;
    for (const TranscriptAssembler::Entry &e : a.lines()) {
        out << QStringLiteral("%1@%2:%3%4")
                   .arg(e.line.role == SpeakerRole::Agent ? QLatin1Char('A') : QLatin1Char('C'))
                   .arg(e.line.startMs)
                   .arg(e.line.text, e.isFinal ? QStringLiteral("*") : QString());
    }
    return out.join(QStringLiteral(" | "));
}

Step chunk(char role, qint64 startMs, const char *text, bool isFinal)
{
    return Step{role, startMs, QString::fromUtf8(text), isFinal, false};
}
Step rest(char role, qint64 startMs, const char *text)
{
    return Step{role, startMs, QString::fromUtf8(text), true, true};
}

} // namespace

Q_DECLARE_METATYPE(QList<Step>)

class TestTranscriptAssembler : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void table_data();
    void table();
    void outcomes();
    void snapshotTwiceIsIdempotent();
    void interruptionAndConfidenceUpdateALine();
};

void TestTranscriptAssembler::table_data()
{
    QTest::addColumn<QList<Step>>("steps");
    QTest::addColumn<QString>("expected");

    QTest::newRow("interim then final replaces")
        << QList<Step>{chunk('A', 0, "Hel", false), chunk('A', 0, "Hello th", false),
                       chunk('A', 0, "Hello there", true)}
        << QStringLiteral("A@0:Hello there*");
    QTest::newRow("duplicate final once")
        << QList<Step>{chunk('A', 0, "Hi", true), chunk('A', 0, "Hi", true)}
        << QStringLiteral("A@0:Hi*");
    QTest::newRow("late interim never replaces final")
        << QList<Step>{chunk('A', 0, "Hello there", true), chunk('A', 0, "Hel", false)}
        << QStringLiteral("A@0:Hello there*");
    QTest::newRow("same start, other role is another line")
        << QList<Step>{chunk('A', 1000, "agent", true), chunk('C', 1000, "caller", true)}
        << QStringLiteral("A@1000:agent* | C@1000:caller*");
    QTest::newRow("out of order inserted by startMs")
        << QList<Step>{chunk('A', 3000, "three", true), chunk('C', 1000, "one", true),
                       chunk('A', 2000, "two", false), chunk('A', 0, "zero", true)}
        << QStringLiteral("A@0:zero* | C@1000:one* | A@2000:two | A@3000:three*");
    QTest::newRow("interims of two lines interleaved")
        << QList<Step>{chunk('A', 0, "a", false), chunk('C', 500, "c", false),
                       chunk('A', 0, "ab", false), chunk('C', 500, "cd", true),
                       chunk('A', 0, "abc", true)}
        << QStringLiteral("A@0:abc* | C@500:cd*");
    QTest::newRow("snapshot replaces interim and fills holes")
        << QList<Step>{chunk('A', 0, "Hel", false), chunk('A', 4000, "later", true),
                       rest('A', 0, "Hello"), rest('C', 2000, "Hi")}
        << QStringLiteral("A@0:Hello* | C@2000:Hi* | A@4000:later*");
    QTest::newRow("stream after snapshot: same final is no duplicate")
        << QList<Step>{rest('A', 0, "Hello"), chunk('A', 0, "Hel", false),
                       chunk('A', 0, "Hello", true)}
        << QStringLiteral("A@0:Hello*");
    QTest::newRow("snapshot is the truth for its keys")
        << QList<Step>{chunk('C', 0, "I wanna book", true), rest('C', 0, "I want to book")}
        << QStringLiteral("C@0:I want to book*");
}

void TestTranscriptAssembler::table()
{
    QFETCH(QList<Step>, steps);
    QFETCH(QString, expected);
    TranscriptAssembler a;
    for (const Step &s : steps) {
        if (s.snapshot)
            a.mergeSnapshot({lineOf(s)});
        else
            a.merge(lineOf(s), s.isFinal);
    }
    QCOMPARE(render(a), expected);
}

void TestTranscriptAssembler::outcomes()
{
    using Change = TranscriptAssembler::Change;
    TranscriptAssembler a;
    auto o = a.merge(lineOf(chunk('A', 1000, "b", false)), false);
    QCOMPARE(o.change, Change::Inserted);
    QCOMPARE(o.row, 0);
    o = a.merge(lineOf(chunk('A', 0, "a", true)), true);
    QCOMPARE(o.change, Change::Inserted);
    QCOMPARE(o.row, 0);
    o = a.merge(lineOf(chunk('A', 1000, "bb", true)), true);
    QCOMPARE(o.change, Change::Updated);
    QCOMPARE(o.row, 1);
    o = a.merge(lineOf(chunk('A', 1000, "b", false)), false);
    QCOMPARE(o.change, Change::None);
    QCOMPARE(o.row, -1);
    QCOMPARE(a.finalLines().size(), 2);
}

void TestTranscriptAssembler::snapshotTwiceIsIdempotent()
{
    QList<TranscriptLine> lines;
    for (int i = 0; i < 50; ++i)
        lines << lineOf(chunk(i % 2 ? 'C' : 'A', (50 - i) * 1000, "x", true));
    TranscriptAssembler a;
    a.mergeSnapshot(lines);
    const QString once = render(a);
    const QList<TranscriptAssembler::Outcome> second = a.mergeSnapshot(lines);
    QCOMPARE(render(a), once);
    QCOMPARE(a.size(), 50);
    for (const auto &o : second)
        QCOMPARE(o.change, TranscriptAssembler::Change::None);
    for (int i = 1; i < a.size(); ++i)
        QVERIFY(a.lines().at(i - 1).line.startMs <= a.lines().at(i).line.startMs);
}

void TestTranscriptAssembler::interruptionAndConfidenceUpdateALine()
{
    // SpeakNode marks a line interrupted once the caller cut in, or refines its confidence:
    // the same final line sent again with only that changed must reach the views.
    using Change = TranscriptAssembler::Change;
    TranscriptAssembler a;
    TranscriptLine line = lineOf(chunk('A', 0, "let me check", true));
    QCOMPARE(a.merge(line, true).change, Change::Inserted);
    QCOMPARE(a.merge(line, true).change, Change::None);
    line.interrupted = true;
    const auto o = a.merge(line, true);
    QCOMPARE(o.change, Change::Updated);
    QCOMPARE(o.row, 0);
    QVERIFY(a.lines().at(0).line.interrupted);
    line.confidence = 0.62;
    QCOMPARE(a.merge(line, true).change, Change::Updated);
    QCOMPARE(a.lines().at(0).line.confidence, std::optional<double>(0.62));
    QCOMPARE(a.mergeSnapshot({line}).at(0).change, Change::None);
}

QTEST_APPLESS_MAIN(TestTranscriptAssembler)
#include "tst_transcriptassembler.moc"
