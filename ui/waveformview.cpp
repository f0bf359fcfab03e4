#include "waveformview.h"

#include <QMouseEvent>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace sb::ui {

namespace {

constexpr int kMargin = 4;
constexpr int kLaneGap = 6;

} // namespace

WaveformView::WaveformView(QWidget *parent)
    : QWidget(parent)
{
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    setAccessibleName(tr("Recording waveform"));
    setAccessibleDescription(
        tr("Loudness of the agent (upper lane) and the caller (lower lane); click to seek"));
    setToolTip(tr("Click to jump to that moment"));
}

void WaveformView::setPeaks(const sb::models::WaveformPeaks &peaks)
{
    m_peaks = peaks;
    m_message.clear();
    setCursor(Qt::PointingHandCursor);
    rebuildColumns();
    update();
}

void WaveformView::clearPeaks(const QString &message)
{
    m_peaks = {};
    m_message = message;
    unsetCursor();
    m_agentColumns.clear();
    m_callerColumns.clear();
    update();
}

void WaveformView::setDuration(qint64 ms)
{
    if (m_duration == ms)
        return;
    m_duration = ms;
    rebuildColumns();
    update();
}

qint64 WaveformView::duration() const
{
    return m_duration > 0 ? m_duration : m_peaks.durationMs();
}

void WaveformView::setPosition(qint64 ms)
{
    if (m_position == ms)
        return;
    m_position = ms;
    update();
}

QColor WaveformView::laneColor(Lane lane, const QPalette &palette)
{
    // Blue for the agent, orange for the caller (distinguishable with the common colour vision
    // deficiencies); lighter on a dark base, deeper on a light one for contrast.
    const bool dark = palette.color(QPalette::Base).lightnessF() < 0.5;
    const int hue = lane == Lane::Agent ? 212 : 28;
    return QColor::fromHsl(hue, dark ? 190 : 200, dark ? 160 : 105);
}

qint64 WaveformView::timeAt(int x) const
{
    const QRect plot = plotRect();
    if (plot.width() <= 0)
        return 0;
    const double f = std::clamp(double(x - plot.left()) / plot.width(), 0.0, 1.0);
    return qint64(std::llround(f * double(duration())));
}

QSize WaveformView::sizeHint() const
{
    return {480, fontMetrics().height() * 6};
}

QSize WaveformView::minimumSizeHint() const
{
    return {160, fontMetrics().height() * 4};
}

QRect WaveformView::plotRect() const
{
    return rect().adjusted(kMargin, kMargin, -kMargin, -kMargin);
}

void WaveformView::rebuildColumns()
{
    m_agentColumns.clear();
    m_callerColumns.clear();
    const int width = plotRect().width();
    const qint64 total = duration();
    if (m_peaks.isEmpty() || width <= 0 || total <= 0)
        return;
    m_agentColumns.resize(width);
    m_callerColumns.resize(width);
    const qsizetype buckets = m_peaks.agent.size();
    // Buckets per column follow the timeline (the call's duration may differ a little from the
    // file's): a column covers [x, x+1) of `total` milliseconds.
    for (int x = 0; x < width; ++x) {
        const double t0 = double(x) * total / width;
        const double t1 = double(x + 1) * total / width;
        auto b0 = qsizetype(t0 / m_peaks.bucketMs);
        auto b1 = std::max(b0 + 1, qsizetype(std::ceil(t1 / m_peaks.bucketMs)));
        b0 = std::min(b0, buckets);
        b1 = std::min(b1, buckets);
        quint16 a = 0, c = 0;
        for (qsizetype b = b0; b < b1; ++b) {
            a = std::max(a, m_peaks.agent.at(b));
            c = std::max(c, m_peaks.caller.at(b));
        }
        m_agentColumns[x] = a / 32767.0f;
        m_callerColumns[x] = c / 32767.0f;
    }
}

