#include "simlive_p.h"

#include "simjson.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QTimer>

#include <algorithm>

Q_LOGGING_CATEGORY(lcSimLive, "switchboard.sim.live")

SimLiveEngine::~SimLiveEngine() = default;

void SimLiveEngine::setLiveCalls(int n)
{
    m_target = qMax(0, n);
    for (int i = 0; i < m_orgs.size(); ++i) {
        // The second organization gets about as many as its share of the history (1 in 12).
        m_orgs[i].target = i == 0 ? m_target : (m_target > 0 ? (m_target + 10) / 11 : 0);
    }
    topUp();
}

void SimLiveEngine::setSpeed(double speed)
{
    m_speed = qBound(0.01, speed, 1000.0);
}

int SimLiveEngine::activeCalls() const
{
    int n = 0;
    for (const auto &c : m_calls)
        n += c->ended ? 0 : 1;
    return n;
}

void SimLiveEngine::forget(const QString &callId)
{
    const auto c = m_calls.take(callId);
    if (!c)
        return;
    if (!c->ended && c->orgIndex >= 0)
        --m_orgs[c->orgIndex].running;
    if (onCallDropped)
        onCallDropped(callId);
}

std::optional<SimLiveBuffer> SimLiveEngine::buffer(const QString &callId) const
{
    const auto it = m_calls.constFind(callId);
    if (it == m_calls.constEnd())
        return std::nullopt;
    const SimLiveCall &c = **it;
    return SimLiveBuffer{c.row.org, c.ended, c.seq, &c.events};
}

std::optional<QJsonObject> SimLiveEngine::liveDetails(const QString &callId) const
{
    const auto it = m_calls.constFind(callId);
    if (it == m_calls.constEnd() || (*it)->ended)
        return std::nullopt;
    const SimLiveCall &c = **it;
    return QJsonObject{{QStringLiteral("transcript"), c.transcript},
                       {QStringLiteral("sentimentTimeline"), c.timeline},
                       {QStringLiteral("toolCalls"), c.toolCalls},
                       {QStringLiteral("summary"), QJsonValue()}};
}

void SimLiveEngine::tick()
{
    const qint64 now = m_clock.elapsed();
    const double dt = double(now - m_lastTickMs) * m_speed;
    m_lastTickMs = now;
    QStringList dropped;
    for (auto it = m_calls.begin(); it != m_calls.end(); ++it) {
        SimLiveCall &c = **it;
        c.clockMs += dt;
        if (c.ended) {
            if (c.clockMs - c.endedAtMs >= kKeepEndedMs)
                dropped.append(it.key());
            continue;
        }
        while (!c.ended && c.next < c.steps.size() && double(c.steps[c.next].at) <= c.clockMs)
            fire(c, int(c.next++));
    }
    for (const QString &id : std::as_const(dropped)) {
        m_calls.remove(id);
        if (onCallDropped)
            onCallDropped(id);
    }
    topUp();
}

void SimLiveEngine::emitEvent(SimLiveCall &c, QJsonObject event)
{
    event.insert(QStringLiteral("callId"), c.row.id);
    event.insert(QStringLiteral("seq"), ++c.seq);
    QByteArray head = QJsonDocument(event).toJson(QJsonDocument::Compact);
    head.chop(1); // the closing brace: "ts" is added when it is sent
    c.events.push_back({c.seq, head});
    while (c.events.size() > size_t(m_replayLimit))
        c.events.pop_front();
    if (onCallEvent)
        onCallEvent(c.row.id, c.events.back());
}

void SimLiveEngine::announce(const SimLiveCall &c, const char *type)
{
    if (!onChannelEvent || !callJson)
        return;
    QByteArray head = QJsonDocument(QJsonObject{{QStringLiteral("type"), QLatin1String(type)},
                                                {QStringLiteral("call"), callJson(c.row)}})
                          .toJson(QJsonDocument::Compact);
    head.chop(1);
    onChannelEvent(c.row.org, head);
}

void SimLiveEngine::setStatus(SimLiveCall &c, const QString &status)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    c.row.status = status;
    if (status == QLatin1String("in_progress"))
        c.row.startedAt = now;
    c.row.updatedAt = now;
    ++c.row.version;
    m_store->updateCall(c.row);
    emitEvent(c, {{QStringLiteral("type"), QStringLiteral("status")},
                  {QStringLiteral("status"), status}});
}

