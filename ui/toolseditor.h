#pragma once

#include "api/dto.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;

namespace sb::ui {

//! Edits an agent's custom (webhook) tools: name, description, JSON Schema parameters and
//! webhook URL, each checked as typed with the reason shown beside the field.
class ToolsEditor : public QWidget
{
    Q_OBJECT
public:
    explicit ToolsEditor(QWidget *parent = nullptr);

    void setTools(const QList<sb::api::AgentTool> &tools);
    //! The tools as edited; a tool whose parameters do not parse keeps its last good schema.
    QList<sb::api::AgentTool> tools() const;
    //! The first problem ("Tool “lookup”: …"), empty when every tool is valid.
    QString firstError() const;
    void setReadOnly(bool readOnly);

    //! Why \a text is not a usable parameters schema (with line and column), or empty.
    static QString parametersError(const QString &text);
    //! Why \a url is not a usable webhook URL, or empty.
    static QString webhookError(const QString &url);

    QListWidget *list() const { return m_list; }
    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *descriptionEdit() const { return m_description; }
    QPlainTextEdit *parametersEdit() const { return m_parameters; }
    QLineEdit *webhookEdit() const { return m_webhook; }
    QPushButton *addButton() const { return m_add; }
    QPushButton *removeButton() const { return m_remove; }
    QLabel *parametersErrorLabel() const { return m_parametersError; }

Q_SIGNALS:
    //! Any tool was added, removed or edited.
    void changed();

private:
    struct Row
    {
        sb::api::AgentTool tool;
        QString parametersText; //!< as typed, kept while it does not parse
    };

    void addTool();
    void removeTool();
    void showRow(int row);
    void storeEdits();
    void refreshErrors();
    QString nameError(int row) const;
    QString rowError(int row) const;

    QList<Row> m_rows;
    int m_current = -1;
    bool m_loading = false;
    bool m_readOnly = false;
    QListWidget *m_list;
    QPushButton *m_add;
    QPushButton *m_remove;
    QWidget *m_form;
    QLineEdit *m_name;
    QLabel *m_nameError;
    QLineEdit *m_description;
    QPlainTextEdit *m_parameters;
    QLabel *m_parametersError;
    QLineEdit *m_webhook;
    QLabel *m_webhookError;
};

} // namespace sb::ui
