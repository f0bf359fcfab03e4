#pragma once

#include "pane.h"

#include "models/listfilterproxy.h"

class QAction;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSplitter;
class QTableView;

namespace sb::ui {

class AlertRulesEditor;

//! The alert log seen through a text filter, a lowest severity and "unacknowledged only".
class AlertFilterProxy : public sb::models::ListFilterProxy
{
    Q_OBJECT
public:
    using ListFilterProxy::ListFilterProxy;

    void setUnacknowledgedOnly(bool on);
    bool unacknowledgedOnly() const { return m_unacknowledgedOnly; }
    //! int(AlertSeverity); 0 shows every alert.
    void setMinimumSeverity(int severity);
    int minimumSeverity() const { return m_minimumSeverity; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    bool m_unacknowledgedOnly = false;
    int m_minimumSeverity = 0;
};

//! The Alerts pane: the session's alert log (sort, filter, acknowledge, open the call) beside
//! the editor of the alert rules.
class AlertsPane : public Pane
{
    Q_OBJECT
public:
    AlertsPane(const ConsoleContext &context, QWidget *parent = nullptr);

    QString title() const override;
    QIcon icon() const override;
    QList<QAction *> paneActions() const override;
    QByteArray saveState() const override;
    void restoreState(const QByteArray &state) override;
    bool confirmLeave() override;
    bool hasUnsavedChanges() const override;

    //! Acknowledges the selected alerts as context().userName; returns how many changed.
    int acknowledgeSelected();
    //! Opens the current alert's call: live when it still runs, else its history.
    void openCall();

    QTableView *view() const { return m_view; }
    AlertFilterProxy *proxy() const { return m_proxy; }
    AlertRulesEditor *rulesEditor() const { return m_editor; }
    QLineEdit *filterEdit() const { return m_filter; }
    QCheckBox *unacknowledgedOnlyBox() const { return m_unackOnly; }
    QComboBox *severityBox() const { return m_severity; }
    QLabel *summaryLabel() const { return m_summary; }
    QAction *acknowledgeAction() const { return m_acknowledge; }
    QAction *openCallAction() const { return m_openCall; }
    QAction *findAction() const { return m_find; }
    QAction *applyRulesAction() const { return m_applyRules; }

private:
    void buildActions();
    void updateActions();
    void updateSummary();
    bool isLive(const QString &callId) const;

    AlertFilterProxy *m_proxy;
    QSplitter *m_splitter;
    QLineEdit *m_filter;
    QComboBox *m_severity;
    QCheckBox *m_unackOnly;
    QLabel *m_summary;
    QTableView *m_view;
    AlertRulesEditor *m_editor;
    QAction *m_acknowledge = nullptr;
    QAction *m_openCall = nullptr;
    QAction *m_find = nullptr;
    QAction *m_applyRules = nullptr;
};

} // namespace sb::ui
