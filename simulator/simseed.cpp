#include "simseed.h"

#include "simdialogue.h"
#include "simjson.h"
#include "simpersonas.h"
#include "simrandom.h"
#include "simstore.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace {

const char *const kFirst[] = {"Olivia", "Liam",     "Emma",   "Noah",  "Ava",   "Elijah", "Sophia",
                              "James",  "Isabella", "Lucas",  "Mia",   "Mateo", "Amelia", "Ethan",
                              "Harper", "Daniel",   "Evelyn", "Henry", "Aria",  "Jack",   "Priya",
                              "Wei",    "Fatima",   "Diego",  "Yuki",  "Kwame", "Ingrid", "Omar"};
const char *const kLast[] = {"Smith",  "Johnson",   "Williams", "Brown", "Garcia", "Miller",
                             "Davis",  "Rodriguez", "Martinez", "Lopez", "Wilson", "Anderson",
                             "Thomas", "Moore",     "Jackson",  "Lee",   "Nguyen", "Patel",
                             "Kim",    "Okafor",    "Schmidt",  "Rossi", "Tanaka", "Haddad"};
const char *const kCompanies[] = {"Acme Logistics",    "Blue Harbor Cafe", "Pinecrest Dental",
                                  "Redwood Analytics", "Summit Plumbing",  "Lumen Studios",
                                  "Granite Builders",  "Maple & Co",       "Northwind Traders",
                                  "Silverline Fitness"};
const char *const kTags[] = {"customer",   "lead",       "vip",       "patient",
                             "churn-risk", "newsletter", "wholesale", "do-not-call-evenings"};
const char *const kAreaCodes[] = {"212", "312", "415", "512", "617", "303", "206", "702"};

QString seededId(const char *prefix, quint64 seed, quint64 n)
{
    return SimJson::makeId(QString::fromLatin1(prefix), SimRandom::mix(seed, n));
}

QString phone(SimRandom &rng)
{
    return QStringLiteral("+1") + QString::fromLatin1(kAreaCodes[rng.bounded(8)]) +
           QString::number(rng.range(2000000, 9999999));
}

QJsonArray splitSchemaTools(const SimPersonaTool &t)
{
    QJsonObject tool{{QStringLiteral("name"), QString::fromUtf8(t.name)},
                     {QStringLiteral("description"), QString::fromUtf8(t.description)},
                     {QStringLiteral("webhookUrl"), QString::fromUtf8(t.webhookUrl)}};
    tool.insert(QStringLiteral("parameters"),
                QJsonDocument::fromJson(QByteArray(t.parametersSchema)).object());
    return QJsonArray{tool};
}

struct OrgData
{
    SimOrg org;
    QStringList agentIds;
    QList<int> agentPersonas;
    QStringList agentNumbers; // number assigned to each agent
    QStringList contactIds, contactNames, contactPhones;
};

} // namespace

QList<SimOrg> simSeedOrgs(quint64 seed)
{
    const auto key = [seed](int org, int n) {
        return QStringLiteral("tnx_live_%1")
            .arg(SimRandom::mix(seed, quint64(9000 + org * 10 + n)), 16, 16, QLatin1Char('0'));
    };
    return {SimOrg{seededId("org_", seed, 1),
                   QStringLiteral("Brightwave Demo Co"),
                   {key(1, 1), key(1, 2), key(1, 3)}},
            SimOrg{seededId("org_", seed, 2),
                   QStringLiteral("Globex Outreach"),
                   {key(2, 1), key(2, 2)}}};
}

