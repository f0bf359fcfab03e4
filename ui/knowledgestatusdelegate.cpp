#include "knowledgestatusdelegate.h"

#include "statuscolors.h"

#include "api/dto.h"
#include "models/pagedlistmodel.h"

#include <QPainter>
#include <QPixmap>

namespace sb::ui {

using sb::api::DocumentStatus;

QIcon KnowledgeStatusDelegate::statusIcon(int status, const QPalette &palette)
{
    const int size = 16;
    QPixmap pixmap(size * 2, size * 2); // drawn at 2x, scaled down crisply
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    const QRectF disc(6, 6, 20, 20);
    switch (DocumentStatus(status)) {
    case DocumentStatus::Ready:
        p.setPen(Qt::NoPen);
        p.setBrush(StatusColors::ok());
        p.drawEllipse(disc);
        break;
    case DocumentStatus::Processing:
        p.setPen(QPen(StatusColors::busy(), 4));
        p.setBrush(Qt::NoBrush);
        p.drawEllipse(disc.adjusted(2, 2, -2, -2));
        p.setBrush(StatusColors::busy());
        p.setPen(Qt::NoPen);
        p.drawPie(disc, 90 * 16, -120 * 16); // a third filled: "on its way"
        break;
    case DocumentStatus::Failed:
        p.setPen(Qt::NoPen);
        p.setBrush(StatusColors::failed());
        p.drawEllipse(disc);
        // The cross uses the view's base colour so it contrasts with the disc in either theme.
        p.setPen(QPen(palette.color(QPalette::Base), 4, Qt::SolidLine, Qt::RoundCap));
        p.drawLine(QPointF(12, 12), QPointF(20, 20));
        p.drawLine(QPointF(20, 12), QPointF(12, 20));
        break;
    case DocumentStatus::Unknown:
        p.setPen(QPen(palette.color(QPalette::PlaceholderText), 3));
        p.drawEllipse(disc.adjusted(2, 2, -2, -2));
        break;
    }
    p.end();
    pixmap.setDevicePixelRatio(2.0);
    return QIcon(pixmap);
}

void KnowledgeStatusDelegate::initStyleOption(QStyleOptionViewItem *option,
                                              const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    const QVariant raw = index.data(sb::models::PagedListModel::SortRole);
    if (!raw.isValid())
        return;
    option->icon = statusIcon(raw.toInt(), option->palette);
    option->features |= QStyleOptionViewItem::HasDecoration;
    option->decorationSize = QSize(16, 16);
}

} // namespace sb::ui
