#pragma once

#include <QIcon>
#include <QPalette>
#include <QString>

namespace sb::ui {

//! The console's line icons (resources/icons/<name>.svg), drawn in the palette's text colour
//! so they work on light and dark themes; sharp at any device pixel ratio.
QIcon themedIcon(const QString &name, const QPalette &palette);

} // namespace sb::ui
