#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

#include <optional>

//! One queued failure of POST /_sim/faults `failNext`.
struct SimFailRule
{
    int status = 503; // 0 drops the connection
    int count = 1;
    QByteArray method;   // empty matches any
    QString path;        // empty matches any; else the exact path, e.g. /v1/calls
    bool before = false; // fail without processing
};

//! Fault injection settings (command-line flags and POST /_sim/faults).
class SimFaults
{
public:
    int latencyMs = 0;
    QMap<int, double> errorRates; // status -> fraction of requests
    double dropRate = 0;
    int slowBodyMs = 0;
    QList<SimFailRule> failNext;

    //! Parses "503=0.2" (the --fault-error flag).
    bool addErrorSpec(const QString &spec);
    //! Replaces all settings from the admin JSON; false and *error when malformed.
    bool replaceFromJson(const QJsonObject &json, QString *error);

    //! Rolls the dice for one request.
    bool rollDrop() const;
    std::optional<int> rollError() const;
    //! Consumes one matching failNext rule of the given phase.
    std::optional<SimFailRule> takeFailNext(const QByteArray &method, const QString &path,
                                            bool before);
};
