#pragma once

#include <QFuture>
#include <QList>
#include <QString>

#include <atomic>
#include <memory>

class QIODevice;

namespace sb::models {

//! Loudness outline of a stereo call recording: per time bucket the largest absolute sample
//! of each lane (agent = left channel, caller = right), 0–32767.
struct WaveformPeaks
{
    //! Version of the cache file layout; a cache of another version is recomputed.
    static constexpr quint32 CacheVersion = 1;
    //! Default bucket length: 50 buckets a second is finer than any waveform we draw.
    static constexpr int DefaultBucketMs = 20;

    int sampleRate = 0;
    int bucketMs = DefaultBucketMs;
    qint64 frames = 0; //!< sample frames in the recording
    QList<quint16> agent;
    QList<quint16> caller;

    bool isEmpty() const { return agent.isEmpty(); }
    qint64 durationMs() const { return sampleRate > 0 ? frames * 1000 / sampleRate : 0; }
};

//! What loading the peaks of one recording produced.
struct WaveformPeaksResult
{
    WaveformPeaks peaks;
    QString error;          //!< translated; empty on success
    bool fromCache = false; //!< read from the ".peaks" file instead of the WAV
    bool canceled = false;
};

//! Reading stereo 16-bit PCM WAV files into WaveformPeaks and caching them next to the file.
//! Everything here blocks: call it from a worker thread (loadAsync does).
namespace waveform {

//! Set to true to make a running computation stop early (result.canceled).
using CancelFlag = std::shared_ptr<std::atomic_bool>;

//! Reads a RIFF/WAVE stream. Anything but 2-channel 16-bit PCM, a broken header or data
//! shorter than its header says fails with a translated message in \a error.
WaveformPeaks compute(QIODevice &wav, QString *error, int bucketMs = WaveformPeaks::DefaultBucketMs,
                      const CancelFlag &cancel = {});

//! "<wavPath>.peaks".
QString cachePath(const QString &wavPath);
//! Writes the cache for \a wavPath (stamped with its size and modification time).
bool writeCache(const QString &wavPath, const WaveformPeaks &peaks, QString *error = nullptr);
//! Reads the cache of \a wavPath; false when missing, of another version, damaged or stale.
bool readCache(const QString &wavPath, WaveformPeaks *peaks);

//! The cache when valid, otherwise computes the peaks and writes the cache.
WaveformPeaksResult load(const QString &wavPath, const CancelFlag &cancel = {});
//! load() on the global thread pool.
QFuture<WaveformPeaksResult> loadAsync(const QString &wavPath, const CancelFlag &cancel = {});

} // namespace waveform

} // namespace sb::models
