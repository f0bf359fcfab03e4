#include "placecalldialog.h"

#include "api/logging.h"
#include "api/platform.h"
#include "models/agentlistmodel.h"
#include "models/contactmodel.h"
#include "models/e164.h"
#include "models/phonenumbermodel.h"

#include <QComboBox>
#include <QCompleter>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLoggingCategory>
#include <QPushButton>
#include <QSet>
#include <QStringListModel>
#include <QTableWidget>
#include <QVBoxLayout>

Q_LOGGING_CATEGORY(lcUiPlaceCall, "switchboard.ui")

namespace sb::ui {

using sb::api::PhoneNumberStatus;

void setInlineError(QLabel *label, bool error)
{
    // A red that keeps its contrast on light and dark windows; hints use the placeholder role.
    QPalette pal = label->parentWidget() ? label->parentWidget()->palette() : label->palette();
    if (error) {
        // Red pulled towards the text colour: darker on light windows, lighter on dark ones.
        const QColor text = pal.color(QPalette::WindowText);
        const QColor red(0xc0, 0x39, 0x2b);
        pal.setColor(QPalette::WindowText,
                     QColor((text.red() + red.red() * 2) / 3, (text.green() + red.green() * 2) / 3,
                            (text.blue() + red.blue() * 2) / 3));
    } else {
        pal.setColor(QPalette::WindowText, pal.color(QPalette::PlaceholderText));
    }
    label->setPalette(pal);
}

namespace {
// Completion entries look like "Ana Rossi — +14155550123"; the number is the last word.
const QString kContactSeparator = QStringLiteral(" — ");

QString numberFromCompletion(const QString &text)
{
    const int at = int(text.lastIndexOf(kContactSeparator));
    return at < 0 ? text : text.mid(at + kContactSeparator.size());
}
} // namespace

PlaceCallDialog::PlaceCallDialog(const ConsoleContext &context, QWidget *parent)
    : QDialog(parent)
    , m_context(context)
    , m_agent(new QComboBox(this))
    , m_from(new QComboBox(this))
    , m_to(new QLineEdit(this))
    , m_toProblem(new QLabel(this))
    , m_metadata(new QTableWidget(0, 2, this))
    , m_addRow(new QPushButton(tr("&Add field"), this))
    , m_removeRow(new QPushButton(tr("Re&move field"), this))
    , m_reason(new QLabel(this))
    , m_error(new QLabel(this))
    , m_place(new QPushButton(tr("&Place Call"), this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
{
    setWindowTitle(tr("Place a Call"));
    setObjectName(QStringLiteral("placeCallDialog"));
    m_agent->setObjectName(QStringLiteral("agent"));
    m_from->setObjectName(QStringLiteral("from"));
    m_to->setObjectName(QStringLiteral("to"));
    m_toProblem->setObjectName(QStringLiteral("toProblem"));
    m_metadata->setObjectName(QStringLiteral("metadata"));
    m_reason->setObjectName(QStringLiteral("reason"));
    m_error->setObjectName(QStringLiteral("error"));
    m_place->setObjectName(QStringLiteral("place"));
    m_addRow->setObjectName(QStringLiteral("addRow"));
    m_removeRow->setObjectName(QStringLiteral("removeRow"));

    m_agent->setAccessibleName(tr("Agent"));
    m_from->setAccessibleName(tr("Call from number"));
    m_to->setAccessibleName(tr("Number to call"));
    m_metadata->setAccessibleName(tr("Call metadata"));
    m_addRow->setAccessibleName(tr("Add metadata field"));
    m_removeRow->setAccessibleName(tr("Remove metadata field"));
    m_place->setAccessibleName(tr("Place call"));
    m_cancel->setAccessibleName(tr("Cancel"));

    m_to->setPlaceholderText(tr("+14155550123 or a contact's name"));
    m_to->setClearButtonEnabled(true);
    m_toProblem->setWordWrap(true);
    m_metadata->setHorizontalHeaderLabels({tr("Key"), tr("Value")});
    m_metadata->horizontalHeader()->setStretchLastSection(true);
    m_metadata->verticalHeader()->hide();
    m_metadata->setMinimumHeight(110);
    m_reason->setWordWrap(true);
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->hide();
    setInlineError(m_error, true);
    m_place->setDefault(true);

    auto *form = new QFormLayout;
    auto *agentLabel = new QLabel(tr("&Agent:"), this);
    agentLabel->setBuddy(m_agent);
    auto *fromLabel = new QLabel(tr("&From:"), this);
    fromLabel->setBuddy(m_from);
    auto *toLabel = new QLabel(tr("&To:"), this);
    toLabel->setBuddy(m_to);
    auto *metaLabel = new QLabel(tr("&Metadata:"), this);
    metaLabel->setBuddy(m_metadata);
    form->addRow(agentLabel, m_agent);
    form->addRow(fromLabel, m_from);
    form->addRow(toLabel, m_to);
    form->addRow(QString(), m_toProblem);
    auto *metaButtons = new QHBoxLayout;
    metaButtons->addWidget(m_addRow);
    metaButtons->addWidget(m_removeRow);
    metaButtons->addStretch();
    auto *metaBox = new QVBoxLayout;
    metaBox->addWidget(m_metadata);
    metaBox->addLayout(metaButtons);
    form->addRow(metaLabel, metaBox);

    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_place, QDialogButtonBox::AcceptRole);
    buttons->addButton(m_cancel, QDialogButtonBox::RejectRole);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_reason);
    layout->addWidget(buttons);
    resize(520, sizeHint().height());

    setTabOrder(m_agent, m_from);
    setTabOrder(m_from, m_to);
    setTabOrder(m_to, m_metadata);
    setTabOrder(m_metadata, m_addRow);
    setTabOrder(m_addRow, m_removeRow);
    setTabOrder(m_removeRow, m_place);
    setTabOrder(m_place, m_cancel);

    auto *completer = new QCompleter(new QStringListModel(this), this);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    completer->setFilterMode(Qt::MatchContains);
    m_to->setCompleter(completer);
    // QLineEdit puts the whole entry in first; keep only the number.
    connect(completer, qOverload<const QString &>(&QCompleter::activated), this,
            [this](const QString &text) { m_to->setText(numberFromCompletion(text)); });

    connect(m_agent, &QComboBox::currentIndexChanged, this, [this] {
        pickNumberOfAgent();
        validate();
    });
    connect(m_from, &QComboBox::currentIndexChanged, this, &PlaceCallDialog::validate);
    connect(m_to, &QLineEdit::textChanged, this, &PlaceCallDialog::validate);
    connect(m_metadata, &QTableWidget::itemChanged, this, &PlaceCallDialog::validate);
    connect(m_addRow, &QPushButton::clicked, this, [this] {
        addMetadataRow();
        m_metadata->setCurrentCell(m_metadata->rowCount() - 1, 0);
        m_metadata->editItem(m_metadata->item(m_metadata->rowCount() - 1, 0));
    });
    connect(m_removeRow, &QPushButton::clicked, this, [this] {
        const int row = m_metadata->currentRow();
        if (row >= 0)
            m_metadata->removeRow(row);
        validate();
    });
    connect(m_place, &QPushButton::clicked, this, &PlaceCallDialog::place);
    connect(m_cancel, &QPushButton::clicked, this, &QDialog::reject);

    // The lists may still be loading when the dialog opens: follow them.
    if (auto *agents = m_context.agents) {
        connect(agents, &QAbstractItemModel::modelReset, this, &PlaceCallDialog::fillAgents);
        connect(agents, &QAbstractItemModel::rowsInserted, this, &PlaceCallDialog::fillAgents);
        connect(agents, &QAbstractItemModel::dataChanged, this, &PlaceCallDialog::fillAgents);
    }
    if (auto *numbers = m_context.numbers) {
        connect(numbers, &QAbstractItemModel::modelReset, this, &PlaceCallDialog::fillNumbers);
        connect(numbers, &QAbstractItemModel::rowsInserted, this, &PlaceCallDialog::fillNumbers);
        connect(numbers, &QAbstractItemModel::rowsRemoved, this, &PlaceCallDialog::fillNumbers);
        connect(numbers, &QAbstractItemModel::dataChanged, this, &PlaceCallDialog::fillNumbers);
    }
    if (auto *contacts = m_context.contacts) {
        connect(contacts, &QAbstractItemModel::modelReset, this, &PlaceCallDialog::fillContacts);
        connect(contacts, &QAbstractItemModel::rowsInserted, this, &PlaceCallDialog::fillContacts);
        connect(contacts, &QAbstractItemModel::dataChanged, this, &PlaceCallDialog::fillContacts);
    }
    fillAgents();
    fillNumbers();
    fillContacts();
    validate();
}

void PlaceCallDialog::setTo(const QString &number)
{
    m_to->setText(number);
}

void PlaceCallDialog::setAgent(const QString &id)
{
    m_pendingAgent = id;
    const int i = m_agent->findData(id);
    if (i >= 0)
        m_agent->setCurrentIndex(i);
}

void PlaceCallDialog::setFrom(const QString &number)
{
    m_pendingFrom = number;
    const int i = m_from->findData(number);
    if (i >= 0)
        m_from->setCurrentIndex(i);
}

QString PlaceCallDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

void PlaceCallDialog::fillAgents()
{
    const QString keep =
        m_agent->currentIndex() >= 0 ? m_agent->currentData().toString() : m_pendingAgent;
    QSignalBlocker block(m_agent);
    m_agent->clear();
    if (auto *agents = m_context.agents) {
        for (const auto &a : agents->items()) {
            const QString label =
                a.status == sb::api::AgentStatus::Paused ? tr("%1 (paused)").arg(a.name) : a.name;
            m_agent->addItem(label, a.id);
        }
    }
    const int i = m_agent->findData(keep.isEmpty() ? m_pendingAgent : keep);
    m_agent->setCurrentIndex(i);
    block.unblock();
    if (i >= 0 && !m_pendingAgent.isEmpty() && keep == m_pendingAgent && m_pendingFrom.isEmpty())
        pickNumberOfAgent();
    validate();
}

void PlaceCallDialog::pickNumberOfAgent()
{
    // The number routed to the agent is the natural caller id for its calls.
    const QString agentId = m_agent->currentData().toString();
    if (agentId.isEmpty() || !m_context.numbers)
        return;
    for (const auto &n : m_context.numbers->items()) {
        const int i = n.agentId == agentId ? m_from->findData(n.number) : -1;
        if (i >= 0) {
            m_from->setCurrentIndex(i);
            return;
        }
    }
}

void PlaceCallDialog::fillNumbers()
{
    const QString keep =
        m_from->currentIndex() >= 0 ? m_from->currentData().toString() : m_pendingFrom;
    QSignalBlocker block(m_from);
    m_from->clear();
    if (auto *numbers = m_context.numbers) {
        // Only numbers the platform lets us call from: active, with voice.
        for (const auto &n : numbers->items()) {
            if (n.status != PhoneNumberStatus::Active || !n.voice)
                continue;
            const QString label = n.friendlyName.isEmpty() || n.friendlyName == n.number
                                      ? n.number
                                      : n.number + kContactSeparator + n.friendlyName;
            m_from->addItem(label, n.number);
        }
    }
    int i = m_from->findData(keep);
    if (i < 0 && m_from->count() > 0)
        i = 0;
    m_from->setCurrentIndex(i);
    block.unblock();
    validate();
}

void PlaceCallDialog::fillContacts()
{
    QStringList entries;
    if (auto *contacts = m_context.contacts) {
        for (const auto &c : contacts->items()) {
            if (!c.phone.isEmpty())
                entries.append(c.name + kContactSeparator + c.phone);
        }
    }
    if (auto *model = qobject_cast<QStringListModel *>(m_to->completer()->model()))
        model->setStringList(entries);
}

void PlaceCallDialog::addMetadataRow(const QString &key, const QString &value)
{
    const int row = m_metadata->rowCount();
    m_metadata->insertRow(row);
    m_metadata->setItem(row, 0, new QTableWidgetItem(key));
    m_metadata->setItem(row, 1, new QTableWidgetItem(value));
    validate();
}

QString PlaceCallDialog::blockingReason() const
{
    auto *platform = m_context.platform;
    if (!platform)
        return tr("Not connected.");
    if (!platform->can(sb::api::Platform::Capability::CallPlacement))
        return platform->unsupportedReason(sb::api::Platform::Capability::CallPlacement);
    if (m_agent->currentIndex() < 0)
        return m_agent->count() == 0 ? tr("There is no agent to place the call with yet.")
                                     : tr("Choose the agent that makes the call.");
    if (m_from->currentIndex() < 0)
        return tr("There is no active voice number to call from. Buy one in Numbers.");
    const QString toProblem = sb::models::e164::problem(m_to->text());
    if (!toProblem.isEmpty())
        return tr("To: %1").arg(toProblem);
    QSet<QString> keys;
    for (int row = 0; row < m_metadata->rowCount(); ++row) {
        const QString key =
            m_metadata->item(row, 0) ? m_metadata->item(row, 0)->text().trimmed() : QString();
        const QString value =
            m_metadata->item(row, 1) ? m_metadata->item(row, 1)->text() : QString();
        if (key.isEmpty() && value.isEmpty())
            continue; // an untouched new row is ignored, not an error
        if (key.isEmpty())
            return tr("Metadata row %1 needs a key.").arg(row + 1);
        if (keys.contains(key))
            return tr("Metadata key \"%1\" is used twice.").arg(key);
        keys.insert(key);
    }
    return QString();
}

void PlaceCallDialog::validate()
{
    const QString typed = m_to->text();
    // Say nothing about an empty field until the person starts typing.
    m_toProblem->setText(typed.trimmed().isEmpty() ? tr("International format, e.g. +14155550123")
                                                   : sb::models::e164::problem(typed));
    setInlineError(m_toProblem, !typed.trimmed().isEmpty());
    const QString reason = blockingReason();
    m_place->setEnabled(!m_busy && reason.isEmpty());
    m_place->setToolTip(reason.isEmpty() ? tr("Place the call (Enter)") : reason);
    m_reason->setText(reason);
    m_reason->setVisible(!reason.isEmpty());
    m_removeRow->setEnabled(!m_busy && m_metadata->rowCount() > 0);
}

void PlaceCallDialog::setBusy(bool busy)
{
    m_busy = busy;
    for (QWidget *w : {static_cast<QWidget *>(m_agent), static_cast<QWidget *>(m_from),
                       static_cast<QWidget *>(m_to), static_cast<QWidget *>(m_metadata),
                       static_cast<QWidget *>(m_addRow)})
        w->setEnabled(!busy);
    m_place->setText(busy ? tr("Placing…") : tr("&Place Call"));
    validate();
}

void PlaceCallDialog::place()
{
    if (m_busy || !blockingReason().isEmpty())
        return;
    sb::api::PlaceCallRequest request;
    request.agentId = m_agent->currentData().toString();
    request.from = m_from->currentData().toString();
    request.to = sb::models::e164::normalized(m_to->text());
    for (int row = 0; row < m_metadata->rowCount(); ++row) {
        const QString key = m_metadata->item(row, 0)->text().trimmed();
        if (!key.isEmpty())
            request.metadata.insert(key, m_metadata->item(row, 1)->text());
    }
    m_error->hide();
    setBusy(true);
    qCInfo(lcUiPlaceCall) << "placing a call to" << sb::api::maskPhone(request.to);
    auto reply = m_context.platform->placeCall(request);
    reply.onFinished(this, [this](const sb::api::Result<sb::api::Call> &result) {
        setBusy(false);
        if (!result.ok()) {
            const sb::api::ApiError &error = result.error();
            QString text = error.caption();
            if (!error.message.isEmpty() && !text.contains(error.message))
                text = tr("%1 (%2)").arg(text, error.message);
            m_error->setText(tr("The call was not placed: %1").arg(text));
            m_error->setToolTip(error.details());
            m_error->show();
            if (error.field == QLatin1String("to"))
                m_to->setFocus();
            return;
        }
        if (m_context.navigator)
            Q_EMIT m_context.navigator->showLiveCall(result.value().id);
        accept();
    });
}

} // namespace sb::ui
