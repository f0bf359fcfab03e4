#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QIcon>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

class QSystemTrayIcon;

namespace sb::models {
class Settings;
struct Alert;
} // namespace sb::models

namespace sb::ui {

//! Desktop notifications for alerts: org.freedesktop.Notifications over D-Bus, or the tray
//! icon's balloon when no notification service runs. Rate-limited (a burst beyond the limit is
//! summed up in one "n more alerts" notice) and silent while Settings::alertNotifications() is off.
class Notifier : public QObject
{
    Q_OBJECT
public:
    enum class Backend { None, DBus, Tray };

    //! \a settings may be nullptr (always on).
    explicit Notifier(sb::models::Settings *settings, QObject *parent = nullptr);
    ~Notifier() override;

    //! At most \a count notifications per \a windowMs (default 3 per 10 s).
    void setRateLimit(int count, int windowMs);
    void setIcon(const QIcon &icon) { m_icon = icon; }

    //! Shows \a title / \a body now, or counts it for the summary when over the limit.
    //! Returns false when nothing was shown (off, limited, or no backend).
    bool notify(const QString &title, const QString &body);
    //! A notification for a new alert (title: rule and severity; body: detail and the call).
    bool notifyAlert(const sb::models::Alert &alert, const QString &callText);

    //! Where the next notification goes (D-Bus service present, a tray, or nowhere).
    Backend backend() const;
    //! Notifications shown so far and those held back by the limit.
    int shownCount() const { return m_shown; }
    int suppressedCount() const { return m_suppressedTotal; }

Q_SIGNALS:
    //! A notification went out (for tests and the status bar).
    void notified(const QString &title, const QString &body, sb::ui::Notifier::Backend backend);
    //! The person clicked the notification of an alert on \a callId (D-Bus only).
    void callActivated(const QString &callId);

private Q_SLOTS:
    //! org.freedesktop.Notifications.ActionInvoked (connected by name: QtDBus needs a slot).
    void onActionInvoked(uint id, const QString &action);

private:
    bool enabled() const;
    //! Within the rate limit now; otherwise counts the notice for the summary.
    bool allowNow();
    bool send(const QString &title, const QString &body, const QString &callId = QString());
    void flushSummary();

    sb::models::Settings *m_settings;
    QIcon m_icon;
    QPointer<QSystemTrayIcon> m_tray;
    QList<qint64> m_sentAtMs; //!< times of the notifications in the window
    QElapsedTimer m_clock;
    QTimer m_summaryTimer;
    int m_limit = 3;
    int m_windowMs = 10000;
    int m_suppressed = 0; //!< held back since the last summary
    int m_suppressedTotal = 0;
    int m_shown = 0;
    quint32 m_lastId = 0;               //!< id the notification service gave the last one
    QHash<quint32, QString> m_callById; //!< notification id → call, for ActionInvoked
};

} // namespace sb::ui
