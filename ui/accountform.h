#pragma once

// Pieces shared by the profile and sign-in dialogs: the masked key field, the connection test
// and the inline status line under a field.

#include "api/platform.h"

#include <QLabel>
#include <QObject>
#include <QUrl>
#include <QWidget>

class QLineEdit;
class QToolButton;

namespace sb::api {
class Session;
}

namespace sb::ui {

//! An API key input: masked by default, with a Show/Hide toggle; never copied to a log.
class ApiKeyField : public QWidget
{
    Q_OBJECT
public:
    explicit ApiKeyField(QWidget *parent = nullptr);

    //! The key as typed, without surrounding whitespace (a paste often brings a newline).
    QString key() const;
    void setKey(const QString &key);
    QLineEdit *lineEdit() const { return m_edit; }
    QToolButton *toggleButton() const { return m_toggle; }
    bool isRevealed() const;

Q_SIGNALS:
    void textChanged();

private:
    QLineEdit *m_edit;
    QToolButton *m_toggle;
};

//! A one-line message under a form field or button: error, success or progress, in colours
//! taken from the palette so it reads on light and dark themes.
class InlineStatus : public QLabel
{
    Q_OBJECT
public:
    enum class Kind { None, Progress, Ok, Error, Warning };

    explicit InlineStatus(QWidget *parent = nullptr);
    void setStatus(Kind kind, const QString &text);
    void clearStatus() { setStatus(Kind::None, QString()); }
    Kind kind() const { return m_kind; }
    //! The height of the text wrapped at the current width (QLabel guesses a narrower one).
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void applyColour();
    void growWindowToFit();
    Kind m_kind = Kind::None;
};

//! "Test connection": a throwaway Session and Platform that ask for the first agent (the
//! cheapest authorised request) and explain the outcome in words (wrong key, unreachable ...).
class ConnectionTester : public QObject
{
    Q_OBJECT
public:
    explicit ConnectionTester(QObject *parent = nullptr);

    //! Starts a test (a running one is abandoned). Always answers with finished().
    void test(sb::api::PlatformKind kind, const QUrl &baseUrl, const QString &apiKey);
    bool isRunning() const { return m_session != nullptr; }
    //! Time allowed for an answer (default 10 s: the person is waiting for it).
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }

    //! Translated explanation of a failed test.
    static QString explain(const sb::api::ApiError &error, const QUrl &baseUrl);

Q_SIGNALS:
    //! \a ok true: the key was accepted. \a message is translated and never contains the key.
    void finished(bool ok, const QString &message);

private:
    void finish(bool ok, const QString &message);

    sb::api::Session *m_session = nullptr; //!< child; the test in flight, if any
    int m_timeoutMs = 10000;
    quint64 m_generation = 0;
};

//! Translated problem with \a url as an API base address, or empty when it is acceptable.
QString baseUrlProblem(const QUrl &url);

} // namespace sb::ui
