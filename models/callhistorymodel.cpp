#include "callhistorymodel.h"

#include "cacheschema.h"
#include "callcache.h"

#include <QLocale>
#include <QSqlDatabase>
#include <QSqlQuery>

#include <algorithm>

namespace sb::models {

using namespace sb::api;
using namespace sb::models::cache;

namespace {

QString statusText(int code)
{
    switch (statusFromCode(code)) {
    case CallStatus::Initiated:
        return CallHistoryModel::tr("Initiated");
    case CallStatus::Ringing:
        return CallHistoryModel::tr("Ringing");
    case CallStatus::InProgress:
        return CallHistoryModel::tr("In progress");
    case CallStatus::Completed:
        return CallHistoryModel::tr("Completed");
    case CallStatus::Failed:
        return CallHistoryModel::tr("Failed");
    case CallStatus::NoAnswer:
        return CallHistoryModel::tr("No answer");
    case CallStatus::Busy:
        return CallHistoryModel::tr("Busy");
    case CallStatus::Canceled:
        return CallHistoryModel::tr("Canceled");
    case CallStatus::Unknown:
        break;
    }
    return CallHistoryModel::tr("Unknown");
}

QString sentimentText(int code)
{
    switch (sentimentFromCode(code)) {
    case Sentiment::Positive:
        return CallHistoryModel::tr("Positive");
    case Sentiment::Neutral:
        return CallHistoryModel::tr("Neutral");
    case Sentiment::Negative:
        return CallHistoryModel::tr("Negative");
    case Sentiment::Unknown:
        return CallHistoryModel::tr("Unknown");
    case Sentiment::None:
        break;
    }
    return QStringLiteral("—");
}

QString durationText(int seconds)
{
    if (seconds >= 3600) {
        return QStringLiteral("%1:%2:%3")
            .arg(seconds / 3600)
            .arg(seconds / 60 % 60, 2, 10, QLatin1Char('0'))
            .arg(seconds % 60, 2, 10, QLatin1Char('0'));
    }
    return QStringLiteral("%1:%2").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

void bindAll(QSqlQuery &q, const QVariantList &values)
{
    for (int i = 0; i < values.size(); ++i)
        q.bindValue(i, values.at(i));
}

} // namespace

bool CallHistoryModel::Row::operator==(const Row &o) const
{
    return rid == o.rid && id == o.id && createdMs == o.createdMs && direction == o.direction &&
           remote == o.remote && contactName == o.contactName && agentId == o.agentId &&
           status == o.status && duration == o.duration && sentiment == o.sentiment &&
           hasDetails == o.hasDetails;
}

CallHistoryModel::CallHistoryModel(CallCache *cache, QObject *parent)
    : QAbstractTableModel(parent)
    , m_cache(cache)
{
    m_refreshTimer.setSingleShot(true);
    connect(&m_refreshTimer, &QTimer::timeout, this, &CallHistoryModel::refresh);
    m_stalenessTimer.setInterval(30000);
    connect(&m_stalenessTimer, &QTimer::timeout, this, &CallHistoryModel::stalenessChanged);
    m_stalenessTimer.start();
    if (m_cache) {
        connect(m_cache, &CallCache::callsStored, this, [this](const QStringList &ids) {
            for (const QString &id : ids)
                m_pendingIds.insert(id);
            scheduleRefresh();
        });
        connect(m_cache, &CallCache::callRemoved, this, [this](const QString &id) {
            m_pendingIds.insert(id);
            scheduleRefresh();
        });
        connect(m_cache, &CallCache::contactsStored, this, &CallHistoryModel::scheduleRefresh);
        connect(m_cache, &CallCache::syncStateStored, this, &CallHistoryModel::readSyncState);
        // A rebuilt cache starts empty: show that at once.
        connect(m_cache, &CallCache::recovered, this, &CallHistoryModel::reload);
    }
    m_where = historyWhere(m_filter);
    readSyncState();
    reload();
}

CallHistoryModel::~CallHistoryModel() = default;

bool CallHistoryModel::isSortable(int column)
{
    return column >= 0 && column < ColumnCount && column != Contact && column != Direction;
}

HistorySortKey CallHistoryModel::sortKey() const
{
    switch (m_sortColumn) {
    case Number:
        return HistorySortKey::Number;
    case Agent:
        return HistorySortKey::Agent;
    case Status:
        return HistorySortKey::Status;
    case Duration:
        return HistorySortKey::Duration;
    case Sentiment:
        return HistorySortKey::Sentiment;
    default:
        return HistorySortKey::Created;
    }
}

void CallHistoryModel::setFilter(const HistoryFilter &filter)
{
    if (filter == m_filter)
        return;
    m_filter = filter;
    m_where = historyWhere(filter);
    reload();
}

void CallHistoryModel::sort(int column, Qt::SortOrder order)
{
    if (!isSortable(column) || (column == m_sortColumn && order == m_sortOrder))
        return;
    m_sortColumn = column;
    m_sortOrder = order;
    reload();
}

void CallHistoryModel::setAgentNames(const QHash<QString, QString> &names)
{
    m_agentNames = names;
    if (m_count > 0)
        Q_EMIT dataChanged(index(0, Agent), index(m_count - 1, Agent), {Qt::DisplayRole});
}

void CallHistoryModel::reload()
{
    QElapsedTimer t;
    t.start();
    beginResetModel();
    dropBlocks();
    m_pendingIds.clear();
    QString error;
    m_count = int(countRows(&error));
    endResetModel();
    if (!error.isEmpty())
        fail(error);
    else
        m_error.clear();
    // Read the first block now: the view paints it next.
    if (m_count > 0)
        loadBlock(0);
    m_lastQueryMs = t.elapsed();
    Q_EMIT countChanged(m_count);
}

qint64 CallHistoryModel::countRows(QString *error) const
{
    if (!m_cache || !m_cache->isOpen())
        return 0;
    QSqlQuery q(QSqlDatabase::database(m_cache->connectionName(), false));
    q.setForwardOnly(true);
    const SqlCondition count = historyCount(m_filter);
    q.prepare(count.sql);
    bindAll(q, count.values);
    if (!q.exec() || !q.next()) {
        *error = q.lastError().text();
        return 0;
    }
    return q.value(0).toLongLong();
}

int CallHistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_count;
}

int CallHistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

Qt::ItemFlags CallHistoryModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
}

