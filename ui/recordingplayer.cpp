#include "recordingplayer.h"

#include "api/platform.h"
#include "messagebanner.h"
#include "models/settings.h"
#include "models/waveformpeaks.h"
#include "playbackengine.h"
#include "recordingplayer_p.h"
#include "waveformview.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QLocale>
#include <QLoggingCategory>
#include <QProgressBar>
#include <QRegularExpression>
#include <QSlider>

#include <algorithm>

namespace sb::ui {

Q_LOGGING_CATEGORY(lcPlayer, "switchboard.ui")

RecordingPlayer::RecordingPlayer(const ConsoleContext &context, QWidget *parent)
    : QWidget(parent)
    , m_context(context)
    , m_ui(std::make_unique<Ui>())
    , m_engine(new PlaybackEngine(this))
{
    if (m_context.settings)
        m_rate = std::clamp(m_context.settings->playbackRate(), 0.5, 2.0);
    m_engine->setRate(m_rate);
    buildUi();

    connect(m_engine, &PlaybackEngine::stateChanged, this, [this](PlaybackEngine::State s) {
        switch (s) {
        case PlaybackEngine::State::Empty:
            break;
        case PlaybackEngine::State::Loading:
            setState(State::Loading);
            break;
        case PlaybackEngine::State::Stopped:
            setState(State::Stopped);
            break;
        case PlaybackEngine::State::Playing:
            setState(State::Playing);
            break;
        case PlaybackEngine::State::Paused:
            setState(State::Paused);
            break;
        case PlaybackEngine::State::Error:
            showError(State::Error, m_engine->errorString());
            break;
        }
    });
    connect(m_engine, &PlaybackEngine::positionChanged, this, [this](qint64 ms) {
        updateTime();
        Q_EMIT positionChanged(ms);
    });
    connect(m_engine, &PlaybackEngine::durationChanged, this, [this] { updateTime(); });
    setState(State::Empty);
}

RecordingPlayer::~RecordingPlayer()
{
    // The engine reports while stopping; m_ui must not be reached from there any more.
    m_engine->disconnect(this);
    delete m_engine;
    if (m_cancelDownload)
        m_cancelDownload();
    if (m_ui->peaksCancel)
        m_ui->peaksCancel->store(true);
}

QList<QAction *> RecordingPlayer::playerActions() const
{
    return {m_ui->playAction, m_ui->backAction, m_ui->forwardAction, m_ui->downloadAction};
}

QString RecordingPlayer::cachePathFor(const QString &callId) const
{
    // Ids come from the server: keep only characters that are safe in any file name.
    QString safe = callId;
    safe.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_.-]")), QStringLiteral("_"));
    return QDir(m_context.mediaCacheDir).filePath(safe + QStringLiteral(".wav"));
}

QString RecordingPlayer::recordingFile() const
{
    if (m_callId.isEmpty())
        return {};
    const QString path = cachePathFor(m_callId);
    return QFileInfo::exists(path) ? path : QString();
}

qint64 RecordingPlayer::position() const
{
    return m_engine->position();
}

qint64 RecordingPlayer::duration() const
{
    if (m_engine->duration() > 0)
        return m_engine->duration();
    if (m_ui->waveform->hasPeaks())
        return m_ui->waveform->duration();
    return m_callDurationMs;
}

void RecordingPlayer::setCall(const QString &callId, qint64 durationMs)
{
    if (callId == m_callId && m_state != State::Empty && m_state != State::Unavailable)
        return;
    clear();
    m_callId = callId;
    m_callDurationMs = std::max<qint64>(0, durationMs);
    if (callId.isEmpty())
        return;
    if (m_context.platform && !m_context.platform->can(sb::api::Platform::Capability::Recordings)) {
        setUnavailable(callId, m_context.platform->unsupportedReason(
                                   sb::api::Platform::Capability::Recordings));
        return;
    }
    const QString path = cachePathFor(callId);
    if (QFileInfo(path).isFile()) {
        openFile(path);
        return;
    }
    m_ui->waveform->clearPeaks(tr("Download the recording to see its waveform."));
    setState(State::NotDownloaded);
    updateTime(); // the call's length until the media says otherwise
}

void RecordingPlayer::setUnavailable(const QString &callId, const QString &reason)
{
    clear();
    m_callId = callId;
    m_ui->waveform->clearPeaks(reason);
    setState(State::Unavailable);
}

void RecordingPlayer::clear()
{
    ++m_generation;
    if (m_cancelDownload) {
        auto cancel = std::move(m_cancelDownload);
        m_cancelDownload = nullptr;
        cancel();
    }
    if (m_ui->peaksCancel)
        m_ui->peaksCancel->store(true);
    m_ui->peaksCancel.reset();
    m_engine->unload();
    m_ui->banner->hide();
    m_ui->waveform->clearPeaks(QString());
    m_ui->waveform->setDuration(0);
    m_ui->waveform->setPosition(0);
    m_ui->downloadStatus->clear();
    m_callId.clear();
    m_callDurationMs = 0;
    m_playWhenDownloaded = false;
    setState(State::Empty);
}

void RecordingPlayer::download()
{
    if (m_callId.isEmpty() || m_state == State::Downloading || !m_context.platform)
        return;
    m_ui->banner->hide();
    const QString path = cachePathFor(m_callId);
    if (QFileInfo(path).isFile()) {
        openFile(path);
        return;
    }
    startDownload();
}

