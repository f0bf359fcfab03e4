#include "simrecording.h"

#include <QDir>
#include <QFile>
#include <QFutureWatcher>
#include <QLoggingCategory>
#include <QProcess>
#include <QStandardPaths>
#include <QtConcurrent/QtConcurrentRun>

#include <cstring>

Q_LOGGING_CATEGORY(lcSimRec, "switchboard.sim.media")

namespace {

struct Mono
{
    int sampleRate = 0;
    QList<qint16> samples;
};

quint32 le32(const char *p)
{
    return quint32(quint8(p[0])) | quint32(quint8(p[1])) << 8 | quint32(quint8(p[2])) << 16 |
           quint32(quint8(p[3])) << 24;
}

// Reads espeak-ng's mono 16-bit PCM WAV. Its --stdout header may carry a bogus data size (it
// cannot seek back), so the data runs to the end of the bytes.
bool parseWav(const QByteArray &wav, Mono *out)
{
    if (wav.size() < 44 || !wav.startsWith("RIFF") || wav.mid(8, 4) != "WAVE")
        return false;
    qsizetype pos = 12;
    int channels = 0, bits = 0;
    while (pos + 8 <= wav.size()) {
        const QByteArray id = wav.mid(pos, 4);
        const quint32 size = le32(wav.constData() + pos + 4);
        if (id == "fmt " && pos + 24 <= wav.size()) {
            channels = quint8(wav.at(pos + 10)) | quint8(wav.at(pos + 11)) << 8;
            out->sampleRate = int(le32(wav.constData() + pos + 12));
            bits = quint8(wav.at(pos + 22)) | quint8(wav.at(pos + 23)) << 8;
        } else if (id == "data") {
            if (channels != 1 || bits != 16 || out->sampleRate <= 0)
                return false;
            const qsizetype start = pos + 8;
            const qsizetype n = (wav.size() - start) / 2;
            out->samples.resize(n);
            std::memcpy(out->samples.data(), wav.constData() + start, size_t(n) * 2);
            return true;
        }
        pos += 8 + qsizetype(size) + (size & 1);
    }
    return false;
}

bool speak(const QString &program, const QString &voice, int wpm, const QString &text, Mono *out,
           QString *error)
{
    QProcess p;
    p.start(program, {QStringLiteral("-v"), voice, QStringLiteral("-s"), QString::number(wpm),
                      QStringLiteral("--stdout"), text});
    if (!p.waitForStarted(10000)) {
        *error = QStringLiteral("Cannot run %1 to make the recording (is espeak-ng installed?)")
                     .arg(program);
        return false;
    }
    p.closeWriteChannel();
    if (!p.waitForFinished(60000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        *error = QStringLiteral("%1 failed: %2")
                     .arg(program, QString::fromLocal8Bit(p.readAllStandardError()).trimmed());
        return false;
    }
    if (!parseWav(p.readAllStandardOutput(), out)) {
        *error = QStringLiteral("%1 produced no usable WAV").arg(program);
        return false;
    }
    return true;
}

// Squeezes speech into `length` samples by linear interpolation (used only when even the
// fastest speaking rate is too long for the line's slot).
QList<qint16> fit(const QList<qint16> &in, qsizetype length)
{
    if (in.size() <= length || length <= 0)
        return in;
    QList<qint16> out(length);
    const double step = double(in.size() - 1) / double(qMax<qsizetype>(1, length - 1));
    for (qsizetype i = 0; i < length; ++i) {
        const double x = i * step;
        const qsizetype a = qsizetype(x);
        const qsizetype b = qMin(a + 1, in.size() - 1);
        const double t = x - double(a);
        out[i] = qint16(in.at(a) * (1 - t) + in.at(b) * t);
    }
    return out;
}

void put16(QByteArray &b, quint16 v)
{
    b.append(char(v & 0xff)).append(char(v >> 8));
}

void put32(QByteArray &b, quint32 v)
{
    put16(b, quint16(v & 0xffff));
    put16(b, quint16(v >> 16));
}

} // namespace

SimRecordings::SimRecordings(const QString &cacheDir, QObject *parent)
    : QObject(parent)
    , m_espeak(QStringLiteral("espeak-ng"))
{
    if (cacheDir.isEmpty()) {
        m_temp = std::make_unique<QTemporaryDir>();
        m_dir = m_temp->path();
    } else {
        m_dir = cacheDir;
        QDir().mkpath(m_dir);
    }
}

SimRecordings::~SimRecordings() = default;

void SimRecordings::setEspeakProgram(const QString &program)
{
    m_espeak = program;
}

QString SimRecordings::pathFor(const QString &callId) const
{
    return QDir(m_dir).filePath(callId + QStringLiteral(".wav"));
}

void SimRecordings::remove(const QString &callId)
{
    // A running synthesis writes its file after this; it is dropped when the synthesis ends.
    if (m_waiting.contains(callId))
        m_deleted.insert(callId);
    QFile::remove(pathFor(callId));
}

void SimRecordings::request(const QString &callId, const SimDialogue &dialogue, Done done)
{
    const QString path = pathFor(callId);
    if (QFile::exists(path)) {
        done({path, {}});
        return;
    }
    auto it = m_waiting.find(callId);
    if (it != m_waiting.end()) {
        it->append(std::move(done)); // a synthesis of this call is already running
        return;
    }
    m_waiting.insert(callId, {std::move(done)});
    auto *watcher = new QFutureWatcher<SimRecordingResult>(this);
    connect(watcher, &QFutureWatcher<SimRecordingResult>::finished, this, [this, watcher, callId] {
        SimRecordingResult result = watcher->result();
        watcher->deleteLater();
        if (m_deleted.remove(callId)) {
            QFile::remove(pathFor(callId));
            QFile::remove(pathFor(callId) + QStringLiteral(".part"));
            result = {};
            result.deleted = true;
        }
        const QList<Done> waiting = m_waiting.take(callId);
        for (const Done &d : waiting)
            d(result);
    });
    watcher->setFuture(QtConcurrent::run(&SimRecordings::synthesize, dialogue, path, m_espeak));
}

SimRecordingResult SimRecordings::synthesize(const SimDialogue &d, const QString &path,
                                             const QString &espeakProgram)
{
    SimRecordingResult result;
    if (d.lines.isEmpty()) {
        result.error = QStringLiteral("This call has no conversation to record");
        return result;
    }
    int rate = 0;
    QList<qint16> left, right;
    for (const SimLine &line : d.lines) {
        const QString voice = line.agent ? QStringLiteral("en-us+f3") : QStringLiteral("en-gb+m3");
        Mono m;
        int wpm = 170;
        if (!speak(espeakProgram, voice, wpm, line.text, &m, &result.error))
            return result;
        if (rate == 0)
            rate = m.sampleRate;
        const qsizetype slot = qsizetype((line.endMs - line.startMs) * rate / 1000);
        if (m.samples.size() > slot) {
            // Speak faster first (keeps the pitch), squeeze the rest.
            wpm = qMin(450, int(wpm * double(m.samples.size()) / double(slot) * 1.05) + 1);
            if (!speak(espeakProgram, voice, wpm, line.text, &m, &result.error))
                return result;
        }
        const QList<qint16> speech = fit(m.samples, slot);
        QList<qint16> &track = line.agent ? left : right;
        const qsizetype at = qsizetype(line.startMs * rate / 1000);
        if (track.size() < at + speech.size())
            track.resize(at + speech.size(), 0);
        std::memcpy(track.data() + at, speech.constData(), size_t(speech.size()) * 2);
    }
    const qsizetype frames =
        qMax(qMax(left.size(), right.size()), qsizetype(qint64(d.durationSec) * rate));
    left.resize(frames, 0);
    right.resize(frames, 0);

    QByteArray wav;
    wav.reserve(44 + frames * 4);
    const quint32 dataSize = quint32(frames * 4);
    wav.append("RIFF");
    put32(wav, 36 + dataSize);
    wav.append("WAVEfmt ");
    put32(wav, 16);
    put16(wav, 1); // PCM
    put16(wav, 2); // stereo: agent left, caller right
    put32(wav, quint32(rate));
    put32(wav, quint32(rate * 4));
    put16(wav, 4);
    put16(wav, 16);
    wav.append("data");
    put32(wav, dataSize);
    for (qsizetype i = 0; i < frames; ++i) {
        put16(wav, quint16(left.at(i)));
        put16(wav, quint16(right.at(i)));
    }
    // Write to a temporary name first so that a reader never sees half a file.
    const QString partial = path + QStringLiteral(".part");
    QFile f(partial);
    if (!f.open(QIODevice::WriteOnly) || f.write(wav) != wav.size()) {
        result.error = QStringLiteral("Cannot write the recording");
        return result;
    }
    f.close();
    QFile::remove(path);
    if (!QFile::rename(partial, path)) {
        result.error = QStringLiteral("Cannot store the recording");
        return result;
    }
    result.path = path;
    return result;
}
