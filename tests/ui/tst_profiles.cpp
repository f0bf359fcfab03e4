// Profile dialogs against the simulator and the real keychain (run under tools/headless: a
// private D-Bus session with an unlocked gnome-keyring): validation, Test connection, save to
// store + keychain (never the ini), edit, remove, the welcome choices and the sign-in dialog.
#include "api/credentialstore.h"
#include "consolefixture.h"
#include "models/profilestore.h"
#include "models/settings.h"
#include "simulatorprocess.h"
#include "testsupport.h"
#include "ui/accountform.h"
#include "ui/messagebanner.h"
#include "ui/profiledialog.h"
#include "ui/profilesdialog.h"
#include "ui/signindialog.h"
#include "ui/welcomedialog.h"

#include <QComboBox>
#include <QCommandLinkButton>
#include <QFile>
#include <QJsonObject>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QTreeWidget>

#include <memory>

using sb::api::CredentialStore;
using sb::models::Profile;
using sb::models::ProfileStore;
using sb::ui::InlineStatus;
using sb::ui::ProfileDialog;

namespace {
const QString Service = QStringLiteral("switchboard-test-profiles");
constexpr const char *NoBusChildVariable = "SB_TST_PROFILES_NOBUS_CHILD";

//! Reads a key back through a fresh CredentialStore (as the next run would).
std::pair<bool, QString> readKey(const QString &keyId)
{
    CredentialStore store(Service);
    QSignalSpy read(&store, &CredentialStore::readFinished);
    store.read(keyId);
    if (!read.wait(20000))
        return {false, QStringLiteral("<no answer>")};
    return {read.at(0).at(2).toBool(), read.at(0).at(1).toString()};
}

template<class T> T *child(QWidget *dialog, const char *name)
{
    return dialog->findChild<T *>(QLatin1String(name));
}
} // namespace

class TestProfiles : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void storeHelpers();
    void validation();
    void keyFieldMasked();
    void testConnection();
    void saveWritesStoreAndKeychainNotIni();
    void editAndRemove();
    void profilesDialogSwitch();
    void welcomeChoices();
    void signIn();
    void demoProfileOnlyRenames();
    void keychainUnavailable();
    void keychainUnavailableChild();

private:
    //! Types the account fields of \a dialog (name, URL, key).
    void fill(ProfileDialog *dialog, const QString &name, const QString &url, const QString &key);
    QString iniText() const;

    sb::app::SimulatorProcess m_sim;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<sb::models::Settings> m_settings;
    std::unique_ptr<ProfileStore> m_store;
    std::unique_ptr<CredentialStore> m_credentials;
};

void TestProfiles::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    if (qEnvironmentVariableIsSet(NoBusChildVariable))
        return; // keychainUnavailableChild needs neither a bus nor the simulator
    QVERIFY2(qEnvironmentVariableIsSet("DBUS_SESSION_BUS_ADDRESS"),
             "run me under tools/headless (a private session bus with gnome-keyring)");
    QVERIFY2(m_sim.start(), qPrintable(m_sim.errorString()));
}

void TestProfiles::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_settings = std::make_unique<sb::models::Settings>(m_dir->filePath(QStringLiteral("s.ini")));
    m_store = std::make_unique<ProfileStore>(m_settings.get());
    m_credentials = std::make_unique<CredentialStore>(Service);
}

void TestProfiles::cleanup()
{
    m_credentials.reset();
    m_store.reset();
    m_settings.reset();
    m_dir.reset();
}

void TestProfiles::fill(ProfileDialog *dialog, const QString &name, const QString &url,
                        const QString &key)
{
    auto *nameField = child<QLineEdit>(dialog, "nameField");
    nameField->clear();
    QTest::keyClicks(nameField, name);
    auto *urlField = child<QLineEdit>(dialog, "urlField");
    urlField->clear();
    QTest::keyClicks(urlField, url);
    auto *keyField = child<QLineEdit>(dialog, "apiKey");
    keyField->clear();
    QTest::keyClicks(keyField, key);
}

QString TestProfiles::iniText() const
{
    m_settings->sync();
    QFile file(m_dir->filePath(QStringLiteral("s.ini")));
    if (!file.open(QIODevice::ReadOnly))
        return QString();
    return QString::fromUtf8(file.readAll());
}

