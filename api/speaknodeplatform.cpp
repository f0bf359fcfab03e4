#include "speaknodeplatform.h"

#include "logging.h"
#include "sentimentestimator.h"
#include "session.h"
#include "speaknodejson.h"
#include "speaknoderelay.h"

#include <QJsonDocument>
#include <QPointer>

namespace sb::api {

using namespace speaknode;

namespace {

QString pathId(const QString &id)
{
    // IDs are opaque: never let one add path segments or a query.
    return QString::fromLatin1(QUrl::toPercentEncoding(id));
}

QString normalizedNumber(const QString &number)
{
    QString out;
    for (const QChar c : number) {
        if (c.isDigit() || (c == QLatin1Char('+') && out.isEmpty()))
            out.append(c);
    }
    return out;
}

Request get(const QString &path, Lane lane)
{
    Request r;
    r.method = QByteArrayLiteral("GET");
    r.path = path;
    r.lane = lane;
    return r;
}

//! A Pager over a page-numbered SpeakNode list: the cursor is the next page's number.
template<class T>
Pager<T> pagePager(Session *session, const QString &path, int pageSize, Lane lane,
                   Parsed<T> (*parse)(const QJsonValue &),
                   std::function<void(const QList<T> &)> seen = {})
{
    QPointer<Session> weak(session);
    const int size = std::clamp(pageSize, 1, 100);
    return Pager<T>([weak, path, size, lane, parse, seen](const QString &cursor) {
        if (!weak)
            return ApiReply<Page<T>>();
        const int page = cursor.isEmpty() ? 1 : cursor.toInt();
        return ApiReply<Page<T>>(
            weak->send(pageRequest(path, std::max(page, 1), size, lane)),
            [parse, page, size, seen](const PendingRequest &req) -> Result<Page<T>> {
                Parsed<ListPage<T>> p = parseListBody(req.body(), parse);
                if (!p.ok())
                    return unreadable(req, p.error);
                if (seen)
                    seen(p.value->items);
                Page<T> out;
                out.nextCursor = nextPageCursor(*p.value, std::max(page, 1), size);
                out.items = std::move(p.value->items);
                return out;
            });
    });
}

//! 422 field names of the dispatch body in the console's spelling (the place-call dialog puts
//! the message under the field it names).
void mapValidationFields(ApiError &e)
{
    if (e.kind != ApiError::Kind::Validation)
        return;
    if (!e.field.isEmpty())
        e.field = consoleFieldName(e.field);
    QMap<QString, QStringList> mapped;
    for (auto it = e.fieldErrors.constBegin(); it != e.fieldErrors.constEnd(); ++it)
        mapped[consoleFieldName(it.key())] += it.value();
    e.fieldErrors = mapped;
}

} // namespace

ApiError speaknode::unreadable(const PendingRequest &request, const QString &why)
{
    ApiError e(ApiError::Kind::Protocol, why);
    e.httpStatus = request.httpStatus();
    qCWarning(lcApi).noquote() << request.request().method << request.request().path
                               << "unreadable response:" << why;
    return e;
}

Request speaknode::pageRequest(const QString &path, int page, int pageSize, Lane lane)
{
    Request r = get(path, lane);
    r.query.addQueryItem(QStringLiteral("page"), QString::number(page));
    r.query.addQueryItem(QStringLiteral("page_size"), QString::number(pageSize));
    return r;
}

SpeakNodePlatform::SpeakNodePlatform(Session *session, QObject *parent)
    : Platform(session, parent)
{}

QString SpeakNodePlatform::displayName() const
{
    return QStringLiteral("SpeakNode"); // a product name, not translated
}

Platform::Capabilities SpeakNodePlatform::capabilities() const
{
    return Capability::CallPlacement | Capability::Recordings;
}

CallDirection SpeakNodePlatform::directionOf(const Call &call, bool *known) const
{
    const bool toOwn = m_ownNumbers.contains(normalizedNumber(call.to));
    const bool fromOwn = m_ownNumbers.contains(normalizedNumber(call.from));
    if (known)
        *known = toOwn || fromOwn;
    return toOwn ? CallDirection::Inbound : CallDirection::Outbound;
}

void SpeakNodePlatform::classify(QList<Call> &calls) const
{
    if (!m_numbersKnown)
        return; // the numbers could not be read: no direction rather than a wrong one
    for (Call &c : calls)
        c.direction = directionOf(c);
}

void SpeakNodePlatform::withNumbers(bool refresh, Lane lane, const QObject *context,
                                    std::function<void()> then)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const bool fresh =
        m_numbersFetchedAt.isValid() &&
        (!refresh || now - m_numbersFetchedAt.toMSecsSinceEpoch() < m_numbersRefreshMinMs);
    if (fresh) {
        then();
        return;
    }
    m_numberWaiters.append({QPointer<const QObject>(context), std::move(then)});
    if (m_numbersFetching)
        return;
    m_numbersFetching = true;
    Request description = get(QStringLiteral("/phone-numbers"), lane);
    const auto relay = Relay<NoContent>::create(session(), description);
    QPointer<SpeakNodePlatform> self(this);
    const auto done = [self, relay](const Result<QList<PhoneNumber>> &r) {
        relay->finish(NoContent{});
        if (!self)
            return;
        self->m_numbersFetching = false;
        self->m_numbersFetchedAt = QDateTime::currentDateTimeUtc();
        if (r.ok()) {
            self->m_ownNumbers.clear();
            self->m_numbersKnown = true;
            for (const PhoneNumber &n : r.value())
                self->m_ownNumbers.insert(normalizedNumber(n.number));
        } else {
            qCWarning(lcApi) << "phone numbers unavailable; call directions unknown:"
                             << static_cast<int>(r.error().kind) << r.error().httpStatus;
        }
        const auto waiters = std::exchange(self->m_numberWaiters, {});
        for (const auto &w : waiters) {
            if (w.first)
                w.second();
        }
    };
    // Numbers of an account change rarely: an unknown number refreshes them at most every
    // m_numbersRefreshMinMs, so a page of calls from foreign numbers does not refetch each time.
    fetchAllPages<NoContent, PhoneNumber>(relay, QStringLiteral("/phone-numbers"), lane,
                                          parsePhoneNumber, done);
}

