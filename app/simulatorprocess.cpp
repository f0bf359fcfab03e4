#include "simulatorprocess.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFileInfo>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcDemo, "switchboard.demo")

namespace sb::app {

SimulatorProcess::SimulatorProcess(QObject *parent)
    : QObject(parent)
    , m_program(locateProgram())
{
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    connect(&m_process, &QProcess::readyReadStandardError, this, [this] {
        const QByteArray chunk = m_process.readAllStandardError();
        m_stderr += QString::fromLocal8Bit(chunk);
        // Keep diagnostics bounded: an all-day demo must not grow without limit.
        if (m_stderr.size() > 64 * 1024)
            m_stderr = m_stderr.right(32 * 1024);
    });
    connect(&m_process, &QProcess::finished, this, [this](int code, QProcess::ExitStatus status) {
        if (m_ready && !m_stopping) {
            const QString reason = status == QProcess::CrashExit
                                       ? tr("The simulator crashed.")
                                       : tr("The simulator exited with code %1.").arg(code);
            qCWarning(lcDemo) << reason;
            Q_EMIT exitedUnexpectedly(reason);
        }
    });
}

SimulatorProcess::~SimulatorProcess()
{
    stop();
}

QString SimulatorProcess::locateProgram()
{
    const QString fromEnv = qEnvironmentVariable("SWITCHBOARD_SIM");
    if (!fromEnv.isEmpty())
        return fromEnv;
    const QString appDir = QCoreApplication::applicationDirPath();
    // Installed side by side, or in the build tree's simulator/ folder next to app/.
    const QStringList candidates = {
        appDir + QStringLiteral("/switchboard-sim"),
        appDir + QStringLiteral("/../simulator/switchboard-sim"),
    };
    for (const QString &candidate : candidates) {
        if (QFileInfo(candidate).isExecutable())
            return QDir::cleanPath(candidate);
    }
    return QStringLiteral("switchboard-sim");
}

QStringList SimulatorProcess::prepare(const QStringList &extraArgs)
{
    stop();
    m_error.clear();
    m_stderr.clear();
    m_keys.clear();
    m_baseUrl.clear();
    m_speakNodeBaseUrl.clear();
    m_speakNodeIssuer.clear();
    m_speakNodeClientId.clear();
    m_speakNodeTokens.clear();
    m_ready = false;
    m_stopping = false;
    QStringList args{QStringLiteral("--host"), QStringLiteral("127.0.0.1"),
                     QStringLiteral("--port"), QStringLiteral("0"),
                     QStringLiteral("--watch-stdin")};
    return args + extraArgs;
}

bool SimulatorProcess::checkAnnouncement()
{
    const bool talknex = !m_baseUrl.isEmpty() && !m_keys.isEmpty();
    const bool speakNode = !m_speakNodeBaseUrl.isEmpty() && !m_speakNodeTokens.isEmpty();
    if (!talknex && !speakNode) {
        m_error = tr("The simulator announced no base URL or no API key.");
        return false;
    }
    qCInfo(lcDemo) << "simulator ready at" << m_baseUrl.toString() << "with" << m_keys.size()
                   << "keys";
    return true;
}

void SimulatorProcess::startAsync(const QStringList &extraArgs, int timeoutMs)
{
    const QStringList args = prepare(extraArgs);
    m_asyncPending = true;
    if (!m_asyncDeadline) {
        m_asyncDeadline = new QTimer(this);
        m_asyncDeadline->setSingleShot(true);
        connect(m_asyncDeadline, &QTimer::timeout, this, [this] {
            const int seconds = m_asyncDeadline->interval() / 1000;
            finishAsync(false, tr("The simulator did not become ready within %1 s.").arg(seconds));
        });
        connect(&m_process, &QProcess::readyReadStandardOutput, this,
                &SimulatorProcess::onAsyncOutput);
        connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
            if (e == QProcess::FailedToStart)
                finishAsync(false, tr("Could not start the simulator (%1): %2")
                                       .arg(m_program, m_process.errorString()));
        });
        connect(&m_process, &QProcess::finished, this, [this] {
            if (m_asyncPending)
                finishAsync(
                    false, tr("The simulator stopped during start-up: %1").arg(m_stderr.trimmed()));
        });
    }
    m_asyncDeadline->start(timeoutMs);
    m_process.start(m_program, args);
}

void SimulatorProcess::onAsyncOutput()
{
    if (!m_asyncPending)
        return;
    while (m_process.canReadLine()) {
        const QByteArray line = m_process.readLine().trimmed();
        if (!parseLine(line)) {
            finishAsync(false, m_error);
            return;
        }
        if (m_ready) {
            finishAsync(checkAnnouncement(), m_error);
            return;
        }
    }
}

void SimulatorProcess::finishAsync(bool ok, const QString &error)
{
    if (!m_asyncPending)
        return;
    m_asyncPending = false;
    m_asyncDeadline->stop();
    if (!ok) {
        m_error = error;
        stop();
    }
    Q_EMIT startFinished(ok);
}

