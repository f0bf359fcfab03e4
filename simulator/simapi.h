#pragma once

#include "simauth.h"
#include "simdialogue.h"
#include "simfaults.h"
#include "simhttp.h"
#include "simidempotency.h"
#include "simstore.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QObject>

class SimLiveEngine;
class SimRecordings;
class SimStreamHub;

//! The Talknex REST API of the simulator: auth, rate limits, idempotency, faults, routing.
class SimApi : public QObject
{
    Q_OBJECT
public:
    SimApi(SimStore *store, SimKeyRing *keys, SimRecordings *recordings, QObject *parent = nullptr);

    void setBaseUrl(const QString &baseUrl) { m_baseUrl = baseUrl; }
    SimRateLimiter &rateLimiter() { return m_rateLimiter; }
    SimFaults &faults() { return m_faults; }
    //! The live engine and the stream (optional; without them calls never move).
    void setLive(SimLiveEngine *engine, SimStreamHub *stream);

    //! Answers one request (possibly later, for recordings and faults).
    void handle(const SimRequest &request, const SimHttpServer::Reply &reply);

    //! Everything a handler needs to know about the request being served.
    struct Ctx
    {
        SimRequest req;
        QString org;
        QString key;
        QStringList path; // segments after "v1"
    };

private:
    // Pipeline.
    void handleAdmin(const SimRequest &req, const SimHttpServer::Reply &reply);
    SimResponse liveAdmin(const QString &what, const QJsonObject &in); // simapi_live.cpp
    QJsonObject liveStats() const;
    void finish(const Ctx &ctx, SimResponse response, const SimHttpServer::Reply &reply,
                bool countedAsIdempotent);
    SimResponse dispatch(const Ctx &ctx, bool *async, const SimHttpServer::Reply &reply);

    // Resources (one file each).
    SimResponse agents(const Ctx &ctx);
    SimResponse calls(const Ctx &ctx, bool *async, const SimHttpServer::Reply &reply);
    SimResponse numbers(const Ctx &ctx);
    SimResponse knowledge(const Ctx &ctx);
    SimResponse contacts(const Ctx &ctx);
    void recording(const Ctx &ctx, const SimCallRow &call, const SimHttpServer::Reply &reply);

    // Shared helpers.
public:
    static SimResponse json(int status, const QJsonObject &body);
    static SimResponse error(int status, const QString &code, const QString &message,
                             const QString &field = {}, const QJsonObject &extra = {});
    static SimResponse noContent();
    static SimResponse methodNotAllowed(const Ctx &ctx, const QByteArray &allowed);

private:
    bool jsonBody(const Ctx &ctx, QJsonObject *out, SimResponse *err) const;
    bool pageParams(const Ctx &ctx, int *limit, SimListPos *pos, SimResponse *err) const;
    static SimResponse page(const QList<QJsonObject> &items, const QString &nextCursor);
    std::optional<SimObject> owned(const Ctx &ctx, const QString &kind, const QString &id,
                                   SimResponse *err) const;
    static SimResponse objectResponse(int status, const SimObject &object);
    static bool ifMatchOk(const Ctx &ctx, const SimObject &object, SimResponse *err);
    SimResponse listObjects(const Ctx &ctx, const QString &kind, const QString &parent,
                            const SimObjectFilter &filter);
    QString newId(const QString &prefix);
    QJsonObject callJson(const SimCallRow &call, bool details) const;
    //! transcript, sentimentTimeline, toolCalls, summary: live so far, stored, or generated.
    QJsonObject conversationJson(const SimCallRow &call) const;
    //! The conversation a recording is made of (the stored one for calls that ran live).
    SimDialogue conversation(const SimCallRow &call) const;

    SimStore *m_store;
    SimKeyRing *m_keys;
    SimRecordings *m_recordings;
    SimLiveEngine *m_live = nullptr;
    SimStreamHub *m_stream = nullptr;
    SimRateLimiter m_rateLimiter;
    SimFaults m_faults;
    QString m_baseUrl;

    SimIdempotencyCache m_idempotency; // slots: org + '\n' + key

    // Statistics for GET /_sim/stats.
    qint64 m_requests = 0;
    qint64 m_rateLimited = 0;
    QHash<QString, qint64> m_byKey;
    quint64 m_idCounter = 0;
};
