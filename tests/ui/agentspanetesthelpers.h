#pragma once

// Helpers for tst_agentspane: answering the pane's modal questions and reading the server's
// copy of an agent through a second, independent session.

#include "api/platform.h"
#include "api/session.h"

#include <QAbstractButton>
#include <QApplication>
#include <QMessageBox>
#include <QPointer>
#include <QTest>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

//! Answers the next modal QMessageBox by clicking the button whose text starts with \a prefix
//! (mnemonic '&' ignored); remembers the box's text. Polls, so it works inside exec().
class ModalAnswer : public QObject
{
public:
    explicit ModalAnswer(const QString &buttonPrefix)
        : m_prefix(buttonPrefix)
    {
        m_timer.setInterval(20);
        QObject::connect(&m_timer, &QTimer::timeout, this, [this] { poll(); });
        m_timer.start();
    }

    bool answered() const { return m_answered; }
    QString text() const { return m_text; }

private:
    void poll()
    {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (!box)
            return;
        const QList<QAbstractButton *> buttons = box->buttons();
        for (QAbstractButton *b : buttons) {
            if (b->text().remove(QLatin1Char('&')).startsWith(m_prefix)) {
                m_text = box->text();
                m_answered = true;
                m_timer.stop();
                QTest::mouseClick(b, Qt::LeftButton);
                return;
            }
        }
    }

    QString m_prefix;
    QTimer m_timer;
    QString m_text;
    bool m_answered = false;
};

//! A second client of the same organization: "someone else" for conflicts and server checks.
class OtherClient
{
public:
    OtherClient(const QUrl &baseUrl, const QString &key)
    {
        m_session.setBaseUrl(baseUrl);
        m_session.setApiKey(key);
        m_platform.reset(
            sb::api::createPlatform(sb::api::PlatformKind::Talknex, &m_session, nullptr));
    }

    sb::api::Platform *platform() const { return m_platform.get(); }

    //! The server's agent, or nullopt (then \a error says why).
    std::optional<sb::api::Agent> agent(const QString &id, sb::api::ApiError *error = nullptr)
    {
        return wait(m_platform->agent(id), error);
    }

    std::optional<sb::api::Agent> patch(const QString &id, const sb::api::AgentChanges &changes)
    {
        return wait(m_platform->patchAgent(id, changes), nullptr);
    }

private:
    template<class T>
    std::optional<T> wait(const sb::api::ApiReply<T> &reply, sb::api::ApiError *error)
    {
        std::optional<sb::api::Result<T>> result;
        QObject context;
        reply.onFinished(&context, [&](const sb::api::Result<T> &r) { result.emplace(r); });
        if (!QTest::qWaitFor([&] { return result.has_value(); }, 20000))
            return std::nullopt;
        if (!result || !result->ok()) {
            if (error && result)
                *error = result->error();
            return std::nullopt;
        }
        return result->value();
    }

    sb::api::Session m_session;
    std::unique_ptr<sb::api::Platform> m_platform;
};
