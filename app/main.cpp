#include "application.h"
#include "commandline.h"
#include "startupprobe.h"

#include <QApplication>
#include <QLocale>
#include <QLoggingCategory>
#include <QTextStream>
#include <QTranslator>

#include <cstdio>
#include <vector>

int main(int argc, char *argv[])
{
    QApplication::setApplicationName(QStringLiteral("switchboard"));
    QApplication::setApplicationDisplayName(QStringLiteral("Switchboard"));
    QApplication::setApplicationVersion(QStringLiteral(SWITCHBOARD_VERSION));
    QApplication::setOrganizationName(QStringLiteral("Switchboard"));
    QApplication::setDesktopFileName(QStringLiteral("switchboard"));

    // --help and --version must work without a display, so parse before QApplication exists.
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    const sb::app::LaunchOptions options = sb::app::parseCommandLine(arguments);
    switch (options.mode) {
    case sb::app::LaunchOptions::Mode::ShowHelp:
    case sb::app::LaunchOptions::Mode::ShowVersion:
        QTextStream(stdout) << options.message << '\n';
        return 0;
    case sb::app::LaunchOptions::Mode::Error:
        QTextStream(stderr) << "switchboard: " << options.message << '\n'
                            << "Try 'switchboard --help'.\n";
        return 2;
    case sb::app::LaunchOptions::Mode::Run:
        break;
    }

    // Debug chatter only on request (QT_LOGGING_RULES or SWITCHBOARD_DEBUG=1).
    if (qEnvironmentVariableIsEmpty("SWITCHBOARD_DEBUG"))
        QLoggingCategory::setFilterRules(QStringLiteral("switchboard.*.debug=false"));

    // Qt's own "-platform"/"--platform" option picks the windowing system; ours picks the
    // calling platform (talknex, speaknode). Qt gets the arguments without ours (its windowing
    // system can still be chosen with QT_QPA_PLATFORM).
    std::vector<char *> qtArgv;
    for (int i = 0; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        if (i > 0 && (arg == "--platform" || arg == "-platform")) {
            ++i; // and its value
            continue;
        }
        if (i > 0 && (arg.startsWith("--platform=") || arg.startsWith("-platform=")))
            continue;
        qtArgv.push_back(argv[i]);
    }
    int qtArgc = int(qtArgv.size());
    qtArgv.push_back(nullptr);
    QApplication app(qtArgc, qtArgv.data());
    auto *probe = sb::app::StartupProbe::fromEnvironment(&app); // bench/bench_startup
    // The system language when we have it; English otherwise (it carries the plural forms).
    QTranslator translator;
    if (translator.load(QLocale(), QStringLiteral("switchboard"), QStringLiteral("_"),
                        QStringLiteral(":/i18n")) ||
        translator.load(QStringLiteral(":/i18n/switchboard_en.qm")))
        QApplication::installTranslator(&translator);
    sb::app::Application switchboard(options);
    if (!switchboard.start())
        return 1;
    if (probe)
        probe->started(&switchboard);
    return QApplication::exec();
}
