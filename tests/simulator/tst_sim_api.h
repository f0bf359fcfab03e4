#pragma once

#include "simclient.h"
#include "siminstance.h"

#include <QObject>

#include <memory>

//! switchboard-sim's REST API, in-process, over loopback sockets.
class TestSimApi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void auth();
    void unknownPathAndMethod();
    void agentsCrud();
    void agentValidation();
    void paginationToTheEnd_data();
    void paginationToTheEnd();
    void paginationErrors();
    void callFilters_data();
    void callFilters();
    void placeCall();
    void callDetailsConsistent();
    void deleteCall();
    void phoneNumbers();
    void knowledge();
    void multipartUpload();
    void contacts();
    void idempotency();
    void etagAndPreconditions();
    void rateLimit();
    void recordingRange();
    void determinismAcrossInstances();
    void faultInjection();
    void revokeKey();
    // tst_sim_api_fixes.cpp
    void deleteDuringRecording();
    void timeFiltersWithoutZoneAreUtc();
    void placeCallLinksContactByExactPhone();
    void idempotencyEntriesExpire();
    void oversizedBodyRefusedEarly();
    void multipartPartByName();
    void recordingRangeSuffixZero();
    void rateLimitSlidingWindow();

private:
    QString firstCompletedCall();
    std::unique_ptr<SimInstance> m_sim;
    std::unique_ptr<SimClient> m_client;
    QString m_key, m_key2, m_otherKey;
};
