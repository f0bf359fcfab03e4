#pragma once

// Platform-neutral data transfer objects. Every platform maps its own JSON onto these; nothing
// above api/ sees a platform's wire format. Enums carry an `Unknown` value: a value the console
// does not know yet (a newer server) parses as Unknown instead of failing the whole list, while a
// missing or wrong-typed required field fails the object (see talknexjson.h).

#include <QDateTime>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace sb::api {

enum class AgentStatus { Unknown, Active, Paused };
enum class CallStatus {
    Unknown,
    Initiated,
    Ringing,
    InProgress,
    Completed,
    Failed,
    NoAnswer,
    Busy,
    Canceled
};
enum class CallDirection { Unknown, Outbound, Inbound };
enum class EndReason {
    None,
    Unknown,
    CallerHangup,
    AgentHangup,
    Transfer,
    NoAnswer,
    Voicemail,
    Error
};
//! `None` = the platform has no sentiment for this item (JSON null or absent).
enum class Sentiment { None, Unknown, Positive, Neutral, Negative };
enum class SpeakerRole { Unknown, Agent, Caller, System, Tool };
enum class PhoneNumberStatus { Unknown, Active, Pending, Released };
enum class RoutingMode { Unknown, Agent, Forward };
enum class DocumentSource { Unknown, File, Text, Url };
enum class DocumentStatus { Unknown, Processing, Ready, Failed };

//! A custom (webhook) tool an agent may call.
struct AgentTool
{
    QString name;
    QString description;
    QJsonObject parameters; //!< JSON Schema, passed through untouched
    QString webhookUrl;
};

//! A voice agent: prompt, voice, LLM and tool settings.
struct Agent
{
    QString id;
    QString name;
    AgentStatus status = AgentStatus::Unknown;
    QString language;
    QString systemPrompt;
    QString firstMessage;
    QString voiceProvider;
    QString voiceId;
    std::optional<double> voiceSpeed;
    std::optional<double> voicePitch;
    std::optional<double> voiceStability;
    std::optional<double> voiceSimilarityBoost;
    std::optional<double> interruptionSensitivity;
    QString llmModel;
    std::optional<double> llmTemperature;
    std::optional<int> llmMaxTokens;
    std::optional<double> llmTopP;
    QStringList builtinTools;
    QString transferNumber;
    QList<AgentTool> tools;
    QStringList knowledgeCollectionIds;
    QDateTime createdAt;
    QDateTime updatedAt;
    QString etag; //!< set by get-single; pass it as If-Match to patch
};

//! Partial agent update (and create): only engaged fields are sent.
struct AgentChanges
{
    std::optional<QString> name;
    std::optional<AgentStatus> status;
    std::optional<QString> language;
    std::optional<QString> systemPrompt;
    std::optional<QString> firstMessage;
    std::optional<QString> voiceProvider;
    std::optional<QString> voiceId;
    std::optional<double> voiceSpeed;
    std::optional<double> voicePitch;
    std::optional<double> voiceStability;
    std::optional<double> voiceSimilarityBoost;
    std::optional<double> interruptionSensitivity;
    std::optional<QString> llmModel;
    std::optional<double> llmTemperature;
    std::optional<int> llmMaxTokens;
    std::optional<double> llmTopP;
    std::optional<QStringList> builtinTools;
    std::optional<QString> transferNumber;
    std::optional<QList<AgentTool>> tools;
    std::optional<QStringList> knowledgeCollectionIds;
};

//! One line of a call transcript.
struct TranscriptLine
{
    SpeakerRole role = SpeakerRole::Unknown;
    QString text;
    qint64 startMs = 0;
    qint64 endMs = 0;
    Sentiment sentiment = Sentiment::None;
    bool interrupted = false;         //!< the speaker was cut off (SpeakNode `interrupted`)
    std::optional<double> confidence; //!< speech recognition confidence 0..1, when known
};

//! A point of a call's sentiment timeline.
struct SentimentPoint
{
    qint64 atMs = 0;
    Sentiment label = Sentiment::Unknown;
    std::optional<double> score;
};

//! A tool invocation made by the agent during a call.
struct ToolCall
{
    QString tool;
    QJsonValue args;   //!< usually an object
    QJsonValue result; //!< Undefined while there is no result
    qint64 atMs = 0;
};

