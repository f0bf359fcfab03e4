#include "textchunkdialog.h"

#include "statuscolors.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

namespace sb::ui {

namespace {
QLabel *errorLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(QStringLiteral("validationError"));
    label->setWordWrap(true);
    // The palette's link colour reads as an accent in light and dark themes alike.
    QPalette pal = label->palette();
    pal.setColor(QPalette::WindowText, pal.color(QPalette::Highlight));
    label->setPalette(pal);
    return label;
}
} // namespace

TextChunkDialog::TextChunkDialog(const QString &collectionName, QWidget *parent)
    : QDialog(parent)
    , m_title(new QLineEdit(this))
    , m_text(new QPlainTextEdit(this))
    , m_count(new QLabel(this))
    , m_error(errorLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Add Text to “%1”").arg(collectionName));
    m_title->setAccessibleName(tr("Document title"));
    m_title->setObjectName(QStringLiteral("chunkTitle"));
    m_title->setPlaceholderText(tr("e.g. Opening hours"));
    m_text->setAccessibleName(tr("Document text, one chunk per paragraph"));
    m_text->setObjectName(QStringLiteral("chunkText"));
    m_text->setPlaceholderText(
        tr("Write or paste the text. Separate chunks with an empty line; each paragraph becomes "
           "one chunk the agent can retrieve."));
    m_text->setTabChangesFocus(true);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Submit"));
    m_buttons->button(QDialogButtonBox::Ok)->setAccessibleName(tr("Submit the text"));

    auto *form = new QFormLayout;
    auto *titleLabel = new QLabel(tr("&Title:"), this);
    titleLabel->setBuddy(m_title);
    auto *textLabel = new QLabel(tr("Te&xt:"), this);
    textLabel->setBuddy(m_text);
    form->addRow(titleLabel, m_title);
    form->addRow(textLabel, m_text);
    form->addRow(QString(), m_count);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form, 1);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
    resize(560, 420);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_title, &QLineEdit::textChanged, this, &TextChunkDialog::validate);
    connect(m_text, &QPlainTextEdit::textChanged, this, &TextChunkDialog::validate);
    validate();
}

QString TextChunkDialog::title() const
{
    return m_title->text().simplified();
}

QStringList TextChunkDialog::chunks() const
{
    return splitParagraphs(m_text->toPlainText());
}

void TextChunkDialog::setText(const QString &title, const QString &text)
{
    m_title->setText(title);
    m_text->setPlainText(text);
}

QStringList TextChunkDialog::splitParagraphs(const QString &text)
{
    static const QRegularExpression blankLine(QStringLiteral("\\n\\s*\\n"));
    QString normalized = text;
    normalized.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    QStringList out;
    const QStringList parts = normalized.split(blankLine);
    for (const QString &part : parts) {
        const QString trimmed = part.trimmed();
        if (!trimmed.isEmpty())
            out.append(trimmed);
    }
    return out;
}

QString TextChunkDialog::validationError() const
{
    if (title().isEmpty())
        return tr("Give the document a title.");
    const QStringList parts = chunks();
    if (parts.isEmpty())
        return tr("Write at least one paragraph of text.");
    for (int i = 0; i < parts.size(); ++i) {
        if (parts.at(i).size() > kMaxChunkChars)
            return tr("Paragraph %1 has %2 characters; split it (at most %3 per chunk).")
                .arg(i + 1)
                .arg(parts.at(i).size())
                .arg(kMaxChunkChars);
    }
    return {};
}

void TextChunkDialog::validate()
{
    const int n = int(chunks().size());
    m_count->setText(tr("%n chunk(s)", nullptr, n));
    const QString why = validationError();
    // Say nothing before the person typed anything: an empty form is not an error yet.
    const bool untouched = m_title->text().isEmpty() && m_text->toPlainText().isEmpty();
    m_error->setText(untouched ? QString() : why);
    m_error->setVisible(!untouched && !why.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(why.isEmpty());
}

CollectionDialog::CollectionDialog(QWidget *parent)
    : QDialog(parent)
    , m_name(new QLineEdit(this))
    , m_description(new QPlainTextEdit(this))
    , m_error(errorLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("New Knowledge Collection"));
    m_name->setAccessibleName(tr("Collection name"));
    m_name->setObjectName(QStringLiteral("collectionName"));
    m_name->setMaxLength(kMaxNameChars);
    m_description->setAccessibleName(tr("Collection description"));
    m_description->setObjectName(QStringLiteral("collectionDescription"));
    m_description->setTabChangesFocus(true);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Create"));
    m_buttons->button(QDialogButtonBox::Ok)->setAccessibleName(tr("Create the collection"));

    auto *form = new QFormLayout;
    auto *nameLabel = new QLabel(tr("&Name:"), this);
    nameLabel->setBuddy(m_name);
    auto *descLabel = new QLabel(tr("&Description:"), this);
    descLabel->setBuddy(m_description);
    form->addRow(nameLabel, m_name);
    form->addRow(descLabel, m_description);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form, 1);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
    resize(440, 260);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_name, &QLineEdit::textChanged, this, &CollectionDialog::validate);
    validate();
}

QString CollectionDialog::name() const
{
    return m_name->text().simplified();
}

QString CollectionDialog::description() const
{
    return m_description->toPlainText().trimmed();
}

void CollectionDialog::setValues(const QString &name, const QString &description)
{
    m_name->setText(name);
    m_description->setPlainText(description);
}

void CollectionDialog::validate()
{
    const bool touched = !m_name->text().isEmpty();
    const bool ok = !name().isEmpty();
    m_error->setText(tr("The name cannot be only spaces."));
    m_error->setVisible(touched && !ok);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(ok);
}

} // namespace sb::ui
