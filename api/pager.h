#pragma once

#include "apireply.h"
#include "dto.h"

#include <functional>
#include <memory>

namespace sb::api {

//! Lazy cursor pagination: models pull one page at a time with fetchNext() until isDone().
//! Copies share the cursor. A failed page leaves the cursor where it was, so fetchNext()
//! retries the same page. A bare-array response is one page and the end.
template<class T> class Pager
{
public:
    using Fetch = std::function<ApiReply<Page<T>>(const QString &cursor)>;

    Pager() = default;
    explicit Pager(Fetch fetch)
        : m_state(std::make_shared<State>())
    {
        m_state->fetch = std::move(fetch);
    }

    bool isValid() const { return m_state != nullptr; }
    bool hasMore() const { return m_state && !m_state->done; }
    bool isDone() const { return !hasMore(); }
    bool isFetching() const { return m_state && m_state->inFlight; }
    //! Cursor of the next page (empty before the first); persist it to resume a scan.
    QString cursor() const { return m_state ? m_state->cursor : QString(); }
    //! Resumes a scan from a persisted cursor.
    void setCursor(const QString &cursor)
    {
        if (m_state) {
            m_state->cursor = cursor;
            m_state->done = false;
        }
    }
    //! Starts over from the first page.
    void reset() { setCursor(QString()); }

    //! Requests the next page. Returns an invalid reply when done or while a page is in flight.
    ApiReply<Page<T>> fetchNext()
    {
        if (!hasMore() || m_state->inFlight || !m_state->fetch)
            return {};
        ApiReply<Page<T>> reply = m_state->fetch(m_state->cursor);
        if (!reply.isValid())
            return reply;
        m_state->inFlight = true;
        std::weak_ptr<State> weak = m_state;
        // Connected before the caller's handler, so the pager is up to date when it runs.
        reply.onFinished(reply.request(), [weak](const Result<Page<T>> &result) {
            const auto state = weak.lock();
            if (!state)
                return;
            state->inFlight = false;
            if (!result.ok())
                return;
            state->cursor = result.value().nextCursor;
            state->done = result.value().nextCursor.isEmpty();
        });
        return reply;
    }

private:
    struct State
    {
        Fetch fetch;
        QString cursor;
        bool done = false;
        bool inFlight = false;
    };
    std::shared_ptr<State> m_state;
};

} // namespace sb::api
