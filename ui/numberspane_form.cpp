// The Numbers pane's side form: name, agent, routing and forward target of one number.
#include "numberspane.h"

#include "placecalldialog.h" // setInlineError

#include "api/platform.h"
#include "models/agentlistmodel.h"
#include "models/e164.h"
#include "models/phonenumbermodel.h"

#include <QAction>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace sb::ui {

using sb::api::PhoneNumber;
using sb::api::PhoneNumberStatus;
using sb::api::RoutingMode;

void NumbersPane::buildForm(QWidget *form)
{
    m_numberText = new QLabel(form);
    m_name = new QLineEdit(form);
    m_agent = new QComboBox(form);
    m_routing = new QComboBox(form);
    m_forwardTo = new QLineEdit(form);
    m_problem = new QLabel(form);
    m_feedback = new QLabel(form);
    m_save = new QPushButton(tr("&Save"), form);
    m_revert = new QPushButton(tr("Re&vert"), form);
    m_release = new QPushButton(tr("Release…"), form);
    m_call = new QPushButton(tr("Call From This Number…"), form);
    m_numberText->setObjectName(QStringLiteral("numberText"));
    m_name->setObjectName(QStringLiteral("name"));
    m_agent->setObjectName(QStringLiteral("agent"));
    m_routing->setObjectName(QStringLiteral("routing"));
    m_forwardTo->setObjectName(QStringLiteral("forwardTo"));
    m_problem->setObjectName(QStringLiteral("problem"));
    m_feedback->setObjectName(QStringLiteral("feedback"));
    m_save->setObjectName(QStringLiteral("save"));
    m_revert->setObjectName(QStringLiteral("revert"));
    m_release->setObjectName(QStringLiteral("release"));
    m_call->setObjectName(QStringLiteral("call"));

    m_name->setAccessibleName(tr("Number name"));
    m_name->setMaxLength(64);
    m_agent->setAccessibleName(tr("Agent answering the number"));
    m_routing->setAccessibleName(tr("Routing of inbound calls"));
    m_forwardTo->setAccessibleName(tr("Forward calls to"));
    m_forwardTo->setPlaceholderText(tr("+14155550123"));
    m_save->setAccessibleName(tr("Save number"));
    m_revert->setAccessibleName(tr("Revert changes"));
    m_release->setAccessibleName(tr("Release number"));
    m_call->setAccessibleName(tr("Call from this number"));
    m_save->setToolTip(m_saveAction->toolTip());
    m_release->setToolTip(m_releaseAction->toolTip());
    m_call->setToolTip(m_callAction->toolTip());
    m_revert->setToolTip(tr("Discard the changes to this number"));
    m_routing->addItem(tr("To the agent"), int(RoutingMode::Agent));
    m_routing->addItem(tr("Forward to a number"), int(RoutingMode::Forward));
    m_numberText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont big = m_numberText->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    m_numberText->setFont(big);
    m_problem->setWordWrap(true);
    m_feedback->setWordWrap(true);
    setInlineError(m_problem, true);

    auto *fields = new QFormLayout;
    auto *nameLabel = new QLabel(tr("&Name:"), form);
    nameLabel->setBuddy(m_name);
    auto *agentLabel = new QLabel(tr("&Agent:"), form);
    agentLabel->setBuddy(m_agent);
    auto *routingLabel = new QLabel(tr("R&outing:"), form);
    routingLabel->setBuddy(m_routing);
    auto *forwardLabel = new QLabel(tr("Forward &to:"), form);
    forwardLabel->setBuddy(m_forwardTo);
    fields->addRow(nameLabel, m_name);
    fields->addRow(agentLabel, m_agent);
    fields->addRow(routingLabel, m_routing);
    fields->addRow(forwardLabel, m_forwardTo);
    auto *saveRow = new QHBoxLayout;
    saveRow->addWidget(m_save);
    saveRow->addWidget(m_revert);
    saveRow->addStretch();
    auto *otherRow = new QHBoxLayout;
    otherRow->addWidget(m_call);
    otherRow->addStretch();
    otherRow->addWidget(m_release);
    auto *layout = new QVBoxLayout(form);
    layout->setContentsMargins(8, 0, 0, 0);
    layout->addWidget(m_numberText);
    layout->addLayout(fields);
    layout->addWidget(m_problem);
    layout->addLayout(saveRow);
    layout->addWidget(m_feedback);
    layout->addStretch();
    layout->addLayout(otherRow);

    setTabOrder(m_name, m_agent);
    setTabOrder(m_agent, m_routing);
    setTabOrder(m_routing, m_forwardTo);
    setTabOrder(m_forwardTo, m_save);
    setTabOrder(m_save, m_revert);
    setTabOrder(m_revert, m_call);
    setTabOrder(m_call, m_release);

    const auto edited = [this] {
        if (m_filling)
            return;
        m_feedback->clear();
        updateForm();
        Q_EMIT titleChanged();
    };
    connect(m_name, &QLineEdit::textEdited, this, edited);
    connect(m_forwardTo, &QLineEdit::textEdited, this, edited);
    connect(m_agent, &QComboBox::currentIndexChanged, this, edited);
    connect(m_routing, &QComboBox::currentIndexChanged, this, edited);
    connect(m_save, &QPushButton::clicked, this, &NumbersPane::save);
    connect(m_revert, &QPushButton::clicked, this, [this] {
        showSelected();
        Q_EMIT titleChanged();
    });
    connect(m_release, &QPushButton::clicked, this, &NumbersPane::askRelease);
    connect(m_call, &QPushButton::clicked, this, &NumbersPane::placeCallFromNumber);
}

