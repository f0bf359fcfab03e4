#include "ratelimiter.h"

#include "logging.h"

#include <QDateTime>
#include <QLocale>
#include <QTimeZone>

#include <algorithm>
#include <cmath>

namespace sb::api {

namespace {
// Share of the server's limit we use steadily; the rest is the burst, so that burst + one
// minute of refill never exceeds the server's per-minute limit.
constexpr double kSteadyShare = 0.9;
constexpr double kInteractiveReserveShare = 0.2;
constexpr qint64 kMaxRetryAfterMs = 3600 * 1000;
constexpr qint64 kWindowMs = 60 * 1000; // the server's rate window (CONTRACT 1.4: per minute)
} // namespace

RateLimiter::RateLimiter(Clock clock, QObject *parent)
    : QObject(parent)
    , m_clock(std::move(clock))
{
    if (!m_clock)
        m_clock = [] { return QDateTime::currentMSecsSinceEpoch(); };
    m_lastRefillMs = now();
    m_tokens = capacity();
    m_wakeTimer.setSingleShot(true);
    m_wakeTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_wakeTimer, &QTimer::timeout, this, &RateLimiter::pump);
}

qint64 RateLimiter::now() const
{
    return m_clock();
}

void RateLimiter::setServerLimit(int perMinute)
{
    if (perMinute <= 0 || perMinute == m_serverLimit)
        return;
    refill();
    const bool raised = perMinute > m_serverLimit;
    m_serverLimit = perMinute;
    // A raised limit gives its larger burst at once; a lowered one caps what is left.
    m_tokens = raised ? capacity() : std::min(m_tokens, capacity());
    qCDebug(lcApi) << "rate limit now" << perMinute << "per minute";
    pump();
}

double RateLimiter::ratePerMinute() const
{
    return m_serverLimit * kSteadyShare;
}

double RateLimiter::capacity() const
{
    return std::max(1.0, std::floor(m_serverLimit - ratePerMinute()));
}

double RateLimiter::tokens() const
{
    refill();
    return m_tokens;
}

void RateLimiter::refill() const
{
    const qint64 t = now();
    if (t > m_lastRefillMs) {
        m_tokens =
            std::min(capacity(), m_tokens + (t - m_lastRefillMs) * ratePerMinute() / 60000.0);
    }
    m_lastRefillMs = std::max(m_lastRefillMs, t);
}

double RateLimiter::reserveFor(Lane lane) const
{
    return lane == Lane::Background ? std::floor(capacity() * kInteractiveReserveShare) : 0.0;
}

qint64 RateLimiter::msUntilAvailable(Lane lane) const
{
    refill();
    const qint64 t = now();
    qint64 blockedUntil = m_pausedUntilMs;
    if (m_serverRemaining == 0 && m_serverResetMs > t)
        blockedUntil = std::max(blockedUntil, m_serverResetMs);
    qint64 wait = std::max<qint64>(0, blockedUntil - t);
    const double missing = 1.0 + reserveFor(lane) - m_tokens - wait * ratePerMinute() / 60000.0;
    if (missing > 1e-9)
        wait += static_cast<qint64>(std::ceil(missing * 60000.0 / ratePerMinute()));
    return wait;
}

bool RateLimiter::tryAcquire(Lane lane)
{
    if (msUntilAvailable(lane) > 0)
        return false;
    m_tokens -= 1.0;
    if (m_serverRemaining > 0)
        --m_serverRemaining;
    return true;
}

void RateLimiter::updateFromHeaders(const QByteArray &limit, const QByteArray &remaining,
                                    const QByteArray &reset)
{
    bool okLimit = false, okRemaining = false, okReset = false;
    const int l = limit.trimmed().toInt(&okLimit);
    const int r = remaining.trimmed().toInt(&okRemaining);
    const qint64 s = reset.trimmed().toLongLong(&okReset);
    if (!okLimit && !okRemaining && !okReset)
        return;
    if (okLimit && l > 0)
        setServerLimit(l);
    if (okReset && s >= 0) {
        // Epoch seconds per the contract; a small number can only be a delta. The window is one
        // minute, so a later reset can only come from clock skew (or garbage): waiting for it
        // would stall every request for as long as the clocks disagree.
        const qint64 t = now();
        const qint64 latest = t + kWindowMs;
        if (s > 1000000000LL)
            m_serverResetMs = s > latest / 1000 ? latest : std::min(s * 1000, latest);
        else
            m_serverResetMs = t + std::min<qint64>(s, kWindowMs / 1000) * 1000;
    }
    if (okRemaining && r >= 0) {
        m_serverRemaining = r;
        refill();
        // The server knows about requests we did not make (another client with the same key).
        m_tokens = std::min(m_tokens, static_cast<double>(r));
    }
    emitBudget();
    pump();
}

