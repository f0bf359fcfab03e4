#pragma once

#include <QString>
#include <QStringList>
#include <QUrl>

namespace sb::app {

//! What the person asked for on the command line, checked and ready for the composition root.
struct LaunchOptions
{
    enum class Mode { Run, ShowHelp, ShowVersion, Error };

    Mode mode = Mode::Run;
    QString message;           //!< help text, version text or the error to print
    bool demo = false;         //!< start switchboard-sim and connect to it
    QString platform;          //!< platform kind, "talknex" unless told otherwise
    QUrl baseUrl;              //!< profile base URL (empty with --demo)
    QString apiKeyEnv;         //!< name of the environment variable that holds the key
    QString profileName;       //!< display name of the command-line profile
    QStringList simulatorArgs; //!< extra arguments for switchboard-sim in demo mode
    QString screenshotPath;    //!< write a PNG of the window once loaded, then quit
    QString pane;              //!< pane to open first ("live", "calls", ...); empty: last used
};

//! Parses \a arguments (argv including the program name). Pure: reads no environment.
LaunchOptions parseCommandLine(const QStringList &arguments);

} // namespace sb::app
