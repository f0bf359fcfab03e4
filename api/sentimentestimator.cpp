#include "sentimentestimator.h"

#include <QHash>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>

#include <cmath>

namespace sb::api {

namespace {

// Our own word list, tuned for phone support conversations. Weights run −3..3; the stems are
// matched as whole lower-case words.
const std::pair<const char *, double> kLexicon[] = {
    // positive
    {"thanks", 2.0},
    {"thank", 2.0},
    {"great", 2.5},
    {"good", 1.5},
    {"perfect", 3.0},
    {"excellent", 3.0},
    {"awesome", 3.0},
    {"wonderful", 3.0},
    {"fantastic", 3.0},
    {"happy", 2.0},
    {"glad", 2.0},
    {"pleased", 2.0},
    {"love", 2.5},
    {"helpful", 2.0},
    {"appreciate", 2.0},
    {"nice", 1.5},
    {"fine", 1.0},
    {"resolved", 2.0},
    {"works", 1.5},
    {"working", 1.0},
    {"fixed", 2.0},
    {"easy", 1.5},
    {"quick", 1.0},
    {"fast", 1.0},
    {"amazing", 3.0},
    {"satisfied", 2.0},
    {"relieved", 2.0},
    {"sure", 0.5},
    {"yes", 0.5},
    {"brilliant", 3.0},
    {"lovely", 2.5},
    {"correct", 1.0},
    {"right", 0.5},
    {"excited", 2.0},
    // negative
    {"bad", -2.0},
    {"terrible", -3.0},
    {"awful", -3.0},
    {"horrible", -3.0},
    {"worst", -3.0},
    {"angry", -2.5},
    {"upset", -2.0},
    {"annoyed", -2.0},
    {"annoying", -2.0},
    {"frustrated", -2.5},
    {"frustrating", -2.5},
    {"disappointed", -2.5},
    {"disappointing", -2.5},
    {"unacceptable", -3.0},
    {"ridiculous", -2.5},
    {"useless", -2.5},
    {"broken", -2.0},
    {"wrong", -1.5},
    {"problem", -1.5},
    {"problems", -1.5},
    {"issue", -1.0},
    {"issues", -1.0},
    {"late", -1.0},
    {"delayed", -1.5},
    {"delay", -1.5},
    {"cancel", -1.0},
    {"refund", -1.0},
    {"complaint", -2.0},
    {"complain", -2.0},
    {"waiting", -1.0},
    {"waited", -1.5},
    {"hate", -3.0},
    {"slow", -1.5},
    {"confused", -1.0},
    {"confusing", -1.5},
    {"worried", -1.5},
    {"unhappy", -2.5},
    {"charged", -1.0},
    {"overcharged", -2.5},
    {"fail", -2.0},
    {"failed", -2.0},
    {"missing", -1.5},
    {"lost", -1.5},
    {"damaged", -2.0},
    {"sorry", -0.5},
    {"poor", -2.0},
    {"stressed", -2.0},
    {"stress", -1.5},
    {"stressful", -2.0},
    {"wrecked", -2.0},
    {"crashed", -2.0},
    {"accident", -1.5},
    {"scared", -2.0},
    {"afraid", -1.5},
    {"hurt", -2.0},
    {"nervous", -1.5},
    {"anxious", -2.0},
};

const char *const kNegations[] = {
    "not",     "no",      "never",   "don't",  "doesn't", "didn't",   "isn't",     "wasn't",
    "aren't",  "weren't", "can't",   "cannot", "won't",   "wouldn't", "shouldn't", "hardly",
    "nothing", "without", "neither", "nor",    "dont",    "didnt",    "isnt",      "cant"};

const std::pair<const char *, double> kIntensifiers[] = {
    {"very", 1.5},       {"really", 1.4},     {"extremely", 1.8}, {"so", 1.3},
    {"totally", 1.5},    {"absolutely", 1.6}, {"super", 1.5},     {"incredibly", 1.7},
    {"completely", 1.5}, {"too", 1.2},        {"quite", 1.2},     {"slightly", 0.5},
    {"somewhat", 0.6},   {"little", 0.6},     {"bit", 0.6},       {"kind", 0.7},
};

// A negation reaches this many words ahead ("not at all happy"); a sentence break ends it.
constexpr int kNegationReach = 3;
constexpr double kNegationFactor = -0.75; // "not good" is milder than "bad"
// Squashes the summed weights into −1..1: more evidence moves the score nearer the ends.
constexpr double kSquash = 8.0;

struct Tables
{
    QHash<QString, double> lexicon;
    QHash<QString, double> intensifiers;
    QSet<QString> negations;
    Tables()
    {
        for (const auto &e : kLexicon)
            lexicon.insert(QLatin1String(e.first), e.second);
        for (const auto &e : kIntensifiers)
            intensifiers.insert(QLatin1String(e.first), e.second);
        for (const char *n : kNegations)
            negations.insert(QLatin1String(n));
    }
};

const Tables &tables()
{
    static const Tables t;
    return t;
}

} // namespace

Sentiment SentimentEstimator::labelFor(double score)
{
    if (score >= kLabelThreshold)
        return Sentiment::Positive;
    if (score <= -kLabelThreshold)
        return Sentiment::Negative;
    return Sentiment::Neutral;
}

SentimentEstimator::LineScore SentimentEstimator::scoreText(const QString &text)
{
    static const QRegularExpression token(QStringLiteral("[a-z']+|[.!?;]"));
    const Tables &t = tables();
    LineScore out;
    double sum = 0.0;
    int negationLeft = 0;
    double boost = 1.0;
    auto it = token.globalMatch(text.toLower().replace(QChar(0x2019), QLatin1Char('\'')));
    while (it.hasNext()) {
        const QString word = it.next().captured(0);
        if (word.size() == 1 && QStringLiteral(".!?;").contains(word)) {
            negationLeft = 0; // a negation does not cross a sentence
            boost = 1.0;
            if (word == QLatin1String("!") && sum != 0.0)
                sum *= 1.15; // an exclamation sharpens what was just said
            continue;
        }
        if (t.negations.contains(word)) {
            negationLeft = kNegationReach;
            continue;
        }
        if (const auto b = t.intensifiers.constFind(word); b != t.intensifiers.constEnd()) {
            boost *= b.value();
            continue;
        }
        const auto w = t.lexicon.constFind(word);
        if (w == t.lexicon.constEnd()) {
            if (negationLeft > 0)
                --negationLeft;
            continue;
        }
        double weight = w.value() * boost;
        if (negationLeft > 0)
            weight *= kNegationFactor;
        sum += weight;
        ++out.hits;
        negationLeft = 0;
        boost = 1.0;
    }
    out.score = out.hits == 0 ? 0.0 : sum / std::sqrt(sum * sum + kSquash);
    out.label = labelFor(out.score);
    return out;
}

SentimentEstimator::CallEstimate SentimentEstimator::estimate(QList<TranscriptLine> &lines)
{
    CallEstimate est;
    std::optional<double> running;
    for (TranscriptLine &line : lines) {
        if (line.role != SpeakerRole::Caller)
            continue;
        const LineScore s = scoreText(line.text);
        line.sentiment = s.label;
        if (s.hits == 0)
            continue; // small talk ("okay", "one moment") neither lifts nor drags the call
        running = running ? (1.0 - kRunningWeight) * *running + kRunningWeight * s.score : s.score;
        SentimentPoint p;
        p.atMs = line.endMs;
        p.label = labelFor(*running);
        p.score = *running;
        est.timeline.append(p);
    }
    const bool callerSpoke = std::any_of(lines.cbegin(), lines.cend(), [](const auto &l) {
        return l.role == SpeakerRole::Caller && !l.text.trimmed().isEmpty();
    });
    if (running) {
        est.score = *running;
        est.label = labelFor(*running);
    } else if (callerSpoke) {
        est.score = 0.0;
        est.label = Sentiment::Neutral;
    }
    return est;
}

void SentimentEstimator::apply(CallDetails &details)
{
    const CallEstimate est = estimate(details.transcript);
    details.sentimentTimeline = est.timeline;
    details.call.sentiment = est.label;
    details.call.sentimentScore = est.score;
}

} // namespace sb::api
