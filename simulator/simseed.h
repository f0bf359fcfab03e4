#pragma once

#include "simauth.h"

#include <QJsonObject>
#include <QList>

class SimStore;

//! Options of the demo data; everything generated is a pure function of them (and of the
//! start time, which only shifts timestamps).
struct SimSeedOptions
{
    quint64 seed = 1;
    int historyCalls = 2000;
    qint64 nowMs = 0;
};

//! The organizations and API keys for a seed (same keys on every start with that seed).
QList<SimOrg> simSeedOrgs(quint64 seed);

//! Fills an empty store with the demo data; returns false with *error on failure.
bool simSeedStore(SimStore &store, const SimSeedOptions &options, QString *error);

//! A complete agent object for a persona (used by seeding).
QJsonObject simPersonaAgentJson(int persona, const QString &id, qint64 createdAtMs,
                                const QJsonArray &collectionIds);