QJsonObject simPersonaAgentJson(int persona, const QString &id, qint64 createdAtMs,
                                const QJsonArray &collectionIds)
{
    const SimPersona &p = simPersonas().at(persona);
    QJsonArray builtins;
    if (p.canBook)
        builtins.append(QStringLiteral("book_appointment"));
    if (p.canTransfer)
        builtins.append(QStringLiteral("transfer_to_human"));
    const QString created = SimJson::isoTime(createdAtMs);
    return QJsonObject{
        {QStringLiteral("id"), id},
        {QStringLiteral("name"), QString::fromUtf8(p.agentName)},
        {QStringLiteral("status"), QStringLiteral("active")},
        {QStringLiteral("language"), QString::fromUtf8(p.language)},
        {QStringLiteral("systemPrompt"), QString::fromUtf8(p.systemPrompt)},
        {QStringLiteral("firstMessage"), QString::fromUtf8(p.firstMessage)},
        {QStringLiteral("voiceProvider"), QString::fromUtf8(p.voiceProvider)},
        {QStringLiteral("voiceId"), QString::fromUtf8(p.voiceId)},
        {QStringLiteral("voiceSpeed"), p.voiceSpeed},
        {QStringLiteral("voicePitch"), 0.0},
        {QStringLiteral("voiceStability"), 0.5},
        {QStringLiteral("voiceSimilarityBoost"), 0.75},
        {QStringLiteral("interruptionSensitivity"), 0.6},
        {QStringLiteral("llmModel"), QString::fromUtf8(p.llmModel)},
        {QStringLiteral("llmTemperature"), p.llmTemperature},
        {QStringLiteral("llmMaxTokens"), p.llmMaxTokens},
        {QStringLiteral("llmTopP"), 0.9},
        {QStringLiteral("builtinTools"), builtins},
        {QStringLiteral("transferNumber"),
         p.canTransfer ? QJsonValue(QStringLiteral("+14155550100")) : QJsonValue()},
        {QStringLiteral("tools"), splitSchemaTools(p.tool)},
        {QStringLiteral("knowledgeCollectionIds"), collectionIds},
        {QStringLiteral("createdAt"), created},
        {QStringLiteral("updatedAt"), created},
    };
}

