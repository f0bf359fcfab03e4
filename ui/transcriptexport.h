#pragma once

#include "api/dto.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

#include <optional>

namespace sb::ui {

//! A call's transcript as a file (plain text, JSON or CSV) and the atomic writes behind the
//! Calls pane's export actions. Pure: no widgets, no dialogs, table-tested on its own.
class TranscriptExport
{
    Q_DECLARE_TR_FUNCTIONS(TranscriptExport)
public:
    enum class Format { Text, Json, Csv };

    //! The format a file name asks for by its suffix (.txt, .json, .csv), if any.
    static std::optional<Format> formatForPath(const QString &path);
    static QString suffix(Format format);
    //! "Plain text (*.txt)" etc., for a file dialog, in Format order.
    static QStringList nameFilters();
    static Format formatForNameFilter(const QString &filter);

    //! \a agentName labels the agent's lines and the header (the cache stores ids only).
    static QByteArray render(Format format, const sb::api::CallDetails &details,
                             const QString &agentName);
    //! Human-readable: a header of metadata, then "[m:ss] Speaker: text" per line (UTF-8).
    static QByteArray toText(const sb::api::CallDetails &details, const QString &agentName);
    //! Machine-readable, stable English codes (not translated): call, transcript, timeline,
    //! tool calls.
    static QByteArray toJson(const sb::api::CallDetails &details, const QString &agentName);
    //! RFC 4180: one row per line, CRLF, fields with commas, quotes or line breaks quoted.
    static QByteArray toCsv(const sb::api::CallDetails &details, const QString &agentName);
    static QString csvField(const QString &value);

    //! Writes \a bytes through QSaveFile: either the whole file appears or the old one stays.
    static bool writeFile(const QString &path, const QByteArray &bytes, QString *error);
    //! Copies \a source to \a target through QSaveFile (a failed copy leaves no half file).
    static bool copyFile(const QString &source, const QString &target, QString *error);

    // Translated labels shared with the details view.
    static QString statusLabel(sb::api::CallStatus status);
    static QString directionLabel(sb::api::CallDirection direction);
    static QString sentimentLabel(sb::api::Sentiment sentiment);
    static QString speakerLabel(sb::api::SpeakerRole role, const QString &agentName);
    static QString endReasonLabel(sb::api::EndReason reason);
    //! The other party of the call: the callee of an outbound call, the caller of an inbound one.
    static QString remoteNumber(const sb::api::Call &call);

    // Stable codes for the JSON and CSV files.
    static QString statusCode(sb::api::CallStatus status);
    static QString directionCode(sb::api::CallDirection direction);
    static QString sentimentCode(sb::api::Sentiment sentiment);
    static QString speakerCode(sb::api::SpeakerRole role);
};

} // namespace sb::ui
