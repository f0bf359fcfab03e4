#include "purchasedialog.h"

#include "placecalldialog.h" // setInlineError

#include "api/logging.h"
#include "api/platform.h"
#include "models/agentlistmodel.h"
#include "models/e164.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLoggingCategory>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpressionValidator>
#include <QVBoxLayout>

Q_LOGGING_CATEGORY(lcUiPurchase, "switchboard.ui")

namespace sb::ui {

PurchaseDialog::PurchaseDialog(const ConsoleContext &context, QWidget *parent)
    : QDialog(parent)
    , m_context(context)
    , m_byArea(new QRadioButton(tr("Any number in a &country / area code"), this))
    , m_byNumber(new QRadioButton(tr("A &specific number"), this))
    , m_country(new QComboBox(this))
    , m_areaCode(new QLineEdit(this))
    , m_number(new QLineEdit(this))
    , m_name(new QLineEdit(this))
    , m_agent(new QComboBox(this))
    , m_cost(new QLabel(this))
    , m_problem(new QLabel(this))
    , m_error(new QLabel(this))
    , m_buy(new QPushButton(tr("&Buy Number"), this))
{
    setWindowTitle(tr("Buy a Phone Number"));
    setObjectName(QStringLiteral("purchaseDialog"));
    m_byArea->setObjectName(QStringLiteral("byArea"));
    m_byNumber->setObjectName(QStringLiteral("byNumber"));
    m_country->setObjectName(QStringLiteral("country"));
    m_areaCode->setObjectName(QStringLiteral("areaCode"));
    m_number->setObjectName(QStringLiteral("number"));
    m_name->setObjectName(QStringLiteral("name"));
    m_agent->setObjectName(QStringLiteral("agent"));
    m_error->setObjectName(QStringLiteral("error"));
    m_buy->setObjectName(QStringLiteral("buy"));

    m_country->setAccessibleName(tr("Country"));
    m_areaCode->setAccessibleName(tr("Area code"));
    m_number->setAccessibleName(tr("Exact number"));
    m_name->setAccessibleName(tr("Number name"));
    m_agent->setAccessibleName(tr("Agent answering the number"));
    m_buy->setAccessibleName(tr("Buy number"));

    // The countries Talknex provisions numbers in (CONTRACT §1.1: country + optional area code).
    m_country->addItem(tr("United States (+1)"), QStringLiteral("US"));
    m_country->addItem(tr("Canada (+1)"), QStringLiteral("CA"));
    m_country->addItem(tr("United Kingdom (+44)"), QStringLiteral("GB"));
    m_country->addItem(tr("Germany (+49)"), QStringLiteral("DE"));
    m_areaCode->setPlaceholderText(tr("Any (e.g. 415)"));
    m_areaCode->setValidator(new QRegularExpressionValidator(
        QRegularExpression(QStringLiteral("[1-9][0-9]{0,3}")), m_areaCode));
    m_number->setPlaceholderText(tr("+14155550123"));
    m_name->setPlaceholderText(tr("e.g. Support line (optional)"));
    m_name->setMaxLength(64);
    m_agent->addItem(tr("Nobody yet"), QString());
    if (auto *agents = m_context.agents) {
        for (const auto &a : agents->items())
            m_agent->addItem(a.name, a.id);
    }
    m_byArea->setChecked(true);
    // The platform's list of numbers carries no prices, so the dialog says where the cost is.
    m_cost->setText(
        tr("Cost: %1 does not report prices through its API; the number is billed "
           "monthly by the provider according to your plan.")
            .arg(m_context.platform ? m_context.platform->displayName() : tr("the platform")));
    m_cost->setWordWrap(true);
    setInlineError(m_cost, false);
    m_problem->setWordWrap(true);
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->hide();
    setInlineError(m_error, true);

    auto *group = new QButtonGroup(this);
    group->addButton(m_byArea);
    group->addButton(m_byNumber);

    auto *form = new QFormLayout;
    auto *countryLabel = new QLabel(tr("C&ountry:"), this);
    countryLabel->setBuddy(m_country);
    auto *areaLabel = new QLabel(tr("&Area code:"), this);
    areaLabel->setBuddy(m_areaCode);
    auto *numberLabel = new QLabel(tr("N&umber:"), this);
    numberLabel->setBuddy(m_number);
    auto *nameLabel = new QLabel(tr("&Name:"), this);
    nameLabel->setBuddy(m_name);
    auto *agentLabel = new QLabel(tr("A&gent:"), this);
    agentLabel->setBuddy(m_agent);
    form->addRow(m_byArea);
    form->addRow(countryLabel, m_country);
    form->addRow(areaLabel, m_areaCode);
    form->addRow(m_byNumber);
    form->addRow(numberLabel, m_number);
    form->addRow(nameLabel, m_name);
    form->addRow(agentLabel, m_agent);

    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_buy, QDialogButtonBox::AcceptRole);
    QPushButton *cancel = buttons->addButton(QDialogButtonBox::Cancel);
    cancel->setAccessibleName(tr("Cancel"));
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_cost);
    layout->addWidget(m_problem);
    layout->addWidget(m_error);
    layout->addStretch();
    layout->addWidget(buttons);
    resize(480, sizeHint().height());

    connect(m_byArea, &QRadioButton::toggled, this, &PurchaseDialog::validate);
    connect(m_areaCode, &QLineEdit::textChanged, this, &PurchaseDialog::validate);
    connect(m_number, &QLineEdit::textChanged, this, &PurchaseDialog::validate);
    connect(m_buy, &QPushButton::clicked, this, &PurchaseDialog::buy);
    connect(cancel, &QPushButton::clicked, this, &QDialog::reject);
    validate();
}

