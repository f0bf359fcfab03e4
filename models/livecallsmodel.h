#pragma once

#include "models/alertrules.h"

#include "api/dto.h"
#include "api/streamevent.h"

#include <QAbstractTableModel>
#include <QElapsedTimer>
#include <QHash>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <functional>
#include <optional>

namespace sb::api {
class LiveStream;
class Platform;
} // namespace sb::api

namespace sb::models {

class AlertService;

//! The calls running now: started on the calls channel (or listed by REST when the console
//! opens), each row following its call's stream for the latest line, sentiment and alerts.
//! An ended call stays for a short linger, then leaves. Durations tick with one timer.
class LiveCallsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Agent,
        Number,
        Contact,
        Status,
        Duration,
        LatestLine,
        Sentiment,
        AlertState,
        ColumnCount
    };
    enum Role {
        SortRole = Qt::UserRole + 1, //!< raw value (strings folded, durations in s, enums as int)
        IdRole,
        StatusRole,         //!< int(CallStatus)
        SentimentScoreRole, //!< double, invalid when none
        SentimentTrendRole, //!< -1 falling, 0 steady, 1 rising
        AlertSeverityRole,  //!< int(AlertSeverity)
        LatestIsFinalRole,  //!< bool
        LatestSpeakerRole,  //!< int(SpeakerRole)
        EndedRole,          //!< bool: the call ended and is lingering
    };
    using NameLookup = std::function<QString(const QString &id)>;

    explicit LiveCallsModel(QObject *parent = nullptr);

    //! Follows \a stream: enables the calls channel and subscribes every live call's events.
    void attach(sb::api::LiveStream *stream);
    //! Lists the calls not yet ended (initiated, ringing, in_progress) by REST and adds them.
    void loadActive(sb::api::Platform *platform);
    //! The alert column follows \a service's highest unacknowledged severity per call.
    void setAlertService(AlertService *service);
    //! The platform sends no sentiment: the column says it is estimated locally.
    void setSentimentEstimated(bool estimated);
    void setAgentNameLookup(NameLookup lookup) { m_agentName = std::move(lookup); }
    void setContactNameLookup(NameLookup lookup) { m_contactName = std::move(lookup); }
    //! How long an ended call stays (default 5 s; 0 = leaves with the batch that ended it).
    void setLingerMs(int ms) { m_lingerMs = qMax(0, ms); }
    //! Interval of the duration tick (default 1 s).
    void setTickIntervalMs(int ms) { m_tick.setInterval(ms); }

    void applyBatch(const QList<sb::api::StreamEvent> &events);
    void applySnapshot(const sb::api::CallSnapshot &snapshot);
    //! Adds a call or updates its row (ended calls are not added again).
    void upsertCall(const sb::api::Call &call);

    int rowOf(const QString &id) const { return m_rowById.value(id, -1); }
    sb::api::Call callAt(int row) const { return m_rows.at(row).call; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    //! A call entered the set (its row exists now).
    void callAdded(const QString &callId);
    //! A call left the set (after its linger).
    void callRemoved(const QString &callId);

private:
    bool m_sentimentEstimated = false;
    struct Row
    {
        sb::api::Call call;
        QString latestText;
        sb::api::SpeakerRole latestRole = sb::api::SpeakerRole::Unknown;
        qint64 latestStartMs = -1;
        bool latestFinal = false;
        sb::api::Sentiment sentiment = sb::api::Sentiment::None;
        std::optional<double> score;
        int trend = 0;
        AlertSeverity alert = AlertSeverity::None;
        qint64 endedAtMs = -1; //!< m_clock time when it ended, -1 while running
    };
    //! Changed column span per row within one batch.
    struct Dirty
    {
        int first = ColumnCount;
        int last = -1;
        void add(int column)
        {
            first = qMin(first, column);
            last = qMax(last, column);
        }
    };

    int insertRow(const sb::api::Call &call);
    bool applyEvent(const sb::api::StreamEvent &event);
    void markEnded(Row &row, int rowIndex);
    void touch(int row, int column) { m_dirty[m_rows.at(row).call.id].add(column); }
    void flushDirty();
    void removeExpired(bool all);
    void onTick();
    void onSeverityChanged(const QString &callId, AlertSeverity severity);
    qint64 durationSeconds(const Row &row) const;
    QString numberOf(const sb::api::Call &call) const;

    QList<Row> m_rows;
    QHash<QString, int> m_rowById;
    QHash<QString, Dirty> m_dirty;
    QSet<QString> m_ended; //!< calls that ended here: a late REST listing must not revive them
    QPointer<sb::api::LiveStream> m_stream;
    QPointer<AlertService> m_alerts;
    NameLookup m_agentName;
    NameLookup m_contactName;
    QTimer m_tick;
    QElapsedTimer m_clock;
    int m_lingerMs = 5000;
    quint64 m_loadGeneration = 0;
};

} // namespace sb::models
