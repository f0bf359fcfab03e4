#include "notifier.h"

#include "callwallpalette.h"

#include "models/alertrules.h"
#include "models/settings.h"

#include <QCoreApplication>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QLoggingCategory>
#include <QSystemTrayIcon>

Q_LOGGING_CATEGORY(lcNotifier, "switchboard.ui")

namespace sb::ui {

namespace {
const QString kService = QStringLiteral("org.freedesktop.Notifications");
const QString kPath = QStringLiteral("/org/freedesktop/Notifications");
} // namespace

Notifier::Notifier(sb::models::Settings *settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
{
    m_clock.start();
    m_summaryTimer.setSingleShot(true);
    connect(&m_summaryTimer, &QTimer::timeout, this, &Notifier::flushSummary);
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (bus.isConnected())
        bus.connect(kService, kPath, kService, QStringLiteral("ActionInvoked"), this,
                    SLOT(onActionInvoked(uint, QString)));
}

Notifier::~Notifier()
{
    delete m_tray;
}

void Notifier::setRateLimit(int count, int windowMs)
{
    m_limit = qMax(1, count);
    m_windowMs = qMax(1, windowMs);
}

bool Notifier::enabled() const
{
    return !m_settings || m_settings->alertNotifications();
}

Notifier::Backend Notifier::backend() const
{
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (bus.isConnected() && bus.interface() &&
        bus.interface()->isServiceRegistered(kService).value())
        return Backend::DBus;
    if (QSystemTrayIcon::isSystemTrayAvailable())
        return Backend::Tray;
    return Backend::None;
}

bool Notifier::notifyAlert(const sb::models::Alert &alert, const QString &callText)
{
    using sb::models::AlertRules;
    const QString title = tr("%1 alert: %2")
                              .arg(AlertRules::severityText(AlertRules::severityOf(alert.rule)),
                                   AlertRules::ruleTitle(alert.rule));
    const QString body =
        callText.isEmpty() ? alert.detail : tr("%1\n%2").arg(callText, alert.detail);
    if (!enabled())
        return false;
    if (!allowNow())
        return false;
    if (!send(title, body, alert.callId))
        return false;
    m_sentAtMs.append(m_clock.elapsed());
    return true;
}

bool Notifier::notify(const QString &title, const QString &body)
{
    if (!enabled() || !allowNow())
        return false;
    if (!send(title, body))
        return false;
    m_sentAtMs.append(m_clock.elapsed());
    return true;
}

bool Notifier::allowNow()
{
    const qint64 now = m_clock.elapsed();
    while (!m_sentAtMs.isEmpty() && now - m_sentAtMs.first() >= m_windowMs)
        m_sentAtMs.removeFirst();
    if (m_sentAtMs.size() < m_limit)
        return true;
    // A burst: count it and say how many in one notice when the window opens again.
    ++m_suppressed;
    ++m_suppressedTotal;
    if (!m_summaryTimer.isActive())
        m_summaryTimer.start(int(m_windowMs - (now - m_sentAtMs.first())) + 1);
    return false;
}

void Notifier::onActionInvoked(uint id, const QString &action)
{
    Q_UNUSED(action) // "default" (a click on the bubble) or our "open" button: both open it
    const QString callId = m_callById.value(id);
    if (!callId.isEmpty())
        Q_EMIT callActivated(callId);
}

void Notifier::flushSummary()
{
    if (m_suppressed == 0 || !enabled()) {
        m_suppressed = 0;
        return;
    }
    const int n = m_suppressed;
    m_suppressed = 0;
    if (send(tr("Switchboard"), tr("%n more alert(s) on live calls", "", n)))
        m_sentAtMs.append(m_clock.elapsed());
}

bool Notifier::send(const QString &title, const QString &body, const QString &callId)
{
    const Backend via = backend();
    if (via == Backend::DBus) {
        QDBusMessage call =
            QDBusMessage::createMethodCall(kService, kPath, kService, QStringLiteral("Notify"));
        QVariantMap hints;
        hints.insert(QStringLiteral("urgency"), QVariant::fromValue(uchar(1)));
        hints.insert(QStringLiteral("category"), QStringLiteral("im.received"));
        hints.insert(QStringLiteral("desktop-entry"), QCoreApplication::applicationName());
        QStringList actions;
        if (!callId.isEmpty())
            actions << QStringLiteral("default") << tr("Open call");
        call << QCoreApplication::applicationName() << quint32(0)
             << QStringLiteral("dialog-warning") << title << body << actions << hints << qint32(-1);
        // Asynchronous: a slow notification daemon must never stall the GUI.
        auto *watcher =
            new QDBusPendingCallWatcher(QDBusConnection::sessionBus().asyncCall(call), this);
        connect(watcher, &QDBusPendingCallWatcher::finished, this,
                [this, callId](QDBusPendingCallWatcher *w) {
                    const QDBusPendingReply<quint32> reply = *w;
                    if (reply.isError()) {
                        qCWarning(lcNotifier) << "notification failed:" << reply.error().name();
                    } else {
                        m_lastId = reply.value();
                        if (!callId.isEmpty()) {
                            if (m_callById.size() > 200)
                                m_callById.clear(); // old bubbles are long gone
                            m_callById.insert(m_lastId, callId);
                        }
                    }
                    w->deleteLater();
                });
    } else if (via == Backend::Tray) {
        if (!m_tray) {
            m_tray = new QSystemTrayIcon(
                m_icon.isNull() ? QIcon::fromTheme(QStringLiteral("dialog-warning")) : m_icon);
            m_tray->setToolTip(QCoreApplication::applicationName());
            m_tray->show();
        }
        m_tray->showMessage(title, body, QSystemTrayIcon::Warning, 8000);
    } else {
        qCInfo(lcNotifier) << "no notification service or tray; alert not shown on the desktop";
        return false;
    }
    ++m_shown;
    Q_EMIT notified(title, body, via);
    return true;
}

} // namespace sb::ui
