// RateLimiter with a fake clock: no sleeping, exact arithmetic.
#include "api/ratelimiter.h"

#include <QDateTime>
#include <QSignalSpy>
#include <QTest>

using namespace sb::api;

namespace {
constexpr qint64 kStart = 1700000000000LL; // epoch ms
}

class TestRateLimiter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { m_now = kStart; }
    void defaultsKeepUnderServerLimit();
    void burstThenRefill();
    void steadyStateAbout90PerMinute();
    void neverMoreThan100InAnyMinute();
    void lanesInteractiveFirst();
    void backgroundLeavesReserve();
    void remainingZeroWaitsForReset();
    void remainingClampsTokens();
    void skewedResetWaitsAtMostOneWindow();
    void higherServerLimitRaisesBucket();
    void garbageHeadersIgnored();
    void pauseUntilBlocksEverything();
    void budgetSignal();
    void removeTicket();
    void retryAfter_data();
    void retryAfter();

private:
    RateLimiter::Clock clock()
    {
        return [this] { return m_now; };
    }
    qint64 m_now = kStart;
};

void TestRateLimiter::defaultsKeepUnderServerLimit()
{
    RateLimiter l(clock());
    QCOMPARE(l.serverLimit(), 100);
    QCOMPARE(l.ratePerMinute(), 90.0);
    QCOMPARE(l.capacity(), 10.0);
    QCOMPARE(l.tokens(), 10.0);
}

void TestRateLimiter::burstThenRefill()
{
    RateLimiter l(clock());
    for (int i = 0; i < 10; ++i)
        QVERIFY2(l.tryAcquire(Lane::Interactive), qPrintable(QString::number(i)));
    QVERIFY(!l.tryAcquire(Lane::Interactive));
    // 60000 / 90 = 666.67 ms per token
    QCOMPARE(l.msUntilAvailable(Lane::Interactive), 667);
    m_now += 666;
    QVERIFY(!l.tryAcquire(Lane::Interactive));
    m_now += 1;
    QVERIFY(l.tryAcquire(Lane::Interactive));
}

void TestRateLimiter::steadyStateAbout90PerMinute()
{
    RateLimiter l(clock());
    int granted = 0;
    // Ten minutes, polling every 50 ms like a busy client would.
    for (qint64 t = 0; t <= 600000; t += 50) {
        m_now = kStart + t;
        while (l.tryAcquire(Lane::Background))
            ++granted;
    }
    // 10 tokens of initial burst + 90/min * 10 min, minus the 2-token background reserve.
    QVERIFY2(granted >= 906 && granted <= 910, qPrintable(QString::number(granted)));
}

void TestRateLimiter::neverMoreThan100InAnyMinute()
{
    RateLimiter l(clock());
    QList<qint64> stamps;
    for (qint64 t = 0; t <= 300000; t += 10) {
        m_now = kStart + t;
        while (l.tryAcquire(Lane::Interactive))
            stamps.append(m_now);
    }
    qsizetype first = 0;
    int worst = 0;
    for (qsizetype i = 0; i < stamps.size(); ++i) {
        while (stamps.at(i) - stamps.at(first) >= 60000)
            ++first;
        worst = std::max(worst, static_cast<int>(i - first + 1));
    }
    QVERIFY2(worst <= 100, qPrintable(QString::number(worst)));
    QVERIFY2(worst >= 95, qPrintable(QString::number(worst))); // and no needless waiting
}

void TestRateLimiter::lanesInteractiveFirst()
{
    RateLimiter l(clock());
    while (l.tryAcquire(Lane::Interactive)) {
    }
    QStringList order;
    for (int i = 0; i < 3; ++i)
        l.enqueue(Lane::Background, [&order, i] { order << QStringLiteral("b%1").arg(i); });
    for (int i = 0; i < 2; ++i)
        l.enqueue(Lane::Interactive, [&order, i] { order << QStringLiteral("i%1").arg(i); });
    QVERIFY(order.isEmpty());
    QCOMPARE(l.queuedCount(), 5);
    for (int step = 0; step < 100 && l.queuedCount() > 0; ++step) {
        m_now += 667;
        l.pump();
    }
    QCOMPARE(order, (QStringList{QStringLiteral("i0"), QStringLiteral("i1"), QStringLiteral("b0"),
                                 QStringLiteral("b1"), QStringLiteral("b2")}));
}

