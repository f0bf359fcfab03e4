#pragma once

#include "models/profilestore.h"

#include <QDialog>

class QPushButton;
class QTreeWidget;

namespace sb::api {
class CredentialStore;
}

namespace sb::ui {

class MessageBanner;
class ProfileDialog;

//! File › Manage Profiles: the stored profiles with Add, Edit, Switch To and Remove.
//!
//! Add and Edit open a ProfileDialog. Remove asks first, then deletes the profile and its
//! keychain entry; the active profile cannot be removed (switch away first). Switching is left
//! to the caller: switchRequested() is emitted and the dialog closes.
class ProfilesDialog : public QDialog
{
    Q_OBJECT
public:
    enum Column { NameColumn, PlatformColumn, AddressColumn };

    ProfilesDialog(sb::models::ProfileStore *store, sb::api::CredentialStore *credentials,
                   const QString &activeProfileId, QWidget *parent = nullptr);

    QString selectedProfileId() const;
    void selectProfile(const QString &profileId);
    QTreeWidget *list() const { return m_list; }

    //! Opens the add dialog (also reachable with the Add button); returns it for tests.
    ProfileDialog *addProfile();
    ProfileDialog *editSelected();
    //! Asks for confirmation unless \a confirm is false, then removes the selected profile.
    void removeSelected(bool confirm = true);

Q_SIGNALS:
    //! The person asked to use \a profileId now; the dialog is closing.
    void switchRequested(const QString &profileId);
    //! A profile was added or edited (its key may have changed: the caller may reconnect).
    void profileSaved(const sb::models::Profile &profile, bool keyChanged);
    void profileRemoved(const QString &profileId);

private:
    void reload();
    void updateButtons();
    void switchToSelected();

    sb::models::ProfileStore *m_store;
    sb::api::CredentialStore *m_credentials;
    QString m_active;
    MessageBanner *m_banner;
    QTreeWidget *m_list;
    QPushButton *m_add;
    QPushButton *m_edit;
    QPushButton *m_switch;
    QPushButton *m_remove;
};

} // namespace sb::ui
