#include "simspeaknodejson.h"

#include "simjson.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QUuid>

#include <algorithm>

namespace SimSpeakNodeJson {

namespace {

// Every id prefix the simulator uses; the index is stored in the UUID.
const char *const kPrefixes[] = {"call_", "agent_", "pn_", "org_", "contact_", "col_", "doc_"};
constexpr int kPrefixCount = int(sizeof kPrefixes / sizeof kPrefixes[0]);
constexpr int kDigits = 12;
constexpr quint64 kMul = 0x9E3779B97F4A7C15ULL; // odd, so multiplication is a bijection

quint64 unXorShift(quint64 y, int s)
{
    quint64 x = y;
    for (int i = 0; i < 64 / s + 1; ++i)
        x = y ^ (x >> s);
    return x;
}

quint64 inverseMul()
{
    // Newton iteration for the inverse of an odd number modulo 2^64.
    quint64 inv = kMul;
    for (int i = 0; i < 6; ++i)
        inv *= 2 - kMul * inv;
    return inv;
}

quint64 scramble(quint64 x)
{
    x ^= x >> 31;
    x *= kMul;
    x ^= x >> 29;
    return x;
}

quint64 unscramble(quint64 x)
{
    x = unXorShift(x, 29);
    x *= inverseMul();
    return unXorShift(x, 31);
}

// 42 check bits, so that a UUID that did not come from uuid() is recognised without a lookup.
quint64 check(quint64 x, int kind)
{
    const QByteArray in = QByteArray::number(x, 16) + '/' + QByteArray::number(kind);
    const QByteArray h = QCryptographicHash::hash(in, QCryptographicHash::Sha1);
    quint64 v = 0;
    for (int i = 0; i < 8; ++i)
        v = (v << 8) | quint8(h.at(i));
    return v;
}

QJsonValue orNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue() : QJsonValue(s);
}

QJsonValue timeOrNull(qint64 ms)
{
    return ms > 0 ? QJsonValue(SimJson::isoTime(ms)) : QJsonValue();
}

// A deterministic value in [0, 1) for one item of one call.
double unitFor(const QString &key)
{
    const QByteArray h = QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Md5);
    quint32 v = 0;
    for (int i = 0; i < 4; ++i)
        v = (v << 8) | quint8(h.at(i));
    return double(v) / 4294967296.0;
}

QJsonValue compactOrNull(const QJsonValue &v)
{
    if (v.isObject())
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    return QJsonValue();
}

struct Item
{
    qint64 atMs; // call time of the item, for ordering
    int order;   // ties: the original order
    QJsonObject json;
};

QString humanize(const QString &code)
{
    QString s = code;
    s.replace(QLatin1Char('_'), QLatin1Char(' '));
    if (!s.isEmpty())
        s[0] = s.at(0).toUpper();
    return s;
}

} // namespace

QString uuid(const QString &id)
{
    int kind = -1;
    for (int i = 0; i < kPrefixCount; ++i) {
        if (id.startsWith(QLatin1String(kPrefixes[i])))
            kind = i;
    }
    if (kind < 0)
        return {};
    const QString digits = id.mid(int(qstrlen(kPrefixes[kind])));
    if (digits.size() != kDigits)
        return {};
    quint64 n = 0;
    for (int i = kDigits - 1; i >= 0; --i) { // SimJson::makeId writes the lowest digit first
        const int d = QStringLiteral("0123456789abcdefghijklmnopqrstuvwxyz").indexOf(digits.at(i));
        if (d < 0)
            return {};
        n = n * 36 + quint64(d);
    }
    const quint64 x = scramble(n);
    const quint64 c = check(x, kind);
    // 32 bits of x | kind byte, check byte | version 8, 12 bits of x | variant 10, 20 bits of
    // x, 42 check bits.
    const quint64 hi =
        (x >> 32) << 32 | quint64(kind) << 24 | (c & 0xff) << 16 | 0x8000 | ((x >> 20) & 0xfff);
    const quint64 lo = 2ULL << 62 | (x & 0xfffff) << 42 | ((c >> 8) & 0x3ffffffffffULL);
    const QString h = QStringLiteral("%1").arg(hi, 16, 16, QLatin1Char('0'));
    const QString l = QStringLiteral("%1").arg(lo, 16, 16, QLatin1Char('0'));
    return h.left(8) + QLatin1Char('-') + h.mid(8, 4) + QLatin1Char('-') + h.mid(12, 4) +
           QLatin1Char('-') + l.left(4) + QLatin1Char('-') + l.mid(4);
}