QString CallHistoryModel::callIdAt(int row) const
{
    const Row *r = rowAt(row);
    return r ? r->id : QString();
}

const CallHistoryModel::Row *CallHistoryModel::rowAt(int row) const
{
    if (row < 0 || row >= m_count)
        return nullptr;
    const int block = row / BlockSize;
    auto it = m_blocks.find(block);
    if (it == m_blocks.end()) {
        if (m_frozen || !loadBlock(block))
            return nullptr;
        it = m_blocks.find(block);
    }
    it->lastUse = ++m_useCounter;
    const int offset = row % BlockSize;
    return offset < it->rows.size() ? &it->rows.at(offset) : nullptr;
}

QVariantList CallHistoryModel::keyOf(const Row &r) const
{
    switch (sortKey()) {
    case HistorySortKey::Created:
        return {r.createdMs, r.rid};
    case HistorySortKey::Duration:
        return {r.duration, r.createdMs, r.rid};
    case HistorySortKey::Agent:
        return {r.agentId, r.createdMs, r.rid};
    case HistorySortKey::Status:
        return {r.status, r.createdMs, r.rid};
    case HistorySortKey::Sentiment:
        return {r.sentiment, r.createdMs, r.rid};
    case HistorySortKey::Number:
        return {r.remote, r.createdMs, r.rid};
    }
    return {};
}

