#include "commandline.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace sb::app {

namespace {
//! Translation context for the command line's messages.
struct CommandLine
{
    Q_DECLARE_TR_FUNCTIONS(CommandLine)
};

bool isLoopbackHost(const QString &host)
{
    return host == QLatin1String("127.0.0.1") || host == QLatin1String("localhost") ||
           host == QLatin1String("::1") || host == QLatin1String("[::1]");
}
} // namespace

LaunchOptions parseCommandLine(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        CommandLine::tr("Switchboard: an operator console for voice-AI calling platforms."));
    const QCommandLineOption helpOption = parser.addHelpOption();
    const QCommandLineOption versionOption = parser.addVersionOption();
    const QCommandLineOption demoOption(
        QStringLiteral("demo"),
        CommandLine::tr("Start the bundled simulator on a free loopback port and connect to it."));
    const QCommandLineOption platformOption(
        QStringLiteral("platform"),
        CommandLine::tr("Platform of the profile (talknex or speaknode)."), CommandLine::tr("kind"),
        QStringLiteral("talknex"));
    const QCommandLineOption baseUrlOption(QStringLiteral("base-url"),
                                           CommandLine::tr("Base URL of the platform's REST API."),
                                           CommandLine::tr("url"));
    const QCommandLineOption keyEnvOption(
        QStringLiteral("api-key-env"),
        CommandLine::tr(
            "Name of the environment variable that holds the API key (the key itself is never "
            "accepted on the command line)."),
        CommandLine::tr("variable"));
    const QCommandLineOption profileOption(
        QStringLiteral("profile-name"),
        CommandLine::tr("Display name of the command-line profile."), CommandLine::tr("name"));
    const QCommandLineOption historyOption(
        QStringLiteral("demo-history-calls"),
        CommandLine::tr("Number of calls in the demo simulator's history (default 2000)."),
        CommandLine::tr("count"));
    const QCommandLineOption screenshotOption(
        QStringLiteral("screenshot"),
        CommandLine::tr("Write a PNG of the main window once its data has loaded, then quit."),
        CommandLine::tr("file"));
    const QCommandLineOption liveOption(
        QStringLiteral("demo-live-calls"),
        CommandLine::tr("Number of calls the demo simulator keeps live at once."),
        CommandLine::tr("count"));
    const QCommandLineOption paneOption(
        QStringLiteral("pane"),
        CommandLine::tr("Pane to open: live, calls, agents, numbers, contacts, knowledge or "
                        "alerts."),
        CommandLine::tr("id"));
    parser.addOptions({demoOption, platformOption, baseUrlOption, keyEnvOption, profileOption,
                       historyOption, liveOption, paneOption, screenshotOption});

    LaunchOptions options;
    if (!parser.parse(arguments)) {
        options.mode = LaunchOptions::Mode::Error;
        options.message = parser.errorText();
        return options;
    }
    if (parser.isSet(helpOption)) {
        options.mode = LaunchOptions::Mode::ShowHelp;
        // Parsed before QCoreApplication exists, so Qt cannot know the program's name yet.
        options.message = parser.helpText().replace(QStringLiteral("<executable_name>"),
                                                    QStringLiteral("switchboard"));
        return options;
    }
    if (parser.isSet(versionOption)) {
        options.mode = LaunchOptions::Mode::ShowVersion;
        options.message = QCoreApplication::applicationName() + QLatin1Char(' ') +
                          QCoreApplication::applicationVersion();
        return options;
    }
    if (!parser.positionalArguments().isEmpty()) {
        options.mode = LaunchOptions::Mode::Error;
        options.message =
            CommandLine::tr("Unexpected argument: %1").arg(parser.positionalArguments().first());
        return options;
    }

    auto fail = [&options](const QString &message) {
        options.mode = LaunchOptions::Mode::Error;
        options.message = message;
        return options;
    };

    options.demo = parser.isSet(demoOption);
    options.platform = parser.value(platformOption).toLower();
    options.profileName = parser.value(profileOption);
    options.screenshotPath = parser.value(screenshotOption);
    options.apiKeyEnv = parser.value(keyEnvOption);
    options.pane = parser.value(paneOption).toLower();
    static const QStringList panes = {QStringLiteral("live"),     QStringLiteral("calls"),
                                      QStringLiteral("agents"),   QStringLiteral("numbers"),
                                      QStringLiteral("contacts"), QStringLiteral("knowledge"),
                                      QStringLiteral("alerts")};
    if (parser.isSet(paneOption) && !panes.contains(options.pane))
        return fail(CommandLine::tr("Unknown pane \"%1\". Panes: %2.")
                        .arg(options.pane, panes.join(QStringLiteral(", "))));
    if (options.platform != QLatin1String("talknex") &&
        options.platform != QLatin1String("speaknode"))
        return fail(CommandLine::tr("Unknown platform \"%1\". Supported: talknex, speaknode.")
                        .arg(options.platform));

    if (parser.isSet(historyOption)) {
        bool ok = false;
        const int calls = parser.value(historyOption).toInt(&ok);
        if (!ok || calls < 0 || calls > 1000000)
            return fail(CommandLine::tr("--demo-history-calls needs a number from 0 to 1000000."));
        options.simulatorArgs << QStringLiteral("--history-calls") << QString::number(calls);
    }
    if (parser.isSet(liveOption)) {
        bool ok = false;
        const int calls = parser.value(liveOption).toInt(&ok);
        if (!ok || calls < 0 || calls > 1000)
            return fail(CommandLine::tr("--demo-live-calls needs a number from 0 to 1000."));
        options.simulatorArgs << QStringLiteral("--live-calls") << QString::number(calls);
    }

    if (options.demo) {
        if (parser.isSet(baseUrlOption) || parser.isSet(keyEnvOption))
            return fail(
                CommandLine::tr("--demo cannot be combined with --base-url or --api-key-env."));
        if (options.profileName.isEmpty())
            options.profileName = options.platform == QLatin1String("speaknode")
                                      ? CommandLine::tr("Demo (SpeakNode simulator)")
                                      : CommandLine::tr("Demo (simulator)");
        // A living console by default: some calls are always in progress.
        if (!parser.isSet(liveOption))
            options.simulatorArgs << QStringLiteral("--live-calls") << QStringLiteral("12");
        return options;
    }

    if (!parser.isSet(baseUrlOption)) {
        if (parser.isSet(keyEnvOption))
            return fail(CommandLine::tr("--api-key-env needs --base-url."));
        return options; // no profile given: the app shows its welcome
    }

    options.baseUrl = QUrl(parser.value(baseUrlOption), QUrl::StrictMode);
    const QUrl &url = options.baseUrl;
    if (!url.isValid() || url.host().isEmpty() ||
        (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http")))
        return fail(CommandLine::tr("--base-url must be an http(s) URL, for example "
                                    "https://api.talknex.ai/v1."));
    if (url.scheme() == QLatin1String("http") && !isLoopbackHost(url.host()))
        return fail(
            CommandLine::tr("Plain http:// is only allowed for loopback hosts; use https://."));
    if (!url.userInfo().isEmpty())
        return fail(CommandLine::tr("Put no credentials in --base-url; use --api-key-env."));
    if (options.profileName.isEmpty())
        options.profileName = url.host();
    return options;
}

} // namespace sb::app
