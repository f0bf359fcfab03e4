// SpeakNode request side (CONTRACT §2.2): the dispatch body, the query of GET /conversations,
// the filters the server cannot express, and 422 field names in the console's spelling.

#include "request.h"
#include "speaknodejson.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace sb::api::speaknode {

namespace {

// 422 field names of the dispatch body, as .NET model binding spells them, to the console's.
const std::pair<const char *, const char *> kFieldNames[] = {
    {"ToNumber", "to"},
    {"to_number", "to"},
    {"FromNumber", "from"},
    {"from_number", "from"},
    {"AgentId", "agentId"},
    {"agent_id", "agentId"},
    {"DynamicVariables", "metadata"},
    {"dynamic_variables", "metadata"},
};

} // namespace

QJsonObject dispatchBody(const PlaceCallRequest &call)
{
    QJsonObject o;
    o.insert(QLatin1String("agent_id"), call.agentId);
    o.insert(QLatin1String("to_number"), call.to);
    o.insert(QLatin1String("from_number"), call.from);
    if (!call.metadata.isEmpty()) {
        QJsonObject vars;
        for (auto it = call.metadata.constBegin(); it != call.metadata.constEnd(); ++it) {
            const QJsonValue v = it.value();
            QString text;
            if (v.isString())
                text = v.toString();
            else if (v.isBool())
                text = v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
            else if (v.isDouble())
                text = QString::number(v.toDouble(), 'g', 15);
            else if (v.isObject())
                text =
                    QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
            else if (v.isArray())
                text = QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
            else
                continue; // null: nothing to pass
            vars.insert(it.key(), text);
        }
        o.insert(QLatin1String("dynamic_variables"), vars);
    }
    return o;
}

QUrlQuery conversationQuery(const CallFilter &filter)
{
    QUrlQuery q;
    if (!filter.agentId.isEmpty())
        addQueryValue(q, QStringLiteral("agent_id"), filter.agentId);
    if (filter.status) {
        const QString name = sessionStatusName(*filter.status);
        if (!name.isEmpty())
            addQueryValue(q, QStringLiteral("status"), name);
    }
    QDateTime from = filter.createdAfter;
    if (filter.updatedSince.isValid()) {
        const QDateTime slack = filter.updatedSince.addSecs(-kUpdatedSinceSlackSecs);
        if (!from.isValid() || slack > from)
            from = slack;
    }
    if (from.isValid())
        addQueryValue(q, QStringLiteral("from"), formatIsoDateTime(from));
    if (filter.createdBefore.isValid())
        addQueryValue(q, QStringLiteral("to"), formatIsoDateTime(filter.createdBefore));
    return q;
}

bool matchesClientSide(const CallFilter &filter, const Call &call)
{
    if (filter.status && call.status != *filter.status)
        return false;
    if (filter.direction && call.direction != *filter.direction)
        return false;
    if (filter.sentiment && call.sentiment != *filter.sentiment)
        return false;
    if (!filter.agentId.isEmpty() && call.agentId != filter.agentId)
        return false;
    if (filter.createdAfter.isValid() && call.createdAt < filter.createdAfter)
        return false;
    if (filter.createdBefore.isValid() && call.createdAt > filter.createdBefore)
        return false;
    const QString query = filter.query.trimmed();
    if (!query.isEmpty() && !call.to.contains(query, Qt::CaseInsensitive) &&
        !call.from.contains(query, Qt::CaseInsensitive))
        return false;
    return true;
}

QString consoleFieldName(const QString &speakNodeField)
{
    for (const auto &entry : kFieldNames) {
        if (speakNodeField.compare(QLatin1String(entry.first), Qt::CaseInsensitive) == 0)
            return QLatin1String(entry.second);
    }
    return speakNodeField;
}

} // namespace sb::api::speaknode
