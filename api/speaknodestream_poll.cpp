// SpeakNodeStream's polling half: which subscribed calls are due, and the diff of a polled
// history against what was already emitted.

#include "speaknodestream.h"

#include "logging.h"
#include "platform.h"
#include "session.h"

#include <QDateTime>

#include <algorithm>

namespace sb::api {

namespace {

bool isFinalStatus(CallStatus s)
{
    return s == CallStatus::Completed || s == CallStatus::Failed || s == CallStatus::NoAnswer ||
           s == CallStatus::Busy || s == CallStatus::Canceled;
}

// A line's place: SpeakNode's history items keep it while the call runs.
QString keyOf(const TranscriptLine &l)
{
    return QString::number(l.startMs) + QLatin1Char('|') + QString::number(int(l.role));
}

// What a line says: a line already sent may still change (e.g. marked interrupted once the
// caller cut in), and is then sent again under the same key.
size_t contentOf(const TranscriptLine &l)
{
    return qHashMulti(0, l.text, l.endMs, l.interrupted, int(l.sentiment),
                      l.confidence ? qint64(*l.confidence * 1e6) : qint64(-1));
}

} // namespace

void SpeakNodeStream::tick()
{
    if (!platform())
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const Intervals intervals = this->intervals();
    int inFlight = 0;
    for (const Tracked &t : std::as_const(m_tracked))
        inFlight += t.inFlight ? 1 : 0;
    // Earliest due first, so that with a tight budget every call gets its turn: the watched
    // call is due its own (shorter) interval after its last poll, the others theirs.
    const QString watched = watchedCall();
    QList<QPair<qint64, QString>> due;
    for (auto it = m_tracked.cbegin(); it != m_tracked.cend(); ++it) {
        const Tracked &t = *it;
        if (t.inFlight || !wantsPolling(t))
            continue;
        // An ended call's last poll and a first look do not wait for the interval.
        const bool urgent = t.lastPollMs == 0;
        const qint64 dueAt = urgent ? 0
                                    : t.lastPollMs + (it.key() == watched ? intervals.watchedMs
                                                                          : intervals.othersMs);
        if (dueAt <= now)
            due.append({dueAt, it.key()});
    }
    std::sort(due.begin(), due.end());
    // A bucket of its own keeps polling within its share of the budget whatever is due (first
    // looks and last polls included); the Session's limiter still has the final word.
    const RateLimiter *limiter = platform()->session()->rateLimiter();
    const double perMs = limiter->ratePerMinute() * m_poll.budgetShare / 60000.0;
    if (m_pollTokensAtMs > 0)
        m_pollTokens =
            std::min(m_poll.burst, m_pollTokens + double(now - m_pollTokensAtMs) * perMs);
    m_pollTokensAtMs = now;
    for (const auto &d : std::as_const(due)) {
        if (inFlight >= m_poll.maxInFlight || m_pollTokens < 1.0)
            break;
        m_pollTokens -= 1.0;
        poll(d.second);
        ++inFlight;
    }
}

void SpeakNodeStream::poll(const QString &callId)
{
    Tracked &t = m_tracked[callId];
    t.inFlight = true;
    t.lastPollMs = QDateTime::currentMSecsSinceEpoch();
    ++m_pollsSent;
    // Background lane: the person's own requests go first when the budget is tight.
    platform()
        ->callDetails(callId, Lane::Background)
        .onFinished(this, [this, callId](const Result<CallDetails> &result) {
            const auto it = m_tracked.find(callId);
            if (it == m_tracked.end())
                return; // unsubscribed meanwhile
            it->inFlight = false;
            it->lastPollMs = QDateTime::currentMSecsSinceEpoch();
            if (!result) {
                qCInfo(lcStream).noquote() << "speaknode: poll failed:" << result.error().caption();
                Q_EMIT backfillFailed(callId, result.error());
                if (result.error().kind == ApiError::Kind::NotFound) {
                    // Gone (or never ours): nothing will come of polling it again.
                    it->known = true;
                    it->status = CallStatus::Unknown;
                    it->finalPending = false;
                }
                return;
            }
            polled(callId, result.value());
        });
}

void SpeakNodeStream::polled(const QString &callId, const CallDetails &d)
{
    Tracked &t = m_tracked[callId];
    const QList<TranscriptLine> &lines = d.transcript;
    bool rewritten = lines.size() < t.lineKeys.size();
    for (qsizetype i = 0; !rewritten && i < t.lineKeys.size(); ++i)
        rewritten = keyOf(lines.at(i)) != t.lineKeys.at(i);
    if (t.restart || rewritten) {
        // Nothing to diff against (or the history changed shape): the models merge a snapshot
        // without showing a line twice; the diff continues from here.
        t.restart = false;
        t.lineKeys.clear();
        t.lineContents.clear();
        for (const TranscriptLine &l : lines) {
            t.lineKeys.append(keyOf(l));
            t.lineContents.append(contentOf(l));
        }
        t.tools = int(d.toolCalls.size());
        t.results.clear();
        for (int i = 0; i < d.toolCalls.size(); ++i) {
            if (!d.toolCalls.at(i).result.isUndefined())
                t.results.insert(i);
        }
        t.points = int(d.sentimentTimeline.size());
        Q_EMIT snapshotReady(CallSnapshot{callId, BackfillReason::NotLive, d});
    } else {
        // New lines, tool calls, results and estimate points, merged in call time.
        struct Item
        {
            qint64 atMs;
            int order; // keeps a tool call before its result and a line before its estimate
            StreamEvent event;
        };
        QList<Item> items;
        for (qsizetype i = 0; i < lines.size(); ++i) {
            const size_t content = contentOf(lines.at(i));
            if (i < t.lineKeys.size()) {
                if (t.lineContents.at(i) == content)
                    continue; // sent as it is
                t.lineContents[i] = content;
            } else {
                t.lineKeys.append(keyOf(lines.at(i)));
                t.lineContents.append(content);
            }
            StreamEvent e;
            e.type = StreamEvent::Type::Transcript;
            e.line = lines.at(i);
            e.isFinal = true;
            items.append({e.line.startMs, 0, e});
        }
        for (qsizetype i = 0; i < d.toolCalls.size(); ++i) {
            const ToolCall &c = d.toolCalls.at(i);
            if (i >= t.tools) {
                StreamEvent e;
                e.type = StreamEvent::Type::ToolCall;
                e.tool = c.tool;
                e.args = c.args;
                items.append({c.atMs, 1, e});
            }
            if (!c.result.isUndefined() && !t.results.contains(int(i))) {
                StreamEvent e;
                e.type = StreamEvent::Type::ToolResult;
                e.tool = c.tool;
                e.result = c.result;
                items.append({c.atMs, 2, e});
                t.results.insert(int(i));
            }
        }
        for (qsizetype i = t.points; i < d.sentimentTimeline.size(); ++i) {
            const SentimentPoint &p = d.sentimentTimeline.at(i);
            StreamEvent e;
            e.type = StreamEvent::Type::Sentiment;
            e.sentiment = p.label;
            e.score = p.score;
            items.append({p.atMs, 3, e});
        }
        std::stable_sort(items.begin(), items.end(), [](const Item &a, const Item &b) {
            return a.atMs != b.atMs ? a.atMs < b.atMs : a.order < b.order;
        });
        for (Item &item : items) {
            StreamEvent e = std::move(item.event);
            const StreamEvent stamped = callEvent(e.type, callId, t);
            e.callId = stamped.callId;
            e.seq = stamped.seq;
            e.serverTsMs = stamped.serverTsMs;
            queue(std::move(e));
        }
        t.tools = int(std::max<qsizetype>(t.tools, d.toolCalls.size()));
        t.points = int(std::max<qsizetype>(t.points, d.sentimentTimeline.size()));
    }
    // The status REST reports: the hub may have been away when it changed.
    const CallStatus status = d.call.status;
    if (t.finalPending && !isFinalStatus(status))
        return; // the hub said it ended: REST lags; polled again, the timer sends the Status
    t.finalPending = false;
    if (status != CallStatus::Unknown)
        emitStatus(callId, t, status);
}

} // namespace sb::api
