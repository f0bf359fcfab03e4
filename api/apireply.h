#pragma once

#include "pendingrequest.h"
#include "result.h"

#include <QPointer>

#include <functional>
#include <memory>

namespace sb::api {

//! Typed handle of a PendingRequest: parses the response into Result<T> once.
//! Copyable; all copies share the request. A default-constructed reply is invalid.
template<class T> class ApiReply
{
public:
    using Parser = std::function<Result<T>(const PendingRequest &)>;
    //! Adjusts a failed request's error for this endpoint (e.g. parses a 412's `current`).
    using ErrorMapper = std::function<void(ApiError &)>;

    ApiReply() = default;
    ApiReply(PendingRequest *request, Parser parser, ErrorMapper errorMapper = {})
        : m_request(request)
        , m_state(std::make_shared<State>())
    {
        m_state->parser = std::move(parser);
        m_state->errorMapper = std::move(errorMapper);
    }

    bool isValid() const { return m_state != nullptr; }
    //! The untyped request (null once it finished and was deleted).
    PendingRequest *request() const { return m_request; }
    void cancel() const
    {
        if (m_request)
            m_request->cancel();
    }

    //! Calls fn(const Result<T> &) when the request finishes, unless `context` is gone.
    template<class Fn> void onFinished(const QObject *context, Fn fn) const
    {
        if (!m_request)
            return;
        auto state = m_state;
        PendingRequest *req = m_request;
        QObject::connect(req, &PendingRequest::finished, context,
                         [state, req, fn = std::move(fn)]() { fn(resultOf(*state, *req)); });
    }

    //! Calls fn(qint64 done, qint64 total) on upload/download progress.
    template<class Fn> void onProgress(const QObject *context, Fn fn) const
    {
        if (m_request)
            QObject::connect(m_request.data(), &PendingRequest::progress, context, std::move(fn));
    }

private:
    struct State
    {
        Parser parser;
        ErrorMapper errorMapper;
        std::optional<Result<T>> cached;
    };

    static const Result<T> &resultOf(State &state, const PendingRequest &req)
    {
        if (!state.cached) {
            if (req.error().isError()) {
                ApiError error = req.error();
                if (state.errorMapper)
                    state.errorMapper(error);
                state.cached.emplace(std::move(error));
            } else
                state.cached.emplace(state.parser(req));
        }
        return *state.cached;
    }

    QPointer<PendingRequest> m_request;
    std::shared_ptr<State> m_state;
};

} // namespace sb::api
