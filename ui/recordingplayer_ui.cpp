// Building RecordingPlayer's widgets and keeping them in step with its state.

#include "icons.h"
#include "messagebanner.h"
#include "recordingplayer_p.h"
#include "waveformview.h"

#include <QAction>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSlider>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <climits>

namespace sb::ui {

namespace {

constexpr qint64 kStepMs = 5000;
constexpr double kRates[] = {0.5, 0.75, 1.0, 1.25, 1.5, 2.0};

} // namespace

QString formatPlaybackTime(qint64 ms)
{
    const qint64 s = std::max<qint64>(0, ms) / 1000;
    if (s >= 3600)
        return QStringLiteral("%1:%2:%3")
            .arg(s / 3600)
            .arg((s / 60) % 60, 2, 10, QLatin1Char('0'))
            .arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

void RecordingPlayer::buildUi()
{
    auto &ui = *m_ui;
    ui.banner = new MessageBanner(this);
    ui.banner->hide();
    ui.banner->setObjectName(QStringLiteral("playerBanner"));
    connect(ui.banner, &MessageBanner::retryRequested, this, &RecordingPlayer::retry);

    ui.waveform = new WaveformView(this);
    ui.waveform->setObjectName(QStringLiteral("waveform"));
    connect(ui.waveform, &WaveformView::seekRequested, this, &RecordingPlayer::seek);

    auto makeAction = [this](const QString &text, const QKeySequence &key) {
        auto *a = new QAction(text, this);
        a->setShortcut(key);
        // Live only while focus is in the player, so Space still types in the pane's editors.
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        a->setToolTip(tr("%1 (%2)").arg(text, key.toString(QKeySequence::NativeText)));
        addAction(a);
        return a;
    };
    ui.playAction = makeAction(tr("Play"), QKeySequence(Qt::Key_Space));
    ui.backAction = makeAction(tr("Back 5 seconds"), QKeySequence(Qt::Key_Left));
    ui.forwardAction = makeAction(tr("Forward 5 seconds"), QKeySequence(Qt::Key_Right));
    ui.downloadAction = new QAction(tr("Download recording"), this);
    connect(ui.playAction, &QAction::triggered, this, &RecordingPlayer::togglePlayback);
    connect(ui.backAction, &QAction::triggered, this, [this] { seek(position() - kStepMs); });
    connect(ui.forwardAction, &QAction::triggered, this, [this] { seek(position() + kStepMs); });
    connect(ui.downloadAction, &QAction::triggered, this, &RecordingPlayer::download);

    auto makeButton = [this](QAction *action) {
        auto *b = new QToolButton(this);
        b->setDefaultAction(action);
        b->setAutoRaise(true);
        b->setAccessibleName(action->text());
        return b;
    };
    ui.playButton = makeButton(ui.playAction);
    ui.playButton->setObjectName(QStringLiteral("playButton"));
    ui.backButton = makeButton(ui.backAction);
    ui.forwardButton = makeButton(ui.forwardAction);

    ui.slider = new QSlider(Qt::Horizontal, this);
    ui.slider->setObjectName(QStringLiteral("positionSlider"));
    ui.slider->setAccessibleName(tr("Playback position"));
    ui.slider->setSingleStep(int(kStepMs));
    ui.slider->setPageStep(int(kStepMs * 2));
    connect(ui.slider, &QSlider::sliderReleased, this, [this] { seek(m_ui->slider->value()); });
    connect(ui.slider, &QSlider::actionTriggered, this, [this](int action) {
        // Clicks on the groove and keys: seek to where the slider will be. Dragging seeks once,
        // on release, so the media is not asked to seek for every pixel.
        if (action != QAbstractSlider::SliderMove)
            seek(m_ui->slider->sliderPosition());
    });

    ui.time = new QLabel(this);
    ui.time->setObjectName(QStringLiteral("timeLabel"));
    ui.time->setTextFormat(Qt::PlainText);
    ui.time->setMinimumWidth(
        ui.time->fontMetrics().horizontalAdvance(QStringLiteral("00:00 / 00:00")));
    ui.time->setAlignment(Qt::AlignRight | Qt::AlignVCenter);

    ui.speedLabel = new QLabel(tr("&Speed"), this);
    ui.speed = new QComboBox(this);
    ui.speed->setObjectName(QStringLiteral("speedCombo"));
    ui.speed->setAccessibleName(tr("Playback speed"));
    ui.speedLabel->setBuddy(ui.speed);
    for (double r : kRates)
        ui.speed->addItem(tr("%1×").arg(QLocale().toString(r, 'g', 3)), r);
    connect(ui.speed, &QComboBox::activated, this,
            [this](int index) { setRate(m_ui->speed->itemData(index).toDouble()); });

    ui.downloadStatus = new QLabel(this);
    ui.downloadStatus->setObjectName(QStringLiteral("downloadStatus"));
    ui.downloadStatus->setWordWrap(true);
    ui.progress = new QProgressBar(this);
    ui.progress->setObjectName(QStringLiteral("downloadProgress"));
    ui.progress->setAccessibleName(tr("Download progress"));
    ui.progress->setTextVisible(true);
    ui.downloadButton = new QPushButton(ui.downloadAction->text(), this);
    ui.downloadButton->setObjectName(QStringLiteral("downloadButton"));
    ui.downloadButton->setAccessibleName(tr("Download recording"));
    connect(ui.downloadButton, &QPushButton::clicked, this, &RecordingPlayer::download);
    ui.cancelButton = new QPushButton(tr("Cancel"), this);
    ui.cancelButton->setObjectName(QStringLiteral("cancelDownloadButton"));
    ui.cancelButton->setAccessibleName(tr("Cancel download"));
    connect(ui.cancelButton, &QPushButton::clicked, this, &RecordingPlayer::cancelDownload);

    ui.downloadRow = new QWidget(this);
    auto *downloadLayout = new QHBoxLayout(ui.downloadRow);
    downloadLayout->setContentsMargins(0, 0, 0, 0);
    downloadLayout->addWidget(ui.downloadStatus, 1);
    downloadLayout->addWidget(ui.progress, 1);
    downloadLayout->addWidget(ui.downloadButton);
    downloadLayout->addWidget(ui.cancelButton);

    auto *controls = new QHBoxLayout;
    controls->setContentsMargins(0, 0, 0, 0);
    controls->addWidget(ui.playButton);
    controls->addWidget(ui.backButton);
    controls->addWidget(ui.forwardButton);
    controls->addWidget(ui.slider, 1);
    controls->addWidget(ui.time);
    controls->addSpacing(8);
    controls->addWidget(ui.speedLabel);
    controls->addWidget(ui.speed);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(ui.banner);
    layout->addWidget(ui.downloadRow);
    layout->addWidget(ui.waveform, 1);
    layout->addLayout(controls);

    setTabOrder(ui.downloadButton, ui.cancelButton);
    setTabOrder(ui.cancelButton, ui.waveform);
    setTabOrder(ui.waveform, ui.playButton);
    setTabOrder(ui.playButton, ui.backButton);
    setTabOrder(ui.backButton, ui.forwardButton);
    setTabOrder(ui.forwardButton, ui.slider);
    setTabOrder(ui.slider, ui.speed);
    setAccessibleName(tr("Recording player"));

    ui.peaksWatcher = new QFutureWatcher<sb::models::WaveformPeaksResult>(this);
    connect(ui.peaksWatcher, &QFutureWatcherBase::finished, this, &RecordingPlayer::onPeaksReady);
    int index = 0;
    for (int i = 0; i < ui.speed->count(); ++i) {
        if (qFuzzyCompare(ui.speed->itemData(i).toDouble(), m_rate))
            index = i;
    }
    ui.speed->setCurrentIndex(index);
    refreshIcons();
}

void RecordingPlayer::refreshIcons()
{
    auto &ui = *m_ui;
    const QPalette pal = palette();
    ui.playIcon = themedIcon(QStringLiteral("player-play"), pal);
    ui.pauseIcon = themedIcon(QStringLiteral("player-pause"), pal);
    ui.playAction->setIcon(m_state == State::Playing ? ui.pauseIcon : ui.playIcon);
    ui.backAction->setIcon(themedIcon(QStringLiteral("player-back"), pal));
    ui.forwardAction->setIcon(themedIcon(QStringLiteral("player-forward"), pal));
    ui.downloadAction->setIcon(themedIcon(QStringLiteral("player-download"), pal));
    ui.downloadButton->setIcon(ui.downloadAction->icon());
}

void RecordingPlayer::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    // The icons are drawn in the palette's text colour: redraw them for a new (dark) theme.
    if (event->type() == QEvent::PaletteChange && m_ui && m_ui->playAction)
        refreshIcons();
}

void RecordingPlayer::updateTime()
{
    const qint64 total = duration();
    const qint64 pos = std::min(position(), total);
    m_ui->time->setText(tr("%1 / %2").arg(formatPlaybackTime(pos), formatPlaybackTime(total)));
    m_ui->waveform->setDuration(total);
    m_ui->waveform->setPosition(pos);
    if (!m_ui->slider->isSliderDown()) {
        const QSignalBlocker block(m_ui->slider);
        m_ui->slider->setRange(0, int(std::min<qint64>(total, INT_MAX)));
        m_ui->slider->setValue(int(pos));
    }
}

void RecordingPlayer::updateActions()
{
    auto &ui = *m_ui;
    const bool playable = m_state == State::Stopped || m_state == State::Playing ||
                          m_state == State::Paused || m_state == State::Loading;
    const bool playing = m_state == State::Playing;
    ui.playAction->setEnabled(playable || m_state == State::NotDownloaded);
    ui.playAction->setText(playing ? tr("Pause") : tr("Play"));
    ui.playAction->setIcon(playing ? ui.pauseIcon : ui.playIcon);
    ui.playAction->setToolTip(tr("%1 (%2)").arg(
        ui.playAction->text(), ui.playAction->shortcut().toString(QKeySequence::NativeText)));
    ui.playButton->setAccessibleName(ui.playAction->text());
    ui.backAction->setEnabled(playable);
    ui.forwardAction->setEnabled(playable);
    ui.slider->setEnabled(playable);
    ui.waveform->setEnabled(playable);

    const bool downloading = m_state == State::Downloading;
    const bool offerDownload = m_state == State::NotDownloaded || m_state == State::DownloadFailed;
    ui.downloadAction->setEnabled(offerDownload);
    ui.downloadRow->setVisible(downloading || offerDownload);
    ui.progress->setVisible(downloading);
    ui.cancelButton->setVisible(downloading);
    ui.downloadButton->setVisible(offerDownload);
    if (m_state == State::NotDownloaded && ui.downloadStatus->text().isEmpty()) {
        ui.downloadStatus->setText(m_callDurationMs > 0
                                       ? tr("The recording (%1) is not downloaded yet.")
                                             .arg(formatPlaybackTime(m_callDurationMs))
                                       : tr("The recording is not downloaded yet."));
    }
    if (m_state == State::Empty || m_state == State::Unavailable)
        updateTime();
}

} // namespace sb::ui