QString storeId(const QString &text)
{
    const QUuid u = QUuid::fromString(text);
    if (u.isNull())
        return {};
    const QByteArray raw = u.toRfc4122();
    quint64 hi = 0, lo = 0;
    for (int i = 0; i < 8; ++i) {
        hi = (hi << 8) | quint8(raw.at(i));
        lo = (lo << 8) | quint8(raw.at(8 + i));
    }
    const int kind = int((hi >> 24) & 0xff);
    if (kind >= kPrefixCount || (hi & 0xf000) != 0x8000 || (lo >> 62) != 2)
        return {};
    const quint64 x = (hi >> 32) << 32 | ((hi & 0xfff) << 20) | ((lo >> 42) & 0xfffff);
    const quint64 c = check(x, kind);
    if (((hi >> 16) & 0xff) != (c & 0xff) ||
        (lo & 0x3ffffffffffULL) != ((c >> 8) & 0x3ffffffffffULL))
        return {};
    quint64 n = unscramble(x);
    QString s = QLatin1String(kPrefixes[kind]);
    for (int i = 0; i < kDigits; ++i) {
        s.append(QLatin1Char("0123456789abcdefghijklmnopqrstuvwxyz"[n % 36]));
        n /= 36;
    }
    return n == 0 ? s : QString(); // more than 12 digits: not an id we made
}

QString nameUuid(const QString &name)
{
    // A fixed namespace of the simulator's own (any constant UUID works; this one is random).
    static const QUuid ns(QStringLiteral("6f1e2b0c-58d3-4a8e-9c61-2d7f4be0a913"));
    return QUuid::createUuidV5(ns, name).toString(QUuid::WithoutBraces);
}

QString sessionStatus(const QString &s)
{
    if (s == QLatin1String("initiated"))
        return QStringLiteral("Pending");
    if (s == QLatin1String("ringing"))
        return QStringLiteral("Dispatching");
    if (s == QLatin1String("in_progress"))
        return QStringLiteral("Active");
    if (s == QLatin1String("completed"))
        return QStringLiteral("Completed");
    return QStringLiteral("Failed");
}

QJsonValue errorMessage(const SimCallRow &c)
{
    if (c.status == QLatin1String("no_answer"))
        return QStringLiteral("No answer: the callee did not pick up.");
    if (c.status == QLatin1String("busy"))
        return QStringLiteral("The line was busy.");
    if (c.status == QLatin1String("canceled"))
        return QStringLiteral("The call was canceled before it connected.");
    if (c.status == QLatin1String("failed"))
        return QStringLiteral("The telecom provider could not connect the call.");
    return QJsonValue();
}

QString telecomProvider(const QString &number)
{
    static const char *const kProviders[] = {"Twilio", "Twilio", "Telnyx", "Vonage"};
    const double u = unitFor(QStringLiteral("provider/") + number);
    return QLatin1String(kProviders[int(u * 4) % 4]);
}

QJsonObject session(const SimCallRow &c, const QString &agentTitle, const AudioLink &audio)
{
    const bool outbound = c.direction == QLatin1String("outbound");
    const bool ended = c.endedAt > 0;
    const bool hasAudio = !audio.url.isEmpty();
    return QJsonObject{
        {QStringLiteral("id"), uuid(c.id)},
        {QStringLiteral("agent_id"), uuid(c.agentId)},
        {QStringLiteral("agent_title"), orNull(agentTitle)},
        {QStringLiteral("status"), sessionStatus(c.status)},
        {QStringLiteral("created_at"), SimJson::isoTime(c.createdAt)},
        {QStringLiteral("started_at"), timeOrNull(c.startedAt)},
        {QStringLiteral("ended_at"), timeOrNull(c.endedAt)},
        // The talk time once known; a running call counts up from its start.
        {QStringLiteral("duration_seconds"),
         ended ? (c.startedAt > 0 ? QJsonValue(double(c.duration)) : QJsonValue(0.0))
               : QJsonValue()},
        {QStringLiteral("from_number"), orNull(c.from)},
        {QStringLiteral("to_number"), orNull(c.to)},
        {QStringLiteral("telecom_provider"), telecomProvider(outbound ? c.from : c.to)},
        {QStringLiteral("has_audio"), hasAudio},
        {QStringLiteral("audio_url"), orNull(audio.url)},
        {QStringLiteral("audio_url_expires_at"),
         hasAudio ? timeOrNull(audio.expiresAtMs) : QJsonValue()},
        {QStringLiteral("error_message"), errorMessage(c)},
    };
}

