#pragma once

#include "models/profilestore.h"

#include <QDialog>

class QCommandLinkButton;

namespace sb::api {
class CredentialStore;
}

namespace sb::ui {

class ProfileDialog;

//! First run: try the demo (bundled simulator) or connect an account.
//!
//! "Connect an account" opens a ProfileDialog on top; when that one saves, the welcome closes
//! with choice() ConnectAccount and profile() holding the new profile. Cancelling it returns
//! to the welcome. Without a store the welcome only reports the choice.
class WelcomeDialog : public QDialog
{
    Q_OBJECT
public:
    enum class Choice { None, Demo, ConnectAccount };
    Q_ENUM(Choice)

    explicit WelcomeDialog(sb::models::ProfileStore *store = nullptr,
                           sb::api::CredentialStore *credentials = nullptr,
                           QWidget *parent = nullptr);

    Choice choice() const { return m_choice; }
    //! The profile created through "Connect an account" (invalid otherwise).
    sb::models::Profile profile() const { return m_profile; }
    //! The open ProfileDialog while "Connect an account" is in progress (tests).
    ProfileDialog *profileDialog() const { return m_profileDialog; }

    QCommandLinkButton *demoButton() const { return m_demo; }
    QCommandLinkButton *connectButton() const { return m_connect; }

Q_SIGNALS:
    void choiceMade(sb::ui::WelcomeDialog::Choice choice);

private:
    void chooseDemo();
    void chooseConnect();

    sb::models::ProfileStore *m_store;
    sb::api::CredentialStore *m_credentials;
    Choice m_choice = Choice::None;
    sb::models::Profile m_profile;
    ProfileDialog *m_profileDialog = nullptr;
    QCommandLinkButton *m_demo;
    QCommandLinkButton *m_connect;
};

} // namespace sb::ui
