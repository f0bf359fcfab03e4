#include "contacteditor.h"

#include "placecalldialog.h" // setInlineError

#include "api/platform.h"
#include "models/e164.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSet>
#include <QTableWidget>
#include <QVBoxLayout>

namespace sb::ui {

using sb::api::Contact;

namespace {
bool isEmail(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^[^@\\s]+@[^@\\s]+\\.[^@\\s.]+$"));
    return re.match(text).hasMatch();
}
} // namespace

ContactEditor::ContactEditor(const ConsoleContext &context, QWidget *parent)
    : QWidget(parent)
    , m_context(context)
    , m_title(new QLabel(this))
    , m_name(new QLineEdit(this))
    , m_phone(new QLineEdit(this))
    , m_email(new QLineEdit(this))
    , m_company(new QLineEdit(this))
    , m_tags(new QLineEdit(this))
    , m_fields(new QTableWidget(0, 2, this))
    , m_addField(new QPushButton(tr("&Add Field"), this))
    , m_removeField(new QPushButton(tr("Remo&ve Field"), this))
    , m_problem(new QLabel(this))
    , m_feedback(new QLabel(this))
    , m_save(new QPushButton(tr("&Save"), this))
    , m_revert(new QPushButton(tr("Re&vert"), this))
    , m_call(new QPushButton(tr("&Call This Contact…"), this))
{
    setObjectName(QStringLiteral("contactEditor"));
    const QList<QPair<QWidget *, const char *>> names = {
        {m_name, "name"},         {m_phone, "phone"},
        {m_email, "email"},       {m_company, "company"},
        {m_tags, "tags"},         {m_fields, "customFields"},
        {m_addField, "addField"}, {m_removeField, "removeField"},
        {m_problem, "problem"},   {m_feedback, "feedback"},
        {m_save, "save"},         {m_revert, "revert"},
        {m_call, "call"}};
    for (const auto &[widget, name] : names)
        widget->setObjectName(QLatin1String(name));
    m_name->setAccessibleName(tr("Contact name"));
    m_phone->setAccessibleName(tr("Phone number"));
    m_email->setAccessibleName(tr("E-mail address"));
    m_company->setAccessibleName(tr("Company"));
    m_tags->setAccessibleName(tr("Tags"));
    m_fields->setAccessibleName(tr("Custom fields"));
    m_addField->setAccessibleName(tr("Add custom field"));
    m_removeField->setAccessibleName(tr("Remove custom field"));
    m_save->setAccessibleName(tr("Save contact"));
    m_revert->setAccessibleName(tr("Revert changes"));
    m_call->setAccessibleName(tr("Call this contact"));
    m_phone->setPlaceholderText(tr("+14155550123"));
    m_email->setPlaceholderText(tr("name@example.com (optional)"));
    m_tags->setPlaceholderText(tr("customer, vip (comma-separated)"));
    m_fields->setHorizontalHeaderLabels({tr("Field"), tr("Value")});
    m_fields->horizontalHeader()->setStretchLastSection(true);
    m_fields->horizontalHeader()->setDefaultSectionSize(150);
    m_fields->verticalHeader()->hide();
    m_problem->setWordWrap(true);
    m_feedback->setWordWrap(true);
    setInlineError(m_problem, true);
    QFont big = m_title->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    m_title->setFont(big);

    auto *form = new QFormLayout;
    const auto row = [this, form](const QString &label, QWidget *field) {
        auto *l = new QLabel(label, this);
        l->setBuddy(field);
        form->addRow(l, field);
    };
    row(tr("&Name:"), m_name);
    row(tr("&Phone:"), m_phone);
    row(tr("&E-mail:"), m_email);
    row(tr("C&ompany:"), m_company);
    row(tr("&Tags:"), m_tags);
    auto *fieldButtons = new QHBoxLayout;
    fieldButtons->addWidget(m_addField);
    fieldButtons->addWidget(m_removeField);
    fieldButtons->addStretch();
    auto *saveRow = new QHBoxLayout;
    saveRow->addWidget(m_save);
    saveRow->addWidget(m_revert);
    saveRow->addStretch();
    saveRow->addWidget(m_call);
    auto *fieldsLabel = new QLabel(tr("Custom &fields:"), this);
    fieldsLabel->setBuddy(m_fields);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addLayout(form);
    layout->addWidget(fieldsLabel);
    layout->addWidget(m_fields, 1);
    layout->addLayout(fieldButtons);
    layout->addWidget(m_problem);
    layout->addLayout(saveRow);
    layout->addWidget(m_feedback);

    const auto edited = [this] {
        if (m_filling)
            return;
        m_feedback->clear();
        refreshState();
        Q_EMIT dirtyChanged();
    };
    for (QLineEdit *e : {m_name, m_phone, m_email, m_company, m_tags})
        connect(e, &QLineEdit::textEdited, this, edited);
    connect(m_fields, &QTableWidget::itemChanged, this, edited);
    connect(m_addField, &QPushButton::clicked, this, [this, edited] {
        addFieldRow(QString(), QString());
        const int last = m_fields->rowCount() - 1;
        m_fields->setCurrentCell(last, 0);
        m_fields->editItem(m_fields->item(last, 0));
        edited();
    });
    connect(m_removeField, &QPushButton::clicked, this, [this, edited] {
        if (m_fields->currentRow() >= 0)
            m_fields->removeRow(m_fields->currentRow());
        edited();
    });
    connect(m_save, &QPushButton::clicked, this, &ContactEditor::save);
    connect(m_revert, &QPushButton::clicked, this, &ContactEditor::revert);
    connect(m_call, &QPushButton::clicked, this, [this] { Q_EMIT callRequested(m_contact.phone); });
    clear();
}

void ContactEditor::clear()
{
    m_active = false;
    m_isNew = false;
    fill(Contact());
    m_title->setText(tr("No contact selected"));
}

void ContactEditor::createNew()
{
    m_active = true;
    m_isNew = true;
    fill(Contact());
    m_title->setText(tr("New contact"));
    m_feedback->clear();
    m_name->setFocus();
}

void ContactEditor::edit(const Contact &contact)
{
    m_active = true;
    m_isNew = false;
    fill(contact);
    m_feedback->clear();
    // The list has no ETag; the single GET gives the version to send as If-Match.
    const QString id = contact.id;
    auto reply = m_context.platform->contact(id);
    reply.onFinished(this, [this, id](const sb::api::Result<Contact> &result) {
        if (!result.ok() || id != m_contact.id || m_isNew)
            return; // the list's copy stays; a save then goes without If-Match
        if (isDirty())
            m_contact.etag = result.value().etag; // keep the edits, learn the tag
        else
            fill(result.value());
    });
}

void ContactEditor::fill(const Contact &contact)
{
    if (contact.id != m_contact.id || contact.id.isEmpty())
        ++m_generation;
    m_filling = true;
    m_contact = contact;
    m_title->setText(contact.name);
    m_name->setText(contact.name);
    m_phone->setText(contact.phone);
    m_email->setText(contact.email);
    m_company->setText(contact.company);
    m_tags->setText(contact.tags.join(QStringLiteral(", ")));
    m_fields->setRowCount(0);
    for (auto it = contact.customFields.cbegin(); it != contact.customFields.cend(); ++it)
        addFieldRow(it.key(), it.value());
    m_filling = false;
    refreshState();
    Q_EMIT dirtyChanged();
}

void ContactEditor::addFieldRow(const QString &key, const QString &value)
{
    const bool wasFilling = m_filling;
    m_filling = true;
    const int row = m_fields->rowCount();
    m_fields->insertRow(row);
    m_fields->setItem(row, 0, new QTableWidgetItem(key));
    m_fields->setItem(row, 1, new QTableWidgetItem(value));
    m_filling = wasFilling;
}

QMap<QString, QString> ContactEditor::formFields() const
{
    QMap<QString, QString> fields;
    for (int row = 0; row < m_fields->rowCount(); ++row) {
        const QString key =
            m_fields->item(row, 0) ? m_fields->item(row, 0)->text().trimmed() : QString();
        const QString value = m_fields->item(row, 1) ? m_fields->item(row, 1)->text() : QString();
        if (!key.isEmpty())
            fields.insert(key, value);
    }
    return fields;
}

QStringList ContactEditor::formTags() const
{
    QStringList tags;
    const QStringList parts = m_tags->text().split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &part : parts) {
        const QString tag = part.trimmed();
        if (!tag.isEmpty() && !tags.contains(tag))
            tags.append(tag);
    }
    return tags;
}

