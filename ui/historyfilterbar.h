#pragma once

#include "models/historyfilter.h"

#include <QTimer>
#include <QWidget>

class QComboBox;
class QDateEdit;
class QLineEdit;
class QToolButton;

namespace sb::models {
class AgentListModel;
}

namespace sb::ui {

//! The Calls pane's filters: number/contact text, agent, status, direction, sentiment and a
//! date range. Emits filterChanged() once the person paused typing (~150 ms), so that a
//! count over a large cache never runs per keystroke.
class HistoryFilterBar : public QWidget
{
    Q_OBJECT
public:
    static constexpr int DebounceMs = 150;

    //! \a agents fills the agent list (names); may be null.
    explicit HistoryFilterBar(sb::models::AgentListModel *agents, QWidget *parent = nullptr);

    sb::models::HistoryFilter filter() const { return m_filter; }
    //! Puts the focus into the text field and selects its text (Ctrl+L).
    void focusText();
    //! Back to "everything" (emits filterChanged() when that changes the filter).
    void clear();

    QLineEdit *textField() const { return m_text; }
    QComboBox *agentBox() const { return m_agent; }
    QComboBox *statusBox() const { return m_status; }
    QComboBox *directionBox() const { return m_direction; }
    QComboBox *sentimentBox() const { return m_sentiment; }
    QDateEdit *fromEdit() const { return m_from; }
    QDateEdit *toEdit() const { return m_to; }
    QToolButton *clearButton() const { return m_clear; }

Q_SIGNALS:
    void filterChanged(const sb::models::HistoryFilter &filter);

private:
    void rebuildAgents();
    void schedule();
    void apply();
    sb::models::HistoryFilter collect() const;

    sb::models::AgentListModel *m_agents;
    QLineEdit *m_text;
    QComboBox *m_agent;
    QComboBox *m_status;
    QComboBox *m_direction;
    QComboBox *m_sentiment;
    QDateEdit *m_from;
    QDateEdit *m_to;
    QToolButton *m_clear;
    QTimer m_debounce;
    sb::models::HistoryFilter m_filter;
};

} // namespace sb::ui
