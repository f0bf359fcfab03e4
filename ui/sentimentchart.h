#pragma once

#include "models/sentimenttimelinemodel.h"

#include <QPointer>
#include <QWidget>

namespace sb::ui {

//! A call's sentiment over call time, painted: the score line on a -1..1 scale, the zero line,
//! the area below zero tinted, a playback cursor; hovering shows the nearest point, a click
//! asks to seek there. Colours come from the palette so it reads in light and dark themes.
class SentimentChart : public QWidget
{
    Q_OBJECT
public:
    explicit SentimentChart(QWidget *parent = nullptr);

    void setModel(sb::models::SentimentTimelineModel *model);
    sb::models::SentimentTimelineModel *model() const { return m_model; }

    //! The platform sends no sentiment: the chart says the curve is a local estimate.
    void setEstimated(bool estimated);
    bool isEstimated() const { return m_estimated; }

    //! Playback cursor in call ms (-1 hides it).
    void setCursorMs(qint64 ms);
    qint64 cursorMs() const { return m_cursorMs; }
    //! Length of the call in ms: the time axis spans at least this (0 = up to the last point).
    void setDurationMs(qint64 ms);
    qint64 durationMs() const { return m_durationMs; }

    //! Call time shown at x (widget coordinates), clamped to the axis.
    qint64 msAtX(int x) const;
    //! x (widget coordinates) of call time \a ms.
    int xForMs(qint64 ms) const;
    //! The plotting area inside the margins.
    QRect plotRect() const;
    //! Row of the point nearest to x within a few pixels, -1 when none.
    int pointNearX(int x) const;
    //! Score used for row \a row (the label's value when the platform sent no score).
    static double scoreOf(const sb::models::SentimentTimelineModel *model, int row);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    //! The chart was clicked at call time \a ms.
    void seekRequested(qint64 ms);

protected:
    bool event(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    qint64 axisEndMs() const;
    void updateAccessibleText();

    QPointer<sb::models::SentimentTimelineModel> m_model;
    QList<QMetaObject::Connection> m_connections;
    qint64 m_cursorMs = -1;
    qint64 m_durationMs = 0;
    bool m_estimated = false;
};

} // namespace sb::ui
