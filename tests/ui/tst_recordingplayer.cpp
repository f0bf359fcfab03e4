// The recording player against the simulator: download with progress into the media cache,
// the cache used on the next open, playback (position advances headless with GStreamer), seek
// by key, slider and waveform, speed, a failed download retried from the inline message, and
// the playback engine alone on synthetic WAVs.

#include "api/pendingrequest.h"
#include "api/platform.h"
#include "api/session.h"
#include "consolefixture.h"
#include "testsupport.h"
#include "ui/messagebanner.h"
#include "ui/playbackengine.h"
#include "ui/recordingplayer.h"
#include "ui/waveformview.h"

#include <QComboBox>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>
#include <QtEndian>

using sb::ui::PlaybackEngine;
using sb::ui::RecordingPlayer;
using State = sb::ui::RecordingPlayer::State;

namespace {

// Records the paths of the requests a session starts (PendingRequest is a child of it).
class RequestWatcher : public QObject
{
public:
    explicit RequestWatcher(QObject *session)
        : m_session(session)
    {
        session->installEventFilter(this);
    }
    ~RequestWatcher() override { m_session->removeEventFilter(this); }
    QStringList paths;

protected:
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (event->type() == QEvent::ChildAdded) {
            // The child is still being constructed: read its request once it is complete.
            QPointer<QObject> child = static_cast<QChildEvent *>(event)->child();
            QMetaObject::invokeMethod(
                this,
                [this, child] {
                    if (auto *r = qobject_cast<sb::api::PendingRequest *>(child.data()))
                        paths << r->request().path;
                },
                Qt::QueuedConnection);
        }
        return false;
    }

private:
    QObject *m_session;
};

QByteArray stereoWav(int rate, int frames)
{
    QByteArray data;
    data.reserve(frames * 4);
    for (int i = 0; i < frames; ++i) {
        char raw[4];
        qToLittleEndian<qint16>(qint16((i % 100) * 200), raw);
        qToLittleEndian<qint16>(qint16(-(i % 50) * 300), raw + 2);
        data.append(raw, 4);
    }
    QByteArray h("RIFF");
    char raw[4];
    auto put32 = [&h, &raw](quint32 v) {
        qToLittleEndian(v, raw);
        h.append(raw, 4);
    };
    auto put16 = [&h, &raw](quint16 v) {
        qToLittleEndian(v, raw);
        h.append(raw, 2);
    };
    put32(quint32(36 + data.size()));
    h.append("WAVEfmt ");
    put32(16);
    put16(1);
    put16(2);
    put32(quint32(rate));
    put32(quint32(rate * 4));
    put16(4);
    put16(16);
    h.append("data");
    put32(quint32(data.size()));
    return h + data;
}

} // namespace

class TstRecordingPlayer : public QObject
{
    Q_OBJECT

private:
    ConsoleFixture m_f;
    QList<sb::api::Call> m_calls; // completed calls with a recording

    QByteArray serverRecording(const QString &callId)
    {
        QNetworkAccessManager nam;
        QUrl url = m_f.sim().baseUrl();
        url.setPath(url.path() + QStringLiteral("/calls/") + callId + QStringLiteral("/recording"));
        QNetworkRequest request(url);
        request.setRawHeader("Authorization", "Bearer " + m_f.sim().key().toUtf8());
        std::unique_ptr<QNetworkReply> reply(nam.get(request));
        if (!QTest::qWaitFor([&reply] { return reply->isFinished(); }, 60000))
            return {};
        return reply->error() == QNetworkReply::NoError ? reply->readAll() : QByteArray();
    }

    template<class T> T *child(QWidget *w, const char *name)
    {
        return w->findChild<T *>(QString::fromLatin1(name));
    }

    static QPushButton *retryButton(QWidget *banner)
    {
        const auto buttons = banner->findChildren<QPushButton *>();
        for (auto *b : buttons) {
            if (b->accessibleName() == QLatin1String("Retry"))
                return b;
        }
        return nullptr;
    }

