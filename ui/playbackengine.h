#pragma once

#include <QObject>
#include <QString>

class QAudioOutput;
class QMediaPlayer;

namespace sb::ui {

//! Playback of one local audio file as a small state machine over QMediaPlayer and
//! QAudioOutput: requests made while the file is still opening (play, seek, rate) are kept and
//! applied once it is loaded, the end of the media is a stop at the end, and play() after the
//! end starts over.
class PlaybackEngine : public QObject
{
    Q_OBJECT
public:
    enum class State {
        Empty,   //!< nothing loaded
        Loading, //!< opening the file
        Stopped, //!< loaded, not playing (at the start, a seek target or the end)
        Playing,
        Paused,
        Error, //!< errorString() says why; load() again to recover
    };
    Q_ENUM(State)

    explicit PlaybackEngine(QObject *parent = nullptr);
    ~PlaybackEngine() override;

    void load(const QString &filePath);
    void unload();
    QString filePath() const { return m_path; }

    void play();
    void pause();
    //! Clamped to the media; before the media is loaded it becomes the start position.
    void seek(qint64 ms);
    void setRate(double rate);

    State state() const { return m_state; }
    qint64 position() const;
    qint64 duration() const { return m_duration; }
    double rate() const { return m_rate; }
    QString errorString() const { return m_error; }

    //! False when play() would crash Qt 6.4: the FFmpeg backend without any audio output
    //! (GStreamer falls back to a fake sink and plays in real time; toolchain.md §4).
    static bool playbackSafe();

Q_SIGNALS:
    void stateChanged(sb::ui::PlaybackEngine::State state);
    void positionChanged(qint64 ms);
    void durationChanged(qint64 ms);
    void errorOccurred(const QString &message);

private:
    void setState(State state);
    void fail(const QString &message);
    void onMediaStatus();
    void onPlaybackState();
    void onDuration(qint64 ms);

    QMediaPlayer *m_player;
    QAudioOutput *m_output;
    QString m_path;
    QString m_error;
    State m_state = State::Empty;
    qint64 m_duration = 0;
    qint64 m_pendingSeek = -1; //!< asked while loading
    qint64 m_seekOnPlay = -1;  //!< asked while stopped: applied when playing starts
    bool m_playWhenLoaded = false;
    bool m_atEnd = false; //!< EndOfMedia seen and no seek since: play() starts over
    double m_rate = 1.0;
};

} // namespace sb::ui
