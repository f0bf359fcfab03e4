#include "toolseditor.h"

#include "agenteditorfields.h"

#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QStyle>
#include <QUrl>
#include <QVBoxLayout>

namespace sb::ui {

using agentfields::makeErrorLabel;
using agentfields::setError;
using sb::api::AgentTool;

namespace {

QString schemaText(const QJsonObject &schema)
{
    return schema.isEmpty()
               ? QString()
               : QString::fromUtf8(QJsonDocument(schema).toJson(QJsonDocument::Indented));
}

} // namespace

ToolsEditor::ToolsEditor(QWidget *parent)
    : QWidget(parent)
    , m_list(new QListWidget(this))
    , m_add(new QPushButton(tr("&Add Tool"), this))
    , m_remove(new QPushButton(tr("Re&move Tool"), this))
    , m_form(new QWidget(this))
    , m_name(new QLineEdit(m_form))
    , m_nameError(makeErrorLabel(m_form))
    , m_description(new QLineEdit(m_form))
    , m_parameters(new QPlainTextEdit(m_form))
    , m_parametersError(makeErrorLabel(m_form))
    , m_webhook(new QLineEdit(m_form))
    , m_webhookError(makeErrorLabel(m_form))
{
    m_list->setAccessibleName(tr("Custom tools"));
    m_list->setMaximumWidth(220);
    m_add->setAccessibleName(tr("Add tool"));
    m_remove->setAccessibleName(tr("Remove tool"));
    m_name->setAccessibleName(tr("Tool name"));
    m_name->setPlaceholderText(tr("lookup_order"));
    m_description->setAccessibleName(tr("Tool description"));
    m_description->setPlaceholderText(tr("What the tool does, for the model"));
    m_parameters->setAccessibleName(tr("Tool parameters (JSON Schema)"));
    m_parameters->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_parameters->setTabChangesFocus(true);
    m_parameters->setPlaceholderText(QStringLiteral("{\"type\": \"object\", \"properties\": {}}"));
    m_webhook->setAccessibleName(tr("Tool webhook URL"));
    m_webhook->setPlaceholderText(QStringLiteral("https://example.com/hooks/tool"));

    auto *form = new QFormLayout(m_form);
    form->setContentsMargins(0, 0, 0, 0);
    auto addRow = [form](const QString &text, QWidget *field, QLabel *error) {
        auto *label = new QLabel(text);
        label->setBuddy(field);
        form->addRow(label, field);
        if (error)
            form->addRow(static_cast<QWidget *>(nullptr), error);
    };
    addRow(tr("&Name:"), m_name, m_nameError);
    addRow(tr("&Description:"), m_description, nullptr);
    addRow(tr("&Parameters:"), m_parameters, m_parametersError);
    addRow(tr("&Webhook URL:"), m_webhook, m_webhookError);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_add);
    buttons->addWidget(m_remove);
    auto *left = new QVBoxLayout;
    left->addWidget(m_list, 1);
    left->addLayout(buttons);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(left);
    layout->addWidget(m_form, 1);

    connect(m_add, &QPushButton::clicked, this, &ToolsEditor::addTool);
    connect(m_remove, &QPushButton::clicked, this, &ToolsEditor::removeTool);
    connect(m_list, &QListWidget::currentRowChanged, this, &ToolsEditor::showRow);
    const auto edited = [this] {
        if (m_loading)
            return;
        storeEdits();
        refreshErrors();
        Q_EMIT changed();
    };
    connect(m_name, &QLineEdit::textEdited, this, edited);
    connect(m_description, &QLineEdit::textEdited, this, edited);
    connect(m_webhook, &QLineEdit::textEdited, this, edited);
    connect(m_parameters, &QPlainTextEdit::textChanged, this, edited);
    showRow(-1);
}

void ToolsEditor::setTools(const QList<AgentTool> &tools)
{
    m_loading = true;
    m_rows.clear();
    m_list->clear();
    for (const AgentTool &t : tools) {
        m_rows.append({t, schemaText(t.parameters)});
        m_list->addItem(t.name);
    }
    m_current = -1;
    m_loading = false;
    m_list->setCurrentRow(m_rows.isEmpty() ? -1 : 0);
    showRow(m_list->currentRow());
    refreshErrors();
}

QList<AgentTool> ToolsEditor::tools() const
{
    QList<AgentTool> tools;
    for (const Row &r : m_rows)
        tools.append(r.tool);
    return tools;
}

QString ToolsEditor::firstError() const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        const QString error = rowError(i);
        if (!error.isEmpty()) {
            const QString name = m_rows.at(i).tool.name;
            return name.isEmpty() ? tr("Tool %1: %2").arg(i + 1).arg(error)
                                  : tr("Tool “%1”: %2").arg(name, error);
        }
    }
    return {};
}

void ToolsEditor::setReadOnly(bool readOnly)
{
    m_readOnly = readOnly;
    m_name->setReadOnly(readOnly);
    m_description->setReadOnly(readOnly);
    m_parameters->setReadOnly(readOnly);
    m_webhook->setReadOnly(readOnly);
    m_add->setEnabled(!readOnly);
    m_remove->setEnabled(!readOnly && m_current >= 0);
    refreshErrors();
}

