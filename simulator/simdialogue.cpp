#include "simdialogue.h"

#include "simpersonas.h"
#include "simrandom.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace {

const char *const kCallerBye[3] = {"Thanks, bye!", "Okay, bye.", "Bye."};
const char *const kTransferLine =
    "Let me transfer you to a colleague who can help with that. One moment please.";
const char *const kVoicemailLine =
    "Hi {caller}, this is {agent} from {company}. Sorry we missed you. Please call us back when "
    "you have a moment. Thank you, and have a nice day.";
const char *const kFallbackNames[] = {"Alex", "Jordan", "Sam", "Taylor", "Casey", "Jamie"};
const char *const kTimes[] = {"9:15", "9:40", "10:30", "11:20", "1:45", "2:10", "3:30", "4:20"};

// Words of a template; a placeholder counts as one word, which is close enough for timing.
int wordCount(const char *text)
{
    int words = 0;
    bool inWord = false;
    for (const char *p = text; *p; ++p) {
        const bool space = (*p == ' ');
        if (!space && !inWord)
            ++words;
        inWord = !space;
    }
    return qMax(1, words);
}

double moodScore(int mood, SimRandom &rng)
{
    switch (mood) {
    case 0:
        return 0.4 + 0.5 * rng.unit();
    case 1:
        return -0.15 + 0.4 * rng.unit();
    default:
        return -0.9 + 0.55 * rng.unit();
    }
}

QString labelFor(double score)
{
    if (score > 0.25)
        return QStringLiteral("positive");
    if (score < -0.25)
        return QStringLiteral("negative");
    return QStringLiteral("neutral");
}

double round2(double v)
{
    return std::round(v * 100.0) / 100.0;
}

} // namespace

QString SimFill::apply(const char *templ) const
{
    QString s = QString::fromUtf8(templ);
    s.replace(QLatin1String("{caller}"), caller);
    s.replace(QLatin1String("{agent}"), agent);
    s.replace(QLatin1String("{company}"), company);
    s.replace(QLatin1String("{day}"), day);
    s.replace(QLatin1String("{date}"), date);
    s.replace(QLatin1String("{time}"), time);
    s.replace(QLatin1String("{ref}"), ref);
    s.replace(QLatin1String("{amount}"), amount);
    s.replace(QLatin1String("{count}"), count);
    return s;
}

SimFill simMakeFill(const SimPersona &p, const SimDialogueInput &in)
{
    SimRandom rng(SimRandom::mix(in.seed, 77));
    SimFill f;
    f.caller = in.callerName.section(QLatin1Char(' '), 0, 0);
    if (f.caller.isEmpty())
        f.caller = QString::fromUtf8(kFallbackNames[rng.bounded(6)]);
    f.agent = QString::fromUtf8(p.agentName).section(QLatin1Char(' '), 0, 0);
    f.company = QString::fromUtf8(p.company);
    // The weekday comes from the seed, not the clock, so a transcript never changes.
    static const char *const weekdays[] = {"Monday",   "Tuesday", "Wednesday",
                                           "Thursday", "Friday",  "Saturday"};
    const int weekday = rng.bounded(6);
    f.day = QString::fromUtf8(weekdays[weekday]);
    // The next such weekday after the call, for the ISO dates of tool arguments.
    QDate date = QDateTime::fromMSecsSinceEpoch(qMax<qint64>(0, in.callCreatedMs), Qt::UTC).date();
    do {
        date = date.addDays(1);
    } while (date.dayOfWeek() != weekday + 1);
    f.date = date.toString(Qt::ISODate);
    f.time = QString::fromUtf8(kTimes[rng.bounded(8)]);
    f.ref = QString::number(rng.range(10000, 99999));
    f.amount = QString::number(rng.range(12, 480));
    f.count = QString::number(rng.range(2, 12));
    return f;
}

