// Backoff bounds (seeded RNG) and the retry decision table.
#include "api/retrypolicy.h"

#include <QTest>

using namespace sb::api;
using D = RetryPolicy::Decision;

class TestRetryPolicy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void capsGrowThenStop();
    void fullJitterBounds();
    void jitterIsSpread();
    void decide_data();
    void decide();
};

void TestRetryPolicy::capsGrowThenStop()
{
    RetryPolicy p;
    p.baseDelayMs = 500;
    p.maxDelayMs = 20000;
    QCOMPARE(p.backoffCapMs(0), 500);
    QCOMPARE(p.backoffCapMs(1), 1000);
    QCOMPARE(p.backoffCapMs(3), 4000);
    QCOMPARE(p.backoffCapMs(5), 16000);
    QCOMPARE(p.backoffCapMs(6), 20000);
    QCOMPARE(p.backoffCapMs(60), 20000); // no overflow for absurd indexes
    QCOMPARE(p.backoffCapMs(-3), 500);
}

void TestRetryPolicy::fullJitterBounds()
{
    RetryPolicy p;
    QRandomGenerator rng(1234);
    for (int retry = 0; retry < 10; ++retry) {
        for (int i = 0; i < 500; ++i) {
            const qint64 d = p.backoffMs(retry, rng);
            QVERIFY(d >= 0);
            QVERIFY(d <= p.backoffCapMs(retry));
        }
    }
    // The same seed gives the same waits (tests can rely on it).
    QRandomGenerator a(7), b(7);
    QCOMPARE(p.backoffMs(4, a), p.backoffMs(4, b));
}

void TestRetryPolicy::jitterIsSpread()
{
    RetryPolicy p;
    QRandomGenerator rng(42);
    qint64 lo = p.maxDelayMs, hi = 0;
    for (int i = 0; i < 2000; ++i) {
        const qint64 d = p.backoffMs(6, rng);
        lo = std::min(lo, d);
        hi = std::max(hi, d);
    }
    // Full jitter covers the whole range, not [cap/2, cap].
    QVERIFY2(lo < 1000, qPrintable(QString::number(lo)));
    QVERIFY2(hi > 19000, qPrintable(QString::number(hi)));
}

void TestRetryPolicy::decide_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("netError");
    QTest::addColumn<bool>("key");
    QTest::addColumn<int>("expected");
    const int none = QNetworkReply::NoError;
    const int refused = QNetworkReply::ConnectionRefusedError;
    const int closed = QNetworkReply::RemoteHostClosedError;
    const int timeout = QNetworkReply::TimeoutError;
    const int ssl = QNetworkReply::SslHandshakeFailedError;
    const int fail = int(D::Fail), backoff = int(D::Backoff), server = int(D::AfterServer);
    for (const char *m : {"GET", "PATCH", "DELETE"}) {
        const QByteArray method(m);
        for (int s : {500, 502, 503, 504})
            QTest::newRow(QByteArray(method + " " + QByteArray::number(s)).constData())
                << method << s << none << false << backoff;
        QTest::newRow(QByteArray(method + " refused").constData())
            << method << 0 << refused << false << backoff;
        QTest::newRow(QByteArray(method + " closed").constData())
            << method << 0 << closed << false << backoff;
        QTest::newRow(QByteArray(method + " timeout").constData())
            << method << 0 << timeout << false << backoff;
        QTest::newRow(QByteArray(method + " ssl").constData())
            << method << 0 << ssl << false << fail;
        for (int s : {400, 401, 403, 404, 409, 412, 422})
            QTest::newRow(QByteArray(method + " " + QByteArray::number(s)).constData())
                << method << s << none << false << fail;
        QTest::newRow(QByteArray(method + " 429").constData())
            << method << 429 << none << false << server;
        QTest::newRow(QByteArray(method + " 501").constData())
            << method << 501 << none << false << fail;
    }
    QTest::newRow("POST 503 no key") << QByteArray("POST") << 503 << none << false << fail;
    QTest::newRow("POST 503 key") << QByteArray("POST") << 503 << none << true << backoff;
    QTest::newRow("POST refused no key") << QByteArray("POST") << 0 << refused << false << fail;
    QTest::newRow("POST closed key") << QByteArray("POST") << 0 << closed << true << backoff;
    QTest::newRow("POST timeout key") << QByteArray("POST") << 0 << timeout << true << backoff;
    QTest::newRow("POST 429 no key") << QByteArray("POST") << 429 << none << false << server;
    QTest::newRow("POST 400 key") << QByteArray("POST") << 400 << none << true << fail;
    QTest::newRow("POST 409 key") << QByteArray("POST") << 409 << none << true << fail;
    QTest::newRow("post lower-case 502 key")
        << QByteArray("post") << 502 << none << true << backoff;
}

void TestRetryPolicy::decide()
{
    QFETCH(QByteArray, method);
    QFETCH(int, status);
    QFETCH(int, netError);
    QFETCH(bool, key);
    QFETCH(int, expected);
    QCOMPARE(int(RetryPolicy::decide(method, status,
                                     static_cast<QNetworkReply::NetworkError>(netError), key)),
             expected);
}

QTEST_GUILESS_MAIN(TestRetryPolicy)
#include "tst_retrypolicy.moc"
