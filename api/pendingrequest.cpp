#include "pendingrequest.h"

#include "logging.h"
#include "session.h"
#include "tokensource.h"

#include <QDateTime>
#include <QFileInfo>
#include <QHttpMultiPart>
#include <QMimeDatabase>

namespace sb::api {

namespace {

// QUrlQuery leaves '+' alone, which servers read as a space: "+1415..." in `q` would break.
QString encodeQuery(const QUrlQuery &query)
{
    QString out;
    const auto items = query.queryItems(QUrl::FullyDecoded);
    for (const auto &item : items) {
        if (!out.isEmpty())
            out += QLatin1Char('&');
        out += QString::fromLatin1(QUrl::toPercentEncoding(item.first)) + QLatin1Char('=') +
               QString::fromLatin1(QUrl::toPercentEncoding(item.second));
    }
    return out;
}

constexpr qsizetype kMaxBodyBytes = 256 * 1024 * 1024;

// True when a 206's Content-Range ("bytes 100-199/200") starts at `resumeFrom` and runs to the
// end of the representation (or its length is unknown, "*"): anything else is not the rest of
// the file, and committing it would leave a truncated recording.
bool contentRangeCompletes(const QByteArray &value, qint64 resumeFrom)
{
    const QByteArray v = value.trimmed();
    if (!v.startsWith("bytes "))
        return false;
    const qsizetype dash = v.indexOf('-');
    const qsizetype slash = v.indexOf('/');
    if (dash < 0 || slash < dash)
        return false;
    bool okFirst = false, okLast = false;
    const qint64 first = v.mid(6, dash - 6).trimmed().toLongLong(&okFirst);
    const qint64 last = v.mid(dash + 1, slash - dash - 1).trimmed().toLongLong(&okLast);
    if (!okFirst || !okLast || first != resumeFrom || last < first)
        return false;
    const QByteArray total = v.mid(slash + 1).trimmed();
    if (total == "*")
        return true;
    bool okTotal = false;
    const qint64 length = total.toLongLong(&okTotal);
    return okTotal && last + 1 == length;
}

bool isTransportError(QNetworkReply::NetworkError e)
{
    // Codes below 100 are about the connection; 200+ mirror HTTP statuses we read ourselves.
    return e != QNetworkReply::NoError && static_cast<int>(e) < 100;
}

} // namespace

PendingRequest::PendingRequest(Session *session, Request request)
    : QObject(session)
    , m_session(session)
    , m_request(std::move(request))
{
    m_connectTimer.setSingleShot(true);
    m_retryTimer.setSingleShot(true);
    connect(&m_connectTimer, &QTimer::timeout, this, &PendingRequest::onConnectTimeout);
    connect(&m_retryTimer, &QTimer::timeout, this, &PendingRequest::enqueue);
}

PendingRequest::~PendingRequest()
{
    if (m_ticket && m_session)
        m_session->rateLimiter()->remove(m_ticket);
    cleanupReply();
}

QByteArray PendingRequest::header(const QByteArray &name) const
{
    return m_headers.value(name.toLower());
}

void PendingRequest::enqueue()
{
    if (m_finished || !m_session)
        return;
    m_ticket = m_session->rateLimiter()->enqueue(m_request.lane, [this] {
        m_ticket = 0;
        startAttempt();
    });
}

void PendingRequest::waitForToken()
{
    TokenSource *source = m_session ? m_session->tokenSource() : nullptr;
    if (m_finished || !source)
        return;
    if (source->hasAccessToken() && source->authorizationHeader() != m_sentAuthorization) {
        enqueue(); // another request's refresh already brought a new token
        return;
    }
    const int status = m_httpStatus;
    const QByteArray body = m_body;
    const QByteArray requestId = header("x-request-id");
    connect(
        source, &TokenSource::refreshFinished, this,
        [this, status, body, requestId](bool ok) {
            if (m_finished)
                return;
            if (ok) {
                enqueue();
                return;
            }
            // The source has already emitted signInRequired (→ Session::unauthorized) once for
            // everyone; this request just ends, and nothing of the caller's state is dropped.
            ApiError error = status == 401 ? ApiError::fromHttp(status, body, requestId)
                                           : ApiError(ApiError::Kind::Unauthorized, QString());
            error.kind = ApiError::Kind::Unauthorized;
            if (error.message.isEmpty())
                error.message = QStringLiteral("sign-in required");
            finishWith(error);
        },
        Qt::SingleShotConnection);
    source->requestRefresh();
}

bool PendingRequest::openDownloadFile()
{
    m_downloadFile = std::make_unique<QFile>(m_request.downloadFilePath + QStringLiteral(".part"));
    // Resume only what an earlier attempt of this request wrote: a leftover ".part" from another
    // run may belong to another recording.
    QIODevice::OpenMode mode = QIODevice::ReadWrite;
    if (m_attempts <= 1)
        mode |= QIODevice::Truncate;
    if (!m_downloadFile->open(mode)) {
        finishWith(ApiError(ApiError::Kind::Io, m_downloadFile->errorString()));
        return false;
    }
    m_resumeFrom = m_downloadFile->size();
    m_downloadFile->seek(m_resumeFrom);
    return true;
}

void PendingRequest::startAttempt()
{
    if (m_finished || !m_session)
        return;
    ++m_attempts;
    m_timedOut = false;
    m_gotBytes = false;
    m_httpStatus = 0;
    m_body.clear();
    m_headers.clear();
    m_resumeFrom = 0;

    QUrl url = m_session->baseUrl();
    url.setPath(url.path() + m_request.path);
    if (!m_request.query.isEmpty())
        url.setQuery(encodeQuery(m_request.query), QUrl::StrictMode);
    if (m_request.absoluteUrl.isValid()) {
        if (!Session::isAllowedBaseUrl(m_request.absoluteUrl)) {
            finishWith(ApiError(ApiError::Kind::InvalidRequest,
                                QStringLiteral("refusing a non-https media URL")));
            return;
        }
        url = m_request.absoluteUrl; // pre-signed: its query is the signature, sent untouched
    }
    QNetworkRequest req(url);
    m_sentAuthorization.clear();
    if (m_request.sendAuthorization) {
        m_sentAuthorization = m_session->authorizationHeader();
        req.setRawHeader("Authorization", m_sentAuthorization);
    }
    req.setRawHeader("User-Agent", QByteArrayLiteral("Switchboard/" SWITCHBOARD_VERSION));
    req.setRawHeader("Accept", m_request.downloadFilePath.isEmpty() ? "application/json" : "*/*");
    if (!m_request.idempotencyKey.isEmpty())
        req.setRawHeader("Idempotency-Key", m_request.idempotencyKey);
    if (!m_request.ifMatch.isEmpty())
        req.setRawHeader("If-Match", m_request.ifMatch);
    req.setTransferTimeout(m_session->inactivityTimeoutMs());

    if (!m_request.downloadFilePath.isEmpty()) {
        if (!openDownloadFile())
            return;
        if (m_resumeFrom > 0)
            req.setRawHeader("Range", "bytes=" + QByteArray::number(m_resumeFrom) + '-');
    }

    QNetworkAccessManager *nam = m_session->networkAccessManager();
    QNetworkReply *reply = nullptr;
    if (!m_request.uploadFilePath.isEmpty()) {
        auto *file = new QFile(m_request.uploadFilePath);
        if (!file->open(QIODevice::ReadOnly)) {
            const QString why = file->errorString();
            delete file;
            finishWith(ApiError(ApiError::Kind::Io, why));
            return;
        }
        auto *multi = new QHttpMultiPart(QHttpMultiPart::FormDataType);
        file->setParent(multi);
        QHttpPart part;
        const QString fileName = QFileInfo(m_request.uploadFilePath).fileName();
        QString quoted = fileName;
        quoted.replace(QLatin1Char('"'), QLatin1Char('_'));
        part.setHeader(QNetworkRequest::ContentDispositionHeader,
                       QStringLiteral("form-data; name=\"file\"; filename=\"%1\"").arg(quoted));
        part.setHeader(QNetworkRequest::ContentTypeHeader,
                       QMimeDatabase().mimeTypeForFile(m_request.uploadFilePath).name());
        part.setBodyDevice(file);
        multi->append(part);
        reply = nam->sendCustomRequest(req, m_request.method, multi);
        multi->setParent(reply);
    } else {
        if (!m_request.body.isEmpty())
            req.setHeader(QNetworkRequest::ContentTypeHeader,
                          m_request.contentType.isEmpty() ? QByteArrayLiteral("application/json")
                                                          : m_request.contentType);
        reply = nam->sendCustomRequest(req, m_request.method, m_request.body);
    }
    m_reply = reply;
    connect(reply, &QNetworkReply::finished, this, &PendingRequest::onReplyFinished);
    connect(reply, &QIODevice::readyRead, this, &PendingRequest::onReadyRead);
    connect(reply, &QNetworkReply::metaDataChanged, this, [this] { m_connectTimer.stop(); });
    connect(reply, &QNetworkReply::uploadProgress, this, [this](qint64 sent, qint64 total) {
        if (sent > 0)
            m_connectTimer.stop(); // the connection is up; a long upload is not a connect timeout
        if (total > 0)
            Q_EMIT progress(sent, total);
    });
    connect(reply, &QNetworkReply::downloadProgress, this, [this](qint64 received, qint64 total) {
        if (m_request.downloadFilePath.isEmpty())
            return;
        Q_EMIT progress(m_resumeFrom + received, total > 0 ? m_resumeFrom + total : -1);
    });
    m_connectTimer.start(m_session->connectTimeoutMs());
    m_elapsed.start();
    qCDebug(lcApi).noquote() << m_request.method << m_request.path << "attempt" << m_attempts;
}

void PendingRequest::onReadyRead()
{
    if (!m_reply)
        return;
    m_connectTimer.stop();
    const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (m_downloadFile && (status == 200 || status == 206)) {
        if (status == 200 && m_resumeFrom > 0) {
            // The server ignored our Range: start the file over.
            m_downloadFile->resize(0);
            m_downloadFile->seek(0);
            m_resumeFrom = 0;
        }
        const QByteArray chunk = m_reply->readAll();
        if (m_downloadFile->write(chunk) != chunk.size()) {
            const QString why = m_downloadFile->errorString();
            finishWith(ApiError(ApiError::Kind::Io, why));
        }
        return;
    }
    m_body += m_reply->readAll();
    if (m_body.size() > kMaxBodyBytes) {
        // No API object is this big: a broken or hostile server must not exhaust memory.
        finishWith(ApiError(ApiError::Kind::Protocol, QStringLiteral("response too large")));
    }
}

void PendingRequest::onConnectTimeout()
{
    if (!m_reply)
        return;
    m_timedOut = true;
    m_reply->abort(); // emits finished -> onReplyFinished sees m_timedOut
}

void PendingRequest::onReplyFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply || m_finished)
        return;
    onReadyRead();
    if (m_finished)
        return; // a local write error ended it
    m_connectTimer.stop();
    m_httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QNetworkReply::NetworkError netError = reply->error();
    const QString netErrorString = reply->errorString();
    const auto pairs = reply->rawHeaderPairs();
    for (const auto &pair : pairs)
        m_headers.insert(pair.first.toLower(), pair.second);
    cleanupReply();

    if (m_session)
        m_session->rateLimiter()->updateFromHeaders(header("x-ratelimit-limit"),
                                                    header("x-ratelimit-remaining"),
                                                    header("x-ratelimit-reset"));
    // QNAM reports its own transfer timeout as a cancel; a real cancel never gets here.
    const bool timedOut = m_timedOut || netError == QNetworkReply::OperationCanceledError ||
                          netError == QNetworkReply::TimeoutError;
    const bool transportFailed = timedOut || isTransportError(netError);
    qCDebug(lcApi).noquote() << m_request.method << m_request.path << "->" << m_httpStatus
                             << (transportFailed ? netErrorString : QString()) << "in"
                             << m_elapsed.elapsed() << "ms";

    if (!transportFailed && m_httpStatus >= 200 && m_httpStatus < 300) {
        if (m_downloadFile && m_httpStatus == 206) {
            if (!contentRangeCompletes(header("content-range"), m_resumeFrom)) {
                m_downloadFile->remove();
                finishWith(
                    ApiError(ApiError::Kind::Protocol, QStringLiteral("unexpected Content-Range")));
                return;
            }
        }
        finishOk();
        return;
    }
    if (!transportFailed && m_httpStatus == 404 && m_outcomeUnknown &&
        m_request.method == "DELETE") {
        // An earlier attempt may have deleted it and lost the answer: gone is what was asked.
        finishOk();
        return;
    }
    if (!transportFailed && m_httpStatus == 416 && m_downloadFile && m_resumeFrom > 0) {
        m_downloadFile->remove(); // our partial file does not match the server's: start over
    }

    if (!transportFailed && m_httpStatus == 401 && m_request.sendAuthorization && m_session &&
        m_session->tokenSource() && !m_refreshTried) {
        // OAuth: the access token may just have run out. Refresh once, then send again.
        m_refreshTried = true;
        waitForToken();
        return;
    }

    const int statusForDecision = transportFailed ? 0 : m_httpStatus;
    const RetryPolicy &policy = m_session ? m_session->retryPolicy() : RetryPolicy();
    RetryPolicy::Decision decision = RetryPolicy::decide(
        m_request.method, statusForDecision, timedOut ? QNetworkReply::TimeoutError : netError,
        !m_request.idempotencyKey.isEmpty());
    if (!transportFailed && m_httpStatus == 416 && m_downloadFile)
        decision = RetryPolicy::Decision::Backoff;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const std::optional<qint64> retryAfter =
        RateLimiter::parseRetryAfter(header("retry-after"), now);

    if (retryAfter && m_httpStatus == 429 && m_session)
        m_session->rateLimiter()->pauseUntil(now + *retryAfter); // applies to the whole key
    const bool serverWaitTooLong = retryAfter && *retryAfter > policy.maxServerWaitMs;
    if (decision != RetryPolicy::Decision::Fail && m_attempts < policy.maxAttempts && m_session &&
        !serverWaitTooLong) {
        if (transportFailed || m_httpStatus >= 500)
            m_outcomeUnknown = true; // the server may have acted on this attempt
        qint64 delay = policy.backoffMs(m_attempts - 1, m_session->rng());
        if (retryAfter) // after a 429 the paused limiter does the waiting
            delay = m_httpStatus == 429 ? 0 : std::max(delay, *retryAfter);
        scheduleRetry(delay);
        return;
    }

    ApiError error;
    if (transportFailed) {
        const bool midBody = m_httpStatus > 0;
        error =
            ApiError(timedOut ? ApiError::Kind::Timeout
                              : (midBody ? ApiError::Kind::Protocol : ApiError::Kind::Network),
                     midBody && !timedOut ? QStringLiteral("response cut short: ") + netErrorString
                                          : netErrorString);
        error.httpStatus = m_httpStatus;
    } else {
        error = ApiError::fromHttp(m_httpStatus, m_body, header("x-request-id"));
        if (error.kind == ApiError::Kind::PreconditionFailed)
            error.currentEtag = QString::fromLatin1(header("etag"));
    }
    if (retryAfter)
        error.retryAfterMs = *retryAfter;
    // A media host's 401 says nothing about our token (we sent none).
    if (error.kind == ApiError::Kind::Unauthorized && m_session && m_request.sendAuthorization)
        Q_EMIT m_session->unauthorized(error);
    finishWith(error);
}

