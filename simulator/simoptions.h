#pragma once

#include "simfaults.h"

#include <QString>
#include <QStringList>

//! The simulator's command line (docs/SIM-INTERFACE.md).
struct SimOptions
{
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 0;
    QString dataDir;
    quint64 seed = 1;
    int historyCalls = 2000;
    int rateLimit = 100;
    bool watchStdin = false;
    QString espeak = QStringLiteral("espeak-ng");
    SimFaults faults;
    // Live calls and the stream (docs/SIM-INTERFACE.md, "Live calls and the stream").
    int liveCalls = 0;
    double speed = 1.0;
    int wsPingMs = 15000;
    int replayLimit = 1000;
    double wsDropRate = 0;
    double wsStallRate = 0;
    double wsMalformedRate = 0;
    // SpeakNode (docs/SIM-INTERFACE.md, "SpeakNode").
    bool talknex = true;   // --platform talknex|both
    bool speaknode = true; // --platform speaknode|both
    int speaknodeAudioTtlS = 300;
    int speaknodeTokenTtlS = 300;

    //! Parses arguments (argv[0] first). Returns false with a message in *error; *exitNow is
    //! set for --help/--version after printing them.
    static bool parse(const QStringList &arguments, SimOptions *out, QString *error, bool *exitNow);
};
