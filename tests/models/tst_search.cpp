#include "cachetestdata.h"
#include "models/callcache.h"
#include "models/searchmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace sb::api;
using sb::models::CallCache;
using sb::models::SearchModel;
using sb::models::TranscriptSearch;

namespace {

CallDetails detailsWith(const QString &id, const QStringList &lines, int minutesAgo = 0)
{
    CallDetails d;
    d.call.id = id;
    d.call.status = CallStatus::Completed;
    d.call.direction = CallDirection::Outbound;
    d.call.to = QStringLiteral("+1202555%1").arg(id.right(4));
    d.call.from = QStringLiteral("+14155550100");
    d.call.createdAt = QDateTime::currentDateTimeUtc().addSecs(-60 * minutesAgo);
    qint64 t = 0;
    for (const QString &text : lines) {
        d.transcript.append(
            {SpeakerRole::Caller, text, t, t + 1000, Sentiment::None, false, std::nullopt});
        t += 1500;
    }
    return d;
}

} // namespace

//! Full-text search over cached transcripts: ranking, highlighting, hostile input.
class TestSearch : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    CallCache m_cache;

    static bool search(SearchModel &model, const QString &text)
    {
        QSignalSpy done(&model, &SearchModel::finished);
        model.setQuery(text);
        return done.count() > 0 || done.wait(10000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(m_cache.openFile(m_dir.filePath(QStringLiteral("search.sqlite"))));
        // Background: many transcripts from the phrase book, so that bm25 has real document
        // frequencies to work with.
        sb::test::CallGenerator gen(5);
        for (int i = 0; i < 300; ++i) {
            CallDetails d;
            d.call = gen.next(i);
            d.transcript = gen.transcript(16);
            m_cache.storeDetails(d);
        }
        // The ranking fixtures: the same length, "escalation" twice in one line, once in
        // the other; and a line where it is one word of many.
        m_cache.storeDetails(
            detailsWith(QStringLiteral("call_once_0001"),
                        {QStringLiteral("please start an escalation for my ticket today")}));
        m_cache.storeDetails(
            detailsWith(QStringLiteral("call_twice_0002"),
                        {QStringLiteral("escalation please, a real escalation for today")}));
        m_cache.storeDetails(detailsWith(
            QStringLiteral("call_long_0003"),
            {QStringLiteral("well I called before and they said they would look at the account and "
                            "maybe an escalation would happen but nobody ever called me back about "
                            "the account or the invoice or anything else at all")}));
        m_cache.storeDetails(
            detailsWith(QStringLiteral("call_html_0004"),
                        {QStringLiteral("<script>alert('zebracorn')</script> & more")}));
        m_cache.storeDetails(
            detailsWith(QStringLiteral("call_accent_0005"),
                        {QStringLiteral("Le café était fermé, réclamation envoyée")}));
        m_cache.flush();
    }

    void ranksTwiceAboveOnceAndHighlights()
    {
        SearchModel model(&m_cache);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(search(model, QStringLiteral("escalation ")));
        QCOMPARE(model.state(), SearchModel::State::Done);
        QVERIFY(model.rowCount() >= 3);
        QStringList order;
        for (int row = 0; row < model.rowCount(); ++row)
            order << model.index(row, 0).data(SearchModel::IdRole).toString();
        const int twice = order.indexOf(QStringLiteral("call_twice_0002"));
        const int once = order.indexOf(QStringLiteral("call_once_0001"));
        const int longer = order.indexOf(QStringLiteral("call_long_0003"));
        QVERIFY(twice >= 0 && once >= 0 && longer >= 0);
        QVERIFY2(twice < once, qPrintable(order.join(QLatin1Char(' '))));
        QVERIFY2(once < longer, qPrintable(order.join(QLatin1Char(' '))));
        // Ranks are bm25 (lower is better) and the rows come best first.
        for (int row = 1; row < model.rowCount(); ++row) {
            QVERIFY(model.index(row - 1, 0).data(SearchModel::RankRole).toDouble() <=
                    model.index(row, 0).data(SearchModel::RankRole).toDouble());
        }
        const QString html =
            model.index(twice, SearchModel::Snippet).data(SearchModel::HtmlRole).toString();
        QCOMPARE(html.count(QStringLiteral("<b>escalation</b>")), 2);
        const QString plain = model.index(twice, SearchModel::Snippet).data().toString();
        QVERIFY(plain.contains(QStringLiteral("escalation please")));
        QVERIFY(!plain.contains(QStringLiteral("<b>")));
        QCOMPARE(model.index(twice, 0).data(SearchModel::StartMsRole).toLongLong(), 0);
        QCOMPARE(model.index(twice, SearchModel::Number).data().toString(),
                 QStringLiteral("+12025550002"));
    }

    void everyWordMustMatchAndTheLastIsAPrefix()
    {
        SearchModel model(&m_cache);
        QVERIFY(search(model, QStringLiteral("escalation tick")));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.index(0, 0).data(SearchModel::IdRole).toString(),
                 QStringLiteral("call_once_0001"));
        // A finished word is not a prefix.
        QVERIFY(search(model, QStringLiteral("escalation tick ")));
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.state(), SearchModel::State::Done);
        QVERIFY(model.message().contains(QStringLiteral("escalation tick")));
        // Accents do not matter.
        QVERIFY(search(model, QStringLiteral("reclamation cafe")));
        QCOMPARE(model.rowCount(), 1);
    }

    void snippetsAreEscapedHtml()
    {
        SearchModel model(&m_cache);
        QVERIFY(search(model, QStringLiteral("zebracorn")));
        QCOMPARE(model.rowCount(), 1);
        const QString html = model.index(0, 0).data(SearchModel::HtmlRole).toString();
        QVERIFY2(!html.contains(QStringLiteral("<script>")), qPrintable(html));
        QVERIFY(html.contains(QStringLiteral("&lt;script&gt;")));
        QVERIFY(html.contains(QStringLiteral("<b>zebracorn</b>")));
        QVERIFY(html.contains(QStringLiteral("&amp;")));
    }

    void hostileInputIsAnEmptyResultNotACrash_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("quote") << QStringLiteral("\"");
        QTest::newRow("unbalanced") << QStringLiteral("refund\" OR (");
        QTest::newRow("operators") << QStringLiteral("AND OR NOT NEAR");
        QTest::newRow("column filter") << QStringLiteral("text: refund");
        QTest::newRow("star and caret") << QStringLiteral("* ^refund");
        QTest::newRow("punctuation only") << QStringLiteral("()[]{}'\";:");
        QTest::newRow("sql") << QStringLiteral("'); DROP TABLE calls; --");
        QTest::newRow("long") << QString(5000, QLatin1Char('x'));
        QTest::newRow("control") << QString(QChar(0)) + QStringLiteral("refund") + QChar(0xE000);
    }

    void hostileInputIsAnEmptyResultNotACrash()
    {
        QFETCH(QString, text);
        SearchModel model(&m_cache);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setQuery(text);
        QTRY_VERIFY_WITH_TIMEOUT(model.state() != SearchModel::State::Searching, 10000);
        QVERIFY(model.state() != SearchModel::State::Failed || !model.message().isEmpty());
        if (model.rowCount() == 0 && !text.simplified().isEmpty() &&
            model.state() != SearchModel::State::Idle)
            QVERIFY(!model.message().isEmpty());
        // The query text was data, not syntax: the cache is intact.
        QCOMPARE(m_cache.callCount(), 305);
        // And the model still works afterwards.
        QVERIFY(search(model, QStringLiteral("zebracorn")));
        QCOMPARE(model.rowCount(), 1);
    }

    void queriesAreQuotedNeverParsed()
    {
        QCOMPARE(TranscriptSearch::ftsQuery(QStringLiteral("refund")),
                 QStringLiteral("\"refund\"*"));
        QCOMPARE(TranscriptSearch::ftsQuery(QStringLiteral("a \"b\" ")),
                 QStringLiteral("\"a\" \"\"\"b\"\"\""));
        QCOMPARE(TranscriptSearch::ftsQuery(QStringLiteral("  ")), QString());
        QCOMPARE(TranscriptSearch::toHtml(QStringLiteral("a<") + TranscriptSearch::HitStart +
                                          QStringLiteral("x") + TranscriptSearch::HitEnd),
                 QStringLiteral("a&lt;<b>x</b>"));
    }

    void aClosedCacheIsAMessageNotACrash()
    {
        CallCache closed;
        SearchModel model(&closed);
        QSignalSpy done(&model, &SearchModel::finished);
        model.setQuery(QStringLiteral("refund"));
        QCOMPARE(done.count(), 1);
        QCOMPARE(model.state(), SearchModel::State::Failed);
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!model.message().isEmpty());
    }

    void aNewerQueryWins()
    {
        SearchModel model(&m_cache);
        QSignalSpy done(&model, &SearchModel::finished);
        model.setQuery(QStringLiteral("appointment"));
        model.setQuery(QStringLiteral("zebracorn"));
        QTRY_VERIFY_WITH_TIMEOUT(model.state() == SearchModel::State::Done, 10000);
        QTest::qWait(100);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.index(0, 0).data(SearchModel::IdRole).toString(),
                 QStringLiteral("call_html_0004"));
        model.setQuery(QString());
        QCOMPARE(model.state(), SearchModel::State::Idle);
        QCOMPARE(model.rowCount(), 0);
    }

    void aWordInTooManyLinesIsRankedAmongTheNewest()
    {
        // 240 calls of 100 lines, each line with "quasar": more than MaxRankedLines lines.
        QTemporaryDir dir;
        CallCache cache;
        QVERIFY(cache.openFile(dir.filePath(QStringLiteral("many.sqlite"))));
        const int calls = 240;
        for (int i = 0; i < calls; ++i) {
            QStringList lines;
            for (int k = 0; k < 100; ++k)
                lines << QStringLiteral("quasar line %1 of call %2").arg(k).arg(i);
            cache.storeDetails(
                detailsWith(QStringLiteral("call_many_%1").arg(i, 4, 10, QLatin1Char('0')), lines));
        }
        cache.flush();
        QVERIFY(calls * 100 > TranscriptSearch::MaxRankedLines);
        SearchModel model(&cache);
        QVERIFY(search(model, QStringLiteral("quasar ")));
        QVERIFY(model.isTruncated());
        QCOMPARE(model.rowCount(), model.limit());
        QVERIFY(model.message().contains(QStringLiteral("newest")));
        // Ranked among the newest 20,000 lines: the last 200 calls stored.
        const int oldestAllowed = calls - TranscriptSearch::MaxRankedLines / 100 - 1;
        for (int row = 0; row < model.rowCount(); ++row) {
            const int n = model.index(row, 0).data(SearchModel::IdRole).toString().right(4).toInt();
            QVERIFY2(n >= oldestAllowed, qPrintable(QString::number(n)));
        }
        // A rarer word is ranked over everything.
        QVERIFY(search(model, QStringLiteral("ticket ")));
        QVERIFY(!model.isTruncated());
    }

    void newTranscriptsAreFoundAndReplacedOnesForgotten()
    {
        SearchModel model(&m_cache);
        m_cache.storeDetails(
            detailsWith(QStringLiteral("call_late_0006"), {QStringLiteral("quokka sighting")}));
        m_cache.flush();
        QVERIFY(search(model, QStringLiteral("quokka")));
        QCOMPARE(model.rowCount(), 1);
        m_cache.storeDetails(
            detailsWith(QStringLiteral("call_late_0006"), {QStringLiteral("nothing to see")}));
        m_cache.flush();
        QVERIFY(search(model, QStringLiteral("quokka")));
        QCOMPARE(model.rowCount(), 0);
        m_cache.removeCall(QStringLiteral("call_late_0006"));
        m_cache.flush();
    }
};

QTEST_GUILESS_MAIN(TestSearch)
#include "tst_search.moc"