static bool seedOrg(SimStore &store, const SimSeedOptions &o, OrgData &od, int orgIndex,
                    const QList<int> &personas, int contactCount)
{
    const quint64 base = quint64(orgIndex) * 100000;
    SimRandom rng(SimRandom::mix(o.seed, base + 1));
    const qint64 day = 86400000;
    const auto past = [&](int minDays, int maxDays) {
        return o.nowMs - qint64(rng.range(minDays, maxDays)) * day - rng.range(0, 86399) * 1000LL;
    };
    QJsonArray collectionIds;
    // Knowledge collections and documents.
    const char *const colNames[][2] = {
        {"Policies & FAQ", "Opening hours, cancellation and privacy policies."},
        {"Product catalog", "Products, prices and return rules, exported weekly."},
        {"Call scripts", "Approved scripts and objection handling."},
        {"Listings", "Listing sheets of homes currently for sale."},
        {"IT knowledge base", "Step-by-step fixes for common IT problems."}};
    const char *const docNames[] = {"faq.md",          "returns-policy.pdf",  "price-list.csv",
                                    "onboarding.docx", "troubleshooting.txt", "scripts.md"};
    const int colCount = orgIndex == 1 ? 5 : 2;
    for (int c = 0; c < colCount; ++c) {
        const QString colId = seededId("col_", o.seed, base + 100 + quint64(c));
        const qint64 colCreated = past(120, 200);
        const int docs = rng.range(2, 4);
        for (int d = 0; d < docs; ++d) {
            const QString docId = seededId("doc_", o.seed, base + 200 + quint64(c * 10 + d));
            const int size = rng.range(4000, 900000);
            const QString title = QString::fromLatin1(docNames[(c + d) % 6]);
            SimObject doc{QStringLiteral("document"),       docId, od.org.id, colId,
                          colCreated + (d + 1) * 3600000LL, 1,     {}};
            doc.data = {{QStringLiteral("id"), docId},
                        {QStringLiteral("title"), title},
                        {QStringLiteral("source"), QStringLiteral("file")},
                        {QStringLiteral("status"), QStringLiteral("ready")},
                        {QStringLiteral("chunkCount"), (size + 999) / 1000},
                        {QStringLiteral("sizeBytes"), size},
                        {QStringLiteral("createdAt"), SimJson::isoTime(doc.createdAt)}};
            if (!store.insertObject(doc))
                return false;
        }
        SimObject col{QStringLiteral("collection"), colId, od.org.id, QString(), colCreated, 1, {}};
        col.data = {{QStringLiteral("id"), colId},
                    {QStringLiteral("name"), QString::fromUtf8(colNames[c][0])},
                    {QStringLiteral("description"), QString::fromUtf8(colNames[c][1])},
                    {QStringLiteral("documentCount"), docs},
                    {QStringLiteral("createdAt"), SimJson::isoTime(colCreated)}};
        if (!store.insertObject(col))
            return false;
        collectionIds.append(colId);
    }
    // Agents and the numbers that route to them.
    for (int i = 0; i < personas.size(); ++i) {
        const QString id = seededId("agent_", o.seed, base + 300 + quint64(i));
        const qint64 created = past(95, 180);
        QJsonArray cols;
        cols.append(collectionIds.at(i % collectionIds.size()));
        SimObject a{QStringLiteral("agent"),
                    id,
                    od.org.id,
                    QString(),
                    created,
                    1,
                    simPersonaAgentJson(personas.at(i), id, created, cols)};
        if (!store.insertObject(a))
            return false;
        od.agentIds.append(id);
        od.agentPersonas.append(personas.at(i));
    }
    const int numberCount = personas.size() + 2;
    for (int i = 0; i < numberCount; ++i) {
        const QString id = seededId("pn_", o.seed, base + 400 + quint64(i));
        const QString number = phone(rng);
        const bool assigned = i < personas.size();
        const bool forward = i == personas.size();
        SimObject n{QStringLiteral("number"), id, od.org.id, QString(), past(100, 200), 1, {}};
        QJsonObject routing{{QStringLiteral("mode"),
                             forward ? QStringLiteral("forward") : QStringLiteral("agent")}};
        if (forward)
            routing.insert(QStringLiteral("forwardTo"), QStringLiteral("+14155550123"));
        n.data = {
            {QStringLiteral("id"), id},
            {QStringLiteral("number"), number},
            {QStringLiteral("friendlyName"),
             assigned ? QString::fromUtf8(simPersonas().at(personas.at(i)).company)
                      : (forward ? QStringLiteral("After-hours forward")
                                 : QStringLiteral("Spare line"))},
            {QStringLiteral("agentId"), assigned ? QJsonValue(od.agentIds.at(i)) : QJsonValue()},
            {QStringLiteral("status"),
             i == numberCount - 1 ? QStringLiteral("pending") : QStringLiteral("active")},
            {QStringLiteral("capabilities"),
             QJsonObject{{QStringLiteral("voice"), true}, {QStringLiteral("sms"), i % 3 != 0}}},
            {QStringLiteral("provider"), QStringLiteral("twilio")},
            {QStringLiteral("routing"), routing},
            {QStringLiteral("createdAt"), SimJson::isoTime(n.createdAt)}};
        if (!store.insertObject(n))
            return false;
        if (assigned)
            od.agentNumbers.append(number);
    }
    // Contacts.
    for (int i = 0; i < contactCount; ++i) {
        const QString id = seededId("contact_", o.seed, base + 1000 + quint64(i));
        const QString first = QString::fromLatin1(kFirst[rng.bounded(28)]);
        const QString last = QString::fromLatin1(kLast[rng.bounded(24)]);
        const QString company = QString::fromLatin1(kCompanies[rng.bounded(10)]);
        const QString name = first + QLatin1Char(' ') + last;
        const QString number = phone(rng);
        QJsonArray tags;
        const int tagCount = rng.range(0, 3);
        for (int t = 0; t < tagCount; ++t) {
            const QString tag = QString::fromLatin1(kTags[rng.bounded(8)]);
            if (!tags.contains(tag))
                tags.append(tag);
        }
        const qint64 created = past(1, 400);
        QJsonObject custom{{QStringLiteral("preferredLanguage"),
                            rng.chance(0.8) ? QStringLiteral("en") : QStringLiteral("es")},
                           {QStringLiteral("accountTier"),
                            QString::fromLatin1(rng.chance(0.2) ? "gold" : "standard")}};
        if (rng.chance(0.5))
            custom.insert(QStringLiteral("lastOrder"),
                          QStringLiteral("BC-%1").arg(rng.range(10000, 99999)));
        SimObject c{QStringLiteral("contact"), id, od.org.id, QString(), created, 1, {}};
        c.data = {
            {QStringLiteral("id"), id},
            {QStringLiteral("name"), name},
            {QStringLiteral("phone"), number},
            {QStringLiteral("email"), QStringLiteral("%1.%2@%3.example")
                                          .arg(first.toLower(), last.toLower(),
                                               company.section(QLatin1Char(' '), 0, 0).toLower())},
            {QStringLiteral("company"), company},
            {QStringLiteral("tags"), tags},
            {QStringLiteral("customFields"), custom},
            {QStringLiteral("createdAt"), SimJson::isoTime(created)},
            {QStringLiteral("updatedAt"), SimJson::isoTime(created)}};
        if (!store.insertObject(c))
            return false;
        od.contactIds.append(id);
        od.contactNames.append(name);
        od.contactPhones.append(number);
    }
    return true;
}

