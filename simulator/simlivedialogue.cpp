#include "simlivedialogue.h"

#include "simpersonas.h"
#include "simrandom.h"
#include "simsentiment.h"

#include <QJsonDocument>

#include <cmath>

namespace {

constexpr int kMsPerWord = 400; // 150 words a minute

const char *const kBye[3] = {"Thanks so much, bye!", "Okay, bye.", "Bye."};
const char *const kAngry[] = {
    "This is ridiculous. I want to speak to a real person, now.",
    "Honestly, this is a waste of my time. Can I talk to a human, please?",
    "I'm really frustrated. Nobody ever fixes this. Get me a manager.",
};
const char *const kTransfer =
    "I'm sorry about this. Let me transfer you to a colleague who can help right away.";
const char *const kBooking = "Let me put that in the calendar for you.";

int words(const QString &text)
{
    return qMax(1, int(text.split(QLatin1Char(' '), Qt::SkipEmptyParts).size()));
}

double round2(double v)
{
    return std::round(v * 100.0) / 100.0;
}

} // namespace

SimLiveDialogue simGenerateLiveDialogue(const SimDialogueInput &in)
{
    SimLiveDialogue d;
    const QList<SimPersona> &personas = simPersonas();
    if (in.persona < 0 || in.persona >= personas.size())
        return d;
    const SimPersona &p = personas.at(in.persona);
    SimRandom rng(SimRandom::mix(in.seed, 31));
    const SimFill fill = simMakeFill(p, in);

    qint64 clock = rng.range(300, 900);
    double running = 0;
    bool anyCaller = false;
    const auto say = [&](bool agent, const QString &text) {
        SimLine line;
        line.agent = agent;
        line.text = text;
        line.startMs = clock;
        line.endMs = clock + words(text) * kMsPerWord + rng.range(150, 400);
        clock = line.endMs + rng.range(300, 900);
        const SimSentiment s = simScoreText(text);
        line.score = s.score;
        line.sentiment = s.label;
        d.lines.append(line);
        if (!agent) {
            running = anyCaller ? round2(0.6 * s.score + 0.4 * running) : s.score;
            anyCaller = true;
            d.moods.append({line.endMs, simSentimentLabel(running), running});
        }
    };
    const auto useTool = [&](const QString &name, const QJsonObject &args,
                             const QJsonValue &result) {
        SimLiveTool t;
        t.tool = name;
        t.args = args;
        t.result = result;
        t.atMs = d.lines.last().endMs + rng.range(100, 300);
        t.resultAtMs = t.atMs + rng.range(600, 1400); // webhook round trip
        clock = qMax(clock, t.resultAtMs + rng.range(200, 500));
        d.tools.append(t);
    };

    // 0 pleased, 1 neutral, 2 annoyed; a caller drifts between them as the call goes on.
    int mood = rng.chance(0.45) ? 0 : (rng.chance(0.6) ? 1 : 2);
    say(true, fill.apply(p.firstMessage));
    say(false, fill.apply(p.opener[mood]));
    const int exchanges = mood == 2 ? rng.range(2, 4) : rng.range(3, 4);
    bool transferred = false;
    for (int i = 0; i < exchanges && !transferred; ++i) {
        const SimExchange &ex = p.exchanges[i];
        if (p.canBook && mood < 2 && i == exchanges - 1 && i > p.toolAfterExchange) {
            say(true, QString::fromLatin1(kBooking));
            useTool(QStringLiteral("book_appointment"),
                    {{QStringLiteral("name"), fill.caller},
                     {QStringLiteral("date"), fill.date},
                     {QStringLiteral("time"), fill.time}},
                    QJsonObject{{QStringLiteral("confirmed"), true},
                                {QStringLiteral("confirmation"),
                                 QString(QStringLiteral("APT-") + fill.ref)}});
        }
        say(true, fill.apply(ex.agent));
        const double drift = rng.unit();
        if (drift < 0.15 && mood > 0)
            --mood;
        else if (drift > 0.8 && mood < 2)
            ++mood;
        say(false, fill.apply(mood == 0 ? ex.callerPositive
                                        : (mood == 1 ? ex.callerNeutral : ex.callerNegative)));
        if (i == p.toolAfterExchange) {
            useTool(QString::fromUtf8(p.tool.name),
                    QJsonDocument::fromJson(fill.apply(p.tool.exampleArgs).toUtf8()).object(),
                    QJsonDocument::fromJson(fill.apply(p.tool.exampleResult).toUtf8()).object());
        }
        // The angry branch: the caller loses patience and asks for a person.
        if (mood == 2 && i >= 1 && rng.chance(0.5)) {
            say(false, QString::fromUtf8(kAngry[rng.bounded(3)]));
            if (p.canTransfer) {
                say(true, QString::fromLatin1(kTransfer));
                useTool(QStringLiteral("transfer_to_human"),
                        {{QStringLiteral("reason"), QStringLiteral("caller asked for a person")}},
                        QJsonObject{{QStringLiteral("transferred"), true}});
                transferred = true;
            }
        }
    }
    if (transferred) {
        d.endReason = QStringLiteral("transfer");
    } else if (rng.chance(0.5)) {
        d.endReason = QStringLiteral("caller_hangup");
        say(true, fill.apply(p.closing[mood]));
        say(false, QString::fromLatin1(kBye[mood]));
    } else {
        d.endReason = QStringLiteral("agent_hangup");
        say(false, QString::fromLatin1(kBye[mood]));
        say(true, fill.apply(p.closing[mood]));
    }
    d.score = running;
    d.sentiment = simSentimentLabel(running);
    qint64 lastEnd = d.lines.last().endMs;
    for (const SimLiveTool &t : std::as_const(d.tools))
        lastEnd = qMax(lastEnd, t.resultAtMs);
    d.durationSec = int((lastEnd + 999) / 1000) + 1;

    QString outcome;
    if (transferred)
        outcome = QStringLiteral("Transferred to a human colleague.");
    else if (d.tools.isEmpty())
        outcome = QStringLiteral("Ended before the request was completed.");
    else
        outcome = QStringLiteral("Completed with %1.").arg(d.tools.last().tool);
    d.summary = QStringLiteral("%1 (%2) spoke with %3. %4 Caller sentiment: %5.")
                    .arg(fill.agent, fill.company, fill.caller, outcome, d.sentiment);
    return d;
}