void RateLimiter::pauseUntil(qint64 epochMs)
{
    if (epochMs <= m_pausedUntilMs)
        return;
    m_pausedUntilMs = epochMs;
    qCInfo(lcApi) << "pausing all requests for" << (epochMs - now()) << "ms (server asked)";
    emitBudget();
    pump();
}

RateBudget RateLimiter::budget() const
{
    RateBudget b;
    b.limit = m_serverLimit;
    b.remaining = m_serverRemaining >= 0 ? m_serverRemaining : static_cast<int>(tokens());
    b.resetAtMs = m_serverResetMs;
    const qint64 t = now();
    qint64 paused = m_pausedUntilMs > t ? m_pausedUntilMs : 0;
    if (m_serverRemaining == 0 && m_serverResetMs > t)
        paused = std::max(paused, m_serverResetMs);
    b.pausedUntilMs = paused;
    return b;
}

void RateLimiter::emitBudget()
{
    Q_EMIT budgetChanged(budget());
}

quint64 RateLimiter::enqueue(Lane lane, std::function<void()> grant)
{
    const quint64 id = m_nextTicket++;
    m_queue[lane == Lane::Background ? 1 : 0].append(Ticket{id, lane, std::move(grant)});
    pump();
    return id;
}

void RateLimiter::remove(quint64 ticket)
{
    for (auto &queue : m_queue) {
        queue.removeIf([ticket](const Ticket &t) { return t.id == ticket; });
    }
}

int RateLimiter::queuedCount() const
{
    return static_cast<int>(m_queue[0].size() + m_queue[1].size());
}

void RateLimiter::pump()
{
    if (m_pumping)
        return; // a grant enqueued more work; the outer loop takes it
    m_pumping = true;
    for (;;) {
        const int lane = !m_queue[0].isEmpty() ? 0 : (!m_queue[1].isEmpty() ? 1 : -1);
        if (lane < 0 || !tryAcquire(lane == 0 ? Lane::Interactive : Lane::Background))
            break;
        Ticket ticket = m_queue[lane].takeFirst();
        ticket.grant();
    }
    m_pumping = false;
    const int lane = !m_queue[0].isEmpty() ? 0 : (!m_queue[1].isEmpty() ? 1 : -1);
    if (lane < 0) {
        m_wakeTimer.stop();
        return;
    }
    const qint64 wait = msUntilAvailable(lane == 0 ? Lane::Interactive : Lane::Background);
    m_wakeTimer.start(static_cast<int>(std::clamp<qint64>(wait, 1, kMaxRetryAfterMs)));
}

std::optional<qint64> RateLimiter::parseRetryAfter(const QByteArray &value, qint64 nowMs)
{
    const QByteArray v = value.trimmed();
    if (v.isEmpty())
        return std::nullopt;
    bool allDigits = true;
    for (const char c : v)
        allDigits = allDigits && c >= '0' && c <= '9';
    if (allDigits) {
        if (v.size() > 9)
            return kMaxRetryAfterMs; // absurdly long: clamp instead of overflowing
        return std::min(v.toLongLong() * 1000, kMaxRetryAfterMs);
    }
    // HTTP-date: IMF-fixdate, obsolete RFC 850 and asctime forms (RFC 9110 §5.6.7).
    const QString text = QString::fromLatin1(v).simplified();
    const QLocale c = QLocale::c();
    QDateTime when = c.toDateTime(text, QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
    if (!when.isValid()) {
        // RFC 850: drop the weekday, which Qt would check against a 19xx date.
        const qsizetype comma = text.indexOf(QLatin1Char(','));
        if (comma > 0) {
            when = c.toDateTime(text.mid(comma + 1).trimmed(),
                                QStringLiteral("dd-MMM-yy HH:mm:ss 'GMT'"));
        }
    }
    if (!when.isValid())
        when = c.toDateTime(text, QStringLiteral("ddd MMM d HH:mm:ss yyyy"));
    if (!when.isValid())
        return std::nullopt;
    if (when.date().year() < 1970)
        when = when.addYears(100); // two-digit RFC 850 years
    when.setTimeZone(QTimeZone::utc());
    return std::clamp<qint64>(when.toMSecsSinceEpoch() - nowMs, 0, kMaxRetryAfterMs);
}

} // namespace sb::api
