#pragma once

#include "simauth.h"
#include "simstore.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QString>

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

class QTimer;
struct SimLiveCall;

//! One event of a live call as kept for replay: its seq and its JSON text without the closing
//! brace, so that the send time (`ts`) can be appended per socket without re-serialising.
struct SimLiveEvent
{
    qint64 seq = 0;
    QByteArray head; // {"type":...,"callId":...,"seq":N,...   (no "ts", no closing brace)
};

//! What a subscriber can replay of one call.
struct SimLiveBuffer
{
    QString org;
    bool ended = false;
    qint64 lastSeq = 0;
    const std::deque<SimLiveEvent> *events = nullptr;
};

//! The live-call engine: keeps `liveCalls` inbound calls of the demo organization running (and
//! a proportional few of the other one), plays outbound calls placed by REST, and advances all
//! of them from ONE timer, so that hundreds of concurrent calls stay cheap. Every call event
//! gets a per-call seq and is kept (last `replayLimit`) for replay; an ended call's buffer is
//! dropped 60 s of call time after its end. Ended calls are written to the store with exactly
//! the transcript, sentiment timeline and tool calls that were streamed.
class SimLiveEngine : public QObject
{
    Q_OBJECT
public:
    static constexpr int kTickMs = 25;
    static constexpr qint64 kKeepEndedMs = 60000; // call time an ended call stays replayable

    SimLiveEngine(SimStore *store, const QList<SimOrg> &orgs, quint64 seed,
                  QObject *parent = nullptr);
    ~SimLiveEngine() override;

    void setLiveCalls(int n);
    int liveCallsTarget() const { return m_target; }
    void setSpeed(double speed);
    double speed() const { return m_speed; }
    void setReplayLimit(int n) { m_replayLimit = qMax(1, n); }

    //! Calls that have not ended yet (both organizations, inbound and outbound).
    int activeCalls() const;
    //! Starts an outbound call just stored by POST /calls. outcome: answered, no_answer, busy,
    //! failed, or empty to pick one at random.
    void placeOutbound(const SimCallRow &row, const QString &outcome);
    //! The call was deleted: stop it without storing anything more.
    void forget(const QString &callId);

    std::optional<SimLiveBuffer> buffer(const QString &callId) const;
    //! transcript (finals), sentimentTimeline and toolCalls so far of a call still running.
    std::optional<QJsonObject> liveDetails(const QString &callId) const;

    //! How a call looks in REST (call.started / call.ended carry it).
    std::function<QJsonObject(const SimCallRow &)> callJson;
    //! A call event for the call's subscribers.
    std::function<void(const QString &callId, const SimLiveEvent &event)> onCallEvent;
    //! A `calls` channel event (text without ts and closing brace) for an organization.
    std::function<void(const QString &org, const QByteArray &head)> onChannelEvent;
    //! A call's buffer was dropped: nothing more will come for it.
    std::function<void(const QString &callId)> onCallDropped;

private:
    void tick();
    void topUp();
    void startInbound(int orgIndex);
    void prepare(SimLiveCall &call, const QString &outcome);
    void fire(SimLiveCall &call, int step);
    void emitEvent(SimLiveCall &call, QJsonObject event);
    void setStatus(SimLiveCall &call, const QString &status);
    void finish(SimLiveCall &call, const QString &status);
    void announce(const SimLiveCall &call, const char *type);

    struct OrgAgents
    {
        QString org;
        QStringList agentIds;
        QList<int> personas;
        QStringList numbers; // each agent's phone number
        QStringList contactIds, contactNames, contactPhones;
        int target = 0;
        int running = 0; // inbound calls not ended
    };

    SimStore *m_store;
    QList<OrgAgents> m_orgs;
    quint64 m_seed;
    quint64 m_started = 0;
    int m_target = 0;
    double m_speed = 1.0;
    int m_replayLimit = 1000;
    QTimer *m_timer;
    QElapsedTimer m_clock;
    qint64 m_lastTickMs = 0;
    QHash<QString, std::shared_ptr<SimLiveCall>> m_calls; // running and recently ended
    std::vector<std::shared_ptr<SimLiveCall>> m_running;
};
