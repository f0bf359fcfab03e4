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
    QString text = normalizedFilterText(f.text);
    // LIKE wildcards in the user's text would widen the match; they occur in neither numbers
    // nor names, so they are dropped rather than escaped (the trigram index cannot serve an
    // ESCAPE clause).
    text.remove(QLatin1Char('%')).remove(QLatin1Char('_'));
    if (!text.isEmpty()) {
        // Three characters and more are looked up in the trigram index; shorter text has no
        // trigram and scans the same table (correct, slower).
        parts << QStringLiteral("rid IN (SELECT rowid FROM calls_text WHERE search_text LIKE ?)");
        out.values << QString(QLatin1Char('%') + text + QLatin1Char('%'));
    }
    out.sql = parts.join(QLatin1String(" AND "));
    return out;
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
