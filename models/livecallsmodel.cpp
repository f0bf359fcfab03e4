#include "livecallsmodel.h"

#include "alertservice.h"

#include "api/livestream.h"
#include "api/platform.h"

#include <QLocale>

namespace sb::models {

using sb::api::Call;
using sb::api::CallStatus;
using sb::api::StreamEvent;

namespace {
bool isFinalStatus(CallStatus s)
{
    return s == CallStatus::Completed || s == CallStatus::Failed || s == CallStatus::NoAnswer ||
           s == CallStatus::Busy || s == CallStatus::Canceled;
}

QString statusText(CallStatus s)
{
    switch (s) {
    case CallStatus::Initiated:
        return LiveCallsModel::tr("Dialling");
    case CallStatus::Ringing:
        return LiveCallsModel::tr("Ringing");
    case CallStatus::InProgress:
        return LiveCallsModel::tr("In progress");
    case CallStatus::Completed:
        return LiveCallsModel::tr("Ended");
    case CallStatus::Failed:
        return LiveCallsModel::tr("Failed");
    case CallStatus::NoAnswer:
        return LiveCallsModel::tr("No answer");
    case CallStatus::Busy:
        return LiveCallsModel::tr("Busy");
    case CallStatus::Canceled:
        return LiveCallsModel::tr("Canceled");
    case CallStatus::Unknown:
        break;
    }
    return LiveCallsModel::tr("Unknown");
}

QString sentimentText(sb::api::Sentiment s)
{
    switch (s) {
    case sb::api::Sentiment::Positive:
        return LiveCallsModel::tr("Positive");
    case sb::api::Sentiment::Neutral:
        return LiveCallsModel::tr("Neutral");
    case sb::api::Sentiment::Negative:
        return LiveCallsModel::tr("Negative");
    case sb::api::Sentiment::Unknown:
    case sb::api::Sentiment::None:
        break;
    }
    return {};
}

QString speakerText(sb::api::SpeakerRole role)
{
    switch (role) {
    case sb::api::SpeakerRole::Agent:
        return LiveCallsModel::tr("Agent");
    case sb::api::SpeakerRole::Caller:
        return LiveCallsModel::tr("Caller");
    default:
        break;
    }
    return {};
}

QString durationText(qint64 seconds)
{
    const qint64 h = seconds / 3600;
    const qint64 m = (seconds / 60) % 60;
    const qint64 s = seconds % 60;
    const QChar zero(u'0');
    if (h > 0)
        return QStringLiteral("%1:%2:%3").arg(h).arg(m, 2, 10, zero).arg(s, 2, 10, zero);
    return QStringLiteral("%1:%2").arg(m).arg(s, 2, 10, zero);
}
} // namespace

LiveCallsModel::LiveCallsModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_clock.start();
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, &LiveCallsModel::onTick);
    m_tick.start();
}

void LiveCallsModel::attach(sb::api::LiveStream *stream)
{
    if (m_stream)
        disconnect(m_stream, nullptr, this, nullptr);
    m_stream = stream;
    if (!stream)
        return;
    connect(stream, &sb::api::LiveStream::eventsReady, this, &LiveCallsModel::applyBatch);
    connect(stream, &sb::api::LiveStream::snapshotReady, this, &LiveCallsModel::applySnapshot);
    stream->setCallsChannel(true);
    for (const Row &row : std::as_const(m_rows)) {
        if (row.endedAtMs < 0)
            stream->subscribeCall(row.call.id);
    }
}

void LiveCallsModel::loadActive(sb::api::Platform *platform)
{
    if (!platform)
        return;
    const quint64 generation = ++m_loadGeneration;
    for (CallStatus status : {CallStatus::Initiated, CallStatus::Ringing, CallStatus::InProgress}) {
        sb::api::CallFilter filter;
        filter.status = status;
        auto pager = platform->calls(filter, 100, sb::api::Lane::Interactive);
        auto fetch = std::make_shared<std::function<void()>>();
        *fetch = [this, pager, generation, fetch]() mutable {
            auto reply = pager.fetchNext();
            if (!reply.isValid()) {
                *fetch = nullptr; // breaks the self-reference
                return;
            }
            reply.onFinished(this, [this, pager, generation, fetch](const auto &result) {
                if (generation != m_loadGeneration || !result.ok()) {
                    *fetch = nullptr;
                    return;
                }
                for (const Call &call : result.value().items)
                    upsertCall(call);
                flushDirty();
                if (pager.hasMore() && *fetch)
                    (*fetch)();
                else
                    *fetch = nullptr;
            });
        };
        (*fetch)();
    }
}

