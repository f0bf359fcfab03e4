// TokenManager: signing out (RFC 7009 revocation, forgetting the keychain entry) and the
// RP-initiated logout URL. Split from tokenmanager.cpp to keep the files small.
#include "tokenmanager.h"

#include "logging.h"
#include "oauthpkce.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace sb::api {

QUrl TokenManager::endSessionUrl(const QUrl &postLogoutRedirect) const
{
    if (!m_endpoints.endSession.isValid())
        return {};
    QList<QPair<QString, QString>> fields{{QStringLiteral("client_id"), m_client.clientId}};
    if (!m_idToken.isEmpty())
        fields.append({QStringLiteral("id_token_hint"), m_idToken});
    if (postLogoutRedirect.isValid())
        fields.append({QStringLiteral("post_logout_redirect_uri"), postLogoutRedirect.toString()});
    QUrl url = m_endpoints.endSession;
    const QString existing = url.query(QUrl::FullyEncoded);
    const QString added = QString::fromLatin1(oauth::formEncode(fields));
    url.setQuery(existing.isEmpty() ? added : existing + QLatin1Char('&') + added,
                 QUrl::StrictMode);
    return url;
}

void TokenManager::signOut()
{
    m_retryTimer.stop();
    m_expiryTimer.stop();
    dropReply(m_refreshReply);
    dropReply(m_revokeReply);
    m_restoring = false;
    m_toRevoke.clear();
    if (m_endpoints.revocation.isValid()) {
        if (!m_refreshToken.isEmpty())
            m_toRevoke.append({m_refreshToken, QStringLiteral("refresh_token")});
        if (!m_accessToken.isEmpty())
            m_toRevoke.append({m_accessToken, QStringLiteral("access_token")});
    }
    m_refreshToken.clear();
    m_idToken.clear();
    m_pasted = false;
    m_signedIn = false;
    m_lost = true; // signed out on purpose: no signInRequired() for it
    m_expiry = QDateTime();
    if (!m_accessToken.isEmpty()) {
        m_accessToken.clear();
        Q_EMIT accessTokenChanged(QString());
    }
    // Removed even when this run held no token: a restore may not have finished reading it.
    forgetStoredRefreshToken();
    m_signingOut = true;
    m_revokeError = ApiError();
    finishRefresh(false);
    revokeNext();
}

void TokenManager::revokeNext()
{
    if (m_toRevoke.isEmpty()) {
        if (m_signingOut) {
            m_signingOut = false;
            const ApiError error = m_revokeError;
            QMetaObject::invokeMethod(
                this, [this, error] { Q_EMIT signedOut(error); }, Qt::QueuedConnection);
        }
        return;
    }
    const auto [token, hint] = m_toRevoke.takeFirst();
    m_revokeReply = oauth::postForm(m_nam, m_endpoints.revocation,
                                    {{QStringLiteral("token"), token},
                                     {QStringLiteral("token_type_hint"), hint},
                                     {QStringLiteral("client_id"), m_client.clientId}});
    connect(m_revokeReply, &QNetworkReply::finished, this, [this] {
        QNetworkReply *reply = m_revokeReply;
        if (!reply)
            return;
        m_revokeReply = nullptr;
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status != 200 && !m_revokeError.isError()) {
            // RFC 7009 §2.2: 200 even for an unknown token; anything else is a real failure.
            if (status == 0)
                m_revokeError = oauth::transportError(reply);
            else
                oauth::parseTokenResponse(status, reply->readAll(), &m_revokeError);
            qCWarning(lcApi).noquote() << "OAuth: revocation failed:" << m_revokeError.message;
        }
        revokeNext();
    });
}

} // namespace sb::api
