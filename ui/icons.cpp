#include "icons.h"

#include <QFile>
#include <QGuiApplication>
#include <QPainter>
#include <QPixmap>
#include <QSvgRenderer>

namespace sb::ui {

QIcon themedIcon(const QString &name, const QPalette &palette)
{
    QFile file(QStringLiteral(":/icons/") + name + QStringLiteral(".svg"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QByteArray svg = file.readAll();
    QIcon icon;
    const struct
    {
        QIcon::Mode mode;
        QColor color;
    } variants[] = {
        {QIcon::Normal, palette.color(QPalette::Active, QPalette::WindowText)},
        {QIcon::Disabled, palette.color(QPalette::Disabled, QPalette::WindowText)},
        {QIcon::Selected, palette.color(QPalette::Active, QPalette::HighlightedText)},
        {QIcon::Active, palette.color(QPalette::Active, QPalette::WindowText)},
    };
    for (const auto &variant : variants) {
        QByteArray coloured = svg;
        coloured.replace("#000000", variant.color.name().toLatin1());
        QSvgRenderer renderer(coloured);
        for (int size : {16, 22, 24, 32, 44, 48, 64}) {
            QPixmap pixmap(size, size);
            pixmap.fill(Qt::transparent);
            QPainter painter(&pixmap);
            renderer.render(&painter);
            painter.end();
            icon.addPixmap(pixmap, variant.mode);
        }
    }
    return icon;
}

} // namespace sb::ui
