#pragma once

#include <QStyledItemDelegate>

namespace sb::ui {

//! Draws a document's processing status as a shape and colour before its text: a filled
//! disc when ready, a ring when processing, a crossed disc when failed (not colour alone).
class KnowledgeStatusDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    //! The icon for a DocumentStatus value (int), sized for \a palette's theme.
    static QIcon statusIcon(int status, const QPalette &palette);

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;
};

} // namespace sb::ui
