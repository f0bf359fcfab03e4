#pragma once

// Talknex live-stream wire format (CONTRACT §1.5, SIM-INTERFACE "Live calls and the stream"):
// pure functions from one text frame to a StreamEvent, and the client's messages.

#include "streamevent.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace sb::api::talknex {

//! Outcome of parsing one frame: an event, or why it was dropped.
struct FrameParse
{
    enum class Problem { None, Oversized, NotJson, Invalid, UnknownType };
    std::optional<StreamEvent> event;
    Problem problem = Problem::None;
    QString error; //!< English, for the log (never contains the frame's content)

    bool ok() const { return event.has_value(); }
};

//! Parses one UTF-8 text frame. Frames above `maxBytes` are rejected before parsing. Call events
//! need `callId` and an integer `seq` >= 1; `ts` is optional. `receivedNs` is stored as is.
FrameParse parseStreamFrame(const QByteArray &utf8, qint64 receivedNs,
                            qint64 maxBytes = 256 * 1024);

//! {"type":"subscribe","channel":"calls"}
QByteArray subscribeCallsMessage();
//! {"type":"subscribe","callId":..,"since":..} (`since` left out when <= 0)
QByteArray subscribeCallMessage(const QString &callId, qint64 since);
//! {"type":"unsubscribe","callId":..}
QByteArray unsubscribeCallMessage(const QString &callId);

} // namespace sb::api::talknex
