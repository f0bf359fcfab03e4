#pragma once

#include <QWidget>

class QListView;
class QToolButton;

namespace sb::models {
class ToolCallsModel;
class TranscriptModel;
} // namespace sb::models

namespace sb::ui {

class TranscriptFeedModel;

//! A call's transcript as chat bubbles: agent on the left, caller on the right (labelled, in
//! palette-derived colours), interim text dimmed and italic until its final line replaces it,
//! tool calls inline with collapsible JSON. While following live it keeps the newest line in
//! view until the person scrolls up; "Jump to latest" (End) brings it back.
class TranscriptView : public QWidget
{
    Q_OBJECT
public:
    explicit TranscriptView(QWidget *parent = nullptr);

    void setModel(sb::models::TranscriptModel *model);
    //! Shows these tool calls inline (nullptr: none).
    void setToolCalls(sb::models::ToolCallsModel *model);
    sb::models::TranscriptModel *model() const;

    //! true: keeps the newest line in view while the person is at the bottom (live calls).
    void setFollowLive(bool follow);
    bool followLive() const { return m_followLive; }
    //! Following and at the bottom (false after the person scrolled up).
    bool isFollowing() const { return m_followLive && m_atBottom; }

    //! Highlights the line spoken at \a ms during playback (-1 clears) and scrolls it into view
    //! unless the person scrolled in the last few seconds.
    void setHighlightTimeMs(qint64 ms);
    //! Feed row of the highlighted line, -1 when none.
    int highlightedRow() const;

    //! The bubble or card of feed row \a row in viewport coordinates (empty when not laid out).
    QRect bubbleRect(int row) const;

    QListView *listView() const { return m_view; }
    TranscriptFeedModel *feed() const { return m_feed; }
    QToolButton *jumpButton() const { return m_jump; }

public Q_SLOTS:
    //! Scrolls to the newest line and follows again.
    void jumpToLatest();

Q_SIGNALS:
    //! A line was clicked or activated: seek to \a startMs.
    void lineActivated(qint64 startMs);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void onActivated(const QModelIndex &index);
    void onRowsInserted();
    void onScrolled();
    void placeJumpButton();
    void updateJumpButton();

    TranscriptFeedModel *m_feed;
    QListView *m_view;
    QToolButton *m_jump;
    bool m_followLive = false;
    bool m_atBottom = true;
    qint64 m_lastUserScrollMs = -1;
};

} // namespace sb::ui
