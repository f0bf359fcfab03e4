#pragma once

#include "consolecontext.h"

#include "api/dto.h"
#include "api/result.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace sb::ui {

//! Creates or edits one contact: details, tags and custom fields (a key/value table), checked
//! as typed (E.164 phone, e-mail), saved with If-Match; a 412 reloads the server's version.
class ContactEditor : public QWidget
{
    Q_OBJECT
public:
    ContactEditor(const ConsoleContext &context, QWidget *parent = nullptr);

    //! Shows \a contact at once and fetches its current version (and tag) from the server.
    void edit(const sb::api::Contact &contact);
    //! An empty form for a new contact.
    void createNew();
    //! Nothing being edited.
    void clear();

    QString contactId() const { return m_contact.id; }
    bool isNew() const { return m_isNew; }
    bool isDirty() const;
    //! Why Save is disabled (translated), empty when the form can be saved.
    QString problem() const;
    QString feedback() const;

    //! Saves the form (no-op while invalid, unchanged or saving).
    void save();
    //! Puts the stored version back into the form.
    void revert();

Q_SIGNALS:
    void saved(const sb::api::Contact &contact, bool created);
    //! The form became dirty or clean.
    void dirtyChanged();
    //! "Call this contact".
    void callRequested(const QString &phone);
    //! A save failed (for the pane's banner with Retry).
    void saveFailed(const QString &message);

private:
    void fill(const sb::api::Contact &contact);
    void addFieldRow(const QString &key, const QString &value);
    QMap<QString, QString> formFields() const;
    QStringList formTags() const;
    sb::api::ContactChanges changes() const;
    void refreshState();
    void finishSave(const sb::api::Result<sb::api::Contact> &result, bool created);

    ConsoleContext m_context;
    sb::api::Contact m_contact; //!< the stored version the form started from
    bool m_isNew = false;
    bool m_active = false;
    bool m_saving = false;
    bool m_filling = false;
    quint64 m_generation = 0; //!< changes when another contact (or a new one) is shown
    QLabel *m_title;
    QLineEdit *m_name;
    QLineEdit *m_phone;
    QLineEdit *m_email;
    QLineEdit *m_company;
    QLineEdit *m_tags;
    QTableWidget *m_fields;
    QPushButton *m_addField;
    QPushButton *m_removeField;
    QLabel *m_problem;
    QLabel *m_feedback;
    QPushButton *m_save;
    QPushButton *m_revert;
    QPushButton *m_call;
};

} // namespace sb::ui