void RecordingPlayer::startDownload()
{
    const QString path = cachePathFor(m_callId);
    if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
        showError(State::DownloadFailed,
                  tr("The media folder %1 cannot be created.").arg(m_context.mediaCacheDir));
        return;
    }
    const quint64 generation = m_generation;
    const auto reply = m_context.platform->downloadRecording(m_callId, path);
    m_cancelDownload = [reply] { reply.cancel(); };
    m_ui->progress->setRange(0, 0);
    m_ui->downloadStatus->setText(tr("Downloading the recording…"));
    setState(State::Downloading);
    reply.onProgress(this, [this, generation](qint64 done, qint64 total) {
        if (generation != m_generation)
            return;
        const QLocale locale;
        if (total > 0) {
            m_ui->progress->setRange(0, 1000);
            m_ui->progress->setValue(int(std::clamp<qint64>(done * 1000 / total, 0, 1000)));
            m_ui->downloadStatus->setText(
                tr("Downloading the recording: %1 of %2")
                    .arg(locale.formattedDataSize(done), locale.formattedDataSize(total)));
        } else {
            m_ui->downloadStatus->setText(
                tr("Downloading the recording: %1").arg(locale.formattedDataSize(done)));
        }
    });
    reply.onFinished(this, [this, generation, path](const sb::api::Result<QString> &result) {
        if (generation != m_generation)
            return;
        m_cancelDownload = nullptr;
        if (result.ok()) {
            qCInfo(lcPlayer) << "recording downloaded" << QFileInfo(path).size() << "bytes";
            Q_EMIT downloaded(path);
            openFile(path);
            if (std::exchange(m_playWhenDownloaded, false))
                m_engine->play(); // kept by the engine until the file is loaded
            return;
        }
        m_playWhenDownloaded = false;
        if (result.error().kind == sb::api::ApiError::Kind::Canceled) {
            m_ui->downloadStatus->setText(tr("Download canceled."));
            setState(State::NotDownloaded);
            return;
        }
        showError(State::DownloadFailed,
                  tr("The recording could not be downloaded: %1").arg(result.error().caption()));
    });
}

void RecordingPlayer::cancelDownload()
{
    if (m_cancelDownload)
        m_cancelDownload(); // finishes with Kind::Canceled: back to NotDownloaded
}

void RecordingPlayer::openFile(const QString &path)
{
    m_ui->downloadStatus->clear();
    loadPeaks(path);
    m_engine->load(path);
    updateTime();
}

void RecordingPlayer::loadPeaks(const QString &path)
{
    if (m_ui->peaksCancel)
        m_ui->peaksCancel->store(true);
    m_ui->peaksCancel = std::make_shared<std::atomic_bool>(false);
    m_ui->waveform->clearPeaks(tr("Computing the waveform…"));
    // Never on the GUI thread: a 10-minute recording is 50 MB of samples.
    m_ui->peaksWatcher->setFuture(sb::models::waveform::loadAsync(path, m_ui->peaksCancel));
}

void RecordingPlayer::onPeaksReady()
{
    const auto result = m_ui->peaksWatcher->result();
    if (result.canceled)
        return;
    if (!result.error.isEmpty()) {
        // The waveform is an aid: playback may still work, so this is no banner.
        m_ui->waveform->clearPeaks(tr("No waveform: %1").arg(result.error));
        return;
    }
    m_ui->waveform->setPeaks(result.peaks);
    updateTime();
}

void RecordingPlayer::retry()
{
    m_ui->banner->hide();
    // A file that does not play is replaced by a fresh copy; a failed download starts again.
    if (m_state == State::Error) {
        const QString path = cachePathFor(m_callId);
        m_engine->unload();
        QFile::remove(path);
        QFile::remove(sb::models::waveform::cachePath(path));
    }
    download();
}

void RecordingPlayer::play()
{
    if (m_state == State::NotDownloaded || m_state == State::DownloadFailed) {
        // Nothing to play yet: get the file and start once it is there.
        m_playWhenDownloaded = true;
        download();
        return;
    }
    m_engine->play();
}

void RecordingPlayer::pause()
{
    m_engine->pause();
}

void RecordingPlayer::togglePlayback()
{
    if (m_state == State::Playing)
        pause();
    else
        play();
}

void RecordingPlayer::seek(qint64 ms)
{
    const qint64 total = duration();
    ms = std::clamp<qint64>(ms, 0, std::max<qint64>(0, total));
    m_engine->seek(ms);
    updateTime();
}

void RecordingPlayer::setRate(double rate)
{
    rate = std::clamp(rate, 0.5, 2.0);
    m_rate = rate;
    m_engine->setRate(rate);
    if (m_context.settings)
        m_context.settings->setPlaybackRate(rate);
    for (int i = 0; i < m_ui->speed->count(); ++i) {
        if (qFuzzyCompare(m_ui->speed->itemData(i).toDouble(), rate))
            m_ui->speed->setCurrentIndex(i);
    }
}

void RecordingPlayer::setState(State state)
{
    const bool changed = m_state != state;
    m_state = state;
    updateActions();
    if (changed)
        Q_EMIT stateChanged(state);
}

void RecordingPlayer::showError(State state, const QString &message)
{
    qCWarning(lcPlayer) << "recording player:" << message;
    m_ui->banner->showMessage(MessageBanner::Kind::Error, message, true);
    if (state == State::DownloadFailed)
        m_ui->downloadStatus->setText(tr("The recording is not downloaded."));
    setState(state);
    Q_EMIT errorOccurred(message);
}

} // namespace sb::ui