QList<qint64> CallHistoryModel::blockRids(int block, QString *error) const
{
    const int first = block * BlockSize;
    const int n = qMin(BlockSize, m_count - first);
    if (n <= 0)
        return {};
    // Start from whichever known point is nearest: the edge of a cached neighbour (keyset, so
    // scrolling reads only its block), or either end of the result (OFFSET, so a jump to the
    // middle of a million rows walks at most half the index).
    bool forward = true;
    int offset = first;
    const Row *anchor = nullptr;
    if (m_count - first - n < offset) {
        forward = false;
        offset = m_count - first - n;
    }
    for (auto it = m_blocks.cbegin(); it != m_blocks.cend(); ++it) {
        if (it->rows.isEmpty())
            continue;
        if (it.key() < block) {
            const int skip = (block - it.key() - 1) * BlockSize;
            if (skip < offset) {
                forward = true;
                offset = skip;
                anchor = &it->rows.constLast();
            }
        } else if (it.key() > block) {
            const int skip = it.key() * BlockSize - first - n;
            if (skip < offset) {
                forward = false;
                offset = skip;
                anchor = &it->rows.constFirst();
            }
        }
    }
    const bool desc = (m_sortOrder == Qt::DescendingOrder) == forward;
    const QString dir = desc ? QStringLiteral(" DESC") : QStringLiteral(" ASC");
    QStringList orderCols = historyOrderColumns(sortKey()).split(QStringLiteral(", "));
    orderCols << QStringLiteral("rid");

    QString sql = QStringLiteral("SELECT rid FROM calls");
    QStringList where;
    QVariantList values;
    if (!m_where.sql.isEmpty()) {
        where << m_where.sql;
        values = m_where.values;
    }
    if (anchor) {
        const QVariantList key = keyOf(*anchor);
        QStringList marks;
        for (int i = 0; i < key.size(); ++i)
            marks << QStringLiteral("?");
        where << QStringLiteral("(%1) %2 (%3)")
                     .arg(orderCols.join(QLatin1String(", ")),
                          desc ? QStringLiteral("<") : QStringLiteral(">"),
                          marks.join(QLatin1String(", ")));
        values += key;
    }
    if (!where.isEmpty())
        sql += QStringLiteral(" WHERE ") + where.join(QLatin1String(" AND "));
    sql += QStringLiteral(" ORDER BY ") + orderCols.join(dir + QStringLiteral(", ")) + dir +
           QStringLiteral(" LIMIT %1 OFFSET %2").arg(n).arg(offset);

    QSqlQuery q(QSqlDatabase::database(m_cache->connectionName(), false));
    q.setForwardOnly(true);
    q.prepare(sql);
    bindAll(q, values);
    QList<qint64> rids;
    rids.reserve(n);
    if (!q.exec()) {
        *error = q.lastError().text();
        return {};
    }
    while (q.next())
        rids.append(q.value(0).toLongLong());
    if (!forward)
        std::reverse(rids.begin(), rids.end());
    return rids;
}

QList<CallHistoryModel::Row> CallHistoryModel::readRows(const QList<qint64> &rids,
                                                        QString *error) const
{
    if (rids.isEmpty())
        return {};
    QStringList list;
    list.reserve(rids.size());
    for (qint64 rid : rids)
        list << QString::number(rid);
    // Integers only in the SQL text; the join runs for these rows alone.
    QSqlQuery q(QSqlDatabase::database(m_cache->connectionName(), false));
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT c.rid, c.id, c.created_at, c.direction, c.remote_number,"
                               " coalesce(k.name, ''), c.agent_id, c.status, c.duration,"
                               " c.sentiment, c.has_details FROM calls c"
                               " LEFT JOIN contacts k ON k.id = c.contact_id AND c.contact_id <> ''"
                               " WHERE c.rid IN (") +
                list.join(QLatin1Char(',')) + QLatin1Char(')'))) {
        *error = q.lastError().text();
        return {};
    }
    QHash<qint64, Row> byRid;
    byRid.reserve(rids.size());
    while (q.next()) {
        Row r;
        r.rid = q.value(0).toLongLong();
        r.id = q.value(1).toString();
        r.createdMs = q.value(2).toLongLong();
        r.direction = q.value(3).toInt();
        r.remote = q.value(4).toString();
        r.contactName = q.value(5).toString();
        r.agentId = q.value(6).toString();
        r.status = q.value(7).toInt();
        r.duration = q.value(8).toInt();
        r.sentiment = q.value(9).toInt();
        r.hasDetails = q.value(10).toInt() != 0;
        byRid.insert(r.rid, r);
    }
    QList<Row> rows;
    rows.reserve(rids.size());
    for (qint64 rid : rids) {
        auto it = byRid.constFind(rid);
        if (it != byRid.cend())
            rows.append(*it);
    }
    return rows;
}

bool CallHistoryModel::loadBlock(int block) const
{
    if (!m_cache || !m_cache->isOpen())
        return false;
    QString error;
    const QList<qint64> rids = blockRids(block, &error);
    QList<Row> rows = error.isEmpty() ? readRows(rids, &error) : QList<Row>();
    if (!error.isEmpty()) {
        fail(error);
        return false;
    }
    evictBlocks();
    const int first = block * BlockSize;
    for (int i = 0; i < rows.size(); ++i)
        m_rowById.insert(rows.at(i).id, first + i);
    m_blocks.insert(block, {std::move(rows), ++m_useCounter});
    return true;
}