void NumbersPane::fillAgentCombo()
{
    const bool wasFilling = m_filling;
    m_filling = true;
    const QString keep = m_agent->currentData().toString();
    m_agent->clear();
    m_agent->addItem(tr("Unassigned"), QString());
    if (auto *agents = context().agents) {
        for (const auto &a : agents->items())
            m_agent->addItem(a.name, a.id);
    }
    m_agent->setCurrentIndex(qMax(0, m_agent->findData(keep)));
    m_filling = wasFilling;
}

void NumbersPane::showSelected()
{
    m_filling = true;
    const PhoneNumber *n = current();
    m_numberText->setText(n ? n->number : tr("No number selected"));
    m_name->setText(n ? n->friendlyName : QString());
    int agentIndex = n ? m_agent->findData(n->agentId) : 0;
    if (n && agentIndex < 0 && !n->agentId.isEmpty()) {
        // An agent we have not loaded (yet): keep it selectable under its id.
        m_agent->addItem(n->agentId, n->agentId);
        agentIndex = m_agent->count() - 1;
    }
    m_agent->setCurrentIndex(qMax(0, agentIndex));
    const bool forward = n && n->routing.mode == RoutingMode::Forward;
    m_routing->setCurrentIndex(
        m_routing->findData(int(forward ? RoutingMode::Forward : RoutingMode::Agent)));
    m_forwardTo->setText(n ? n->routing.forwardTo : QString());
    m_filling = false;
    updateForm();
}

QString NumbersPane::formProblem() const
{
    if (m_routing->currentData().toInt() == int(RoutingMode::Forward)) {
        const QString problem = sb::models::e164::problem(m_forwardTo->text());
        if (!problem.isEmpty())
            return tr("Forward to: %1").arg(problem);
    }
    return QString();
}

sb::api::PhoneNumberChanges NumbersPane::pendingChanges() const
{
    sb::api::PhoneNumberChanges changes;
    const PhoneNumber *n = current();
    if (!n)
        return changes;
    const QString name = m_name->text().trimmed();
    if (name != n->friendlyName)
        changes.friendlyName = name;
    const QString agentId = m_agent->currentData().toString();
    if (agentId != n->agentId)
        changes.agentId = agentId;
    sb::api::PhoneRouting routing;
    routing.mode = RoutingMode(m_routing->currentData().toInt());
    if (routing.mode == RoutingMode::Forward)
        routing.forwardTo = sb::models::e164::normalized(m_forwardTo->text());
    const bool wasForward = n->routing.mode == RoutingMode::Forward;
    if (routing.mode != n->routing.mode ||
        (wasForward && routing.forwardTo != n->routing.forwardTo))
        changes.routing = routing;
    return changes;
}

bool NumbersPane::hasUnsavedChanges() const
{
    // A released number cannot be edited, so nothing about it is pending.
    const PhoneNumber *n = current();
    if (!n || n->status == PhoneNumberStatus::Released)
        return false;
    const auto c = pendingChanges();
    return c.friendlyName || c.agentId || c.routing;
}

void NumbersPane::updateForm()
{
    const PhoneNumber *n = current();
    const bool editable = n && n->status != PhoneNumberStatus::Released && !m_saving &&
                          context().platform &&
                          context().platform->can(sb::api::Platform::Capability::PhoneNumberEdit);
    for (QWidget *w : {static_cast<QWidget *>(m_name), static_cast<QWidget *>(m_agent),
                       static_cast<QWidget *>(m_routing)})
        w->setEnabled(editable);
    const bool forward = m_routing->currentData().toInt() == int(RoutingMode::Forward);
    m_forwardTo->setEnabled(editable && forward);
    const QString problem = n ? formProblem() : QString();
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    const bool dirty = hasUnsavedChanges();
    m_save->setEnabled(editable && dirty && problem.isEmpty());
    m_saveAction->setEnabled(m_save->isEnabled());
    m_revert->setEnabled(dirty && !m_saving);
    const bool live = n && n->status != PhoneNumberStatus::Released && !m_saving;
    m_release->setEnabled(live);
    m_releaseAction->setEnabled(live);
    const bool callable = live && n->status == PhoneNumberStatus::Active && n->voice;
    m_call->setEnabled(callable);
    m_callAction->setEnabled(callable);
    if (n && n->status == PhoneNumberStatus::Released)
        m_feedback->setText(tr("This number was released; it can no longer be changed."));
}

} // namespace sb::ui
