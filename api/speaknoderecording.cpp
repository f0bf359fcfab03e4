// SpeakNodePlatform::downloadRecording: the recording sits behind a pre-signed audio_url on a
// media host. The URL is a short-lived credential of its own, so the download carries no bearer
// token, and an URL that has expired (or is about to) is replaced by a fresh one from
// GET /conversations/{id}.

#include "logging.h"
#include "session.h"
#include "speaknodeplatform.h"
#include "speaknoderelay.h"

#include <QCoreApplication>

namespace sb::api {

using namespace speaknode;

namespace {

struct Download
{
    std::shared_ptr<Relay<QString>> relay;
    QString callId;
    QString filePath;
    Lane lane = Lane::Interactive;
    int urlFetches = 0;        //!< GETs of the session in this round
    bool mediaRefused = false; //!< the media host refused an URL once already
};

void fetchUrl(const std::shared_ptr<Download> &d);

void fetchMedia(const std::shared_ptr<Download> &d, const QString &audioUrl)
{
    Request r;
    r.method = QByteArrayLiteral("GET");
    // For logs only: the signed URL itself must not be written anywhere.
    r.path = QStringLiteral("/conversations/%1/audio")
                 .arg(QString::fromLatin1(QUrl::toPercentEncoding(d->callId)));
    r.absoluteUrl = QUrl(audioUrl, QUrl::StrictMode);
    r.sendAuthorization = false;
    r.downloadFilePath = d->filePath;
    r.lane = d->lane;
    if (!r.absoluteUrl.isValid() || r.absoluteUrl.isRelative()) {
        d->relay->finish(
            ApiError(ApiError::Kind::Protocol, QStringLiteral("audio_url is not an absolute URL")));
        return;
    }
    const QString target = d->filePath;
    const ApiReply<QString> media(
        d->relay->session()->send(r),
        [target](const PendingRequest &) -> Result<QString> { return target; });
    QPointer<PendingRequest> outer = d->relay->pending();
    media.onProgress(outer, [outer](qint64 done, qint64 total) {
        if (outer)
            Q_EMIT outer->progress(done, total);
    });
    d->relay->step(media, [d](const Result<QString> &res) {
        if (res.ok()) {
            d->relay->finish(res.value());
            return;
        }
        const ApiError::Kind kind = res.error().kind;
        // A pre-signed URL that expired meanwhile answers 403 (S3-style); we sent no token,
        // so a 401 can only mean the same. One fresh URL, then the error stands.
        if ((kind == ApiError::Kind::Forbidden || kind == ApiError::Kind::Unauthorized) &&
            !d->mediaRefused) {
            qCInfo(lcApi) << "recording URL refused, fetching a fresh one";
            d->mediaRefused = true;
            d->urlFetches = 0;
            fetchUrl(d);
            return;
        }
        d->relay->finish(res.error());
    });
}

void fetchUrl(const std::shared_ptr<Download> &d)
{
    if (!d->relay->isOpen())
        return;
    ++d->urlFetches;
    Request r;
    r.method = QByteArrayLiteral("GET");
    r.path =
        QStringLiteral("/conversations/") + QString::fromLatin1(QUrl::toPercentEncoding(d->callId));
    r.lane = d->lane;
    d->relay->step(
        objectReply(d->relay->session()->send(r), parseSession),
        [d](const Result<SessionRecord> &res) {
            if (!res.ok()) {
                d->relay->finish(res.error());
                return;
            }
            const SessionRecord &s = res.value();
            if (s.audioUrl.isEmpty()) {
                ApiError e(
                    ApiError::Kind::NotFound,
                    QCoreApplication::translate("sb::api::SpeakNodePlatform", "no recording"));
                d->relay->finish(e);
                return;
            }
            const QDateTime soon =
                QDateTime::currentDateTimeUtc().addSecs(SpeakNodePlatform::kAudioUrlMarginSecs);
            // Expiring before the download could finish: ask once more. A server
            // whose links are always that short-lived gets its link used anyway.
            if (s.audioExpires.isValid() && s.audioExpires <= soon && d->urlFetches < 2) {
                fetchUrl(d);
                return;
            }
            fetchMedia(d, s.audioUrl);
        });
}

} // namespace

ApiReply<QString> SpeakNodePlatform::downloadRecording(const QString &callId,
                                                       const QString &filePath, Lane lane)
{
    Request description;
    description.method = QByteArrayLiteral("GET");
    description.path = QStringLiteral("/conversations/%1/audio")
                           .arg(QString::fromLatin1(QUrl::toPercentEncoding(callId)));
    description.downloadFilePath = filePath;
    description.lane = lane;
    auto d = std::make_shared<Download>();
    d->relay = Relay<QString>::create(session(), description);
    d->callId = callId;
    d->filePath = filePath;
    d->lane = lane;
    const ApiReply<QString> reply = d->relay->reply(d->relay);
    fetchUrl(d);
    return reply;
}

} // namespace sb::api