bool SimulatorProcess::start(const QStringList &extraArgs, int timeoutMs)
{
    const QStringList args = prepare(extraArgs);
    m_process.start(m_program, args);
    if (!m_process.waitForStarted(10000)) {
        m_error =
            tr("Could not start the simulator (%1): %2").arg(m_program, m_process.errorString());
        return false;
    }

    QDeadlineTimer deadline(timeoutMs);
    QByteArray pending;
    while (!m_ready) {
        if (m_process.state() == QProcess::NotRunning) {
            m_error = tr("The simulator stopped during start-up: %1").arg(m_stderr.trimmed());
            return false;
        }
        if (deadline.hasExpired()) {
            m_error = tr("The simulator did not become ready within %1 s.").arg(timeoutMs / 1000);
            stop();
            return false;
        }
        if (!m_process.canReadLine())
            m_process.waitForReadyRead(
                qMax<qint64>(1, qMin<qint64>(200, deadline.remainingTime())));
        while (m_process.canReadLine()) {
            const QByteArray line = m_process.readLine().trimmed();
            if (!parseLine(line)) {
                stop();
                return false;
            }
        }
    }
    if (!checkAnnouncement()) {
        stop();
        return false;
    }
    return true;
}

bool SimulatorProcess::parseLine(const QByteArray &line)
{
    if (line.isEmpty())
        return true;
    const QString text = QString::fromUtf8(line);
    if (text == QLatin1String("ready")) {
        m_ready = true;
    } else if (text.startsWith(QLatin1String("base-url "))) {
        m_baseUrl = QUrl(text.mid(9).trimmed(), QUrl::StrictMode);
        if (!m_baseUrl.isValid() || m_baseUrl.scheme() != QLatin1String("http")) {
            m_error = tr("The simulator announced an invalid base URL: %1").arg(text.mid(9));
            return false;
        }
    } else if (text.startsWith(QLatin1String("speaknode-base-url ")) ||
               text.startsWith(QLatin1String("speaknode-issuer "))) {
        const int space = text.indexOf(QLatin1Char(' '));
        const QUrl url(text.mid(space + 1).trimmed(), QUrl::StrictMode);
        if (!url.isValid() || url.scheme() != QLatin1String("http")) {
            m_error = tr("The simulator announced an invalid URL: %1").arg(text);
            return false;
        }
        (text.startsWith(QLatin1String("speaknode-base-url ")) ? m_speakNodeBaseUrl
                                                               : m_speakNodeIssuer) = url;
    } else if (text.startsWith(QLatin1String("speaknode-client-id "))) {
        m_speakNodeClientId = text.mid(20).trimmed();
    } else if (text.startsWith(QLatin1String("speaknode-token "))) {
        const QStringList parts = text.mid(16).split(QLatin1Char(' '), Qt::SkipEmptyParts);
        if (parts.size() < 2) {
            m_error = tr("The simulator announced a malformed token line.");
            return false;
        }
        m_speakNodeTokens.append({parts.at(0), parts.at(1), QString()});
    } else if (text.startsWith(QLatin1String("api-key "))) {
        const QStringList parts = text.mid(8).split(QLatin1Char(' '), Qt::SkipEmptyParts);
        if (parts.size() < 2) {
            m_error = tr("The simulator announced a malformed key line.");
            return false;
        }
        m_keys.append({parts.at(0), parts.at(1), parts.mid(2).join(QLatin1Char(' '))});
    }
    // Other lines (the version banner, notes) are for people, not for us.
    return true;
}

void SimulatorProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_stopping = true;
    // Closing stdin is the polite way: the simulator watches it and exits on end of file.
    m_process.closeWriteChannel();
    if (!m_process.waitForFinished(3000)) {
        m_process.terminate();
        if (!m_process.waitForFinished(3000)) {
            m_process.kill();
            m_process.waitForFinished(3000);
        }
    }
}

bool SimulatorProcess::isRunning() const
{
    return m_process.state() == QProcess::Running;
}

QUrl SimulatorProcess::adminUrl() const
{
    QUrl url = m_baseUrl.isEmpty() ? m_speakNodeBaseUrl : m_baseUrl;
    url.setPath(QStringLiteral("/_sim"));
    return url;
}

QString SimulatorProcess::key(const QString &orgId) const
{
    for (const SimulatorKey &k : m_keys) {
        if (orgId.isEmpty() || k.orgId == orgId)
            return k.key;
    }
    return {};
}

QString SimulatorProcess::speakNodeToken(const QString &orgId) const
{
    for (const SimulatorKey &k : m_speakNodeTokens) {
        if (orgId.isEmpty() || k.orgId == orgId)
            return k.key;
    }
    return {};
}

QStringList SimulatorProcess::keysOf(const QString &orgId) const
{
    QStringList out;
    for (const SimulatorKey &k : m_keys) {
        if (k.orgId == orgId)
            out.append(k.key);
    }
    return out;
}

QStringList SimulatorProcess::orgIds() const
{
    QStringList out;
    for (const SimulatorKey &k : m_keys) {
        if (!out.contains(k.orgId))
            out.append(k.orgId);
    }
    return out;
}

} // namespace sb::app
