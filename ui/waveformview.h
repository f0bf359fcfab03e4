#pragma once

#include "models/waveformpeaks.h"

#include <QWidget>

namespace sb::ui {

//! Painted two-lane waveform of a call recording (agent above, caller below), the played part
//! tinted, with a position cursor. Clicking or dragging asks to seek there.
class WaveformView : public QWidget
{
    Q_OBJECT
public:
    enum class Lane { Agent, Caller };

    explicit WaveformView(QWidget *parent = nullptr);

    void setPeaks(const sb::models::WaveformPeaks &peaks);
    //! Drops the peaks and shows \a message in their place ("Computing waveform…").
    void clearPeaks(const QString &message);
    bool hasPeaks() const { return !m_peaks.isEmpty(); }
    QString message() const { return m_message; }

    //! Length of the timeline; the peaks' own length when not set.
    void setDuration(qint64 ms);
    qint64 duration() const;
    void setPosition(qint64 ms);
    qint64 position() const { return m_position; }

    //! The lane's colour: a hue that reads on both light and dark bases.
    static QColor laneColor(Lane lane, const QPalette &palette);
    //! The time at x (widget coordinates) on the timeline.
    qint64 timeAt(int x) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void seekRequested(qint64 ms);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    QRect plotRect() const;
    void rebuildColumns();
    void paintLane(QPainter &p, const QRect &lane, const QList<float> &columns, const QColor &color,
                   int playedX);

    sb::models::WaveformPeaks m_peaks;
    QString m_message;
    qint64 m_duration = 0;
    qint64 m_position = 0;
    //! Per pixel column of the plot, the lane's peak (0–1): rebuilt on resize or new peaks so a
    //! paint is a pass over the width, not over a 10-minute recording's 30,000 buckets.
    QList<float> m_agentColumns;
    QList<float> m_callerColumns;
};

} // namespace sb::ui
