#include "pane.h"

#include "messagebanner.h"

namespace sb::ui {

Pane::Pane(const QString &paneId, const ConsoleContext &context, QWidget *parent)
    : QWidget(parent)
    , m_banner(new MessageBanner(this))
    , m_paneId(paneId)
    , m_context(context)
{
    setObjectName(paneId + QStringLiteral("Pane"));
}

} // namespace sb::ui
