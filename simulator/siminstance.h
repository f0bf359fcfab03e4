#pragma once

#include "simauth.h"
#include "simoptions.h"

#include <QObject>
#include <QString>

#include <memory>

class SimApi;
class SimHttpServer;
class SimLiveEngine;
class SimRecordings;
class SimSignalRHub;
class SimSpeakNode;
class SimStore;
class SimStreamHub;

//! A running simulator: store, demo data, API, live engine, stream and HTTP server, built from
//! the options.
//! main() and the in-process tests both use it.
class SimInstance : public QObject
{
    Q_OBJECT
public:
    explicit SimInstance(QObject *parent = nullptr);
    ~SimInstance() override;

    //! Opens the store, seeds it if empty and listens. False with *error on failure.
    bool start(const SimOptions &options, QString *error);

    quint16 port() const { return m_port; }
    //! e.g. http://127.0.0.1:41234/v1
    QString baseUrl() const { return m_baseUrl; }
    const QList<SimOrg> &orgs() const;
    SimApi *api() const { return m_api; }
    SimLiveEngine *live() const { return m_live; }
    SimStreamHub *stream() const { return m_stream; }
    //! The SpeakNode face (REST, OAuth realm, media); null with --platform talknex.
    SimSpeakNode *speaknode() const { return m_speaknode; }
    //! The SpeakNode SignalR hub (/hubs/notifications); null with --platform talknex.
    SimSignalRHub *signalr() const { return m_signalr; }
    //! e.g. http://127.0.0.1:41234 (no path)
    QString origin() const { return m_origin; }

private:
    std::unique_ptr<SimStore> m_store;
    SimKeyRing m_keys;
    SimRecordings *m_recordings = nullptr;
    SimApi *m_api = nullptr;
    SimLiveEngine *m_live = nullptr;
    SimStreamHub *m_stream = nullptr;
    SimSpeakNode *m_speaknode = nullptr;
    SimSignalRHub *m_signalr = nullptr;
    SimHttpServer *m_http = nullptr;
    quint16 m_port = 0;
    QString m_baseUrl;
    QString m_origin;
};