void TestProfiles::storeHelpers()
{
    Profile p;
    p.name = QStringLiteral("Production");
    p.baseUrl = QUrl(QStringLiteral("https://api.talknex.ai/v1"));
    p = m_store->save(p);
    QCOMPARE(p.credentialKey(), QStringLiteral("talknex:") + p.id);
    QVERIFY(m_store->isNameTaken(QStringLiteral(" production ")));
    QVERIFY(!m_store->isNameTaken(QStringLiteral("production"), p.id));
    QVERIFY(!m_store->isNameTaken(QStringLiteral("Staging")));
}

void TestProfiles::validation()
{
    Profile existing;
    existing.name = QStringLiteral("Production");
    existing.baseUrl = QUrl(QStringLiteral("https://api.talknex.ai/v1"));
    m_store->save(existing);

    ProfileDialog dialog(m_store.get(), m_credentials.get());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *save = child<QPushButton>(&dialog, "saveButton");
    auto *nameStatus = child<InlineStatus>(&dialog, "nameStatus");
    auto *urlStatus = child<InlineStatus>(&dialog, "urlStatus");
    auto *keyStatus = child<InlineStatus>(&dialog, "keyStatus");

    // Empty name and key: both explained, nothing saved, focus on the first problem.
    QTest::mouseClick(save, Qt::LeftButton);
    QVERIFY(nameStatus->isVisible());
    QCOMPARE(nameStatus->kind(), InlineStatus::Kind::Error);
    QVERIFY(keyStatus->isVisible());
    QVERIFY(!urlStatus->isVisible()); // the default address is fine
    QCOMPARE(QApplication::focusWidget(), child<QLineEdit>(&dialog, "nameField"));
    QCOMPARE(m_store->profiles().size(), 1);
    QVERIFY(dialog.isVisible());

    // A name already used (any case), plain http to another computer.
    fill(&dialog, QStringLiteral("PRODUCTION"), QStringLiteral("http://api.example.com/v1"),
         QStringLiteral("sk_whatever"));
    QTest::mouseClick(save, Qt::LeftButton);
    QVERIFY(nameStatus->text().contains(QStringLiteral("PRODUCTION")));
    QVERIFY(urlStatus->isVisible());
    QVERIFY2(urlStatus->text().contains(QStringLiteral("https://")), qPrintable(urlStatus->text()));
    QVERIFY(!keyStatus->isVisible());
    ConsoleFixture::screenshot(&dialog, QStringLiteral("profile-invalid"));

    // Not an address at all; then loopback http is allowed.
    fill(&dialog, QStringLiteral("Staging"), QStringLiteral("not a url"), QStringLiteral("sk_x"));
    QTest::mouseClick(save, Qt::LeftButton);
    QVERIFY(!nameStatus->isVisible());
    QVERIFY(urlStatus->isVisible());
    child<QLineEdit>(&dialog, "urlField")->setText(QStringLiteral("http://127.0.0.1:9/v1"));
    QVERIFY(dialog.validate());
    QCOMPARE(m_store->profiles().size(), 1);

    // SpeakNode is listed and can be chosen (createPlatform builds it since issue 6).
    auto *platform = child<QComboBox>(&dialog, "platformField");
    QCOMPARE(platform->count(), 2);
    auto *items = qobject_cast<QStandardItemModel *>(platform->model());
    QVERIFY(items);
    QVERIFY(items->item(1)->isEnabled());
    QVERIFY(platform->itemText(1).startsWith(QStringLiteral("SpeakNode")));
    QVERIFY(!platform->itemText(1).contains(QStringLiteral("later version")));
}

void TestProfiles::keyFieldMasked()
{
    ProfileDialog dialog(m_store.get(), m_credentials.get());
    dialog.show();
    auto *key = child<QLineEdit>(&dialog, "apiKey");
    QCOMPARE(key->echoMode(), QLineEdit::Password);
    QTest::mouseClick(child<QToolButton>(&dialog, "showKey"), Qt::LeftButton);
    QCOMPARE(key->echoMode(), QLineEdit::Normal);
    QTest::mouseClick(child<QToolButton>(&dialog, "showKey"), Qt::LeftButton);
    QCOMPARE(key->echoMode(), QLineEdit::Password);
}

