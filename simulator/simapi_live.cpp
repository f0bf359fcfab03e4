// Live calls in REST: conversations of calls that run (or ran) live, POST /_sim/live,
// POST /_sim/stream/faults and the live part of GET /_sim/stats (docs/SIM-INTERFACE.md).
#include "simapi.h"
#include "simlive.h"
#include "simstream.h"

#include <QJsonArray>

void SimApi::setLive(SimLiveEngine *engine, SimStreamHub *stream)
{
    m_live = engine;
    m_stream = stream;
    if (m_live)
        m_live->callJson = [this](const SimCallRow &c) { return callJson(c, false); };
}

QJsonObject SimApi::conversationJson(const SimCallRow &c) const
{
    if (m_live) {
        if (const auto live = m_live->liveDetails(c.id))
            return *live;
    }
    if (const auto stored = m_store->callDetails(c.id))
        return *stored;
    const SimDialogue d = conversation(c);
    QJsonArray transcript;
    for (const SimLine &l : d.lines) {
        transcript.append(QJsonObject{
            {QStringLiteral("role"), l.agent ? QStringLiteral("agent") : QStringLiteral("caller")},
            {QStringLiteral("text"), l.text},
            {QStringLiteral("startMs"), l.startMs},
            {QStringLiteral("endMs"), l.endMs},
            {QStringLiteral("sentiment"), l.sentiment}});
    }
    return {
        {QStringLiteral("transcript"), transcript},
        {QStringLiteral("sentimentTimeline"), d.sentimentTimeline},
        {QStringLiteral("toolCalls"), d.toolCalls},
        {QStringLiteral("summary"), d.summary.isEmpty() ? QJsonValue() : QJsonValue(d.summary)}};
}

SimDialogue SimApi::conversation(const SimCallRow &c) const
{
    if (!c.hasRecording)
        return {};
    if (const auto stored = m_store->callDetails(c.id)) {
        // A call that ran live: exactly what was streamed, not a regeneration from the seed.
        SimDialogue d;
        const QJsonArray lines = stored->value(QLatin1String("transcript")).toArray();
        for (const QJsonValue &v : lines) {
            const QJsonObject o = v.toObject();
            SimLine l;
            l.agent = o.value(QLatin1String("role")).toString() == QLatin1String("agent");
            l.text = o.value(QLatin1String("text")).toString();
            l.startMs = o.value(QLatin1String("startMs")).toInteger();
            l.endMs = o.value(QLatin1String("endMs")).toInteger();
            l.sentiment = o.value(QLatin1String("sentiment")).toString();
            d.lines.append(l);
        }
        d.sentimentTimeline = stored->value(QLatin1String("sentimentTimeline")).toArray();
        d.toolCalls = stored->value(QLatin1String("toolCalls")).toArray();
        d.summary = stored->value(QLatin1String("summary")).toString();
        d.durationSec = c.duration;
        d.sentiment = c.sentiment;
        d.score = c.sentimentScore;
        return d;
    }
    SimDialogueInput in;
    in.persona = c.persona;
    in.seed = c.seed;
    in.end = simDialogueEndFromReason(c.endReason);
    in.callerName = c.contactName;
    in.callCreatedMs = c.createdAt;
    return simGenerateDialogue(in, true);
}

QJsonObject SimApi::liveStats() const
{
    return {{QStringLiteral("liveCalls"), m_live ? m_live->activeCalls() : 0},
            {QStringLiteral("streamSockets"), m_stream ? m_stream->socketCount() : 0},
            {QStringLiteral("streamEventsSent"), m_stream ? m_stream->eventsSent() : 0}};
}

static bool rate(const QJsonObject &in, const char *key, double *out, QString *why)
{
    const QJsonValue v = in.value(QLatin1String(key));
    if (v.isUndefined())
        return true;
    *out = v.toDouble(-1);
    if (!v.isDouble() || *out < 0 || *out > 1) {
        *why = QStringLiteral("%1 must be a number from 0 to 1").arg(QLatin1String(key));
        return false;
    }
    return true;
}

static bool count(const QJsonObject &in, const char *key, qint64 max, qint64 *out, QString *why)
{
    const QJsonValue v = in.value(QLatin1String(key));
    if (v.isUndefined())
        return true;
    const double d = v.toDouble(-1);
    if (!v.isDouble() || d < 0 || d > double(max) || d != double(qint64(d))) {
        *why =
            QStringLiteral("%1 must be an integer from 0 to %2").arg(QLatin1String(key)).arg(max);
        return false;
    }
    *out = qint64(d);
    return true;
}

SimResponse SimApi::liveAdmin(const QString &what, const QJsonObject &in)
{
    if (!m_live || !m_stream)
        return error(404, QStringLiteral("not_found"), QStringLiteral("No live engine"));
    QString why;
    if (what == QLatin1String("live")) {
        qint64 calls = -1;
        double speed = m_live->speed();
        const QJsonValue s = in.value(QLatin1String("speed"));
        if (!count(in, "liveCalls", 100000, &calls, &why))
            return error(400, QStringLiteral("validation_error"), why, QStringLiteral("liveCalls"));
        if (!s.isUndefined()) {
            speed = s.toDouble(-1);
            if (!s.isDouble() || speed < 0.01 || speed > 1000)
                return error(400, QStringLiteral("validation_error"),
                             QStringLiteral("speed must be a number from 0.01 to 1000"),
                             QStringLiteral("speed"));
        }
        m_live->setSpeed(speed);
        if (calls >= 0)
            m_live->setLiveCalls(int(calls));
        return noContent();
    }
    // stream/faults
    const QJsonValue dropAll = in.value(QLatin1String("dropAll"));
    if (!dropAll.isUndefined() && !dropAll.isBool())
        return error(400, QStringLiteral("validation_error"),
                     QStringLiteral("dropAll must be true or false"), QStringLiteral("dropAll"));
    qint64 stallMs = 0, malformed = 0;
    SimStreamFaults rates;
    if (!count(in, "stallMs", 3600000, &stallMs, &why) ||
        !count(in, "malformedNext", 1000000, &malformed, &why) ||
        !rate(in, "dropRate", &rates.dropRate, &why) ||
        !rate(in, "stallRate", &rates.stallRate, &why) ||
        !rate(in, "malformedRate", &rates.malformedRate, &why))
        return error(400, QStringLiteral("validation_error"), why);
    if (in.contains(QLatin1String("dropRate")) || in.contains(QLatin1String("stallRate")) ||
        in.contains(QLatin1String("malformedRate")))
        m_stream->setFaults(rates);
    if (malformed > 0)
        m_stream->malformedNext(int(malformed));
    if (stallMs > 0)
        m_stream->stallAll(int(stallMs));
    if (dropAll.toBool())
        m_stream->dropAll();
    return noContent();
}