QString PurchaseDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

QString PurchaseDialog::blockingReason() const
{
    auto *platform = m_context.platform;
    if (!platform)
        return tr("Not connected.");
    if (!platform->can(sb::api::Platform::Capability::NumberPurchase))
        return platform->unsupportedReason(sb::api::Platform::Capability::NumberPurchase);
    if (m_byNumber->isChecked())
        return sb::models::e164::problem(m_number->text());
    const QString area = m_areaCode->text();
    if (!area.isEmpty() && area.size() < 2)
        return tr("An area code has 2 to 4 digits; leave it empty for any.");
    return QString();
}

void PurchaseDialog::validate()
{
    const bool byNumber = m_byNumber->isChecked();
    m_country->setEnabled(!m_busy && !byNumber);
    m_areaCode->setEnabled(!m_busy && !byNumber);
    m_number->setEnabled(!m_busy && byNumber);
    const QString reason = blockingReason();
    // An empty exact-number field is not an error yet, only a reason to wait.
    const bool quiet = byNumber && m_number->text().trimmed().isEmpty();
    m_problem->setText(reason);
    m_problem->setVisible(!reason.isEmpty());
    setInlineError(m_problem, !quiet);
    m_buy->setEnabled(!m_busy && reason.isEmpty());
    m_buy->setToolTip(reason.isEmpty() ? tr("Buy the number (Enter)") : reason);
}

void PurchaseDialog::setBusy(bool busy)
{
    m_busy = busy;
    for (QWidget *w : {static_cast<QWidget *>(m_byArea), static_cast<QWidget *>(m_byNumber),
                       static_cast<QWidget *>(m_name), static_cast<QWidget *>(m_agent)})
        w->setEnabled(!busy);
    m_buy->setText(busy ? tr("Buying…") : tr("&Buy Number"));
    validate();
}

void PurchaseDialog::showError(const QString &text)
{
    m_error->setText(text);
    m_error->show();
}

void PurchaseDialog::buy()
{
    if (m_busy || !blockingReason().isEmpty())
        return;
    sb::api::NumberPurchase purchase;
    if (m_byNumber->isChecked()) {
        purchase.number = sb::models::e164::normalized(m_number->text());
    } else {
        purchase.country = m_country->currentData().toString();
        purchase.areaCode = m_areaCode->text();
    }
    m_error->hide();
    setBusy(true);
    auto reply = m_context.platform->purchaseNumber(purchase);
    reply.onFinished(this, [this](const sb::api::Result<sb::api::PhoneNumber> &result) {
        if (!result.ok()) {
            setBusy(false);
            const auto &error = result.error();
            showError(tr("The number was not bought: %1")
                          .arg(error.message.isEmpty()
                                   ? error.caption()
                                   : tr("%1 (%2)").arg(error.caption(), error.message)));
            return;
        }
        qCInfo(lcUiPurchase) << "bought" << sb::api::maskPhone(result.value().number);
        configure(result.value());
    });
}

void PurchaseDialog::configure(const sb::api::PhoneNumber &number)
{
    sb::api::PhoneNumberChanges changes;
    const QString name = m_name->text().trimmed();
    const QString agentId = m_agent->currentData().toString();
    if (!name.isEmpty())
        changes.friendlyName = name;
    if (!agentId.isEmpty())
        changes.agentId = agentId;
    if (!changes.friendlyName && !changes.agentId) {
        Q_EMIT purchased(number, QString());
        accept();
        return;
    }
    auto reply = m_context.platform->patchPhoneNumber(number.id, changes);
    reply.onFinished(this, [this, number](const sb::api::Result<sb::api::PhoneNumber> &result) {
        setBusy(false);
        // The number is ours either way; a failed naming is fixed in the list, not by buying again.
        if (result.ok())
            Q_EMIT purchased(result.value(), QString());
        else
            Q_EMIT purchased(number, tr("%1 was bought, but naming or assigning it failed: %2")
                                         .arg(number.number, result.error().caption()));
        accept();
    });
}

} // namespace sb::ui
