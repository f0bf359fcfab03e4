#include "searchmodel.h"

#include "cacheschema.h"
#include "callcache.h"

#include <QElapsedTimer>
#include <QLocale>
#include <QMutex>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QWaitCondition>

#include <functional>

namespace sb::models {

using namespace sb::models::cache;

QString TranscriptSearch::ftsQuery(const QString &text)
{
    const QStringList words = text.simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    QStringList parts;
    for (int i = 0; i < words.size(); ++i) {
        const QString phrase = ftsPhrase(words.at(i));
        if (phrase.isEmpty())
            continue;
        // The word being typed (no space after it yet) also matches as a prefix.
        const bool typing = i == words.size() - 1 && !text.endsWith(QLatin1Char(' '));
        parts << (typing ? phrase + QLatin1Char('*') : phrase);
    }
    return parts.join(QLatin1Char(' '));
}

QString TranscriptSearch::thresholdSql()
{
    return QStringLiteral("SELECT rowid FROM transcript_fts WHERE transcript_fts MATCH ?"
                          " ORDER BY rowid DESC LIMIT 1 OFFSET ?");
}

QString TranscriptSearch::sql()
{
    // The inner query lets FTS5 rank and cut to the limit itself (ORDER BY rank), so
    // snippet() and the joins run for the best lines only.
    return QStringLiteral(
        "SELECT c.id, l.seq, l.start_ms, l.role, c.created_at, c.remote_number, h.snip, h.rank"
        " FROM (SELECT rowid AS lid, rank,"
        "  snippet(transcript_fts, 0, char(57344), char(57345), '…', 16) AS snip"
        "  FROM transcript_fts WHERE transcript_fts MATCH ? AND rowid >= ?"
        "  ORDER BY rank LIMIT ?) h"
        " JOIN transcript_lines l ON l.id = h.lid JOIN calls c ON c.rid = l.call_rid"
        " ORDER BY h.rank, l.id");
}

QList<SearchHit> TranscriptSearch::run(const QString &connectionName, const QString &text,
                                       int limit, QString *error, bool *truncated)
{
    QList<SearchHit> hits;
    if (truncated)
        *truncated = false;
    const QString match = ftsQuery(text);
    if (match.isEmpty())
        return hits;
    QSqlQuery q(QSqlDatabase::database(connectionName, false));
    q.setForwardOnly(true);
    // Where the newest MaxRankedLines matches begin (walks the posting lists, ranks nothing).
    q.prepare(thresholdSql());
    q.bindValue(0, match);
    q.bindValue(1, MaxRankedLines);
    if (!q.exec()) {
        if (error)
            *error = q.lastError().text();
        return hits;
    }
    const qint64 lowest = q.next() ? q.value(0).toLongLong() : 0;
    if (truncated)
        *truncated = lowest > 0;
    q.finish();
    q.prepare(sql());
    q.bindValue(0, match);
    q.bindValue(1, lowest);
    q.bindValue(2, limit);
    if (!q.exec()) {
        if (error)
            *error = q.lastError().text();
        return hits;
    }
    while (q.next()) {
        SearchHit h;
        h.callId = q.value(0).toString();
        h.line = q.value(1).toInt();
        h.startMs = q.value(2).toLongLong();
        h.role = q.value(3).toInt();
        h.createdMs = q.value(4).toLongLong();
        h.number = q.value(5).toString();
        h.snippet = q.value(6).toString();
        h.rank = q.value(7).toDouble();
        hits.append(h);
    }
    return hits;
}

QString TranscriptSearch::toHtml(const QString &snippet)
{
    QString html = snippet.toHtmlEscaped();
    html.replace(HitStart, QLatin1String("<b>"));
    html.replace(HitEnd, QLatin1String("</b>"));
    return html;
}

//! The search thread: its own read connection, the newest request only.
class SearchWorker : public QThread
{
public:
    using Done = std::function<void(quint64, QList<SearchHit>, QString, bool, qint64)>;

    SearchWorker(const QString &path, Done done)
        : m_path(path)
        , m_done(std::move(done))
    {
        setObjectName(QStringLiteral("switchboard-search"));
        start();
    }
    ~SearchWorker() override
    {
        {
            QMutexLocker lock(&m_mutex);
            m_stop = true;
            m_wake.wakeAll();
        }
        wait();
    }
    void request(quint64 generation, const QString &text, int limit)
    {
        QMutexLocker lock(&m_mutex);
        m_generation = generation;
        m_text = text;
        m_limit = limit;
        m_pending = true;
        m_wake.wakeAll();
    }

protected:
    void run() override
    {
        static QAtomicInt counter;
        const QString name = QStringLiteral("sb.search.%1").arg(counter.fetchAndAddRelaxed(1));
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            db.setDatabaseName(m_path);
            db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
            const bool open = db.open();
            QString openError;
            if (open) {
                QString ignored;
                configureConnection(db, false, &ignored);
            } else {
                openError = db.lastError().text();
            }
            for (;;) {
                quint64 generation;
                QString text;
                int limit;
                {
                    QMutexLocker lock(&m_mutex);
                    while (!m_pending && !m_stop)
                        m_wake.wait(&m_mutex);
                    if (m_stop)
                        break;
                    m_pending = false;
                    generation = m_generation;
                    text = m_text;
                    limit = m_limit;
                }
                QElapsedTimer t;
                t.start();
                QString error = openError;
                bool truncated = false;
                QList<SearchHit> hits =
                    open ? TranscriptSearch::run(name, text, limit, &error, &truncated)
                         : QList<SearchHit>();
                m_done(generation, std::move(hits), error, truncated, t.elapsed());
            }
        }
        QSqlDatabase::removeDatabase(name);
    }

private:
    const QString m_path;
    const Done m_done;
    QMutex m_mutex;
    QWaitCondition m_wake;
    quint64 m_generation = 0;
    QString m_text;
    int m_limit = 0;
    bool m_pending = false;
    bool m_stop = false;
};

