#include "historyfilter.h"

#include "cacheschema.h"

#include <QStringList>

namespace sb::models {

using namespace sb::models::cache;

bool HistoryFilter::isEmpty() const
{
    return agentId.isEmpty() && !status && !direction && !sentiment && !createdFrom.isValid()
           && !createdTo.isValid() && text.trimmed().isEmpty();
}

bool HistoryFilter::operator==(const HistoryFilter &o) const
{
    return agentId == o.agentId && status == o.status && direction == o.direction
           && sentiment == o.sentiment && createdFrom == o.createdFrom
           && createdTo == o.createdTo && text.simplified() == o.text.simplified();
}

SqlCondition historyWhere(const HistoryFilter &f)
{
    QStringList parts;
    SqlCondition out;
    if (!f.agentId.isEmpty()) {
        parts << QStringLiteral("agent_id = ?");
        out.values << f.agentId;
    }
    if (f.status) {
        parts << QStringLiteral("status = ?");
        out.values << statusCode(*f.status);
    }
    if (f.direction) {
        parts << QStringLiteral("direction = ?");
        out.values << directionCode(*f.direction);
    }
    if (f.sentiment) {
        parts << QStringLiteral("sentiment = ?");
        out.values << sentimentCode(*f.sentiment);
    }
    if (f.createdFrom.isValid()) {
        parts << QStringLiteral("created_at >= ?");
        out.values << f.createdFrom.toMSecsSinceEpoch();
    }
    if (f.createdTo.isValid()) {
        parts << QStringLiteral("created_at < ?");
        out.values << f.createdTo.toMSecsSinceEpoch();
    }
    const QString text = normalizedFilterText(f.text);
    if (text.size() >= 3) {
        // A phrase of trigrams: an exact, case-insensitive substring, from the index alone.
        parts << QStringLiteral("rid IN (SELECT rowid FROM calls_text WHERE calls_text MATCH ?)");
        out.values << ftsPhrase(text);
    } else if (!text.isEmpty()) {
        // Shorter than a trigram: a scan of every row's text (correct, slower). instr() and
        // not LIKE: the user's % and _ are characters here, not wildcards.
        parts << QStringLiteral("instr(lower(search_text), ?) > 0");
        out.values << text.toLower();
    }
    out.sql = parts.join(QLatin1String(" AND "));
    return out;
}

SqlCondition historyCount(const HistoryFilter &filter)
{
    const QString text = normalizedFilterText(filter.text);
    HistoryFilter rest = filter;
    rest.text.clear();
    if (text.size() >= 3 && rest.isEmpty()) {
        // Text alone: count the index's matches; going through `calls` would look up every
        // matching row in the table only to count it.
        return {QStringLiteral("SELECT count(*) FROM calls_text WHERE calls_text MATCH ?"),
                {ftsPhrase(text)}};
    }
    SqlCondition where = historyWhere(filter);
    return {QStringLiteral("SELECT count(*) FROM calls")
                + (where.sql.isEmpty() ? QString() : QStringLiteral(" WHERE ") + where.sql),
            where.values};
}

QString historyOrderColumns(HistorySortKey key)
{
    switch (key) {
    case HistorySortKey::Created:
        break;
    case HistorySortKey::Duration:
        return QStringLiteral("duration, created_at");
    case HistorySortKey::Agent:
        return QStringLiteral("agent_id, created_at");
    case HistorySortKey::Status:
        return QStringLiteral("status, created_at");
    case HistorySortKey::Sentiment:
        return QStringLiteral("sentiment, created_at");
    case HistorySortKey::Number:
        return QStringLiteral("remote_number, created_at");
    case HistorySortKey::Direction:
        return QStringLiteral("direction, created_at");
    }
    return QStringLiteral("created_at");
}

} // namespace sb::models
