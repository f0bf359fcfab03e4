#include "transcriptexport.h"

#include "models/sentimenttimelinemodel.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QSaveFile>

using namespace sb::api;

namespace sb::ui {

namespace {

QString isoTime(const QDateTime &at)
{
    return at.isValid() ? at.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QJsonValue optionalNumber(const std::optional<double> &value)
{
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

QJsonValue optionalString(const QString &value)
{
    return value.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(value);
}

} // namespace

std::optional<TranscriptExport::Format> TranscriptExport::formatForPath(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("txt"))
        return Format::Text;
    if (suffix == QLatin1String("json"))
        return Format::Json;
    if (suffix == QLatin1String("csv"))
        return Format::Csv;
    return std::nullopt;
}

QString TranscriptExport::suffix(Format format)
{
    switch (format) {
    case Format::Json:
        return QStringLiteral("json");
    case Format::Csv:
        return QStringLiteral("csv");
    case Format::Text:
        break;
    }
    return QStringLiteral("txt");
}

QStringList TranscriptExport::nameFilters()
{
    return {tr("Plain text (*.txt)"), tr("JSON (*.json)"), tr("CSV spreadsheet (*.csv)")};
}

TranscriptExport::Format TranscriptExport::formatForNameFilter(const QString &filter)
{
    const int index = int(nameFilters().indexOf(filter));
    return index == 1 ? Format::Json : index == 2 ? Format::Csv : Format::Text;
}

QByteArray TranscriptExport::render(Format format, const CallDetails &details,
                                    const QString &agentName)
{
    switch (format) {
    case Format::Json:
        return toJson(details, agentName);
    case Format::Csv:
        return toCsv(details, agentName);
    case Format::Text:
        break;
    }
    return toText(details, agentName);
}

QByteArray TranscriptExport::toText(const CallDetails &details, const QString &agentName)
{
    const Call &c = details.call;
    const QLocale locale;
    QStringList out;
    out << tr("Call %1").arg(c.id);
    out << tr("Time: %1").arg(locale.toString(c.createdAt.toLocalTime(), QLocale::LongFormat));
    out << tr("Direction: %1").arg(directionLabel(c.direction));
    out << tr("From: %1").arg(c.from) << tr("To: %1").arg(c.to);
    out << tr("Agent: %1").arg(agentName.isEmpty() ? c.agentId : agentName);
    out << tr("Status: %1").arg(statusLabel(c.status));
    out << tr("Duration: %1").arg(sb::models::callTimeText(qint64(c.durationSeconds) * 1000));
    out << tr("Sentiment: %1").arg(sentimentLabel(c.sentiment));
    if (!c.summary.isEmpty())
        out << tr("Summary: %1").arg(c.summary);
    out << QString();
    if (details.transcript.isEmpty())
        out << tr("(no transcript)");
    for (const TranscriptLine &line : details.transcript) {
        out << QStringLiteral("[%1] %2: %3")
                   .arg(sb::models::callTimeText(line.startMs), speakerLabel(line.role, agentName),
                        line.text);
    }
    out << QString(); // a final line break
    return out.join(QLatin1Char('\n')).toUtf8();
}

QByteArray TranscriptExport::toJson(const CallDetails &details, const QString &agentName)
{
    const Call &c = details.call;
    QJsonArray lines;
    for (const TranscriptLine &line : details.transcript) {
        lines.append(QJsonObject{
            {QStringLiteral("speaker"), speakerCode(line.role)},
            {QStringLiteral("text"), line.text},
            {QStringLiteral("startMs"), line.startMs},
            {QStringLiteral("endMs"), line.endMs},
            {QStringLiteral("sentiment"), optionalString(sentimentCode(line.sentiment))}});
    }
    QJsonArray timeline;
    for (const SentimentPoint &p : details.sentimentTimeline) {
        timeline.append(QJsonObject{{QStringLiteral("atMs"), p.atMs},
                                    {QStringLiteral("label"), sentimentCode(p.label)},
                                    {QStringLiteral("score"), optionalNumber(p.score)}});
    }
    QJsonArray tools;
    for (const ToolCall &t : details.toolCalls) {
        QJsonObject o{{QStringLiteral("tool"), t.tool},
                      {QStringLiteral("atMs"), t.atMs},
                      {QStringLiteral("args"), t.args}};
        o.insert(QStringLiteral("result"),
                 t.result.isUndefined() ? QJsonValue(QJsonValue::Null) : t.result);
        tools.append(o);
    }
    const QJsonObject call{
        {QStringLiteral("id"), c.id},
        {QStringLiteral("createdAt"), isoTime(c.createdAt)},
        {QStringLiteral("startedAt"), optionalString(isoTime(c.startedAt))},
        {QStringLiteral("endedAt"), optionalString(isoTime(c.endedAt))},
        {QStringLiteral("direction"), directionCode(c.direction)},
        {QStringLiteral("from"), c.from},
        {QStringLiteral("to"), c.to},
        {QStringLiteral("agent"), QJsonObject{{QStringLiteral("id"), c.agentId},
                                              {QStringLiteral("name"), optionalString(agentName)}}},
        {QStringLiteral("status"), statusCode(c.status)},
        {QStringLiteral("durationSeconds"), c.durationSeconds},
        {QStringLiteral("sentiment"), optionalString(sentimentCode(c.sentiment))},
        {QStringLiteral("sentimentScore"), optionalNumber(c.sentimentScore)},
        {QStringLiteral("summary"), optionalString(c.summary)},
        {QStringLiteral("metadata"), c.metadata},
    };
    const QJsonObject root{{QStringLiteral("format"), QStringLiteral("switchboard.transcript/1")},
                           {QStringLiteral("call"), call},
                           {QStringLiteral("transcript"), lines},
                           {QStringLiteral("sentimentTimeline"), timeline},
                           {QStringLiteral("toolCalls"), tools}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

QString TranscriptExport::csvField(const QString &value)
{
    static const QString special = QStringLiteral(",\"\r\n");
    bool quote = false;
    for (const QChar ch : value) {
        if (special.contains(ch)) {
            quote = true;
            break;
        }
    }
    if (!quote)
        return value;
    QString escaped = value;
    escaped.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + escaped + QLatin1Char('"');
}

QByteArray TranscriptExport::toCsv(const CallDetails &details, const QString &agentName)
{
    const QLatin1String crlf("\r\n");
    QString out =
        QStringLiteral("call_id,start_ms,end_ms,time,speaker,speaker_name,text,sentiment") + crlf;
    for (const TranscriptLine &line : details.transcript) {
        const QStringList fields{
            csvField(details.call.id),   QString::number(line.startMs),
            QString::number(line.endMs), sb::models::callTimeText(line.startMs),
            speakerCode(line.role),      csvField(speakerLabel(line.role, agentName)),
            csvField(line.text),         sentimentCode(line.sentiment)};
        out += fields.join(QLatin1Char(',')) + crlf;
    }
    return out.toUtf8();
}

bool TranscriptExport::writeFile(const QString &path, const QByteArray &bytes, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    if (file.write(bytes) != bytes.size() || !file.commit()) {
        if (error)
            *error = tr("Cannot write %1: %2").arg(path, file.errorString());
        file.cancelWriting();
        return false;
    }
    return true;
}

bool TranscriptExport::copyFile(const QString &source, const QString &target, QString *error)
{
    QFile in(source);
    if (!in.open(QIODevice::ReadOnly)) {
        if (error)
            *error = tr("Cannot read %1: %2").arg(source, in.errorString());
        return false;
    }
    QSaveFile out(target);
    if (!out.open(QIODevice::WriteOnly)) {
        if (error)
            *error = tr("Cannot write %1: %2").arg(target, out.errorString());
        return false;
    }
    QByteArray chunk;
    while (!(chunk = in.read(1 << 20)).isEmpty()) {
        if (out.write(chunk) != chunk.size()) {
            if (error)
                *error = tr("Cannot write %1: %2").arg(target, out.errorString());
            out.cancelWriting();
            return false;
        }
    }
    if (in.error() != QFileDevice::NoError) {
        if (error)
            *error = tr("Cannot read %1: %2").arg(source, in.errorString());
        out.cancelWriting();
        return false;
    }
    if (!out.commit()) {
        if (error)
            *error = tr("Cannot write %1: %2").arg(target, out.errorString());
        return false;
    }
    return true;
}

QString TranscriptExport::statusLabel(CallStatus status)
{
    switch (status) {
    case CallStatus::Initiated:
        return tr("Initiated");
    case CallStatus::Ringing:
        return tr("Ringing");
    case CallStatus::InProgress:
        return tr("In progress");
    case CallStatus::Completed:
        return tr("Completed");
    case CallStatus::Failed:
        return tr("Failed");
    case CallStatus::NoAnswer:
        return tr("No answer");
    case CallStatus::Busy:
        return tr("Busy");
    case CallStatus::Canceled:
        return tr("Canceled");
    case CallStatus::Unknown:
        break;
    }
    return tr("Unknown");
}

QString TranscriptExport::directionLabel(CallDirection direction)
{
    switch (direction) {
    case CallDirection::Inbound:
        return tr("Inbound");
    case CallDirection::Outbound:
        return tr("Outbound");
    case CallDirection::Unknown:
        break;
    }
    return tr("Unknown");
}

QString TranscriptExport::sentimentLabel(Sentiment sentiment)
{
    switch (sentiment) {
    case Sentiment::Positive:
        return tr("Positive");
    case Sentiment::Neutral:
        return tr("Neutral");
    case Sentiment::Negative:
        return tr("Negative");
    case Sentiment::None:
        return tr("None");
    case Sentiment::Unknown:
        break;
    }
    return tr("Unknown");
}

QString TranscriptExport::speakerLabel(SpeakerRole role, const QString &agentName)
{
    switch (role) {
    case SpeakerRole::Agent:
        return agentName.isEmpty() ? tr("Agent") : agentName;
    case SpeakerRole::Caller:
        return tr("Caller");
    case SpeakerRole::System:
        return tr("System");
    case SpeakerRole::Tool:
        return tr("Tool");
    case SpeakerRole::Unknown:
        break;
    }
    return tr("Unknown");
}

QString TranscriptExport::endReasonLabel(EndReason reason)
{
    switch (reason) {
    case EndReason::None:
        return QString();
    case EndReason::CallerHangup:
        return tr("Caller hung up");
    case EndReason::AgentHangup:
        return tr("Agent hung up");
    case EndReason::Transfer:
        return tr("Transferred");
    case EndReason::NoAnswer:
        return tr("No answer");
    case EndReason::Voicemail:
        return tr("Voicemail");
    case EndReason::Error:
        return tr("Error");
    case EndReason::Unknown:
        break;
    }
    return tr("Unknown");
}

QString TranscriptExport::remoteNumber(const Call &call)
{
    return call.direction == CallDirection::Inbound ? call.from : call.to;
}

QString TranscriptExport::statusCode(CallStatus status)
{
    switch (status) {
    case CallStatus::Initiated:
        return QStringLiteral("initiated");
    case CallStatus::Ringing:
        return QStringLiteral("ringing");
    case CallStatus::InProgress:
        return QStringLiteral("in_progress");
    case CallStatus::Completed:
        return QStringLiteral("completed");
    case CallStatus::Failed:
        return QStringLiteral("failed");
    case CallStatus::NoAnswer:
        return QStringLiteral("no_answer");
    case CallStatus::Busy:
        return QStringLiteral("busy");
    case CallStatus::Canceled:
        return QStringLiteral("canceled");
    case CallStatus::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

QString TranscriptExport::directionCode(CallDirection direction)
{
    return direction == CallDirection::Inbound    ? QStringLiteral("inbound")
           : direction == CallDirection::Outbound ? QStringLiteral("outbound")
                                                  : QStringLiteral("unknown");
}

QString TranscriptExport::sentimentCode(Sentiment sentiment)
{
    switch (sentiment) {
    case Sentiment::Positive:
        return QStringLiteral("positive");
    case Sentiment::Neutral:
        return QStringLiteral("neutral");
    case Sentiment::Negative:
        return QStringLiteral("negative");
    case Sentiment::Unknown:
        return QStringLiteral("unknown");
    case Sentiment::None:
        break;
    }
    return QString();
}

QString TranscriptExport::speakerCode(SpeakerRole role)
{
    switch (role) {
    case SpeakerRole::Agent:
        return QStringLiteral("agent");
    case SpeakerRole::Caller:
        return QStringLiteral("caller");
    case SpeakerRole::System:
        return QStringLiteral("system");
    case SpeakerRole::Tool:
        return QStringLiteral("tool");
    case SpeakerRole::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

} // namespace sb::ui