SearchModel::SearchModel(CallCache *cache, QObject *parent)
    : QAbstractTableModel(parent)
    , m_cache(cache)
{
    if (m_cache) {
        // The file was replaced: the worker's connection points at the old one.
        connect(m_cache, &CallCache::recovered, this, [this] {
            restartWorker();
            setQuery(m_query);
        });
    }
}

SearchModel::~SearchModel() = default;

void SearchModel::restartWorker()
{
    m_worker.reset();
    if (!m_cache || !m_cache->isOpen())
        return;
    QPointer<SearchModel> self(this);
    m_worker = std::make_unique<SearchWorker>(
        m_cache->databasePath(), [self](quint64 generation, QList<SearchHit> hits, QString error,
                                        bool truncated, qint64 ms) {
            QMetaObject::invokeMethod(
                self.data(),
                [self, generation, hits = std::move(hits), error, truncated, ms] {
                    if (self)
                        self->apply(generation, hits, error, truncated, ms);
                },
                Qt::QueuedConnection);
        });
}

void SearchModel::setQuery(const QString &text)
{
    m_query = text;
    ++m_generation;
    if (TranscriptSearch::ftsQuery(text).isEmpty()) {
        apply(m_generation, {}, QString(), false, 0);
        return;
    }
    if (!m_worker)
        restartWorker();
    if (!m_worker) {
        apply(m_generation, {}, tr("The local cache is not open."), false, 0);
        return;
    }
    setState(State::Searching);
    m_worker->request(m_generation, text, m_limit);
}

void SearchModel::apply(quint64 generation, const QList<SearchHit> &hits, const QString &error,
                        bool truncated, qint64 elapsedMs)
{
    if (generation != m_generation)
        return; // an older query: a newer one is on its way
    // A new result set is a new list: a reset, once per query (never per row).
    beginResetModel();
    m_hits = hits;
    m_truncated = truncated;
    endResetModel();
    if (!error.isEmpty()) {
        qCWarning(lcCache) << "transcript search failed:" << error;
        m_message = tr("The search could not run: %1").arg(error);
        setState(State::Failed);
    } else {
        const QString shown = m_query.simplified();
        if (!shown.isEmpty() && m_hits.isEmpty())
            m_message = tr("No cached transcript mentions “%1”.").arg(shown);
        else if (truncated)
            m_message = tr("More than %L1 lines match: the best among the newest %L1 are shown.")
                            .arg(TranscriptSearch::MaxRankedLines);
        else
            m_message.clear();
        setState(shown.isEmpty() ? State::Idle : State::Done);
    }
    Q_EMIT finished(elapsedMs);
}

void SearchModel::setState(State state)
{
    if (state == m_state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

int SearchModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_hits.size());
}

int SearchModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

Qt::ItemFlags SearchModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
}

QVariant SearchModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const SearchHit &h = m_hits.at(index.row());
    switch (role) {
    case IdRole:
        return h.callId;
    case HtmlRole:
        return TranscriptSearch::toHtml(h.snippet);
    case StartMsRole:
        return h.startMs;
    case RankRole:
        return h.rank;
    case LineRole:
        return h.line;
    case SortRole:
        switch (index.column()) {
        case Snippet:
            return h.rank;
        case Number:
            return h.number;
        case Time:
            return h.createdMs;
        default:
            return {};
        }
    case Qt::DisplayRole:
        switch (index.column()) {
        case Snippet: {
            QString plain = h.snippet;
            plain.remove(TranscriptSearch::HitStart).remove(TranscriptSearch::HitEnd);
            return plain;
        }
        case Number:
            return h.number;
        case Time:
            return QLocale().toString(
                QDateTime::fromMSecsSinceEpoch(h.createdMs, Qt::UTC).toLocalTime(),
                QLocale::ShortFormat);
        default:
            return {};
        }
    default:
        return {};
    }
}

QVariant SearchModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Snippet:
        return tr("Transcript");
    case Number:
        return tr("Number");
    case Time:
        return tr("Time");
    default:
        return {};
    }
}

} // namespace sb::models
