#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonValue>
#include <QList>
#include <QMetaType>
#include <QRegularExpression>
#include <QString>
#include <QStringList>
#include <QVariantMap>

namespace sb::models {

//! How urgent an alert is; a live call shows the highest one not yet acknowledged.
enum class AlertSeverity { None, Info, Warning, Critical };

//! Names of the alert rules, as stored with each alert (stable, not translated).
namespace AlertRule {
inline QString negativeSentiment()
{
    return QStringLiteral("negative_sentiment");
}
inline QString keyword()
{
    return QStringLiteral("keyword");
}
inline QString silence()
{
    return QStringLiteral("silence");
}
inline QString toolError()
{
    return QStringLiteral("tool_error");
}
inline QString transfer()
{
    return QStringLiteral("transfer");
}
} // namespace AlertRule

//! One alert raised on a live call: which rule, what was seen, when; acknowledged or not.
struct Alert
{
    qint64 id = 0;
    QString callId;
    QString rule;       //!< one of AlertRule::*
    QString detail;     //!< translated, for the log and the tooltip
    QDateTime at;       //!< wall time (UTC) when the rule fired
    qint64 callMs = -1; //!< call time when it fired, -1 when unknown
    QString acknowledgedBy;
    QDateTime acknowledgedAt;

    bool isAcknowledged() const { return acknowledgedAt.isValid(); }
};

//! Thresholds and keyword list of the live alert rules; a value type saved as a QVariantMap
//! (QSettings-compatible) by the settings facade. A threshold of 0 switches its rule off.
struct AlertRules
{
    Q_DECLARE_TR_FUNCTIONS(AlertRules)
public:
    static constexpr int kVersion = 1;

    int negativeSentimentSeconds = 20; //!< of call time; 0 = off
    int silenceSeconds = 15;           //!< of call time without transcript while in progress
    bool toolErrors = true;
    bool transfers = true;
    //! Matched case-insensitively, as whole words, on final lines; may hold phrases.
    QStringList keywords = defaultKeywords();

    static QStringList defaultKeywords();

    QVariantMap toMap() const;
    //! Missing or wrong-typed keys keep their defaults.
    static AlertRules fromMap(const QVariantMap &map);

    //! Severity of an alert of \a rule.
    static AlertSeverity severityOf(const QString &rule);
    //! Translated short name of \a rule, for the log.
    static QString ruleTitle(const QString &rule);
    static QString severityText(AlertSeverity severity);

    //! One case-insensitive whole-word pattern per keyword (empty keywords dropped).
    QList<QRegularExpression> keywordPatterns() const;
    //! The error a tool result carries ({"error": ...}, {"ok": false}, {"status": "error"} ...),
    //! or an empty string when it does not look like a failure.
    static QString toolResultError(const QJsonValue &result);

    bool operator==(const AlertRules &other) const;
    bool operator!=(const AlertRules &other) const { return !(*this == other); }
};

} // namespace sb::models

Q_DECLARE_METATYPE(sb::models::Alert)
Q_DECLARE_METATYPE(sb::models::AlertSeverity)