    bool waitReady(RecordingPlayer &player)
    {
        return QTest::qWaitFor([&player] { return player.state() == State::Stopped; }, 30000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_f.start({QStringLiteral("--history-calls"), QStringLiteral("20")}),
                 qPrintable(m_f.errorString()));
        sb::api::CallFilter filter;
        filter.status = sb::api::CallStatus::Completed;
        auto pager = m_f.context().platform->calls(filter, 50);
        auto reply = pager.fetchNext();
        bool done = false;
        reply.onFinished(this,
                         [this, &done](const sb::api::Result<sb::api::Page<sb::api::Call>> &r) {
                             done = true;
                             if (!r.ok())
                                 return;
                             for (const auto &c : r.value().items) {
                                 if (!c.recordingUrl.isEmpty() && c.durationSeconds > 5)
                                     m_calls << c;
                             }
                         });
        QTRY_VERIFY_WITH_TIMEOUT(done, 30000);
        QVERIFY2(m_calls.size() >= 4, "need four completed calls with recordings");
    }

    void downloadShowsProgressAndCaches()
    {
        const auto &call = m_calls.at(0);
        RecordingPlayer player(m_f.context());
        player.resize(720, 220);
        player.show();
        QSignalSpy downloaded(&player, &RecordingPlayer::downloaded);
        player.setCall(call.id, call.durationSeconds * 1000);
        QCOMPARE(player.state(), State::NotDownloaded);
        QVERIFY(player.recordingFile().isEmpty());
        auto *downloadButton = child<QPushButton>(&player, "downloadButton");
        QVERIFY(downloadButton && downloadButton->isVisible());
        QVERIFY(!downloadButton->accessibleName().isEmpty());
        ConsoleFixture::screenshot(&player, QStringLiteral("player-not-downloaded"));

        auto *progress = child<QProgressBar>(&player, "downloadProgress");
        QList<int> seen;
        bool shot = false;
        connect(progress, &QProgressBar::valueChanged, this, [&](int v) {
            seen << v;
            if (!shot && v > 0 && v < 1000) {
                shot = true;
                ConsoleFixture::screenshot(&player, QStringLiteral("player-downloading"));
            }
        });
        QTest::mouseClick(downloadButton, Qt::LeftButton);
        QCOMPARE(player.state(), State::Downloading);
        QVERIFY(progress->isVisible());
        QVERIFY(child<QPushButton>(&player, "cancelDownloadButton")->isVisible());
        QTRY_COMPARE_WITH_TIMEOUT(downloaded.count(), 1, 60000);
        QVERIFY2(std::any_of(seen.cbegin(), seen.cend(), [](int v) { return v > 0; }),
                 "no progress shown");

        const QString path = downloaded.at(0).at(0).toString();
        QCOMPARE(player.recordingFile(), path);
        QVERIFY(path.startsWith(m_f.context().mediaCacheDir));
        const QByteArray server = serverRecording(call.id);
        QVERIFY(!server.isEmpty());
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.size(), server.size());
        QVERIFY(file.readAll() == server);