sb::api::ContactChanges ContactEditor::changes() const
{
    sb::api::ContactChanges c;
    const QString name = m_name->text().trimmed();
    const QString phone = sb::models::e164::normalized(m_phone->text());
    const QString email = m_email->text().trimmed();
    const QString company = m_company->text().trimmed();
    if (m_isNew || name != m_contact.name)
        c.name = name;
    if (m_isNew || phone != m_contact.phone)
        c.phone = phone;
    if (email != m_contact.email)
        c.email = email.isEmpty() ? QString() : email; // null clears it on the server
    if (company != m_contact.company)
        c.company = company.isEmpty() ? QString() : company;
    if (formTags() != m_contact.tags)
        c.tags = formTags();
    const QMap<QString, QString> fields = formFields();
    if (fields != m_contact.customFields) {
        QMap<QString, QString> patch = fields;
        // Keys no longer in the table are removed (null) rather than left as they were.
        for (auto it = m_contact.customFields.cbegin(); it != m_contact.customFields.cend(); ++it) {
            if (!fields.contains(it.key()))
                patch.insert(it.key(), QString());
        }
        c.customFields = patch;
    }
    return c;
}

bool ContactEditor::isDirty() const
{
    if (!m_active)
        return false;
    const auto c = changes();
    if (m_isNew)
        return !m_name->text().trimmed().isEmpty() || !m_phone->text().trimmed().isEmpty() ||
               c.email || c.company || c.tags || c.customFields;
    return c.name || c.phone || c.email || c.company || c.tags || c.customFields;
}

