#include "oauthpkce.h"

#include <QCryptographicHash>
#include <QList>
#include <QPair>
#include <QRandomGenerator>
#include <QUrl>
#include <QUrlQuery>

namespace sb::api::oauth {

namespace {

QByteArray randomBytes(int count)
{
    // The verifier and state guard the sign-in: they must come from the system's CSPRNG.
    QByteArray raw(count, Qt::Uninitialized);
    for (int i = 0; i < count; ++i)
        raw[i] = static_cast<char>(QRandomGenerator::system()->bounded(256));
    return raw;
}

} // namespace

QByteArray base64Url(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray makeCodeVerifier()
{
    return base64Url(randomBytes(32));
}

QByteArray codeChallengeS256(const QByteArray &verifier)
{
    return base64Url(QCryptographicHash::hash(verifier, QCryptographicHash::Sha256));
}

QByteArray makeState()
{
    return base64Url(randomBytes(16));
}

QByteArray formEncode(const QList<QPair<QString, QString>> &fields)
{
    QByteArray out;
    for (const auto &field : fields) {
        if (!out.isEmpty())
            out += '&';
        out += QUrl::toPercentEncoding(field.first) + '=' + QUrl::toPercentEncoding(field.second);
    }
    return out;
}

CallbackParams parseCallbackTarget(const QByteArray &target, const QString &redirectPath)
{
    CallbackParams params;
    const qsizetype question = target.indexOf('?');
    const QByteArray rawPath = question < 0 ? target : target.left(question);
    const QString path = QUrl::fromPercentEncoding(rawPath);
    if (path != redirectPath)
        return params;
    params.isCallback = true;
    if (question < 0)
        return params;
    // Form-style query: '+' is a space (servers encode error_description that way).
    QByteArray query = target.mid(question + 1);
    query.replace('+', ' ');
    const QUrlQuery parsed(QString::fromLatin1(query));
    const auto value = [&parsed](const char *name) {
        return parsed.queryItemValue(QLatin1String(name), QUrl::FullyDecoded);
    };
    params.code = value("code");
    params.state = value("state");
    params.error = value("error");
    params.errorDescription = value("error_description");
    params.issuer = value("iss");
    return params;
}

} // namespace sb::api::oauth
