#pragma once

// Shared by the SignalR integration tests (tst_signalr_sim.cpp: the client; and
// tst_signalr_stream_sim.cpp: SpeakNodeStream): a simulator with its SpeakNode face and fast
// dialogues, raw requests to it, and a dispatch helper.
#include "clientfixture.h"
#include "testsupport.h"

#include "api/speaknodestream.h"
#include "api/tokensource.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

namespace sb::test {

//! POST with a JSON body (no client library); returns status and body.
inline QPair<int, QJsonObject> rawPost(const QUrl &url, const QString &token,
                                       const QJsonObject &body)
{
    QNetworkAccessManager nam;
    QNetworkRequest req(url);
    req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    if (!token.isEmpty())
        req.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    QNetworkReply *reply = nam.post(req, QJsonDocument(body).toJson(QJsonDocument::Compact));
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(30000, &loop, &QEventLoop::quit);
    loop.exec();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QJsonObject json = QJsonDocument::fromJson(reply->readAll()).object();
    delete reply;
    return {status, json};
}

//! A token source whose refresh the test controls (an OAuth sign-in stands behind it in the app).
class TestTokens : public sb::api::TokenSource
{
public:
    QString token;
    int refreshes = 0;
    QString accessToken() const override { return token; }
    void requestRefresh() override
    {
        ++refreshes;
        QTimer::singleShot(0, this, [this] { Q_EMIT refreshFinished(false); });
    }
    void replace(const QString &fresh)
    {
        token = fresh;
        Q_EMIT accessTokenChanged(fresh);
    }
};

//! The simulator and what the tests need of it; the test classes derive from it.
class SignalRSimFixture : public QObject
{
protected:
    sb::app::SimulatorProcess m_sim;
    QString m_token;
    QJsonObject m_agent;
    QString m_from;

    QUrl origin() const
    {
        QUrl u = m_sim.speakNodeBaseUrl();
        u.setPath(QString());
        return u;
    }
    QUrl hubUrl() const { return sb::api::SpeakNodeStream::hubUrlFor(m_sim.speakNodeBaseUrl()); }
    QUrl at(const QString &path) const
    {
        QUrl u = origin();
        u.setPath(path);
        return u;
    }
    //! Dispatches a call of the demo organization; returns its session id.
    QString dispatch(const QString &outcome, const QString &to)
    {
        const auto r = rawPost(at(QStringLiteral("/api/v1/conversations/dispatch")), m_token,
                               {{QStringLiteral("agent_id"), m_agent.value(QLatin1String("id"))},
                                {QStringLiteral("from_number"), m_from},
                                {QStringLiteral("to_number"), to},
                                {QStringLiteral("dynamic_variables"),
                                 QJsonObject{{QStringLiteral("sim_outcome"), outcome}}}});
        if (r.first != 201)
            return QString();
        return r.second.value(QLatin1String("id")).toString();
    }

    //! Starts the simulator (call from initTestCase and check QTest::currentTestFailed()).
    void startSimulator()
    {
        // Fast dialogues (a call lasts seconds) but slow enough for several polls of 3 s.
        QVERIFY2(m_sim.start({QStringLiteral("--platform"), QStringLiteral("both"),
                              QStringLiteral("--history-calls"), QStringLiteral("30"),
                              QStringLiteral("--speed"), QStringLiteral("4"),
                              QStringLiteral("--ws-ping-ms"), QStringLiteral("500")}),
                 qPrintable(m_sim.errorString()));
        m_token = m_sim.speakNodeToken();
        QVERIFY(!m_token.isEmpty());
        QCOMPARE(sb::test::postAdmin(m_sim.adminUrl(), QStringLiteral("/rate-limit"),
                                     {{QStringLiteral("limit"), 100000}}),
                 204);
        QNetworkAccessManager nam;
        QNetworkRequest req(at(QStringLiteral("/api/v1/agents")));
        req.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
        QNetworkReply *reply = nam.get(req);
        QSignalSpy done(reply, &QNetworkReply::finished);
        QVERIFY(done.wait(30000));
        const QJsonDocument agents = QJsonDocument::fromJson(reply->readAll());
        delete reply;
        const QJsonArray list = agents.isArray()
                                    ? agents.array()
                                    : agents.object().value(QLatin1String("items")).toArray();
        QVERIFY(!list.isEmpty());
        m_agent = list.first().toObject();
        req.setUrl(at(QStringLiteral("/api/v1/phone-numbers")));
        reply = nam.get(req);
        QSignalSpy done2(reply, &QNetworkReply::finished);
        QVERIFY(done2.wait(30000));
        const QJsonDocument numbers = QJsonDocument::fromJson(reply->readAll());
        delete reply;
        const QJsonArray nl = numbers.isArray()
                                  ? numbers.array()
                                  : numbers.object().value(QLatin1String("items")).toArray();
        QVERIFY(!nl.isEmpty());
        m_from = nl.first().toObject().value(QLatin1String("number")).toString();
    }
};

} // namespace sb::test