QJsonArray history(const SimCallRow &c, const QJsonObject &conversation)
{
    const qint64 base = c.startedAt > 0 ? c.startedAt : c.createdAt;
    const auto at = [base](qint64 ms) { return SimJson::isoTime(base + ms); };
    const auto seconds = [base](qint64 ms) {
        return QJsonValue(double(qRound64(double(base + ms) / 10.0)) / 100.0);
    };
    QList<Item> items;
    const QJsonArray lines = conversation.value(QLatin1String("transcript")).toArray();
    qint64 lastEnd = 0;
    for (int i = 0; i < lines.size(); ++i) {
        const QJsonObject l = lines.at(i).toObject();
        const bool agent = l.value(QLatin1String("role")).toString() == QLatin1String("agent");
        const qint64 start = l.value(QLatin1String("startMs")).toInteger();
        qint64 stop = l.value(QLatin1String("endMs")).toInteger();
        const QString key = c.id + QStringLiteral("/line/") + QString::number(i);
        const bool hasNext = i + 1 < lines.size();
        const QJsonObject next = hasNext ? lines.at(i + 1).toObject() : QJsonObject();
        // An assistant line the caller talks into is cut off now and then (one in five): the
        // agent stopped early. Decided from the line itself, so that a running call's line
        // keeps its value when the caller's next line arrives; only the very last line of an
        // ended call (nobody spoke after it) and a line followed by the agent are never cut.
        const bool interrupted =
            agent && !(c.endedAt > 0 && !hasNext) &&
            (!hasNext || next.value(QLatin1String("role")).toString() == QLatin1String("caller")) &&
            stop - start > 1500 && unitFor(key + QStringLiteral("/cut")) < 0.2;
        if (interrupted)
            stop = qMax(start + 800, stop - qint64((stop - start) * 0.3));
        QJsonObject metrics{{QStringLiteral("started_speaking_at"), seconds(start)},
                            {QStringLiteral("stopped_speaking_at"), seconds(stop)}};
        // End-to-end latency: from the caller's last word to the agent's first one (ms).
        metrics.insert(QStringLiteral("e2e_latency"),
                       agent && i > 0 ? QJsonValue(double(qMax<qint64>(0, start - lastEnd)))
                                      : QJsonValue());
        QJsonObject o{
            {QStringLiteral("id"), nameUuid(key)},
            {QStringLiteral("role"), agent ? QStringLiteral("Assistant") : QStringLiteral("User")},
            {QStringLiteral("kind"), QStringLiteral("Message")},
            {QStringLiteral("content"), l.value(QLatin1String("text")).toString()},
            {QStringLiteral("created_at"), at(start)},
            {QStringLiteral("interrupted"), interrupted},
            {QStringLiteral("transcript_confidence"),
             agent ? QJsonValue()
                   : QJsonValue(double(qRound(
                                    (0.82 + 0.17 * unitFor(key + QStringLiteral("/conf"))) * 100)) /
                                100.0)},
            {QStringLiteral("tool_name"), QJsonValue()},
            {QStringLiteral("tool_arguments_json"), QJsonValue()},
            {QStringLiteral("tool_output"), QJsonValue()},
            {QStringLiteral("metrics"), metrics},
        };
        lastEnd = stop;
        items.append({start, int(items.size()), o});
    }
    const QJsonArray tools = conversation.value(QLatin1String("toolCalls")).toArray();
    qint64 handoffAt = -1;
    for (int i = 0; i < tools.size(); ++i) {
        const QJsonObject t = tools.at(i).toObject();
        const QString name = t.value(QLatin1String("tool")).toString();
        const qint64 atMs = t.value(QLatin1String("atMs")).toInteger();
        const QJsonValue result = t.value(QLatin1String("result"));
        QJsonObject o{
            {QStringLiteral("id"), nameUuid(c.id + QStringLiteral("/tool/") + QString::number(i))},
            {QStringLiteral("role"), QStringLiteral("Tool")},
            {QStringLiteral("kind"), QStringLiteral("ToolCall")},
            {QStringLiteral("content"), QJsonValue()},
            {QStringLiteral("created_at"), at(atMs)},
            {QStringLiteral("interrupted"), false},
            {QStringLiteral("transcript_confidence"), QJsonValue()},
            {QStringLiteral("tool_name"), name},
            {QStringLiteral("tool_arguments_json"), compactOrNull(t.value(QLatin1String("args")))},
            {QStringLiteral("tool_output"), compactOrNull(result)},
            {QStringLiteral("metrics"), QJsonValue()},
        };
        items.append({atMs, int(items.size()), o});
        if (name == QLatin1String("transfer_to_human") && !result.isUndefined())
            handoffAt = atMs + 1;
    }
    // A transferred call ends with the hand-off to a person (after the agent's last words when
    // the conversation has no transfer tool call, as the seeded history does not).
    if (handoffAt < 0 && c.endReason == QLatin1String("transfer") && c.endedAt > 0)
        handoffAt = lastEnd + 1;
    if (handoffAt >= 0) {
        items.append(
            {handoffAt, int(items.size()),
             QJsonObject{
                 {QStringLiteral("id"), nameUuid(c.id + QStringLiteral("/handoff"))},
                 {QStringLiteral("role"), QStringLiteral("System")},
                 {QStringLiteral("kind"), QStringLiteral("Handoff")},
                 {QStringLiteral("content"), QStringLiteral("Transferred to a human colleague")},
                 {QStringLiteral("created_at"), at(handoffAt)},
                 {QStringLiteral("interrupted"), false},
                 {QStringLiteral("transcript_confidence"), QJsonValue()},
                 {QStringLiteral("tool_name"), QJsonValue()},
                 {QStringLiteral("tool_arguments_json"), QJsonValue()},
                 {QStringLiteral("tool_output"), QJsonValue()},
                 {QStringLiteral("metrics"), QJsonValue()},
             }});
    }
    std::stable_sort(items.begin(), items.end(), [](const Item &a, const Item &b) {
        return a.atMs != b.atMs ? a.atMs < b.atMs : a.order < b.order;
    });
    QJsonArray out;
    for (const Item &i : std::as_const(items))
        out.append(i.json);
    return out;
}

