// Manual load check of switchboard-sim's live engine (not a ctest): subscribes to the calls
// channel and to every call that starts, then prints events per second and seq gaps.
// usage: sim_stream_load <base-url> <api-key> [seconds]
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QTimer>
#include <QWebSocket>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    if (args.size() < 3) {
        std::fprintf(stderr, "usage: sim_stream_load <base-url> <api-key> [seconds]\n");
        return 2;
    }
    QString url = args.at(1);
    url.replace(QLatin1String("http://"), QLatin1String("ws://"));
    QNetworkRequest request{QUrl(url + QStringLiteral("/stream"))};
    request.setRawHeader("Authorization", "Bearer " + args.at(2).toUtf8());
    const int seconds = args.value(3, QStringLiteral("20")).toInt();

    QWebSocket ws;
    QHash<QString, qint64> lastSeq;
    qint64 events = 0, gaps = 0, window = 0;
    QElapsedTimer clock;
    QObject::connect(&ws, &QWebSocket::connected, &ws, [&] {
        ws.sendTextMessage(QStringLiteral("{\"type\":\"subscribe\",\"channel\":\"calls\"}"));
        clock.start();
    });
    QObject::connect(&ws, &QWebSocket::textMessageReceived, &ws, [&](const QString &text) {
        const QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
        const QString type = o.value(QLatin1String("type")).toString();
        if (type == QLatin1String("call.started")) {
            const QString id =
                o.value(QLatin1String("call")).toObject().value(QLatin1String("id")).toString();
            ws.sendTextMessage(QStringLiteral("{\"type\":\"subscribe\",\"callId\":\"") + id +
                               QStringLiteral("\"}"));
            return;
        }
        const qint64 seq = o.value(QLatin1String("seq")).toInteger();
        if (seq <= 0)
            return;
        const QString id = o.value(QLatin1String("callId")).toString();
        const qint64 last = lastSeq.value(id, 0);
        if (seq != last + 1)
            ++gaps;
        lastSeq.insert(id, seq);
        ++events;
        ++window;
    });
    QTimer report;
    int elapsed = 0;
    QObject::connect(&report, &QTimer::timeout, &app, [&] {
        std::printf("t=%ds events/s=%lld total=%lld calls=%lld gaps=%lld\n", ++elapsed, window,
                    events, qint64(lastSeq.size()), gaps);
        std::fflush(stdout);
        window = 0;
        if (elapsed >= seconds)
            QCoreApplication::quit();
    });
    report.start(1000);
    ws.open(request);
    return app.exec();
}
