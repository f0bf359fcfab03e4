#pragma once

// Helpers of SpeakNodePlatform for answers that take several requests (an agent with its tools,
// a page of calls with the account's numbers, a recording behind a pre-signed URL). Each such
// answer is one ApiReply on a relay PendingRequest (PendingRequest::relay), so callers see the
// same handle as for a single request: onFinished, onProgress, cancel.

#include "apireply.h"
#include "jsonreader.h"
#include "session.h"
#include "speaknodejson.h"

#include <QPointer>

#include <functional>
#include <memory>

namespace sb::api::speaknode {

//! The shared state of one composite answer.
template<class T> class Relay
{
public:
    //! Creates the relay; `description` names it in logs (method and path, never a secret URL).
    static std::shared_ptr<Relay> create(Session *session, Request description)
    {
        auto relay = std::shared_ptr<Relay>(new Relay);
        relay->m_session = session;
        relay->m_pending = PendingRequest::relay(session, std::move(description));
        // Canceling the answer cancels the step in flight; its own answer then goes nowhere.
        std::weak_ptr<Relay> weak = relay;
        QObject::connect(relay->m_pending, &PendingRequest::finished, relay->m_pending, [weak] {
            if (const auto self = weak.lock()) {
                if (self->m_step)
                    self->m_step->cancel();
            }
        });
        return relay;
    }

    //! The reply handed to the caller. Keeps the relay state alive until it finishes.
    ApiReply<T> reply(const std::shared_ptr<Relay> &self) const
    {
        return ApiReply<T>(m_pending, [self](const PendingRequest &) -> Result<T> {
            if (self->m_result)
                return *self->m_result;
            return ApiError(ApiError::Kind::Protocol, QStringLiteral("no result"));
        });
    }

    Session *session() const { return m_session; }
    //! Null once the caller canceled (or the answer finished).
    PendingRequest *pending() const { return m_pending; }
    bool isOpen() const { return m_pending && !m_pending->isFinished() && m_session; }

    //! Sends `reply`'s request as the current step and calls fn(const Result<X> &) when it
    //! finishes, unless the answer was canceled meanwhile.
    template<class X, class Fn> void step(const ApiReply<X> &stepReply, Fn fn)
    {
        m_step = stepReply.request();
        if (m_pending)
            stepReply.onFinished(m_pending, std::move(fn));
    }

    void finish(Result<T> result)
    {
        if (!isOpen())
            return;
        const ApiError error = result.ok() ? ApiError() : result.error();
        m_result.emplace(std::move(result));
        m_pending->settle(error, error.httpStatus);
    }

private:
    Relay() = default;
    QPointer<Session> m_session;
    QPointer<PendingRequest> m_pending;
    QPointer<PendingRequest> m_step;
    std::optional<Result<T>> m_result;
};

//! A Protocol error for a response that did not parse.
ApiError unreadable(const PendingRequest &request, const QString &why);

//! A typed reply for one object, parsed with `parse`.
template<class X>
ApiReply<X> objectReply(PendingRequest *request, Parsed<X> (*parse)(const QJsonValue &))
{
    return ApiReply<X>(request, [parse](const PendingRequest &r) -> Result<X> {
        Parsed<X> p = parseObjectBody(r.body(), parse);
        if (!p.ok())
            return unreadable(r, p.error);
        return std::move(*p.value);
    });
}

//! A typed reply for one page of a list, parsed with `parse`.
template<class X>
ApiReply<ListPage<X>> listReply(PendingRequest *request, Parsed<X> (*parse)(const QJsonValue &))
{
    return ApiReply<ListPage<X>>(request, [parse](const PendingRequest &r) -> Result<ListPage<X>> {
        Parsed<ListPage<X>> p = parseListBody(r.body(), parse);
        if (!p.ok())
            return unreadable(r, p.error);
        return std::move(*p.value);
    });
}

//! GET `path` with page and page_size.
Request pageRequest(const QString &path, int page, int pageSize, Lane lane);

//! Every page of a small list (tools, phone numbers), one after another, as a step of `relay`.
//! Stops at the first error, and after kMaxPages pages (a server whose paging never ends).
template<class T, class X>
void fetchAllPages(const std::shared_ptr<Relay<T>> &relay, const QString &path, Lane lane,
                   Parsed<X> (*parse)(const QJsonValue &),
                   std::function<void(const Result<QList<X>> &)> done)
{
    constexpr int kPageSize = 100;
    constexpr int kMaxPages = 50;
    auto acc = std::make_shared<QList<X>>();
    auto next = std::make_shared<std::function<void(int)>>();
    // The function holds itself only weakly; the handler of the page in flight holds it
    // strongly, so the chain lives exactly as long as it has a step running.
    *next = [relay, path, lane, parse, done, acc, weakNext = std::weak_ptr(next)](int page) {
        const auto self = weakNext.lock();
        if (!self || !relay->isOpen())
            return;
        const auto reply =
            listReply(relay->session()->send(pageRequest(path, page, kPageSize, lane)), parse);
        relay->step(reply, [self, page, acc, done](const Result<ListPage<X>> &r) {
            if (!r.ok()) {
                done(r.error());
                return;
            }
            *acc += r.value().items;
            const QString cursor = nextPageCursor(r.value(), page, kPageSize);
            if (cursor.isEmpty() || page >= kMaxPages) {
                done(*acc);
                return;
            }
            (*self)(page + 1);
        });
    };
    (*next)(1);
}

} // namespace sb::api::speaknode