void CallHistoryModel::evictBlocks() const
{
    while (m_blocks.size() >= MaxBlocks) {
        auto oldest = m_blocks.begin();
        for (auto it = m_blocks.begin(); it != m_blocks.end(); ++it) {
            if (it->lastUse < oldest->lastUse)
                oldest = it;
        }
        for (const Row &r : std::as_const(oldest->rows))
            m_rowById.remove(r.id);
        m_blocks.erase(oldest);
    }
}

void CallHistoryModel::dropBlocks()
{
    m_blocks.clear();
    m_rowById.clear();
}

void CallHistoryModel::fail(const QString &message) const
{
    m_error = message;
    qCWarning(lcCache) << "history query failed:" << message;
    Q_EMIT const_cast<CallHistoryModel *>(this)->queryFailed(message);
}

void CallHistoryModel::scheduleRefresh()
{
    if (m_refreshTimer.isActive())
        return;
    // At most a tenth of the GUI thread goes to following the cache, however fast it changes.
    m_refreshTimer.start(int(qMax<qint64>(150, 10 * m_lastRefreshCostMs)));
}

void CallHistoryModel::refresh()
{
    QElapsedTimer t;
    t.start();
    QSet<QString> changed;
    changed.swap(m_pendingIds);
    QString error;
    const int newCount = int(countRows(&error));
    if (!error.isEmpty()) {
        fail(error);
        return;
    }
    if (newCount == m_count && m_filter.isEmpty() && sortKey() == HistorySortKey::Created) {
        // Everything, newest first, same count: a call's place never changes (its time does
        // not), so only calls on screen can look different. The usual case while live calls
        // come and go far from the rows in view: nothing to read.
        bool shown = false;
        for (const QString &id : std::as_const(changed)) {
            if ((shown = m_rowById.contains(id)))
                break;
        }
        if (!shown && !changed.isEmpty()) {
            m_lastRefreshCostMs = t.elapsed();
            return;
        }
    }
    QList<int> loaded = m_blocks.keys();
    std::sort(loaded.begin(), loaded.end());

    if (newCount > m_count && m_blocks.contains(0)) {
        // New calls at the top (the usual case: newest first, calls arriving): rows are
        // inserted, so the view keeps its selection and scroll position.
        const int added = newCount - m_count;
        const QList<Row> oldTop = m_blocks.value(0).rows;
        QHash<int, Block> old;
        old.swap(m_blocks);
        m_rowById.clear();
        m_count = newCount;
        const QList<qint64> rids = blockRids(0, &error);
        m_count -= added;
        bool prepend = error.isEmpty() && added < rids.size();
        for (int i = 0; prepend && i + added < rids.size() && i < oldTop.size(); ++i)
            prepend = rids.at(i + added) == oldTop.at(i).rid;
        if (prepend) {
            // Until the insertion is announced the view may still ask for the old rows:
            // answer from the old blocks and read nothing new.
            m_blocks.swap(old);
            for (auto it = m_blocks.cbegin(); it != m_blocks.cend(); ++it) {
                for (int i = 0; i < it->rows.size(); ++i)
                    m_rowById.insert(it->rows.at(i).id, it.key() * BlockSize + i);
            }
            m_frozen = true;
            beginInsertRows({}, 0, added - 1);
            m_frozen = false;
            dropBlocks();
            m_count = newCount;
            endInsertRows();
        } else {
            beginResetModel();
            m_count = newCount;
            endResetModel();
        }
    } else if (newCount != m_count) {
        beginResetModel();
        dropBlocks();
        m_count = newCount;
        endResetModel();
    } else {
        // Same count: if every cached block still holds the same calls in the same places,
        // only their contents changed (targeted dataChanged); otherwise a cheap reset.
        QHash<int, Block> old;
        old.swap(m_blocks);
        m_rowById.clear();
        bool same = true;
        for (int b : std::as_const(loaded)) {
            const QList<qint64> rids = blockRids(b, &error);
            const QList<Row> rows = error.isEmpty() ? readRows(rids, &error) : QList<Row>();
            const QList<Row> &was = old.value(b).rows;
            same = error.isEmpty() && rows.size() == was.size();
            for (int i = 0; same && i < rows.size(); ++i)
                same = rows.at(i).rid == was.at(i).rid;
            if (!same)
                break;
            for (int i = 0; i < rows.size(); ++i)
                m_rowById.insert(rows.at(i).id, b * BlockSize + i);
            m_blocks.insert(b, {rows, old.value(b).lastUse});
        }
        if (!same) {
            beginResetModel();
            dropBlocks();
            endResetModel();
        } else {
            for (int b : std::as_const(loaded)) {
                const QList<Row> &now = m_blocks.value(b).rows;
                const QList<Row> &was = old.value(b).rows;
                int i = 0;
                while (i < now.size()) {
                    if (now.at(i) == was.at(i)) {
                        ++i;
                        continue;
                    }
                    int j = i;
                    while (j + 1 < now.size() && !(now.at(j + 1) == was.at(j + 1)))
                        ++j;
                    Q_EMIT dataChanged(index(b * BlockSize + i, 0),
                                       index(b * BlockSize + j, ColumnCount - 1));
                    i = j + 1;
                }
            }
        }
    }
    if (!error.isEmpty())
        fail(error);
    m_lastRefreshCostMs = t.elapsed();
    Q_EMIT countChanged(m_count);
}

