// CredentialStore against the real keychain (run inside a private D-Bus session with an
// unlocked gnome-keyring) and without any session bus (in-memory fallback). ctest runs each
// function in its own environment through run-keychain-test.sh.
#include "api/credentialstore.h"

#include <QSignalSpy>
#include <QTest>
#include <QUuid>

using namespace sb::api;

class TestKeychain : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void realKeychainRoundTrip();
    void noKeychainFallback();
};

void TestKeychain::realKeychainRoundTrip()
{
    QVERIFY2(qEnvironmentVariableIsSet("DBUS_SESSION_BUS_ADDRESS"),
             "run me through run-keychain-test.sh keyring");
    CredentialStore store(QStringLiteral("switchboard-test"));
    const QString profile = QStringLiteral("profile-") + QUuid::createUuid().toString(QUuid::Id128);
    const QString secret = QStringLiteral("sk_test_") + QUuid::createUuid().toString(QUuid::Id128);

    QSignalSpy written(&store, &CredentialStore::written);
    store.write(profile, secret);
    QVERIFY(written.wait(20000));
    QCOMPARE(written.at(0).at(0).toString(), profile);
    QVERIFY2(written.at(0).at(1).toBool(), qPrintable(store.unavailableMessage()));
    QCOMPARE(store.availability(), CredentialStore::Availability::Available);

    // A second store (a new run) reads it back from the keychain, not from memory.
    CredentialStore other(QStringLiteral("switchboard-test"));
    QSignalSpy read(&other, &CredentialStore::readFinished);
    other.read(profile);
    QVERIFY(read.wait(20000));
    QCOMPARE(read.at(0).at(1).toString(), secret);
    QVERIFY(read.at(0).at(2).toBool());

    QSignalSpy removed(&other, &CredentialStore::removed);
    other.remove(profile);
    QVERIFY(removed.wait(20000));
    read.clear();
    other.read(profile);
    QVERIFY(read.wait(20000));
    QVERIFY(!read.at(0).at(2).toBool());
    QVERIFY(read.at(0).at(1).toString().isEmpty());
}

void TestKeychain::noKeychainFallback()
{
    QVERIFY2(!qEnvironmentVariableIsSet("DBUS_SESSION_BUS_ADDRESS"),
             "run me through run-keychain-test.sh nobus");
    CredentialStore store(QStringLiteral("switchboard-test"));
    QSignalSpy availability(&store, &CredentialStore::availabilityChanged);
    QSignalSpy written(&store, &CredentialStore::written);
    const QString secret = QStringLiteral("sk_test_memory_only");
    store.write(QStringLiteral("p1"), secret);
    QVERIFY(written.wait(20000));
    QVERIFY(!written.at(0).at(1).toBool()); // not persisted
    QCOMPARE(store.availability(), CredentialStore::Availability::Unavailable);
    QCOMPARE(availability.count(), 1);
    QVERIFY(!store.unavailableMessage().isEmpty());
    QVERIFY(!store.unavailableMessage().contains(secret));

    // Still usable for this run, from memory.
    QSignalSpy read(&store, &CredentialStore::readFinished);
    store.read(QStringLiteral("p1"));
    QVERIFY(read.wait(5000));
    QCOMPARE(read.at(0).at(1).toString(), secret);
    QVERIFY(read.at(0).at(2).toBool());

    // A new store (the next run) has nothing: the key was never written anywhere.
    CredentialStore next(QStringLiteral("switchboard-test"));
    QSignalSpy nextRead(&next, &CredentialStore::readFinished);
    next.read(QStringLiteral("p1"));
    QVERIFY(nextRead.wait(20000));
    QVERIFY(!nextRead.at(0).at(2).toBool());
    QCOMPARE(next.availability(), CredentialStore::Availability::Unavailable);

    QSignalSpy removed(&store, &CredentialStore::removed);
    store.remove(QStringLiteral("p1"));
    QVERIFY(removed.wait(5000));
    read.clear();
    store.read(QStringLiteral("p1"));
    QVERIFY(read.wait(5000));
    QVERIFY(!read.at(0).at(2).toBool());
}

QTEST_GUILESS_MAIN(TestKeychain)
#include "tst_keychain.moc"
