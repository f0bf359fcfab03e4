#pragma once

#include "models/profilestore.h"

#include <QDialog>

class QComboBox;
class QFormLayout;
class QNetworkAccessManager;
class QDialogButtonBox;
class QLineEdit;
class QPushButton;

namespace sb::api {
class CredentialStore;
}

namespace sb::ui {

class ApiKeyField;
class ConnectionTester;
class InlineStatus;
class MessageBanner;

//! Add or edit a connection profile: name, platform, API address and API key.
//!
//! Every field is checked inline (unique name, https or loopback http, a key for a new
//! profile); "Test connection" asks the server for real with the typed values. Save writes the
//! profile to the ProfileStore and the key to the keychain only (CredentialStore, entry
//! Profile::credentialKey()); when no keychain is available the dialog says so before closing.
//! For the demo profile only the name can change.
class ProfileDialog : public QDialog
{
    Q_OBJECT
public:
    //! An empty \a existing adds a profile; otherwise it is edited (its key may stay as stored).
    ProfileDialog(sb::models::ProfileStore *store, sb::api::CredentialStore *credentials,
                  const sb::models::Profile &existing = {}, QWidget *parent = nullptr);
    ~ProfileDialog() override;

    bool isEditing() const { return !m_existing.id.isEmpty(); }
    //! The saved profile (valid after profileSaved()/accept).
    sb::models::Profile profile() const { return m_saved; }
    //! The key typed in this dialog; empty when an edit kept the stored key.
    QString apiKey() const;
    //! False when the key could only be kept in memory for this run (no keychain).
    bool keyPersisted() const { return m_keyPersisted; }

    //! Runs the same checks as Save and shows their messages; true when all fields are fine.
    bool validate();
    //! Starts "Test connection" with the typed values.
    void testConnection();

Q_SIGNALS:
    //! The profile is in the store and its key (if typed) in the keychain or in memory.
    void profileSaved(const sb::models::Profile &profile, bool keyPersisted);
    //! The connection test finished (for tests and for the lead's status bar).
    void connectionTested(bool ok, const QString &message);

private:
    void save();
    void finishSave(bool persisted);
    void testWithKey(const QString &key);
    sb::models::Profile collect() const;
    QUrl typedUrl() const;

    sb::models::ProfileStore *m_store;
    sb::api::CredentialStore *m_credentials;
    sb::models::Profile m_existing;
    sb::models::Profile m_saved;
    QString m_pendingKeyId;
    bool m_keyPersisted = true;
    bool m_saving = false;

    MessageBanner *m_banner;
    QLineEdit *m_name;
    InlineStatus *m_nameStatus;
    QComboBox *m_platform;
    InlineStatus *m_platformStatus;
    QLineEdit *m_url;
    InlineStatus *m_urlStatus;
    ApiKeyField *m_key;
    InlineStatus *m_keyStatus;
    QPushButton *m_test;
    InlineStatus *m_testStatus;
    QDialogButtonBox *m_buttons;
    QPushButton *m_save;
    ConnectionTester *m_tester;
    // SpeakNode: the identity realm and the OAuth client id (sign-in happens in the browser).
    QLineEdit *m_issuer;
    InlineStatus *m_issuerStatus;
    QLineEdit *m_clientId;
    QFormLayout *m_form = nullptr;
    QNetworkAccessManager *m_nam = nullptr;

    void updatePlatformFields();
    void testSpeakNode();
    bool isSpeakNode() const;
};

} // namespace sb::ui
