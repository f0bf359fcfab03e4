// Waveform peaks of stereo WAVs: known synthetic input, broken and unsupported files, the
// ".peaks" cache (round trip, other version, stale, damaged) and the worker-thread entry point.

#include "models/waveformpeaks.h"

#include <QBuffer>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QtEndian>

#include <functional>

using sb::models::WaveformPeaks;
namespace waveform = sb::models::waveform;

namespace {

void put16(QByteArray &b, quint16 v)
{
    char raw[2];
    qToLittleEndian(v, raw);
    b.append(raw, 2);
}

void put32(QByteArray &b, quint32 v)
{
    char raw[4];
    qToLittleEndian(v, raw);
    b.append(raw, 4);
}

struct WavSpec
{
    quint16 formatTag = 1;
    quint16 channels = 2;
    quint16 bits = 16;
    quint32 rate = 1000;
    QByteArray extraChunk;   //!< inserted between "fmt " and "data" (id + size + body)
    qint64 claimedData = -1; //!< data size written in the header; -1 = the real size
};

// A WAV with `frames` frames whose samples come from left(i) / right(i).
QByteArray makeWav(const WavSpec &spec, int frames, const std::function<qint16(int)> &left,
                   const std::function<qint16(int)> &right)
{
    QByteArray data;
    const int bytesPerSample = spec.bits / 8;
    for (int i = 0; i < frames; ++i) {
        for (int c = 0; c < spec.channels; ++c) {
            const qint16 v = c == 0 ? left(i) : right(i);
            if (bytesPerSample == 1)
                data.append(char(quint8(128 + v / 256)));
            else
                put16(data, quint16(v));
        }
    }
    QByteArray wav("RIFF");
    QByteArray body("WAVE");
    body.append("fmt ");
    put32(body, 16);
    put16(body, spec.formatTag);
    put16(body, spec.channels);
    put32(body, spec.rate);
    put32(body, spec.rate * spec.channels * bytesPerSample);
    put16(body, quint16(spec.channels * bytesPerSample));
    put16(body, spec.bits);
    body.append(spec.extraChunk);
    body.append("data");
    put32(body, quint32(spec.claimedData < 0 ? data.size() : spec.claimedData));
    body.append(data);
    put32(wav, quint32(body.size()));
    wav.append(body);
    return wav;
}

// 20 frames a bucket at 1 kHz and 20 ms: bucket k peaks at k * 1000 on the left (a positive
// peak) and k * 2000 on the right (a negative one); the rest of each bucket is quieter.
qint16 leftSample(int i)
{
    const int k = i / 20;
    return qint16(i % 20 == 7 ? k * 1000 : (k * 1000) / 3);
}

qint16 rightSample(int i)
{
    const int k = i / 20;
    return qint16(i % 20 == 13 ? -k * 2000 : -(k * 2000) / 4);
}

WaveformPeaks computeFrom(const QByteArray &wav, QString *error)
{
    QBuffer buffer;
    buffer.setData(wav);
    buffer.open(QIODevice::ReadOnly);
    return waveform::compute(buffer, error);
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

} // namespace

class TstWaveformPeaks : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void knownPeaksPerLane()
    {
        // 110 frames: five full buckets and a last one of 10 frames.
        QString error;
        const WaveformPeaks p = computeFrom(makeWav({}, 110, leftSample, rightSample), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(p.sampleRate, 1000);
        QCOMPARE(p.frames, 110);
        QCOMPARE(p.durationMs(), 110);
        QCOMPARE(p.agent, (QList<quint16>{0, 1000, 2000, 3000, 4000, 5000}));
        // The last bucket ends before the right lane's loud frame (113): its quiet level counts.
        QCOMPARE(p.caller, (QList<quint16>{0, 2000, 4000, 6000, 8000, 2500}));
    }

