#pragma once

#include "models/alertrules.h"

#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QPushButton;
class QSpinBox;

namespace sb::models {
class AlertService;
class Settings;
} // namespace sb::models

namespace sb::ui {

//! Edits the live alert rules (sentiment and silence thresholds, keywords, tool errors,
//! transfers) and the desktop-notification switch; Apply saves them to the settings and hands
//! them to the alert service, Revert reloads what is saved.
class AlertRulesEditor : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kMaxKeywordChars = 100;

    AlertRulesEditor(sb::models::Settings *settings, sb::models::AlertService *service,
                     QWidget *parent = nullptr);

    //! The rules as edited (not yet applied).
    sb::models::AlertRules rules() const;
    bool notifications() const;
    //! True while the edits differ from what is saved.
    bool isModified() const;

    //! Saves and applies the edits. Returns false (nothing saved) when they are invalid.
    bool apply();
    //! Discards the edits: shows the saved rules again.
    void revert();

    //! Adds \a keyword to the list; false with the reason shown inline when it is refused.
    bool addKeyword(const QString &keyword);
    //! Why \a keyword cannot be on the list (translated) or empty. \a ignoreRow is the row
    //! being edited (its own text is not a duplicate).
    QString keywordError(const QString &keyword, int ignoreRow = -1) const;
    QString errorText() const;

    QListWidget *keywordList() const { return m_keywords; }
    QLineEdit *keywordInput() const { return m_newKeyword; }
    QSpinBox *negativeSecondsBox() const { return m_negative; }
    QSpinBox *silenceSecondsBox() const { return m_silence; }
    QPushButton *applyButton() const { return m_apply; }
    QPushButton *revertButton() const { return m_revert; }

Q_SIGNALS:
    void modifiedChanged(bool modified);
    void applied();

private:
    void load(const sb::models::AlertRules &rules, bool notify);
    void onItemChanged(QListWidgetItem *item);
    void removeSelected();
    void updateState();
    void showError(const QString &text);

    sb::models::Settings *m_settings;
    sb::models::AlertService *m_service;
    QSpinBox *m_negative;
    QSpinBox *m_silence;
    QCheckBox *m_toolErrors;
    QCheckBox *m_transfers;
    QListWidget *m_keywords;
    QLineEdit *m_newKeyword;
    QPushButton *m_add;
    QPushButton *m_remove;
    QLabel *m_error;
    QCheckBox *m_notifications;
    QPushButton *m_apply;
    QPushButton *m_revert;
    bool m_loading = false;
    bool m_lastModified = false;
};

} // namespace sb::ui