QString toolId(const QString &org, const QString &code)
{
    return nameUuid(org + QStringLiteral("/tool/") + code);
}

QList<Tool> agentTools(const QString &org, const QJsonObject &a)
{
    QList<Tool> out;
    const QJsonArray custom = a.value(QLatin1String("tools")).toArray();
    for (const QJsonValue &v : custom) {
        const QJsonObject t = v.toObject();
        const QString code = t.value(QLatin1String("name")).toString();
        out.append({code, QJsonObject{
                              {QStringLiteral("id"), toolId(org, code)},
                              {QStringLiteral("name"), humanize(code)},
                              {QStringLiteral("code"), code},
                              {QStringLiteral("description"),
                               orNull(t.value(QLatin1String("description")).toString())},
                              {QStringLiteral("type"), QStringLiteral("Webhook")},
                              {QStringLiteral("method"), QStringLiteral("POST")},
                              {QStringLiteral("url"), t.value(QLatin1String("webhookUrl"))},
                          }});
    }
    const QJsonArray builtins = a.value(QLatin1String("builtinTools")).toArray();
    for (const QJsonValue &v : builtins) {
        const QString code = v.toString();
        const bool transfer = code == QLatin1String("transfer_to_human");
        QString description;
        if (transfer) {
            description = QStringLiteral("Hands the caller over to a person at %1.")
                              .arg(a.value(QLatin1String("transferNumber")).toString());
        } else if (code == QLatin1String("book_appointment")) {
            description = QStringLiteral("Books an appointment in the calendar.");
        } else if (code == QLatin1String("end_call")) {
            description = QStringLiteral("Ends the call.");
        }
        out.append({code, QJsonObject{
                              {QStringLiteral("id"), toolId(org, code)},
                              {QStringLiteral("name"), humanize(code)},
                              {QStringLiteral("code"), code},
                              {QStringLiteral("description"), orNull(description)},
                              {QStringLiteral("type"), transfer ? QStringLiteral("TransferRule")
                                                                : QStringLiteral("System")},
                              {QStringLiteral("method"), QJsonValue()},
                              {QStringLiteral("url"), QJsonValue()},
                          }});
    }
    return out;
}

QJsonObject agent(const SimObject &o)
{
    const QJsonObject &a = o.data;
    const QString prompt = a.value(QLatin1String("systemPrompt")).toString();
    // The prompt's first sentence describes the agent well enough for a list.
    QString description = prompt.section(QStringLiteral(". "), 0, 0).trimmed();
    if (!description.isEmpty() && !description.endsWith(QLatin1Char('.')))
        description += QLatin1Char('.');
    QJsonArray toolIds;
    const QList<Tool> tools = agentTools(o.org, a);
    for (const Tool &t : tools)
        toolIds.append(t.json.value(QLatin1String("id")));
    const QJsonValue temperature = a.value(QLatin1String("llmTemperature"));
    return QJsonObject{
        {QStringLiteral("id"), uuid(o.id)},
        {QStringLiteral("title"), a.value(QLatin1String("name")).toString()},
        {QStringLiteral("description"), orNull(description)},
        {QStringLiteral("language"), orNull(a.value(QLatin1String("language")).toString())},
        {QStringLiteral("system_prompt"), orNull(prompt)},
        {QStringLiteral("first_message"),
         orNull(a.value(QLatin1String("firstMessage")).toString())},
        {QStringLiteral("voice_id"), orNull(a.value(QLatin1String("voiceId")).toString())},
        {QStringLiteral("llm_model"), orNull(a.value(QLatin1String("llmModel")).toString())},
        {QStringLiteral("temperature"), temperature.isDouble() ? temperature : QJsonValue()},
        {QStringLiteral("tool_ids"), toolIds},
        {QStringLiteral("created_at"), timeOrNull(o.createdAt)},
        {QStringLiteral("updated_at"), a.value(QLatin1String("updatedAt")).isString()
                                           ? a.value(QLatin1String("updatedAt"))
                                           : timeOrNull(o.createdAt)},
    };
}

