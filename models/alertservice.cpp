#include "alertservice.h"

#include "callcache.h"

#include <QLoggingCategory>

#include <algorithm>
#include <chrono>

namespace sb::models {

namespace {
Q_LOGGING_CATEGORY(lcAlerts, "switchboard.models")

using sb::api::CallStatus;
using sb::api::StreamEvent;

bool isFinalStatus(CallStatus s)
{
    return s == CallStatus::Completed || s == CallStatus::Failed || s == CallStatus::NoAnswer ||
           s == CallStatus::Busy || s == CallStatus::Canceled;
}

QString elide(const QString &text, int max = 120)
{
    return text.size() <= max ? text : text.left(max - 1) + QChar(0x2026);
}

qint64 eventSteadyMs(const StreamEvent &e)
{
    return e.receivedNs > 0 ? e.receivedNs / 1000000 : AlertService::steadyNowMs();
}
} // namespace

AlertService::AlertService(QObject *parent)
    : QObject(parent)
{
    m_keywordPatterns = m_rules.keywordPatterns();
    m_timer.setInterval(1000);
    connect(&m_timer, &QTimer::timeout, this, [this] { checkTimers(); });
    m_timer.start();
}

qint64 AlertService::steadyNowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

void AlertService::setRules(const AlertRules &rules)
{
    m_rules = rules;
    m_keywordPatterns = m_rules.keywordPatterns();
}

void AlertService::setCallTimeRate(double rate)
{
    m_rate = qBound(0.01, rate, 1000.0);
}

void AlertService::setCheckIntervalMs(int ms)
{
    if (ms <= 0) {
        m_timer.stop();
        return;
    }
    m_timer.start(ms);
}

void AlertService::setStreamConnected(bool connected)
{
    if (m_streamConnected == connected)
        return;
    m_streamConnected = connected;
    if (!connected)
        return;
    // Nothing was heard while the stream was down: that is not the callers' silence.
    const qint64 now = steadyNowMs();
    for (CallState &s : m_calls) {
        if (s.lastSpeechSteadyMs > 0)
            s.lastSpeechSteadyMs = qMax(s.lastSpeechSteadyMs, now);
    }
}

void AlertService::applyBatch(const QList<StreamEvent> &events)
{
    qint64 last = -1;
    for (const StreamEvent &e : events) {
        const qint64 steady = eventSteadyMs(e);
        last = qMax(last, steady);
        applyEvent(e, steady);
    }
    if (last >= 0)
        checkTimers(last);
}

void AlertService::checkTimers(qint64 steadyMs)
{
    if (steadyMs < 0)
        steadyMs = steadyNowMs();
    // checkCall may raise alerts, which never touch m_calls: iterating is safe.
    for (auto it = m_calls.begin(); it != m_calls.end(); ++it)
        checkCall(it.key(), it.value(), steadyMs);
}

qint64 AlertService::callNow(const CallState &s, qint64 steadyMs) const
{
    if (!s.clockRunning)
        return -1;
    const qint64 wall = qMax<qint64>(0, steadyMs - s.anchorSteadyMs);
    return s.anchorCallMs + qint64(double(wall) * m_rate);
}

void AlertService::setInProgress(CallState &s, qint64 steadyMs)
{
    s.inProgress = true;
    if (!s.clockRunning) {
        s.clockRunning = true;
        s.anchorCallMs = 0;
        s.anchorSteadyMs = steadyMs;
    }
    if (s.lastSpeechSteadyMs == 0)
        s.lastSpeechSteadyMs = steadyMs;
}

void AlertService::applyEvent(const StreamEvent &e, qint64 steadyMs)
{
    using Type = StreamEvent::Type;
    if (e.type == Type::CallStarted) {
        CallState &s = m_calls[e.call.id];
        if (e.call.status == CallStatus::InProgress)
            setInProgress(s, steadyMs);
        return;
    }
    if (e.type == Type::CallEnded) {
        applyCallEnded(e.call, steadyMs);
        return;
    }
    if (!e.isCallEvent())
        return;
    CallState &s = m_calls[e.callId];
    if (e.seq <= s.lastSeq)
        return; // the stream already drops these; a replayed batch must not fire twice either
    s.lastSeq = e.seq;

    switch (e.type) {
    case Type::Transcript: {
        if (!s.clockRunning) {
            s.clockRunning = true;
            s.anchorCallMs = e.line.startMs;
            s.anchorSteadyMs = steadyMs;
        }
        // Call time moves on with what was said: a final line ends at its endMs.
        const qint64 said = e.isFinal ? qMax(e.line.endMs, e.line.startMs) : e.line.startMs;
        s.anchorCallMs = qMax(callNow(s, steadyMs), said);
        s.anchorSteadyMs = steadyMs;
        s.lastSpeechSteadyMs = steadyMs;
        s.silenceFired = false;
        if (e.isFinal) {
            for (int i = 0; i < m_keywordPatterns.size(); ++i) {
                const QRegularExpressionMatch m = m_keywordPatterns.at(i).match(e.line.text);
                if (!m.hasMatch())
                    continue;
                const QString key = m.captured(0).simplified().toCaseFolded();
                if (s.keywordsFired.contains(key))
                    continue;
                s.keywordsFired.insert(key);
                raise(e.callId, AlertRule::keyword(),
                      tr("\u201c%1\u201d: %2").arg(m.captured(0), elide(e.line.text)),
                      callNow(s, steadyMs));
            }
        }
        break;
    }
    case Type::Sentiment:
        if (e.sentiment == sb::api::Sentiment::Negative) {
            if (!s.negative) {
                s.negative = true;
                s.negativeFired = false;
                s.negativeSinceCallMs = qMax<qint64>(0, callNow(s, steadyMs));
            }
        } else if (e.sentiment != sb::api::Sentiment::None &&
                   e.sentiment != sb::api::Sentiment::Unknown) {
            checkCall(e.callId, s, steadyMs); // a spell that just ended may have been long enough
            s.negative = false;
        }
        break;
    case Type::ToolCall:
        if (m_rules.transfers && e.tool == QLatin1String("transfer_to_human") && !s.transferFired) {
            s.transferFired = true;
            const QString reason = e.args.toObject().value(QLatin1String("reason")).toString();
            raise(e.callId, AlertRule::transfer(),
                  reason.isEmpty()
                      ? tr("The agent is transferring the call to a person")
                      : tr("The agent is transferring the call to a person: %1").arg(elide(reason)),
                  callNow(s, steadyMs));
        }
        break;
    case Type::ToolResult:
        if (m_rules.toolErrors) {
            const QString error = AlertRules::toolResultError(e.result);
            if (!error.isEmpty())
                raise(e.callId, AlertRule::toolError(),
                      tr("%1 failed: %2").arg(e.tool, elide(error)), callNow(s, steadyMs));
        }
        break;
    case Type::Status:
        if (e.status == CallStatus::InProgress)
            setInProgress(s, steadyMs);
        else if (isFinalStatus(e.status))
            s.inProgress = false;
        break;
    default:
        break;
    }
    checkCall(e.callId, s, steadyMs);
}

void AlertService::applyCallEnded(const sb::api::Call &call, qint64 steadyMs)
{
    auto it = m_calls.find(call.id);
    if (it != m_calls.end()) {
        checkCall(call.id, *it, steadyMs);
        it->inProgress = false;
    }
    const bool fired = it != m_calls.end() && it->transferFired;
    if (m_rules.transfers && call.endReason == sb::api::EndReason::Transfer && !fired)
        raise(call.id, AlertRule::transfer(), tr("The call ended with a transfer"), -1);
    if (it != m_calls.end())
        m_calls.erase(it);
}

void AlertService::checkCall(const QString &callId, CallState &s, qint64 steadyMs)
{
    if (!m_streamConnected)
        return;
    const qint64 now = callNow(s, steadyMs);
    const int held = m_rules.negativeSentimentSeconds;
    if (held > 0 && s.negative && !s.negativeFired && now >= 0 &&
        now - s.negativeSinceCallMs >= qint64(held) * 1000) {
        s.negativeFired = true;
        const int seconds = int((now - s.negativeSinceCallMs) / 1000);
        raise(callId, AlertRule::negativeSentiment(),
              tr("The caller has been negative for %n second(s)", "", seconds), now);
    }
    const int quiet = m_rules.silenceSeconds;
    if (quiet > 0 && s.inProgress && !s.silenceFired && s.lastSpeechSteadyMs > 0) {
        const qint64 silentMs = qint64(double(steadyMs - s.lastSpeechSteadyMs) * m_rate);
        const qint64 delayMs = m_transcriptDelay ? m_transcriptDelay() : 0;
        if (silentMs >= qint64(quiet) * 1000 + qint64(double(delayMs) * m_rate)) {
            s.silenceFired = true;
            raise(callId, AlertRule::silence(),
                  tr("Nobody has spoken for %n second(s)", "", int(silentMs / 1000)), now);
        }
    }
}

void AlertService::raise(const QString &callId, const QString &rule, const QString &detail,
                         qint64 callMs)
{
    Alert a;
    a.id = m_nextId++;
    a.callId = callId;
    a.rule = rule;
    a.detail = detail;
    a.at = QDateTime::currentDateTimeUtc();
    a.callMs = callMs;
    m_alerts.append(a);
    m_openByCall[callId].append(a.id);
    qCDebug(lcAlerts) << "alert" << a.id << rule << "on" << callId;
    while (m_alerts.size() > m_maxAlerts) {
        const Alert old = m_alerts.takeFirst();
        m_cacheIdById.remove(old.id);
        auto open = m_openByCall.find(old.callId);
        if (open != m_openByCall.end()) {
            open->removeOne(old.id);
            if (open->isEmpty())
                m_openByCall.erase(open);
            if (old.callId != callId)
                refreshSeverity(old.callId);
        }
    }
    if (m_sink)
        m_sink(a);
    if (m_cache) {
        m_cachePending.append(a.id);
        m_cache->appendAlert(AlertRecord{0, a.callId, a.rule, a.detail, a.at, {}, {}});
    }
    Q_EMIT alertRaised(a);
    refreshSeverity(callId);
}

Alert AlertService::alert(qint64 id) const
{
    const auto it = std::lower_bound(m_alerts.cbegin(), m_alerts.cend(), id,
                                     [](const Alert &a, qint64 v) { return a.id < v; });
    return it != m_alerts.cend() && it->id == id ? *it : Alert{};
}

bool AlertService::acknowledge(qint64 id, const QString &who, const QDateTime &at)
{
    auto it = std::lower_bound(m_alerts.begin(), m_alerts.end(), id,
                               [](const Alert &a, qint64 v) { return a.id < v; });
    if (it == m_alerts.end() || it->id != id || it->isAcknowledged())
        return false;
    it->acknowledgedBy = who;
    it->acknowledgedAt = at.isValid() ? at.toUTC() : QDateTime::currentDateTimeUtc();
    const Alert a = *it;
    auto open = m_openByCall.find(a.callId);
    if (open != m_openByCall.end()) {
        open->removeOne(id);
        if (open->isEmpty())
            m_openByCall.erase(open);
    }
    if (m_sink)
        m_sink(a);
    acknowledgeInCache(a);
    Q_EMIT alertAcknowledged(a);
    refreshSeverity(a.callId);
    return true;
}

void AlertService::setCache(CallCache *cache)
{
    if (m_cache)
        disconnect(m_cache, nullptr, this, nullptr);
    m_cache = cache;
    m_cachePending.clear();
    if (cache)
        connect(cache, &CallCache::alertAppended, this, &AlertService::onCacheAppended);
}

void AlertService::onCacheAppended(const AlertRecord &record)
{
    // The cache stores in order: the first of ours still waiting is this one.
    if (m_cachePending.isEmpty())
        return;
    const Alert a = alert(m_cachePending.constFirst());
    if (a.id != 0 && (a.callId != record.callId || a.rule != record.rule))
        return; // someone else's alert
    m_cachePending.removeFirst();
    if (a.id == 0)
        return;
    m_cacheIdById.insert(a.id, record.id);
    if (a.isAcknowledged())
        acknowledgeInCache(a); // acknowledged before the cache had numbered it
}

void AlertService::acknowledgeInCache(const Alert &alert)
{
    const qint64 cacheId = m_cacheIdById.value(alert.id, 0);
    if (m_cache && cacheId > 0)
        m_cache->acknowledgeAlert(cacheId, alert.acknowledgedBy, alert.acknowledgedAt);
}

AlertSeverity AlertService::highestUnacknowledged(const QString &callId) const
{
    return m_severity.value(callId, AlertSeverity::None);
}

void AlertService::refreshSeverity(const QString &callId)
{
    AlertSeverity highest = AlertSeverity::None;
    for (qint64 id : m_openByCall.value(callId)) {
        const AlertSeverity s = AlertRules::severityOf(alert(id).rule);
        if (int(s) > int(highest))
            highest = s;
    }
    const AlertSeverity before = m_severity.value(callId, AlertSeverity::None);
    if (highest == before)
        return;
    if (highest == AlertSeverity::None)
        m_severity.remove(callId);
    else
        m_severity.insert(callId, highest);
    Q_EMIT callSeverityChanged(callId, highest);
}

} // namespace sb::models