QString ToolsEditor::parametersError(const QString &text)
{
    if (text.trimmed().isEmpty())
        return tr("Enter a JSON Schema, at least {\"type\": \"object\"}.");
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError) {
        // The offset counts UTF-8 bytes; line and column are what a person can find.
        const QByteArray before = text.toUtf8().left(error.offset);
        const int line = int(before.count('\n')) + 1;
        const int column =
            int(QString::fromUtf8(before.mid(before.lastIndexOf('\n') + 1)).size()) + 1;
        return tr("Not valid JSON at line %1, column %2: %3")
            .arg(line)
            .arg(column)
            .arg(error.errorString());
    }
    if (!doc.isObject())
        return tr("The parameters must be a JSON object.");
    if (doc.object().value(QLatin1String("type")).toString() != QLatin1String("object"))
        return tr("The schema must have \"type\": \"object\".");
    return {};
}

QString ToolsEditor::webhookError(const QString &text)
{
    if (text.trimmed().isEmpty())
        return tr("Enter the URL the platform calls for this tool.");
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty() ||
        (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http")))
        return tr("Enter an http:// or https:// URL with a host.");
    return {};
}

void ToolsEditor::addTool()
{
    AgentTool tool;
    int n = int(m_rows.size()) + 1;
    const auto taken = [this](const QString &name) {
        return std::any_of(m_rows.cbegin(), m_rows.cend(),
                           [&](const Row &r) { return r.tool.name == name; });
    };
    while (taken(QStringLiteral("tool_%1").arg(n)))
        ++n;
    tool.name = QStringLiteral("tool_%1").arg(n);
    tool.parameters = QJsonObject{{QStringLiteral("type"), QStringLiteral("object")},
                                  {QStringLiteral("properties"), QJsonObject()}};
    m_rows.append({tool, schemaText(tool.parameters)});
    m_list->addItem(tool.name);
    m_list->setCurrentRow(int(m_rows.size()) - 1);
    refreshErrors();
    m_webhook->setFocus();
    Q_EMIT changed();
}

void ToolsEditor::removeTool()
{
    const int row = m_list->currentRow();
    if (row < 0)
        return;
    m_loading = true;
    m_rows.removeAt(row);
    m_current = -1;
    delete m_list->takeItem(row);
    m_loading = false;
    showRow(m_list->currentRow());
    refreshErrors();
    Q_EMIT changed();
}

void ToolsEditor::showRow(int row)
{
    if (m_loading)
        return;
    m_current = row;
    m_loading = true;
    const bool has = row >= 0 && row < m_rows.size();
    m_form->setEnabled(has);
    m_remove->setEnabled(has && !m_readOnly);
    const Row r = has ? m_rows.at(row) : Row{};
    m_name->setText(r.tool.name);
    m_description->setText(r.tool.description);
    m_parameters->setPlainText(r.parametersText);
    m_webhook->setText(r.tool.webhookUrl);
    m_loading = false;
    refreshErrors();
}

void ToolsEditor::storeEdits()
{
    if (m_current < 0 || m_current >= m_rows.size())
        return;
    Row &r = m_rows[m_current];
    r.tool.name = m_name->text().trimmed();
    r.tool.description = m_description->text();
    r.tool.webhookUrl = m_webhook->text().trimmed();
    r.parametersText = m_parameters->toPlainText();
    if (parametersError(r.parametersText).isEmpty())
        r.tool.parameters = QJsonDocument::fromJson(r.parametersText.toUtf8()).object();
    if (QListWidgetItem *item = m_list->item(m_current))
        item->setText(r.tool.name.isEmpty() ? tr("(unnamed)") : r.tool.name);
}

QString ToolsEditor::nameError(int row) const
{
    static const QRegularExpression valid(QStringLiteral("^[A-Za-z][A-Za-z0-9_]{0,63}$"));
    const QString name = m_rows.at(row).tool.name;
    if (name.isEmpty())
        return tr("Enter a name.");
    if (!valid.match(name).hasMatch())
        return tr("Use up to 64 letters, digits and _, starting with a letter.");
    for (int i = 0; i < m_rows.size(); ++i) {
        if (i != row && m_rows.at(i).tool.name == name)
            return tr("Another tool has this name.");
    }
    return {};
}

QString ToolsEditor::rowError(int row) const
{
    QString error = nameError(row);
    if (error.isEmpty())
        error = parametersError(m_rows.at(row).parametersText);
    if (error.isEmpty())
        error = webhookError(m_rows.at(row).tool.webhookUrl);
    return error;
}

void ToolsEditor::refreshErrors()
{
    const QIcon warning = style()->standardIcon(QStyle::SP_MessageBoxWarning);
    for (int i = 0; i < m_rows.size(); ++i) {
        if (QListWidgetItem *item = m_list->item(i)) {
            // Read-only tools (another platform's) are shown as they are, not judged.
            const QString error = m_readOnly ? QString() : rowError(i);
            item->setIcon(error.isEmpty() ? QIcon() : warning);
            item->setToolTip(error);
        }
    }
    const bool has = !m_readOnly && m_current >= 0 && m_current < m_rows.size();
    setError(m_nameError, has ? nameError(m_current) : QString());
    setError(m_parametersError,
             has ? parametersError(m_rows.at(m_current).parametersText) : QString());
    setError(m_webhookError, has ? webhookError(m_rows.at(m_current).tool.webhookUrl) : QString());
}

} // namespace sb::ui