QJsonObject phoneNumber(const SimObject &o)
{
    const QJsonObject &n = o.data;
    const QString number = n.value(QLatin1String("number")).toString();
    const QString agentId = n.value(QLatin1String("agentId")).toString();
    return QJsonObject{
        {QStringLiteral("id"), uuid(o.id)},
        {QStringLiteral("number"), number},
        {QStringLiteral("friendly_name"),
         orNull(n.value(QLatin1String("friendlyName")).toString())},
        {QStringLiteral("agent_id"), agentId.isEmpty() ? QJsonValue() : QJsonValue(uuid(agentId))},
        {QStringLiteral("telecom_provider"), telecomProvider(number)},
    };
}

QJsonObject problem(int status, const QString &detail, const QString &traceId,
                    const QJsonObject &errors)
{
    QString type, title;
    switch (status) {
    case 400:
        type = QStringLiteral("https://tools.ietf.org/html/rfc9110#section-15.5.1");
        title = QStringLiteral("Bad Request");
        break;
    case 401:
        type = QStringLiteral("https://tools.ietf.org/html/rfc9110#section-15.5.2");
        title = QStringLiteral("Unauthorized");
        break;
    case 403:
        type = QStringLiteral("https://tools.ietf.org/html/rfc9110#section-15.5.4");
        title = QStringLiteral("Forbidden");
        break;
    case 404:
        type = QStringLiteral("https://tools.ietf.org/html/rfc9110#section-15.5.5");
        title = QStringLiteral("Not Found");
        break;
    case 405:
        type = QStringLiteral("https://tools.ietf.org/html/rfc9110#section-15.5.6");
        title = QStringLiteral("Method Not Allowed");
        break;
    case 422:
        type = QStringLiteral("https://tools.ietf.org/html/rfc4918#section-11.2");
        title = QStringLiteral("One or more validation errors occurred.");
        break;
    case 429:
        type = QStringLiteral("https://tools.ietf.org/html/rfc6585#section-4");
        title = QStringLiteral("Too Many Requests");
        break;
    case 500:
        type = QStringLiteral("https://tools.ietf.org/html/rfc9110#section-15.6.1");
        title = QStringLiteral("Internal Server Error");
        break;
    case 413:
        type = QStringLiteral("https://tools.ietf.org/html/rfc9110#section-15.5.14");
        title = QStringLiteral("Content Too Large");
        break;
    case 502:
        type = QStringLiteral("https://tools.ietf.org/html/rfc9110#section-15.6.3");
        title = QStringLiteral("Bad Gateway");
        break;
    case 503:
        type = QStringLiteral("https://tools.ietf.org/html/rfc9110#section-15.6.4");
        title = QStringLiteral("Service Unavailable");
        break;
    case 504:
        type = QStringLiteral("https://tools.ietf.org/html/rfc9110#section-15.6.5");
        title = QStringLiteral("Gateway Timeout");
        break;
    default:
        // The class's section for anything else (fault injection can use any status).
        type = status >= 500 ? QStringLiteral("https://tools.ietf.org/html/rfc9110#section-15.6")
                             : QStringLiteral("https://tools.ietf.org/html/rfc9110#section-15.5");
        title = status >= 500 ? QStringLiteral("Server Error") : QStringLiteral("Client Error");
    }
    QJsonObject p{{QStringLiteral("type"), type},
                  {QStringLiteral("title"), title},
                  {QStringLiteral("status"), status},
                  {QStringLiteral("detail"), detail},
                  {QStringLiteral("traceId"), traceId}};
    if (!errors.isEmpty())
        p.insert(QStringLiteral("errors"), errors);
    return p;
}

} // namespace SimSpeakNodeJson
