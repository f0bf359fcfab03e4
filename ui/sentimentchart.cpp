#include "sentimentchart.h"

#include "callwallpalette.h"

#include "models/sentimenttimelinemodel.h"

#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>

namespace sb::ui {

using sb::models::SentimentTimelineModel;

namespace {
constexpr int kLeft = 34; // room for the -1 / 0 / +1 labels
constexpr int kRight = 10;
constexpr int kTop = 12;
constexpr int kBottom = 18; // room for the time labels
constexpr int kHoverPx = 12;
} // namespace

SentimentChart::SentimentChart(QWidget *parent)
    : QWidget(parent)
{
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);
    setAccessibleName(tr("Sentiment timeline"));
    setCursor(Qt::PointingHandCursor);
    setToolTip(tr("Sentiment over the call; click to seek"));
    updateAccessibleText();
}

void SentimentChart::setModel(SentimentTimelineModel *model)
{
    for (const auto &c : std::as_const(m_connections))
        disconnect(c);
    m_connections.clear();
    m_model = model;
    if (model) {
        auto changed = [this] {
            updateAccessibleText();
            update();
        };
        m_connections << connect(model, &QAbstractItemModel::rowsInserted, this, changed);
        m_connections << connect(model, &QAbstractItemModel::rowsRemoved, this, changed);
        m_connections << connect(model, &QAbstractItemModel::dataChanged, this, changed);
        m_connections << connect(model, &QAbstractItemModel::modelReset, this, changed);
    }
    updateAccessibleText();
    update();
}

void SentimentChart::setCursorMs(qint64 ms)
{
    if (ms == m_cursorMs)
        return;
    m_cursorMs = ms;
    update();
}

void SentimentChart::setDurationMs(qint64 ms)
{
    if (ms == m_durationMs)
        return;
    m_durationMs = qMax<qint64>(0, ms);
    update();
}

double SentimentChart::scoreOf(const SentimentTimelineModel *model, int row)
{
    const sb::api::SentimentPoint p = model->pointAt(row);
    if (p.score)
        return qBound(-1.0, *p.score, 1.0);
    // No score from the platform: the label's place on the scale.
    switch (p.label) {
    case sb::api::Sentiment::Positive:
        return 0.5;
    case sb::api::Sentiment::Negative:
        return -0.5;
    case sb::api::Sentiment::Neutral:
    case sb::api::Sentiment::Unknown:
    case sb::api::Sentiment::None:
        break;
    }
    return 0.0;
}

qint64 SentimentChart::axisEndMs() const
{
    qint64 end = m_durationMs;
    if (m_model && m_model->rowCount() > 0)
        end = qMax(end, m_model->pointAt(m_model->rowCount() - 1).atMs);
    end = qMax(end, m_cursorMs);
    return qMax<qint64>(end, 10000); // at least ten seconds, so a first point is not at the edge
}

QRect SentimentChart::plotRect() const
{
    return rect().adjusted(kLeft, kTop, -kRight, -kBottom);
}

int SentimentChart::xForMs(qint64 ms) const
{
    const QRect r = plotRect();
    return r.left() + int(double(ms) / double(axisEndMs()) * r.width());
}

qint64 SentimentChart::msAtX(int x) const
{
    const QRect r = plotRect();
    const double f = qBound(0.0, double(x - r.left()) / qMax(1, r.width()), 1.0);
    return qint64(f * double(axisEndMs()));
}

int SentimentChart::pointNearX(int x) const
{
    if (!m_model)
        return -1;
    int best = -1;
    int bestDistance = kHoverPx + 1;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const int d = qAbs(xForMs(m_model->pointAt(row).atMs) - x);
        if (d < bestDistance) {
            best = row;
            bestDistance = d;
        }
    }
    return best;
}

QSize SentimentChart::sizeHint() const
{
    return {400, 120};
}

QSize SentimentChart::minimumSizeHint() const
{
    return {160, 70};
}

bool SentimentChart::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const int row = pointNearX(help->pos().x());
        if (row < 0) {
            QToolTip::showText(
                help->globalPos(),
                tr("%1 — click to seek").arg(sb::models::callTimeText(msAtX(help->pos().x()))),
                this);
            return true;
        }
        const sb::api::SentimentPoint p = m_model->pointAt(row);
        const QString score = p.score ? QString::number(*p.score, 'f', 2) : tr("no score");
        QToolTip::showText(
            help->globalPos(),
            tr("%1: %2 (%3)")
                .arg(sb::models::callTimeText(p.atMs), CallPalette::sentimentText(p.label), score),
            this);
        return true;
    }
    return QWidget::event(event);
}

