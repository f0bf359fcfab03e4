#include "recordingplayer.h"

#include "api/platform.h"
#include "icons.h"
#include "messagebanner.h"
#include "models/settings.h"
#include "models/waveformpeaks.h"
#include "playbackengine.h"
#include "waveformview.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QEvent>
#include <QFile>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QLoggingCategory>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSlider>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <climits>

namespace sb::ui {

Q_LOGGING_CATEGORY(lcPlayer, "switchboard.ui")

namespace {

constexpr qint64 kStepMs = 5000;
constexpr double kRates[] = {0.5, 0.75, 1.0, 1.25, 1.5, 2.0};

QString formatTime(qint64 ms)
{
    const qint64 s = std::max<qint64>(0, ms) / 1000;
    if (s >= 3600)
        return QStringLiteral("%1:%2:%3")
            .arg(s / 3600)
            .arg((s / 60) % 60, 2, 10, QLatin1Char('0'))
            .arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

} // namespace

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

void RecordingPlayer::buildUi()
{
    auto &ui = *m_ui;
    ui.banner = new MessageBanner(this);
    ui.banner->hide();
    ui.banner->setObjectName(QStringLiteral("playerBanner"));
    connect(ui.banner, &MessageBanner::retryRequested, this, [this] {
        m_ui->banner->hide();
        // A file that does not play is replaced by a fresh copy; a failed download resumes.
        if (m_state == State::Error) {
            const QString path = cachePathFor(m_callId);
            m_engine->unload();
            QFile::remove(path);
            QFile::remove(sb::models::waveform::cachePath(path));
        }
        download();
    });

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
    connect(ui.peaksWatcher, &QFutureWatcherBase::finished, this, [this] {
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
    });
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

void RecordingPlayer::updateTime()
{
    const qint64 total = duration();
    const qint64 pos = std::min(position(), total);
    m_ui->time->setText(tr("%1 / %2").arg(formatTime(pos), formatTime(total)));
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
        ui.downloadStatus->setText(
            m_callDurationMs > 0
                ? tr("The recording (%1) is not downloaded yet.").arg(formatTime(m_callDurationMs))
                : tr("The recording is not downloaded yet."));
    }
    if (m_state == State::Empty || m_state == State::Unavailable)
        updateTime();
}

} // namespace sb::ui
