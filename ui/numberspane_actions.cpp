// The Numbers pane's actions: save, leave guard, release, purchase, call from a number.
#include "numberspane.h"

#include "messagebanner.h"
#include "placecalldialog.h"
#include "purchasedialog.h"

#include "api/logging.h"
#include "api/platform.h"
#include "models/phonenumbermodel.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QLoggingCategory>
#include <QMessageBox>
#include <QPushButton>

Q_LOGGING_CATEGORY(lcUiNumbers, "switchboard.ui")

namespace sb::ui {

using sb::api::PhoneNumber;
using sb::api::PhoneNumberStatus;
using sb::api::RoutingMode;

void NumbersPane::save()
{
    const PhoneNumber *n = current();
    const auto changes = pendingChanges();
    if (!n || m_saving || !(changes.friendlyName || changes.agentId || changes.routing) ||
        !formProblem().isEmpty())
        return;
    m_saving = true;
    m_feedback->setText(tr("Saving…"));
    updateForm();
    const QString id = n->id;
    auto reply = context().platform->patchPhoneNumber(id, changes);
    reply.onFinished(this, [this, id](const sb::api::Result<PhoneNumber> &result) {
        m_saving = false;
        if (!result.ok()) {
            m_feedback->clear();
            m_banner->showMessage(MessageBanner::Kind::Error,
                                  tr("The number was not saved: %1")
                                      .arg(result.error().message.isEmpty()
                                               ? result.error().caption()
                                               : result.error().message),
                                  true);
            updateForm();
            return;
        }
        m_banner->hide();
        context().numbers->upsert(result.value());
        if (id == m_currentId)
            showSelected();
        m_feedback->setText(tr("Saved %1.").arg(result.value().number));
        Q_EMIT titleChanged();
    });
}

bool NumbersPane::confirmLeave()
{
    if (!hasUnsavedChanges())
        return true;
    const auto answer = QMessageBox::question(
        this, tr("Unsaved Changes"),
        tr("The changes to %1 are not saved.").arg(current() ? current()->number : QString()),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Cancel)
        return false;
    if (answer == QMessageBox::Save)
        save(); // finishes in the background; a failure shows in the banner
    else
        showSelected();
    return true;
}

void NumbersPane::askRelease()
{
    const PhoneNumber *n = current();
    if (!n || n->status == PhoneNumberStatus::Released)
        return;
    const PhoneNumber number = *n;
    QString stops;
    if (number.routing.mode == RoutingMode::Forward && !number.routing.forwardTo.isEmpty())
        stops = tr("Inbound calls to %1 will stop working: callers will no longer be forwarded "
                   "to %2.")
                    .arg(number.number, number.routing.forwardTo);
    else if (!number.agentId.isEmpty())
        stops =
            tr("Inbound calls to %1 will stop working: callers will no longer reach the "
               "agent %2.")
                .arg(number.number, m_agent->itemText(qMax(0, m_agent->findData(number.agentId))));
    else
        stops = tr("Inbound calls to %1 will stop working.").arg(number.number);
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Release Number"),
                                tr("Release %1 (%2)?").arg(number.number, number.friendlyName),
                                QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("releaseConfirmation"));
    box->setInformativeText(stops + QLatin1Char(' ') +
                            tr("It can no longer be used as caller id, and the provider may "
                               "give it to someone else. This cannot be undone."));
    QPushButton *releaseButton = box->addButton(tr("Release Number"), QMessageBox::DestructiveRole);
    releaseButton->setObjectName(QStringLiteral("confirmRelease"));
    box->setDefaultButton(box->addButton(QMessageBox::Cancel));
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this,
            [this, releaseButton, number](QAbstractButton *button) {
                if (button == releaseButton)
                    release(number);
            });
    box->open();
}

void NumbersPane::release(const PhoneNumber &number)
{
    m_saving = true;
    m_feedback->setText(tr("Releasing %1…").arg(number.number));
    updateForm();
    qCInfo(lcUiNumbers) << "releasing" << sb::api::maskPhone(number.number);
    auto reply = context().platform->releasePhoneNumber(number.id);
    reply.onFinished(this, [this, number](const sb::api::Result<sb::api::NoContent> &result) {
        m_saving = false;
        if (!result.ok()) {
            m_feedback->clear();
            m_banner->showMessage(
                MessageBanner::Kind::Error,
                tr("%1 was not released: %2").arg(number.number, result.error().caption()), false);
            updateForm();
            return;
        }
        m_banner->hide();
        // The provider keeps released numbers listed; so do we (hidden unless asked for).
        PhoneNumber released = number;
        released.status = PhoneNumberStatus::Released;
        released.agentId.clear();
        // Show it first: the row may leave the filtered list, moving the selection on.
        context().numbers->upsert(released);
        showSelected();
        m_feedback->setText(tr("%1 was released.").arg(number.number));
    });
}

void NumbersPane::purchase()
{
    auto *dialog = new PurchaseDialog(context(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &PurchaseDialog::purchased, this,
            [this](const PhoneNumber &number, const QString &warning) {
                context().numbers->upsert(number);
                m_filter->clear();
                selectNumber(number.id);
                m_feedback->setText(tr("Bought %1.").arg(number.number));
                if (!warning.isEmpty())
                    m_banner->showMessage(MessageBanner::Kind::Warning, warning, false);
            });
    dialog->open();
}

void NumbersPane::placeCallFromNumber()
{
    const PhoneNumber *n = current();
    if (!n)
        return;
    auto *dialog = new PlaceCallDialog(context(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (!n->agentId.isEmpty())
        dialog->setAgent(n->agentId);
    dialog->setFrom(n->number);
    dialog->open();
}

} // namespace sb::ui
