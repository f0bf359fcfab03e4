#include "prismproxy.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFileInfo>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#ifdef Q_OS_LINUX
#include <csignal>
#include <sys/prctl.h>
#endif

namespace sb::test {

namespace {

QString prismEntry(const QString &tools)
{
    return tools + QStringLiteral("/node_modules/@stoplight/prism-cli/dist/index.js");
}

QString describeViolation(const QJsonObject &v)
{
    QStringList location;
    const QJsonArray parts = v.value(QLatin1String("location")).toArray();
    for (const QJsonValue &part : parts)
        location.append(part.toVariant().toString());
    return v.value(QLatin1String("severity")).toString() + QLatin1String(" at ") +
           location.join(QLatin1Char('.')) + QLatin1String(": ") +
           v.value(QLatin1String("message")).toString();
}

} // namespace

PrismProxy::PrismProxy(QObject *parent)
    : QObject(parent)
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
#ifdef Q_OS_LINUX
    // A crashed or killed test must not leave a proxy behind: the kernel ends the child when
    // its parent dies. prism-proxy execs node, which keeps this setting.
    m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
#endif
}

PrismProxy::~PrismProxy()
{
    stop();
}

QString PrismProxy::toolsDir()
{
    const QByteArray source = qgetenv("SWITCHBOARD_SOURCE_DIR");
    if (!source.isEmpty())
        return QDir::cleanPath(QString::fromLocal8Bit(source) + QLatin1String("/tools/contract"));
    return QStringLiteral(SB_CONTRACT_TOOLS_DIR);
}

QString PrismProxy::unavailableReason() const
{
    const QString tools = toolsDir();
    if (!QFileInfo(tools + QLatin1String("/prism-proxy")).isExecutable())
        return QLatin1String("no executable prism-proxy in ") + tools;
    if (QStandardPaths::findExecutable(QStringLiteral("node")).isEmpty())
        return QStringLiteral("node is not on PATH");
    if (!QFileInfo::exists(prismEntry(tools)))
        return QLatin1String("Prism is not installed: run ") + tools + QLatin1String("/install");
    return {};
}

void PrismProxy::setDocument(const QString &openApiYaml, const QString &basePath)
{
    m_document = openApiYaml;
    m_basePath = basePath;
}

bool PrismProxy::available() const
{
    return unavailableReason().isEmpty();
}

int PrismProxy::freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

bool PrismProxy::start(const QUrl &upstreamBaseUrl, int timeoutMs)
{
    stop();
    m_error.clear();
    const QString reason = unavailableReason();
    if (!reason.isEmpty()) {
        m_error = reason;
        return false;
    }
    // The port is free when probed but could be taken before node binds it; try a few.
    const QDeadlineTimer deadline(timeoutMs);
    for (int attempt = 0; attempt < 3 && !deadline.hasExpired(); ++attempt) {
        const int port = freePort();
        if (port > 0 && startOnce(upstreamBaseUrl, port, int(deadline.remainingTime())))
            return true;
    }
    return false;
}

bool PrismProxy::startOnce(const QUrl &upstreamBaseUrl, int port, int timeoutMs)
{
    m_output.clear();
    m_process.setWorkingDirectory(toolsDir());
    if (!m_document.isEmpty()) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("SWITCHBOARD_OPENAPI"), m_document);
        m_process.setProcessEnvironment(env);
    }
    m_process.start(toolsDir() + QLatin1String("/prism-proxy"),
                    {upstreamBaseUrl.toString(), QString::number(port)});
    if (!m_process.waitForStarted(10000)) {
        m_error = QLatin1String("prism-proxy did not start: ") + m_process.errorString();
        return false;
    }
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (m_process.state() != QProcess::Running) {
            m_error = QLatin1String("prism-proxy exited: ") + QString::fromUtf8(output());
            return false;
        }
        QTcpSocket probe;
        probe.connectToHost(QHostAddress::LocalHost, quint16(port));
        if (probe.waitForConnected(500)) {
            probe.disconnectFromHost();
            m_baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port) + m_basePath);
            return true;
        }
        // Keeps the process's output flowing while waiting.
        QTest::qWait(200);
    }
    m_error = QLatin1String("prism-proxy did not accept connections in time: ") +
              QString::fromUtf8(output());
    stop();
    return false;
}

void PrismProxy::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(5000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
    m_output += m_process.readAll();
    m_baseUrl.clear();
}

bool PrismProxy::isRunning() const
{
    return m_process.state() == QProcess::Running;
}

QByteArray PrismProxy::output()
{
    m_output += m_process.readAll();
    return m_output;
}

QStringList PrismProxy::violations(const QByteArray &slViolationsHeader,
                                   const QByteArray &contentType, const QByteArray &body)
{
    QStringList found;
    if (!slViolationsHeader.isEmpty()) {
        const QJsonDocument header = QJsonDocument::fromJson(slViolationsHeader);
        if (header.isArray()) {
            const QJsonArray list = header.array();
            for (const QJsonValue &v : list)
                found.append(describeViolation(v.toObject()));
        } else {
            // Prism cuts long headers ("Too many violations! ..."): report it raw.
            found.append(QString::fromUtf8(slViolationsHeader));
        }
    }
    // Our API answers errors as application/json; only Prism itself speaks problem+json.
    if (contentType.startsWith("application/problem+json")) {
        const QJsonObject problem = QJsonDocument::fromJson(body).object();
        QString line = QLatin1String("prism ") + problem.value(QLatin1String("type")).toString() +
                       QLatin1String(" (") +
                       QString::number(problem.value(QLatin1String("status")).toInt()) +
                       QLatin1String("): ") + problem.value(QLatin1String("detail")).toString();
        const QJsonArray list = problem.value(QLatin1String("validation")).toArray();
        for (const QJsonValue &v : list)
            line += QLatin1String(" | ") + describeViolation(v.toObject());
        found.append(line);
    }
    return found;
}

QStringList PrismProxy::violations(const QNetworkReply &reply, const QByteArray &body)
{
    return violations(reply.rawHeader("sl-violations"),
                      reply.header(QNetworkRequest::ContentTypeHeader).toByteArray(), body);
}

} // namespace sb::test