QString ContactEditor::problem() const
{
    if (!m_active)
        return QString();
    if (m_name->text().trimmed().isEmpty())
        return tr("Name: enter the contact's name.");
    const QString phoneProblem = sb::models::e164::problem(m_phone->text());
    if (!phoneProblem.isEmpty())
        return tr("Phone: %1").arg(phoneProblem);
    const QString email = m_email->text().trimmed();
    if (!email.isEmpty() && !isEmail(email))
        return tr("E-mail: \"%1\" is not an address like name@example.com.").arg(email);
    QSet<QString> keys;
    for (int row = 0; row < m_fields->rowCount(); ++row) {
        const QString key =
            m_fields->item(row, 0) ? m_fields->item(row, 0)->text().trimmed() : QString();
        const QString value = m_fields->item(row, 1) ? m_fields->item(row, 1)->text() : QString();
        if (key.isEmpty() && !value.isEmpty())
            return tr("Custom field %1 needs a name.").arg(row + 1);
        if (!key.isEmpty() && keys.contains(key))
            return tr("Custom field \"%1\" appears twice.").arg(key);
        keys.insert(key);
    }
    return QString();
}

QString ContactEditor::feedback() const
{
    return m_feedback->text();
}

void ContactEditor::refreshState()
{
    const bool editable = m_active && !m_saving;
    for (QWidget *w : {static_cast<QWidget *>(m_name), static_cast<QWidget *>(m_phone),
                       static_cast<QWidget *>(m_email), static_cast<QWidget *>(m_company),
                       static_cast<QWidget *>(m_tags), static_cast<QWidget *>(m_fields),
                       static_cast<QWidget *>(m_addField)})
        w->setEnabled(editable);
    m_removeField->setEnabled(editable && m_fields->rowCount() > 0);
    // Say nothing while a new form is still untouched.
    const QString why = isDirty() || !m_isNew ? problem() : QString();
    m_problem->setText(why);
    m_problem->setVisible(!why.isEmpty());
    m_save->setEnabled(editable && isDirty() && problem().isEmpty());
    m_save->setToolTip(why.isEmpty() ? tr("Save the contact") : why);
    m_revert->setEnabled(editable && isDirty());
    m_call->setEnabled(m_active && !m_isNew && sb::models::e164::isValid(m_contact.phone));
}

void ContactEditor::revert()
{
    if (m_isNew)
        createNew();
    else
        fill(m_contact);
}

void ContactEditor::save()
{
    if (!m_active || m_saving || !isDirty() || !problem().isEmpty())
        return;
    m_saving = true;
    m_feedback->setText(tr("Saving…"));
    refreshState();
    const bool created = m_isNew;
    sb::api::ContactChanges c = changes();
    if (created && c.customFields) {
        // A new contact has nothing to remove.
        c.customFields = formFields();
    }
    auto reply = created ? m_context.platform->createContact(c)
                         : m_context.platform->patchContact(m_contact.id, c, m_contact.etag);
    const quint64 generation = m_generation;
    reply.onFinished(this, [this, created, generation](const sb::api::Result<Contact> &result) {
        if (generation != m_generation) {
            // The person moved on to another contact meanwhile (saving on leave).
            m_saving = false;
            if (result.ok())
                Q_EMIT saved(result.value(), created);
            else
                Q_EMIT saveFailed(
                    tr("The contact was not saved: %1").arg(result.error().caption()));
            refreshState();
            return;
        }
        finishSave(result, created);
    });
}

void ContactEditor::finishSave(const sb::api::Result<Contact> &result, bool created)
{
    m_saving = false;
    if (result.ok()) {
        m_isNew = false;
        fill(result.value());
        m_feedback->setText(created ? tr("Created %1.").arg(result.value().name)
                                    : tr("Saved %1.").arg(result.value().name));
        Q_EMIT saved(result.value(), created);
        return;
    }
    const sb::api::ApiError &error = result.error();
    if (error.kind == sb::api::ApiError::Kind::PreconditionFailed) {
        // Someone saved this contact since we read it: show theirs, the person redoes theirs.
        if (auto current = error.currentAs<Contact>()) {
            Contact theirs = *current;
            theirs.etag = error.currentEtag;
            fill(theirs);
            Q_EMIT saved(theirs, false);
        } else {
            edit(m_contact);
        }
        m_feedback->setText(tr("Someone else changed this contact meanwhile. It was reloaded "
                               "with their version; your changes were not saved."));
        refreshState();
        return;
    }
    m_feedback->clear();
    refreshState();
    QString text = error.caption();
    if (!error.message.isEmpty())
        text = tr("%1 (%2)").arg(text, error.message);
    Q_EMIT saveFailed(created ? tr("The contact was not created: %1").arg(text)
                              : tr("The contact was not saved: %1").arg(text));
}

} // namespace sb::ui
