#pragma once

#include "api/platform.h"
#include "api/session.h"
#include "simulatorprocess.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

#include <memory>
#include <optional>

namespace sb::test {

//! Waits (spinning the event loop) for \a reply; a reply that never finishes becomes a
//! Timeout error naming the test's own deadline, so a hang fails instead of blocking.
template<class T> sb::api::Result<T> await(const sb::api::ApiReply<T> &reply, int timeoutMs = 30000)
{
    using sb::api::ApiError;
    if (!reply.isValid())
        return ApiError(ApiError::Kind::InvalidRequest, QStringLiteral("invalid reply"));
    std::optional<sb::api::Result<T>> out;
    QObject context;
    QEventLoop loop;
    reply.onFinished(&context, [&](const sb::api::Result<T> &result) {
        out.emplace(result);
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    if (!out)
        loop.exec();
    if (!out)
        return ApiError(ApiError::Kind::Timeout, QStringLiteral("test deadline passed"));
    return *out;
}

//! Pulls every page of \a pager; stops at the first error.
template<class T>
sb::api::Result<QList<T>> collectAll(sb::api::Pager<T> pager, int *pages = nullptr)
{
    QList<T> all;
    int count = 0;
    while (pager.hasMore()) {
        const auto page = await(pager.fetchNext());
        if (!page.ok())
            return page.error();
        all += page.value().items;
        ++count;
        if (count > 100000)
            break; // a server that never ends its cursor must not hang the test
    }
    if (pages)
        *pages = count;
    return all;
}

} // namespace sb::test