Pager<Agent> SpeakNodePlatform::agents(int pageSize, Lane lane)
{
    return pagePager<Agent>(session(), QStringLiteral("/agents"), pageSize, lane, parseAgent);
}

ApiReply<Agent> SpeakNodePlatform::agent(const QString &id, Lane lane)
{
    const QString path = QStringLiteral("/agents/") + pathId(id);
    const auto relay = Relay<Agent>::create(session(), get(path, lane));
    const auto reply = relay->reply(relay);
    relay->step(objectReply(session()->send(get(path, lane)), parseAgentRecord),
                [relay, lane](const Result<AgentRecord> &r) {
                    if (!r.ok()) {
                        relay->finish(r.error());
                        return;
                    }
                    const AgentRecord record = r.value();
                    if (record.toolIds.isEmpty()) {
                        relay->finish(record.agent);
                        return;
                    }
                    fetchAllPages<Agent, ToolRecord>(
                        relay, QStringLiteral("/tools"), lane, parseTool,
                        [relay, record](const Result<QList<ToolRecord>> &tools) {
                            if (!tools.ok()) {
                                relay->finish(tools.error());
                                return;
                            }
                            Agent a = record.agent;
                            for (const QString &toolId : record.toolIds) {
                                const auto it = std::find_if(
                                    tools.value().cbegin(), tools.value().cend(),
                                    [&toolId](const ToolRecord &t) { return t.id == toolId; });
                                if (it != tools.value().cend())
                                    a.tools.append(it->tool);
                                else
                                    qCInfo(lcApi) << "agent refers to a tool that GET /tools "
                                                     "does not list";
                            }
                            relay->finish(a);
                        });
                });
    return reply;
}

ApiReply<Call> SpeakNodePlatform::placeCall(const PlaceCallRequest &call)
{
    qCInfo(lcApi).noquote() << "dispatching call to" << maskPhone(call.to);
    Request r;
    r.method = QByteArrayLiteral("POST");
    r.path = QStringLiteral("/conversations/dispatch");
    r.body = QJsonDocument(dispatchBody(call)).toJson(QJsonDocument::Compact);
    // SpeakNode publishes no idempotency keys: a retried dispatch could ring someone twice, so
    // without a key the Session never re-sends this POST.
    r.noIdempotencyKey = true;
    return ApiReply<Call>(
        session()->send(r),
        [](const PendingRequest &req) -> Result<Call> {
            Parsed<Call> p = parseObjectBody(req.body(), parseCall);
            if (!p.ok())
                return unreadable(req, p.error);
            p.value->direction = CallDirection::Outbound; // we dispatched it
            return std::move(*p.value);
        },
        mapValidationFields);
}

