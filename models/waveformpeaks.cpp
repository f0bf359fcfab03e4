#include "waveformpeaks.h"

#include <QCoreApplication>
#include <QDataStream>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QSaveFile>
#include <QtConcurrent/QtConcurrentRun>
#include <QtEndian>

#include <algorithm>
#include <cstdlib>

namespace sb::models::waveform {

Q_LOGGING_CATEGORY(lcPeaks, "switchboard.media")

namespace {

constexpr quint32 kMagic = 0x4B504253; // "SBPK" read little-endian
constexpr quint16 kFormatPcm = 1;
constexpr quint16 kFormatExtensible = 0xFFFE;
constexpr qint64 kFramesPerRead = 64 * 1024;
// A cache claiming more buckets than a day of audio at 1 ms is damaged, not big.
constexpr quint32 kMaxBuckets = 100'000'000;

// The messages' translation context (lupdate reads the macro's argument).
class Text
{
    Q_DECLARE_TR_FUNCTIONS(sb::models::WaveformPeaks)
};

quint16 le16(const char *p)
{
    return qFromLittleEndian<quint16>(p);
}

quint32 le32(const char *p)
{
    return qFromLittleEndian<quint32>(p);
}

bool fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

struct Format
{
    quint16 channels = 0;
    quint16 bits = 0;
    quint32 sampleRate = 0;
    quint16 blockAlign = 0;
};

bool readFormat(const QByteArray &fmt, Format *out, QString *error)
{
    if (fmt.size() < 16)
        return fail(error, Text::tr("The recording's format header is too short."));
    const char *p = fmt.constData();
    quint16 tag = le16(p);
    // WAVE_FORMAT_EXTENSIBLE names the real format in the first two bytes of its sub-format GUID.
    if (tag == kFormatExtensible && fmt.size() >= 26)
        tag = le16(p + 24);
    out->channels = le16(p + 2);
    out->sampleRate = le32(p + 4);
    out->blockAlign = le16(p + 12);
    out->bits = le16(p + 14);
    if (tag != kFormatPcm)
        return fail(error, Text::tr("The recording is not uncompressed PCM audio."));
    if (out->channels != 2)
        return fail(error, Text::tr("The recording has %n channel(s); a stereo recording (agent "
                                    "left, caller right) is needed.",
                                    nullptr, out->channels));
    if (out->bits != 16)
        return fail(error, Text::tr("The recording uses %1-bit samples; only 16-bit is supported.")
                               .arg(out->bits));
    if (out->sampleRate == 0 || out->sampleRate > 768000 || out->blockAlign != 4)
        return fail(error, Text::tr("The recording's format header is damaged."));
    return true;
}

} // namespace

WaveformPeaks compute(QIODevice &wav, QString *error, int bucketMs, const CancelFlag &cancel)
{
    WaveformPeaks peaks;
    peaks.bucketMs = std::max(1, bucketMs);
    const QByteArray riff = wav.read(12);
    if (riff.size() < 12 || !riff.startsWith("RIFF") || riff.mid(8, 4) != "WAVE") {
        fail(error, Text::tr("The file is not a WAV recording."));
        return {};
    }
    Format format;
    bool haveFormat = false;
    qint64 dataSize = -1;
    while (dataSize < 0) {
        const QByteArray header = wav.read(8);
        if (header.size() < 8) {
            fail(error, Text::tr("The recording contains no audio data."));
            return {};
        }
        const quint32 size = le32(header.constData() + 4);
        if (header.startsWith("fmt ")) {
            if (size > 4096) {
                fail(error, Text::tr("The recording's format header is damaged."));
                return {};
            }
            if (!readFormat(wav.read(size), &format, error))
                return {};
            haveFormat = true;
            if (size % 2)
                wav.read(1); // chunks are word aligned
        } else if (header.startsWith("data")) {
            if (!haveFormat) {
                fail(error, Text::tr("The recording's format header is missing."));
                return {};
            }
            const qint64 available = wav.size() - wav.pos();
            // Streaming writers leave 0xFFFFFFFF when they could not go back: "to the end".
            dataSize = size == 0xFFFFFFFFu ? available : qint64(size);
            if (dataSize > available) {
                fail(error, Text::tr("The recording is truncated: %1 of %2 bytes of audio.")
                                .arg(available)
                                .arg(dataSize));
                return {};
            }
        } else if (!wav.skip(qint64(size) + (size % 2)) && size > 0) {
            fail(error, Text::tr("The recording contains no audio data."));
            return {};
        }
    }
    // A trailing partial frame is ignored rather than failing a whole recording over 2 bytes.
    const qint64 frames = dataSize / 4;
    if (frames == 0) {
        fail(error, Text::tr("The recording contains no audio."));
        return {};
    }
    peaks.sampleRate = int(format.sampleRate);
    peaks.frames = frames;
    const qint64 perBucket = std::max<qint64>(1, qint64(format.sampleRate) * peaks.bucketMs / 1000);
    const qint64 buckets = (frames + perBucket - 1) / perBucket;
    peaks.agent.resize(buckets);
    peaks.caller.resize(buckets);

    qint64 frame = 0;
    while (frame < frames) {
        if (cancel && cancel->load())
            return {};
        const qint64 want = std::min(kFramesPerRead, frames - frame);
        const QByteArray block = wav.read(want * 4);
        if (block.size() < want * 4) {
            fail(error, Text::tr("The recording could not be read to its end."));
            return {};
        }
        const char *p = block.constData();
        for (qint64 i = 0; i < want; ++i, ++frame, p += 4) {
            const qsizetype b = qsizetype(frame / perBucket);
            // |-32768| does not fit a sample: clamp so full scale is 32767 on both sides.
            const auto left = quint16(std::min(32767, std::abs(int(qint16(le16(p))))));
            const auto right = quint16(std::min(32767, std::abs(int(qint16(le16(p + 2))))));
            if (left > peaks.agent.at(b))
                peaks.agent[b] = left;
            if (right > peaks.caller.at(b))
                peaks.caller[b] = right;
        }
    }
    return peaks;
}

QString cachePath(const QString &wavPath)
{
    return wavPath + QStringLiteral(".peaks");
}

bool writeCache(const QString &wavPath, const WaveformPeaks &peaks, QString *error)
{
    const QFileInfo source(wavPath);
    QSaveFile file(cachePath(wavPath));
    if (!file.open(QIODevice::WriteOnly))
        return fail(error, file.errorString());
    QDataStream out(&file);
    out.setVersion(QDataStream::Qt_6_0);
    out.setByteOrder(QDataStream::LittleEndian);
    out << kMagic << WaveformPeaks::CacheVersion << source.size()
        << source.lastModified().toMSecsSinceEpoch() << qint32(peaks.sampleRate)
        << qint32(peaks.bucketMs) << peaks.frames << quint32(peaks.agent.size());
    for (quint16 v : peaks.agent)
        out << v;
    for (quint16 v : peaks.caller)
        out << v;
    if (out.status() != QDataStream::Ok || !file.commit())
        return fail(error, file.errorString());
    return true;
}

bool readCache(const QString &wavPath, WaveformPeaks *peaks)
{
    QFile file(cachePath(wavPath));
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const QFileInfo source(wavPath);
    QDataStream in(&file);
    in.setVersion(QDataStream::Qt_6_0);
    in.setByteOrder(QDataStream::LittleEndian);
    quint32 magic = 0, version = 0, count = 0;
    qint64 size = 0, modified = 0, frames = 0;
    qint32 rate = 0, bucketMs = 0;
    in >> magic >> version;
    if (magic != kMagic || version != WaveformPeaks::CacheVersion) {
        qCDebug(lcPeaks) << "peaks cache of another version" << version << "- recomputing";
        return false;
    }
    in >> size >> modified >> rate >> bucketMs >> frames >> count;
    if (in.status() != QDataStream::Ok || size != source.size() ||
        modified != source.lastModified().toMSecsSinceEpoch() || rate <= 0 || bucketMs <= 0 ||
        frames <= 0 || count == 0 || count > kMaxBuckets ||
        file.size() != file.pos() + 4 * qint64(count))
        return false;
    WaveformPeaks p;
    p.sampleRate = rate;
    p.bucketMs = bucketMs;
    p.frames = frames;
    p.agent.resize(count);
    p.caller.resize(count);
    for (quint16 &v : p.agent)
        in >> v;
    for (quint16 &v : p.caller)
        in >> v;
    if (in.status() != QDataStream::Ok)
        return false;
    *peaks = std::move(p);
    return true;
}

WaveformPeaksResult load(const QString &wavPath, const CancelFlag &cancel)
{
    WaveformPeaksResult result;
    if (readCache(wavPath, &result.peaks)) {
        result.fromCache = true;
        return result;
    }
    QFile file(wavPath);
    if (!file.open(QIODevice::ReadOnly)) {
        result.error = Text::tr("The recording cannot be opened: %1").arg(file.errorString());
        return result;
    }
    result.peaks = compute(file, &result.error, WaveformPeaks::DefaultBucketMs, cancel);
    if (cancel && cancel->load()) {
        result.canceled = true;
        result.peaks = {};
        return result;
    }
    if (result.error.isEmpty()) {
        QString error;
        // Without a cache the peaks are only recomputed next time: not worth failing over.
        if (!writeCache(wavPath, result.peaks, &error))
            qCWarning(lcPeaks) << "cannot write the peaks cache:" << error;
    }
    return result;
}

QFuture<WaveformPeaksResult> loadAsync(const QString &wavPath, const CancelFlag &cancel)
{
    return QtConcurrent::run([wavPath, cancel] { return load(wavPath, cancel); });
}

} // namespace sb::models::waveform
