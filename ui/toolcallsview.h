#pragma once

#include <QTreeView>

namespace sb::models {
class ToolCallsModel;
}

namespace sb::ui {

//! A call's tool calls as a table (time, tool, arguments, result, state), failures marked;
//! the tooltip of a cell shows its whole JSON, indented.
class ToolCallsView : public QTreeView
{
    Q_OBJECT
public:
    explicit ToolCallsView(QWidget *parent = nullptr);

    void setToolCalls(sb::models::ToolCallsModel *model);
    sb::models::ToolCallsModel *toolCalls() const;

protected:
    void changeEvent(QEvent *event) override;
};

} // namespace sb::ui
