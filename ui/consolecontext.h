#pragma once

#include <QObject>
#include <QString>

namespace sb::api {
class CredentialStore;
class LiveStream;
class Platform;
class Session;
} // namespace sb::api
namespace sb::models {
class AgentListModel;
class AlertLogModel;
class AlertService;
class CallCache;
class CollectionModel;
class ContactModel;
class LiveCallsModel;
class PhoneNumberModel;
class Settings;
class SyncService;
} // namespace sb::models

namespace sb::ui {

//! Cross-pane requests ("show this call live", "place a call to this contact"). Panes emit
//! them through the context; the main window switches panes and forwards them.
class Navigator : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

Q_SIGNALS:
    //! Open \a callId in the Live pane (following it from ringing to its end).
    void showLiveCall(const QString &callId);
    //! Open \a callId's details in the Calls pane.
    void showHistoryCall(const QString &callId);
    //! Open the place-a-call dialog, prefilled where the arguments are not empty.
    void placeCall(const QString &toNumber, const QString &agentId);
    //! Switch to the pane with this id ("live", "calls", "agents", ...).
    void showPane(const QString &paneId);
    //! A background message for the status bar (never a dialog).
    void statusMessage(const QString &text);
};

//! Everything a pane may use, built once per profile by the composition root (app/) and
//! handed to every pane's constructor. Pointers stay valid for the pane's whole life; a
//! profile switch rebuilds the window and the context together.
struct ConsoleContext
{
    sb::api::Session *session = nullptr;
    sb::api::Platform *platform = nullptr;
    sb::api::LiveStream *stream = nullptr;
    sb::api::CredentialStore *credentials = nullptr;
    sb::models::CallCache *cache = nullptr;
    sb::models::SyncService *sync = nullptr;
    sb::models::AlertService *alerts = nullptr;
    sb::models::AlertLogModel *alertLog = nullptr;
    sb::models::AgentListModel *agents = nullptr;
    sb::models::PhoneNumberModel *numbers = nullptr;
    sb::models::ContactModel *contacts = nullptr;
    sb::models::CollectionModel *collections = nullptr;
    sb::models::LiveCallsModel *liveCalls = nullptr;
    sb::models::Settings *settings = nullptr;
    Navigator *navigator = nullptr;
    //! Who acknowledges alerts ("ana@example" or the login name).
    QString userName;
    //! Folder for downloaded recordings and waveform peaks of this profile.
    QString mediaCacheDir;
};

} // namespace sb::ui
