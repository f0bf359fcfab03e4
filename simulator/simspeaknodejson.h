#pragma once

#include "simstore.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

//! SpeakNode JSON (CONTRACT §2.2: snake_case keys, UUID ids, PascalCase enums) of the store's
//! records. Pure functions: no store, no clock, no network; the REST face and the SignalR hub
//! look up what they need (agent title, signed audio link) and pass it in.
namespace SimSpeakNodeJson {

//! The UUID of a store id of the form <prefix><12 base-36 digits> (every id the simulator
//! makes, e.g. call_k3j9x2mq0a1b). Reversible without any index: the digits are encoded in the
//! UUID (RFC 9562 version 8, "custom"), scrambled so that neighbouring ids do not look alike.
//! Empty for an id of another shape.
QString uuid(const QString &storeId);
//! The store id a UUID from uuid() stands for; empty when the text is not such a UUID (the
//! checksum bits make a random UUID fail). Case-insensitive, braces tolerated.
QString storeId(const QString &uuid);
//! A name-based UUID (version 5) for things without a store id: history items, tools.
QString nameUuid(const QString &name);

//! Talknex call status → SpeakNode session status (Pending, Dispatching, Active, Completed,
//! Failed). Unknown values map to Failed.
QString sessionStatus(const QString &talknexStatus);
//! Why a Failed session failed (null for the others).
QJsonValue errorMessage(const SimCallRow &call);
//! The PascalCase telecom provider of one of the organizations' numbers (derived from the
//! number itself, so that the phone-number list and the sessions agree without a lookup).
QString telecomProvider(const QString &number);

//! A pre-signed recording link; an empty url means "no audio yet".
struct AudioLink
{
    QString url;
    qint64 expiresAtMs = 0;
};

//! The session object (without history) of a call.
QJsonObject session(const SimCallRow &call, const QString &agentTitle, const AudioLink &audio);
//! history[] of a call from its Talknex-shaped conversation ({transcript, toolCalls}, as
//! GET /v1/calls/{id} shows it; for a running call the lines so far). Tool calls and a Handoff
//! item (when the call was transferred) are merged in by time. Item ids are stable as the
//! history of a running call grows.
QJsonArray history(const SimCallRow &call, const QJsonObject &conversation);

//! One tool of an organization as GET /tools lists it.
struct Tool
{
    QString code; // the name the LLM uses
    QJsonObject json;
};
//! The tools a Talknex agent record uses (its custom webhook tools and built-ins), with ids
//! that depend only on the organization and the tool, so that agents sharing one agree.
QList<Tool> agentTools(const QString &org, const QJsonObject &talknexAgent);
QString toolId(const QString &org, const QString &code);

//! The agent object (docs/api/speaknode.openapi.yaml, Agent) of a Talknex agent record.
QJsonObject agent(const SimObject &talknexAgent);
//! The phone-number object of a Talknex number record.
QJsonObject phoneNumber(const SimObject &talknexNumber);

//! RFC 7807 problem details {type, title, status, detail, traceId}; `errors` is added for 422.
QJsonObject problem(int status, const QString &detail, const QString &traceId,
                    const QJsonObject &errors = {});

} // namespace SimSpeakNodeJson
