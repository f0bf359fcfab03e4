#include "toolcallsview.h"

#include "callwallpalette.h"

#include "models/toolcallsmodel.h"

#include <QEvent>
#include <QHeaderView>
#include <QIdentityProxyModel>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace sb::ui {

using sb::models::ToolCallsModel;

namespace {

//! Marks failed calls in the error colour and shows the whole JSON, indented, as the tooltip.
class ToolCallsDecorator : public QIdentityProxyModel
{
public:
    using QIdentityProxyModel::QIdentityProxyModel;

    QPalette palette;

    QVariant data(const QModelIndex &index, int role) const override
    {
        if (role == Qt::ForegroundRole) {
            const QString error =
                QIdentityProxyModel::data(index, ToolCallsModel::ErrorRole).toString();
            if (!error.isEmpty() && (index.column() == ToolCallsModel::State ||
                                     index.column() == ToolCallsModel::Result))
                return CallPalette::negative(palette);
            return {};
        }
        if (role == Qt::ToolTipRole && (index.column() == ToolCallsModel::Arguments ||
                                        index.column() == ToolCallsModel::Result)) {
            const int jsonRole = index.column() == ToolCallsModel::Arguments
                                     ? ToolCallsModel::ArgsRole
                                     : ToolCallsModel::ResultRole;
            const QJsonValue v = QIdentityProxyModel::data(index, jsonRole).toJsonValue();
            if (v.isObject())
                return QString::fromUtf8(QJsonDocument(v.toObject()).toJson());
            if (v.isArray())
                return QString::fromUtf8(QJsonDocument(v.toArray()).toJson());
        }
        return QIdentityProxyModel::data(index, role);
    }
};

} // namespace

ToolCallsView::ToolCallsView(QWidget *parent)
    : QTreeView(parent)
{
    setRootIsDecorated(false);
    setUniformRowHeights(true);
    setAlternatingRowColors(true);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setAccessibleName(tr("Tool calls"));
    header()->setStretchLastSection(true);
    auto *decorator = new ToolCallsDecorator(this);
    decorator->palette = palette();
    QTreeView::setModel(decorator);
}

void ToolCallsView::setToolCalls(ToolCallsModel *model)
{
    auto *decorator = static_cast<ToolCallsDecorator *>(QTreeView::model());
    decorator->palette = palette();
    decorator->setSourceModel(model);
    if (model) {
        // Fixed starting widths: sizing to contents would squeeze the columns of an empty list.
        header()->resizeSection(ToolCallsModel::Time, 56);
        header()->resizeSection(ToolCallsModel::Tool, 140);
        header()->resizeSection(ToolCallsModel::Arguments, 180);
        header()->resizeSection(ToolCallsModel::Result, 180);
    }
}

ToolCallsModel *ToolCallsView::toolCalls() const
{
    return static_cast<ToolCallsModel *>(
        static_cast<QIdentityProxyModel *>(QTreeView::model())->sourceModel());
}

void ToolCallsView::changeEvent(QEvent *event)
{
    // The error colour follows a theme switch.
    if (event->type() == QEvent::PaletteChange)
        static_cast<ToolCallsDecorator *>(QTreeView::model())->palette = palette();
    QTreeView::changeEvent(event);
}

} // namespace sb::ui
