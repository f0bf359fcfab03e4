#include "simoptions.h"

#include <QCommandLineParser>
#include <QCoreApplication>

bool SimOptions::parse(const QStringList &arguments, SimOptions *out, QString *error, bool *exitNow)
{
    *exitNow = false;
    QCommandLineParser p;
    p.setApplicationDescription(QCoreApplication::translate(
        "SimOptions",
        "Local Talknex and SpeakNode simulator for Switchboard's demo mode and tests."));
    p.addHelpOption();
    p.addVersionOption();
    const auto opt = [&](const char *name, const char *help, const char *value,
                         const QString &def = {}) {
        QCommandLineOption o(QString::fromLatin1(name),
                             QCoreApplication::translate("SimOptions", help),
                             QString::fromLatin1(value), def);
        p.addOption(o);
        return o;
    };
    const auto host =
        opt("host", "Address to listen on (loopback only is advised).", "address", out->host);
    const auto port =
        opt("port", "Port to listen on; 0 picks a free one.", "port", QStringLiteral("0"));
    const auto data = opt("data", "Keep the database and recordings in this directory.", "dir");
    const auto seed = opt("seed", "Seed of the demo data.", "n", QStringLiteral("1"));
    const auto history = opt("history-calls", "Number of calls in the history (0-1000000).", "n",
                             QStringLiteral("2000"));
    const auto rate =
        opt("rate-limit", "Requests per minute per API key.", "n", QStringLiteral("100"));
    const QCommandLineOption watch(
        QStringLiteral("watch-stdin"),
        QCoreApplication::translate("SimOptions", "Exit when standard input reaches end of file."));
    p.addOption(watch);
    const auto espeak =
        opt("espeak", "Speech synthesizer program for recordings.", "program", out->espeak);
    const auto latency =
        opt("fault-latency-ms", "Delay added before every response.", "ms", QStringLiteral("0"));
    const auto ferror = opt("fault-error",
                            "Answer this fraction of requests with this status, e.g. 503=0.2 "
                            "(repeatable).",
                            "status=rate");
    const auto drop = opt("fault-drop-rate", "Fraction of connections closed without answer.",
                          "rate", QStringLiteral("0"));
    const auto slow = opt("fault-slow-body-ms", "Trickle each body over this many ms.", "ms",
                          QStringLiteral("0"));
    const auto live =
        opt("live-calls", "Keep this many live calls of the demo organization running.", "n",
            QStringLiteral("0"));
    const auto speed = opt("speed", "Time compression of live dialogues (2 = twice as fast).", "x",
                           QStringLiteral("1"));
    const auto ping = opt("ws-ping-ms", "Stream ping interval.", "ms", QStringLiteral("15000"));
    const auto replay =
        opt("replay-limit", "Events kept per call for replay.", "n", QStringLiteral("1000"));
    const auto wsDrop =
        opt("fault-ws-drop-rate", "Per second and socket: abort it.", "rate", QStringLiteral("0"));
    const auto wsStall = opt("fault-ws-stall-rate", "Per second and socket: stall it for 40 s.",
                             "rate", QStringLiteral("0"));
    const auto wsMalformed =
        opt("fault-ws-malformed-rate", "Per second and socket: send one malformed frame.", "rate",
            QStringLiteral("0"));
    const auto platform = opt("platform",
                              "Platform faces to serve: talknex, speaknode or both (the other "
                              "answers 404).",
                              "name", QStringLiteral("both"));
    const auto audioTtl = opt("speaknode-audio-ttl-s", "Lifetime of SpeakNode audio links.", "s",
                              QStringLiteral("300"));
    const auto tokenTtl =
        opt("speaknode-token-ttl-s", "Lifetime of SpeakNode access tokens issued by the realm.",
            "s", QStringLiteral("300"));

    if (!p.parse(arguments)) {
        *error = p.errorText();
        return false;
    }
    if (p.isSet(QStringLiteral("help"))) {
        p.showHelp(0); // exits
    }
    if (p.isSet(QStringLiteral("version"))) {
        p.showVersion(); // exits
    }
    const auto intValue = [&](const QCommandLineOption &o, qint64 lo, qint64 hi, qint64 *v) {
        bool ok = false;
        *v = p.value(o).toLongLong(&ok);
        if (!ok || *v < lo || *v > hi) {
            *error = QCoreApplication::translate("SimOptions", "--%1 must be from %2 to %3")
                         .arg(o.names().first())
                         .arg(lo)
                         .arg(hi);
            return false;
        }
        return true;
    };
    qint64 v = 0;
    out->host = p.value(host);
    if (!intValue(port, 0, 65535, &v))
        return false;
    out->port = quint16(v);
    out->dataDir = p.value(data);
    if (!intValue(seed, 0, std::numeric_limits<qint64>::max(), &v))
        return false;
    out->seed = quint64(v);
    if (!intValue(history, 0, 1000000, &v))
        return false;
    out->historyCalls = int(v);
    if (!intValue(rate, 1, 1000000, &v))
        return false;
    out->rateLimit = int(v);
    out->watchStdin = p.isSet(watch);
    out->espeak = p.value(espeak);
    if (!intValue(latency, 0, 60000, &v))
        return false;
    out->faults.latencyMs = int(v);
    if (!intValue(slow, 0, 60000, &v))
        return false;
    out->faults.slowBodyMs = int(v);
    bool ok = false;
    out->faults.dropRate = p.value(drop).toDouble(&ok);
    if (!ok || out->faults.dropRate < 0 || out->faults.dropRate > 1) {
        *error = QCoreApplication::translate("SimOptions", "--fault-drop-rate must be from 0 to 1");
        return false;
    }
    const auto number = [&](const QCommandLineOption &o, double lo, double hi, double *value) {
        bool valid = false;
        *value = p.value(o).toDouble(&valid);
        if (!valid || !(*value >= lo && *value <= hi)) {
            *error = QCoreApplication::translate("SimOptions", "--%1 must be from %2 to %3")
                         .arg(o.names().first())
                         .arg(lo)
                         .arg(hi);
            return false;
        }
        return true;
    };
    if (!intValue(live, 0, 100000, &v))
        return false;
    out->liveCalls = int(v);
    if (!number(speed, 0.01, 1000, &out->speed))
        return false;
    if (!intValue(ping, 10, 3600000, &v))
        return false;
    out->wsPingMs = int(v);
    if (!intValue(replay, 1, 1000000, &v))
        return false;
    out->replayLimit = int(v);
    if (!number(wsDrop, 0, 1, &out->wsDropRate) || !number(wsStall, 0, 1, &out->wsStallRate) ||
        !number(wsMalformed, 0, 1, &out->wsMalformedRate))
        return false;
    const QString platformName = p.value(platform);
    if (platformName != QLatin1String("talknex") && platformName != QLatin1String("speaknode") &&
        platformName != QLatin1String("both")) {
        *error = QCoreApplication::translate("SimOptions",
                                             "--platform must be talknex, speaknode or both");
        return false;
    }
    out->talknex = platformName != QLatin1String("speaknode");
    out->speaknode = platformName != QLatin1String("talknex");
    if (!intValue(audioTtl, 1, 86400 * 7, &v))
        return false;
    out->speaknodeAudioTtlS = int(v);
    if (!intValue(tokenTtl, 1, 86400 * 7, &v))
        return false;
    out->speaknodeTokenTtlS = int(v);
    const QStringList specs = p.values(ferror);
    for (const QString &s : specs) {
        if (!out->faults.addErrorSpec(s)) {
            *error = QCoreApplication::translate("SimOptions",
                                                 "--fault-error expects STATUS=RATE, e.g. 503=0.2");
            return false;
        }
    }
    return true;
}
