#pragma once

#include "consolecontext.h"

#include <QList>

class QWidget;

namespace sb::ui {

class Pane;

//! Builds the console's panes in the order of the navigation rail.
QList<Pane *> createPanes(const ConsoleContext &context, QWidget *parent);

} // namespace sb::ui
