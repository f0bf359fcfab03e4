#pragma once

#include "consolecontext.h"

#include <QWidget>

#include <functional>
#include <memory>

class QAction;

namespace sb::ui {

class PlaybackEngine;

//! Player for one call's stereo recording (agent left, caller right): downloads it into the
//! profile's media cache with progress, plays it with speed and seek, and shows a two-lane
//! waveform whose peaks are computed off the GUI thread.
class RecordingPlayer : public QWidget
{
    Q_OBJECT
public:
    //! What the player is doing (reported by stateChanged()).
    enum class State {
        Empty,          //!< no call set
        Unavailable,    //!< the platform has no recordings or the call has none
        NotDownloaded,  //!< "Download recording" offered
        Downloading,    //!< progress shown, cancelable
        DownloadFailed, //!< inline message with Retry
        Loading,        //!< file present, media being opened
        Stopped,        //!< ready: at the start, at a seek target or at the end
        Playing,
        Paused,
        Error, //!< the file does not play: inline message, Retry downloads a fresh copy
    };
    Q_ENUM(State)

    RecordingPlayer(const ConsoleContext &context, QWidget *parent = nullptr);
    ~RecordingPlayer() override;

    //! Shows \a callId's recording: starts at once from the cache when the file is there,
    //! otherwise offers to download it. \a durationMs (from the call) labels the total time
    //! until the media reports its own; 0 when unknown.
    void setCall(const QString &callId, qint64 durationMs);
    //! Stops playback, cancels a download and shows nothing.
    void clear();
    //! Marks the call as having no recording (a call still running, a failed call).
    void setUnavailable(const QString &callId, const QString &reason);

    QString callId() const { return m_callId; }
    //! Path of the downloaded recording; empty until it is on disk.
    QString recordingFile() const;
    State state() const { return m_state; }
    qint64 position() const;
    qint64 duration() const;
    double rate() const { return m_rate; }

    //! Play/pause (Space), back and forward 5 s (Left/Right), download (no shortcut): for a
    //! pane's toolbar or menu. Shortcuts are widget-with-children scoped to the player.
    QList<QAction *> playerActions() const;

public Q_SLOTS:
    void download();
    void cancelDownload();
    void play();
    void pause();
    void togglePlayback();
    void seek(qint64 ms);
    //! Clamped to 0.5–2.0; remembered in Settings::playbackRate().
    void setRate(double rate);

Q_SIGNALS:
    void positionChanged(qint64 ms);
    void downloaded(const QString &path);
    void stateChanged(sb::ui::RecordingPlayer::State state);
    void errorOccurred(const QString &message);

protected:
    void changeEvent(QEvent *event) override;

private:
    struct Ui;
    void buildUi();
    void setState(State state);
    void startDownload();
    void openFile(const QString &path);
    void loadPeaks(const QString &path);
    void onPeaksReady();
    void retry();
    void updateTime();
    void updateActions();
    void refreshIcons();
    void showError(State state, const QString &message);
    QString cachePathFor(const QString &callId) const;

    ConsoleContext m_context;
    std::unique_ptr<Ui> m_ui;
    PlaybackEngine *m_engine = nullptr;
    QString m_callId;
    qint64 m_callDurationMs = 0;
    State m_state = State::Empty;
    double m_rate = 1.0;
    bool m_playWhenDownloaded = false;      //!< play() asked before the file was there
    quint64 m_generation = 0;               //!< bumps per setCall/clear so late replies are ignored
    std::function<void()> m_cancelDownload; //!< set while a download runs
};

} // namespace sb::ui
