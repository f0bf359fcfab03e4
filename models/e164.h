#pragma once

// E.164 checking and normalising for what people type into number fields. Header-only on
// purpose: it is pure string work shared by several dialogs and needs no library of its own.

#include <QCoreApplication>
#include <QString>

namespace sb::models::e164 {

//! Removes what people type around a number (spaces, dashes, dots, parentheses) and turns an
//! international "00" prefix into "+". Anything else is kept, so check() can point at it.
inline QString normalized(const QString &typed)
{
    QString out;
    out.reserve(typed.size());
    for (const QChar c : typed) {
        if (c.isSpace() || c == QLatin1Char('-') || c == QLatin1Char('.') ||
            c == QLatin1Char('(') || c == QLatin1Char(')') || c == QChar(0x00a0))
            continue;
        out.append(c);
    }
    if (out.startsWith(QLatin1String("00")))
        out = QLatin1Char('+') + out.mid(2);
    return out;
}

//! Why \a typed (after normalized()) is not an E.164 number, translated; empty when it is one.
//! The rules are the platform's: '+', a country code not starting with 0, 8 to 15 digits.
inline QString problem(const QString &typed)
{
    const auto tr = [](const char *text) {
        return QCoreApplication::translate("sb::models::e164", text);
    };
    const QString n = normalized(typed);
    if (n.isEmpty())
        return tr("Enter a number in international format, e.g. +14155550123.");
    if (!n.startsWith(QLatin1Char('+')))
        return tr("Start with + and the country code, e.g. +14155550123.");
    for (qsizetype i = 1; i < n.size(); ++i) {
        if (n.at(i).unicode() < '0' || n.at(i).unicode() > '9')
            return tr("Only digits may follow the +.");
    }
    if (n.size() > 1 && n.at(1) == QLatin1Char('0'))
        return tr("A country code never starts with 0.");
    const qsizetype digits = n.size() - 1;
    if (digits < 8)
        return tr("Too short: an international number has at least 8 digits.");
    if (digits > 15)
        return tr("Too long: an international number has at most 15 digits.");
    return QString();
}

//! True when \a typed, normalised, is an E.164 number.
inline bool isValid(const QString &typed)
{
    return problem(typed).isEmpty();
}

} // namespace sb::models::e164
