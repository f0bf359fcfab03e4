// The local sentiment estimate (SpeakNode publishes none): lexicon, negation, intensifiers,
// the running call label and the timeline; deterministic.
#include "api/sentimentestimator.h"

#include <QTest>

using namespace sb::api;

class TestSentimentEstimator : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void labels_data();
    void labels();
    void negationAndIntensity();
    void scoreBounds();
    void callTimeline();
    void onlyCallerLines();
    void silentCaller();
    void applyFillsDetails();
};

namespace {

TranscriptLine line(SpeakerRole role, const char *text, qint64 startMs, qint64 endMs)
{
    TranscriptLine l;
    l.role = role;
    l.text = QString::fromUtf8(text);
    l.startMs = startMs;
    l.endMs = endMs;
    return l;
}

} // namespace

void TestSentimentEstimator::labels_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<Sentiment>("label");
    QTest::newRow("thanks") << "Thanks, that was really helpful!" << Sentiment::Positive;
    QTest::newRow("perfect") << "Perfect, great." << Sentiment::Positive;
    QTest::newRow("angry") << "This is unacceptable, I am very frustrated." << Sentiment::Negative;
    QTest::newRow("distress") << "I'm okay, but my car is wrecked and I'm really stressed."
                              << Sentiment::Negative;
    QTest::newRow("broken") << "My package arrived broken and late" << Sentiment::Negative;
    QTest::newRow("neutral") << "My order number is A 1001." << Sentiment::Neutral;
    QTest::newRow("empty") << "" << Sentiment::Neutral;
    QTest::newRow("not good") << "That is not good." << Sentiment::Negative;
    QTest::newRow("not bad") << "Honestly not bad at all" << Sentiment::Positive;
    QTest::newRow("don't hate") << "I don't hate it" << Sentiment::Positive;
    QTest::newRow("curly apostrophe")
        << "I don\u2019t like waiting, this is terrible" << Sentiment::Negative;
    QTest::newRow("case") << "GREAT SERVICE" << Sentiment::Positive;
    QTest::newRow("mixed evens out") << "Good, but the wait was bad" << Sentiment::Neutral;
}

void TestSentimentEstimator::labels()
{
    QFETCH(QString, text);
    QFETCH(Sentiment, label);
    const auto s = SentimentEstimator::scoreText(text);
    QCOMPARE(s.label, label);
    QCOMPARE(SentimentEstimator::scoreText(text).score, s.score); // deterministic
}

void TestSentimentEstimator::negationAndIntensity()
{
    const double good = SentimentEstimator::scoreText(QStringLiteral("good")).score;
    const double veryGood = SentimentEstimator::scoreText(QStringLiteral("very good")).score;
    const double slightlyGood =
        SentimentEstimator::scoreText(QStringLiteral("slightly good")).score;
    const double notGood = SentimentEstimator::scoreText(QStringLiteral("not good")).score;
    const double bad = SentimentEstimator::scoreText(QStringLiteral("bad")).score;
    QVERIFY(good > 0);
    QVERIFY(veryGood > good);
    QVERIFY(slightlyGood < good && slightlyGood > 0);
    QVERIFY(notGood < 0);
    QVERIFY(notGood > bad); // "not good" is milder than "bad"
    // A negation reaches a few words ahead, but not across a sentence.
    QVERIFY(SentimentEstimator::scoreText(QStringLiteral("not at all happy")).score < 0);
    QVERIFY(SentimentEstimator::scoreText(QStringLiteral("No. I am happy")).score > 0);
    // An exclamation sharpens.
    QVERIFY(SentimentEstimator::scoreText(QStringLiteral("great!")).score >
            SentimentEstimator::scoreText(QStringLiteral("great")).score);
    QCOMPARE(SentimentEstimator::scoreText(QStringLiteral("great great")).hits, 2);
    QCOMPARE(SentimentEstimator::scoreText(QStringLiteral("the order")).hits, 0);
}

