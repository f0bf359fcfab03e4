// SpeakNodeConnector against switchboard-sim's SpeakNode realm, as the console starts a
// SpeakNode profile: the demo sign-in stores the refresh token in the keychain; the next start
// restores from it without a browser; a revoked grant or an unreachable realm asks the person to
// sign in (and the console still opens on its cache); a pasted token is never stored; sign-out
// forgets the stored grant.
#include "speaknodeconnector.h"

#include "api/credentialstore.h"
#include "api/platform.h"
#include "api/session.h"
#include "api/tokenmanager.h"
#include "simulatorprocess.h"
#include "testsupport.h"

#include <QSignalSpy>
#include <QTest>

#include <memory>
#include <optional>

using sb::api::CredentialStore;
using sb::app::SpeakNodeConnector;

class TestSpeakNodeConnector : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void demoSignInStoresTheRefreshToken();
    void nextStartRestoresFromTheKeychain();
    void signOutForgetsTheStoredGrant();
    void revokedGrantAsksToSignInAgain();
    void pastedTokenIsUsedButNeverStored();
    void unreachableRealmAsksToSignIn();

private:
    struct Outcome
    {
        bool ready = false;
        bool signedIn = false;
        QString signInRequired;
    };
    //! A connector for `profileId` on the simulator's realm (or `issuer`), started, waited for.
    std::unique_ptr<SpeakNodeConnector> connectProfile(const QString &profileId, bool demo,
                                                       Outcome *outcome, const QString &pasted = {},
                                                       const QUrl &issuer = {})
    {
        SpeakNodeConnector::Options o;
        o.profile.id = profileId;
        o.profile.name = profileId;
        o.profile.platform = QStringLiteral("speaknode");
        o.issuer = issuer.isValid() ? issuer : m_sim.speakNodeIssuer();
        o.clientId = m_sim.speakNodeClientId();
        o.credentials = &m_store;
        o.pastedToken = pasted;
        o.demo = demo;
        auto connector = std::make_unique<SpeakNodeConnector>(o);
        connect(connector.get(), &SpeakNodeConnector::readyToConnect, this,
                [outcome] { outcome->ready = true; });
        connect(connector.get(), &SpeakNodeConnector::signedIn, this,
                [outcome] { outcome->signedIn = true; });
        connect(connector.get(), &SpeakNodeConnector::signInRequired, this,
                [outcome](const QString &why) { outcome->signInRequired = why; });
        connector->start();
        (void)QTest::qWaitFor([outcome] { return outcome->ready; }, 30000);
        // A token arrives shortly after "ready" on some paths: let it land.
        (void)QTest::qWaitFor(
            [outcome] { return outcome->signedIn || !outcome->signInRequired.isEmpty(); }, 10000);
        return connector;
    }
    //! What the keychain holds for `profileId`, read back as the next start would.
    QString stored(const QString &profileId)
    {
        sb::models::Profile profile;
        profile.id = profileId;
        profile.platform = QStringLiteral("speaknode");
        QSignalSpy read(&m_store, &CredentialStore::readFinished);
        m_store.read(sb::api::TokenManager::refreshTokenKey(profile.credentialKey()));
        if (!read.wait(10000))
            return QStringLiteral("<no answer>");
        return read.at(0).at(2).toBool() ? read.at(0).at(1).toString() : QString();
    }
    //! GET /agents through a Session that takes its token from `connector`: the HTTP status.
    int agentsStatus(SpeakNodeConnector *connector)
    {
        sb::api::Session session;
        if (session.setBaseUrl(m_sim.speakNodeBaseUrl()).isError())
            return -1;
        session.setTokenSource(connector->tokens());
        std::unique_ptr<sb::api::Platform> platform(
            sb::api::createPlatform(sb::api::PlatformKind::SpeakNode, &session));
        auto pager = platform->agents();
        std::optional<sb::api::Result<sb::api::Page<sb::api::Agent>>> page;
        pager.fetchNext().onFinished(this, [&page](const auto &result) { page = result; });
        (void)QTest::qWaitFor([&page] { return page.has_value(); }, 15000);
        session.setTokenSource(nullptr);
        if (!page)
            return -1;
        return page->ok() ? 200 : page->error().httpStatus;
    }

    sb::app::SimulatorProcess m_sim;
    CredentialStore m_store{QStringLiteral("switchboard-test-connector")};
    const QString m_profile = QStringLiteral("connector-test");
};

void TestSpeakNodeConnector::initTestCase()
{
    QVERIFY2(m_sim.start({QStringLiteral("--platform"), QStringLiteral("speaknode"),
                          QStringLiteral("--history-calls"), QStringLiteral("5"),
                          QStringLiteral("--live-calls"), QStringLiteral("0")}),
             qPrintable(m_sim.errorString()));
    QVERIFY(m_sim.speakNodeIssuer().isValid());
}

