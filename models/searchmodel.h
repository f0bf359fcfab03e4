#pragma once

#include <QAbstractTableModel>
#include <QList>
#include <QPointer>
#include <QString>

#include <memory>

namespace sb::models {

class CallCache;

//! One transcript line that matched a full-text search.
struct SearchHit
{
    QString callId;
    int line = 0;         //!< index of the line in the call's transcript
    qint64 startMs = 0;   //!< where the line starts in the call (to seek the recording)
    int role = 0;         //!< sb::api::SpeakerRole as int
    qint64 createdMs = 0; //!< when the call was made
    QString number;       //!< the other party
    QString snippet;      //!< plain text, the matches between HitStart and HitEnd
    double rank = 0;      //!< bm25: lower is better
};

//! Runs FTS5 queries over the cached transcripts. User text is always turned into quoted
//! FTS5 strings (never parsed as FTS5 syntax); every word must occur, the last one also as a
//! prefix (search as you type). Thread-safe: uses only the named connection, which must
//! belong to the calling thread.
class TranscriptSearch
{
public:
    static constexpr QChar HitStart =
        QChar(char16_t(0xE000)); //!< private-use: never in a transcript
    static constexpr QChar HitEnd = QChar(char16_t(0xE001));

    //! The FTS5 expression for \a text, or empty when it has nothing to search for.
    static QString ftsQuery(const QString &text);
    //! Lines ranked at most: a word in more lines than this is ranked among the newest this
    //! many (bm25 over 130,000 lines took ~170 ms; the newest 20,000 take ~60 ms).
    static constexpr int MaxRankedLines = 20000;

    //! Best \a limit lines for \a text, best first. \a error is set (and the list empty) when
    //! SQLite refused the query; \a truncated when more than MaxRankedLines lines matched.
    static QList<SearchHit> run(const QString &connectionName, const QString &text, int limit,
                                QString *error, bool *truncated = nullptr);
    //! The SQL run() executes: first thresholdSql() (parameters: the FTS5 expression and
    //! MaxRankedLines), then sql() (the expression, the lowest rowid ranked, the limit).
    static QString thresholdSql();
    static QString sql();
    //! \a snippet as HTML: escaped, with the matches in <b>…</b>.
    static QString toHtml(const QString &snippet);
};

class SearchWorker;

//! Full-text search results over the transcripts in the local cache, ranked (bm25) with the
//! hit highlighted. Queries run on a worker thread with its own connection; a query typed
//! while another runs replaces it. Works offline: it only reads the cache.
class SearchModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Snippet, Number, Time, ColumnCount };
    Q_ENUM(Column)
    enum Role {
        SortRole = Qt::UserRole + 1, //!< raw: rank for Snippet, number, time in ms
        IdRole,                      //!< call id
        HtmlRole,                    //!< the snippet as HTML with <b> around the hits
        StartMsRole,                 //!< where the line starts in the call
        RankRole,                    //!< bm25 (lower is better)
        LineRole,                    //!< index of the line in the transcript
    };
    enum class State { Idle, Searching, Done, Failed };
    Q_ENUM(State)

    explicit SearchModel(CallCache *cache, QObject *parent = nullptr);
    ~SearchModel() override;

    //! Searches for \a text (empty clears the results).
    void setQuery(const QString &text);
    QString query() const { return m_query; }
    void setLimit(int limit) { m_limit = qMax(1, limit); }
    int limit() const { return m_limit; }

    State state() const { return m_state; }
    //! Only the newest TranscriptSearch::MaxRankedLines matching lines were ranked.
    bool isTruncated() const { return m_truncated; }
    //! What to show beside or instead of the rows: no match, an error, a truncated ranking.
    QString message() const { return m_message; }
    const SearchHit &hitAt(int row) const { return m_hits.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

Q_SIGNALS:
    void stateChanged(sb::models::SearchModel::State state);
    //! A query finished (results or not) after \a elapsedMs on the worker.
    void finished(qint64 elapsedMs);

private:
    void apply(quint64 generation, const QList<SearchHit> &hits, const QString &error,
               bool truncated, qint64 elapsedMs);
    void setState(State state);
    void restartWorker();

    QPointer<CallCache> m_cache;
    std::unique_ptr<SearchWorker> m_worker;
    QList<SearchHit> m_hits;
    QString m_query;
    QString m_message;
    int m_limit = 200;
    quint64 m_generation = 0;
    State m_state = State::Idle;
    bool m_truncated = false;
};

} // namespace sb::models
