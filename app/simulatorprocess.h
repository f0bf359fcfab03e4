#pragma once

#include <QList>
#include <QObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QUrl>

namespace sb::app {

//! One organization's key as switchboard-sim announces it at start-up.
struct SimulatorKey
{
    QString orgId;
    QString key;
    QString orgName;
};

//! Runs switchboard-sim as a child process and reads its start-up announcement.
//!
//! Used by `switchboard --demo`, the integration tests and the benchmarks. The child is started
//! with `--watch-stdin`, so it ends when this process dies even if nothing calls stop().
class SimulatorProcess : public QObject
{
    Q_OBJECT
public:
    explicit SimulatorProcess(QObject *parent = nullptr);
    ~SimulatorProcess() override;

    //! The simulator next to this program, or the one named by $SWITCHBOARD_SIM.
    static QString locateProgram();

    void setProgram(const QString &program) { m_program = program; }
    QString program() const { return m_program; }

    //! Starts the simulator and returns once it printed `ready` (or failed, or timed out).
    bool start(const QStringList &extraArgs = {}, int timeoutMs = 60000);
    //! Like start() without blocking: the window stays responsive (and paints) while the
    //! simulator seeds its data. Ends with startFinished(ok); errorString() says why not.
    void startAsync(const QStringList &extraArgs = {}, int timeoutMs = 60000);
    //! Asks the simulator to end and waits for it; kills it if it does not.
    void stop();

    bool isRunning() const;
    QString errorString() const { return m_error; }
    QUrl baseUrl() const { return m_baseUrl; }
    //! Base URL of the admin endpoints (`http://host:port/_sim`).
    QUrl adminUrl() const;
    QList<SimulatorKey> keys() const { return m_keys; }
    //! The first key the simulator announced for \a orgId, or the demo org's when empty.
    QString key(const QString &orgId = {}) const;
    //! All keys of \a orgId in announcement order.
    QStringList keysOf(const QString &orgId) const;
    QStringList orgIds() const;
    //! SpeakNode face (docs/SIM-INTERFACE.md): REST base ".../api/v1", the demo realm's issuer
    //! and client id, and a static access token per organization. Empty when not announced.
    QUrl speakNodeBaseUrl() const { return m_speakNodeBaseUrl; }
    QUrl speakNodeIssuer() const { return m_speakNodeIssuer; }
    QString speakNodeClientId() const { return m_speakNodeClientId; }
    //! The static SpeakNode token of \a orgId, or the first announced one when empty.
    QString speakNodeToken(const QString &orgId = {}) const;
    //! Everything the simulator wrote to stderr so far (for test diagnostics).
    QString stderrText() const { return m_stderr; }

Q_SIGNALS:
    void exitedUnexpectedly(const QString &reason);
    void startFinished(bool ok);

private:
    QStringList prepare(const QStringList &extraArgs);
    bool parseLine(const QByteArray &line);
    bool checkAnnouncement();
    void onAsyncOutput();
    void finishAsync(bool ok, const QString &error = QString());

    QProcess m_process;
    QString m_program;
    QString m_error;
    QString m_stderr;
    QUrl m_baseUrl;
    QList<SimulatorKey> m_keys;
    QUrl m_speakNodeBaseUrl;
    QUrl m_speakNodeIssuer;
    QString m_speakNodeClientId;
    QList<SimulatorKey> m_speakNodeTokens;
    bool m_ready = false;
    bool m_stopping = false;
    bool m_asyncPending = false;
    QTimer *m_asyncDeadline = nullptr;
};

} // namespace sb::app