void TestSpeakNodeConnector::demoSignInStoresTheRefreshToken()
{
    Outcome outcome;
    auto connector = connectProfile(m_profile, true, &outcome);
    QVERIFY(outcome.ready);
    QVERIFY2(outcome.signedIn, qPrintable(outcome.signInRequired));
    QVERIFY(!connector->tokens()->accessToken().isEmpty());
    QVERIFY(connector->tokens()->hasRefreshToken());
    QCOMPARE(agentsStatus(connector.get()), 200);
    // Only the refresh token is kept, and only in the keychain.
    QTRY_COMPARE_WITH_TIMEOUT(stored(m_profile).isEmpty(), false, 10000);
    QVERIFY(stored(m_profile) != connector->tokens()->accessToken());
}

void TestSpeakNodeConnector::nextStartRestoresFromTheKeychain()
{
    // No demo sign-in this time: the grant stored by the previous start is enough.
    Outcome outcome;
    auto connector = connectProfile(m_profile, false, &outcome);
    QVERIFY2(outcome.signedIn, qPrintable(outcome.signInRequired));
    QVERIFY(outcome.signInRequired.isEmpty());
    QCOMPARE(agentsStatus(connector.get()), 200);
}

void TestSpeakNodeConnector::signOutForgetsTheStoredGrant()
{
    Outcome outcome;
    auto connector = connectProfile(m_profile, false, &outcome);
    QVERIFY2(outcome.signedIn, qPrintable(outcome.signInRequired));
    QSignalSpy out(connector.get(), &SpeakNodeConnector::signedOut);
    connector->signOut();
    QVERIFY(out.wait(15000));
    QCOMPARE(out.at(0).at(0).toString(), QStringLiteral("Signed out of SpeakNode."));
    QVERIFY(connector->tokens()->accessToken().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(stored(m_profile).isEmpty(), 10000);
    // The next start finds nothing to restore and asks for a sign-in.
    Outcome next;
    auto again = connectProfile(m_profile, false, &next);
    QVERIFY(next.ready);
    QVERIFY(!next.signedIn);
    QVERIFY(!next.signInRequired.isEmpty());
}

void TestSpeakNodeConnector::revokedGrantAsksToSignInAgain()
{
    const QString profile = QStringLiteral("connector-revoked");
    {
        Outcome first;
        auto connector = connectProfile(profile, true, &first);
        QVERIFY2(first.signedIn, qPrintable(first.signInRequired));
        QTRY_COMPARE_WITH_TIMEOUT(stored(profile).isEmpty(), false, 10000);
    }
    // The realm forgets every refresh token (an administrator revoked the app's grants).
    QUrl admin = m_sim.speakNodeBaseUrl();
    admin.setPath(QStringLiteral("/_sim/speaknode"));
    QCOMPARE(sb::test::postAdmin(admin, QStringLiteral("/revoke-refresh-tokens"), {}), 204);
    Outcome outcome;
    auto connector = connectProfile(profile, false, &outcome);
    // Ready all the same (the console opens on its cache) and says why a sign-in is needed.
    QVERIFY(outcome.ready);
    QVERIFY(!outcome.signedIn);
    QVERIFY(!outcome.signInRequired.isEmpty());
    QVERIFY(connector->tokens()->accessToken().isEmpty());
}

void TestSpeakNodeConnector::pastedTokenIsUsedButNeverStored()
{
    const QString profile = QStringLiteral("connector-pasted");
    const QString token = m_sim.speakNodeToken();
    QVERIFY(!token.isEmpty());
    Outcome outcome;
    auto connector = connectProfile(profile, false, &outcome, token);
    QVERIFY2(outcome.signedIn, qPrintable(outcome.signInRequired));
    QCOMPARE(connector->tokens()->accessToken(), token);
    QVERIFY(!connector->tokens()->hasRefreshToken());
    QCOMPARE(agentsStatus(connector.get()), 200);
    QVERIFY(stored(profile).isEmpty());
}

void TestSpeakNodeConnector::unreachableRealmAsksToSignIn()
{
    // Nothing listens on port 1 of the loopback address.
    const QUrl nowhere(QStringLiteral("http://127.0.0.1:1/realms/none"));
    Outcome outcome;
    auto connector =
        connectProfile(QStringLiteral("connector-nowhere"), false, &outcome, {}, nowhere);
    QVERIFY(outcome.ready);
    QVERIFY(!outcome.signedIn);
    QVERIFY2(outcome.signInRequired.contains(QStringLiteral("could not be reached")),
             qPrintable(outcome.signInRequired));
    // A pasted token needs no realm: it works for this run.
    Outcome pasted;
    auto withToken = connectProfile(QStringLiteral("connector-nowhere"), false, &pasted,
                                    m_sim.speakNodeToken(), nowhere);
    QVERIFY(pasted.ready);
    QCOMPARE(withToken->tokens()->accessToken(), m_sim.speakNodeToken());
    QCOMPARE(agentsStatus(withToken.get()), 200);
}

QTEST_MAIN(TestSpeakNodeConnector)
#include "tst_speaknodeconnector.moc"
