#pragma once

#include "consolecontext.h"

#include "api/dto.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;

namespace sb::ui {

//! Buys a phone number by country and optional area code, or an exact E.164 number, then names
//! it and assigns an agent. Failures stay in the dialog with the form intact.
class PurchaseDialog : public QDialog
{
    Q_OBJECT
public:
    PurchaseDialog(const ConsoleContext &context, QWidget *parent = nullptr);

    //! Why Buy is disabled (translated), empty when the form can be sent.
    QString blockingReason() const;
    QString errorText() const;

Q_SIGNALS:
    //! The number was bought (\a warning: naming or assigning it afterwards failed, else empty).
    void purchased(const sb::api::PhoneNumber &number, const QString &warning);

private:
    void validate();
    void buy();
    void configure(const sb::api::PhoneNumber &number);
    void showError(const QString &text);
    void setBusy(bool busy);

    ConsoleContext m_context;
    QRadioButton *m_byArea;
    QRadioButton *m_byNumber;
    QComboBox *m_country;
    QLineEdit *m_areaCode;
    QLineEdit *m_number;
    QLineEdit *m_name;
    QComboBox *m_agent;
    QLabel *m_cost;
    QLabel *m_problem;
    QLabel *m_error;
    QPushButton *m_buy;
    bool m_busy = false;
};

} // namespace sb::ui
