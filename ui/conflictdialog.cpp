#include "conflictdialog.h"

#include <QButtonGroup>
#include <QDialogButtonBox>
#include <QGridLayout>
#include <QLabel>
#include <QPushButton>
#include <QRadioButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace sb::ui {

using namespace agentfields;
using sb::api::Agent;

namespace {

//! One line of a value; the whole value is in the tooltip (prompts are long).
QString shortText(const QString &text, int length = 48)
{
    QString line = text.simplified();
    if (line.size() > length)
        line = line.left(length - 1) + QChar(0x2026);
    return line;
}

} // namespace

ConflictDialog::ConflictDialog(const Agent &base, const Agent &theirs, const Agent &mine,
                               QWidget *parent)
    : QDialog(parent)
    , m_theirs(theirs)
    , m_mine(mine)
{
    setWindowTitle(tr("Agent Changed on the Server"));
    setObjectName(QStringLiteral("conflictDialog"));
    const QList<Field> all = allFields();
    for (Field f : all) {
        const QVariant t = value(theirs, f);
        const QVariant m = value(mine, f);
        if (t != m && (m != value(base, f) || t != value(base, f)))
            m_fields.append(f);
    }

    auto *intro = new QLabel(
        tr("Someone saved “%1” after you opened it. For each field below, choose which value "
           "to keep; fields only one of you changed are preselected.")
            .arg(theirs.name.isEmpty() ? mine.name : theirs.name),
        this);
    intro->setWordWrap(true);

    auto *grid = new QGridLayout;
    const auto header = [this](const QString &text) {
        auto *label = new QLabel(QStringLiteral("<b>%1</b>").arg(text.toHtmlEscaped()), this);
        return label;
    };
    grid->addWidget(header(tr("Field")), 0, 0);
    grid->addWidget(header(tr("When you opened it")), 0, 1);
    grid->addWidget(header(tr("Theirs (on the server)")), 0, 2);
    grid->addWidget(header(tr("Yours")), 0, 3);
    int row = 1;
    for (Field f : std::as_const(m_fields)) {
        auto *name = new QLabel(label(f), this);
        auto *was = new QLabel(shortText(displayValue(base, f), 32), this);
        was->setToolTip(detailValue(base, f));
        was->setForegroundRole(QPalette::PlaceholderText);
        auto *their = new QRadioButton(shortText(displayValue(theirs, f)), this);
        their->setToolTip(detailValue(theirs, f));
        their->setAccessibleName(tr("Take theirs for %1").arg(label(f)));
        auto *my = new QRadioButton(shortText(displayValue(mine, f)), this);
        my->setToolTip(detailValue(mine, f));
        my->setAccessibleName(tr("Keep mine for %1").arg(label(f)));
        auto *group = new QButtonGroup(this);
        group->addButton(their);
        group->addButton(my);
        // Default: what each of you changed wins; a field you both changed starts as yours.
        (value(mine, f) != value(base, f) ? my : their)->setChecked(true);
        m_theirButtons.insert(f, their);
        m_mineButtons.insert(f, my);
        grid->addWidget(name, row, 0);
        grid->addWidget(was, row, 1);
        grid->addWidget(their, row, 2);
        grid->addWidget(my, row, 3);
        ++row;
    }
    grid->setRowStretch(row, 1);
    grid->setColumnStretch(2, 1);
    grid->setColumnStretch(3, 1);
    auto *inner = new QWidget(this);
    inner->setLayout(grid);
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setWidget(inner);
    scroll->setFrameShape(QFrame::NoFrame);

    auto *buttons = new QDialogButtonBox(this);
    QPushButton *allMine = buttons->addButton(tr("&Keep All Mine"), QDialogButtonBox::ActionRole);
    QPushButton *allTheirs =
        buttons->addButton(tr("&Take All Theirs"), QDialogButtonBox::ActionRole);
    QPushButton *save = buttons->addButton(tr("&Save Merged"), QDialogButtonBox::AcceptRole);
    buttons->addButton(QDialogButtonBox::Cancel);
    allMine->setObjectName(QStringLiteral("keepAllMine"));
    allTheirs->setObjectName(QStringLiteral("takeAllTheirs"));
    save->setObjectName(QStringLiteral("saveMerged"));
    save->setDefault(true);
    connect(allMine, &QPushButton::clicked, this, [this] { chooseAll(Choice::Mine); });
    connect(allTheirs, &QPushButton::clicked, this, [this] { chooseAll(Choice::Theirs); });
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(scroll, 1);
    layout->addWidget(buttons);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    resize(qMax(900, sizeHint().width()), qMin(560, 200 + int(m_fields.size()) * 34));
}

ConflictDialog::Choice ConflictDialog::choice(Field field) const
{
    const QRadioButton *mine = m_mineButtons.value(field);
    return mine && mine->isChecked() ? Choice::Mine : Choice::Theirs;
}

void ConflictDialog::choose(Field field, Choice choice)
{
    if (QRadioButton *b = button(field, choice))
        b->setChecked(true);
}

void ConflictDialog::chooseAll(Choice choice)
{
    for (Field f : std::as_const(m_fields))
        choose(f, choice);
}

QRadioButton *ConflictDialog::button(Field field, Choice choice) const
{
    return (choice == Choice::Mine ? m_mineButtons : m_theirButtons).value(field);
}

Agent ConflictDialog::merged() const
{
    Agent result = m_theirs;
    for (Field f : std::as_const(m_fields)) {
        if (choice(f) == Choice::Mine)
            copyField(result, m_mine, f);
    }
    return result;
}

} // namespace sb::ui
