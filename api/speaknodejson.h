#pragma once

// SpeakNode wire format (CONTRACT §2): pure functions from snake_case JSON to the neutral DTOs and
// back. Like talknexjson.h, an unknown enum string becomes the enum's Unknown value, while a
// missing required field or a wrong type rejects the object (a Protocol error, never a crash).

#include "dto.h"
#include "jsonreader.h"

#include <QByteArray>
#include <QUrlQuery>

namespace sb::api::speaknode {

//! An agent as SpeakNode sends it: the neutral Agent plus the ids of its tools, which the
//! platform resolves through GET /tools.
struct AgentRecord
{
    Agent agent;
    QStringList toolIds;
};

//! A tool of the space (GET /tools) with the id agents refer to it by.
struct ToolRecord
{
    QString id;
    QString type; //!< Webhook | System | TransferRule (kept as sent)
    AgentTool tool;
};

//! A session (conversation) plus what the neutral Call has no field for.
struct SessionRecord
{
    Call call;
    QString agentTitle;
    QString audioUrl;       //!< pre-signed; empty when there is none
    QDateTime audioExpires; //!< invalid when the server did not say
    bool hasAudio = false;
};

//! One page of a SpeakNode list. `totalCount`, `page` and `pageSize` are 0 when the server sent
//! a bare array (tolerated: one page, no more).
template<class T> struct ListPage
{
    QList<T> items;
    bool bareArray = false;
    qint64 totalCount = -1; //!< -1 when not sent
    int page = 0;
    int pageSize = 0;
};

Parsed<AgentRecord> parseAgentRecord(const QJsonValue &json);
Parsed<Agent> parseAgent(const QJsonValue &json);
Parsed<ToolRecord> parseTool(const QJsonValue &json);
Parsed<SessionRecord> parseSession(const QJsonValue &json);
Parsed<Call> parseCall(const QJsonValue &json);
//! Session plus `history[]`: messages become transcript lines (times relative to the call's
//! start), tool calls become ToolCall, a handoff a System line. No sentiment: see
//! SentimentEstimator.
Parsed<CallDetails> parseCallDetails(const QJsonValue &json);
Parsed<PhoneNumber> parsePhoneNumber(const QJsonValue &json);

//! Parses a body holding one object with `item`.
template<class T>
Parsed<T> parseObjectBody(const QByteArray &body, Parsed<T> (*item)(const QJsonValue &));
//! Parses `{items, total_count, page, page_size}` or a bare array. One bad item rejects the page.
template<class T>
Parsed<ListPage<T>> parseListBody(const QByteArray &body, Parsed<T> (*item)(const QJsonValue &));

//! The page after `requestedPage` as the Pager's cursor ("2", "3" ...), or empty when `page` was
//! the last: a bare array, a page that reaches total_count, or a page shorter than asked for.
template<class T>
QString nextPageCursor(const ListPage<T> &page, int requestedPage, int requestedPageSize);

// Writers (requests)
//! Body of POST /conversations/dispatch. Metadata values become strings (dynamic_variables
//! are string → string).
QJsonObject dispatchBody(const PlaceCallRequest &call);
//! SpeakNode's status for a console status (several console statuses share Failed).
QString sessionStatusName(CallStatus status);
CallStatus callStatusFromSessionStatus(const QString &name);
//! Query of GET /conversations for what the server can filter (agent, status, time range).
//! `updatedSince` becomes `from` = updatedSince − 2 h (see kUpdatedSinceSlackSecs).
QUrlQuery conversationQuery(const CallFilter &filter);
//! True when `call` passes the parts of `filter` the server cannot express (or may express
//! more loosely): status, direction, sentiment, query text, created range.
bool matchesClientSide(const CallFilter &filter, const Call &call);
//! Maps a 422 field name ("ToNumber") to the console's ("to"); unknown names pass through.
QString consoleFieldName(const QString &speakNodeField);

//! SpeakNode has no "updated since" filter. A session changes only while it runs and a call
//! lasts well under two hours, so every session updated after T was created after T − 2 h:
//! asking for `from = T − 2 h` returns a superset of the changed sessions.
constexpr qint64 kUpdatedSinceSlackSecs = 2 * 60 * 60;

// --- templates ---------------------------------------------------------------------------

namespace detail {
//! Parses JSON text; the error is empty on success.
QJsonValue parseJsonText(const QByteArray &body, QString *error);
} // namespace detail

template<class T>
Parsed<T> parseObjectBody(const QByteArray &body, Parsed<T> (*item)(const QJsonValue &))
{
    QString error;
    const QJsonValue v = detail::parseJsonText(body, &error);
    if (!error.isEmpty())
        return Parsed<T>::fail(error);
    if (!v.isObject())
        return Parsed<T>::fail(QStringLiteral("expected a JSON object"));
    return item(v);
}

template<class T>
Parsed<ListPage<T>> parseListBody(const QByteArray &body, Parsed<T> (*item)(const QJsonValue &))
{
    QString error;
    const QJsonValue v = detail::parseJsonText(body, &error);
    if (!error.isEmpty())
        return Parsed<ListPage<T>>::fail(error);
    ListPage<T> page;
    QJsonArray array;
    if (v.isArray()) {
        array = v.toArray();
        page.bareArray = true;
    } else if (v.isObject()) {
        JsonReader r(v.toObject(), QStringLiteral("list"));
        array = r.array("items", JsonReader::Required);
        page.totalCount = r.integer("total_count").value_or(-1);
        page.page = static_cast<int>(r.integer("page").value_or(0));
        page.pageSize = static_cast<int>(r.integer("page_size").value_or(0));
        if (!r.ok())
            return Parsed<ListPage<T>>::fail(r.error());
    } else {
        return Parsed<ListPage<T>>::fail(QStringLiteral("expected a list object or an array"));
    }
    page.items.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        Parsed<T> p = item(array.at(i));
        if (!p.ok())
            return Parsed<ListPage<T>>::fail(QStringLiteral("item %1: ").arg(i) + p.error);
        page.items.append(std::move(*p.value));
    }
    Parsed<ListPage<T>> out;
    out.value = std::move(page);
    return out;
}

template<class T>
QString nextPageCursor(const ListPage<T> &page, int requestedPage, int requestedPageSize)
{
    if (page.bareArray || page.items.isEmpty())
        return QString();
    const int current = page.page > 0 ? page.page : requestedPage;
    const int size = page.pageSize > 0 ? page.pageSize : requestedPageSize;
    if (page.totalCount >= 0) {
        if (qint64(current) * size >= page.totalCount)
            return QString();
    } else if (page.items.size() < size) {
        return QString();
    }
    return QString::number(current + 1);
}

} // namespace sb::api::speaknode