        QVERIFY(waitReady(player));
        auto *waveform = child<sb::ui::WaveformView>(&player, "waveform");
        QTRY_VERIFY_WITH_TIMEOUT(waveform->hasPeaks(), 30000);
        QVERIFY(!progress->isVisible());
        // The media's own length replaces the call's (they agree to a second).
        QTRY_VERIFY(std::abs(player.duration() - call.durationSeconds * 1000) < 1500);
        const QString time = child<QLabel>(&player, "timeLabel")->text();
        QVERIFY2(time.startsWith(QLatin1String("0:00 / ")), qPrintable(time));
        ConsoleFixture::screenshot(&player, QStringLiteral("player-ready"));
    }

    void secondOpenUsesTheCache()
    {
        const auto &call = m_calls.at(0);
        RequestWatcher requests(m_f.context().session);
        RecordingPlayer player(m_f.context());
        QSignalSpy states(&player, &RecordingPlayer::stateChanged);
        player.setCall(call.id, call.durationSeconds * 1000);
        QVERIFY(!player.recordingFile().isEmpty());
        QVERIFY(waitReady(player));
        QTRY_VERIFY(child<sb::ui::WaveformView>(&player, "waveform")->hasPeaks());
        for (const auto &args : states)
            QVERIFY(args.at(0).value<State>() != State::Downloading);
        QVERIFY2(!requests.paths.join(QLatin1Char(' ')).contains(QLatin1String("/recording")),
                 qPrintable(requests.paths.join(QLatin1Char(' '))));
        QVERIFY(QFile::exists(player.recordingFile() + QStringLiteral(".peaks")));
    }

    void playSeekAndRate()
    {
        const auto &call = m_calls.at(0);
        RecordingPlayer player(m_f.context());
        player.resize(720, 220);
        player.show();
        player.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&player));
        player.setCall(call.id, call.durationSeconds * 1000);
        QVERIFY(waitReady(player));
        auto *waveform = child<sb::ui::WaveformView>(&player, "waveform");
        QTRY_VERIFY(waveform->hasPeaks());

        auto *play = child<QToolButton>(&player, "playButton");
        QVERIFY(play->toolTip().contains(QLatin1String("Space")));
        QTest::mouseClick(play, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(player.state(), State::Playing, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(player.position() > 300, 10000);
        QCOMPARE(play->accessibleName(), QStringLiteral("Pause"));

        // Space pauses (focus inside the player).
        waveform->setFocus();
        QTest::keyClick(waveform, Qt::Key_Space);
        QTRY_COMPARE(player.state(), State::Paused);

        // Right: 5 s forward; Left: back again.
        const qint64 before = player.position();
        QTest::keyClick(waveform, Qt::Key_Right);
        QTRY_VERIFY(std::abs(player.position() - (before + 5000)) < 400);
        QTest::keyClick(waveform, Qt::Key_Left);
        QTRY_VERIFY(std::abs(player.position() - before) < 400);

        // A click in the middle of the waveform seeks to the middle of the call.
        QTest::mouseClick(waveform, Qt::LeftButton, {}, waveform->rect().center());
        const qint64 middle = waveform->timeAt(waveform->rect().center().x());
        QTRY_VERIFY(std::abs(player.position() - middle) < 400);
        QVERIFY(std::abs(middle - player.duration() / 2) < player.duration() / 20);

        // The slider follows and seeks too (Page Up: 10 s on).
        auto *slider = child<QSlider>(&player, "positionSlider");
        QTRY_VERIFY(std::abs(slider->value() - middle) < 400);
        slider->setFocus();
        QTest::keyClick(slider, Qt::Key_PageUp);
        QTRY_VERIFY(std::abs(player.position() - (middle + 10000)) < 400);
        ConsoleFixture::screenshot(&player, QStringLiteral("player-paused-middle"));

        // 2× from the combo: remembered, applied, and the position runs faster than the clock.
        auto *speed = child<QComboBox>(&player, "speedCombo");
        speed->setFocus();
        QTest::keyClick(speed, Qt::Key_End);
        QCOMPARE(speed->currentData().toDouble(), 2.0);
        QCOMPARE(player.rate(), 2.0);
        QCOMPARE(m_f.context().settings->playbackRate(), 2.0);
        player.seek(0);
        QTRY_VERIFY(player.position() < 300);
        QElapsedTimer clock;
        const qint64 start = player.position();
        player.play();
        QTRY_COMPARE_WITH_TIMEOUT(player.state(), State::Playing, 10000);
        clock.start();
        QTRY_VERIFY_WITH_TIMEOUT(player.position() - start > 3000, 10000);
        const qint64 wall = clock.elapsed();
        QVERIFY2(player.position() - start > wall * 1.3,
                 qPrintable(QStringLiteral("%1 ms of audio in %2 ms")
                                .arg(player.position() - start)
                                .arg(wall)));
        player.pause();

        RecordingPlayer another(m_f.context());
        QCOMPARE(another.rate(), 2.0);
        QCOMPARE(child<QComboBox>(&another, "speedCombo")->currentData().toDouble(), 2.0);
        another.setRate(1.0);
    }

    void failedDownloadRetries()
    {
        const auto &call = m_calls.at(1);
        const QString recordingPath =
            QStringLiteral("/v1/calls/") + call.id + QStringLiteral("/recording");
        // Four failures: the first attempt and all of the session's retries.
        const QJsonObject fault{{QStringLiteral("status"), 500},
                                {QStringLiteral("count"), 4},
                                {QStringLiteral("method"), QStringLiteral("GET")},
                                {QStringLiteral("path"), recordingPath},
                                {QStringLiteral("when"), QStringLiteral("before")}};
        QCOMPARE(sb::test::postAdmin(m_f.sim().adminUrl(), QStringLiteral("/faults"),
                                     {{QStringLiteral("failNext"), QJsonArray{fault}}}),
                 204);

        RecordingPlayer player(m_f.context());
        player.resize(720, 220);
        player.show();
        QSignalSpy errors(&player, &RecordingPlayer::errorOccurred);
        player.setCall(call.id, call.durationSeconds * 1000);
        QTest::mouseClick(child<QPushButton>(&player, "downloadButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(player.state(), State::DownloadFailed, 30000);
        QCOMPARE(errors.count(), 1);
        auto *banner = child<sb::ui::MessageBanner>(&player, "playerBanner");
        QVERIFY(banner->isVisible());
        QVERIFY2(banner->text().contains(QLatin1String("could not be downloaded")),
                 qPrintable(banner->text()));
        QVERIFY(player.recordingFile().isEmpty());
        ConsoleFixture::screenshot(&player, QStringLiteral("player-download-failed"));

        QPushButton *retry = retryButton(banner);
        QVERIFY(retry && retry->isVisible());
        QSignalSpy downloaded(&player, &RecordingPlayer::downloaded);
        QTest::mouseClick(retry, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(downloaded.count(), 1, 60000);
        QVERIFY(!banner->isVisible());
        QVERIFY(waitReady(player));
        QCOMPARE(QFileInfo(player.recordingFile()).size(), serverRecording(call.id).size());
    }

    void cancelDownload()
    {
        const auto &call = m_calls.at(2);
        // A slow body keeps the download running long enough to cancel it.
        QCOMPARE(sb::test::postAdmin(m_f.sim().adminUrl(), QStringLiteral("/faults"),
                                     {{QStringLiteral("slowBodyMs"), 20000}}),
                 204);
        RecordingPlayer player(m_f.context());
        player.show();
        player.setCall(call.id, call.durationSeconds * 1000);
        QTest::mouseClick(child<QPushButton>(&player, "downloadButton"), Qt::LeftButton);
        QCOMPARE(player.state(), State::Downloading);
        QTest::mouseClick(child<QPushButton>(&player, "cancelDownloadButton"), Qt::LeftButton);
        QTRY_COMPARE(player.state(), State::NotDownloaded);
        QVERIFY(!child<sb::ui::MessageBanner>(&player, "playerBanner")->isVisible());
        QVERIFY(player.recordingFile().isEmpty());
        QCOMPARE(sb::test::postAdmin(m_f.sim().adminUrl(), QStringLiteral("/faults"), {}), 204);
    }

    void longRecordingKeepsTheUiResponsive()
    {
        // Ten minutes in the cache as if downloaded before: the peaks of 13M frames are read
        // on a worker thread while the GUI thread keeps ticking (on the GUI thread, the gap would
        // be the whole computation: over a second in a debug build).
        const QString id = QStringLiteral("call_long_recording");
        const QString path =
            m_f.context().mediaCacheDir + QLatin1Char('/') + id + QStringLiteral(".wav");
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            QVERIFY(f.write(stereoWav(22050, 22050 * 600)) > 0); // as the simulator records
        }
        RecordingPlayer player(m_f.context());
        player.resize(720, 220);
        player.show();
        QElapsedTimer sinceTick;
        qint64 worstGap = 0;
        QTimer ticker;
        connect(&ticker, &QTimer::timeout, this,
                [&] { worstGap = std::max(worstGap, sinceTick.restart()); });
        auto *waveform = child<sb::ui::WaveformView>(&player, "waveform");
        sinceTick.start();
        ticker.start(10);
        QElapsedTimer computing;
        computing.start();
        player.setCall(id, 600000);
        QTRY_VERIFY_WITH_TIMEOUT(waveform->hasPeaks(), 60000);
        ticker.stop();
        qInfo("peaks of 10 minutes in %lld ms; longest GUI-thread gap %lld ms", computing.elapsed(),
              worstGap);
        QVERIFY2(worstGap < 500,
                 qPrintable(QStringLiteral("GUI thread stalled %1 ms").arg(worstGap)));
        QVERIFY(waitReady(player));
        QTRY_COMPARE(player.duration(), 600000);
        QCOMPARE(child<QLabel>(&player, "timeLabel")->text(), QStringLiteral("0:00 / 10:00"));
    }

    void lanesReadOnLightAndDark()
    {
        QPalette light;
        light.setColor(QPalette::Base, Qt::white);
        QPalette dark;
        dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
        for (const QPalette &pal : {light, dark}) {
            const int base = pal.color(QPalette::Base).lightness();
            for (auto lane :
                 {sb::ui::WaveformView::Lane::Agent, sb::ui::WaveformView::Lane::Caller})
                QVERIFY(std::abs(sb::ui::WaveformView::laneColor(lane, pal).lightness() - base) >
                        80);
        }
        const auto agent = sb::ui::WaveformView::laneColor(sb::ui::WaveformView::Lane::Agent, dark);
        const auto caller =
            sb::ui::WaveformView::laneColor(sb::ui::WaveformView::Lane::Caller, dark);
        QVERIFY(std::abs(agent.hue() - caller.hue()) > 90);

        // A look at the dark variant.
        const auto &call = m_calls.at(0);
        RecordingPlayer player(m_f.context());
        QPalette darkWidgets = dark;
        darkWidgets.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
        darkWidgets.setColor(QPalette::WindowText, QColor(0xe0, 0xe0, 0xe0));
        darkWidgets.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
        darkWidgets.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
        darkWidgets.setColor(QPalette::ButtonText, QColor(0xe0, 0xe0, 0xe0));
        player.setPalette(darkWidgets);
        player.setAutoFillBackground(true);
        player.resize(720, 220);
        player.show();
        player.setCall(call.id, call.durationSeconds * 1000);
        QVERIFY(waitReady(player));
        QTRY_VERIFY(child<sb::ui::WaveformView>(&player, "waveform")->hasPeaks());
        player.seek(player.duration() / 3);
        ConsoleFixture::screenshot(&player, QStringLiteral("player-dark"));
    }

    void accessibleNamesEverywhere()
    {
        RecordingPlayer player(m_f.context());
        player.show();
        player.setCall(m_calls.at(3).id, m_calls.at(3).durationSeconds * 1000);
        QList<QWidget *> controls;
        for (auto *w : player.findChildren<QAbstractButton *>())
            controls << w;
        for (auto *w : player.findChildren<QAbstractSlider *>())
            controls << w;
        for (auto *w : player.findChildren<QComboBox *>())
            controls << w;
        for (auto *w : player.findChildren<QProgressBar *>())
            controls << w;
        controls << child<sb::ui::WaveformView>(&player, "waveform");
        QVERIFY(controls.size() >= 9);
        for (auto *w : controls)
            QVERIFY2(!w->accessibleName().isEmpty(), w->metaObject()->className());
        bool speedHasBuddy = false;
        for (auto *label : player.findChildren<QLabel *>()) {
            QVERIFY2(label->accessibleName().isEmpty(), qPrintable(label->text()));
            speedHasBuddy |= label->buddy() == child<QComboBox>(&player, "speedCombo");
        }
        QVERIFY(speedHasBuddy);
        for (auto *action : player.playerActions())
            QVERIFY2(action->shortcut().isEmpty() ||
                         action->toolTip().contains(
                             action->shortcut().toString(QKeySequence::NativeText)),
                     qPrintable(action->toolTip()));
    }

    void unavailableShowsTheReason()
    {
        RecordingPlayer player(m_f.context());
        player.show();
        player.setUnavailable(m_calls.at(3).id, QStringLiteral("This call has no recording."));
        QCOMPARE(player.state(), State::Unavailable);
        QCOMPARE(child<sb::ui::WaveformView>(&player, "waveform")->message(),
                 QStringLiteral("This call has no recording."));
        QVERIFY(!child<QPushButton>(&player, "downloadButton")->isVisible());
        QVERIFY(!child<QToolButton>(&player, "playButton")->isEnabled());
        QVERIFY(!child<QSlider>(&player, "positionSlider")->isEnabled());
        // The recording became ready: the same call can now be set.
        player.setCall(m_calls.at(3).id, m_calls.at(3).durationSeconds * 1000);
        QCOMPARE(player.state(), State::NotDownloaded);
    }

    void spaceDownloadsAndPlays()
    {
        const auto &call = m_calls.at(3);
        RecordingPlayer player(m_f.context());
        player.resize(720, 220);
        player.show();
        player.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&player));
        player.setCall(call.id, call.durationSeconds * 1000);
        QCOMPARE(player.state(), State::NotDownloaded);
        auto *download = child<QPushButton>(&player, "downloadButton");
        download->setFocus();
        QTest::keyClick(download, Qt::Key_Space);
        QCOMPARE(player.state(), State::Downloading);
        QTRY_COMPARE_WITH_TIMEOUT(player.state(), State::Playing, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(player.position() > 200, 10000);
        player.pause();
        QTRY_COMPARE(player.state(), State::Paused);
    }

    void engineHeadless()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("tone.wav"));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(stereoWav(8000, 8000 * 2)); // 2 s
        }
        PlaybackEngine engine;
        QSignalSpy states(&engine, &PlaybackEngine::stateChanged);
        engine.play(); // nothing loaded: ignored
        QCOMPARE(engine.state(), PlaybackEngine::State::Empty);
        engine.load(path);
        QCOMPARE(engine.state(), PlaybackEngine::State::Loading);
        engine.seek(500); // while loading: kept and applied once loaded
        QCOMPARE(engine.position(), 500);
        engine.play(); // likewise
        QTRY_COMPARE_WITH_TIMEOUT(engine.state(), PlaybackEngine::State::Playing, 10000);
        // Started from the seek target, not from 0 (the first reports come within 100 ms).
        QList<qint64> reported;
        connect(&engine, &PlaybackEngine::positionChanged, this,
                [&](qint64 ms) { reported << ms; });
        QTRY_VERIFY(reported.size() >= 2);
        QVERIFY2(reported.at(1) >= 450, qPrintable(QString::number(reported.at(1))));
        QTRY_COMPARE_WITH_TIMEOUT(engine.duration(), 2000, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(engine.position() > 600, 10000);
        // The end is a stop at the end; play() starts over.
        QTRY_COMPARE_WITH_TIMEOUT(engine.state(), PlaybackEngine::State::Stopped, 10000);
        QCOMPARE(engine.position(), 2000);
        engine.play();
        QTRY_COMPARE(engine.state(), PlaybackEngine::State::Playing);
        QVERIFY(engine.position() < 1000);
        engine.pause();
        QTRY_COMPARE(engine.state(), PlaybackEngine::State::Paused);
        engine.seek(1500);
        QTRY_VERIFY(std::abs(engine.position() - 1500) < 100);

        // A seek while stopped is where playing starts.
        engine.load(path);
        QTRY_COMPARE_WITH_TIMEOUT(engine.state(), PlaybackEngine::State::Stopped, 10000);
        engine.seek(1200);
        QCOMPARE(engine.position(), 1200);
        reported.clear();
        engine.play();
        QTRY_VERIFY(reported.size() >= 2);
        QVERIFY2(reported.at(1) >= 1150, qPrintable(QString::number(reported.at(1))));
    }

    void engineRejectsBadFiles()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("bad.wav"));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray(4096, 'x'));
        }
        PlaybackEngine engine;
        QSignalSpy errors(&engine, &PlaybackEngine::errorOccurred);
        engine.load(path);
        engine.play();
        QTRY_COMPARE_WITH_TIMEOUT(engine.state(), PlaybackEngine::State::Error, 10000);
        QVERIFY(!engine.errorString().isEmpty());
        engine.load(dir.filePath(QStringLiteral("missing.wav")));
        QCOMPARE(engine.state(), PlaybackEngine::State::Error);
    }

    void badCachedFileShowsErrorWithRetry()
    {
        // A damaged file in the cache (a disk error, a foreign file): the waveform says why,
        // playback reports the error inline, and Retry replaces it with a fresh download.
        const auto &call = m_calls.at(2);
        RecordingPlayer probe(m_f.context());
        probe.setCall(call.id, 0);
        QVERIFY(probe.recordingFile().isEmpty());
        const QString path =
            m_f.context().mediaCacheDir + QLatin1Char('/') + call.id + QStringLiteral(".wav");
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray(4096, 'x'));
        }
        RecordingPlayer player(m_f.context());
        player.resize(720, 220);
        player.show();
        player.setCall(call.id, call.durationSeconds * 1000);
        auto *waveform = child<sb::ui::WaveformView>(&player, "waveform");
        QTRY_VERIFY(waveform->message().contains(QLatin1String("not a WAV")));
        QTRY_COMPARE_WITH_TIMEOUT(player.state(), State::Error, 10000);
        auto *banner = child<sb::ui::MessageBanner>(&player, "playerBanner");
        QVERIFY(banner->isVisible());
        ConsoleFixture::screenshot(&player, QStringLiteral("player-bad-file"));
        QSignalSpy downloaded(&player, &RecordingPlayer::downloaded);
        QTest::mouseClick(retryButton(banner), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(downloaded.count(), 1, 60000);
        QVERIFY(waitReady(player));
        QTRY_VERIFY(waveform->hasPeaks());
    }
};

QTEST_MAIN(TstRecordingPlayer)
#include "tst_recordingplayer.moc"