void WaveformView::paintLane(QPainter &p, const QRect &lane, const QList<float> &columns,
                             const QColor &color, int playedX)
{
    QColor unplayed = color;
    unplayed.setAlphaF(0.45f);
    const int mid = lane.center().y();
    const int half = lane.height() / 2;
    p.setPen(QPen(palette().color(QPalette::Mid), 0));
    p.drawLine(lane.left(), mid, lane.right(), mid);
    for (int x = 0; x < columns.size(); ++x) {
        // Square root: speech sits far below full scale and would be a flat line otherwise.
        const int h = std::max(1, int(std::sqrt(columns.at(x)) * half));
        p.fillRect(lane.left() + x, mid - h, 1, 2 * h,
                   lane.left() + x < playedX ? color : unplayed);
    }
}

void WaveformView::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    const QPalette pal = palette();
    p.fillRect(rect(), pal.color(QPalette::Base));
    const QRect plot = plotRect();
    if (m_peaks.isEmpty() || m_agentColumns.isEmpty()) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(plot, Qt::AlignCenter | Qt::TextWordWrap, m_message);
    } else {
        const int laneHeight = (plot.height() - kLaneGap) / 2;
        const QRect agentLane(plot.left(), plot.top(), plot.width(), laneHeight);
        const QRect callerLane(plot.left(), plot.bottom() - laneHeight + 1, plot.width(),
                               laneHeight);
        const qint64 total = duration();
        const int playedX =
            plot.left() + int(total > 0 ? double(m_position) * plot.width() / total : 0);
        // The played part also gets a faint tint behind the bars.
        QColor tint = pal.color(QPalette::Highlight);
        tint.setAlphaF(0.12f);
        p.fillRect(QRect(plot.left(), plot.top(), playedX - plot.left(), plot.height()), tint);
        paintLane(p, agentLane, m_agentColumns, laneColor(Lane::Agent, pal), playedX);
        paintLane(p, callerLane, m_callerColumns, laneColor(Lane::Caller, pal), playedX);

        // Lane labels on a backing so they stay readable over loud parts.
        const QString labels[] = {tr("Agent"), tr("Caller")};
        const QRect lanes[] = {agentLane, callerLane};
        const QColor colors[] = {laneColor(Lane::Agent, pal), laneColor(Lane::Caller, pal)};
        const QFontMetrics fm = p.fontMetrics();
        for (int i = 0; i < 2; ++i) {
            const QRect box(lanes[i].left() + 4, lanes[i].top() + 2,
                            fm.horizontalAdvance(labels[i]) + 12, fm.height() + 2);
            QColor backing = pal.color(QPalette::Base);
            backing.setAlphaF(0.8f);
            p.fillRect(box, backing);
            p.fillRect(QRect(box.left(), box.top(), 3, box.height()), colors[i]);
            p.setPen(pal.color(QPalette::Text));
            p.drawText(box.adjusted(7, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, labels[i]);
        }

        p.setPen(QPen(pal.color(QPalette::Text), 2));
        p.drawLine(playedX, plot.top(), playedX, plot.bottom());
    }
    if (hasFocus()) {
        p.setPen(QPen(pal.color(QPalette::Highlight), 1));
        p.drawRect(rect().adjusted(0, 0, -1, -1));
    }
}

void WaveformView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton && !m_peaks.isEmpty()) {
        Q_EMIT seekRequested(timeAt(event->position().toPoint().x()));
        event->accept();
        return;
    }
    QWidget::mousePressEvent(event);
}

void WaveformView::mouseMoveEvent(QMouseEvent *event)
{
    if ((event->buttons() & Qt::LeftButton) && !m_peaks.isEmpty()) {
        Q_EMIT seekRequested(timeAt(event->position().toPoint().x()));
        event->accept();
        return;
    }
    QWidget::mouseMoveEvent(event);
}

void WaveformView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    rebuildColumns();
}

} // namespace sb::ui
