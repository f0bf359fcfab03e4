#include "simsentiment.h"

#include <QHash>
#include <QStringList>

#include <cmath>

namespace {

// Weights of the words the personas' callers and agents actually use, plus common ones.
const QHash<QString, int> &lexicon()
{
    static const QHash<QString, int> words = [] {
        QHash<QString, int> w;
        const char *const strongPositive[] = {"perfect",   "wonderful", "great",     "lovely",
                                              "excellent", "amazing",   "fantastic", "grazie"};
        const char *const positive[] = {
            "thanks", "thank",   "good",    "nice",   "helpful", "glad",    "happy",  "appreciate",
            "sure",   "easier",  "sooner",  "worked", "enjoy",   "welcome", "please", "pleasure",
            "love",   "looking", "forward", "quick",  "fine",    "safe",    "okay",   "yes"};
        const char *const negative[] = {"already", "late",     "problem", "trouble",  "sorry",
                                        "hurry",   "long",     "mess",    "down",     "dropping",
                                        "wrong",   "stressed", "wrecked", "hanging",  "not",
                                        "never",   "nobody",   "can't",   "couldn't", "won't",
                                        "again",   "delay",    "only",    "suppose",  "hassle"};
        const char *const strongNegative[] = {
            "ridiculous", "annoyed", "terrible", "awful",      "angry",   "furious", "unacceptable",
            "worst",      "waste",   "useless",  "frustrated", "believe", "enough",  "complaint"};
        for (const char *s : strongPositive)
            w.insert(QString::fromLatin1(s), 2);
        for (const char *s : positive)
            w.insert(QString::fromLatin1(s), 1);
        for (const char *s : negative)
            w.insert(QString::fromLatin1(s), -1);
        for (const char *s : strongNegative)
            w.insert(QString::fromLatin1(s), -2);
        return w;
    }();
    return words;
}

bool isNegator(const QString &word)
{
    return word == QLatin1String("not") || word == QLatin1String("no") ||
           word == QLatin1String("don't") || word == QLatin1String("isn't") ||
           word == QLatin1String("never");
}

} // namespace

QString simSentimentLabel(double score)
{
    if (score > 0.25)
        return QStringLiteral("positive");
    if (score < -0.25)
        return QStringLiteral("negative");
    return QStringLiteral("neutral");
}

SimSentiment simScoreText(const QString &text)
{
    QString word;
    int sum = 0;
    bool flip = false;
    const auto take = [&] {
        if (word.isEmpty())
            return;
        const int weight = lexicon().value(word, 0);
        if (isNegator(word)) {
            sum += weight;
            flip = true;
        } else if (weight != 0) {
            sum += flip ? -weight : weight;
            flip = false;
        }
        word.clear();
    };
    for (const QChar c : text) {
        if (c.isLetter() || c == QLatin1Char('\'') || c == QChar(0x2019))
            word.append(c == QChar(0x2019) ? QLatin1Char('\'') : c.toLower());
        else
            take();
    }
    take();
    SimSentiment s;
    s.score = std::round(std::tanh(sum / 2.5) * 100.0) / 100.0;
    s.label = simSentimentLabel(s.score);
    return s;
}
