#include "alertrules.h"

#include <QJsonObject>

namespace sb::models {

namespace {
const QString kVersionKey = QStringLiteral("version");
const QString kNegativeKey = QStringLiteral("negativeSentimentSeconds");
const QString kSilenceKey = QStringLiteral("silenceSeconds");
const QString kToolErrorsKey = QStringLiteral("toolErrors");
const QString kTransfersKey = QStringLiteral("transfers");
const QString kKeywordsKey = QStringLiteral("keywords");

int readSeconds(const QVariantMap &map, const QString &key, int fallback)
{
    bool ok = false;
    const int v = map.value(key).toInt(&ok);
    return ok && v >= 0 && v <= 24 * 3600 ? v : fallback;
}

bool readBool(const QVariantMap &map, const QString &key, bool fallback)
{
    const QVariant v = map.value(key);
    // QSettings hands booleans back as strings from INI files.
    if (v.typeId() == QMetaType::Bool)
        return v.toBool();
    if (v.typeId() == QMetaType::QString) {
        const QString s = v.toString().toLower();
        if (s == QLatin1String("true"))
            return true;
        if (s == QLatin1String("false"))
            return false;
    }
    return fallback;
}
} // namespace

QStringList AlertRules::defaultKeywords()
{
    return {QStringLiteral("manager"), QStringLiteral("supervisor"),
            QStringLiteral("lawyer"),  QStringLiteral("complaint"),
            QStringLiteral("cancel"),  QStringLiteral("real person")};
}

QVariantMap AlertRules::toMap() const
{
    return {{kVersionKey, kVersion},       {kNegativeKey, negativeSentimentSeconds},
            {kSilenceKey, silenceSeconds}, {kToolErrorsKey, toolErrors},
            {kTransfersKey, transfers},    {kKeywordsKey, keywords}};
}

AlertRules AlertRules::fromMap(const QVariantMap &map)
{
    AlertRules r;
    r.negativeSentimentSeconds = readSeconds(map, kNegativeKey, r.negativeSentimentSeconds);
    r.silenceSeconds = readSeconds(map, kSilenceKey, r.silenceSeconds);
    r.toolErrors = readBool(map, kToolErrorsKey, r.toolErrors);
    r.transfers = readBool(map, kTransfersKey, r.transfers);
    const QVariant words = map.value(kKeywordsKey);
    if (words.typeId() == QMetaType::QStringList || words.typeId() == QMetaType::QVariantList) {
        r.keywords.clear();
        for (const QString &w : words.toStringList()) {
            const QString t = w.simplified();
            if (!t.isEmpty() && !r.keywords.contains(t, Qt::CaseInsensitive))
                r.keywords.append(t);
        }
    } else if (words.typeId() == QMetaType::QString) {
        // A one-item list read back from an INI file is a plain string.
        const QString t = words.toString().simplified();
        r.keywords = t.isEmpty() ? QStringList() : QStringList{t};
    }
    return r;
}

AlertSeverity AlertRules::severityOf(const QString &rule)
{
    if (rule == AlertRule::negativeSentiment() || rule == AlertRule::transfer())
        return AlertSeverity::Critical;
    if (rule == AlertRule::keyword() || rule == AlertRule::toolError())
        return AlertSeverity::Warning;
    if (rule == AlertRule::silence())
        return AlertSeverity::Info;
    return AlertSeverity::Warning;
}

QString AlertRules::ruleTitle(const QString &rule)
{
    if (rule == AlertRule::negativeSentiment())
        return tr("Negative sentiment");
    if (rule == AlertRule::keyword())
        return tr("Keyword");
    if (rule == AlertRule::silence())
        return tr("Long silence");
    if (rule == AlertRule::toolError())
        return tr("Tool error");
    if (rule == AlertRule::transfer())
        return tr("Transfer to a human");
    return rule;
}

QString AlertRules::severityText(AlertSeverity severity)
{
    switch (severity) {
    case AlertSeverity::Critical:
        return tr("Critical");
    case AlertSeverity::Warning:
        return tr("Warning");
    case AlertSeverity::Info:
        return tr("Info");
    case AlertSeverity::None:
        break;
    }
    return {};
}

QList<QRegularExpression> AlertRules::keywordPatterns() const
{
    QList<QRegularExpression> out;
    for (const QString &k : keywords) {
        const QString t = k.simplified();
        if (t.isEmpty())
            continue;
        // Spaces inside a phrase match any run of whitespace; \b needs word characters at the
        // ends, so use look-arounds that also work for keywords ending in punctuation.
        QString body = QRegularExpression::escape(t);
        body.replace(QStringLiteral("\\ "), QStringLiteral("\\s+"));
        out.append(
            QRegularExpression(QStringLiteral("(?<![\\w])") + body + QStringLiteral("(?![\\w])"),
                               QRegularExpression::CaseInsensitiveOption |
                                   QRegularExpression::UseUnicodePropertiesOption));
    }
    return out;
}

QString AlertRules::toolResultError(const QJsonValue &result)
{
    if (!result.isObject())
        return {};
    const QJsonObject o = result.toObject();
    const QJsonValue error = o.value(QLatin1String("error"));
    if (error.isString() && !error.toString().isEmpty())
        return error.toString();
    if (error.isObject()) {
        const QJsonObject e = error.toObject();
        const QString message = e.value(QLatin1String("message")).toString();
        return message.isEmpty() ? e.value(QLatin1String("code")).toString(tr("error")) : message;
    }
    if (error.isBool() && error.toBool())
        return tr("error");
    if (o.value(QLatin1String("ok")) == QJsonValue(false) ||
        o.value(QLatin1String("success")) == QJsonValue(false) ||
        o.value(QLatin1String("status")).toString() == QLatin1String("error")) {
        const QString message = o.value(QLatin1String("message")).toString();
        return message.isEmpty() ? tr("error") : message;
    }
    return {};
}

bool AlertRules::operator==(const AlertRules &other) const
{
    return negativeSentimentSeconds == other.negativeSentimentSeconds &&
           silenceSeconds == other.silenceSeconds && toolErrors == other.toolErrors &&
           transfers == other.transfers && keywords == other.keywords;
}

} // namespace sb::models
