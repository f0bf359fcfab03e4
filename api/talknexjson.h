#pragma once

// Talknex wire format (CONTRACT §1): pure functions from JSON to the neutral DTOs and back.
// Unknown enum strings become the enum's Unknown value (forward compatible); everything else
// that does not match the contract is rejected with a message.

#include "dto.h"
#include "jsonreader.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QUrlQuery>

namespace sb::api::talknex {

Parsed<Agent> parseAgent(const QJsonValue &json);
Parsed<Call> parseCall(const QJsonValue &json);
Parsed<CallDetails> parseCallDetails(const QJsonValue &json);
Parsed<TranscriptLine> parseTranscriptLine(const QJsonValue &json);
Parsed<SentimentPoint> parseSentimentPoint(const QJsonValue &json);
Parsed<ToolCall> parseToolCall(const QJsonValue &json);
Parsed<PhoneNumber> parsePhoneNumber(const QJsonValue &json);
Parsed<KnowledgeCollection> parseCollection(const QJsonValue &json);
Parsed<Document> parseDocument(const QJsonValue &json);
Parsed<Contact> parseContact(const QJsonValue &json);

//! Parses a whole body with `item` (e.g. parseAgent).
template<class T> Parsed<T> parseBody(const QByteArray &body, Parsed<T> (*item)(const QJsonValue &))
{
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &err);
    if (err.error != QJsonParseError::NoError)
        return Parsed<T>::fail(QStringLiteral("invalid JSON: ") + err.errorString());
    if (!doc.isObject())
        return Parsed<T>::fail(QStringLiteral("expected a JSON object"));
    return item(doc.object());
}

//! Parses a list body: `{"data": [...], "nextCursor": "..."|null}` or a bare array (one page).
//! One bad item rejects the page: a half-parsed page would show holes as data.
template<class T>
Parsed<Page<T>> parsePage(const QByteArray &body, Parsed<T> (*item)(const QJsonValue &))
{
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &err);
    if (err.error != QJsonParseError::NoError)
        return Parsed<Page<T>>::fail(QStringLiteral("invalid JSON: ") + err.errorString());
    Page<T> page;
    QJsonArray array;
    if (doc.isArray()) {
        array = doc.array();
    } else {
        JsonReader r(doc.object(), QStringLiteral("page"));
        array = r.array("data", JsonReader::Required);
        page.nextCursor = r.string("nextCursor");
        if (!r.ok())
            return Parsed<Page<T>>::fail(r.error());
    }
    page.items.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        Parsed<T> p = item(array.at(i));
        if (!p.ok())
            return Parsed<Page<T>>::fail(QStringLiteral("item %1: ").arg(i) + p.error);
        page.items.append(std::move(*p.value));
    }
    Parsed<Page<T>> out;
    out.value = std::move(page);
    return out;
}

// Writers (requests)
QJsonObject toJson(const AgentChanges &changes);
QJsonObject toJson(const PlaceCallRequest &call);
QJsonObject toJson(const NumberPurchase &purchase);
QJsonObject toJson(const PhoneNumberChanges &changes);
QJsonObject toJson(const ContactChanges &changes);
QJsonObject toJson(const AgentTool &tool);
//! Query items of GET /calls for `filter` (empty members left out).
QUrlQuery callFilterQuery(const CallFilter &filter);

// Enum spellings
QString agentStatusName(AgentStatus s);
QString callStatusName(CallStatus s);
QString directionName(CallDirection d);
QString sentimentName(Sentiment s);
QString routingModeName(RoutingMode m);
AgentStatus agentStatusFromName(const QString &s);
CallStatus callStatusFromName(const QString &s);
CallDirection directionFromName(const QString &s);
EndReason endReasonFromName(const QString &s);
Sentiment sentimentFromName(const QString &s);
SpeakerRole roleFromName(const QString &s);
PhoneNumberStatus phoneStatusFromName(const QString &s);
RoutingMode routingModeFromName(const QString &s);
DocumentSource documentSourceFromName(const QString &s);
DocumentStatus documentStatusFromName(const QString &s);

} // namespace sb::api::talknex
