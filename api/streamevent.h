#pragma once

// Typed events of the live stream (CONTRACT §1.5) and the small value types around them.
// Platform-neutral like dto.h: nothing above api/ sees the wire format.

#include "apierror.h"
#include "dto.h"

#include <QJsonValue>
#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace sb::api {

//! One event of the live stream, parsed on the stream's thread. One struct for every type (only
//! the members of its type are set) so a batch is a plain QList that models walk in order.
struct StreamEvent
{
    enum class Type {
        Transcript,  //!< line, isFinal
        ToolCall,    //!< tool, args
        ToolResult,  //!< tool, result
        Sentiment,   //!< sentiment, score
        Status,      //!< status (a final status ends the call's stream)
        CallStarted, //!< call (calls channel, no seq)
        CallEnded,   //!< call (calls channel, no seq)
        Error,       //!< errorCode, errorMessage, callId when it concerns one call
    };

    Type type = Type::Error;
    QString callId;        //!< empty for channel-wide errors
    qint64 seq = 0;        //!< per-call sequence; 0 for calls-channel events and errors
    qint64 serverTsMs = 0; //!< server send time, ms since the epoch (0 when absent)
    //! std::chrono::steady_clock time (ns since its epoch) when the frame arrived on the socket,
    //! for frame-received → applied latency.
    qint64 receivedNs = 0;

    TranscriptLine line;  //!< Transcript: role, text, startMs, endMs
    bool isFinal = false; //!< Transcript: false = interim chunk (replaced by role + startMs)
    QString tool;         //!< ToolCall / ToolResult
    QJsonValue args;      //!< ToolCall
    QJsonValue result;    //!< ToolResult
    sb::api::Sentiment sentiment = sb::api::Sentiment::None; //!< Sentiment
    std::optional<double> score;                             //!< Sentiment
    CallStatus status = CallStatus::Unknown;                 //!< Status
    Call call;                                               //!< CallStarted / CallEnded
    QString errorCode;                                       //!< Error (replay_gap, not_live, ...)
    QString errorMessage;                                    //!< Error
    std::optional<qint64> oldestSeq;                         //!< Error replay_gap

    bool isCallEvent() const { return seq > 0; }
};

//! Why a call was fetched by REST instead of streamed.
enum class BackfillReason {
    Gap,       //!< a seq jump was seen on the socket
    ReplayGap, //!< the server could not replay from `since` (error replay_gap)
    NotLive,   //!< the call is no longer buffered (error not_live)
};

//! REST truth of one call (GET /calls/{id}) fetched to fill what the stream could not deliver.
//! Models merge `details.transcript` into their transcript (TranscriptAssembler::mergeSnapshot).
struct CallSnapshot
{
    QString callId;
    BackfillReason reason = BackfillReason::Gap;
    CallDetails details;
};

//! Connection state of the live stream, for the status bar.
enum class StreamState {
    Idle,         //!< not started, or stopped by the app
    Connecting,   //!< handshake in progress
    Connected,    //!< socket open, subscriptions sent
    Backoff,      //!< waiting to reconnect (see nextAttemptAtMs)
    Unauthorized, //!< closed with 4001: needs a new key, no retries
    Forbidden,    //!< closed with 4003: no retries
};

//! Counters for tests and the benchmark (read on any thread; monotonic until reset).
struct StreamCounters
{
    quint64 eventsDelivered = 0;   //!< events handed to the GUI thread
    quint64 batchesDelivered = 0;  //!< batches (signals) handed to the GUI thread
    quint64 duplicatesDropped = 0; //!< call events with seq <= the last applied
    quint64 gapsDetected = 0;      //!< seq jumps (each requests a backfill)
    quint64 malformedFrames = 0;   //!< non-JSON, wrong-typed, unknown type, binary
    quint64 oversizedFrames = 0;   //!< above StreamOptions::maxFrameBytes
    quint64 reconnects = 0;        //!< connection attempts after the first
    quint64 backfillsRequested = 0;
};

//! Tunables of the live stream; the defaults follow CONTRACT §1.5.
struct StreamOptions
{
    int pingIntervalMs = 12000; //!< client ping; any frame or pong counts as life
    int deadTimeoutMs = 35000;  //!< silence after which the socket is declared dead
    //! At most one batch per interval. A little under a 60 Hz frame (16.7 ms): with batches
    //! leaving on the leading edge, an event waits less than this, plus timer and hand-over
    //! jitter, so p99 stays within one frame (bench_live_stream measures it).
    int batchIntervalMs = 15;
    int reconnectBaseMs = 500;         //!< first reconnect waits 50–100 % of this
    int reconnectMaxMs = 30000;        //!< cap of one wait
    int stableAfterMs = 10000;         //!< a connection up this long resets the backoff
    qint64 maxFrameBytes = 256 * 1024; //!< larger frames are counted and dropped
    //! QWebSocket's own limit (closes the socket): far above maxFrameBytes, only bounds memory.
    qint64 hardMessageLimitBytes = 16 * 1024 * 1024;
};

} // namespace sb::api

Q_DECLARE_METATYPE(sb::api::StreamEvent)
Q_DECLARE_METATYPE(sb::api::CallSnapshot)
Q_DECLARE_METATYPE(sb::api::StreamState)
Q_DECLARE_METATYPE(sb::api::BackfillReason)
