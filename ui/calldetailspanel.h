#pragma once

#include "consolecontext.h"

#include "api/dto.h"

#include <QWidget>

class QFormLayout;
class QLabel;
class QStackedWidget;

namespace sb::ui {

class CallView;
class RecordingPlayer;

//! The Calls pane's right side: one finished call in full. Metadata (time, parties, agent,
//! status, duration, sentiment, summary), the recording player and the call view (transcript,
//! sentiment chart, tool calls), wired so that playback moves the transcript highlight and
//! the chart cursor, and a click on a line or the chart seeks the recording.
class CallDetailsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit CallDetailsPanel(const ConsoleContext &context, QWidget *parent = nullptr);
    ~CallDetailsPanel() override;

    //! "Opening…" for \a callId until showDetails() or showMessage().
    void showLoading(const QString &callId);
    //! Shows \a details; \a agentName labels the agent (the call carries its id only).
    void showDetails(const sb::api::CallDetails &details, const QString &agentName);
    //! A text instead of a call (nothing selected, the call was deleted, it failed to open).
    void showMessage(const QString &text);
    //! Highlights the transcript line that starts at \a startMs and scrolls it into view.
    void highlightLine(qint64 startMs);

    //! The call shown (empty while loading or showing a message).
    QString callId() const;
    //! The call being opened or shown.
    QString pendingCallId() const { return m_pendingId; }
    bool hasDetails() const { return !callId().isEmpty(); }
    const sb::api::CallDetails &details() const { return m_details; }
    QString agentName() const { return m_agentName; }
    //! The transcript time the highlight was last set to (-1 when none).
    qint64 highlightMs() const { return m_highlightMs; }

    CallView *callView() const { return m_callView; }
    RecordingPlayer *player() const { return m_player; }
    QLabel *messageLabel() const { return m_message; }
    //! The value label of a metadata row, by its key ("number", "agent", "status", ...).
    QLabel *field(const QString &key) const;

    QByteArray saveState() const;
    void restoreState(const QByteArray &state);

Q_SIGNALS:
    //! The recording file became available (export it) or went away.
    void recordingAvailableChanged(bool available);

private:
    QLabel *addField(QFormLayout *form, const QString &key, const QString &label);
    void setPlaybackMs(qint64 ms);

    ConsoleContext m_context;
    QStackedWidget *m_pages;
    QLabel *m_message;
    QWidget *m_callPage;
    QLabel *m_title;
    QHash<QString, QLabel *> m_fields;
    QLabel *m_summary;
    RecordingPlayer *m_player;
    CallView *m_callView;
    sb::api::CallDetails m_details;
    QString m_agentName;
    QString m_pendingId;
    qint64 m_highlightMs = -1;
};

} // namespace sb::ui
