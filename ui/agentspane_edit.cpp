// The Agents pane's edits that reach the server: save (If-Match, conflict merge, 400/422 on
// the field), create, duplicate, delete and revert. The list and layout are in agentspane.cpp.
#include "agentspane.h"

#include "agenteditor.h"
#include "conflictdialog.h"
#include "messagebanner.h"

#include "api/platform.h"
#include "models/agentlistmodel.h"
#include "models/listfilterproxy.h"

#include <QAction>
#include <QEventLoop>
#include <QLineEdit>
#include <QLoggingCategory>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>

Q_DECLARE_LOGGING_CATEGORY(lcAgentsPane)

namespace sb::ui {

using sb::api::Agent;
using sb::api::ApiError;
namespace fields = agentfields;

void AgentsPane::save()
{
    if (!m_save->isEnabled())
        return;
    const Agent edited = m_editor->edited();
    const bool created = m_draft;
    m_saving = true;
    updateActions();
    auto reply = created ? context().platform->createAgent(fields::allChanges(edited))
                         : context().platform->patchAgent(m_currentId, m_editor->changes(),
                                                          m_editor->base().etag);
    qCInfo(lcAgentsPane) << (created ? "creating agent" : "saving agent") << m_currentId;
    reply.onFinished(this, [this, created](const sb::api::Result<Agent> &result) {
        m_saving = false;
        if (result.ok())
            saved(result.value(), created);
        else
            saveFailed(result.error());
        updateActions();
        Q_EMIT saveFinished(result.ok());
    });
}

bool AgentsPane::saveAndWait()
{
    if (!m_save->isEnabled()) {
        const QString error = m_editor->validationError();
        m_banner->showMessage(MessageBanner::Kind::Warning,
                              error.isEmpty() ? tr("The agent cannot be saved right now.")
                                              : tr("Fix this before saving: %1").arg(error));
        return false;
    }
    // The caller needs the outcome before it returns (leaving the pane, quitting).
    QEventLoop loop;
    bool ok = false;
    connect(this, &AgentsPane::saveFinished, &loop, [&](bool success) {
        ok = success;
        loop.quit();
    });
    save();
    if (m_saving)
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    return ok;
}

void AgentsPane::saved(const Agent &agent, bool created)
{
    m_banner->hide();
    m_draft = false;
    m_currentId = agent.id;
    m_editor->setAgent(agent);
    context().agents->upsert(agent);
    selectRow(agent.id);
    if (context().navigator)
        Q_EMIT context().navigator->statusMessage(created
                                                      ? tr("Created agent “%1”.").arg(agent.name)
                                                      : tr("Saved agent “%1”.").arg(agent.name));
    if (agent.etag.isEmpty())
        openAgent(agent.id); // without a fresh tag the next save could not send If-Match
}

void AgentsPane::saveFailed(const ApiError &error)
{
    qCWarning(lcAgentsPane) << "agent save failed:" << error.caption();
    if (error.kind == ApiError::Kind::PreconditionFailed) {
        showConflict(error);
        return;
    }
    disconnect(m_banner, &MessageBanner::retryRequested, this, nullptr);
    fields::Field field;
    if (error.kind == ApiError::Kind::Validation && fields::fromWireName(error.field, &field)) {
        const QString message =
            error.message.isEmpty() ? tr("The server did not accept this value.") : error.message;
        m_editor->showServerError(field, message);
        m_banner->showMessage(
            MessageBanner::Kind::Error,
            tr("The server did not accept %1: %2").arg(fields::label(field), message));
        return;
    }
    if (error.kind == ApiError::Kind::NotFound && !m_draft) {
        m_banner->showMessage(MessageBanner::Kind::Error,
                              tr("This agent was deleted on the server. Duplicate it to keep "
                                 "your changes as a new agent."));
        return;
    }
    connect(m_banner, &MessageBanner::retryRequested, this, &AgentsPane::save,
            Qt::SingleShotConnection);
    m_banner->showMessage(MessageBanner::Kind::Error,
                          tr("The agent could not be saved: %1").arg(error.caption()), true);
}

void AgentsPane::showConflict(const ApiError &error)
{
    const std::optional<Agent> theirs = error.currentAs<Agent>();
    if (!theirs) {
        disconnect(m_banner, &MessageBanner::retryRequested, this, nullptr);
        connect(
            m_banner, &MessageBanner::retryRequested, this, [this] { openAgent(m_currentId); },
            Qt::SingleShotConnection);
        m_banner->showMessage(MessageBanner::Kind::Error,
                              tr("Someone else changed this agent. Reload it to see their "
                                 "version (your edits will be lost)."),
                              true);
        return;
    }
    context().agents->upsert(*theirs);
    delete m_conflict;
    m_conflict = new ConflictDialog(m_editor->base(), *theirs, m_editor->edited(), this);
    connect(m_conflict, &QDialog::finished, this, [this, theirs = *theirs](int result) {
        ConflictDialog *dialog = m_conflict;
        m_conflict = nullptr;
        dialog->deleteLater();
        if (result != QDialog::Accepted) {
            m_banner->showMessage(MessageBanner::Kind::Warning,
                                  tr("Not saved: the agent changed on the server. Save again "
                                     "to compare the versions."));
            return;
        }
        // Their version becomes the base (with its tag); the chosen fields are edits on top.
        m_editor->setAgent(theirs, dialog->merged());
        updateActions();
        if (m_editor->isModified())
            save();
    });
    m_conflict->open();
}

void AgentsPane::startDraft(const Agent &draft)
{
    m_previousId = m_currentId;
    m_draft = true;
    m_currentId.clear();
    ++m_loadGeneration; // a load in flight must not replace the draft
    m_loading = false;
    m_editor->setEnabled(true);
    selectRow(QString());
    m_editor->setAgent(fields::newAgentTemplate(), draft);
    updateActions();
    m_editor->focusField(fields::Field::Name);
    if (auto *name = qobject_cast<QLineEdit *>(m_editor->input(fields::Field::Name)))
        name->selectAll();
}

void AgentsPane::createNew()
{
    if (!m_new->isEnabled() || !askAboutUnsaved())
        return;
    startDraft(fields::newAgentTemplate());
}

void AgentsPane::duplicate()
{
    if (!m_duplicate->isEnabled() || !askAboutUnsaved())
        return;
    Agent copy = m_editor->base();
    copy.name = tr("Copy of %1").arg(copy.name);
    copy.id.clear();
    copy.etag.clear();
    copy.createdAt = {};
    copy.updatedAt = {};
    startDraft(copy);
}

void AgentsPane::deleteCurrent()
{
    if (!m_delete->isEnabled())
        return;
    if (m_draft) {
        if (!askAboutUnsaved())
            return;
        m_draft = false;
        const QString previous = m_previousId;
        m_currentId.clear();
        if (!previous.isEmpty() && context().agents->rowOf(previous) >= 0)
            showAgent(previous);
        else
            selectFirstIfNone();
        updateActions();
        return;
    }
    const QString id = m_currentId;
    const QString name = m_editor->base().name;
    QMessageBox box(QMessageBox::Warning, tr("Delete Agent"),
                    tr("Delete the agent “%1”? Numbers routed to it stop answering with it; "
                       "its call history stays. This cannot be undone.")
                        .arg(name),
                    QMessageBox::Cancel, this);
    box.setObjectName(QStringLiteral("deleteAgentBox"));
    QPushButton *confirm = box.addButton(tr("Delete “%1”").arg(name), QMessageBox::DestructiveRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    if (box.clickedButton() != confirm)
        return;
    const int proxyRow = m_view->currentIndex().row();
    m_saving = true;
    updateActions();
    context().platform->deleteAgent(id).onFinished(
        this, [this, id, name, proxyRow](const sb::api::Result<sb::api::NoContent> &result) {
            m_saving = false;
            if (!result.ok() && result.error().kind != ApiError::Kind::NotFound) {
                disconnect(m_banner, &MessageBanner::retryRequested, this, nullptr);
                connect(m_banner, &MessageBanner::retryRequested, this, &AgentsPane::deleteCurrent,
                        Qt::SingleShotConnection);
                m_banner->showMessage(
                    MessageBanner::Kind::Error,
                    tr("“%1” could not be deleted: %2").arg(name, result.error().caption()), true);
                updateActions();
                return;
            }
            if (m_currentId == id)
                m_currentId.clear();
            m_editor->setAgent(fields::newAgentTemplate());
            context().agents->remove(id);
            if (context().navigator)
                Q_EMIT context().navigator->statusMessage(tr("Deleted agent “%1”.").arg(name));
            const int rows = m_proxy->rowCount();
            if (m_currentId.isEmpty() && rows > 0)
                m_view->setCurrentIndex(m_proxy->index(qMin(proxyRow, rows - 1), 0));
            updateActions();
        });
}

void AgentsPane::revert()
{
    if (!m_revert->isEnabled())
        return;
    const QMessageBox::StandardButton answer = QMessageBox::question(
        this, tr("Revert Changes"),
        m_draft ? tr("Discard the new agent?")
                : tr("Discard your changes to “%1”?").arg(m_editor->base().name),
        QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer != QMessageBox::Discard)
        return;
    if (m_draft) {
        m_editor->revert();
        m_draft = false;
        const QString previous = m_previousId;
        if (previous.isEmpty() || !showAgent(previous))
            selectFirstIfNone();
    } else {
        m_editor->revert();
    }
    updateActions();
}

} // namespace sb::ui
