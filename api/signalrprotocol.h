#pragma once

// The pieces of ASP.NET Core SignalR's JSON hub protocol (version 1) the console needs, as pure
// functions: record framing (each JSON text ends with 0x1E), message parsing and the negotiate
// answer. SignalRClient does the networking; these are table-tested without a socket.

#include <QByteArray>
#include <QJsonArray>
#include <QList>
#include <QString>
#include <QUrl>

#include <optional>

namespace sb::api::signalr {

constexpr char kRecordSeparator = '\x1e';

//! Message types of the hub protocol.
enum class MessageType {
    Invocation = 1,
    StreamItem = 2,
    Completion = 3,
    StreamInvocation = 4,
    CancelInvocation = 5,
    Ping = 6,
    Close = 7,
};

//! Splits a byte stream into records. A record longer than maxBytes is counted as oversized and
//! skipped up to its separator, without buffering it.
class RecordSplitter
{
public:
    explicit RecordSplitter(qint64 maxBytes = 1024 * 1024)
        : m_maxBytes(maxBytes)
    {}
    //! The complete records in `data` (after what was held back), without separators.
    QList<QByteArray> feed(const QByteArray &data);
    void reset();
    void setMaxBytes(qint64 maxBytes) { m_maxBytes = maxBytes; }
    quint64 oversized() const { return m_oversized; }
    qint64 pendingBytes() const { return m_partial.size(); }

private:
    qint64 m_maxBytes;
    QByteArray m_partial;
    bool m_skipping = false; // inside an oversized record: drop up to the next separator
    quint64 m_oversized = 0;
};

//! One parsed hub message (only the members of its type are set).
struct Message
{
    MessageType type = MessageType::Ping;
    QString target;              //!< Invocation
    QJsonArray arguments;        //!< Invocation
    QString invocationId;        //!< Invocation (blocking), Completion
    QString error;               //!< Close, Completion
    bool allowReconnect = false; //!< Close
};

//! Parses one record. nullopt for malformed input (not JSON, not an object, no numeric type, an
//! invocation without a string target or an array of arguments). Unknown types parse with
//! their number kept out: the protocol says to ignore them, so they come back as nullopt with
//! *unknownType set.
std::optional<Message> parseMessage(const QByteArray &record, bool *unknownType = nullptr);

//! The handshake answer: empty error = accepted. nullopt when the record is not an object.
std::optional<QString> parseHandshakeResponse(const QByteArray &record);

QByteArray handshakeRequest();
QByteArray pingRecord();
QByteArray closeRecord();

//! What the negotiate endpoint answered.
struct Negotiation
{
    QString connectionId;
    QString connectionToken; //!< empty for negotiateVersion 0: the id pairs the socket then
    bool webSockets = false; //!< WebSockets with Text offered
    QUrl redirectUrl;        //!< Azure-style redirect ("url"), with its own access token
    QString redirectToken;
    QString error; //!< the server refused ("error")
};

//! Parses a negotiate body; nullopt with *problem for a body that is not a negotiate answer.
std::optional<Negotiation> parseNegotiation(const QByteArray &body, QString *problem);

//! POST target of negotiate for a hub URL: <hub>/negotiate?negotiateVersion=1 (query kept).
QUrl negotiateUrl(const QUrl &hubUrl);
//! ws(s) URL of the hub with id and access_token; invalid for a hub URL that is not http(s).
QUrl webSocketUrl(const QUrl &hubUrl, const QString &id, const QString &accessToken);

} // namespace sb::api::signalr
