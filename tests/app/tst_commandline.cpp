#include "commandline.h"

#include <QCoreApplication>
#include <QTest>

using sb::app::LaunchOptions;
using sb::app::parseCommandLine;

class TestCommandLine : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setApplicationName(QStringLiteral("switchboard"));
        QCoreApplication::setApplicationVersion(QStringLiteral("9.9.9"));
    }

    void table_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("mode");
        QTest::addColumn<QString>("messageContains");

        const int run = int(LaunchOptions::Mode::Run);
        const int error = int(LaunchOptions::Mode::Error);
        QTest::newRow("nothing") << QStringList{} << run << QString();
        QTest::newRow("help") << QStringList{QStringLiteral("--help")}
                              << int(LaunchOptions::Mode::ShowHelp) << QStringLiteral("--demo");
        QTest::newRow("version") << QStringList{QStringLiteral("--version")}
                                 << int(LaunchOptions::Mode::ShowVersion)
                                 << QStringLiteral("9.9.9");
        QTest::newRow("demo") << QStringList{QStringLiteral("--demo")} << run << QString();
        QTest::newRow("https profile")
            << QStringList{QStringLiteral("--base-url"),
                           QStringLiteral("https://api.talknex.ai/v1"),
                           QStringLiteral("--api-key-env"), QStringLiteral("TALKNEX_API_KEY")}
            << run << QString();
        QTest::newRow("http loopback")
            << QStringList{QStringLiteral("--base-url"), QStringLiteral("http://127.0.0.1:9/v1")}
            << run << QString();
        QTest::newRow("http remote refused")
            << QStringList{QStringLiteral("--base-url"), QStringLiteral("http://example.com/v1")}
            << error << QStringLiteral("loopback");
        QTest::newRow("not a url")
            << QStringList{QStringLiteral("--base-url"), QStringLiteral("::")} << error
            << QStringLiteral("--base-url");
        QTest::newRow("credentials in url")
            << QStringList{QStringLiteral("--base-url"),
                           QStringLiteral("https://me:pw@h.example/v1")}
            << error << QStringLiteral("--api-key-env");
        QTest::newRow("key env without url")
            << QStringList{QStringLiteral("--api-key-env"), QStringLiteral("X")} << error
            << QStringLiteral("--base-url");
        QTest::newRow("demo with url")
            << QStringList{QStringLiteral("--demo"), QStringLiteral("--base-url"),
                           QStringLiteral("https://a.example/v1")}
            << error << QStringLiteral("--demo");
        QTest::newRow("unknown option")
            << QStringList{QStringLiteral("--api-key=sk_x")} << error << QStringLiteral("api-key");
        QTest::newRow("unknown platform")
            << QStringList{QStringLiteral("--platform"), QStringLiteral("acme")} << error
            << QStringLiteral("acme");
        QTest::newRow("history out of range")
            << QStringList{QStringLiteral("--demo"), QStringLiteral("--demo-history-calls"),
                           QStringLiteral("2000000")}
            << error << QStringLiteral("1000000");
        QTest::newRow("live calls out of range")
            << QStringList{QStringLiteral("--demo"), QStringLiteral("--demo-live-calls"),
                           QStringLiteral("-1")}
            << error << QStringLiteral("--demo-live-calls");
        QTest::newRow("unknown pane")
            << QStringList{QStringLiteral("--demo"), QStringLiteral("--pane"),
                           QStringLiteral("dashboard")}
            << error << QStringLiteral("dashboard");
        QTest::newRow("positional")
            << QStringList{QStringLiteral("stray")} << error << QStringLiteral("stray");
    }

    void table()
    {
        QFETCH(QStringList, args);
        QFETCH(int, mode);
        QFETCH(QString, messageContains);
        const LaunchOptions options =
            parseCommandLine(QStringList{QStringLiteral("switchboard")} + args);
        QCOMPARE(int(options.mode), mode);
        if (!messageContains.isEmpty())
            QVERIFY2(options.message.contains(messageContains), qPrintable(options.message));
    }

    void demoFillsDefaults()
    {
        const LaunchOptions options =
            parseCommandLine({QStringLiteral("switchboard"), QStringLiteral("--demo"),
                              QStringLiteral("--demo-history-calls"), QStringLiteral("500")});
        QVERIFY(options.demo);
        QCOMPARE(options.platform, QStringLiteral("talknex"));
        QVERIFY(!options.profileName.isEmpty());
        // A living console by default: the simulator keeps a dozen calls going.
        QCOMPARE(options.simulatorArgs,
                 (QStringList{QStringLiteral("--history-calls"), QStringLiteral("500"),
                              QStringLiteral("--live-calls"), QStringLiteral("12")}));
        QVERIFY(options.pane.isEmpty());
    }

    void demoLiveCallsAndPane()
    {
        const LaunchOptions options =
            parseCommandLine({QStringLiteral("switchboard"), QStringLiteral("--demo"),
                              QStringLiteral("--demo-live-calls"), QStringLiteral("200"),
                              QStringLiteral("--pane"), QStringLiteral("Calls")});
        QCOMPARE(options.mode, LaunchOptions::Mode::Run);
        QCOMPARE(options.simulatorArgs,
                 (QStringList{QStringLiteral("--live-calls"), QStringLiteral("200")}));
        QCOMPARE(options.pane, QStringLiteral("calls"));
    }

    void speakNodeDemoAndProfile()
    {
        const LaunchOptions demo =
            parseCommandLine({QStringLiteral("switchboard"), QStringLiteral("--demo"),
                              QStringLiteral("--platform"), QStringLiteral("SpeakNode")});
        QCOMPARE(demo.mode, LaunchOptions::Mode::Run);
        QVERIFY(demo.demo);
        QCOMPARE(demo.platform, QStringLiteral("speaknode"));
        QVERIFY(demo.profileName.contains(QStringLiteral("SpeakNode")));

        const LaunchOptions account =
            parseCommandLine({QStringLiteral("switchboard"), QStringLiteral("--platform"),
                              QStringLiteral("speaknode"), QStringLiteral("--base-url"),
                              QStringLiteral("https://api.speaknode.com/api/v1"),
                              QStringLiteral("--api-key-env"), QStringLiteral("SPEAKNODE_TOKEN")});
        QCOMPARE(account.mode, LaunchOptions::Mode::Run);
        QCOMPARE(account.platform, QStringLiteral("speaknode"));
        QCOMPARE(account.apiKeyEnv, QStringLiteral("SPEAKNODE_TOKEN"));
    }

    void profileKeepsUrlAndEnvName()
    {
        const LaunchOptions options =
            parseCommandLine({QStringLiteral("switchboard"), QStringLiteral("--base-url"),
                              QStringLiteral("https://api.talknex.ai/v1"),
                              QStringLiteral("--api-key-env"), QStringLiteral("TNX")});
        QCOMPARE(options.baseUrl, QUrl(QStringLiteral("https://api.talknex.ai/v1")));
        QCOMPARE(options.apiKeyEnv, QStringLiteral("TNX"));
        QCOMPARE(options.profileName, QStringLiteral("api.talknex.ai"));
        QVERIFY(!options.demo);
    }
};

QTEST_GUILESS_MAIN(TestCommandLine)
#include "tst_commandline.moc"
