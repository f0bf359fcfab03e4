#pragma once

#include "historyfilter.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QPointer>
#include <QSet>
#include <QTimer>

namespace sb::models {

class CallCache;

//! The call history over the local cache: the true row count for the current filter, rows
//! read in blocks of BlockSize as the view asks for them (a few blocks kept), filter and
//! sort done by SQLite on its indexes. Never waits on the network.
class CallHistoryModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Created,
        Direction,
        Number,
        Contact,
        Agent,
        Status,
        Duration,
        Sentiment,
        ColumnCount
    };
    Q_ENUM(Column)
    enum Role {
        SortRole = Qt::UserRole + 1, //!< raw value: ms, codes, seconds, the number as stored
        IdRole,                      //!< the call id, in every column
        HasDetailsRole,              //!< the transcript (details) of the call is cached
    };
    static constexpr int BlockSize = 256;
    static constexpr int MaxBlocks = 16;

    explicit CallHistoryModel(CallCache *cache, QObject *parent = nullptr);
    ~CallHistoryModel() override;

    void setFilter(const HistoryFilter &filter);
    HistoryFilter filter() const { return m_filter; }
    //! Sorts in SQL, on an index. Contact (the name lives in another table) and Direction
    //! (two values, no index of its own) are not sort keys: the current order is kept.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    int sortColumn() const { return m_sortColumn; }
    Qt::SortOrder sortOrder() const { return m_sortOrder; }
    static bool isSortable(int column);

    //! Agent names for the Agent column (the cache stores ids only).
    void setAgentNames(const QHash<QString, QString> &names);

    //! Counts again and forgets every cached block (a cheap reset).
    void reload();

    //! Row of \a callId among the rows read so far, or -1 (rows are read lazily).
    int rowOf(const QString &callId) const { return m_rowById.value(callId, -1); }
    QString callIdAt(int row) const;

    //! When the cache was last brought up to date from the platform (syncState lastSyncAt).
    QDateTime lastSyncAt() const { return m_lastSyncAt; }
    //! "updated 5 min ago", "not synced yet": how stale the history is.
    QString stalenessText() const;
    //! Milliseconds the last count + first block took (for the status bar and the bench).
    qint64 lastQueryMs() const { return m_lastQueryMs; }
    //! Blocks held in memory now (at most MaxBlocks).
    int cachedBlocks() const { return int(m_blocks.size()); }
    //! The last SQL error, empty when the last query worked.
    QString lastError() const { return m_error; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

    //! The platform sends no sentiment: the column says it is estimated locally.
    void setSentimentEstimated(bool estimated);
    bool isSentimentEstimated() const { return m_sentimentEstimated; }

Q_SIGNALS:
    void countChanged(int count);
    //! lastSyncAt() changed, or enough time passed for stalenessText() to read differently.
    void stalenessChanged();
    void queryFailed(const QString &message);

private:
    struct Row
    {
        qint64 rid = 0;
        QString id;
        qint64 createdMs = 0;
        int direction = 0;
        QString remote;
        QString contactName;
        QString agentId;
        int status = 0;
        int duration = 0;
        int sentiment = 0;
        bool hasDetails = false;
        bool operator==(const Row &o) const;
    };
    struct Block
    {
        QList<Row> rows;
        quint64 lastUse = 0;
    };

    const Row *rowAt(int row) const;
    bool loadBlock(int block) const;
    QList<qint64> blockRids(int block, QString *error) const;
    QList<Row> readRows(const QList<qint64> &rids, QString *error) const;
    void dropBlocks();
    void evictBlocks() const;
    QVariantList keyOf(const Row &r) const;
    HistorySortKey sortKey() const;
    qint64 countRows(QString *error) const;
    void scheduleRefresh();
    void refresh();
    void readSyncState();
    void fail(const QString &message) const;

    QPointer<CallCache> m_cache;
    HistoryFilter m_filter;
    SqlCondition m_where;
    int m_sortColumn = Created;
    Qt::SortOrder m_sortOrder = Qt::DescendingOrder;
    int m_count = 0;
    QHash<QString, QString> m_agentNames;

    mutable QHash<int, Block> m_blocks;
    mutable QHash<QString, int> m_rowById;
    mutable quint64 m_useCounter = 0;
    mutable QString m_error;
    bool m_sentimentEstimated = false;
    bool m_frozen = false; //!< between begin and end of a change: no new reads

    QSet<QString> m_pendingIds;
    QTimer m_refreshTimer;
    QTimer m_stalenessTimer;
    QElapsedTimer m_sinceRefresh;
    qint64 m_lastRefreshCostMs = 0;
    qint64 m_lastQueryMs = 0;
    QDateTime m_lastSyncAt;
};

} // namespace sb::models
