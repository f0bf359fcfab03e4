// SpeakNodeStream's transcript polling against a scripted server on 127.0.0.1: how the request
// budget is shared between the call a person watches and the other live calls. Every call
// stays Active here (the simulator's calls end), and the hub is refused, so only polls count.
#include "fakehttpserver.h"

#include "api/livestream.h"
#include "api/platform.h"
#include "api/ratelimiter.h"
#include "api/session.h"
#include "api/speaknodestream.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QUrl>

#include <memory>

using namespace sb::api;
using Response = FakeHttpServer::Response;
using Received = FakeHttpServer::Received;

namespace {

const QString kToken = QStringLiteral("eyJ.polling.token");
const QStringList kCalls{QStringLiteral("c1"), QStringLiteral("c2"), QStringLiteral("c3"),
                         QStringLiteral("c4"), QStringLiteral("c5"), QStringLiteral("c6")};

QByteArray activeSession(const QString &id)
{
    const QJsonObject line{{QStringLiteral("id"), QString(id + QStringLiteral("-h1"))},
                           {QStringLiteral("role"), QStringLiteral("User")},
                           {QStringLiteral("kind"), QStringLiteral("Message")},
                           {QStringLiteral("content"), QStringLiteral("Hello, is anyone there?")},
                           {QStringLiteral("created_at"), QStringLiteral("2026-05-04T16:20:05Z")}};
    const QJsonObject o{{QStringLiteral("id"), id},
                        {QStringLiteral("agent_id"), QStringLiteral("a1")},
                        {QStringLiteral("status"), QStringLiteral("Active")},
                        {QStringLiteral("created_at"), QStringLiteral("2026-05-04T16:20:00Z")},
                        {QStringLiteral("started_at"), QStringLiteral("2026-05-04T16:20:02Z")},
                        {QStringLiteral("to_number"), QStringLiteral("+14155550100")},
                        {QStringLiteral("from_number"), QStringLiteral("+14155550199")},
                        {QStringLiteral("has_audio"), false},
                        {QStringLiteral("history"), QJsonArray{line}}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

} // namespace

class TestSpeakNodePolling : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void watchedCallIsPolledAtTheShortestInterval();
    void watchingAnEndedOrUnknownCallChangesNothing();
    void aTightBudgetGivesTheWatchedCallAtMostHalf();

private:
    //! Polls of each call so far (GET /conversations/{id}).
    QHash<QString, int> pollCounts() const
    {
        QHash<QString, int> out;
        for (const Received &r : m_server->received()) {
            const QString path = QUrl(QString::fromLatin1(r.target)).path();
            const QString prefix = QStringLiteral("/v1/conversations/");
            if (r.method == "GET" && path.startsWith(prefix))
                ++out[path.mid(prefix.size())];
        }
        return out;
    }
    //! A stream that polls within 8% of a 6000/min server limit (432 polls a minute).
    SpeakNodeStream *makeStream()
    {
        m_stream.reset(LiveStream::create(m_platform.get()));
        auto *sn = qobject_cast<SpeakNodeStream *>(m_stream.get());
        if (!sn)
            return nullptr;
        QString hub = m_server->baseUrl();
        hub.chop(3); // "/v1"
        sn->setHubUrl(QUrl(hub + QStringLiteral("/hubs/notifications")));
        StreamOptions o;
        o.reconnectBaseMs = 60000; // the refused hub stays out of the way
        o.reconnectMaxMs = 60000;
        sn->setOptions(o);
        SpeakNodeStream::PollOptions p;
        p.minIntervalMs = 300;
        p.tickMs = 20;
        p.budgetShare = 0.08;
        sn->setPollOptions(p);
        return sn;
    }

    //! makeStream() with every call of kCalls subscribed, started, each polled once (else null).
    SpeakNodeStream *startPolling()
    {
        SpeakNodeStream *stream = makeStream();
        if (!stream)
            return nullptr;
        for (const QString &id : kCalls)
            stream->subscribeCall(id);
        stream->start();
        if (!QTest::qWaitFor([this] { return pollCounts().size() == kCalls.size(); }, 5000))
            return nullptr;
        return stream;
    }

    std::unique_ptr<FakeHttpServer> m_server;
    std::unique_ptr<Session> m_session;
    std::unique_ptr<Platform> m_platform;
    std::unique_ptr<LiveStream> m_stream;
};

void TestSpeakNodePolling::init()
{
    m_server = std::make_unique<FakeHttpServer>();
    QVERIFY(!m_server->baseUrl().isEmpty());
    m_server->setHandler([](const Received &r) {
        const QString path = QUrl(QString::fromLatin1(r.target)).path();
        const QString prefix = QStringLiteral("/v1/conversations/");
        if (r.method == "GET" && path.startsWith(prefix)) {
            const QString id = path.mid(prefix.size());
            if (kCalls.contains(id))
                return FakeHttpServer::json(200, activeSession(id));
        }
        if (path.startsWith(QLatin1String("/v1/phone-numbers")))
            return FakeHttpServer::json(200, "[]");
        return FakeHttpServer::json(404, R"({"title":"Not Found","status":404})");
    });
    m_session = std::make_unique<Session>();
    QVERIFY(!m_session->setBaseUrl(QUrl(m_server->baseUrl())).isError());
    m_session->setApiKey(kToken);
    m_session->rateLimiter()->setServerLimit(6000); // 5400 a minute for us
    m_platform.reset(createPlatform(PlatformKind::SpeakNode, m_session.get()));
    QVERIFY(m_platform);
}

void TestSpeakNodePolling::cleanup()
{
    m_stream.reset();
    m_platform.reset();
    m_session.reset();
    m_server.reset();
}

void TestSpeakNodePolling::watchedCallIsPolledAtTheShortestInterval()
{
    SpeakNodeStream *stream = startPolling();
    QVERIFY(stream);
    // After the first looks at all six, six calls share 432 polls a minute: one each 834 ms.
    QCOMPARE(stream->pollIntervalMs(), 834);

    // Watched, c1 is polled every 300 ms (200 a minute); the other five share the 232 left.
    stream->setWatchedCall(QStringLiteral("c1"));
    QCOMPARE(stream->watchedCall(), QStringLiteral("c1"));
    QCOMPARE(stream->pollIntervalMs(), 1294);
    const QHash<QString, int> before = pollCounts();
    const quint64 sentBefore = stream->pollsSent();
    QTest::qWait(4000);
    const QHash<QString, int> after = pollCounts();
    const int watched = after.value(QStringLiteral("c1")) - before.value(QStringLiteral("c1"));
    int mostOther = 0;
    QString figures = QStringLiteral("c1 %1").arg(watched);
    for (const QString &id : kCalls.mid(1)) {
        const int polls = after.value(id) - before.value(id);
        figures += QStringLiteral(", %1 %2").arg(id).arg(polls);
        // Nobody starves: each of the others still has its turns (every 1.3 s at best).
        QVERIFY2(polls >= 1, qPrintable(figures));
        mostOther = std::max(mostOther, polls);
    }
    qInfo().noquote() << "polls in 4 s:" << figures;
    QVERIFY2(watched >= 7 && 2 * watched >= 3 * mostOther, qPrintable(figures));
    // Within polling's budget: at most the burst plus 7.2 a second.
    QVERIFY2(stream->pollsSent() - sentBefore <= 2 + 4.5 * 7.2 + 2, qPrintable(figures));

    // No longer watched: back to one share among six.
    stream->setWatchedCall(QString());
    QCOMPARE(stream->pollIntervalMs(), 834);
    stream->stop();
}

void TestSpeakNodePolling::watchingAnEndedOrUnknownCallChangesNothing()
{
    SpeakNodeStream *stream = startPolling();
    QVERIFY(stream);
    // A call the stream does not poll (not subscribed, or unknown to the server) takes no
    // share from the others.
    stream->setWatchedCall(QStringLiteral("not-subscribed"));
    QCOMPARE(stream->pollIntervalMs(), 834);
    stream->subscribeCall(QStringLiteral("gone"));
    stream->setWatchedCall(QStringLiteral("gone"));
    QTRY_VERIFY(pollCounts().contains(QStringLiteral("gone"))); // answered 404: polled no more
    QTRY_COMPARE(stream->pollIntervalMs(), 834);
    const int gonePolls = pollCounts().value(QStringLiteral("gone"));
    QTest::qWait(1000);
    QCOMPARE(pollCounts().value(QStringLiteral("gone")), gonePolls);
    stream->stop();
}

void TestSpeakNodePolling::aTightBudgetGivesTheWatchedCallAtMostHalf()
{
    SpeakNodeStream *stream = makeStream();
    QVERIFY(stream);
    SpeakNodeStream::PollOptions p = stream->pollOptions();
    p.budgetShare = 0.02; // 108 polls a minute: less than twice the watched call's 200
    stream->setPollOptions(p);
    for (const QString &id : kCalls)
        stream->subscribeCall(id);            // not yet seen: each counts as live
    QCOMPARE(stream->pollIntervalMs(), 3334); // six share 108 a minute
    QCOMPARE(stream->watchedPollIntervalMs(), 3334);
    stream->setWatchedCall(QStringLiteral("c1"));
    // The watched call gets half (54 a minute: every 1112 ms), the other five the other half.
    QCOMPARE(stream->watchedPollIntervalMs(), 1112);
    QCOMPARE(stream->pollIntervalMs(), 5556);
    // A budget that allows it: the shortest interval, and the others share what is left.
    p.budgetShare = 0.08;
    stream->setPollOptions(p);
    QCOMPARE(stream->watchedPollIntervalMs(), 300);
    QCOMPARE(stream->pollIntervalMs(), 1294);
}

QTEST_GUILESS_MAIN(TestSpeakNodePolling)
#include "tst_speaknodepolling.moc"
