#pragma once

#include <QMainWindow>

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;
class QTextBrowser;

namespace sb::models {
class AgentListModel;
}

namespace sb::ui {

class MessageBanner;

//! The console's main window. For now it shows the organization's agents; the panes of the
//! full console (Live, Calls, Agents, Numbers, Contacts, Knowledge, Alerts) plug in here.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(sb::models::AgentListModel *agents, QWidget *parent = nullptr);

    //! Name and endpoint of the active profile, for the title and the status bar.
    void setProfile(const QString &name, const QString &endpoint);
    //! The request budget left this minute, from the session's rate limiter.
    void setRequestBudget(int remaining, int limit);
    //! A message that concerns the whole window (no profile, keychain unavailable ...).
    void showNotice(const QString &text, bool isError);
    //! Background failures go to the status bar, not into a dialog.
    void showStatusMessage(const QString &text);

    QTableView *agentView() const { return m_view; }
    MessageBanner *banner() const { return m_banner; }

Q_SIGNALS:
    void reloadRequested();

private:
    void onStateChanged();
    void showSelectedAgent();

    sb::models::AgentListModel *m_agents;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_view;
    QLineEdit *m_filter;
    QTextBrowser *m_details;
    MessageBanner *m_banner;
    QLabel *m_heading;
    QLabel *m_connection;
    QLabel *m_budget;
    QLabel *m_profile;
    QString m_profileName;
};

} // namespace sb::ui