void TestProfiles::testConnection()
{
    ProfileDialog dialog(m_store.get(), m_credentials.get());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *test = child<QPushButton>(&dialog, "testButton");
    auto *status = child<InlineStatus>(&dialog, "testStatus");
    QSignalSpy tested(&dialog, &ProfileDialog::connectionTested);

    fill(&dialog, QStringLiteral("Sim"), m_sim.baseUrl().toString(), m_sim.key());
    QTest::mouseClick(test, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(tested.count(), 1, 20000);
    QVERIFY2(tested.at(0).at(0).toBool(), qPrintable(status->text()));
    QCOMPARE(status->kind(), InlineStatus::Kind::Ok);
    QVERIFY(test->isEnabled());
    ConsoleFixture::screenshot(&dialog, QStringLiteral("profile-test-ok"));

    // A wrong key: the server's 401 explained as a refused key.
    child<QLineEdit>(&dialog, "apiKey")->setText(QStringLiteral("sk_wrong_key"));
    QVERIFY(!status->isVisible()); // editing the key cleared the old result
    QTest::mouseClick(test, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(tested.count(), 2, 20000);
    QVERIFY(!tested.at(1).at(0).toBool());
    QCOMPARE(status->kind(), InlineStatus::Kind::Error);
    QVERIFY2(status->text().contains(QStringLiteral("401")), qPrintable(status->text()));
    QVERIFY(!status->text().contains(QStringLiteral("sk_wrong_key")));
    ConsoleFixture::screenshot(&dialog, QStringLiteral("profile-test-401"));

    // Nothing listens there: unreachable.
    child<QLineEdit>(&dialog, "urlField")->setText(QStringLiteral("http://127.0.0.1:1/v1"));
    QTest::mouseClick(test, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(tested.count(), 3, 20000);
    QVERIFY2(status->text().contains(QStringLiteral("Cannot reach")), qPrintable(status->text()));
    QCOMPARE(m_store->profiles().size(), 0); // testing saves nothing
}

void TestProfiles::saveWritesStoreAndKeychainNotIni()
{
    ProfileDialog dialog(m_store.get(), m_credentials.get());
    QSignalSpy saved(&dialog, &ProfileDialog::profileSaved);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    const QString key = m_sim.key();
    fill(&dialog, QStringLiteral("Simulator"), m_sim.baseUrl().toString(), key);
    ConsoleFixture::screenshot(&dialog, QStringLiteral("profile-add"));
    QTest::mouseClick(child<QPushButton>(&dialog, "saveButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 20000);
    QVERIFY2(saved.at(0).at(1).toBool(), "the keychain did not store the key");
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QVERIFY(!dialog.isVisible());

    QCOMPARE(m_store->profiles().size(), 1);
    const Profile p = m_store->profiles().first();
    QCOMPARE(p.name, QStringLiteral("Simulator"));
    QCOMPARE(p.baseUrl, m_sim.baseUrl());
    QCOMPARE(p.platform, QStringLiteral("talknex"));
    QCOMPARE(dialog.profile(), p);
    // A new ProfileStore (the next run) finds it in the ini file ...
    ProfileStore reloaded(m_settings.get());
    QCOMPARE(reloaded.profile(p.id), p);
    // ... but the key is only in the keychain.
    const auto [found, secret] = readKey(p.credentialKey());
    QVERIFY(found);
    QCOMPARE(secret, key);
    const QString ini = iniText();
    QVERIFY(ini.contains(QStringLiteral("Simulator")));
    QVERIFY(!ini.contains(key));
}

void TestProfiles::editAndRemove()
{
    Profile p;
    p.name = QStringLiteral("Sim");
    p.baseUrl = m_sim.baseUrl();
    p = m_store->save(p);
    Profile other;
    other.name = QStringLiteral("Other");
    other.baseUrl = QUrl(QStringLiteral("https://api.talknex.ai/v1"));
    other = m_store->save(other);
    {
        QSignalSpy written(m_credentials.get(), &CredentialStore::written);
        m_credentials->write(p.credentialKey(), m_sim.key());
        QVERIFY(written.wait(20000));
    }

    // Rename, key left empty: the stored key is kept (and Test connection uses it).
    {
        ProfileDialog dialog(m_store.get(), m_credentials.get(), p);
        QSignalSpy tested(&dialog, &ProfileDialog::connectionTested);
        QSignalSpy saved(&dialog, &ProfileDialog::profileSaved);
        dialog.show();
        QCOMPARE(dialog.windowTitle(), QStringLiteral("Edit Profile"));
        QCOMPARE(child<QLineEdit>(&dialog, "nameField")->text(), QStringLiteral("Sim"));
        QVERIFY(child<QLineEdit>(&dialog, "apiKey")->text().isEmpty());
        QTest::mouseClick(child<QPushButton>(&dialog, "testButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(tested.count(), 1, 20000);
        QVERIFY(tested.at(0).at(0).toBool());
        // Its own name is not a duplicate; the other profile's is.
        QVERIFY(dialog.validate());
        child<QLineEdit>(&dialog, "nameField")->setText(QStringLiteral("other"));
        QVERIFY(!dialog.validate());
        child<QLineEdit>(&dialog, "nameField")->setText(QStringLiteral("Sim (renamed)"));
        QTest::mouseClick(child<QPushButton>(&dialog, "saveButton"), Qt::LeftButton);
        QTRY_COMPARE(saved.count(), 1);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
    }
    QCOMPARE(m_store->profile(p.id).name, QStringLiteral("Sim (renamed)"));
    QCOMPARE(m_store->profiles().size(), 2);
    QCOMPARE(readKey(p.credentialKey()).second, m_sim.key());

    // Manage Profiles: the active one cannot be removed; another one can, key and all.
    sb::ui::ProfilesDialog manage(m_store.get(), m_credentials.get(), other.id);
    manage.show();
    QVERIFY(QTest::qWaitForWindowExposed(&manage));
    QCOMPARE(manage.list()->topLevelItemCount(), 2);
    manage.selectProfile(other.id);
    QVERIFY(!child<QPushButton>(&manage, "removeButton")->isEnabled());
    QVERIFY(manage.list()->currentItem()->text(0).contains(QStringLiteral("active")));
    manage.selectProfile(p.id);
    QVERIFY(child<QPushButton>(&manage, "removeButton")->isEnabled());
    ConsoleFixture::screenshot(&manage, QStringLiteral("profiles-manage"));
    QSignalSpy removedKey(m_credentials.get(), &CredentialStore::removed);
    QSignalSpy removed(&manage, &sb::ui::ProfilesDialog::profileRemoved);
    manage.removeSelected(false);
    QCOMPARE(removed.count(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(removedKey.count(), 1, 20000);
    QCOMPARE(manage.list()->topLevelItemCount(), 1);
    QVERIFY(!m_store->contains(p.id));
    QVERIFY(!readKey(p.credentialKey()).first);
}

void TestProfiles::profilesDialogSwitch()
{
    Profile a = m_store->demoProfile();
    Profile b;
    b.name = QStringLiteral("B");
    b.baseUrl = m_sim.baseUrl();
    b = m_store->save(b);
    sb::ui::ProfilesDialog manage(m_store.get(), m_credentials.get(), a.id);
    QSignalSpy switched(&manage, &sb::ui::ProfilesDialog::switchRequested);
    manage.show();
    QVERIFY(!child<QPushButton>(&manage, "switchButton")->isEnabled()); // already active
    manage.selectProfile(b.id);
    QTest::mouseClick(child<QPushButton>(&manage, "switchButton"), Qt::LeftButton);
    QCOMPARE(switched.count(), 1);
    QCOMPARE(switched.at(0).at(0).toString(), b.id);
    QVERIFY(!manage.isVisible());

    // Add from the manager: the new profile is listed and selected.
    sb::ui::ProfilesDialog again(m_store.get(), m_credentials.get(), a.id);
    again.show();
    QTest::mouseClick(child<QPushButton>(&again, "addButton"), Qt::LeftButton);
    auto *add = again.findChild<ProfileDialog *>();
    QVERIFY(add);
    QTRY_VERIFY(add->isVisible());
    fill(add, QStringLiteral("Added"), m_sim.baseUrl().toString(), m_sim.key());
    QTest::keyClick(child<QLineEdit>(add, "apiKey"), Qt::Key_Return); // Enter saves
    QTRY_COMPARE_WITH_TIMEOUT(again.list()->topLevelItemCount(), 3, 20000);
    QTRY_COMPARE(again.list()->currentItem()->text(0), QStringLiteral("Added"));
}

void TestProfiles::welcomeChoices()
{
    {
        sb::ui::WelcomeDialog welcome(m_store.get(), m_credentials.get());
        welcome.show();
        QVERIFY(QTest::qWaitForWindowExposed(&welcome));
        ConsoleFixture::screenshot(&welcome, QStringLiteral("welcome"));
        QTest::mouseClick(welcome.demoButton(), Qt::LeftButton);
        QCOMPARE(welcome.choice(), sb::ui::WelcomeDialog::Choice::Demo);
        QCOMPARE(welcome.result(), int(QDialog::Accepted));
    }
    sb::ui::WelcomeDialog welcome(m_store.get(), m_credentials.get());
    welcome.show();
    QVERIFY(QTest::qWaitForWindowExposed(&welcome));
    // Connect, then cancel the profile: back to the choices.
    QTest::mouseClick(welcome.connectButton(), Qt::LeftButton);
    QVERIFY(welcome.profileDialog());
    welcome.profileDialog()->reject();
    QTRY_VERIFY(!welcome.profileDialog());
    QVERIFY(welcome.isVisible());
    QCOMPARE(welcome.choice(), sb::ui::WelcomeDialog::Choice::None);
    // Connect and save: the welcome closes with the new profile.
    QTest::mouseClick(welcome.connectButton(), Qt::LeftButton);
    ProfileDialog *dialog = welcome.profileDialog();
    QVERIFY(dialog);
    fill(dialog, QStringLiteral("My account"), m_sim.baseUrl().toString(), m_sim.key());
    QTest::mouseClick(child<QPushButton>(dialog, "saveButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(welcome.result(), int(QDialog::Accepted), 20000);
    QCOMPARE(welcome.choice(), sb::ui::WelcomeDialog::Choice::ConnectAccount);
    QCOMPARE(welcome.profile().name, QStringLiteral("My account"));
    QVERIFY(m_store->contains(welcome.profile().id));
}

void TestProfiles::signIn()
{
    // The demo org has two keys: revoke the first, sign in with the second.
    QString org;
    for (const auto &k : m_sim.keys())
        if (k.key == m_sim.key())
            org = k.orgId;
    const QStringList keys = m_sim.keysOf(org);
    QVERIFY2(keys.size() >= 2, "the simulator announces two keys per org");
    QCOMPARE(sb::test::postAdmin(m_sim.adminUrl(), QStringLiteral("/keys/revoke"),
                                 {{QStringLiteral("key"), keys.at(0)}}),
             204);

    Profile p;
    p.name = QStringLiteral("Sim");
    p.baseUrl = m_sim.baseUrl();
    p = m_store->save(p);
    sb::ui::SignInDialog dialog(p, m_credentials.get());
    dialog.setReason(QStringLiteral("The API key was rejected. Sign in again."));
    QSignalSpy signedIn(&dialog, &sb::ui::SignInDialog::signedIn);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *status = child<InlineStatus>(&dialog, "signInStatus");
    auto *key = child<QLineEdit>(&dialog, "apiKey");
    auto *button = child<QPushButton>(&dialog, "signInButton");

    QTest::mouseClick(button, Qt::LeftButton); // nothing typed
    QCOMPARE(status->kind(), InlineStatus::Kind::Error);

    QTest::keyClicks(key, keys.at(0)); // the revoked key is refused again
    QTest::mouseClick(button, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(status->kind(), InlineStatus::Kind::Error, 20000);
    QTRY_VERIFY(button->isEnabled());
    QVERIFY2(status->text().contains(QStringLiteral("401")), qPrintable(status->text()));
    QVERIFY(dialog.isVisible());
    QCOMPARE(signedIn.count(), 0);
    ConsoleFixture::screenshot(&dialog, QStringLiteral("signin-refused"));

    key->clear();
    QTest::keyClicks(key, keys.at(1));
    QTest::keyClick(key, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(signedIn.count(), 1, 20000);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(dialog.apiKey(), keys.at(1));
    QVERIFY(dialog.keyPersisted());
    QCOMPARE(readKey(p.credentialKey()).second, keys.at(1));
    // The returned key really works.
    QUrl agents = m_sim.baseUrl();
    agents.setPath(agents.path() + QStringLiteral("/agents"));
    QCOMPARE(sb::test::rawGet(agents, dialog.apiKey()), 200);

    // "Switch Profile…" leaves with its own result code.
    sb::ui::SignInDialog second(p, m_credentials.get());
    QSignalSpy switchSpy(&second, &sb::ui::SignInDialog::switchProfileRequested);
    second.show();
    QTest::mouseClick(child<QPushButton>(&second, "switchProfileButton"), Qt::LeftButton);
    QCOMPARE(switchSpy.count(), 1);
    QCOMPARE(second.result(), sb::ui::SignInDialog::SwitchProfile);
}

void TestProfiles::demoProfileOnlyRenames()
{
    const Profile demo = m_store->demoProfile();
    ProfileDialog dialog(m_store.get(), m_credentials.get(), demo);
    QSignalSpy written(m_credentials.get(), &CredentialStore::written);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QVERIFY(!child<QLineEdit>(&dialog, "urlField")->isVisible());
    QVERIFY(!child<QLineEdit>(&dialog, "apiKey")->isVisible());
    QVERIFY(!child<QPushButton>(&dialog, "testButton")->isVisible());
    child<QLineEdit>(&dialog, "nameField")->setText(QStringLiteral("Playground"));
    QTest::mouseClick(child<QPushButton>(&dialog, "saveButton"), Qt::LeftButton);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    const Profile saved = m_store->profile(demo.id);
    QCOMPARE(saved.name, QStringLiteral("Playground"));
    QVERIFY(saved.demo);
    QVERIFY(saved.baseUrl.isEmpty());
    QTest::qWait(50);
    QCOMPARE(written.count(), 0); // the demo has no key to store
}

void TestProfiles::keychainUnavailable()
{
    // QtKeychain finds the session bus once per process, so the no-keychain case runs in a
    // child process of this test without any bus (as tst_keychain_nobus does).
    QTemporaryDir runtime;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.insert(QStringLiteral("XDG_RUNTIME_DIR"), runtime.path());
    env.insert(QLatin1String(NoBusChildVariable), QStringLiteral("1"));
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    QProcess child;
    child.setProcessEnvironment(env);
    child.setProcessChannelMode(QProcess::MergedChannels);
    child.start(QCoreApplication::applicationFilePath(),
                {QStringLiteral("keychainUnavailableChild")});
    QVERIFY(child.waitForFinished(60000));
    const QString output = QString::fromLocal8Bit(child.readAll());
    QVERIFY2(child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0,
             qPrintable(output));
    QVERIFY2(output.contains(QStringLiteral("PASS   : TestProfiles::keychainUnavailableChild")),
             qPrintable(output));
}

void TestProfiles::keychainUnavailableChild()
{
    if (!qEnvironmentVariableIsSet(NoBusChildVariable))
        QSKIP("runs as the child process of keychainUnavailable");
    ProfileDialog dialog(m_store.get(), m_credentials.get());
    QSignalSpy saved(&dialog, &ProfileDialog::profileSaved);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    const QString key = QStringLiteral("sk_memory_only_0123456789");
    fill(&dialog, QStringLiteral("No keychain"), QStringLiteral("http://127.0.0.1:9/v1"), key);
    QTest::mouseClick(child<QPushButton>(&dialog, "saveButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 30000);
    QVERIFY(!saved.at(0).at(1).toBool());
    QVERIFY(!dialog.keyPersisted());
    // The profile is saved, the dialog stays open and says why the key is not kept.
    QVERIFY(dialog.isVisible());
    auto *banner = dialog.findChild<sb::ui::MessageBanner *>();
    QVERIFY(banner && banner->isVisible());
    QVERIFY2(banner->text().contains(QStringLiteral("keychain")), qPrintable(banner->text()));
    QVERIFY(!banner->text().contains(key));
    ConsoleFixture::screenshot(&dialog, QStringLiteral("profile-no-keychain"));
    QCOMPARE(m_store->profiles().size(), 1);
    QVERIFY(!iniText().contains(key));
    auto *close = child<QPushButton>(&dialog, "saveButton");
    QCOMPARE(close->text(), QStringLiteral("Close"));
    QTest::mouseClick(close, Qt::LeftButton);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
}

QTEST_MAIN(TestProfiles)
#include "tst_profiles.moc"
