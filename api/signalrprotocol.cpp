#include "signalrprotocol.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

namespace sb::api::signalr {

QList<QByteArray> RecordSplitter::feed(const QByteArray &data)
{
    QList<QByteArray> records;
    qsizetype start = 0;
    for (;;) {
        const qsizetype end = data.indexOf(kRecordSeparator, start);
        if (end < 0)
            break;
        if (m_skipping) {
            m_skipping = false; // the oversized record ends here
        } else if (m_partial.size() + (end - start) > m_maxBytes) {
            ++m_oversized;
            m_partial.clear();
        } else {
            m_partial.append(data.constData() + start, end - start);
            records.append(m_partial);
            m_partial.clear();
        }
        start = end + 1;
    }
    if (start < data.size() && !m_skipping) {
        if (m_partial.size() + (data.size() - start) > m_maxBytes) {
            // Counted now; what follows up to the separator is dropped unread.
            ++m_oversized;
            m_partial.clear();
            m_skipping = true;
        } else {
            m_partial.append(data.constData() + start, data.size() - start);
        }
    }
    return records;
}

void RecordSplitter::reset()
{
    m_partial.clear();
    m_skipping = false;
}

std::optional<Message> parseMessage(const QByteArray &record, bool *unknownType)
{
    if (unknownType)
        *unknownType = false;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(record, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    const QJsonObject o = doc.object();
    const QJsonValue type = o.value(QLatin1String("type"));
    if (!type.isDouble())
        return std::nullopt;
    const double number = type.toDouble();
    if (number != double(int(number)))
        return std::nullopt;
    Message m;
    switch (int(number)) {
    case int(MessageType::Invocation): {
        const QJsonValue target = o.value(QLatin1String("target"));
        const QJsonValue arguments = o.value(QLatin1String("arguments"));
        if (!target.isString() || !arguments.isArray())
            return std::nullopt;
        m.type = MessageType::Invocation;
        m.target = target.toString();
        m.arguments = arguments.toArray();
        m.invocationId = o.value(QLatin1String("invocationId")).toString();
        return m;
    }
    case int(MessageType::Ping):
        m.type = MessageType::Ping;
        return m;
    case int(MessageType::Close):
        m.type = MessageType::Close;
        m.error = o.value(QLatin1String("error")).toString();
        m.allowReconnect = o.value(QLatin1String("allowReconnect")).toBool(false);
        return m;
    case int(MessageType::Completion):
        m.type = MessageType::Completion;
        m.invocationId = o.value(QLatin1String("invocationId")).toString();
        m.error = o.value(QLatin1String("error")).toString();
        return m;
    case int(MessageType::StreamItem):
    case int(MessageType::StreamInvocation):
    case int(MessageType::CancelInvocation):
        m.type = MessageType(int(number));
        return m;
    default:
        if (unknownType)
            *unknownType = true;
        return std::nullopt;
    }
}

std::optional<QString> parseHandshakeResponse(const QByteArray &record)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(record, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    const QJsonValue e = doc.object().value(QLatin1String("error"));
    if (e.isUndefined() || e.isNull())
        return QString();
    const QString text = e.toString();
    return text.isEmpty() ? QStringLiteral("handshake refused") : text;
}

static QByteArray withSeparator(const char *json)
{
    QByteArray r(json);
    r.append(kRecordSeparator);
    return r;
}

QByteArray handshakeRequest()
{
    return withSeparator(R"({"protocol":"json","version":1})");
}

QByteArray pingRecord()
{
    return withSeparator(R"({"type":6})");
}

QByteArray closeRecord()
{
    return withSeparator(R"({"type":7})");
}

std::optional<Negotiation> parseNegotiation(const QByteArray &body, QString *problem)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject()) {
        *problem = QStringLiteral("negotiate: not a JSON object");
        return std::nullopt;
    }
    const QJsonObject o = doc.object();
    Negotiation n;
    if (o.value(QLatin1String("error")).isString()) {
        n.error = o.value(QLatin1String("error")).toString();
        return n;
    }
    if (o.value(QLatin1String("url")).isString()) {
        n.redirectUrl = QUrl(o.value(QLatin1String("url")).toString());
        n.redirectToken = o.value(QLatin1String("accessToken")).toString();
        if (!n.redirectUrl.isValid()) {
            *problem = QStringLiteral("negotiate: invalid redirect url");
            return std::nullopt;
        }
        return n;
    }
    const QJsonValue id = o.value(QLatin1String("connectionId"));
    if (!id.isString() || id.toString().isEmpty()) {
        *problem = QStringLiteral("negotiate: no connectionId");
        return std::nullopt;
    }
    n.connectionId = id.toString();
    const int version = o.value(QLatin1String("negotiateVersion")).toInt(0);
    if (version >= 1) {
        const QJsonValue token = o.value(QLatin1String("connectionToken"));
        if (!token.isString() || token.toString().isEmpty()) {
            *problem = QStringLiteral("negotiate: version 1 without connectionToken");
            return std::nullopt;
        }
        n.connectionToken = token.toString();
    }
    const QJsonArray transports = o.value(QLatin1String("availableTransports")).toArray();
    for (const QJsonValue &t : transports) {
        const QJsonObject to = t.toObject();
        if (to.value(QLatin1String("transport")).toString() != QLatin1String("WebSockets"))
            continue;
        const QJsonArray formats = to.value(QLatin1String("transferFormats")).toArray();
        for (const QJsonValue &f : formats)
            n.webSockets = n.webSockets || f.toString() == QLatin1String("Text");
    }
    return n;
}

QUrl negotiateUrl(const QUrl &hubUrl)
{
    QUrl url = hubUrl;
    QString path = url.path();
    if (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    url.setPath(path + QLatin1String("/negotiate"));
    QUrlQuery query(hubUrl);
    query.removeAllQueryItems(QStringLiteral("negotiateVersion"));
    query.addQueryItem(QStringLiteral("negotiateVersion"), QStringLiteral("1"));
    url.setQuery(query);
    return url;
}

QUrl webSocketUrl(const QUrl &hubUrl, const QString &id, const QString &accessToken)
{
    QUrl url = hubUrl;
    if (url.scheme() == QLatin1String("https"))
        url.setScheme(QStringLiteral("wss"));
    else if (url.scheme() == QLatin1String("http"))
        url.setScheme(QStringLiteral("ws"));
    else
        return QUrl();
    QUrlQuery query(hubUrl);
    query.removeAllQueryItems(QStringLiteral("id"));
    query.removeAllQueryItems(QStringLiteral("access_token"));
    // Percent-encode fully: a token may hold '+', '/' and '=' which a query must not carry raw.
    query.addQueryItem(QStringLiteral("id"), QString::fromLatin1(QUrl::toPercentEncoding(id)));
    if (!accessToken.isEmpty())
        query.addQueryItem(QStringLiteral("access_token"),
                           QString::fromLatin1(QUrl::toPercentEncoding(accessToken)));
    url.setQuery(query);
    return url;
}

} // namespace sb::api::signalr
