#pragma once

#include "pane.h"

#include "api/dto.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSplitter;
class QTableView;

namespace sb::ui {

class NumberFilterProxy;

//! The organization's phone numbers: list with filter and sort, buying, naming, the agent
//! that answers, routing (to the agent or forwarded), and release after a confirmation.
class NumbersPane : public Pane
{
    Q_OBJECT
public:
    NumbersPane(const ConsoleContext &context, QWidget *parent = nullptr);

    QString title() const override;
    QIcon icon() const override;
    QList<QAction *> paneActions() const override;
    void activated() override;
    QByteArray saveState() const override;
    void restoreState(const QByteArray &state) override;
    bool confirmLeave() override;
    bool hasUnsavedChanges() const override;

    //! The selected number's id, empty when none.
    QString currentId() const { return m_currentId; }
    //! Selects the number with \a id (when listed).
    void selectNumber(const QString &id);

private:
    void buildActions();
    void buildForm(QWidget *form);
    void showSelected();
    void fillAgentCombo();
    void updateState();
    void updateForm();
    QString formProblem() const;
    sb::api::PhoneNumberChanges pendingChanges() const;
    void save();
    void askRelease();
    void release(const sb::api::PhoneNumber &number);
    void purchase();
    void placeCallFromNumber();
    const sb::api::PhoneNumber *current() const;
    bool currentRowShown() const;

    NumberFilterProxy *m_proxy;
    QLineEdit *m_filter;
    QCheckBox *m_showReleased;
    QLabel *m_state;
    QSplitter *m_splitter;
    QTableView *m_view;
    QLabel *m_numberText;
    QLineEdit *m_name;
    QComboBox *m_agent;
    QComboBox *m_routing;
    QLineEdit *m_forwardTo;
    QLabel *m_problem;
    QLabel *m_feedback;
    QPushButton *m_save;
    QPushButton *m_revert;
    QPushButton *m_release;
    QPushButton *m_call;
    QAction *m_purchaseAction;
    QAction *m_saveAction;
    QAction *m_releaseAction;
    QAction *m_refreshAction;
    QAction *m_filterAction;
    QAction *m_callAction;
    QString m_currentId;
    bool m_loaded = false;
    bool m_columnsSized = false; //!< sized to the first rows, or restored
    bool m_saving = false;
    bool m_filling = false; //!< the form is being filled from the model, not edited
};

} // namespace sb::ui
