#pragma once

// RecordingPlayer's widgets, shared by recordingplayer.cpp (behaviour) and
// recordingplayer_ui.cpp (building and updating the widgets).

#include "models/waveformpeaks.h"
#include "recordingplayer.h"

#include <QFutureWatcher>
#include <QIcon>

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSlider;
class QToolButton;

namespace sb::ui {

class MessageBanner;
class WaveformView;

struct RecordingPlayer::Ui
{
    MessageBanner *banner = nullptr;
    WaveformView *waveform = nullptr;
    QToolButton *playButton = nullptr;
    QToolButton *backButton = nullptr;
    QToolButton *forwardButton = nullptr;
    QSlider *slider = nullptr;
    QLabel *time = nullptr;
    QLabel *speedLabel = nullptr;
    QComboBox *speed = nullptr;
    QWidget *downloadRow = nullptr;
    QLabel *downloadStatus = nullptr;
    QProgressBar *progress = nullptr;
    QPushButton *downloadButton = nullptr;
    QPushButton *cancelButton = nullptr;
    QAction *playAction = nullptr;
    QAction *backAction = nullptr;
    QAction *forwardAction = nullptr;
    QAction *downloadAction = nullptr;
    QIcon playIcon;
    QIcon pauseIcon;
    QFutureWatcher<sb::models::WaveformPeaksResult> *peaksWatcher = nullptr;
    sb::models::waveform::CancelFlag peaksCancel;
};

//! "m:ss" or "h:mm:ss".
QString formatPlaybackTime(qint64 ms);

} // namespace sb::ui
