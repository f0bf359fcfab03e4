#include "panes.h"

#include "agentspane.h"
#include "alertspane.h"
#include "callspane.h"
#include "contactspane.h"
#include "knowledgepane.h"
#include "livepane.h"
#include "numberspane.h"
#include "pane.h"

namespace sb::ui {

QList<Pane *> createPanes(const ConsoleContext &context, QWidget *parent)
{
    QList<Pane *> panes;
    // Rail order: Live, Calls, Agents, Numbers, Contacts, Knowledge, Alerts.
    panes.append(new LivePane(context, parent));
    panes.append(new CallsPane(context, parent));
    panes.append(new AgentsPane(context, parent));
    panes.append(new NumbersPane(context, parent));
    panes.append(new ContactsPane(context, parent));
    panes.append(new KnowledgePane(context, parent));
    panes.append(new AlertsPane(context, parent));
    return panes;
}

} // namespace sb::ui
