#pragma once

#include <QFrame>

class QLabel;
class QPushButton;

namespace sb::ui {

//! Inline message in a pane (the tier for a failed action): text, optional Retry, dismiss.
class MessageBanner : public QFrame
{
    Q_OBJECT
public:
    enum class Kind { Information, Warning, Error };

    explicit MessageBanner(QWidget *parent = nullptr);

    //! Shows \a text; \a retryable adds a Retry button that emits retryRequested().
    void showMessage(Kind kind, const QString &text, bool retryable = false);
    QString text() const;

Q_SIGNALS:
    void retryRequested();

private:
    QLabel *m_icon;
    QLabel *m_text;
    QPushButton *m_retry;
    QPushButton *m_close;
};

} // namespace sb::ui
