#pragma once

#include "models/profilestore.h"

#include <QDialog>

class QPushButton;
class QLabel;

namespace sb::api {
class CredentialStore;
}

namespace sb::ui {

class ApiKeyField;
class ConnectionTester;
class InlineStatus;

//! Shown when the platform refuses the profile's key (revoked, expired, wrong): says why, takes
//! a new key, checks it against the server and stores it in the keychain.
//!
//! Non-destructive: nothing in the window is closed or reset; on success the caller gets the
//! new key (apiKey()) and hands it to the running session. "Switch Profile…" closes the dialog
//! with SwitchProfile (and emits switchProfileRequested()) for the caller to offer the others.
class SignInDialog : public QDialog
{
    Q_OBJECT
public:
    //! done() code of "Switch Profile…" (Accepted = signed in, Rejected = cancelled).
    static constexpr int SwitchProfile = 2;

    SignInDialog(const sb::models::Profile &profile, sb::api::CredentialStore *credentials,
                 QWidget *parent = nullptr);

    //! Why the sign-in is needed (e.g. ApiError::caption() of the refused request).
    void setReason(const QString &reason);
    QString reason() const;
    //! The new, tested key (after Accepted). Never logged.
    QString apiKey() const { return m_acceptedKey; }
    //! False when the key could only be kept in memory for this run.
    bool keyPersisted() const { return m_keyPersisted; }

    //! Tests the typed key and, when the server accepts it, stores it and accepts.
    void signIn();

Q_SIGNALS:
    void signedIn(const QString &apiKey, bool keyPersisted);
    void switchProfileRequested();

private:
    void setBusy(bool busy);

    sb::models::Profile m_profile;
    sb::api::CredentialStore *m_credentials;
    QString m_acceptedKey;
    QString m_testedKey;
    bool m_keyPersisted = true;
    bool m_storing = false;

    QLabel *m_reason;
    ApiKeyField *m_key;
    InlineStatus *m_status;
    QPushButton *m_signIn;
    QPushButton *m_switch;
    ConnectionTester *m_tester;
};

} // namespace sb::ui
