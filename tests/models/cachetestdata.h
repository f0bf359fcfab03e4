#pragma once

// Deterministic calls for the cache, history and search tests (and the history benchmark):
// the same seed always gives the same rows, so a failure can be replayed.

#include "api/dto.h"

#include <QRandomGenerator>
#include <QString>
#include <QStringList>

namespace sb::test {

struct CallGenerator
{
    explicit CallGenerator(quint32 seed = 42, int agents = 20, int contacts = 500)
        : rng(seed)
        , agentCount(agents)
        , contactCount(contacts)
    {}

    QRandomGenerator rng;
    int agentCount;
    int contactCount;
    //! Newest first, one call every 7 s or so, starting at a fixed instant.
    qint64 nextMs = 1767225600000LL; // 2026-01-01T00:00:00Z

    static QString agentId(int i)
    {
        return QStringLiteral("agent_%1").arg(i, 3, 10, QLatin1Char('0'));
    }
    static QString contactId(int i)
    {
        return QStringLiteral("contact_%1").arg(i, 5, 10, QLatin1Char('0'));
    }
    static QString contactName(int i)
    {
        static const char *const first[] = {"Ada",   "Bela", "Chidi", "Dana", "Emil",  "Farah",
                                            "Goran", "Hana", "Ivo",   "Jun",  "Kemal", "Lena"};
        static const char *const last[] = {"Novak", "Okafor", "Petrov", "Quinn", "Rossi",
                                           "Sato",  "Tanaka", "Ueda",   "Varga", "Weber"};
        return QString::fromLatin1(first[i % 12]) + QLatin1Char(' ') +
               QString::fromLatin1(last[(i / 12) % 10]) + QString::number(i / 120);
    }

    sb::api::Call next(int index)
    {
        using namespace sb::api;
        Call c;
        c.id = QStringLiteral("call_%1").arg(index, 8, 10, QLatin1Char('0'));
        nextMs -= 1000 + qint64(rng.bounded(12000));
        c.createdAt = QDateTime::fromMSecsSinceEpoch(nextMs, Qt::UTC);
        c.agentId = agentId(int(rng.bounded(agentCount)));
        static const CallStatus statuses[] = {CallStatus::Completed, CallStatus::Completed,
                                              CallStatus::Completed, CallStatus::Completed,
                                              CallStatus::Completed, CallStatus::Failed,
                                              CallStatus::NoAnswer,  CallStatus::Busy,
                                              CallStatus::Canceled,  CallStatus::Completed};
        c.status = statuses[rng.bounded(10)];
        c.direction = rng.bounded(3) == 0 ? CallDirection::Inbound : CallDirection::Outbound;
        const QString ours =
            QStringLiteral("+1415555%1").arg(rng.bounded(100), 4, 10, QLatin1Char('0'));
        const QString theirs =
            QStringLiteral("+1%1").arg(2000000000ULL + rng.bounded(7999999999ULL - 2000000000ULL));
        c.to = c.direction == CallDirection::Outbound ? theirs : ours;
        c.from = c.direction == CallDirection::Outbound ? ours : theirs;
        if (rng.bounded(4) == 0)
            c.contactId = contactId(int(rng.bounded(contactCount)));
        static const Sentiment sentiments[] = {Sentiment::Positive, Sentiment::Neutral,
                                               Sentiment::Neutral, Sentiment::Negative,
                                               Sentiment::None};
        if (c.status == CallStatus::Completed) {
            c.durationSeconds = 5 + int(rng.bounded(900));
            c.startedAt = c.createdAt.addSecs(3);
            c.endedAt = c.startedAt.addSecs(c.durationSeconds);
            c.endReason = rng.bounded(2) ? EndReason::CallerHangup : EndReason::AgentHangup;
            c.sentiment = sentiments[rng.bounded(5)];
            if (c.sentiment != Sentiment::None)
                c.sentimentScore = (int(rng.bounded(200)) - 100) / 100.0;
        } else {
            c.endedAt = c.createdAt.addSecs(20);
            c.endReason = c.status == CallStatus::NoAnswer ? EndReason::NoAnswer : EndReason::Error;
        }
        c.updatedAt = (c.endedAt.isValid() ? c.endedAt : c.createdAt).addSecs(1);
        if (rng.bounded(8) == 0)
            c.metadata = QJsonObject{{QStringLiteral("campaign"), QStringLiteral("spring")}};
        return c;
    }

    QList<sb::api::Call> calls(int from, int count)
    {
        QList<sb::api::Call> out;
        out.reserve(count);
        for (int i = 0; i < count; ++i)
            out.append(next(from + i));
        return out;
    }

    //! A transcript of \a lines lines drawn from a small phrase book with some rarer words.
    QList<sb::api::TranscriptLine> transcript(int lines)
    {
        using namespace sb::api;
        static const char *const phrases[] = {
            "Hello, thanks for calling, how can I help you today",
            "I would like to book an appointment for next week",
            "Sure, let me check the calendar for you",
            "Could you confirm your date of birth please",
            "My order has not arrived and I am quite upset",
            "I am sorry to hear that, let me look into it",
            "Can I speak to a human please",
            "I will transfer you to a colleague now",
            "The invoice shows a charge I do not recognise",
            "Thank you, that was very helpful, goodbye",
            "Is there anything else I can help you with",
            "I want to cancel my subscription",
        };
        static const char *const rare[] = {"refund",   "warranty", "escalation", "voucher",
                                           "delivery", "password", "upgrade",    "discount"};
        QList<TranscriptLine> out;
        qint64 t = 0;
        for (int i = 0; i < lines; ++i) {
            TranscriptLine l;
            l.role = i % 2 ? SpeakerRole::Caller : SpeakerRole::Agent;
            l.text = QString::fromLatin1(phrases[rng.bounded(12)]);
            if (rng.bounded(6) == 0)
                l.text += QLatin1Char(' ') + QString::fromLatin1(rare[rng.bounded(8)]);
            l.startMs = t;
            t += 1500 + rng.bounded(3000);
            l.endMs = t;
            t += 200;
            out.append(l);
        }
        return out;
    }
};

} // namespace sb::test