void TestRateLimiter::backgroundLeavesReserve()
{
    RateLimiter l(clock());
    for (int i = 0; i < 8; ++i)
        QVERIFY(l.tryAcquire(Lane::Interactive));
    // Two tokens left: the reserve (20% of 10) belongs to interactive requests.
    QVERIFY(!l.tryAcquire(Lane::Background));
    QVERIFY(l.msUntilAvailable(Lane::Background) > 0);
    QCOMPARE(l.msUntilAvailable(Lane::Interactive), 0);
    bool interactiveRan = false, backgroundRan = false;
    l.enqueue(Lane::Background, [&] { backgroundRan = true; });
    l.enqueue(Lane::Interactive, [&] { interactiveRan = true; });
    QVERIFY(interactiveRan);
    QVERIFY(!backgroundRan);
    m_now += l.msUntilAvailable(Lane::Background);
    l.pump();
    QVERIFY(backgroundRan);
}

void TestRateLimiter::remainingZeroWaitsForReset()
{
    RateLimiter l(clock());
    const qint64 resetSec = (kStart + 30000) / 1000;
    l.updateFromHeaders("100", "0", QByteArray::number(resetSec));
    QVERIFY(!l.tryAcquire(Lane::Interactive));
    QCOMPARE(l.msUntilAvailable(Lane::Interactive), resetSec * 1000 - kStart);
    bool ran = false;
    l.enqueue(Lane::Interactive, [&] { ran = true; });
    m_now = resetSec * 1000 - 1;
    l.pump();
    QVERIFY(!ran);
    m_now = resetSec * 1000;
    l.pump();
    QVERIFY(ran);
}

void TestRateLimiter::skewedResetWaitsAtMostOneWindow()
{
    // A client clock behind the server's by an hour: "Reset" (epoch seconds) lies an hour ahead.
    // The window is one minute, so waiting longer than that would only stall the console.
    RateLimiter l(clock());
    l.updateFromHeaders("100", "0", QByteArray::number(kStart / 1000 + 3600));
    QVERIFY(!l.tryAcquire(Lane::Interactive));
    QVERIFY2(l.msUntilAvailable(Lane::Interactive) <= 60000,
             qPrintable(QString::number(l.msUntilAvailable(Lane::Interactive))));
    QVERIFY(l.budget().pausedUntilMs <= kStart + 60000);
    m_now += 60000;
    QVERIFY(l.tryAcquire(Lane::Interactive));
    // An absurd value must not overflow into "no wait" either.
    l.updateFromHeaders("100", "0", "9223372036854775807");
    QVERIFY(!l.tryAcquire(Lane::Interactive));
    QVERIFY(l.msUntilAvailable(Lane::Interactive) <= 60000);
}

void TestRateLimiter::remainingClampsTokens()
{
    RateLimiter l(clock());
    l.updateFromHeaders("100", "3", QByteArray::number(kStart / 1000 + 60));
    QCOMPARE(l.tokens(), 3.0);
    QVERIFY(l.tryAcquire(Lane::Interactive));
    QCOMPARE(l.budget().remaining, 2);
}

void TestRateLimiter::higherServerLimitRaisesBucket()
{
    RateLimiter l(clock());
    l.updateFromHeaders("10000", "9999", QByteArray::number(kStart / 1000 + 60));
    QCOMPARE(l.serverLimit(), 10000);
    QCOMPARE(l.ratePerMinute(), 9000.0);
    QCOMPARE(l.capacity(), 1000.0);
    int granted = 0;
    while (l.tryAcquire(Lane::Interactive))
        ++granted;
    QCOMPARE(granted, 1000); // no needless waiting when the server allows more
    QCOMPARE(l.msUntilAvailable(Lane::Interactive), 7); // 60000/9000 = 6.67 ms
    // A lower limit is followed too, so we stay under it.
    l.updateFromHeaders("50", "", "");
    QCOMPARE(l.serverLimit(), 50);
    QVERIFY(l.tokens() <= 5.0);
}