Pager<Call> SpeakNodePlatform::calls(const CallFilter &filter, int pageSize, Lane lane)
{
    QPointer<SpeakNodePlatform> self(this);
    const int size = std::clamp(pageSize, 1, 100);
    return Pager<Call>([self, filter, size, lane](const QString &cursor) {
        if (!self)
            return ApiReply<Page<Call>>();
        bool ok = true;
        const int page = cursor.isEmpty() ? 1 : cursor.toInt(&ok);
        if (!ok || page < 1) {
            return ApiReply<Page<Call>>(
                self->session()->fail(
                    ApiError(ApiError::Kind::InvalidRequest, QStringLiteral("bad page cursor"))),
                [](const PendingRequest &) -> Result<Page<Call>> { return Page<Call>{}; });
        }
        Request r = pageRequest(QStringLiteral("/conversations"), page, size, lane);
        const QUrlQuery filterQuery = conversationQuery(filter);
        for (const auto &item : filterQuery.queryItems(QUrl::FullyDecoded))
            addQueryValue(r.query, item.first, item.second);
        const auto relay = Relay<Page<Call>>::create(self->session(), r);
        const auto reply = relay->reply(relay);
        self->withNumbers(
            false, lane, relay->pending(), [self, relay, r, filter, page, size, lane] {
                if (!self || !relay->isOpen())
                    return;
                relay->step(
                    listReply(self->session()->send(r), parseCall),
                    [self, relay, filter, page, size, lane](const Result<ListPage<Call>> &res) {
                        if (!res.ok() || !self) {
                            relay->finish(res.ok() ? ApiError(ApiError::Kind::Canceled, {})
                                                   : res.error());
                            return;
                        }
                        const auto finish = [self, relay, filter, page, size, raw = res.value()] {
                            Page<Call> out;
                            out.nextCursor = nextPageCursor(raw, page, size);
                            QList<Call> rows = raw.items;
                            if (self)
                                self->classify(rows);
                            for (const Call &c : rows) {
                                if (matchesClientSide(filter, c))
                                    out.items.append(c);
                            }
                            relay->finish(out);
                        };
                        const bool unknownNumber =
                            std::any_of(res.value().items.cbegin(), res.value().items.cend(),
                                        [&self](const Call &c) {
                                            bool known = false;
                                            self->directionOf(c, &known);
                                            return !known;
                                        });
                        if (unknownNumber)
                            self->withNumbers(true, lane, relay->pending(), finish);
                        else
                            finish();
                    });
            });
        return reply;
    });
}

ApiReply<CallDetails> SpeakNodePlatform::callDetails(const QString &id, Lane lane)
{
    const Request r = get(QStringLiteral("/conversations/") + pathId(id), lane);
    const auto relay = Relay<CallDetails>::create(session(), r);
    const auto reply = relay->reply(relay);
    QPointer<SpeakNodePlatform> self(this);
    withNumbers(false, lane, relay->pending(), [self, relay, r] {
        if (!self || !relay->isOpen())
            return;
        relay->step(objectReply(self->session()->send(r), parseCallDetails),
                    [self, relay](const Result<CallDetails> &res) {
                        if (!res.ok()) {
                            relay->finish(res.error());
                            return;
                        }
                        CallDetails d = res.value();
                        if (self) {
                            QList<Call> one{d.call};
                            self->classify(one);
                            d.call.direction = one.constFirst().direction;
                        }
                        // SpeakNode sends no sentiment (CONTRACT §2.3): estimated here, and
                        // the UI labels it so (Capability::ServerSentiment is absent).
                        SentimentEstimator::apply(d);
                        relay->finish(d);
                    });
    });
    return reply;
}

Pager<PhoneNumber> SpeakNodePlatform::phoneNumbers(int pageSize, Lane lane)
{
    QPointer<SpeakNodePlatform> self(this);
    // A full listing also refreshes the numbers that decide call directions.
    return pagePager<PhoneNumber>(session(), QStringLiteral("/phone-numbers"), pageSize, lane,
                                  parsePhoneNumber, [self](const QList<PhoneNumber> &numbers) {
                                      if (!self)
                                          return;
                                      for (const PhoneNumber &n : numbers)
                                          self->m_ownNumbers.insert(normalizedNumber(n.number));
                                  });
}

} // namespace sb::api
