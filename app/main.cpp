#include "application.h"
#include "commandline.h"

#include <QApplication>
#include <QTextStream>

#include <cstdio>

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

    QApplication app(argc, argv);
    sb::app::Application switchboard(options);
    if (!switchboard.start())
        return 1;
    return QApplication::exec();
}
