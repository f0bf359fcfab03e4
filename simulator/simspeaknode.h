#pragma once

#include "simhttp.h"
#include "simoauth.h"
#include "simspeaknodejson.h"
#include "simstore.h"

#include <QByteArray>
#include <QJsonObject>
#include <QObject>
#include <QString>

#include <memory>

class SimFaults;
class SimLiveEngine;
class SimRateLimiter;
class SimRecordings;
struct SimDialogue;

//! The SpeakNode face of the simulator (CONTRACT §2): REST under /api/v1, the OAuth realm at
//! /realms/speaknode, pre-signed recordings under /_media and its admin endpoints under
//! /_sim/speaknode. It serves the same store, personas and live engine as the Talknex API, and
//! shares its rate limiter and fault injection.
class SimSpeakNode : public QObject
{
    Q_OBJECT
public:
    SimSpeakNode(SimStore *store, const QList<SimOrg> &orgs, quint64 seed,
                 SimRecordings *recordings, SimRateLimiter *limiter, SimFaults *faults,
                 QObject *parent = nullptr);
    ~SimSpeakNode() override;

    //! http://host:port (no path): the REST base, issuer and audio links are made from it.
    void setOrigin(const QString &origin);
    void setLive(SimLiveEngine *live) { m_live = live; }
    void setAudioTtlSeconds(int seconds) { m_audioTtlS = qMax(1, seconds); }
    SimOAuth &oauth() { return *m_oauth; }

    QString baseUrl() const { return m_origin + QStringLiteral("/api/v1"); }
    QString issuer() const { return m_oauth->issuer(); }

    //! The session object of a call as REST and the hub show it (agent title looked up, a fresh
    //! pre-signed audio link when the call has a recording). For the SignalR hub.
    QJsonObject sessionJson(const SimCallRow &call) const;
    //! The organization of a bearer access token (static or issued), empty when refused.
    QString orgForToken(const QString &token) const;

    //! /api/v1/... (faults, auth, rate limit, then the resource).
    void handleRest(const SimRequest &request, const SimHttpServer::Reply &reply);
    //! /realms/speaknode/...
    void handleRealm(const SimRequest &request, const SimHttpServer::Reply &reply);
    //! /_media/<uuid>.wav?expires=&signature= (no Authorization).
    void handleMedia(const SimRequest &request, const SimHttpServer::Reply &reply);
    //! /_sim/speaknode/... (loopback only).
    void handleAdmin(const SimRequest &request, const SimHttpServer::Reply &reply);

    //! An RFC 7807 response (application/problem+json).
    static SimResponse problem(int status, const QString &detail, const QString &traceId,
                               const QJsonObject &errors = {});

private:
    struct Ctx
    {
        SimRequest req;
        QString org;
        QString credential;
        QStringList path; // segments after "api/v1"
    };

    void finish(const Ctx &ctx, SimResponse response, const SimHttpServer::Reply &reply,
                bool processed);
    SimResponse route(const Ctx &ctx);
    SimResponse agents(const Ctx &ctx);
    SimResponse tools(const Ctx &ctx);
    SimResponse phoneNumbers(const Ctx &ctx);
    // simspeaknode_conversations.cpp
    SimResponse listConversations(const Ctx &ctx);
    SimResponse conversation(const Ctx &ctx, const QString &id);
    SimResponse dispatchCall(const Ctx &ctx);
    QJsonObject conversationJson(const SimCallRow &call) const;
    // simspeaknodemedia.cpp
    SimSpeakNodeJson::AudioLink audioLink(const SimCallRow &call) const;
    QByteArray signature(const QString &uuid, qint64 expires) const;
    SimDialogue dialogue(const SimCallRow &call) const;

    QString agentTitle(const QString &agentId) const;
    static SimResponse json(int status, const QJsonValue &body);
    static SimResponse methodNotAllowed(const Ctx &ctx, const QByteArray &allowed);

    SimStore *m_store;
    QList<SimOrg> m_orgs;
    SimRecordings *m_recordings;
    SimRateLimiter *m_limiter;
    SimFaults *m_faults;
    SimLiveEngine *m_live = nullptr;
    std::unique_ptr<SimOAuth> m_oauth;
    QString m_origin;
    int m_audioTtlS = 300;
    QByteArray m_mediaSecret; // random per run: links of an earlier run are void
};