void LiveCallsModel::setAlertService(AlertService *service)
{
    if (m_alerts)
        disconnect(m_alerts, nullptr, this, nullptr);
    m_alerts = service;
    if (!service)
        return;
    connect(service, &AlertService::callSeverityChanged, this, &LiveCallsModel::onSeverityChanged);
    for (int row = 0; row < m_rows.size(); ++row)
        onSeverityChanged(m_rows.at(row).call.id,
                          service->highestUnacknowledged(m_rows.at(row).call.id));
}

int LiveCallsModel::insertRow(const Call &call)
{
    const int at = int(m_rows.size());
    Row row;
    row.call = call;
    if (m_alerts)
        row.alert = m_alerts->highestUnacknowledged(call.id);
    if (call.sentiment != sb::api::Sentiment::None) {
        row.sentiment = call.sentiment;
        row.score = call.sentimentScore;
    }
    beginInsertRows({}, at, at);
    m_rows.append(row);
    m_rowById.insert(call.id, at);
    endInsertRows();
    if (m_stream)
        m_stream->subscribeCall(call.id);
    Q_EMIT callAdded(call.id);
    return at;
}

void LiveCallsModel::upsertCall(const Call &call)
{
    if (call.id.isEmpty())
        return;
    const int row = rowOf(call.id);
    if (row < 0) {
        if (!isFinalStatus(call.status) && !m_ended.contains(call.id))
            insertRow(call);
        return;
    }
    Row &r = m_rows[row];
    if (r.endedAtMs >= 0 && !isFinalStatus(call.status))
        return; // a listing older than the end we saw
    const QDateTime startedAt = r.call.startedAt;
    r.call = call;
    if (!r.call.startedAt.isValid())
        r.call.startedAt = startedAt;
    touch(row, Agent);
    touch(row, Duration);
    if (isFinalStatus(call.status))
        markEnded(r, row);
}

void LiveCallsModel::applyBatch(const QList<StreamEvent> &events)
{
    for (const StreamEvent &e : events)
        applyEvent(e);
    flushDirty();
    if (m_lingerMs == 0)
        removeExpired(false);
}

bool LiveCallsModel::applyEvent(const StreamEvent &e)
{
    using Type = StreamEvent::Type;
    if (e.type == Type::CallStarted) {
        upsertCall(e.call);
        return true;
    }
    if (e.type == Type::CallEnded) {
        if (rowOf(e.call.id) >= 0) {
            Call ended = e.call;
            if (!isFinalStatus(ended.status))
                ended.status = CallStatus::Completed;
            upsertCall(ended);
        }
        m_ended.insert(e.call.id);
        return true;
    }
    if (!e.isCallEvent())
        return false;
    const int row = rowOf(e.callId);
    if (row < 0)
        return false;
    Row &r = m_rows[row];
    switch (e.type) {
    case Type::Transcript: {
        const bool sameKey = e.line.startMs == r.latestStartMs && e.line.role == r.latestRole;
        if (sameKey && r.latestFinal && !e.isFinal)
            return false; // a late interim never undoes the final line
        if (e.line.startMs < r.latestStartMs)
            return false; // an older line completing: the latest stays
        r.latestText = e.line.text;
        r.latestRole = e.line.role;
        r.latestStartMs = e.line.startMs;
        r.latestFinal = e.isFinal;
        touch(row, LatestLine);
        return true;
    }
    case Type::Sentiment: {
        if (e.score && r.score) {
            const double delta = *e.score - *r.score;
            r.trend = delta > 0.05 ? 1 : (delta < -0.05 ? -1 : 0);
        }
        r.sentiment = e.sentiment;
        r.score = e.score;
        touch(row, Sentiment);
        return true;
    }
    case Type::Status:
        r.call.status = e.status;
        if (e.status == CallStatus::InProgress && !r.call.startedAt.isValid())
            r.call.startedAt = e.serverTsMs > 0
                                   ? QDateTime::fromMSecsSinceEpoch(e.serverTsMs, Qt::UTC)
                                   : QDateTime::currentDateTimeUtc();
        touch(row, Status);
        touch(row, Duration);
        if (isFinalStatus(e.status))
            markEnded(r, row);
        return true;
    default:
        return false;
    }
}

