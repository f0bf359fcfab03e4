// Starting live calls: the engine's organizations, inbound calls, outbound calls from REST,
// and the schedule of each call's events.
#include "simlive_p.h"

#include "simjson.h"
#include "simpersonas.h"
#include "simrandom.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QTimer>

#include <algorithm>

namespace {

int personaForAgent(const SimObject &agent)
{
    const QString name = agent.data.value(QLatin1String("name")).toString();
    for (int i = 0; i < simPersonas().size(); ++i) {
        if (name == QString::fromUtf8(simPersonas().at(i).agentName))
            return i;
    }
    // An agent made through the API talks like one of the personas, always the same one.
    return int(qHash(agent.id) % uint(simPersonas().size()));
}

} // namespace

SimLiveEngine::SimLiveEngine(SimStore *store, const QList<SimOrg> &orgs, quint64 seed,
                             QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_seed(seed)
    , m_timer(new QTimer(this))
{
    for (const SimOrg &org : orgs) {
        OrgAgents a;
        a.org = org.id;
        QHash<QString, QString> numberOf;
        const QList<SimObject> numbers =
            store->listObjects(QStringLiteral("number"), org.id, {}, {}, {}, 1000);
        for (const SimObject &n : numbers) {
            const QString agent = n.data.value(QLatin1String("agentId")).toString();
            if (!agent.isEmpty() &&
                n.data.value(QLatin1String("status")).toString() == QLatin1String("active"))
                numberOf.insert(agent, n.data.value(QLatin1String("number")).toString());
        }
        const QList<SimObject> agents =
            store->listObjects(QStringLiteral("agent"), org.id, {}, {}, {}, 1000);
        for (const SimObject &agent : agents) {
            if (!numberOf.contains(agent.id))
                continue; // nobody can call an agent without a number
            a.agentIds.append(agent.id);
            a.personas.append(personaForAgent(agent));
            a.numbers.append(numberOf.value(agent.id));
        }
        const QList<SimObject> contacts =
            store->listObjects(QStringLiteral("contact"), org.id, {}, {}, {}, 500);
        for (const SimObject &c : contacts) {
            a.contactIds.append(c.id);
            a.contactNames.append(c.data.value(QLatin1String("name")).toString());
            a.contactPhones.append(c.data.value(QLatin1String("phone")).toString());
        }
        m_orgs.append(a);
    }
    m_timer->setTimerType(Qt::PreciseTimer);
    m_timer->setInterval(kTickMs);
    connect(m_timer, &QTimer::timeout, this, &SimLiveEngine::tick);
    m_clock.start();
    m_timer->start();
}

void SimLiveEngine::topUp()
{
    for (int i = 0; i < m_orgs.size(); ++i) {
        while (m_orgs.at(i).running < m_orgs.at(i).target && !m_orgs.at(i).agentIds.isEmpty())
            startInbound(i);
    }
}

void SimLiveEngine::startInbound(int orgIndex)
{
    OrgAgents &o = m_orgs[orgIndex];
    // Which calls come in is seeded; when they come depends on how the others went.
    SimRandom rng(SimRandom::mix(m_seed, 7000000 + ++m_started));
    auto c = std::make_shared<SimLiveCall>();
    SimCallRow &r = c->row;
    r.id = SimJson::makeId(QStringLiteral("call_"),
                           QRandomGenerator::global()->generate64() ^ m_started);
    r.org = o.org;
    const int a = rng.bounded(int(o.agentIds.size()));
    r.agentId = o.agentIds.at(a);
    r.persona = o.personas.at(a);
    r.direction = QStringLiteral("inbound");
    r.to = o.numbers.at(a);
    if (!o.contactIds.isEmpty() && rng.chance(0.85)) {
        const int k = rng.bounded(int(o.contactIds.size()));
        r.contactId = o.contactIds.at(k);
        r.contactName = o.contactNames.at(k);
        r.from = o.contactPhones.at(k);
    } else {
        r.from = QStringLiteral("+1415") + QString::number(rng.range(2000000, 9999999));
    }
    r.status = QStringLiteral("ringing");
    r.createdAt = r.updatedAt = QDateTime::currentMSecsSinceEpoch();
    r.seed = rng.next();
    if (!m_store->insertCall(r))
        return;
    c->orgIndex = orgIndex;
    ++o.running;
    prepare(*c, QStringLiteral("answered"));
    m_calls.insert(r.id, c);
    emitEvent(*c, {{QStringLiteral("type"), QStringLiteral("status")},
                   {QStringLiteral("status"), r.status}});
    announce(*c, "call.started");
}

void SimLiveEngine::placeOutbound(const SimCallRow &row, const QString &outcome)
{
    auto c = std::make_shared<SimLiveCall>();
    c->row = row;
    if (c->row.persona < 0)
        c->row.persona = int(qHash(row.agentId) % uint(simPersonas().size()));
    QString how = outcome;
    if (how.isEmpty()) {
        SimRandom rng(row.seed);
        const double roll = rng.unit();
        how = roll < 0.12   ? QStringLiteral("no_answer")
              : roll < 0.18 ? QStringLiteral("busy")
              : roll < 0.21 ? QStringLiteral("failed")
                            : QStringLiteral("answered");
    }
    prepare(*c, how);
    m_calls.insert(row.id, c);
    emitEvent(*c, {{QStringLiteral("type"), QStringLiteral("status")},
                   {QStringLiteral("status"), row.status}});
    announce(*c, "call.started");
}

void SimLiveEngine::prepare(SimLiveCall &c, const QString &outcome)
{
    SimRandom rng(SimRandom::mix(c.row.seed, 11));
    auto &steps = c.steps;
    qint64 ringing = 0;
    if (c.row.direction == QLatin1String("outbound")) {
        ringing = rng.range(600, 1200);
        steps.push_back({ringing, SimLiveStep::Ringing, 0, 0});
    }
    if (outcome != QLatin1String("answered")) {
        c.finalStatus = outcome;
        const qint64 after = outcome == QLatin1String("no_answer") ? rng.range(15000, 25000)
                             : outcome == QLatin1String("busy")    ? rng.range(1000, 2500)
                                                                   : rng.range(300, 1500);
        steps.push_back({ringing + after, SimLiveStep::End, 0, 0});
        return;
    }
    SimDialogueInput in;
    in.persona = c.row.persona;
    in.seed = c.row.seed;
    in.callerName = c.row.contactName;
    in.callCreatedMs = c.row.createdAt;
    c.dialogue = simGenerateLiveDialogue(in);
    const qint64 t0 = ringing + rng.range(1500, 6000);
    c.answerAt = t0;
    steps.push_back({t0, SimLiveStep::Answer, 0, 0});
    const SimLiveDialogue &d = c.dialogue;
    int mood = 0;
    for (int i = 0; i < d.lines.size(); ++i) {
        const SimLine &l = d.lines.at(i);
        const int n = int(l.text.count(QLatin1Char(' '))) + 1;
        for (int k = 1; k < n; ++k)
            steps.push_back(
                {t0 + l.startMs + (l.endMs - l.startMs) * k / n, SimLiveStep::Word, i, k});
        steps.push_back({t0 + l.endMs, SimLiveStep::Final, i, n});
        if (!l.agent && mood < d.moods.size())
            steps.push_back({t0 + d.moods.at(mood).atMs, SimLiveStep::Mood, mood++, 0});
    }
    for (int i = 0; i < d.tools.size(); ++i) {
        steps.push_back({t0 + d.tools.at(i).atMs, SimLiveStep::ToolCall, i, 0});
        steps.push_back({t0 + d.tools.at(i).resultAtMs, SimLiveStep::ToolResult, i, 0});
    }
    steps.push_back({t0 + qint64(d.durationSec) * 1000, SimLiveStep::End, 0, 0});
    std::stable_sort(steps.begin(), steps.end(),
                     [](const SimLiveStep &a, const SimLiveStep &b) { return a.at < b.at; });
}