void TestSentimentEstimator::scoreBounds()
{
    const QString rant =
        QStringLiteral("terrible awful horrible worst useless unacceptable ").repeated(40);
    const auto s = SentimentEstimator::scoreText(rant);
    QVERIFY(s.score >= -1.0 && s.score < -0.95);
    const auto praise = SentimentEstimator::scoreText(
        QStringLiteral("absolutely amazing fantastic perfect ").repeated(40));
    QVERIFY(praise.score <= 1.0 && praise.score > 0.95);
    QCOMPARE(SentimentEstimator::labelFor(0.2), Sentiment::Positive);
    QCOMPARE(SentimentEstimator::labelFor(0.19), Sentiment::Neutral);
    QCOMPARE(SentimentEstimator::labelFor(-0.2), Sentiment::Negative);
}

void TestSentimentEstimator::callTimeline()
{
    QList<TranscriptLine> lines{
        line(SpeakerRole::Agent, "Hello, how can I help?", 0, 1500),
        line(SpeakerRole::Caller, "My delivery is late and the box was damaged.", 2000, 5000),
        line(SpeakerRole::Agent, "I am sorry to hear that.", 5200, 6500),
        line(SpeakerRole::Caller, "Okay.", 7000, 7400),
        line(SpeakerRole::Caller, "Thank you, that is great, really helpful!", 9000, 12000),
    };
    const auto est = SentimentEstimator::estimate(lines);
    QCOMPARE(lines.at(1).sentiment, Sentiment::Negative);
    QCOMPARE(lines.at(3).sentiment, Sentiment::Neutral);
    QCOMPARE(lines.at(4).sentiment, Sentiment::Positive);
    // Two caller lines with words that count: two points, at their ends.
    QCOMPARE(est.timeline.size(), 2);
    QCOMPARE(est.timeline.at(0).atMs, 5000);
    QCOMPARE(est.timeline.at(0).label, Sentiment::Negative);
    QCOMPARE(est.timeline.at(1).atMs, 12000);
    QVERIFY(est.timeline.at(1).score.value() > est.timeline.at(0).score.value());
    // Running: an average leaning to the newest line, so recovered but not fully positive.
    const double first = SentimentEstimator::scoreText(lines.at(1).text).score;
    const double last = SentimentEstimator::scoreText(lines.at(4).text).score;
    QCOMPARE(est.score.value(), 0.5 * first + 0.5 * last);
    QCOMPARE(est.label, SentimentEstimator::labelFor(0.5 * first + 0.5 * last));
}

void TestSentimentEstimator::onlyCallerLines()
{
    QList<TranscriptLine> lines{
        line(SpeakerRole::Agent, "This is terrible news, awful.", 0, 1000),
        line(SpeakerRole::System, "Handed off: Billing", 1000, 1000),
    };
    lines[0].sentiment = Sentiment::None;
    const auto est = SentimentEstimator::estimate(lines);
    QCOMPARE(lines.at(0).sentiment, Sentiment::None); // the agent's words are not the caller's mood
    QVERIFY(est.timeline.isEmpty());
    QCOMPARE(est.label, Sentiment::None);
    QVERIFY(!est.score.has_value());
}

void TestSentimentEstimator::silentCaller()
{
    QList<TranscriptLine> lines{line(SpeakerRole::Caller, "Order A 1001, please.", 0, 900)};
    const auto est = SentimentEstimator::estimate(lines);
    QVERIFY(est.timeline.isEmpty());
    QCOMPARE(est.label, Sentiment::Neutral); // spoke, but nothing that counts
    QCOMPARE(est.score.value_or(9), 0.0);
}

void TestSentimentEstimator::applyFillsDetails()
{
    CallDetails d;
    d.transcript = {line(SpeakerRole::Caller, "I am so angry, this is the worst.", 0, 3000)};
    SentimentEstimator::apply(d);
    QCOMPARE(d.call.sentiment, Sentiment::Negative);
    QVERIFY(d.call.sentimentScore.value() < -0.5);
    QCOMPARE(d.sentimentTimeline.size(), 1);
    QCOMPARE(d.transcript.first().sentiment, Sentiment::Negative);
}

QTEST_GUILESS_MAIN(TestSentimentEstimator)
#include "tst_sentimentestimator.moc"
