// /v1/phone-numbers: list, purchase, configure (agent, name, routing), release.
#include "simapi.h"
#include "simjson.h"

#include <QDateTime>
#include <QRandomGenerator>

static SimResponse invalidField(const QString &field, const QString &message)
{
    return SimApi::error(400, QStringLiteral("validation_error"), message, field);
}

SimResponse SimApi::numbers(const Ctx &ctx)
{
    const QString kind = QStringLiteral("number");
    const QByteArray m = ctx.req.method;
    SimResponse err;
    if (ctx.path.size() == 1) {
        if (m == "GET")
            return listObjects(ctx, kind, {}, {});
        if (m != "POST")
            return methodNotAllowed(ctx, "GET, POST");
        QJsonObject in;
        if (!jsonBody(ctx, &in, &err))
            return err;
        QString number;
        if (in.contains(QLatin1String("number"))) {
            number = in.value(QLatin1String("number")).toString();
            if (!SimJson::isE164(number))
                return invalidField(QStringLiteral("number"),
                                    QStringLiteral("number must be an E.164 number"));
        } else {
            static const QHash<QString, QString> prefixes = {
                {QStringLiteral("US"), QStringLiteral("+1")},
                {QStringLiteral("CA"), QStringLiteral("+1")},
                {QStringLiteral("GB"), QStringLiteral("+44")},
                {QStringLiteral("DE"), QStringLiteral("+49")}};
            const QString country = in.value(QLatin1String("country")).toString().toUpper();
            if (!prefixes.contains(country))
                return invalidField(QStringLiteral("country"),
                                    QStringLiteral("country must be one of US, CA, GB, DE"));
            QString area = in.value(QLatin1String("areaCode")).toString();
            if (in.contains(QLatin1String("areaCode")) &&
                (area.size() < 2 || area.size() > 4 || area.toInt() <= 0 ||
                 area.startsWith(QLatin1Char('0')))) {
                return invalidField(QStringLiteral("areaCode"),
                                    QStringLiteral("areaCode must be 2 to 4 digits"));
            }
            if (area.isEmpty())
                area = QString::number(QRandomGenerator::global()->bounded(201, 990));
            number = prefixes.value(country) + area +
                     QString::number(QRandomGenerator::global()->bounded(2000000, 9999999));
        }
        const QList<SimObject> mine = m_store->listObjects(kind, ctx.org, {}, {}, {}, 10000);
        for (const SimObject &n : mine) {
            if (n.data.value(QLatin1String("number")).toString() == number &&
                n.data.value(QLatin1String("status")).toString() != QLatin1String("released"))
                return error(409, QStringLiteral("conflict"),
                             QStringLiteral("This organization already owns that number"),
                             QStringLiteral("number"));
        }
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        SimObject o{kind, newId(QStringLiteral("pn_")), ctx.org, {}, now, 1, {}};
        o.data = {{QStringLiteral("id"), o.id},
                  {QStringLiteral("number"), number},
                  {QStringLiteral("friendlyName"), number},
                  {QStringLiteral("agentId"), QJsonValue()},
                  {QStringLiteral("status"), QStringLiteral("active")},
                  {QStringLiteral("capabilities"),
                   QJsonObject{{QStringLiteral("voice"), true}, {QStringLiteral("sms"), true}}},
                  {QStringLiteral("provider"), QStringLiteral("twilio")},
                  {QStringLiteral("routing"),
                   QJsonObject{{QStringLiteral("mode"), QStringLiteral("agent")}}},
                  {QStringLiteral("createdAt"), SimJson::isoTime(now)}};
        m_store->insertObject(o);
        return objectResponse(201, o);
    }
    if (ctx.path.size() != 2)
        return error(404, QStringLiteral("not_found"), QStringLiteral("No such endpoint"));
    if (m != "GET" && m != "PATCH" && m != "DELETE")
        return methodNotAllowed(ctx, "GET, PATCH, DELETE");
    std::optional<SimObject> o = owned(ctx, kind, ctx.path.at(1), &err);
    if (!o)
        return err;
    if (m == "GET")
        return objectResponse(200, *o);
    if (m == "DELETE") {
        // Released numbers stay visible with status "released", as the provider keeps them.
        o->data.insert(QStringLiteral("status"), QStringLiteral("released"));
        o->data.insert(QStringLiteral("agentId"), QJsonValue());
        m_store->updateObject(kind, o->id, o->data);
        return noContent();
    }
    QJsonObject in;
    if (!jsonBody(ctx, &in, &err) || !ifMatchOk(ctx, *o, &err))
        return err;
    if (o->data.value(QLatin1String("status")).toString() == QLatin1String("released"))
        return error(409, QStringLiteral("conflict"), QStringLiteral("The number was released"));
    if (in.contains(QLatin1String("agentId"))) {
        const QJsonValue a = in.value(QLatin1String("agentId"));
        if (!a.isNull()) {
            const auto agent = m_store->object(QStringLiteral("agent"), a.toString());
            if (!agent || agent->org != ctx.org)
                return invalidField(QStringLiteral("agentId"),
                                    QStringLiteral("agentId is not an agent of this organization"));
        }
        o->data.insert(QStringLiteral("agentId"), a);
    }
    if (in.contains(QLatin1String("friendlyName"))) {
        const QJsonValue n = in.value(QLatin1String("friendlyName"));
        if (!n.isString() || n.toString().size() > 64)
            return invalidField(QStringLiteral("friendlyName"),
                                QStringLiteral("friendlyName must be a string of at most 64 "
                                               "characters"));
        o->data.insert(QStringLiteral("friendlyName"), n);
    }
    if (in.contains(QLatin1String("routing"))) {
        const QJsonObject r = in.value(QLatin1String("routing")).toObject();
        const QString mode = r.value(QLatin1String("mode")).toString();
        if (mode != QLatin1String("agent") && mode != QLatin1String("forward"))
            return invalidField(QStringLiteral("routing.mode"),
                                QStringLiteral("routing.mode must be agent or forward"));
        QJsonObject routing{{QStringLiteral("mode"), mode}};
        if (mode == QLatin1String("forward")) {
            const QString to = r.value(QLatin1String("forwardTo")).toString();
            if (!SimJson::isE164(to))
                return invalidField(QStringLiteral("routing.forwardTo"),
                                    QStringLiteral("forwarding needs an E.164 forwardTo"));
            routing.insert(QStringLiteral("forwardTo"), to);
        }
        o->data.insert(QStringLiteral("routing"), routing);
    }
    m_store->updateObject(kind, o->id, o->data);
    ++o->version;
    return objectResponse(200, *o);
}