    void fullScaleIsClamped()
    {
        QString error;
        const WaveformPeaks p = computeFrom(
            makeWav(
                {}, 20, [](int) { return qint16(-32768); }, [](int) { return qint16(32767); }),
            &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(p.agent, QList<quint16>{32767});
        QCOMPARE(p.caller, QList<quint16>{32767});
    }

    void skipsOtherChunksAndOddPadding()
    {
        WavSpec spec;
        spec.extraChunk = QByteArray("LIST", 4);
        put32(spec.extraChunk, 3);
        spec.extraChunk.append("abc"); // odd size: one pad byte follows
        spec.extraChunk.append('\0');
        QString error;
        const WaveformPeaks p = computeFrom(makeWav(spec, 40, leftSample, rightSample), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(p.agent, (QList<quint16>{0, 1000}));
    }

    void trailingPartialFrameIgnored()
    {
        QByteArray wav = makeWav({}, 20, leftSample, rightSample);
        wav.append("\x01\x02", 2); // half a frame after the data (size field unchanged)
        QString error;
        const WaveformPeaks p = computeFrom(wav, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(p.frames, 20);
    }

    void badFiles_data()
    {
        QTest::addColumn<QByteArray>("wav");
        QTest::addColumn<QString>("expected"); // a word the message must contain
        const auto l = leftSample;
        const auto r = rightSample;
        QTest::newRow("empty") << QByteArray() << QStringLiteral("not a WAV");
        QTest::newRow("not riff") << QByteArray("ID3\x03 some mp3 bytes here")
                                  << QStringLiteral("not a WAV");
        QByteArray badHeader = makeWav({}, 20, l, r);
        badHeader.replace(8, 4, "AVI ");
        QTest::newRow("bad header") << badHeader << QStringLiteral("not a WAV");
        WavSpec truncated;
        truncated.claimedData = 4000;
        QTest::newRow("truncated data")
            << makeWav(truncated, 20, l, r) << QStringLiteral("truncated");
        WavSpec mono;
        mono.channels = 1;
        QTest::newRow("mono") << makeWav(mono, 20, l, r) << QStringLiteral("stereo");
        WavSpec eightBit;
        eightBit.bits = 8;
        QTest::newRow("8-bit") << makeWav(eightBit, 20, l, r) << QStringLiteral("8-bit");
        WavSpec floatFormat;
        floatFormat.formatTag = 3;
        QTest::newRow("float") << makeWav(floatFormat, 20, l, r) << QStringLiteral("PCM");
        QTest::newRow("no data chunk")
            << makeWav({}, 20, l, r).left(36) << QStringLiteral("no audio");
        QTest::newRow("no frames") << makeWav({}, 0, l, r) << QStringLiteral("no audio");
        QTest::newRow("header only")
            << QByteArray("RIFF\x04\0\0\0WAVE", 12) << QStringLiteral("no audio");
    }

    void badFiles()
    {
        QFETCH(QByteArray, wav);
        QFETCH(QString, expected);
        QString error;
        const WaveformPeaks p = computeFrom(wav, &error);
        QVERIFY(p.isEmpty());
        QVERIFY2(error.contains(expected, Qt::CaseInsensitive), qPrintable(error));
    }

    void cacheRoundTrip()
    {
        QTemporaryDir dir;
        const QString wav = dir.filePath(QStringLiteral("call.wav"));
        QVERIFY(writeFile(wav, makeWav({}, 110, leftSample, rightSample)));

        const auto first = waveform::load(wav);
        QVERIFY2(first.error.isEmpty(), qPrintable(first.error));
        QVERIFY(!first.fromCache);
        QVERIFY(QFile::exists(waveform::cachePath(wav)));

        const auto second = waveform::load(wav);
        QVERIFY(second.fromCache);
        QCOMPARE(second.peaks.agent, first.peaks.agent);
        QCOMPARE(second.peaks.caller, first.peaks.caller);
        QCOMPARE(second.peaks.frames, first.peaks.frames);
        QCOMPARE(second.peaks.sampleRate, first.peaks.sampleRate);
        QCOMPARE(second.peaks.bucketMs, first.peaks.bucketMs);
    }

    void cacheOfAnotherVersionIsRecomputed()
    {
        QTemporaryDir dir;
        const QString wav = dir.filePath(QStringLiteral("call.wav"));
        QVERIFY(writeFile(wav, makeWav({}, 110, leftSample, rightSample)));
        QVERIFY(waveform::load(wav).error.isEmpty());

        QFile cache(waveform::cachePath(wav));
        QVERIFY(cache.open(QIODevice::ReadWrite));
        QVERIFY(cache.seek(4)); // after the magic: the version
        char version[4];
        qToLittleEndian<quint32>(WaveformPeaks::CacheVersion + 1, version);
        QCOMPARE(cache.write(version, 4), 4);
        cache.close();

        WaveformPeaks ignored;
        QVERIFY(!waveform::readCache(wav, &ignored));
        const auto again = waveform::load(wav);
        QVERIFY(!again.fromCache);
        QCOMPARE(again.peaks.agent, (QList<quint16>{0, 1000, 2000, 3000, 4000, 5000}));
        QVERIFY(waveform::load(wav).fromCache); // rewritten in the current version
    }

    void staleOrDamagedCacheIsRecomputed()
    {
        QTemporaryDir dir;
        const QString wav = dir.filePath(QStringLiteral("call.wav"));
        QVERIFY(writeFile(wav, makeWav({}, 110, leftSample, rightSample)));
        QVERIFY(waveform::load(wav).error.isEmpty());

        // The recording was replaced (a new download): its size differs from the stamp.
        QVERIFY(writeFile(wav, makeWav({}, 40, leftSample, rightSample)));
        auto fresh = waveform::load(wav);
        QVERIFY(!fresh.fromCache);
        QCOMPARE(fresh.peaks.agent, (QList<quint16>{0, 1000}));

        QFile cache(waveform::cachePath(wav));
        QVERIFY(cache.open(QIODevice::ReadWrite));
        QVERIFY(cache.resize(cache.size() - 3));
        cache.close();
        fresh = waveform::load(wav);
        QVERIFY(!fresh.fromCache);
        QCOMPARE(fresh.peaks.agent, (QList<quint16>{0, 1000}));
    }

    void unreadableFileReportsError()
    {
        QTemporaryDir dir;
        const auto result = waveform::load(dir.filePath(QStringLiteral("missing.wav")));
        QVERIFY(!result.error.isEmpty());
        QVERIFY(result.peaks.isEmpty());

        const QString mono = dir.filePath(QStringLiteral("mono.wav"));
        WavSpec spec;
        spec.channels = 1;
        QVERIFY(writeFile(mono, makeWav(spec, 20, leftSample, rightSample)));
        QVERIFY(waveform::load(mono).error.contains(QLatin1String("stereo")));
        QVERIFY(!QFile::exists(waveform::cachePath(mono)));
    }

    void cancelStopsEarly()
    {
        QTemporaryDir dir;
        const QString wav = dir.filePath(QStringLiteral("call.wav"));
        QVERIFY(writeFile(wav, makeWav({}, 110, leftSample, rightSample)));
        auto cancel = std::make_shared<std::atomic_bool>(true);
        const auto result = waveform::load(wav, cancel);
        QVERIFY(result.canceled);
        QVERIFY(result.peaks.isEmpty());
        QVERIFY(!QFile::exists(waveform::cachePath(wav)));
    }

    void asyncRunsOnAWorkerThread()
    {
        QTemporaryDir dir;
        const QString wav = dir.filePath(QStringLiteral("long.wav"));
        // Ten minutes at 8 kHz: 30,000 buckets a lane.
        const int frames = 8000 * 600;
        WavSpec spec;
        spec.rate = 8000;
        QVERIFY(writeFile(wav, makeWav(
                                   spec, frames, [](int i) { return qint16(i % 4000); },
                                   [](int i) { return qint16(-(i % 2000)); })));
        auto future = waveform::loadAsync(wav);
        QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 60000);
        const auto result = future.result();
        QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
        QCOMPARE(result.peaks.agent.size(), 30000);
        QCOMPARE(result.peaks.agent.first(), quint16(159));
        QCOMPARE(result.peaks.agent.at(24), quint16(3999));  // frames 3840–3999
        QCOMPARE(result.peaks.caller.at(12), quint16(1999)); // frames 1920–2079
        QCOMPARE(result.peaks.durationMs(), 600000);
    }
};

QTEST_GUILESS_MAIN(TstWaveformPeaks)
#include "tst_waveformpeaks.moc"