void SimLiveEngine::fire(SimLiveCall &c, int index)
{
    const SimLiveStep &s = c.steps[size_t(index)];
    switch (s.kind) {
    case SimLiveStep::Ringing:
        setStatus(c, QStringLiteral("ringing"));
        return;
    case SimLiveStep::Answer:
        setStatus(c, QStringLiteral("in_progress"));
        return;
    case SimLiveStep::Word:
    case SimLiveStep::Final: {
        const SimLine &l = c.dialogue.lines.at(s.index);
        const bool final = s.kind == SimLiveStep::Final;
        QJsonObject e{
            {QStringLiteral("type"), QStringLiteral("transcript")},
            {QStringLiteral("role"), l.agent ? QStringLiteral("agent") : QStringLiteral("caller")},
            {QStringLiteral("text"),
             final ? l.text : l.text.section(QLatin1Char(' '), 0, s.words - 1)},
            {QStringLiteral("final"), final},
            {QStringLiteral("startMs"), l.startMs}};
        if (final) {
            e.insert(QStringLiteral("endMs"), l.endMs);
            e.insert(QStringLiteral("sentiment"), l.sentiment);
            QJsonObject line = e;
            line.remove(QStringLiteral("type"));
            line.remove(QStringLiteral("final"));
            c.transcript.append(line);
        }
        emitEvent(c, e);
        return;
    }
    case SimLiveStep::Mood: {
        const SimLiveMood &m = c.dialogue.moods.at(s.index);
        c.timeline.append(QJsonObject{{QStringLiteral("atMs"), m.atMs},
                                      {QStringLiteral("label"), m.label},
                                      {QStringLiteral("score"), m.score}});
        emitEvent(c, {{QStringLiteral("type"), QStringLiteral("sentiment")},
                      {QStringLiteral("label"), m.label},
                      {QStringLiteral("score"), m.score}});
        return;
    }
    case SimLiveStep::ToolCall: {
        const SimLiveTool &t = c.dialogue.tools.at(s.index);
        c.toolCalls.append(QJsonObject{{QStringLiteral("tool"), t.tool},
                                       {QStringLiteral("args"), t.args},
                                       {QStringLiteral("atMs"), t.atMs}});
        emitEvent(c, {{QStringLiteral("type"), QStringLiteral("tool_call")},
                      {QStringLiteral("tool"), t.tool},
                      {QStringLiteral("args"), t.args}});
        return;
    }
    case SimLiveStep::ToolResult: {
        const SimLiveTool &t = c.dialogue.tools.at(s.index);
        QJsonObject entry = c.toolCalls.at(s.index).toObject();
        entry.insert(QStringLiteral("result"), t.result);
        c.toolCalls.replace(s.index, entry);
        emitEvent(c, {{QStringLiteral("type"), QStringLiteral("tool_result")},
                      {QStringLiteral("tool"), t.tool},
                      {QStringLiteral("result"), t.result}});
        return;
    }
    case SimLiveStep::End:
        finish(c, c.finalStatus);
        return;
    }
}

void SimLiveEngine::finish(SimLiveCall &c, const QString &status)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    SimCallRow &r = c.row;
    r.status = status;
    r.endedAt = now;
    r.updatedAt = now;
    ++r.version;
    if (c.answerAt >= 0) {
        const SimLiveDialogue &d = c.dialogue;
        r.duration = d.durationSec;
        r.endReason = d.endReason;
        r.sentiment = d.sentiment;
        r.sentimentScore = d.score;
        r.hasScore = true;
        r.hasRecording = true;
        m_store->setCallDetails(r.id, {{QStringLiteral("transcript"), c.transcript},
                                       {QStringLiteral("sentimentTimeline"), c.timeline},
                                       {QStringLiteral("toolCalls"), c.toolCalls},
                                       {QStringLiteral("summary"), d.summary}});
    } else {
        r.endReason = status == QLatin1String("failed") ? QStringLiteral("error")
                                                        : QStringLiteral("no_answer");
    }
    m_store->updateCall(r);
    c.ended = true;
    c.endedAtMs = c.clockMs;
    if (c.orgIndex >= 0)
        --m_orgs[c.orgIndex].running;
    emitEvent(c, {{QStringLiteral("type"), QStringLiteral("status")},
                  {QStringLiteral("status"), status}});
    announce(c, "call.ended");
    qCDebug(lcSimLive) << "call" << r.id << status << r.endReason;
}
