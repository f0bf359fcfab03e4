// /v1/knowledge/collections and their documents (multipart file upload or JSON chunks).
#include "simapi.h"
#include "simjson.h"

#include <QDateTime>
#include <QHash>
#include <QJsonArray>

static constexpr qint64 kMaxUpload = 50LL * 1024 * 1024;

namespace {

struct Upload
{
    QString filename;
    QByteArray contentType;
    QByteArray data;
};

// The parameters of a header value such as Content-Disposition (form-data; name="file";
// filename="a;b.txt"), names lower-cased. Values are tokens or quoted strings (backslash
// escapes); a quoted ';' does not end a parameter. filename* (RFC 5987, UTF-8) is decoded.
QHash<QByteArray, QString> headerParams(const QByteArray &value)
{
    QHash<QByteArray, QString> out;
    qsizetype i = value.indexOf(';');
    while (i >= 0 && i < value.size()) {
        ++i; // past ';'
        while (i < value.size() && (value.at(i) == ' ' || value.at(i) == '\t'))
            ++i;
        const qsizetype eq = value.indexOf('=', i);
        const qsizetype semi = value.indexOf(';', i);
        if (eq < 0 || (semi >= 0 && semi < eq)) {
            i = semi; // a parameter without a value: skip it
            continue;
        }
        const QByteArray name = value.mid(i, eq - i).trimmed().toLower();
        i = eq + 1;
        while (i < value.size() && (value.at(i) == ' ' || value.at(i) == '\t'))
            ++i;
        QByteArray v;
        if (i < value.size() && value.at(i) == '"') {
            for (++i; i < value.size() && value.at(i) != '"'; ++i) {
                if (value.at(i) == '\\' && i + 1 < value.size())
                    ++i;
                v.append(value.at(i));
            }
            i = value.indexOf(';', i); // past the closing quote
        } else {
            const qsizetype end = value.indexOf(';', i);
            v = value.mid(i, end < 0 ? -1 : end - i).trimmed();
            i = end;
        }
        if (name.endsWith('*')) {
            // charset'language'percent-encoded (only UTF-8 and ASCII are worth supporting)
            const QList<QByteArray> bits = v.split('\'');
            if (bits.size() == 3)
                out.insert(name.chopped(1),
                           QString::fromUtf8(QByteArray::fromPercentEncoding(bits.at(2))));
        } else if (!out.contains(name)) {
            out.insert(name, QString::fromUtf8(v));
        }
    }
    return out;
}

// Finds the part named "file" of a multipart/form-data body. Our own small parser: Qt has
// none on the server side.
bool filePart(const QByteArray &contentType, const QByteArray &body, Upload *out, QString *why)
{
    const qsizetype b = contentType.indexOf("boundary=");
    if (b < 0) {
        *why = QStringLiteral("multipart body without boundary");
        return false;
    }
    QByteArray boundary = contentType.mid(b + 9).split(';').first().trimmed();
    if (boundary.startsWith('"') && boundary.endsWith('"') && boundary.size() >= 2)
        boundary = boundary.mid(1, boundary.size() - 2);
    const QByteArray delim = "--" + boundary;
    qsizetype pos = body.indexOf(delim);
    while (pos >= 0) {
        pos += delim.size();
        if (body.mid(pos, 2) == "--")
            break;
        const qsizetype headEnd = body.indexOf("\r\n\r\n", pos);
        if (headEnd < 0)
            break;
        const QByteArray head = body.mid(pos, headEnd - pos);
        const QByteArray crlfDelim = "\r\n" + delim;
        const qsizetype next = body.indexOf(crlfDelim, headEnd + 4);
        if (next < 0)
            break;
        QHash<QByteArray, QString> disposition;
        QByteArray partType;
        const QList<QByteArray> lines = head.split('\n');
        for (const QByteArray &l : lines) {
            const qsizetype colon = l.indexOf(':');
            if (colon < 0)
                continue;
            const QByteArray name = l.left(colon).trimmed().toLower();
            const QByteArray value = l.mid(colon + 1).trimmed();
            if (name == "content-disposition")
                disposition = headerParams(value);
            else if (name == "content-type")
                partType = value.toLower();
        }
        if (disposition.value("name") == QLatin1String("file")) {
            out->filename = disposition.value("filename");
            out->contentType = partType;
            out->data = body.mid(headEnd + 4, next - headEnd - 4);
            return true;
        }
        pos = next + 2;
    }
    *why = QStringLiteral("multipart body has no part named file");
    return false;
}

bool acceptedType(const Upload &u)
{
    static const char *const exts[] = {".pdf", ".docx", ".txt", ".md", ".csv"};
    static const char *const types[] = {
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "text/plain",
        "text/markdown", "text/csv"};
    const QString name = u.filename.toLower();
    for (const char *e : exts) {
        if (name.endsWith(QLatin1String(e)))
            return true;
    }
    for (const char *t : types) {
        if (u.contentType.startsWith(t))
            return true;
    }
    return false;
}

} // namespace

