#pragma once

#include "consolecontext.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace sb::ui {

//! Colours \a label as an inline error (true) or a quiet hint (false), readable in both themes.
void setInlineError(QLabel *label, bool error);

//! Places an outbound call: agent, one of our own active voice numbers, an E.164 (or contact)
//! destination and metadata. Place stays disabled, with the reason shown, until the form is
//! valid; a server failure is shown in the dialog and keeps everything typed.
class PlaceCallDialog : public QDialog
{
    Q_OBJECT
public:
    PlaceCallDialog(const ConsoleContext &context, QWidget *parent = nullptr);

    //! Prefills the destination (a number or anything typed; it is checked like typing).
    void setTo(const QString &number);
    //! Selects the agent with \a id (when known) and the number assigned to it.
    void setAgent(const QString &id);
    //! Selects our own number \a number as the caller id, when it is allowed.
    void setFrom(const QString &number);

    //! Why Place is disabled (translated), empty when the form can be sent.
    QString blockingReason() const;
    //! The inline message of the last failed attempt, empty when there is none.
    QString errorText() const;

private:
    void fillAgents();
    void fillNumbers();
    void pickNumberOfAgent();
    void fillContacts();
    void addMetadataRow(const QString &key = QString(), const QString &value = QString());
    void validate();
    void place();
    void setBusy(bool busy);

    ConsoleContext m_context;
    QComboBox *m_agent;
    QComboBox *m_from;
    QLineEdit *m_to;
    QLabel *m_toProblem;
    QTableWidget *m_metadata;
    QPushButton *m_addRow;
    QPushButton *m_removeRow;
    QLabel *m_reason;
    QLabel *m_error;
    QPushButton *m_place;
    QPushButton *m_cancel;
    QString m_pendingAgent; //!< asked for before the agents were loaded
    QString m_pendingFrom;
    bool m_busy = false;
};

} // namespace sb::ui
