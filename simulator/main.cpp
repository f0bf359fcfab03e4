// switchboard-sim: prints its base URL and keys (docs/SIM-INTERFACE.md) and serves until it is
// told to stop, its parent dies, or (with --watch-stdin) standard input closes.
#include "siminstance.h"
#include "simoptions.h"
#include "simspeaknode.h"

#include <QCoreApplication>
#include <QSocketNotifier>

#include <cstdio>
#include <unistd.h>
#ifdef Q_OS_LINUX
#include <csignal>
#include <sys/prctl.h>
#endif

static void printLine(const QString &line)
{
    const QByteArray bytes = line.toUtf8() + '\n';
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fflush(stdout);
}

int main(int argc, char *argv[])
{
#ifdef Q_OS_LINUX
    // A simulator left behind by a crashed console or test would hold its port forever.
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    std::signal(SIGPIPE, SIG_IGN);
#endif
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("switchboard-sim"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SWITCHBOARD_VERSION));

    SimOptions options;
    QString error;
    bool exitNow = false;
    if (!SimOptions::parse(QCoreApplication::arguments(), &options, &error, &exitNow)) {
        std::fprintf(stderr, "switchboard-sim: %s\n", qPrintable(error));
        return 2;
    }
    if (exitNow)
        return 0;

    SimInstance sim;
    if (!sim.start(options, &error)) {
        std::fprintf(stderr, "switchboard-sim: %s\n", qPrintable(error));
        return 1;
    }

    QSocketNotifier *stdinWatch = nullptr;
    if (options.watchStdin) {
        stdinWatch = new QSocketNotifier(STDIN_FILENO, QSocketNotifier::Read, &app);
        QObject::connect(stdinWatch, &QSocketNotifier::activated, &app, [stdinWatch] {
            char buffer[256];
            const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
            if (n <= 0) { // end of file (or error): the parent is gone
                stdinWatch->setEnabled(false);
                QCoreApplication::quit();
            }
        });
    }

    printLine(QStringLiteral("switchboard-sim ") + QStringLiteral(SWITCHBOARD_VERSION));
    printLine(QStringLiteral("base-url ") + sim.baseUrl());
    for (const SimOrg &org : sim.orgs()) {
        for (const QString &key : org.keys)
            printLine(QStringLiteral("api-key %1 %2 %3").arg(org.id, key, org.name));
    }
    if (SimSpeakNode *sn = sim.speaknode()) {
        printLine(QStringLiteral("speaknode-base-url ") + sn->baseUrl());
        printLine(QStringLiteral("speaknode-issuer ") + sn->issuer());
        printLine(QStringLiteral("speaknode-client-id ") + SimOAuth::clientId());
        for (const SimOrg &org : sim.orgs())
            printLine(QStringLiteral("speaknode-token %1 %2")
                          .arg(org.id, sn->oauth().staticToken(org.id)));
    }
    printLine(QStringLiteral("ready"));
    return app.exec();
}