void LiveCallsModel::applySnapshot(const sb::api::CallSnapshot &snapshot)
{
    const int row = rowOf(snapshot.callId);
    if (row < 0)
        return;
    const sb::api::CallDetails &d = snapshot.details;
    if (!d.transcript.isEmpty()) {
        const sb::api::TranscriptLine &last = d.transcript.last();
        Row &r = m_rows[row];
        if (last.startMs >= r.latestStartMs) {
            r.latestText = last.text;
            r.latestRole = last.role;
            r.latestStartMs = last.startMs;
            r.latestFinal = true;
            touch(row, LatestLine);
        }
    }
    if (!d.sentimentTimeline.isEmpty()) {
        Row &r = m_rows[row];
        r.sentiment = d.sentimentTimeline.last().label;
        r.score = d.sentimentTimeline.last().score;
        touch(row, Sentiment);
    }
    if (!d.call.id.isEmpty())
        upsertCall(d.call);
    flushDirty();
    if (m_lingerMs == 0)
        removeExpired(false);
}

void LiveCallsModel::markEnded(Row &row, int rowIndex)
{
    if (row.endedAtMs >= 0)
        return;
    row.endedAtMs = m_clock.elapsed();
    if (!row.call.endedAt.isValid())
        row.call.endedAt = QDateTime::currentDateTimeUtc();
    m_ended.insert(row.call.id);
    if (m_stream)
        m_stream->unsubscribeCall(row.call.id);
    touch(rowIndex, Status);
    touch(rowIndex, Duration);
}

void LiveCallsModel::flushDirty()
{
    for (auto it = m_dirty.cbegin(); it != m_dirty.cend(); ++it) {
        const int row = rowOf(it.key());
        if (row >= 0 && it->last >= it->first)
            Q_EMIT dataChanged(index(row, it->first), index(row, it->last));
    }
    m_dirty.clear();
}

void LiveCallsModel::removeExpired(bool all)
{
    const qint64 now = m_clock.elapsed();
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        const Row &r = m_rows.at(row);
        if (r.endedAtMs < 0 || (!all && now - r.endedAtMs < m_lingerMs))
            continue;
        const QString id = r.call.id;
        beginRemoveRows({}, row, row);
        m_rows.removeAt(row);
        m_rowById.remove(id);
        for (int i = row; i < m_rows.size(); ++i)
            m_rowById.insert(m_rows.at(i).call.id, i);
        endRemoveRows();
        m_dirty.remove(id);
        Q_EMIT callRemoved(id);
    }
    if (m_ended.size() > 10000)
        m_ended.clear(); // only guards against late REST listings of recent calls
}

void LiveCallsModel::onTick()
{
    removeExpired(false);
    if (m_rows.isEmpty())
        return;
    // One signal for the whole column, not one per row.
    Q_EMIT dataChanged(index(0, Duration), index(int(m_rows.size()) - 1, Duration),
                       {Qt::DisplayRole, SortRole});
}

void LiveCallsModel::onSeverityChanged(const QString &callId, AlertSeverity severity)
{
    const int row = rowOf(callId);
    if (row < 0 || m_rows.at(row).alert == severity)
        return;
    m_rows[row].alert = severity;
    Q_EMIT dataChanged(index(row, AlertState), index(row, AlertState));
}

