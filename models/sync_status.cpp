// SyncService, the status half: state and staleness as the status bar shows them.
#include "syncservice.h"

#include <QLocale>

#include <algorithm>

namespace sb::models {

QString SyncService::cachedFrom(const QDateTime &now) const
{
    const QDateTime last = lastSyncAt();
    if (!last.isValid())
        return {};
    // Today: the time alone; earlier: date and time.
    const QLocale locale;
    return last.date() == now.toLocalTime().date()
               ? locale.toString(last.time(), QLocale::ShortFormat)
               : locale.toString(last, QLocale::ShortFormat);
}

QString SyncService::stalenessText(const QDateTime &now) const
{
    const QDateTime last = lastSyncAt();
    const QString when = cachedFrom(now);
    if (m_state == State::Offline)
        return when.isEmpty() ? tr("Offline — no cached calls yet")
                              : tr("Offline — showing cached data from %1").arg(when);
    if (m_state == State::Failed)
        return when.isEmpty() ? tr("Sync failed — no cached calls yet")
                              : tr("Sync failed — showing cached data from %1").arg(when);
    if (!last.isValid())
        return tr("Not synced yet");
    const qint64 secs = std::max<qint64>(0, last.secsTo(now));
    if (secs < 60)
        return tr("Updated just now");
    if (secs < 3600)
        return tr("Updated %n min ago", nullptr, int(secs / 60));
    if (secs < 24 * 3600)
        return tr("Updated %n h ago", nullptr, int(secs / 3600));
    return tr("Updated %1").arg(when);
}

QString SyncService::stateText(const QDateTime &now) const
{
    switch (m_state) {
    case State::FullSync:
        return tr("Downloading call history: %n call(s) so far", nullptr, int(fullSyncCalls()));
    case State::Incremental:
        return tr("Checking for changed calls…");
    case State::Failed: {
        const QString when = cachedFrom(now);
        if (!m_error.isError())
            break;
        return when.isEmpty() ? tr("Sync failed: %1").arg(m_error.caption())
                              : tr("Sync failed: %1 — showing cached data from %2")
                                    .arg(m_error.caption(), when);
    }
    case State::Idle:
    case State::UpToDate:
    case State::Offline:
        break;
    }
    return stalenessText(now);
}

} // namespace sb::models
