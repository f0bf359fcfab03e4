// The focused call's transcript, sentiment timeline and tool calls under the model tester:
// interim → final, duplicates, batched appends, the bound, REST snapshots merged idempotently.
#include "livetestevents.h"

#include "models/sentimenttimelinemodel.h"
#include "models/toolcallsmodel.h"
#include "models/transcriptmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>

using namespace sb::api;
using namespace sb::models;
using sb::test::EventFactory;

namespace {
const QString kCall = QStringLiteral("call_a1");

TranscriptLine finalLine(SpeakerRole role, const QString &text, qint64 start, qint64 end)
{
    TranscriptLine l;
    l.role = role;
    l.text = text;
    l.startMs = start;
    l.endMs = end;
    return l;
}

QStringList texts(const TranscriptModel &m)
{
    QStringList out;
    for (int row = 0; row < m.rowCount(); ++row)
        out.append(m.index(row).data().toString());
    return out;
}
} // namespace

class TestTranscriptModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void interimBecomesFinalInOneInsert()
    {
        TranscriptModel model;
        model.setCallId(kCall);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setSortRole(TranscriptModel::SortRole);
        proxy.sort(0);
        QAbstractItemModelTester proxyTester(
            &proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        EventFactory f;

        // Several lines (interims growing, then final) in one batch: one insert of 2 rows.
        model.applyBatch({
            f.line(kCall, SpeakerRole::Agent, QStringLiteral("Hello"), 100, 0, false),
            f.line(kCall, SpeakerRole::Agent, QStringLiteral("Hello there"), 100, 0, false),
            f.line(kCall, SpeakerRole::Agent, QStringLiteral("Hello there."), 100, 900, true),
            f.line(QStringLiteral("call_other"), SpeakerRole::Agent, QStringLiteral("x"), 1, 2,
                   true),
            f.line(kCall, SpeakerRole::Caller, QStringLiteral("Hi"), 1200, 0, false),
        });
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(inserted.first().at(1).toInt(), 0);
        QCOMPARE(inserted.first().at(2).toInt(), 1);
        QCOMPARE(texts(model), (QStringList{QStringLiteral("Hello there."), QStringLiteral("Hi")}));
        QVERIFY(model.index(0).data(TranscriptModel::IsFinalRole).toBool());
        QVERIFY(!model.index(1).data(TranscriptModel::IsFinalRole).toBool());
        QCOMPARE(model.index(0).data(TranscriptModel::EndMsRole).toLongLong(), 900);
        QCOMPARE(model.index(1).data(TranscriptModel::SpeakerRole).toInt(),
                 int(SpeakerRole::Caller));

        // The caller's interim is replaced in place by its final line: no new row.
        inserted.clear();
        TranscriptLine done =
            finalLine(SpeakerRole::Caller, QStringLiteral("Hi, I need help."), 1200, 2500);
        done.sentiment = Sentiment::Neutral;
        StreamEvent fin = f.line(kCall, SpeakerRole::Caller, done.text, 1200, 2500, true);
        fin.line.sentiment = Sentiment::Neutral;
        model.applyBatch({fin});
        QCOMPARE(inserted.count(), 0);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.first().at(0).toModelIndex().row(), 1);
        QCOMPARE(model.index(1).data().toString(), done.text);
        QCOMPARE(model.index(1).data(TranscriptModel::SentimentRole).toInt(),
                 int(Sentiment::Neutral));

        // Duplicates and late interims change nothing.
        changed.clear();
        model.applyBatch(
            {fin, f.line(kCall, SpeakerRole::Caller, QStringLiteral("Hi"), 1200, 0, false)});
        QCOMPARE(changed.count(), 0);
        QCOMPARE(inserted.count(), 0);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(resets.count(), 0);
    }

    void snapshotMergeIsIdempotent()
    {
        TranscriptModel model;
        model.setCallId(kCall);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        EventFactory f;
        model.applyBatch(
            {f.line(kCall, SpeakerRole::Agent, QStringLiteral("Welcome."), 100, 900, true),
             f.line(kCall, SpeakerRole::Agent, QStringLiteral("So"), 5000, 0, false)});

        // REST has a line the stream missed (in the middle) and the streamed one again.
        CallSnapshot snap;
        snap.callId = kCall;
        snap.details.transcript = {
            finalLine(SpeakerRole::Agent, QStringLiteral("Welcome."), 100, 900),
            finalLine(SpeakerRole::Caller, QStringLiteral("Hello."), 1200, 2000),
            finalLine(SpeakerRole::Agent, QStringLiteral("So, how can I help?"), 5000, 6000)};
        model.applySnapshot(snap);
        const QStringList once = texts(model);
        QCOMPARE(once, (QStringList{QStringLiteral("Welcome."), QStringLiteral("Hello."),
                                    QStringLiteral("So, how can I help?")}));
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.applySnapshot(snap);
        model.applyBatch(
            {f.line(kCall, SpeakerRole::Agent, QStringLiteral("So, how"), 5000, 0, false)});
        QCOMPARE(texts(model), once);
        QCOMPARE(inserted.count(), 0);
        QCOMPARE(changed.count(), 0);

        // Snapshots of another call are not ours.
        snap.callId = QStringLiteral("call_other");
        model.applySnapshot(snap);
        QCOMPARE(model.rowCount(), 3);
    }

    void interruptedLineIsMarkedInPlace()
    {
        TranscriptModel model;
        model.setCallId(kCall);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        CallSnapshot snap;
        snap.callId = kCall;
        snap.details.transcript = {
            finalLine(SpeakerRole::Agent, QStringLiteral("Let me check your"), 100, 900),
            finalLine(SpeakerRole::Caller, QStringLiteral("Wait."), 950, 1200)};
        model.applySnapshot(snap);
        QCOMPARE(model.index(0, 0).data(TranscriptModel::InterruptedRole).toBool(), false);
        // The next poll says the agent was cut off: the same row changes, nothing is added.
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        snap.details.transcript[0].interrupted = true;
        model.applySnapshot(snap);
        QCOMPARE(inserted.count(), 0);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, 0).data(TranscriptModel::InterruptedRole).toBool(), true);
        QCOMPARE(model.index(1, 0).data(TranscriptModel::InterruptedRole).toBool(), false);
    }

    void boundDropsTheOldest()
    {
        TranscriptModel model;
        model.setMaxLines(50);
        model.setCallId(kCall);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        EventFactory f;
        int removedRows = 0;
        connect(&model, &QAbstractItemModel::rowsRemoved, this,
                [&](const QModelIndex &, int first, int last) {
                    QCOMPARE(first, 0);
                    removedRows += last - first + 1;
                });
        for (int batch = 0; batch < 20; ++batch) {
            QList<StreamEvent> events;
            for (int i = 0; i < 7; ++i) {
                const int n = batch * 7 + i;
                events.append(f.line(kCall, SpeakerRole::Caller, QStringLiteral("w"),
                                     qint64(n) * 1000, 0, false));
                events.append(f.line(kCall, SpeakerRole::Caller, QStringLiteral("line %1").arg(n),
                                     qint64(n) * 1000, qint64(n) * 1000 + 500, true));
            }
            model.applyBatch(events);
            QVERIFY(model.rowCount() <= 50);
        }
        QCOMPARE(model.rowCount() + removedRows, 140);
        QCOMPARE(model.droppedLines(), qint64(removedRows));
        QCOMPARE(model.index(model.rowCount() - 1).data().toString(), QStringLiteral("line 139"));
        // A late chunk of a dropped line does not come back.
        const int rows = model.rowCount();
        model.applyBatch(
            {f.line(kCall, SpeakerRole::Caller, QStringLiteral("line 0 again"), 0, 500, true)});
        QCOMPARE(model.rowCount(), rows);
        // Ordered by start, nothing doubled.
        for (int row = 1; row < model.rowCount(); ++row)
            QVERIFY(model.index(row - 1).data(TranscriptModel::StartMsRole).toLongLong() <
                    model.index(row).data(TranscriptModel::StartMsRole).toLongLong());
    }

    void sentimentTimeline()
    {
        SentimentTimelineModel model;
        model.setCallId(kCall);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        EventFactory f;
        model.applyBatch({f.caller(kCall, QStringLiteral("Fine."), 100, 1500),
                          f.sentiment(kCall, Sentiment::Positive, 0.4),
                          f.sentiment(QStringLiteral("call_other"), Sentiment::Negative, -1),
                          f.caller(kCall, QStringLiteral("Not good."), 2000, 4200),
                          f.sentiment(kCall, Sentiment::Negative, -0.3)});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(1, 0).data(SentimentTimelineModel::AtMsRole).toLongLong(), 4200);
        QCOMPARE(model.index(1, SentimentTimelineModel::Label)
                     .data(SentimentTimelineModel::SortRole)
                     .toInt(),
                 int(Sentiment::Negative));
        QCOMPARE(model.index(1, SentimentTimelineModel::Time).data().toString(),
                 QStringLiteral("0:04"));

        // REST is the truth, point by point; applying it twice changes nothing more.
        CallSnapshot snap;
        snap.callId = kCall;
        snap.details.sentimentTimeline = {SentimentPoint{1500, Sentiment::Positive, 0.4},
                                          SentimentPoint{4250, Sentiment::Negative, -0.3},
                                          SentimentPoint{9000, Sentiment::Negative, -0.6}};
        model.applySnapshot(snap);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.pointAt(1).atMs, 4250);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.applySnapshot(snap);
        QCOMPARE(changed.count(), 0);
        QCOMPARE(inserted.count(), 0);

        model.setMaxPoints(2);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.pointAt(0).atMs, 4250);
        model.applySnapshot(snap); // still idempotent across the dropped point
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.pointAt(1).atMs, 9000);
    }

    void toolCallsJoinTheirResults()
    {
        ToolCallsModel model;
        model.setCallId(kCall);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setSortRole(ToolCallsModel::SortRole);
        proxy.sort(ToolCallsModel::State);
        QAbstractItemModelTester proxyTester(
            &proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        EventFactory f;
        const QString book = QStringLiteral("book_appointment");
        const QJsonObject args{{QStringLiteral("date"), QStringLiteral("2024-05-01")}};
        model.applyBatch({f.caller(kCall, QStringLiteral("Book it."), 100, 3000),
                          f.toolCall(kCall, book, args),
                          f.toolCall(kCall, QStringLiteral("lookup"), {})});
        QCOMPARE(model.rowCount(), 2);
        QVERIFY(model.index(0, 0).data(ToolCallsModel::PendingRole).toBool());
        QCOMPARE(model.index(0, ToolCallsModel::Time).data().toString(), QStringLiteral("0:03"));
        QCOMPARE(model.index(0, ToolCallsModel::State).data().toString(),
                 ToolCallsModel::tr("Waiting"));

        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.applyBatch(
            {f.toolResult(kCall, book, QJsonObject{{QStringLiteral("confirmed"), true}}),
             f.toolResult(kCall, QStringLiteral("lookup"),
                          QJsonObject{{QStringLiteral("error"), QStringLiteral("not found")}})});
        QCOMPARE(model.rowCount(), 2); // joined, not appended
        QCOMPARE(changed.count(), 2);
        QVERIFY(!model.index(0, 0).data(ToolCallsModel::PendingRole).toBool());
        QVERIFY(model.index(0, ToolCallsModel::Result)
                    .data()
                    .toString()
                    .contains(QLatin1String("confirmed")));
        QVERIFY(model.index(0, ToolCallsModel::Arguments)
                    .data()
                    .toString()
                    .contains(QLatin1String("2024-05-01")));
        QCOMPARE(model.index(1, 0).data(ToolCallsModel::ErrorRole).toString(),
                 QStringLiteral("not found"));

        // A REST snapshot: same calls (its times win), one more; twice is the same as once.
        CallSnapshot snap;
        snap.callId = kCall;
        snap.details.toolCalls = {
            ToolCall{book, args, QJsonObject{{QStringLiteral("confirmed"), true}}, 3200},
            ToolCall{QStringLiteral("lookup"), QJsonObject{},
                     QJsonObject{{QStringLiteral("error"), QStringLiteral("not found")}}, 3300},
            ToolCall{QStringLiteral("transfer_to_human"), QJsonObject{},
                     QJsonValue(QJsonValue::Undefined), 9000}};
        model.applySnapshot(snap);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.toolCallAt(0).atMs, 3200);
        QVERIFY(model.index(2, 0).data(ToolCallsModel::PendingRole).toBool());
        changed.clear();
        model.applySnapshot(snap);
        QCOMPARE(changed.count(), 0);
        QCOMPARE(model.rowCount(), 3);
    }
};

QTEST_GUILESS_MAIN(TestTranscriptModel)
#include "tst_transcriptmodel.moc"