void PendingRequest::scheduleRetry(qint64 delayMs)
{
    qCInfo(lcApi).noquote() << m_request.method << m_request.path << "retry" << m_attempts << "in"
                            << delayMs << "ms";
    if (m_downloadFile) {
        m_downloadFile->flush(); // keep the bytes we have: the next attempt asks for the rest
        m_downloadFile.reset();
    }
    m_retryTimer.start(static_cast<int>(std::min<qint64>(delayMs, 3600 * 1000)));
}

void PendingRequest::cancel()
{
    if (m_finished)
        return;
    m_canceled = true;
    if (m_downloadFile)
        m_downloadFile->remove();
    finishWith(ApiError(ApiError::Kind::Canceled, QString()));
}

void PendingRequest::commitDownload()
{
    const QString target = m_request.downloadFilePath;
    m_downloadFile->flush();
    m_downloadFile->close();
    if (QFile::exists(target))
        QFile::remove(target);
    if (!m_downloadFile->rename(target)) {
        const QString why = m_downloadFile->errorString();
        m_downloadFile->remove();
        m_downloadFile.reset();
        finishWith(ApiError(ApiError::Kind::Io, why));
        return;
    }
    m_downloadFile.reset();
}

void PendingRequest::finishOk()
{
    if (m_downloadFile) {
        commitDownload();
        if (m_finished)
            return;
    }
    m_finished = true;
    m_error = ApiError();
    emitFinishedLater();
}

