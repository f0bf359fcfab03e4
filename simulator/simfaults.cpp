#include "simfaults.h"

#include <QJsonArray>
#include <QRandomGenerator>

bool SimFaults::addErrorSpec(const QString &spec)
{
    const QStringList parts = spec.split(QLatin1Char('='));
    if (parts.size() != 2)
        return false;
    bool okStatus = false, okRate = false;
    const int status = parts.at(0).toInt(&okStatus);
    const double rate = parts.at(1).toDouble(&okRate);
    if (!okStatus || !okRate || status < 400 || status > 599 || rate < 0 || rate > 1)
        return false;
    errorRates.insert(status, rate);
    return true;
}

bool SimFaults::replaceFromJson(const QJsonObject &json, QString *error)
{
    SimFaults next;
    const auto number = [&](const char *key, double lo, double hi, double *out) {
        const QJsonValue v = json.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull())
            return true;
        if (!v.isDouble() || v.toDouble() < lo || v.toDouble() > hi) {
            *error = QStringLiteral("%1 must be a number in [%2, %3]")
                         .arg(QLatin1String(key))
                         .arg(lo)
                         .arg(hi);
            return false;
        }
        *out = v.toDouble();
        return true;
    };
    double latency = 0, drop = 0, slow = 0;
    if (!number("latencyMs", 0, 60000, &latency) || !number("dropRate", 0, 1, &drop) ||
        !number("slowBodyMs", 0, 60000, &slow)) {
        return false;
    }
    next.latencyMs = int(latency);
    next.dropRate = drop;
    next.slowBodyMs = int(slow);
    const QJsonObject errors = json.value(QLatin1String("errors")).toObject();
    for (auto it = errors.begin(); it != errors.end(); ++it) {
        if (!next.addErrorSpec(it.key() + QLatin1Char('=') +
                               QString::number(it.value().toDouble())) ||
            !it.value().isDouble()) {
            *error = QStringLiteral("errors must map a status 400-599 to a rate in [0, 1]");
            return false;
        }
    }
    const QJsonArray fails = json.value(QLatin1String("failNext")).toArray();
    for (const QJsonValue &v : fails) {
        const QJsonObject o = v.toObject();
        SimFailRule r;
        r.status = o.value(QLatin1String("status")).toInt(503);
        r.count = o.value(QLatin1String("count")).toInt(1);
        r.method = o.value(QLatin1String("method")).toString().toUpper().toLatin1();
        r.path = o.value(QLatin1String("path")).toString();
        r.before = o.value(QLatin1String("when")).toString() == QLatin1String("before");
        if ((r.status != 0 && (r.status < 400 || r.status > 599)) || r.count < 1) {
            *error = QStringLiteral("failNext needs status 0 or 400-599 and count >= 1");
            return false;
        }
        next.failNext.append(r);
    }
    *this = next;
    return true;
}

bool SimFaults::rollDrop() const
{
    return dropRate > 0 && QRandomGenerator::global()->generateDouble() < dropRate;
}

std::optional<int> SimFaults::rollError() const
{
    for (auto it = errorRates.begin(); it != errorRates.end(); ++it) {
        if (it.value() > 0 && QRandomGenerator::global()->generateDouble() < it.value())
            return it.key();
    }
    return std::nullopt;
}

std::optional<SimFailRule> SimFaults::takeFailNext(const QByteArray &method, const QString &path,
                                                   bool before)
{
    for (qsizetype i = 0; i < failNext.size(); ++i) {
        SimFailRule &r = failNext[i];
        if (r.before != before || (!r.method.isEmpty() && r.method != method) ||
            (!r.path.isEmpty() && r.path != path)) {
            continue;
        }
        const SimFailRule hit = r;
        if (--r.count <= 0)
            failNext.removeAt(i);
        return hit;
    }
    return std::nullopt;
}
