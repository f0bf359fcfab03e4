#pragma once

#include "agenteditorfields.h"

#include <QHash>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTabWidget;

namespace sb::models {
class CollectionModel;
}

namespace sb::ui {

class KnowledgePicker;
class ToolsEditor;

//! Form for every field of an agent (CONTRACT §1.2) with its range, checked as typed: the
//! reason shows under the field and validationError() tells the pane why Save is disabled.
//!
//! It edits a copy: base() is what the server holds (with its etag), edited() what the
//! person typed; changes() is the difference a save sends.
class AgentEditor : public QWidget
{
    Q_OBJECT
public:
    using Field = agentfields::Field;

    explicit AgentEditor(sb::models::CollectionModel *collections, QWidget *parent = nullptr);

    //! Shows \a agent unmodified.
    void setAgent(const sb::api::Agent &agent);
    //! Shows \a edited over \a base (a draft, or a merge after a conflict).
    void setAgent(const sb::api::Agent &base, const sb::api::Agent &edited);
    //! Back to base().
    void revert() { setAgent(m_base); }

    const sb::api::Agent &base() const { return m_base; }
    //! The agent as the form shows it (fields that do not parse keep their base value).
    sb::api::Agent edited() const;
    //! The changed fields only.
    sb::api::AgentChanges changes() const;
    bool isModified() const;

    //! "Temperature: Enter a number from 0 to 2." for the first invalid field, else empty.
    QString validationError() const;
    //! The inline message under \a field, empty when valid.
    QString fieldError(Field field) const;
    //! Shows the server's complaint about \a field until that field is edited again.
    void showServerError(Field field, const QString &message);
    //! Switches to the field's tab and focuses it.
    void focusField(Field field);

    //! Read-only with \a reason shown above the form (the platform cannot write agents).
    void setReadOnly(bool readOnly, const QString &reason = QString());
    bool isReadOnly() const { return m_readOnly; }

    //! The input of \a field (tests, focus).
    QWidget *input(Field field) const { return m_inputs.value(field); }
    ToolsEditor *toolsEditor() const { return m_tools; }
    KnowledgePicker *knowledgePicker() const { return m_knowledge; }
    QTabWidget *tabs() const { return m_tabs; }

Q_SIGNALS:
    //! A field was edited (modified state or validity may have changed).
    void changed();

private:
    struct NumberSpec
    {
        double lo;
        double hi;
        bool integer;
    };

    void buildForm();
    QFormLayout *addTab(const QString &title);
    void addRow(QFormLayout *form, Field field, QWidget *input, QWidget *hint = nullptr);
    QLineEdit *numberInput(Field field, double lo, double hi, bool integer);
    void fieldEdited(Field field);
    void refreshErrors();
    std::optional<double> parsedNumber(Field field, bool *ok) const;
    static void selectData(QComboBox *combo, const QString &value);

    sb::api::Agent m_base;
    QString m_loadedError; //!< validationError() right after setAgent()
    bool m_loading = false;
    bool m_readOnly = false;
    QHash<Field, QWidget *> m_inputs;
    QHash<Field, QLabel *> m_errors;
    QHash<Field, int> m_tabOf;
    QHash<Field, NumberSpec> m_numbers;
    QHash<Field, QString> m_serverErrors;

    QLabel *m_readOnlyReason;
    QLabel *m_meta;
    QTabWidget *m_tabs;
    QLineEdit *m_name;
    QComboBox *m_status;
    QLineEdit *m_language;
    QPlainTextEdit *m_firstMessage;
    QPlainTextEdit *m_systemPrompt;
    QComboBox *m_voiceProvider;
    QLineEdit *m_voiceId;
    QComboBox *m_llmModel;
    QCheckBox *m_bookAppointment;
    QCheckBox *m_transferToHuman;
    QLineEdit *m_transferNumber;
    ToolsEditor *m_tools;
    KnowledgePicker *m_knowledge;
    sb::models::CollectionModel *m_collections;
};

} // namespace sb::ui