SimDialogue simGenerateDialogue(const SimDialogueInput &in, bool render)
{
    SimDialogue d;
    const QList<SimPersona> &personas = simPersonas();
    if (in.persona < 0 || in.persona >= personas.size())
        return d;
    const SimPersona &p = personas.at(in.persona);
    SimRandom rng(in.seed);
    SimFill fill;
    if (render)
        fill = simMakeFill(p, in);

    qint64 clock = rng.range(300, 900);
    double lastScores[2] = {0, 0};
    int callerLines = 0;
    const auto addLine = [&](bool agent, const char *templ, int mood) {
        SimLine line;
        line.agent = agent;
        const int msPerWord = agent ? 330 : 360;
        line.startMs = clock;
        line.endMs = clock + wordCount(templ) * msPerWord + rng.range(200, 500);
        clock = line.endMs + rng.range(250, 900);
        const double score = agent ? 0.1 + 0.2 * rng.unit() : moodScore(mood, rng);
        line.score = round2(score);
        line.sentiment = labelFor(line.score);
        if (!agent) {
            lastScores[0] = lastScores[1];
            lastScores[1] = line.score;
            ++callerLines;
            if (render) {
                d.sentimentTimeline.append(QJsonObject{{QStringLiteral("atMs"), line.startMs},
                                                       {QStringLiteral("label"), line.sentiment},
                                                       {QStringLiteral("score"), line.score}});
            }
        }
        if (render)
            line.text = fill.apply(templ);
        d.lines.append(line);
    };

    if (in.end == SimDialogueEnd::Voicemail) {
        addLine(true, kVoicemailLine, 1);
        d.sentiment = QStringLiteral("neutral");
        d.score = 0;
    } else {
        int mood = rng.chance(0.5) ? 0 : (rng.chance(0.6) ? 1 : 2);
        addLine(true, p.firstMessage, mood);
        addLine(false, p.opener[mood], mood);
        // Unhappy callers tend to end sooner; everyone gets at least two exchanges.
        const int exchanges = mood == 2 ? rng.range(2, 4) : rng.range(3, 4);
        for (int i = 0; i < exchanges; ++i) {
            const SimExchange &ex = p.exchanges[i];
            addLine(true, ex.agent, mood);
            const double drift = rng.unit();
            if (drift < 0.15 && mood > 0)
                --mood;
            else if (drift > 0.85 && mood < 2)
                ++mood;
            const char *answer =
                mood == 0 ? ex.callerPositive : (mood == 1 ? ex.callerNeutral : ex.callerNegative);
            addLine(false, answer, mood);
            if (i == p.toolAfterExchange) {
                const qint64 at = d.lines.last().endMs + rng.range(100, 400);
                clock = qMax(clock, at + rng.range(600, 1400)); // webhook round trip
                if (render) {
                    QJsonObject call{{QStringLiteral("tool"), QString::fromUtf8(p.tool.name)},
                                     {QStringLiteral("atMs"), at}};
                    call.insert(
                        QStringLiteral("args"),
                        QJsonDocument::fromJson(fill.apply(p.tool.exampleArgs).toUtf8()).object());
                    call.insert(QStringLiteral("result"),
                                QJsonDocument::fromJson(fill.apply(p.tool.exampleResult).toUtf8())
                                    .object());
                    d.toolCalls.append(call);
                }
            }
        }
        if (in.end == SimDialogueEnd::Transfer) {
            addLine(true, kTransferLine, mood);
        } else if (in.end == SimDialogueEnd::CallerHangup) {
            addLine(true, p.closing[mood], mood);
            addLine(false, kCallerBye[mood], mood);
        } else {
            addLine(false, kCallerBye[mood], mood);
            addLine(true, p.closing[mood], mood);
        }
        const double mean = callerLines >= 2 ? (lastScores[0] + lastScores[1]) / 2 : lastScores[1];
        d.score = round2(mean);
        d.sentiment = labelFor(d.score);
    }
    const qint64 lastEnd = d.lines.isEmpty() ? 0 : d.lines.last().endMs;
    d.durationSec = int((lastEnd + 999) / 1000) + 1;

    if (render) {
        const QString who = fill.caller;
        QString outcome;
        switch (in.end) {
        case SimDialogueEnd::Voicemail:
            outcome = QStringLiteral("Reached voicemail and left a call-back message.");
            break;
        case SimDialogueEnd::Transfer:
            outcome = QStringLiteral("Transferred to a human colleague.");
            break;
        default:
            outcome =
                d.toolCalls.isEmpty()
                    ? QStringLiteral("Ended before the request was completed.")
                    : QStringLiteral("Completed with %1.").arg(QString::fromUtf8(p.tool.name));
        }
        d.summary = QStringLiteral("%1 (%2) spoke with %3. %4 Caller sentiment: %5.")
                        .arg(fill.agent, fill.company, who, outcome, d.sentiment);
    }
    return d;
}

SimDialogueEnd simDialogueEndFromReason(const QString &endReason)
{
    if (endReason == QLatin1String("caller_hangup"))
        return SimDialogueEnd::CallerHangup;
    if (endReason == QLatin1String("transfer"))
        return SimDialogueEnd::Transfer;
    if (endReason == QLatin1String("voicemail"))
        return SimDialogueEnd::Voicemail;
    return SimDialogueEnd::AgentHangup;
}
