#pragma once

#include "consolecontext.h"

#include <QList>
#include <QMainWindow>

class QAction;
class QActionGroup;
class QLabel;
class QListWidget;
class QMenu;
class QStackedWidget;
class QTimer;

namespace sb::ui {

class CommandPalette;
class MessageBanner;
class Pane;

//! The console's main window: a navigation rail of panes, menus, the command palette and the
//! status bar. It assembles panes and actions; the panes do the work.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    //! Shows \a panes (in rail order) for the profile whose objects are in \a context.
    void attach(const ConsoleContext &context, const QString &profileId,
                const QList<Pane *> &panes);
    //! Name and endpoint of the active profile, for the title and the status bar.
    void setProfile(const QString &name, const QString &endpoint);
    //! A message that concerns the whole window (no profile, simulator stopped ...).
    void showNotice(const QString &text, bool isError);
    //! Background failures go to the status bar, not into a dialog.
    void showStatusMessage(const QString &text);

    //! Switches to the pane \a paneId after the current pane agreed to be left.
    bool showPane(const QString &paneId);
    Pane *currentPane() const;
    Pane *pane(const QString &paneId) const;
    QList<Pane *> panes() const { return m_panes; }
    CommandPalette *commandPalette() const { return m_commandPalette; }
    //! Every action of the window and its panes (menus, palette, shortcut overview).
    QList<QAction *> allActions() const;
    MessageBanner *banner() const { return m_banner; }

    //! Menu actions the composition root connects (profiles, place a call ...).
    QAction *placeCallAction() const { return m_placeCall; }
    QAction *manageProfilesAction() const { return m_manageProfiles; }
    //! File › Sign Out: hidden until the composition root shows it for an OAuth profile.
    QAction *signOutAction() const { return m_signOut; }
    QAction *paletteAction() const { return m_palette; }
    QAction *shortcutsAction() const { return m_shortcuts; }
    QMenu *switchProfileMenu() const { return m_switchProfile; }

    //! Opens the place-a-call dialog, prefilled where the arguments are not empty.
    void openPlaceCall(const QString &toNumber, const QString &agentId);

    //! Asks every pane with unsaved edits; false when the person chose to stay.
    bool confirmClose();

Q_SIGNALS:
    void retryRequested();
    void commandPaletteRequested();

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void buildMenus();
    void onRailRowChanged(int row);
    void activate(int index);
    void savePaneStates();
    void updateConnection();
    void updateFreshness();
    void updateRailItem(int index);
    QIcon paneIcon(const Pane *pane) const;

    ConsoleContext m_context;
    QString m_profileId;
    QList<Pane *> m_panes;
    QListWidget *m_rail;
    QStackedWidget *m_stack;
    MessageBanner *m_banner;
    QLabel *m_connection;
    QLabel *m_freshness;
    QLabel *m_budget;
    QLabel *m_profile;
    QTimer *m_tick;
    QMenu *m_paneMenu = nullptr;
    QMenu *m_goMenu = nullptr;
    QMenu *m_switchProfile = nullptr;
    QAction *m_placeCall = nullptr;
    QAction *m_manageProfiles = nullptr;
    QAction *m_signOut = nullptr;
    QAction *m_palette = nullptr;
    QAction *m_shortcuts = nullptr;
    CommandPalette *m_commandPalette = nullptr;
    QList<QAction *> m_windowActions;
    QList<QAction *> m_goActions;
    qint64 m_nextAttemptAtMs = 0;
    int m_streamState = 0;
    bool m_switching = false;
};

} // namespace sb::ui
