// The floor for bench_startup: an empty Qt Widgets main window of the console's default size,
// built with the same flags and reporting its first paint and RSS through the same probe
// (app/startupprobe.cpp) as switchboard does.
#include "startupprobe.h"

#include <QApplication>
#include <QMainWindow>

int main(int argc, char *argv[])
{
    QApplication::setApplicationName(QStringLiteral("switchboard-empty-window"));
    QApplication app(argc, argv);
    sb::app::StartupProbe::fromEnvironment(&app);
    QMainWindow window;
    window.setWindowTitle(QStringLiteral("Empty window"));
    window.resize(1400, 880); // MainWindow's default size: the same area to paint
    window.show();
    return QApplication::exec();
}
