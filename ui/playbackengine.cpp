#include "playbackengine.h"

#include <QAudioDevice> // before QAudioOutput: its 6.4 header uses QAudioDevice incomplete
#include <QAudioOutput>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QMediaDevices>
#include <QMediaPlayer>
#include <QTimer>
#include <QUrl>

#include <algorithm>
#include <utility>

namespace sb::ui {

Q_LOGGING_CATEGORY(lcPlayback, "switchboard.media")

PlaybackEngine::PlaybackEngine(QObject *parent)
    : QObject(parent)
    , m_player(new QMediaPlayer(this))
    , m_output(new QAudioOutput(this))
{
    m_player->setAudioOutput(m_output);
    connect(m_player, &QMediaPlayer::mediaStatusChanged, this, &PlaybackEngine::onMediaStatus);
    connect(m_player, &QMediaPlayer::playbackStateChanged, this, &PlaybackEngine::onPlaybackState);
    connect(m_player, &QMediaPlayer::durationChanged, this, &PlaybackEngine::onDuration);
    connect(m_player, &QMediaPlayer::positionChanged, this, [this](qint64 ms) {
        // After the end the backend may report 0 or a little less than the end: the position
        // stays at the end until someone seeks or plays again.
        if (!m_atEnd && m_state != State::Loading)
            Q_EMIT positionChanged(ms);
    });
    connect(m_player, &QMediaPlayer::errorOccurred, this,
            [this](QMediaPlayer::Error error, const QString &text) {
                if (error != QMediaPlayer::NoError)
                    fail(tr("The recording cannot be played: %1").arg(text));
            });
}

PlaybackEngine::~PlaybackEngine()
{
    // Stop the pipeline before the output goes away (children are deleted in creation order),
    // without telling anyone: stopping reports a position, and our owner may be half destroyed.
    m_player->disconnect(this);
    m_player->stop();
}

bool PlaybackEngine::playbackSafe()
{
    return qEnvironmentVariable("QT_MEDIA_BACKEND") != QLatin1String("ffmpeg") ||
           !QMediaDevices::audioOutputs().isEmpty();
}

void PlaybackEngine::load(const QString &filePath)
{
    unload();
    m_path = filePath;
    if (!QFileInfo(filePath).isFile()) {
        fail(tr("The recording file is missing."));
        return;
    }
    setState(State::Loading);
    m_player->setPlaybackRate(m_rate);
    m_player->setSource(QUrl::fromLocalFile(filePath));
}

void PlaybackEngine::unload()
{
    m_playWhenLoaded = false;
    m_pendingSeek = -1;
    m_seekOnPlay = -1;
    m_atEnd = false;
    m_error.clear();
    m_path.clear();
    m_player->stop();
    m_player->setSource(QUrl());
    if (m_duration != 0) {
        m_duration = 0;
        Q_EMIT durationChanged(0);
    }
    setState(State::Empty);
}

void PlaybackEngine::play()
{
    switch (m_state) {
    case State::Empty:
    case State::Error:
        return;
    case State::Loading:
        m_playWhenLoaded = true;
        return;
    case State::Playing:
        return;
    case State::Stopped:
    case State::Paused:
        break;
    }
    if (!playbackSafe()) {
        fail(tr("No audio output device is available."));
        return;
    }
    if (m_atEnd) {
        m_atEnd = false;
        m_seekOnPlay = 0;
        Q_EMIT positionChanged(0);
    }
    m_player->play();
}

void PlaybackEngine::pause()
{
    if (m_state == State::Loading)
        m_playWhenLoaded = false;
    else if (m_state == State::Playing)
        m_player->pause();
}

void PlaybackEngine::seek(qint64 ms)
{
    ms = std::max<qint64>(0, ms);
    if (m_duration > 0)
        ms = std::min(ms, m_duration);
    if (m_state == State::Loading) {
        m_pendingSeek = ms;
        Q_EMIT positionChanged(ms);
        return;
    }
    if (m_state == State::Empty || m_state == State::Error)
        return;
    m_atEnd = false;
    // GStreamer (6.4) starts a stopped pipeline from 0 whatever was set before: keep the
    // target and apply it once playing.
    if (m_state == State::Stopped)
        m_seekOnPlay = ms;
    m_player->setPosition(ms);
    Q_EMIT positionChanged(ms);
}

void PlaybackEngine::setRate(double rate)
{
    m_rate = std::clamp(rate, 0.5, 2.0);
    m_player->setPlaybackRate(m_rate);
}

qint64 PlaybackEngine::position() const
{
    if (m_atEnd)
        return m_duration;
    if (m_state == State::Loading)
        return std::max<qint64>(0, m_pendingSeek);
    if (m_seekOnPlay >= 0)
        return m_seekOnPlay;
    return m_player->position();
}

void PlaybackEngine::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    qCDebug(lcPlayback) << "playback" << state;
    Q_EMIT stateChanged(state);
}

void PlaybackEngine::fail(const QString &message)
{
    // GStreamer reports one broken file twice (an error, then InvalidMedia with a vaguer
    // text): the first says more.
    if (m_state == State::Error)
        return;
    m_playWhenLoaded = false;
    m_error = message;
    qCWarning(lcPlayback) << "playback failed:" << message;
    setState(State::Error);
    Q_EMIT errorOccurred(message);
}

void PlaybackEngine::onMediaStatus()
{
    switch (m_player->mediaStatus()) {
    case QMediaPlayer::LoadedMedia:
    case QMediaPlayer::BufferingMedia:
    case QMediaPlayer::BufferedMedia:
        if (m_state == State::Loading) {
            m_player->setPlaybackRate(m_rate);
            if (m_pendingSeek > 0)
                m_seekOnPlay = m_pendingSeek;
            m_pendingSeek = -1;
            setState(State::Stopped);
            if (m_playWhenLoaded) {
                m_playWhenLoaded = false;
                play();
            }
        }
        break;
    case QMediaPlayer::EndOfMedia:
        m_atEnd = true;
        Q_EMIT positionChanged(m_duration);
        setState(State::Stopped);
        break;
    case QMediaPlayer::InvalidMedia:
        fail(tr("The recording cannot be played: %1").arg(m_player->errorString()));
        break;
    case QMediaPlayer::NoMedia:
    case QMediaPlayer::LoadingMedia:
    case QMediaPlayer::StalledMedia:
        break;
    }
}

void PlaybackEngine::onPlaybackState()
{
    if (m_state == State::Empty || m_state == State::Error || m_state == State::Loading)
        return;
    switch (m_player->playbackState()) {
    case QMediaPlayer::PlayingState:
        if (m_seekOnPlay >= 0) {
            QTimer::singleShot(0, this, [this] {
                if (m_seekOnPlay >= 0 && m_state == State::Playing)
                    m_player->setPosition(std::exchange(m_seekOnPlay, -1));
            });
        }
        setState(State::Playing);
        break;
    case QMediaPlayer::PausedState:
        m_seekOnPlay = -1; // a paused pipeline seeks itself
        setState(State::Paused);
        break;
    case QMediaPlayer::StoppedState:
        setState(State::Stopped);
        break;
    }
}

void PlaybackEngine::onDuration(qint64 ms)
{
    if (ms == m_duration || m_state == State::Empty)
        return;
    m_duration = ms;
    Q_EMIT durationChanged(ms);
}

} // namespace sb::ui