SimResponse SimApi::knowledge(const Ctx &ctx)
{
    const QByteArray m = ctx.req.method;
    SimResponse err;
    if (ctx.path.value(1) != QLatin1String("collections") || ctx.path.size() == 3 ||
        ctx.path.size() > 5 ||
        (ctx.path.size() >= 4 && ctx.path.at(3) != QLatin1String("documents")))
        return error(404, QStringLiteral("not_found"), QStringLiteral("No such endpoint"));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (ctx.path.size() == 2) {
        if (m == "GET")
            return listObjects(ctx, QStringLiteral("collection"), {}, {});
        if (m != "POST")
            return methodNotAllowed(ctx, "GET, POST");
        QJsonObject in;
        if (!jsonBody(ctx, &in, &err))
            return err;
        const QString name = in.value(QLatin1String("name")).toString().trimmed();
        if (name.isEmpty())
            return error(400, QStringLiteral("validation_error"),
                         QStringLiteral("name is required"), QStringLiteral("name"));
        const QJsonValue desc = in.value(QLatin1String("description"));
        if (!desc.isUndefined() && !desc.isNull() && !desc.isString())
            return error(400, QStringLiteral("validation_error"),
                         QStringLiteral("description must be a string"),
                         QStringLiteral("description"));
        SimObject o{
            QStringLiteral("collection"), newId(QStringLiteral("col_")), ctx.org, {}, now, 1, {}};
        o.data = {{QStringLiteral("id"), o.id},
                  {QStringLiteral("name"), name},
                  {QStringLiteral("description"), desc.toString()},
                  {QStringLiteral("documentCount"), 0},
                  {QStringLiteral("createdAt"), SimJson::isoTime(now)}};
        m_store->insertObject(o);
        return objectResponse(201, o);
    }
    std::optional<SimObject> col = owned(ctx, QStringLiteral("collection"), ctx.path.at(2), &err);
    if (ctx.path.size() == 4 && m != "GET" && m != "POST")
        return methodNotAllowed(ctx, "GET, POST");
    if (ctx.path.size() == 5 && m != "DELETE")
        return methodNotAllowed(ctx, "DELETE");
    if (!col)
        return err;
    const auto setCount = [&] {
        col->data.insert(QStringLiteral("documentCount"),
                         m_store->countObjects(QStringLiteral("document"), col->id));
        m_store->updateObject(col->kind, col->id, col->data);
    };
    if (ctx.path.size() == 5) {
        const auto doc = m_store->object(QStringLiteral("document"), ctx.path.at(4));
        if (!doc || doc->parent != col->id)
            return error(404, QStringLiteral("not_found"), QStringLiteral("No such document"));
        m_store->removeObject(doc->kind, doc->id);
        setCount();
        return noContent();
    }
    if (m == "GET")
        return listObjects(ctx, QStringLiteral("document"), col->id, {});

    QJsonObject doc{{QStringLiteral("status"), QStringLiteral("ready")}};
    const QByteArray type = ctx.req.header("Content-Type").toLower();
    if (type.startsWith("multipart/form-data")) {
        Upload u;
        QString why;
        if (!filePart(ctx.req.header("Content-Type"), ctx.req.body, &u, &why))
            return error(400, QStringLiteral("validation_error"), why, QStringLiteral("file"));
        if (u.data.size() > kMaxUpload)
            return error(400, QStringLiteral("validation_error"),
                         QStringLiteral("The file is larger than 50 MB"), QStringLiteral("file"));
        if (!acceptedType(u))
            return error(400, QStringLiteral("validation_error"),
                         QStringLiteral("Only PDF, DOCX, TXT, MD and CSV files are accepted"),
                         QStringLiteral("file"));
        if (u.data.isEmpty())
            return error(400, QStringLiteral("validation_error"),
                         QStringLiteral("The file is empty"), QStringLiteral("file"));
        doc.insert(QStringLiteral("title"),
                   u.filename.isEmpty() ? QStringLiteral("upload") : u.filename);
        doc.insert(QStringLiteral("source"), QStringLiteral("file"));
        doc.insert(QStringLiteral("sizeBytes"), u.data.size());
        doc.insert(QStringLiteral("chunkCount"), int((u.data.size() + 999) / 1000));
    } else {
        QJsonObject in;
        if (!jsonBody(ctx, &in, &err))
            return err;
        const QString title = in.value(QLatin1String("title")).toString().trimmed();
        if (title.isEmpty())
            return error(400, QStringLiteral("validation_error"),
                         QStringLiteral("title is required"), QStringLiteral("title"));
        const QJsonValue chunks = in.value(QLatin1String("chunks"));
        qint64 size = 0;
        bool ok = chunks.isArray() && !chunks.toArray().isEmpty();
        const QJsonArray arr = chunks.toArray();
        for (const QJsonValue &c : arr) {
            ok = ok && c.isString();
            size += c.toString().toUtf8().size();
        }
        if (!ok)
            return error(400, QStringLiteral("validation_error"),
                         QStringLiteral("chunks must be a non-empty array of strings"),
                         QStringLiteral("chunks"));
        doc.insert(QStringLiteral("title"), title);
        doc.insert(QStringLiteral("source"), QStringLiteral("text"));
        doc.insert(QStringLiteral("sizeBytes"), size);
        doc.insert(QStringLiteral("chunkCount"), int(arr.size()));
    }
    SimObject o{
        QStringLiteral("document"), newId(QStringLiteral("doc_")), ctx.org, col->id, now, 1, {}};
    doc.insert(QStringLiteral("id"), o.id);
    doc.insert(QStringLiteral("createdAt"), SimJson::isoTime(now));
    o.data = doc;
    m_store->insertObject(o);
    setCount();
    return objectResponse(201, o);
}
