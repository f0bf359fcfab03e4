#pragma once

#include "siminstance.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPair>
#include <QUrl>

#include <memory>

//! One raw HTTP exchange (redirects are not followed, so /auth's 302 can be read).
struct SnReply
{
    int status = 0;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;

    QByteArray header(const QByteArray &name) const;
    QJsonObject object() const { return QJsonDocument::fromJson(body).object(); }
    QJsonArray array() const { return QJsonDocument::fromJson(body).array(); }
};

//! switchboard-sim's SpeakNode face (REST, OAuth realm, media), in-process over loopback.
class TestSimSpeakNode : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    // tst_sim_speaknode.cpp
    void bearerAuthAndProblems();
    void agents();
    void toolsAndPhoneNumbers();
    void conversationPaging();
    void conversationFilters();
    void conversationFilterErrors();
    void conversationDetails();
    void dispatchValidation();
    void dispatchRunsLive();
    void dispatchFailedOutcome();
    void audioUrlSignedAndExpiring();
    void rateLimitAndFaults();
    void platformSwitch();
    void commandLine();
    // tst_sim_speaknode_oauth.cpp
    void discovery();
    void authorizationCodeFlow();
    void pkceEnforced();
    void codeReuseRevokes();
    void redirectUriChecks();
    void refreshRotation();
    void revokeAndLogout();
    void adminExpireAndRevoke();
    void accessTokenExpires();

private:
    SnReply send(const QByteArray &method, const QUrl &url, const QString &token = {},
                 const QByteArray &body = {}, const QByteArray &contentType = {},
                 const QList<QPair<QByteArray, QByteArray>> &headers = {});
    SnReply get(const QString &path, const QString &token);
    SnReply post(const QString &path, const QString &token, const QJsonObject &body);
    QUrl url(const QString &path) const;
    //! Checks an RFC 7807 answer; returns its body.
    QJsonObject checkProblem(const SnReply &r, int status);
    QJsonObject firstCompleted();
    QJsonObject waitForStatus(const QString &id, const QString &status, int timeoutMs,
                              QList<int> *historySizes = nullptr);

    // OAuth helpers (tst_sim_speaknode_oauth.cpp).
    struct Pkce
    {
        QByteArray verifier, challenge;
    };
    static Pkce makePkce();
    QUrl authorizeUrl(const QString &redirectUri, const QByteArray &challenge,
                      const QString &state = QStringLiteral("st-1"),
                      const QString &method = QStringLiteral("S256")) const;
    SnReply tokenRequest(const QList<QPair<QString, QString>> &form);
    //! Full sign-in; returns the token response.
    QJsonObject signIn();

    std::unique_ptr<SimInstance> m_sim;
    QNetworkAccessManager m_nam;
    QString m_token;      // demo organization's static token
    QString m_otherToken; // the other organization's
};