//! A call (history row). Details (transcript ...) are in CallDetails.
struct Call
{
    QString id;
    CallStatus status = CallStatus::Unknown;
    CallDirection direction = CallDirection::Unknown;
    QString agentId;
    QString to;
    QString from;
    QString contactId;
    QDateTime createdAt;
    QDateTime startedAt; //!< invalid when not started
    QDateTime endedAt;   //!< invalid while running
    QDateTime updatedAt; //!< invalid when the platform does not send it
    int durationSeconds = 0;
    EndReason endReason = EndReason::None;
    Sentiment sentiment = Sentiment::None;
    std::optional<double> sentimentScore;
    QJsonObject metadata;
    QString recordingUrl; //!< empty until the recording is ready
    QString summary;
};

//! A call with its transcript, sentiment timeline and tool calls.
struct CallDetails
{
    Call call;
    QList<TranscriptLine> transcript;
    QList<SentimentPoint> sentimentTimeline;
    QList<ToolCall> toolCalls;
    QString etag;
};

//! Filters of the call history; empty/invalid members are not sent.
struct CallFilter
{
    QString agentId;
    std::optional<CallStatus> status;
    std::optional<CallDirection> direction;
    std::optional<Sentiment> sentiment;
    QDateTime createdAfter;
    QDateTime createdBefore;
    QString query; //!< substring of to/from/contact name
    QDateTime updatedSince;
};

//! Parameters of an outbound call.
struct PlaceCallRequest
{
    QString agentId;
    QString to;
    QString from;
    QJsonObject metadata;
};

struct PhoneRouting
{
    RoutingMode mode = RoutingMode::Unknown;
    QString forwardTo;
};

//! A phone number owned by the organization.
struct PhoneNumber
{
    QString id;
    QString number;
    QString friendlyName;
    QString agentId; //!< empty = not assigned
    PhoneNumberStatus status = PhoneNumberStatus::Unknown;
    bool voice = false;
    bool sms = false;
    QString provider;
    PhoneRouting routing;
    QDateTime createdAt;
};

//! Purchase by country (+ optional area code) or by an exact number.
struct NumberPurchase
{
    QString country;
    QString areaCode;
    QString number;
};

//! Partial phone-number update. `agentId` engaged and empty = unassign.
struct PhoneNumberChanges
{
    std::optional<QString> agentId;
    std::optional<QString> friendlyName;
    std::optional<PhoneRouting> routing;
};

//! A knowledge collection.
struct KnowledgeCollection
{
    QString id;
    QString name;
    QString description;
    int documentCount = 0;
    QDateTime createdAt;
};

//! A document of a knowledge collection.
struct Document
{
    QString id;
    QString title;
    DocumentSource source = DocumentSource::Unknown;
    DocumentStatus status = DocumentStatus::Unknown;
    int chunkCount = 0;
    qint64 sizeBytes = 0;
    QDateTime createdAt;
};

//! An address-book contact.
struct Contact
{
    QString id;
    QString name;
    QString phone;
    QString email;
    QString company;
    QStringList tags;
    QMap<QString, QString> customFields;
    QDateTime createdAt;
    QDateTime updatedAt;
    QString etag;
};

//! Partial contact update (and create). A null QString in `email`, `company` or a
//! `customFields` value is sent as JSON null: it clears the field or removes that custom key.
struct ContactChanges
{
    std::optional<QString> name;
    std::optional<QString> phone;
    std::optional<QString> email;
    std::optional<QString> company;
    std::optional<QStringList> tags;
    std::optional<QMap<QString, QString>> customFields;
};

//! One page of a list; an empty nextCursor means there are no more pages.
template<class T> struct Page
{
    QList<T> items;
    QString nextCursor;
    bool hasMore() const { return !nextCursor.isEmpty(); }
};

//! Result value of requests that return no body (DELETE, 204).
struct NoContent
{};

} // namespace sb::api

Q_DECLARE_METATYPE(sb::api::Agent)
Q_DECLARE_METATYPE(sb::api::Call)
Q_DECLARE_METATYPE(sb::api::CallDetails)
Q_DECLARE_METATYPE(sb::api::PhoneNumber)
Q_DECLARE_METATYPE(sb::api::Contact)
Q_DECLARE_METATYPE(sb::api::KnowledgeCollection)
Q_DECLARE_METATYPE(sb::api::Document)