void TestRateLimiter::garbageHeadersIgnored()
{
    RateLimiter l(clock());
    QSignalSpy spy(&l, &RateLimiter::budgetChanged);
    l.updateFromHeaders("lots", "-", "tomorrow");
    l.updateFromHeaders("", "", "");
    l.updateFromHeaders("-5", "-1", "-3");
    QCOMPARE(l.serverLimit(), 100);
    QCOMPARE(l.tokens(), 10.0);
    QVERIFY(l.tryAcquire(Lane::Interactive));
}

void TestRateLimiter::pauseUntilBlocksEverything()
{
    RateLimiter l(clock());
    l.pauseUntil(kStart + 5000);
    QVERIFY(!l.tryAcquire(Lane::Interactive));
    QVERIFY(!l.tryAcquire(Lane::Background));
    QCOMPARE(l.msUntilAvailable(Lane::Interactive), 5000);
    QCOMPARE(l.budget().pausedUntilMs, kStart + 5000);
    m_now += 5000;
    QVERIFY(l.tryAcquire(Lane::Interactive));
    QCOMPARE(l.budget().pausedUntilMs, 0);
}

void TestRateLimiter::budgetSignal()
{
    RateLimiter l(clock());
    QSignalSpy spy(&l, &RateLimiter::budgetChanged);
    l.updateFromHeaders("100", "42", QByteArray::number(kStart / 1000 + 20));
    QCOMPARE(spy.count(), 1);
    const auto b = spy.at(0).at(0).value<RateBudget>();
    QCOMPARE(b.limit, 100);
    QCOMPARE(b.remaining, 42);
    QCOMPARE(b.resetAtMs, (kStart / 1000 + 20) * 1000);
}

void TestRateLimiter::removeTicket()
{
    RateLimiter l(clock());
    while (l.tryAcquire(Lane::Interactive)) {
    }
    bool ran = false;
    const quint64 t = l.enqueue(Lane::Interactive, [&] { ran = true; });
    l.remove(t);
    QCOMPARE(l.queuedCount(), 0);
    m_now += 60000;
    l.pump();
    QVERIFY(!ran);
}

void TestRateLimiter::retryAfter_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<qint64>("nowMs");
    QTest::addColumn<qint64>("expected"); // -1 = garbage
    const qint64 date = QDateTime(QDate(2015, 10, 21), QTime(7, 28), Qt::UTC).toMSecsSinceEpoch();
    QTest::newRow("seconds") << QByteArray("5") << date << qint64(5000);
    QTest::newRow("zero") << QByteArray("0") << date << qint64(0);
    QTest::newRow("spaces") << QByteArray("  12 ") << date << qint64(12000);
    QTest::newRow("huge clamped") << QByteArray("99999999999") << date << qint64(3600000);
    QTest::newRow("imf-fixdate") << QByteArray("Wed, 21 Oct 2015 07:28:10 GMT") << date
                                 << qint64(10000);
    QTest::newRow("rfc850") << QByteArray("Wednesday, 21-Oct-15 07:28:30 GMT") << date
                            << qint64(30000);
    QTest::newRow("asctime") << QByteArray("Wed Oct 21 07:29:00 2015") << date << qint64(60000);
    QTest::newRow("date in past") << QByteArray("Wed, 21 Oct 2015 07:00:00 GMT") << date
                                  << qint64(0);
    QTest::newRow("empty") << QByteArray() << date << qint64(-1);
    QTest::newRow("negative") << QByteArray("-5") << date << qint64(-1);
    QTest::newRow("fraction") << QByteArray("1.5") << date << qint64(-1);
    QTest::newRow("words") << QByteArray("soon") << date << qint64(-1);
    QTest::newRow("bad date") << QByteArray("Wed, 32 Oct 2015 07:28:10 GMT") << date << qint64(-1);
    QTest::newRow("binary") << QByteArray("\x01\xff\x00", 3) << date << qint64(-1);
}

void TestRateLimiter::retryAfter()
{
    QFETCH(QByteArray, value);
    QFETCH(qint64, nowMs);
    QFETCH(qint64, expected);
    const std::optional<qint64> got = RateLimiter::parseRetryAfter(value, nowMs);
    if (expected < 0) {
        QVERIFY(!got.has_value());
    } else {
        QVERIFY(got.has_value());
        QCOMPARE(*got, expected);
    }
}

QTEST_GUILESS_MAIN(TestRateLimiter)
#include "tst_ratelimiter.moc"
