// AgentEditor's checks: the platform's ranges and formats (CONTRACT §1.2, the simulator's
// rules), so that what Save sends is accepted; and the server's own word on a field.
#include "agenteditor.h"

#include "toolseditor.h"

#include <QCheckBox>
#include <QLineEdit>
#include <QLocale>
#include <QRegularExpression>

namespace sb::ui {

using namespace agentfields;

namespace {

QString numberText(double v)
{
    return QLocale().toString(v, 'g', 6);
}

} // namespace

QString AgentEditor::fieldError(Field field) const
{
    if (m_serverErrors.contains(field))
        return m_serverErrors.value(field);
    if (m_numbers.contains(field)) {
        const NumberSpec s = m_numbers.value(field);
        bool ok = false;
        const std::optional<double> v = parsedNumber(field, &ok);
        const bool empty =
            static_cast<QLineEdit *>(m_inputs.value(field))->text().trimmed().isEmpty();
        if (empty && value(m_base, field).isNull())
            return {}; // never set: the platform's default applies
        if (s.integer && ok && *v != double(qRound(*v)))
            return tr("Enter a whole number from %1 to %2.")
                .arg(numberText(s.lo), numberText(s.hi));
        if (!ok || *v < s.lo || *v > s.hi)
            return s.integer ? tr("Enter a whole number from %1 to %2.")
                                   .arg(numberText(s.lo), numberText(s.hi))
                             : tr("Enter a number from %1 to %2.")
                                   .arg(numberText(s.lo), numberText(s.hi));
        return {};
    }
    switch (field) {
    case Field::Name:
        if (m_name->text().trimmed().isEmpty())
            return tr("Enter a name.");
        if (m_name->text().size() > 200)
            return tr("Use at most 200 characters (now %1).").arg(m_name->text().size());
        return {};
    case Field::Language: {
        static const QRegularExpression bcp47(
            QStringLiteral("^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"));
        return bcp47.match(m_language->text().trimmed()).hasMatch()
                   ? QString()
                   : tr("Enter a BCP-47 language tag such as en-US.");
    }
    case Field::VoiceId:
        return m_voiceId->text().trimmed().isEmpty() ? tr("Enter the provider's voice ID.")
                                                     : QString();
    case Field::TransferNumber: {
        static const QRegularExpression e164(QStringLiteral("^\\+[1-9][0-9]{7,14}$"));
        const QString number = m_transferNumber->text().trimmed();
        if (!number.isEmpty() && !e164.match(number).hasMatch())
            return tr("Enter the number in E.164 form: + and 8 to 15 digits, like +14155550100.");
        if (number.isEmpty() && m_transferToHuman->isChecked())
            return tr("“Transfer to a human” needs a transfer number.");
        return {};
    }
    case Field::Tools:
        return m_tools->firstError();
    default:
        return {};
    }
}

QString AgentEditor::validationError() const
{
    const QList<Field> fields = allFields();
    for (Field f : fields) {
        const QString error = fieldError(f);
        if (!error.isEmpty())
            return tr("%1: %2").arg(label(f), error);
    }
    return {};
}

void AgentEditor::showServerError(Field field, const QString &message)
{
    m_serverErrors.insert(field, message);
    refreshErrors();
    focusField(field);
    Q_EMIT changed();
}

} // namespace sb::ui