static SimCallRow makeCall(const SimSeedOptions &o, const OrgData &od, int i)
{
    SimRandom rng(SimRandom::mix(o.seed, 5000000 + quint64(i)));
    SimCallRow c;
    c.id = seededId("call_", o.seed, 5000000 + quint64(i));
    c.org = od.org.id;
    const int a = rng.bounded(int(od.agentIds.size()));
    c.agentId = od.agentIds.at(a);
    c.persona = od.agentPersonas.at(a);
    const SimPersona &p = simPersonas().at(c.persona);
    c.seed = rng.next();
    const bool outbound = rng.chance(p.outboundShare);
    c.direction = outbound ? QStringLiteral("outbound") : QStringLiteral("inbound");
    QString other;
    if (rng.chance(0.85)) {
        const int k = rng.bounded(int(od.contactIds.size()));
        c.contactId = od.contactIds.at(k);
        c.contactName = od.contactNames.at(k);
        other = od.contactPhones.at(k);
    } else {
        other = phone(rng);
    }
    c.from = outbound ? od.agentNumbers.at(a) : other;
    c.to = outbound ? other : od.agentNumbers.at(a);
    // Spread over ~90 days, weighted towards business hours.
    const qint64 dayStart = (o.nowMs / 86400000 - rng.range(0, 89)) * 86400000;
    c.createdAt = dayStart + qint64(rng.range(13, 23)) * 3600000 + rng.range(0, 3599999);
    if (c.createdAt > o.nowMs)
        c.createdAt = o.nowMs - rng.range(60000, 3600000);
    const double roll = rng.unit();
    const int ringMs = rng.range(3000, 25000);
    if (outbound && roll < 0.10) {
        c.status = QStringLiteral("no_answer");
        c.endReason = QStringLiteral("no_answer");
    } else if (outbound && roll < 0.15) {
        c.status = QStringLiteral("busy");
        c.endReason = QStringLiteral("no_answer");
    } else if (roll < 0.19) {
        c.status = QStringLiteral("failed");
        c.endReason = QStringLiteral("error");
    } else if (roll < 0.21) {
        c.status = QStringLiteral("canceled");
        c.endReason = QStringLiteral("agent_hangup");
    } else {
        c.status = QStringLiteral("completed");
        const double r = rng.unit();
        if (outbound && r < 0.12)
            c.endReason = QStringLiteral("voicemail");
        else if (p.canTransfer && r < 0.25)
            c.endReason = QStringLiteral("transfer");
        else if (r < 0.6)
            c.endReason = QStringLiteral("caller_hangup");
        else
            c.endReason = QStringLiteral("agent_hangup");
    }
    if (c.status == QLatin1String("completed")) {
        SimDialogueInput in;
        in.persona = c.persona;
        in.seed = c.seed;
        in.end = simDialogueEndFromReason(c.endReason);
        const SimDialogue d = simGenerateDialogue(in, false);
        c.startedAt = c.createdAt + ringMs;
        c.duration = d.durationSec;
        c.endedAt = c.startedAt + qint64(d.durationSec) * 1000;
        c.sentiment = d.sentiment;
        c.sentimentScore = d.score;
        c.hasScore = true;
        c.hasRecording = true;
    } else {
        c.endedAt = c.createdAt + ringMs;
    }
    c.updatedAt = qMax(c.endedAt, c.createdAt);
    if (rng.chance(0.3))
        c.metadata = {
            {QStringLiteral("campaign"), QStringLiteral("spring-%1").arg(rng.range(1, 4))}};
    return c;
}

bool simSeedStore(SimStore &store, const SimSeedOptions &o, QString *error)
{
    const QList<SimOrg> orgs = simSeedOrgs(o.seed);
    OrgData demo{orgs.at(0), {}, {}, {}, {}, {}, {}};
    OrgData other{orgs.at(1), {}, {}, {}, {}, {}, {}};
    QList<int> all;
    for (int i = 0; i < simPersonas().size(); ++i)
        all.append(i);
    if (!store.begin()) {
        *error = QStringLiteral("cannot start a transaction");
        return false;
    }
    if (!seedOrg(store, o, demo, 1, all, 320) || !seedOrg(store, o, other, 2, {2, 10, 11}, 40)) {
        *error = QStringLiteral("cannot store the demo objects");
        return false;
    }
    if (!store.prepareBulkCalls()) {
        *error = QStringLiteral("cannot prepare the call insert");
        return false;
    }
    for (int i = 0; i < o.historyCalls; ++i) {
        // Every twelfth call belongs to the second organization.
        const SimCallRow c = makeCall(o, (i % 12 == 11) ? other : demo, i);
        if (!store.insertCall(c)) {
            *error = QStringLiteral("cannot store call %1").arg(i);
            return false;
        }
    }
    store.finishBulkCalls();
    if (!store.createCallIndexes() || !store.commit()) {
        *error = QStringLiteral("cannot index the call history");
        return false;
    }
    return true;
}
