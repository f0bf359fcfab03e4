#pragma once

#include "apierror.h"
#include "request.h"

#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QNetworkReply>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>

namespace sb::api {

class Session;

//! Handle of one logical request (all its retries). Emits finished() exactly once, always
//! asynchronously, then deletes itself (deleteLater): read the result inside the slot.
class PendingRequest : public QObject
{
    Q_OBJECT
public:
    ~PendingRequest() override;

    const Request &request() const { return m_request; }
    bool isFinished() const { return m_finished; }
    bool isSuccess() const { return m_finished && !m_error.isError(); }
    //! Kind::None on success.
    const ApiError &error() const { return m_error; }
    int httpStatus() const { return m_httpStatus; }
    //! Response body (empty for downloads to a file).
    const QByteArray &body() const { return m_body; }
    //! A response header of the last attempt (case-insensitive name).
    QByteArray header(const QByteArray &name) const;
    QByteArray idempotencyKey() const { return m_request.idempotencyKey; }
    //! Number of attempts made so far (1 = no retry).
    int attempts() const { return m_attempts; }

    //! A handle that no single HTTP exchange backs, for an answer that takes several requests
    //! (SpeakNode: a recording behind a pre-signed URL that may need a refresh). It never touches
    //! the network; the platform finishes it with settle() (cancel() works as usual).
    static PendingRequest *relay(Session *session, Request description = {});
    //! Finishes a relay: success when `error` is Kind::None. No-op once finished.
    void settle(const ApiError &error, int httpStatus = 0);

public Q_SLOTS:
    //! Aborts the request: finishes with Kind::Canceled, never retried. No-op when finished.
    void cancel();

Q_SIGNALS:
    void finished();
    //! Upload or download progress of the current attempt; total is -1 when unknown.
    void progress(qint64 done, qint64 total);

private:
    friend class Session;
    PendingRequest(Session *session, Request request);

    void enqueue();
    //! Sends once the Session's TokenSource has a fresh token (after a 401, or before the first
    //! attempt when there is none yet); fails with Unauthorized when the refresh fails.
    void waitForToken();
    void startAttempt();
    void onReplyFinished();
    void onReadyRead();
    void onConnectTimeout();
    void scheduleRetry(qint64 delayMs);
    void finishWith(ApiError error);
    void finishOk();
    void emitFinishedLater();
    void cleanupReply();
    bool openDownloadFile();
    void commitDownload();

    QPointer<Session> m_session;
    Request m_request;
    QPointer<QNetworkReply> m_reply;
    QTimer m_connectTimer;
    QTimer m_retryTimer;
    quint64 m_ticket = 0;
    int m_attempts = 0;
    int m_httpStatus = 0;
    bool m_finished = false;
    bool m_timedOut = false;
    bool m_canceled = false;
    bool m_gotBytes = false;
    //! A token refresh was already asked for this request: a second 401 is final.
    bool m_refreshTried = false;
    //! The Authorization header of the last attempt: tells whether a refresh happened since.
    QByteArray m_sentAuthorization;
    //! A retried attempt may have been carried out (lost answer, 5xx): a DELETE's 404 is done.
    bool m_outcomeUnknown = false;
    ApiError m_error;
    QByteArray m_body;
    QHash<QByteArray, QByteArray> m_headers;
    std::unique_ptr<QFile> m_downloadFile;
    qint64 m_resumeFrom = 0;
    QElapsedTimer m_elapsed;
};

} // namespace sb::api
