// GET /v1/calls/{id}/recording: the WAV, made on first request, with single-range support.
#include "simapi.h"
#include "simdialogue.h"
#include "simrecording.h"

#include <QFile>
#include <QPointer>

namespace {

struct ByteRange
{
    bool present = false;
    bool satisfiable = true;
    qint64 first = 0;
    qint64 last = 0;
};

// Parses a single "bytes=a-b" / "bytes=a-" / "bytes=-n" range; anything else is ignored, as
// RFC 9110 allows, and the whole file is sent.
ByteRange parseRange(const QByteArray &header, qint64 size)
{
    ByteRange r;
    const QByteArray h = header.trimmed();
    if (!h.startsWith("bytes=") || h.contains(','))
        return r;
    const QByteArray spec = h.mid(6).trimmed();
    const qsizetype dash = spec.indexOf('-');
    if (dash < 0)
        return r;
    const QByteArray a = spec.left(dash).trimmed();
    const QByteArray b = spec.mid(dash + 1).trimmed();
    bool okA = true, okB = true;
    if (a.isEmpty()) {
        const qint64 suffix = b.toLongLong(&okB);
        if (!okB || suffix < 0)
            return r;
        r.present = true;
        if (suffix == 0) { // "bytes=-0": the last zero bytes, unsatisfiable (RFC 9110 14.1.2)
            r.satisfiable = false;
            return r;
        }
        r.first = qMax<qint64>(0, size - suffix);
        r.last = size - 1;
        r.satisfiable = size > 0;
        return r;
    }
    const qint64 first = a.toLongLong(&okA);
    const qint64 last = b.isEmpty() ? size - 1 : b.toLongLong(&okB);
    if (!okA || !okB || first < 0 || (!b.isEmpty() && last < first))
        return r;
    r.present = true;
    r.first = first;
    r.last = qMin(last, size - 1);
    r.satisfiable = first < size;
    return r;
}

} // namespace

void SimApi::recording(const Ctx &ctx, const SimCallRow &call, const SimHttpServer::Reply &reply)
{
    const SimDialogue dialogue = conversation(call);
    QPointer<SimApi> self(this);
    m_recordings->request(call.id, dialogue, [self, ctx, reply](const SimRecordingResult &res) {
        if (!self)
            return;
        if (res.deleted) {
            self->finish(
                ctx,
                error(404, QStringLiteral("not_found"), QStringLiteral("The call was deleted")),
                reply, true);
            return;
        }
        if (!res.error.isEmpty()) {
            self->finish(ctx, error(500, QStringLiteral("internal_error"), res.error), reply, true);
            return;
        }
        QFile f(res.path);
        if (!f.open(QIODevice::ReadOnly)) {
            self->finish(ctx,
                         error(500, QStringLiteral("internal_error"),
                               QStringLiteral("The recording could not be read")),
                         reply, true);
            return;
        }
        const qint64 size = f.size();
        const ByteRange range = parseRange(ctx.req.header("Range"), size);
        SimResponse r;
        r.contentType = "audio/wav";
        r.setHeader("Accept-Ranges", "bytes");
        if (range.present && !range.satisfiable) {
            r = error(416, QStringLiteral("validation_error"),
                      QStringLiteral("Range not satisfiable"), QStringLiteral("Range"));
            r.setHeader("Content-Range", "bytes */" + QByteArray::number(size));
            r.setHeader("Accept-Ranges", "bytes");
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
        self->finish(ctx, r, reply, true);
    });
}
