#pragma once

#include "consolecontext.h"

#include <QIcon>
#include <QList>
#include <QWidget>

class QAction;

namespace sb::ui {

class MessageBanner;

//! One page of the console behind the navigation rail (Live, Calls, Agents, ...).
//!
//! A pane owns its widgets, its actions and an inline banner for the failures of actions a
//! person started in it. It loads lazily: nothing is requested before the first activated().
class Pane : public QWidget
{
    Q_OBJECT
public:
    Pane(const QString &paneId, const ConsoleContext &context, QWidget *parent = nullptr);

    //! Stable id for settings and navigation: "live", "calls", "agents", ...
    QString paneId() const { return m_paneId; }
    //! Translated name for the rail, the window title and the palette.
    virtual QString title() const = 0;
    virtual QIcon icon() const { return {}; }
    //! Frequent actions of this pane, each with a shortcut (shown in the menu, the command
    //! palette and tooltips). Their shortcuts are live only while the pane is current.
    virtual QList<QAction *> paneActions() const { return {}; }

    //! The pane became the current one (first time: load its data).
    virtual void activated() {}
    //! Splitter, header and column state. Stored per pane (Settings::paneState()).
    virtual QByteArray saveState() const { return {}; }
    virtual void restoreState(const QByteArray &state) { Q_UNUSED(state) }
    //! Called before the pane is left or the window closes: returns false to stay (the pane
    //! may ask about unsaved changes; it saves or discards before returning true).
    virtual bool confirmLeave() { return true; }
    //! Why this platform cannot serve the pane at all (e.g. SpeakNode has no contacts); empty
    //! when it can. The window shows such a pane disabled in the rail with this reason.
    virtual QString unavailableReason() const { return {}; }
    //! True while the pane holds edits that are not saved.
    virtual bool hasUnsavedChanges() const { return false; }

    const ConsoleContext &context() const { return m_context; }
    MessageBanner *banner() const { return m_banner; }

Q_SIGNALS:
    //! The pane's title or unsaved state changed (the rail shows a dot for unsaved edits).
    void titleChanged();

protected:
    //! Created hidden by Pane; the subclass puts it at the top of its layout.
    MessageBanner *m_banner;

private:
    QString m_paneId;
    ConsoleContext m_context;
};

} // namespace sb::ui