qint64 LiveCallsModel::durationSeconds(const Row &row) const
{
    // Time since the answer; before it, how long the call has been waiting.
    const QDateTime start = row.call.startedAt.isValid() ? row.call.startedAt : row.call.createdAt;
    if (!start.isValid())
        return 0;
    const QDateTime end =
        row.call.endedAt.isValid() ? row.call.endedAt : QDateTime::currentDateTimeUtc();
    return qMax<qint64>(0, start.secsTo(end));
}

QString LiveCallsModel::numberOf(const Call &call) const
{
    return call.direction == sb::api::CallDirection::Inbound ? call.from : call.to;
}

int LiveCallsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int LiveCallsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LiveCallsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows.at(index.row());
    switch (role) {
    case IdRole:
        return r.call.id;
    case StatusRole:
        return int(r.call.status);
    case SentimentScoreRole:
        return r.score ? QVariant(*r.score) : QVariant();
    case SentimentTrendRole:
        return r.trend;
    case AlertSeverityRole:
        return int(r.alert);
    case LatestIsFinalRole:
        return r.latestFinal;
    case LatestSpeakerRole:
        return int(r.latestRole);
    case EndedRole:
        return r.endedAtMs >= 0;
    case Qt::ToolTipRole:
        if (index.column() == LatestLine)
            return r.latestText;
        return {};
    case Qt::DisplayRole:
    case SortRole:
        break;
    default:
        return {};
    }
    const bool raw = role == SortRole;
    switch (Column(index.column())) {
    case Agent: {
        const QString name = m_agentName ? m_agentName(r.call.agentId) : QString();
        const QString shown = name.isEmpty() ? r.call.agentId : name;
        return raw ? QVariant(shown.toCaseFolded()) : QVariant(shown);
    }
    case Number:
        return numberOf(r.call);
    case Contact: {
        const QString name = m_contactName ? m_contactName(r.call.contactId) : QString();
        const QString shown = name.isEmpty() ? r.call.contactId : name;
        return raw ? QVariant(shown.toCaseFolded()) : QVariant(shown);
    }
    case Status:
        return raw ? QVariant(int(r.call.status)) : QVariant(statusText(r.call.status));
    case Duration: {
        const qint64 s = durationSeconds(r);
        return raw ? QVariant(s) : QVariant(durationText(s));
    }
    case LatestLine: {
        if (raw)
            return r.latestStartMs;
        if (r.latestText.isEmpty())
            return QString();
        const QString who = speakerText(r.latestRole);
        const QString text = r.latestFinal ? r.latestText : r.latestText + QChar(0x2026);
        return who.isEmpty() ? text : tr("%1: %2").arg(who, text);
    }
    case Sentiment: {
        if (raw)
            return r.score ? QVariant(*r.score) : QVariant(-2.0);
        const QString label = sentimentText(r.sentiment);
        if (label.isEmpty())
            return QString();
        const QString arrow = r.trend > 0 ? QStringLiteral(" \u2197")
                                          : (r.trend < 0 ? QStringLiteral(" \u2198") : QString());
        if (!r.score)
            return QString(label + arrow);
        return QString(tr("%1 (%2)").arg(label, QLocale().toString(*r.score, 'f', 2)) + arrow);
    }
    case AlertState:
        return raw ? QVariant(int(r.alert)) : QVariant(AlertRules::severityText(r.alert));
    case ColumnCount:
        break;
    }
    return {};
}

QVariant LiveCallsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Agent:
        return tr("Agent");
    case Number:
        return tr("Number");
    case Contact:
        return tr("Contact");
    case Status:
        return tr("Status");
    case Duration:
        return tr("Duration");
    case LatestLine:
        return tr("Latest line");
    case Sentiment:
        return m_sentimentEstimated ? tr("Sentiment (est.)") : tr("Sentiment");
    case AlertState:
        return tr("Alert");
    case ColumnCount:
        break;
    }
    return {};
}

void LiveCallsModel::setSentimentEstimated(bool estimated)
{
    if (m_sentimentEstimated == estimated)
        return;
    m_sentimentEstimated = estimated;
    Q_EMIT headerDataChanged(Qt::Horizontal, Sentiment, Sentiment);
}

} // namespace sb::models