void CallHistoryModel::readSyncState()
{
    if (!m_cache)
        return;
    const QVariant v = m_cache->syncState().value(QStringLiteral("lastSyncAt"));
    QDateTime at = v.metaType().id() == QMetaType::QDateTime
                       ? v.toDateTime()
                       : QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
    if (at != m_lastSyncAt) {
        m_lastSyncAt = at;
        Q_EMIT stalenessChanged();
    }
}

QString CallHistoryModel::stalenessText() const
{
    if (!m_lastSyncAt.isValid())
        return tr("not synced yet");
    const qint64 secs = qMax<qint64>(0, m_lastSyncAt.secsTo(QDateTime::currentDateTimeUtc()));
    if (secs < 60)
        return tr("updated just now");
    if (secs < 3600)
        return tr("updated %n min ago", nullptr, int(secs / 60));
    if (secs < 86400)
        return tr("updated %n h ago", nullptr, int(secs / 3600));
    return tr("updated %n day(s) ago", nullptr, int(secs / 86400));
}

QVariant CallHistoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (role != Qt::DisplayRole && role != SortRole && role != IdRole && role != HasDetailsRole &&
        role != Qt::TextAlignmentRole && role != Qt::ToolTipRole)
        return {};
    if (role == Qt::TextAlignmentRole) {
        return index.column() == Duration ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                          : QVariant();
    }
    const Row *r = rowAt(index.row());
    if (!r)
        return {};
    if (role == IdRole)
        return r->id;
    if (role == HasDetailsRole)
        return r->hasDetails;
    const bool raw = role == SortRole;
    switch (index.column()) {
    case Created: {
        if (raw)
            return r->createdMs;
        const QDateTime at = QDateTime::fromMSecsSinceEpoch(r->createdMs, Qt::UTC).toLocalTime();
        return role == Qt::ToolTipRole ? QLocale().toString(at, QLocale::LongFormat)
                                       : QLocale().toString(at, QLocale::ShortFormat);
    }
    case Direction:
        if (raw)
            return r->direction;
        return directionFromCode(r->direction) == CallDirection::Inbound    ? tr("Inbound")
               : directionFromCode(r->direction) == CallDirection::Outbound ? tr("Outbound")
                                                                            : tr("Unknown");
    case Number:
        return r->remote;
    case Contact:
        return raw ? QVariant(r->contactName.toCaseFolded()) : QVariant(r->contactName);
    case Agent:
        if (raw)
            return r->agentId;
        return m_agentNames.value(r->agentId, r->agentId);
    case Status:
        return raw ? QVariant(r->status) : QVariant(statusText(r->status));
    case Duration:
        return raw ? QVariant(r->duration) : QVariant(durationText(r->duration));
    case Sentiment:
        return raw ? QVariant(r->sentiment) : QVariant(sentimentText(r->sentiment));
    default:
        break;
    }
    return {};
}

QVariant CallHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Created:
        return tr("Time");
    case Direction:
        return tr("Direction");
    case Number:
        return tr("Number");
    case Contact:
        return tr("Contact");
    case Agent:
        return tr("Agent");
    case Status:
        return tr("Status");
    case Duration:
        return tr("Duration");
    case Sentiment:
        return m_sentimentEstimated ? tr("Sentiment (est.)") : tr("Sentiment");
    default:
        break;
    }
    return {};
}

void CallHistoryModel::setSentimentEstimated(bool estimated)
{
    if (m_sentimentEstimated == estimated)
        return;
    m_sentimentEstimated = estimated;
    Q_EMIT headerDataChanged(Qt::Horizontal, Sentiment, Sentiment);
}

} // namespace sb::models
