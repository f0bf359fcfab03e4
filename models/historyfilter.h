#pragma once

#include "api/dto.h"

#include <QDateTime>
#include <QMetaType>
#include <QString>
#include <QVariantList>

#include <optional>

namespace sb::models {

//! What the call history shows: every member left empty matches everything. Turned into SQL
//! (historyWhere()) so that a filter over a million cached calls walks an index.
struct HistoryFilter
{
    QString agentId;
    std::optional<sb::api::CallStatus> status;
    std::optional<sb::api::CallDirection> direction;
    std::optional<sb::api::Sentiment> sentiment;
    QDateTime createdFrom; //!< inclusive; invalid = no lower bound
    QDateTime createdTo;   //!< exclusive; invalid = no upper bound
    //! Substring of the other party's number or of the contact's name, case-insensitive. A
    //! number typed with spaces, dashes or brackets is matched by its digits. Our own line is
    //! not searched (see cache::searchText()).
    QString text;

    bool isEmpty() const;
    bool operator==(const HistoryFilter &other) const;
    bool operator!=(const HistoryFilter &other) const { return !(*this == other); }
};

//! The orders the history can be sorted in; each has an index (cacheschema.cpp).
enum class HistorySortKey { Created, Duration, Agent, Status, Sentiment, Number };

//! SQL with its bound values, in order: a WHERE clause over `calls` (without the keyword;
//! empty = all rows) or a whole statement. User text only ever reaches SQLite as a bound
//! value (and FTS5 only as a quoted string).
struct SqlCondition
{
    QString sql;
    QVariantList values;
};

SqlCondition historyWhere(const HistoryFilter &filter);
//! The whole statement that counts the calls \a filter matches, and its values.
SqlCondition historyCount(const HistoryFilter &filter);

//! The ORDER BY columns of \a key before the rid tie-breaker: "created_at" or
//! "<column>, created_at". Every key orders ties by time, then by rid.
QString historyOrderColumns(HistorySortKey key);

} // namespace sb::models

Q_DECLARE_METATYPE(sb::models::HistoryFilter)