void PendingRequest::finishWith(ApiError error)
{
    if (m_finished)
        return;
    m_finished = true;
    m_error = std::move(error);
    m_retryTimer.stop();
    m_connectTimer.stop();
    if (m_ticket && m_session) {
        m_session->rateLimiter()->remove(m_ticket);
        m_ticket = 0;
    }
    cleanupReply();
    if (m_downloadFile) {
        m_downloadFile->remove();
        m_downloadFile.reset();
    }
    if (m_error.kind != ApiError::Kind::Canceled && m_error.kind != ApiError::Kind::NotSupported)
        qCInfo(lcApi).noquote() << m_request.method << m_request.path
                                << "failed:" << static_cast<int>(m_error.kind) << m_error.httpStatus
                                << m_error.code;
    emitFinishedLater();
}

PendingRequest *PendingRequest::relay(Session *session, Request description)
{
    return new PendingRequest(session, std::move(description));
}

void PendingRequest::settle(const ApiError &error, int httpStatus)
{
    if (m_finished)
        return;
    m_httpStatus = httpStatus;
    if (error.isError()) {
        finishWith(error);
        return;
    }
    m_finished = true;
    emitFinishedLater();
}

void PendingRequest::emitFinishedLater()
{
    // Never inside the call that finished us: callers connect after send() returns.
    QMetaObject::invokeMethod(
        this,
        [this] {
            Q_EMIT finished();
            deleteLater();
        },
        Qt::QueuedConnection);
}

void PendingRequest::cleanupReply()
{
    if (!m_reply)
        return;
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    disconnect(reply, nullptr, this, nullptr);
    if (reply->isRunning())
        reply->abort();
    reply->deleteLater();
}

} // namespace sb::api
