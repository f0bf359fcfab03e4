// /v1/contacts: list (q, tag), create, read, update (customFields merge like RFC 7396).
#include "simapi.h"
#include "simjson.h"

#include <QDateTime>
#include <QJsonArray>

static SimResponse bad(const QString &field, const QString &message)
{
    return SimApi::error(400, QStringLiteral("validation_error"), message, field);
}

// Applies the known fields; on PATCH a customFields key set to null is removed.
static bool applyContact(const QJsonObject &in, QJsonObject *c, SimResponse *err)
{
    for (auto it = in.begin(); it != in.end(); ++it) {
        const QString k = it.key();
        const QJsonValue v = it.value();
        if (k == QLatin1String("name")) {
            if (!v.isString() || v.toString().trimmed().isEmpty()) {
                *err = bad(k, QStringLiteral("name must be a non-empty string"));
                return false;
            }
            c->insert(k, v.toString().trimmed());
        } else if (k == QLatin1String("phone")) {
            if (!SimJson::isE164(v.toString())) {
                *err = bad(k, QStringLiteral("phone must be an E.164 number"));
                return false;
            }
            c->insert(k, v);
        } else if (k == QLatin1String("email")) {
            if (!v.isNull() && (!v.isString() || !v.toString().contains(QLatin1Char('@')))) {
                *err = bad(k, QStringLiteral("email must be an address or null"));
                return false;
            }
            c->insert(k, v);
        } else if (k == QLatin1String("company")) {
            if (!v.isNull() && !v.isString()) {
                *err = bad(k, QStringLiteral("company must be a string or null"));
                return false;
            }
            c->insert(k, v);
        } else if (k == QLatin1String("tags")) {
            bool ok = v.isArray();
            const QJsonArray tags = v.toArray();
            for (const QJsonValue &t : tags)
                ok = ok && t.isString() && !t.toString().isEmpty();
            if (!ok) {
                *err = bad(k, QStringLiteral("tags must be an array of strings"));
                return false;
            }
            c->insert(k, v);
        } else if (k == QLatin1String("customFields")) {
            if (!v.isObject()) {
                *err = bad(k, QStringLiteral("customFields must be an object of strings"));
                return false;
            }
            QJsonObject fields = c->value(k).toObject();
            const QJsonObject patch = v.toObject();
            for (auto f = patch.begin(); f != patch.end(); ++f) {
                if (f.value().isNull()) {
                    fields.remove(f.key());
                } else if (f.value().isString()) {
                    fields.insert(f.key(), f.value());
                } else {
                    *err = bad(QStringLiteral("customFields.") + f.key(),
                               QStringLiteral("custom field values must be strings"));
                    return false;
                }
            }
            c->insert(k, fields);
        }
    }
    return true;
}

SimResponse SimApi::contacts(const Ctx &ctx)
{
    const QString kind = QStringLiteral("contact");
    const QByteArray m = ctx.req.method;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    SimResponse err;
    if (ctx.path.size() == 1) {
        if (m == "GET") {
            SimObjectFilter f;
            f.q = ctx.req.queryValue(QStringLiteral("q"));
            f.tag = ctx.req.queryValue(QStringLiteral("tag"));
            return listObjects(ctx, kind, {}, f);
        }
        if (m != "POST")
            return methodNotAllowed(ctx, "GET, POST");
        QJsonObject in;
        if (!jsonBody(ctx, &in, &err))
            return err;
        if (!in.contains(QLatin1String("name")))
            return bad(QStringLiteral("name"), QStringLiteral("name is required"));
        if (!in.contains(QLatin1String("phone")))
            return bad(QStringLiteral("phone"), QStringLiteral("phone is required"));
        QJsonObject c{{QStringLiteral("email"), QJsonValue()},
                      {QStringLiteral("company"), QJsonValue()},
                      {QStringLiteral("tags"), QJsonArray()},
                      {QStringLiteral("customFields"), QJsonObject()}};
        if (!applyContact(in, &c, &err))
            return err;
        SimObject o{kind, newId(QStringLiteral("contact_")), ctx.org, {}, now, 1, {}};
        c.insert(QStringLiteral("id"), o.id);
        c.insert(QStringLiteral("createdAt"), SimJson::isoTime(now));
        c.insert(QStringLiteral("updatedAt"), SimJson::isoTime(now));
        o.data = c;
        m_store->insertObject(o);
        return objectResponse(201, o);
    }
    if (ctx.path.size() != 2)
        return error(404, QStringLiteral("not_found"), QStringLiteral("No such endpoint"));
    if (m != "GET" && m != "PATCH")
        return methodNotAllowed(ctx, "GET, PATCH");
    std::optional<SimObject> o = owned(ctx, kind, ctx.path.at(1), &err);
    if (!o)
        return err;
    if (m == "GET")
        return objectResponse(200, *o);
    QJsonObject in;
    if (!jsonBody(ctx, &in, &err) || !ifMatchOk(ctx, *o, &err))
        return err;
    if (!applyContact(in, &o->data, &err))
        return err;
    o->data.insert(QStringLiteral("updatedAt"), SimJson::isoTime(now));
    m_store->updateObject(kind, o->id, o->data);
    ++o->version;
    return objectResponse(200, *o);
}
