#include "panes.h"

#include "pane.h"

namespace sb::ui {

QList<Pane *> createPanes(const ConsoleContext &context, QWidget *parent)
{
    Q_UNUSED(context)
    Q_UNUSED(parent)
    QList<Pane *> panes;
    // Rail order: Live, Calls, Agents, Numbers, Contacts, Knowledge, Alerts.
    return panes;
}

} // namespace sb::ui
