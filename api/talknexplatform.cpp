#include "talknexplatform.h"

#include "logging.h"
#include "session.h"
#include "talknexjson.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>

namespace sb::api {

namespace {

QString pathId(const QString &id)
{
    // IDs are opaque: never let one add path segments or a query.
    return QString::fromLatin1(QUrl::toPercentEncoding(id));
}

QByteArray jsonBody(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

void setEtag(Agent &a, const QString &etag)
{
    a.etag = etag;
}
void setEtag(Contact &c, const QString &etag)
{
    c.etag = etag;
}
void setEtag(CallDetails &d, const QString &etag)
{
    d.etag = etag;
}
template<class T> void setEtag(T &, const QString &) {}

ApiError protocolError(const PendingRequest &req, const QString &why)
{
    ApiError e(ApiError::Kind::Protocol, why);
    e.httpStatus = req.httpStatus();
    e.requestId = QString::fromLatin1(req.header("x-request-id"));
    qCWarning(lcApi).noquote() << req.request().method << req.request().path
                               << "unreadable response:" << why;
    return e;
}

template<class T> typename ApiReply<T>::Parser objectParser(Parsed<T> (*parse)(const QJsonValue &))
{
    return [parse](const PendingRequest &r) -> Result<T> {
        Parsed<T> p = talknex::parseBody(r.body(), parse);
        if (!p.ok())
            return protocolError(r, p.error);
        setEtag(*p.value, QString::fromLatin1(r.header("etag")));
        return std::move(*p.value);
    };
}

template<class T>
ApiReply<T> objectReply(PendingRequest *req, Parsed<T> (*parse)(const QJsonValue &))
{
    return ApiReply<T>(req, objectParser(parse));
}

//! Patch replies: a 412 carries the server's current object; parse it for the merge UI.
template<class T>
ApiReply<T> patchReply(PendingRequest *req, Parsed<T> (*parse)(const QJsonValue &))
{
    return ApiReply<T>(req, objectParser(parse), [parse](ApiError &error) {
        if (error.currentJson.isEmpty())
            return;
        Parsed<T> p = parse(error.currentJson);
        if (!p.ok())
            return;
        // The merge UI re-sends with this tag: an empty one would overwrite unconditionally.
        setEtag(*p.value, error.currentEtag);
        error.current = QVariant::fromValue(*p.value);
    });
}

ApiReply<NoContent> emptyReply(PendingRequest *req)
{
    return ApiReply<NoContent>(
        req, [](const PendingRequest &) -> Result<NoContent> { return NoContent{}; });
}

template<class T>
Pager<T> makePager(Session *session, Request base, int pageSize,
                   Parsed<T> (*parse)(const QJsonValue &), bool missingMeansUnsupported = false)
{
    QPointer<Session> weak(session);
    const int limit = std::clamp(pageSize, 1, 100);
    return Pager<T>([weak, base, limit, parse, missingMeansUnsupported](const QString &cursor) {
        if (!weak)
            return ApiReply<Page<T>>();
        Request r = base;
        r.query.addQueryItem(QStringLiteral("limit"), QString::number(limit));
        if (!cursor.isEmpty())
            addQueryValue(r.query, QStringLiteral("cursor"), cursor);
        typename ApiReply<Page<T>>::ErrorMapper mapper;
        if (missingMeansUnsupported) {
            mapper = [](ApiError &e) {
                if (e.kind == ApiError::Kind::NotFound) {
                    e.kind = ApiError::Kind::NotSupported;
                    e.message = QCoreApplication::translate(
                        "sb::api::TalknexPlatform",
                        "This server does not list the documents of a collection.");
                }
            };
        }
        return ApiReply<Page<T>>(
            weak->send(r),
            [parse](const PendingRequest &req) -> Result<Page<T>> {
                Parsed<Page<T>> p = talknex::parsePage(req.body(), parse);
                if (!p.ok())
                    return protocolError(req, p.error);
                return std::move(*p.value);
            },
            mapper);
    });
}

Request get(const QString &path, Lane lane = Lane::Interactive)
{
    Request r;
    r.method = QByteArrayLiteral("GET");
    r.path = path;
    r.lane = lane;
    return r;
}

Request withBody(const char *method, const QString &path, const QJsonObject &body)
{
    Request r;
    r.method = method;
    r.path = path;
    r.body = jsonBody(body);
    return r;
}

Request del(const QString &path)
{
    Request r;
    r.method = QByteArrayLiteral("DELETE");
    r.path = path;
    return r;
}

} // namespace

TalknexPlatform::TalknexPlatform(Session *session, QObject *parent)
    : Platform(session, parent)
{}

QString TalknexPlatform::displayName() const
{
    return QStringLiteral("Talknex"); // a product name, not translated
}

Platform::Capabilities TalknexPlatform::capabilities() const
{
    return Capability::AgentsWritable | Capability::Contacts | Capability::Knowledge |
           Capability::LiveTranscript | Capability::ServerSentiment | Capability::NumberPurchase |
           Capability::CallDelete | Capability::Recordings | Capability::DocumentList |
           Capability::CallPlacement | Capability::PhoneNumberEdit | Capability::ConcurrencyTokens;
}

Pager<Agent> TalknexPlatform::agents(int pageSize, Lane lane)
{
    return makePager(session(), get(QStringLiteral("/agents"), lane), pageSize,
                     talknex::parseAgent);
}

ApiReply<Agent> TalknexPlatform::agent(const QString &id, Lane lane)
{
    return objectReply(session()->send(get(QStringLiteral("/agents/") + pathId(id), lane)),
                       talknex::parseAgent);
}

ApiReply<Agent> TalknexPlatform::createAgent(const AgentChanges &fields)
{
    return objectReply(
        session()->send(withBody("POST", QStringLiteral("/agents"), talknex::toJson(fields))),
        talknex::parseAgent);
}

ApiReply<Agent> TalknexPlatform::patchAgent(const QString &id, const AgentChanges &changes,
                                            const QString &ifMatch)
{
    Request r =
        withBody("PATCH", QStringLiteral("/agents/") + pathId(id), talknex::toJson(changes));
    r.ifMatch = ifMatch.toUtf8();
    return patchReply(session()->send(r), talknex::parseAgent);
}

ApiReply<NoContent> TalknexPlatform::deleteAgent(const QString &id)
{
    return emptyReply(session()->send(del(QStringLiteral("/agents/") + pathId(id))));
}

ApiReply<Call> TalknexPlatform::placeCall(const PlaceCallRequest &call)
{
    qCInfo(lcApi).noquote() << "placing call to" << maskPhone(call.to);
    return objectReply(
        session()->send(withBody("POST", QStringLiteral("/calls"), talknex::toJson(call))),
        talknex::parseCall);
}

Pager<Call> TalknexPlatform::calls(const CallFilter &filter, int pageSize, Lane lane)
{
    Request r = get(QStringLiteral("/calls"), lane);
    r.query = talknex::callFilterQuery(filter);
    return makePager(session(), r, pageSize, talknex::parseCall);
}

ApiReply<CallDetails> TalknexPlatform::callDetails(const QString &id, Lane lane)
{
    return objectReply(session()->send(get(QStringLiteral("/calls/") + pathId(id), lane)),
                       talknex::parseCallDetails);
}

ApiReply<NoContent> TalknexPlatform::deleteCall(const QString &id)
{
    return emptyReply(session()->send(del(QStringLiteral("/calls/") + pathId(id))));
}

ApiReply<QString> TalknexPlatform::downloadRecording(const QString &callId, const QString &filePath,
                                                     Lane lane)
{
    Request r =
        get(QStringLiteral("/calls/") + pathId(callId) + QStringLiteral("/recording"), lane);
    r.downloadFilePath = filePath;
    return ApiReply<QString>(
        session()->send(r),
        [filePath](const PendingRequest &) -> Result<QString> { return filePath; });
}

Pager<PhoneNumber> TalknexPlatform::phoneNumbers(int pageSize, Lane lane)
{
    return makePager(session(), get(QStringLiteral("/phone-numbers"), lane), pageSize,
                     talknex::parsePhoneNumber);
}

ApiReply<PhoneNumber> TalknexPlatform::purchaseNumber(const NumberPurchase &purchase)
{
    return objectReply(session()->send(withBody("POST", QStringLiteral("/phone-numbers"),
                                                talknex::toJson(purchase))),
                       talknex::parsePhoneNumber);
}

ApiReply<PhoneNumber> TalknexPlatform::patchPhoneNumber(const QString &id,
                                                        const PhoneNumberChanges &changes)
{
    return objectReply(
        session()->send(withBody("PATCH", QStringLiteral("/phone-numbers/") + pathId(id),
                                 talknex::toJson(changes))),
        talknex::parsePhoneNumber);
}

ApiReply<NoContent> TalknexPlatform::releasePhoneNumber(const QString &id)
{
    return emptyReply(session()->send(del(QStringLiteral("/phone-numbers/") + pathId(id))));
}

Pager<KnowledgeCollection> TalknexPlatform::collections(int pageSize, Lane lane)
{
    return makePager(session(), get(QStringLiteral("/knowledge/collections"), lane), pageSize,
                     talknex::parseCollection);
}

ApiReply<KnowledgeCollection> TalknexPlatform::createCollection(const QString &name,
                                                                const QString &description)
{
    QJsonObject o;
    o.insert(QLatin1String("name"), name);
    if (!description.isEmpty())
        o.insert(QLatin1String("description"), description);
    return objectReply(
        session()->send(withBody("POST", QStringLiteral("/knowledge/collections"), o)),
        talknex::parseCollection);
}

static QString documentsPath(const QString &collectionId)
{
    return QStringLiteral("/knowledge/collections/") + pathId(collectionId) +
           QStringLiteral("/documents");
}

Pager<Document> TalknexPlatform::documents(const QString &collectionId, int pageSize, Lane lane)
{
    return makePager(session(), get(documentsPath(collectionId), lane), pageSize,
                     talknex::parseDocument, true);
}

ApiReply<Document> TalknexPlatform::uploadDocument(const QString &collectionId,
                                                   const QString &filePath)
{
    Request r;
    r.method = QByteArrayLiteral("POST");
    r.path = documentsPath(collectionId);
    r.uploadFilePath = filePath;
    return objectReply(session()->send(r), talknex::parseDocument);
}

ApiReply<Document> TalknexPlatform::submitTextDocument(const QString &collectionId,
                                                       const QString &title,
                                                       const QStringList &chunks)
{
    QJsonObject o;
    o.insert(QLatin1String("title"), title);
    o.insert(QLatin1String("chunks"), QJsonArray::fromStringList(chunks));
    return objectReply(session()->send(withBody("POST", documentsPath(collectionId), o)),
                       talknex::parseDocument);
}

ApiReply<NoContent> TalknexPlatform::deleteDocument(const QString &collectionId,
                                                    const QString &documentId)
{
    return emptyReply(
        session()->send(del(documentsPath(collectionId) + QLatin1Char('/') + pathId(documentId))));
}

Pager<Contact> TalknexPlatform::contacts(const QString &query, const QString &tag, int pageSize,
                                         Lane lane)
{
    Request r = get(QStringLiteral("/contacts"), lane);
    if (!query.isEmpty())
        addQueryValue(r.query, QStringLiteral("q"), query);
    if (!tag.isEmpty())
        addQueryValue(r.query, QStringLiteral("tag"), tag);
    return makePager(session(), r, pageSize, talknex::parseContact);
}

ApiReply<Contact> TalknexPlatform::contact(const QString &id, Lane lane)
{
    return objectReply(session()->send(get(QStringLiteral("/contacts/") + pathId(id), lane)),
                       talknex::parseContact);
}

ApiReply<Contact> TalknexPlatform::createContact(const ContactChanges &fields)
{
    return objectReply(
        session()->send(withBody("POST", QStringLiteral("/contacts"), talknex::toJson(fields))),
        talknex::parseContact);
}

ApiReply<Contact> TalknexPlatform::patchContact(const QString &id, const ContactChanges &changes,
                                                const QString &ifMatch)
{
    Request r =
        withBody("PATCH", QStringLiteral("/contacts/") + pathId(id), talknex::toJson(changes));
    r.ifMatch = ifMatch.toUtf8();
    return patchReply(session()->send(r), talknex::parseContact);
}

} // namespace sb::api
