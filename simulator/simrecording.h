#pragma once

#include "simdialogue.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>
#include <QTemporaryDir>

#include <functional>
#include <memory>

//! Where a call's recording ended up, or why it could not be made.
struct SimRecordingResult
{
    QString path;
    QString error;
    bool deleted = false; // the call was deleted while its recording was being made
};

//! Makes call recordings with espeak-ng (agent left, caller right), off the main thread, once
//! per call, cached on disk.
class SimRecordings : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(const SimRecordingResult &)>;

    //! cacheDir empty: a private temporary directory.
    explicit SimRecordings(const QString &cacheDir, QObject *parent = nullptr);
    ~SimRecordings() override;

    //! Calls done on this object's thread once the WAV exists (or failed). Concurrent requests
    //! for one call share one synthesis.
    void request(const QString &callId, const SimDialogue &dialogue, Done done);
    //! Deletes the call's recording. A synthesis still running for it is marked: when it ends,
    //! its file is dropped and the waiting requests get a result with `deleted` set.
    void remove(const QString &callId);
    void setEspeakProgram(const QString &program);
    QString pathFor(const QString &callId) const;

    //! The synthesis itself (runs on a worker thread). Public for tests.
    static SimRecordingResult synthesize(const SimDialogue &dialogue, const QString &path,
                                         const QString &espeakProgram);

private:
    QString m_dir;
    std::unique_ptr<QTemporaryDir> m_temp;
    QString m_espeak;
    QHash<QString, QList<Done>> m_waiting;
    QSet<QString> m_deleted; // calls deleted while their synthesis runs
};
