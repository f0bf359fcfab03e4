#pragma once

#include "apierror.h"

#include <optional>
#include <utility>

namespace sb::api {

//! Either a value or an ApiError (a small std::expected for C++17).
template<class T> class Result
{
public:
    Result(T value)
        : m_value(std::move(value))
    {}
    Result(ApiError error)
        : m_error(std::move(error))
    {
        if (m_error.kind == ApiError::Kind::None)
            m_error.kind = ApiError::Kind::Protocol; // an error result must carry an error
    }

    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }
    //! Only valid when ok().
    const T &value() const { return *m_value; }
    T &value() { return *m_value; }
    const T *operator->() const { return &*m_value; }
    //! Kind::None when ok().
    const ApiError &error() const { return m_error; }

private:
    std::optional<T> m_value;
    ApiError m_error;
};

} // namespace sb::api
