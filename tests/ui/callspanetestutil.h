#pragma once

// Helpers of tst_callspane: awaiting platform replies, walking the server's call list, driving
// a modal dialog from a timer, reading CSV.

#include "api/platform.h"

#include <QApplication>
#include <QEventLoop>
#include <QPointer>
#include <QStringList>
#include <QTest>
#include <QTimer>
#include <QWidget>

#include <functional>
#include <optional>

namespace callstest {

template<class T> sb::api::Result<T> await(const sb::api::ApiReply<T> &reply, int timeoutMs = 30000)
{
    using sb::api::ApiError;
    if (!reply.isValid())
        return ApiError(ApiError::Kind::InvalidRequest, QStringLiteral("invalid reply"));
    std::optional<sb::api::Result<T>> out;
    QObject context;
    QEventLoop loop;
    reply.onFinished(&context, [&](const sb::api::Result<T> &r) {
        out.emplace(r);
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    if (!out)
        loop.exec();
    if (!out)
        return ApiError(ApiError::Kind::Timeout, QStringLiteral("test deadline passed"));
    return *out;
}

//! Every call of the organization by a plain REST walk (the truth the pane is compared with).
inline QList<sb::api::Call> serverCalls(sb::api::Platform *platform)
{
    QList<sb::api::Call> calls;
    sb::api::Pager<sb::api::Call> pager = platform->calls({}, 100);
    while (pager.hasMore()) {
        const auto page = await(pager.fetchNext());
        if (!page.ok())
            return {};
        calls += page.value().items;
    }
    return calls;
}

//! Runs \a drive on the next modal dialog of type T once it is shown (polled: exec() blocks
//! the caller). Returns at once; the dialog is driven from the event loop exec() spins. The
//! poll ends with \a scope, so a dialog that never came cannot be driven by a later test.
template<class T>
void whenModal(QObject *scope, std::function<void(T *)> drive, int timeoutMs = 90000)
{
    auto *timer = new QTimer(scope);
    auto left = std::make_shared<int>(timeoutMs / 20);
    QObject::connect(timer, &QTimer::timeout, timer, [timer, drive, left] {
        if (auto *dialog = qobject_cast<T *>(QApplication::activeModalWidget())) {
            if (dialog->isVisible()) {
                timer->stop();
                timer->deleteLater();
                drive(dialog);
                return;
            }
        }
        if (--*left <= 0) {
            timer->stop();
            timer->deleteLater();
        }
    });
    timer->start(20);
}

//! RFC 4180 reader: quoted fields, doubled quotes, line breaks inside quotes, CRLF rows.
inline QList<QStringList> parseCsv(const QString &text)
{
    QList<QStringList> rows;
    QStringList row;
    QString field;
    bool quoted = false;
    for (int i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (quoted) {
            if (c == QLatin1Char('"') && i + 1 < text.size() &&
                text.at(i + 1) == QLatin1Char('"')) {
                field += c;
                ++i;
            } else if (c == QLatin1Char('"')) {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == QLatin1Char('"')) {
            quoted = true;
        } else if (c == QLatin1Char(',')) {
            row << field;
            field.clear();
        } else if (c == QLatin1Char('\r') && i + 1 < text.size() &&
                   text.at(i + 1) == QLatin1Char('\n')) {
            row << field;
            rows << row;
            row.clear();
            field.clear();
            ++i;
        } else {
            field += c;
        }
    }
    if (!field.isEmpty() || !row.isEmpty())
        rows << (row << field);
    return rows;
}

} // namespace callstest
