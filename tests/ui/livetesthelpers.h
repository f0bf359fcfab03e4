#pragma once

// Helpers of the Live pane and call widget tests: a fake desktop notification service on the
// test's private session bus, and waiting for a typed API reply.

#include "api/apireply.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusVirtualObject>
#include <QObject>
#include <QStringList>
#include <QTest>
#include <QVariantMap>

#include <optional>

namespace sb::test {

//! org.freedesktop.Notifications as a desktop would offer it; records what it was asked to show.
//! A virtual object, so the test needs no moc run for it.
class FakeNotifications : public QDBusVirtualObject
{
public:
    QStringList summaries;
    QStringList bodies;

    //! Registers on the session bus; false when there is none or the name is taken.
    bool registerOnBus()
    {
        QDBusConnection bus = QDBusConnection::sessionBus();
        if (!bus.isConnected() || bus.interface()->isServiceRegistered(service()).value())
            return false;
        m_registered = bus.registerVirtualObject(path(), this) && bus.registerService(service());
        return m_registered;
    }
    ~FakeNotifications() override
    {
        if (!m_registered)
            return;
        QDBusConnection bus = QDBusConnection::sessionBus();
        bus.unregisterService(service());
        bus.unregisterObject(path());
    }
    static QString service() { return QStringLiteral("org.freedesktop.Notifications"); }
    static QString path() { return QStringLiteral("/org/freedesktop/Notifications"); }

    QString introspect(const QString &) const override { return {}; }
    bool handleMessage(const QDBusMessage &message, const QDBusConnection &connection) override
    {
        if (message.member() != QLatin1String("Notify") || message.arguments().size() != 8)
            return false;
        const QList<QVariant> args = message.arguments();
        summaries << args.at(3).toString();
        bodies << args.at(4).toString();
        connection.send(message.createReply(QVariant::fromValue(uint(summaries.size()))));
        return true;
    }

private:
    bool m_registered = false;
};

//! Waits for \a reply and returns its result (empty after \a timeoutMs).
template<class T>
std::optional<sb::api::Result<T>> awaitReply(const sb::api::ApiReply<T> &reply,
                                             int timeoutMs = 30000)
{
    std::optional<sb::api::Result<T>> out;
    QObject context;
    reply.onFinished(&context, [&out](const sb::api::Result<T> &r) { out = r; });
    if (!QTest::qWaitFor([&out] { return out.has_value(); }, timeoutMs))
        return std::nullopt;
    return out;
}

} // namespace sb::test
