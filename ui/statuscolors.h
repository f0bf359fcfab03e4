#pragma once

#include <QColor>
#include <QPalette>

namespace sb::ui {

//! Status colours (ok, busy, failed, error text) that stay readable on light and dark palettes.
namespace StatusColors {

inline QColor ok()
{
    return QColor(0x2e, 0xa0, 0x43);
}
inline QColor busy()
{
    return QColor(0xd9, 0x8c, 0x00);
}
inline QColor failed()
{
    return QColor(0xc0, 0x39, 0x2b);
}

//! \a tint pulled halfway towards the palette's text colour: darker on a light theme, lighter
//! on a dark one, so coloured text keeps its contrast on either.
inline QColor readable(const QPalette &palette, const QColor &tint)
{
    const QColor text = palette.color(QPalette::WindowText);
    return QColor((text.red() + tint.red() * 2) / 3, (text.green() + tint.green() * 2) / 3,
                  (text.blue() + tint.blue() * 2) / 3);
}

} // namespace StatusColors
} // namespace sb::ui
