#pragma once

#include <QByteArray>
#include <QObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QUrl>

class QNetworkReply;

namespace sb::test {

//! Runs tools/contract/prism-proxy (Prism 5.14.2) in front of an upstream so that a test's
//! traffic is validated against docs/api/talknex.openapi.yaml in both directions.
class PrismProxy : public QObject
{
    Q_OBJECT
public:
    explicit PrismProxy(QObject *parent = nullptr);
    ~PrismProxy() override;

    //! tools/contract of the source tree (SWITCHBOARD_SOURCE_DIR wins over the build-time path).
    static QString toolsDir();

    //! Validates against another document than talknex.openapi.yaml; @p basePath is the path
    //! of its first server (e.g. docs/api/speaknode.openapi.yaml and "/api/v1"). Before start().
    void setDocument(const QString &openApiYaml, const QString &basePath);

    //! False when node or the installed Prism is missing; unavailableReason() says which.
    bool available() const;
    QString unavailableReason() const;

    //! Starts the proxy on a free loopback port in front of @p upstreamBaseUrl (for example
    //! the simulator's `http://127.0.0.1:41234/v1`) and waits until it accepts connections.
    bool start(const QUrl &upstreamBaseUrl, int timeoutMs = 40000);
    //! Terminates the proxy and waits for it; also done by the destructor.
    void stop();
    bool isRunning() const;

    //! `http://127.0.0.1:<port>/v1` (or the document's base path): point the client here.
    QUrl baseUrl() const { return m_baseUrl; }
    //! Why start() failed, with the proxy's output.
    QString errorString() const { return m_error; }
    //! Everything the proxy printed so far (its violation log at `warn` level).
    QByteArray output();

    //! The violations Prism reported for one answer: its `sl-violations` header (every
    //! violation, warnings included) and a Prism problem+json body (request rejected by the
    //! proxy, or a response violation turned into a 500 by --errors). Empty means clean.
    static QStringList violations(const QByteArray &slViolationsHeader,
                                  const QByteArray &contentType, const QByteArray &body);
    //! Same, for a finished reply whose body has already been read into @p body.
    static QStringList violations(const QNetworkReply &reply, const QByteArray &body);

private:
    bool startOnce(const QUrl &upstreamBaseUrl, int port, int timeoutMs);
    static int freePort();

    QProcess m_process;
    QUrl m_baseUrl;
    QString m_error;
    QByteArray m_output;
    QString m_document; // empty: prism-proxy's default (talknex)
    QString m_basePath = QStringLiteral("/v1");
};

} // namespace sb::test
