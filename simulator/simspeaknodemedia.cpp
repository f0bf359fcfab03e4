// SpeakNode's pre-signed recording links: /_media/<uuid>.wav?expires=<epoch s>&signature=<hex>,
// an HMAC-SHA256 of the id and the expiry under a per-run secret. No Authorization header: the
// link itself is the credential, as with the storage URLs the real service hands out.
#include "simdialogue.h"
#include "simrecording.h"
#include "simspeaknode.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QMessageAuthenticationCode>
#include <QPointer>

using namespace SimSpeakNodeJson;

namespace {

struct Range
{
    bool present = false;
    bool satisfiable = true;
    qint64 first = 0, last = 0;
};

// One "bytes=a-b", "bytes=a-" or "bytes=-n"; anything else means the whole file (RFC 9110
// lets a server ignore a Range it does not support).
Range byteRange(const QByteArray &header, qint64 size)
{
    Range r;
    const QByteArray h = header.trimmed();
    if (!h.startsWith("bytes=") || h.contains(','))
        return r;
    const QList<QByteArray> parts = h.mid(6).split('-');
    if (parts.size() != 2)
        return r;
    bool okA = true, okB = true;
    const QByteArray a = parts.at(0).trimmed(), b = parts.at(1).trimmed();
    if (a.isEmpty()) {
        const qint64 n = b.toLongLong(&okB);
        if (!okB || n < 0)
            return r;
        r.present = true;
        r.satisfiable = n > 0 && size > 0;
        r.first = qMax<qint64>(0, size - n);
        r.last = size - 1;
        return r;
    }
    const qint64 first = a.toLongLong(&okA);
    const qint64 last = b.isEmpty() ? size - 1 : b.toLongLong(&okB);
    if (!okA || !okB || first < 0 || last < first)
        return r;
    r.present = true;
    r.first = first;
    r.last = qMin(last, size - 1);
    r.satisfiable = first < size;
    return r;
}

SimResponse text(int status, const QByteArray &message)
{
    SimResponse r;
    r.status = status;
    r.contentType = "text/plain; charset=utf-8";
    r.body = message + '\n';
    return r;
}

} // namespace

QByteArray SimSpeakNode::signature(const QString &uuid, qint64 expires) const
{
    const QByteArray message = uuid.toLatin1() + '\n' + QByteArray::number(expires);
    return QMessageAuthenticationCode::hash(message, m_mediaSecret, QCryptographicHash::Sha256)
        .toHex();
}

AudioLink SimSpeakNode::audioLink(const SimCallRow &call) const
{
    if (!call.hasRecording)
        return {};
    const qint64 expires = QDateTime::currentSecsSinceEpoch() + m_audioTtlS;
    const QString id = uuid(call.id);
    return {m_origin + QStringLiteral("/_media/") + id + QStringLiteral(".wav?expires=") +
                QString::number(expires) + QStringLiteral("&signature=") +
                QString::fromLatin1(signature(id, expires)),
            expires * 1000};
}

SimDialogue SimSpeakNode::dialogue(const SimCallRow &c) const
{
    if (const auto stored = m_store->callDetails(c.id)) {
        // A call that ran live: the recording says exactly what was streamed.
        SimDialogue d;
        const QJsonArray lines = stored->value(QLatin1String("transcript")).toArray();
        for (const QJsonValue &v : lines) {
            const QJsonObject o = v.toObject();
            SimLine l;
            l.agent = o.value(QLatin1String("role")).toString() == QLatin1String("agent");
            l.text = o.value(QLatin1String("text")).toString();
            l.startMs = o.value(QLatin1String("startMs")).toInteger();
            l.endMs = o.value(QLatin1String("endMs")).toInteger();
            l.sentiment = o.value(QLatin1String("sentiment")).toString();
            d.lines.append(l);
        }
        d.toolCalls = stored->value(QLatin1String("toolCalls")).toArray();
        d.summary = stored->value(QLatin1String("summary")).toString();
        d.durationSec = c.duration;
        d.sentiment = c.sentiment;
        d.score = c.sentimentScore;
        return d;
    }
    SimDialogueInput in;
    in.persona = c.persona;
    in.seed = c.seed;
    in.end = simDialogueEndFromReason(c.endReason);
    in.callerName = c.contactName;
    in.callCreatedMs = c.createdAt;
    return simGenerateDialogue(in, true);
}

void SimSpeakNode::handleMedia(const SimRequest &req, const SimHttpServer::Reply &reply)
{
    const auto send = [&](SimResponse r) {
        r.setHeader("X-Request-Id", req.requestId.toLatin1());
        reply(r, {});
    };
    if (req.method != "GET") {
        SimResponse r = text(405, "Use GET");
        r.setHeader("Allow", "GET");
        return send(r);
    }
    const QString file = req.segments.value(1);
    if (req.segments.size() != 2 || !file.endsWith(QLatin1String(".wav")))
        return send(text(404, "No such media"));
    const QString id = file.chopped(4);
    bool ok = false;
    const qint64 expires = req.queryValue(QStringLiteral("expires")).toLongLong(&ok);
    const QByteArray given = req.queryValue(QStringLiteral("signature")).toLatin1().toLower();
    const QByteArray expected = signature(id, expires);
    // Compare in constant time: the signature is the only credential of the link.
    int diff = given.size() ^ expected.size();
    for (int i = 0; i < qMin(given.size(), expected.size()); ++i)
        diff |= given.at(i) ^ expected.at(i);
    if (!ok || diff != 0)
        return send(text(403, "Invalid signature"));
    if (QDateTime::currentSecsSinceEpoch() > expires)
        return send(text(403, "This link has expired; fetch the conversation again for a new "
                              "one"));
    const QString sid = storeId(id);
    const std::optional<SimCallRow> call =
        sid.startsWith(QLatin1String("call_")) ? m_store->call(sid) : std::nullopt;
    if (!call || !call->hasRecording)
        return send(text(404, "No recording"));
    QPointer<SimSpeakNode> self(this);
    const QByteArray rangeHeader = req.header("Range");
    const QByteArray requestId = req.requestId.toLatin1();
    m_recordings->request(
        call->id, dialogue(*call),
        [self, reply, rangeHeader, requestId](const SimRecordingResult &res) {
            if (!self)
                return;
            SimResponse r;
            QFile f(res.path);
            if (res.deleted) {
                r = text(404, "The conversation was deleted");
            } else if (!res.error.isEmpty() || !f.open(QIODevice::ReadOnly)) {
                r = text(500, "The recording could not be made");
            } else {
                const qint64 size = f.size();
                const Range range = byteRange(rangeHeader, size);
                r.contentType = "audio/wav";
                if (range.present && !range.satisfiable) {
                    r = text(416, "Range not satisfiable");
                    r.setHeader("Content-Range", "bytes */" + QByteArray::number(size));
                } else if (range.present) {
                    r.status = 206;
                    f.seek(range.first);
                    r.body = f.read(range.last - range.first + 1);
                    r.setHeader("Content-Range", "bytes " + QByteArray::number(range.first) + '-' +
                                                     QByteArray::number(range.last) + '/' +
                                                     QByteArray::number(size));
                } else {
                    r.body = f.readAll();
                }
                r.setHeader("Accept-Ranges", "bytes");
                r.setHeader("Cache-Control", "private, max-age=60");
            }
            r.setHeader("X-Request-Id", requestId);
            reply(r, {});
        });
}
