#pragma once

#include "pane.h"

class QAction;
class QLabel;
class QLineEdit;
class QSplitter;

namespace sb::models {
struct Alert;
}

namespace sb::ui {

class CallView;
class CallWall;
class Notifier;

//! The Live pane: the wall of calls running now (filter, sort, alert badges) above the focused
//! call, whose transcript, sentiment and tool calls stream in. Opens calls from the wall (Enter,
//! double click) or from anywhere through Navigator::showLiveCall, even before they show in the
//! wall. New alerts also raise a desktop notification.
class LivePane : public Pane
{
    Q_OBJECT
public:
    LivePane(const ConsoleContext &context, QWidget *parent = nullptr);

    QString title() const override;
    QIcon icon() const override;
    QList<QAction *> paneActions() const override;
    void activated() override;
    QByteArray saveState() const override;
    void restoreState(const QByteArray &state) override;

    //! Focuses \a callId (the wall selects its row as soon as it is there).
    void showCall(const QString &callId);

    CallWall *wall() const { return m_wall; }
    CallView *callView() const { return m_callView; }
    QLineEdit *filterEdit() const { return m_filter; }
    QLabel *countLabel() const { return m_count; }
    Notifier *notifier() const { return m_notifier; }
    QAction *focusFilterAction() const { return m_focusFilter; }
    QAction *openCallAction() const { return m_openCall; }

protected:
    void showEvent(QShowEvent *event) override;

private:
    void openCurrent();
    void onAlertRaised(const sb::models::Alert &alert);
    void updateCount();

    CallWall *m_wall;
    CallView *m_callView;
    QLineEdit *m_filter;
    QLabel *m_count;
    QSplitter *m_splitter;
    Notifier *m_notifier;
    QAction *m_focusFilter;
    QAction *m_openCall;
    QString m_pendingSelect;      //!< opened before its row existed: selected when it appears
    bool m_splitterSized = false; //!< restored from settings or sized on the first show
};

} // namespace sb::ui