void SentimentChart::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette &pal = palette();
    const QRect r = plotRect();
    const double zeroY = r.top() + r.height() / 2.0;
    auto yFor = [&r](double score) { return r.top() + (1.0 - score) / 2.0 * r.height(); };

    // Scale: a frame, the zero line, the ±1 labels, start and end time.
    QColor grid = pal.color(QPalette::Mid);
    p.setPen(QPen(grid, 1));
    p.drawRect(QRectF(r).adjusted(0.5, 0.5, -0.5, -0.5));
    p.setPen(QPen(pal.color(QPalette::Text), 1, Qt::DashLine));
    p.drawLine(QPointF(r.left(), zeroY), QPointF(r.right(), zeroY));
    p.setPen(pal.color(QPalette::PlaceholderText));
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    p.setFont(small);
    const QRect labelCol(0, r.top() - 8, kLeft - 6, 16);
    p.drawText(labelCol, Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("+1"));
    p.drawText(labelCol.translated(0, r.height() / 2), Qt::AlignRight | Qt::AlignVCenter,
               QStringLiteral("0"));
    p.drawText(labelCol.translated(0, r.height()), Qt::AlignRight | Qt::AlignVCenter,
               QStringLiteral("−1"));
    const QRect timeRow(r.left(), r.bottom() + 2, r.width(), kBottom - 2);
    p.drawText(timeRow, Qt::AlignLeft | Qt::AlignTop, sb::models::callTimeText(0));
    p.drawText(timeRow, Qt::AlignRight | Qt::AlignTop, sb::models::callTimeText(axisEndMs()));
    if (m_estimated)
        p.drawText(timeRow, Qt::AlignHCenter | Qt::AlignTop,
                   tr("estimated from the words; the platform sends no sentiment"));

    const int count = m_model ? m_model->rowCount() : 0;
    if (count == 0) {
        // Above the zero line, not struck through by it.
        p.drawText(QRect(r.left(), r.top(), r.width(), r.height() / 2 - 2),
                   Qt::AlignHCenter | Qt::AlignBottom, tr("No sentiment yet"));
    } else {
        QPainterPath line;
        for (int row = 0; row < count; ++row) {
            const QPointF pt(xForMs(m_model->pointAt(row).atMs), yFor(scoreOf(m_model, row)));
            if (row == 0)
                line.moveTo(pt);
            else
                line.lineTo(pt);
        }
        // Negative spells: the area between the line and zero, below zero only.
        QPainterPath area = line;
        area.lineTo(line.currentPosition().x(), zeroY);
        area.lineTo(line.elementAt(0).x, zeroY);
        area.closeSubpath();
        p.save();
        p.setClipRect(QRectF(r.left(), zeroY, r.width(), r.bottom() - zeroY + 1));
        QColor tint = CallPalette::negative(pal);
        tint.setAlphaF(0.3f);
        p.fillPath(area, tint);
        p.restore();

        p.setPen(QPen(pal.color(QPalette::Highlight), 2));
        p.setBrush(Qt::NoBrush);
        p.drawPath(line);
        for (int row = 0; row < count; ++row) {
            const double s = scoreOf(m_model, row);
            const QPointF pt(xForMs(m_model->pointAt(row).atMs), yFor(s));
            p.setBrush(s < 0 ? CallPalette::negative(pal) : pal.color(QPalette::Highlight));
            p.setPen(QPen(pal.color(QPalette::Base), 1));
            p.drawEllipse(pt, 3.5, 3.5);
        }
    }

    if (m_cursorMs >= 0) {
        const int x = xForMs(m_cursorMs);
        p.setPen(QPen(pal.color(QPalette::Text), 1.5));
        p.drawLine(QPointF(x, r.top()), QPointF(x, r.bottom()));
    }
    if (hasFocus()) {
        p.setPen(QPen(pal.color(QPalette::Highlight), 1, Qt::DotLine));
        p.setBrush(Qt::NoBrush);
        p.drawRect(rect().adjusted(1, 1, -2, -2));
    }
}

void SentimentChart::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton ||
        !plotRect().adjusted(-4, 0, 4, 0).contains(event->position().toPoint())) {
        QWidget::mousePressEvent(event);
        return;
    }
    Q_EMIT seekRequested(msAtX(event->position().toPoint().x()));
}

void SentimentChart::keyPressEvent(QKeyEvent *event)
{
    // Keyboard seeking: Left/Right step five seconds from the cursor (or the start).
    const qint64 from = qMax<qint64>(0, m_cursorMs);
    if (event->key() == Qt::Key_Left) {
        Q_EMIT seekRequested(qMax<qint64>(0, from - 5000));
        return;
    }
    if (event->key() == Qt::Key_Right) {
        Q_EMIT seekRequested(qMin(axisEndMs(), from + 5000));
        return;
    }
    QWidget::keyPressEvent(event);
}

void SentimentChart::updateAccessibleText()
{
    const int count = m_model ? m_model->rowCount() : 0;
    if (count == 0) {
        setAccessibleDescription(tr("No sentiment yet"));
        return;
    }
    int negative = 0;
    for (int row = 0; row < count; ++row) {
        if (scoreOf(m_model, row) < 0)
            ++negative;
    }
    const sb::api::SentimentPoint last = m_model->pointAt(count - 1);
    setAccessibleDescription(
        tr("%n point(s), %1 negative; latest %2 at %3", "", count)
            .arg(negative)
            .arg(CallPalette::sentimentText(last.label), sb::models::callTimeText(last.atMs)));
}

void SentimentChart::setEstimated(bool estimated)
{
    if (m_estimated == estimated)
        return;
    m_estimated = estimated;
    setAccessibleName(estimated ? tr("Estimated sentiment timeline") : tr("Sentiment timeline"));
    setToolTip(estimated ? tr("Sentiment estimated locally from what was said (the platform "
                              "sends none); click to seek")
                         : tr("Sentiment over the call; click to seek"));
    update();
}

} // namespace sb::ui
