// The Live pane against the simulator's live calls: the wall fills and updates in place, filter
// and sort work from the keyboard and the header, an opened call streams to its end and equals
// the REST transcript, a placed call is followed from ringing to completed, an alert shows a
// badge, a desktop notification, and is acknowledged with the person and time recorded.

#include "consolefixture.h"
#include "livetesthelpers.h"

#include "ui/callview.h"
#include "ui/callwall.h"
#include "ui/livepane.h"
#include "ui/messagebanner.h"
#include "ui/transcriptview.h"

#include "api/platform.h"
#include "models/alertlogmodel.h"
#include "models/alertservice.h"
#include "models/livecallsmodel.h"
#include "models/phonenumbermodel.h"
#include "models/sentimenttimelinemodel.h"
#include "models/transcriptmodel.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QHeaderView>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using sb::models::LiveCallsModel;
using sb::ui::CallView;
using sb::ui::LivePane;

namespace {

QStringList liveArgs(const QString &speed = QStringLiteral("6"))
{
    return {QStringLiteral("--history-calls"), QStringLiteral("5"),
            QStringLiteral("--live-calls"),    QStringLiteral("6"),
            QStringLiteral("--speed"),         speed};
}

QPoint cellCenter(QTableView *view, int row, int column)
{
    return view->visualRect(view->model()->index(row, column)).center();
}

} // namespace

class TstLivePane : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void wallFillsFiltersAndSorts()
    {
        ConsoleFixture f;
        QVERIFY2(f.start(liveArgs()), qPrintable(f.errorString()));
        QVERIFY(f.waitForAgents());
        LivePane pane(f.context());
        pane.resize(1300, 700);
        pane.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pane));
        pane.activated();
        sb::ui::CallWall *wall = pane.wall();
        QAbstractItemModelTester tester(wall->proxy(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy resets(wall->proxy(), &QAbstractItemModel::modelReset);
        QTRY_VERIFY_WITH_TIMEOUT(wall->proxy()->rowCount() >= 5, 30000);
        QVERIFY2(pane.countLabel()->text().contains(QStringLiteral("live call")),
                 qPrintable(pane.countLabel()->text()));

        // Select a row; the wall updates (latest lines, durations) without losing it.
        QTest::mouseClick(wall->viewport(), Qt::LeftButton, {}, cellCenter(wall, 1, 0));
        const QString selected = wall->currentCallId();
        QVERIFY(!selected.isEmpty());
        QSignalSpy changed(wall->proxy(), &QAbstractItemModel::dataChanged);
        QTRY_VERIFY_WITH_TIMEOUT(changed.count() >= 10, 20000);
        if (f.context().liveCalls->rowOf(selected) >= 0)
            QCOMPARE(wall->currentCallId(), selected);
        QTRY_VERIFY_WITH_TIMEOUT(
            !wall->proxy()->index(0, LiveCallsModel::LatestLine).data().toString().isEmpty(),
            20000);
        // Longest running first by default, kept so as the durations tick. Durations are read
        // when shown and re-sorted on the model's one-second tick: within a tick two rows may
        // stand a second out of order.
        auto durationsDescending = [wall] {
            for (int row = 1; row < wall->proxy()->rowCount(); ++row) {
                if (wall->proxy()
                        ->index(row - 1, LiveCallsModel::Duration)
                        .data(LiveCallsModel::SortRole)
                        .toLongLong() < wall->proxy()
                                                ->index(row, LiveCallsModel::Duration)
                                                .data(LiveCallsModel::SortRole)
                                                .toLongLong() -
                                            1)
                    return false;
            }
            return true;
        };
        QCOMPARE(wall->horizontalHeader()->sortIndicatorSection(), int(LiveCallsModel::Duration));
        QCOMPARE(wall->horizontalHeader()->sortIndicatorOrder(), Qt::DescendingOrder);
        QTRY_VERIFY_WITH_TIMEOUT(wall->proxy()
                                         ->index(0, LiveCallsModel::Duration)
                                         .data(LiveCallsModel::SortRole)
                                         .toLongLong() >= 2,
                                 20000);
        // An answered call's duration restarts; it moves on the next tick.
        QTRY_VERIFY_WITH_TIMEOUT(durationsDescending(), 5000);
        QCOMPARE(resets.count(), 0);
        ConsoleFixture::screenshot(&pane, QStringLiteral("live-wall"));

        // Sort by agent from the header: ascending, then descending.
        const int agentX =
            wall->horizontalHeader()->sectionViewportPosition(LiveCallsModel::Agent) + 10;
        QTest::mouseClick(wall->horizontalHeader()->viewport(), Qt::LeftButton, {},
                          QPoint(agentX, wall->horizontalHeader()->height() / 2));
        // The rows follow the header's indicator (the model's raw, case-folded names).
        auto sortedAsShown = [wall] {
            const Qt::SortOrder order = wall->horizontalHeader()->sortIndicatorOrder();
            for (int row = 1; row < wall->proxy()->rowCount(); ++row) {
                const QString a = wall->proxy()
                                      ->index(row - 1, LiveCallsModel::Agent)
                                      .data(LiveCallsModel::SortRole)
                                      .toString();
                const QString b = wall->proxy()
                                      ->index(row, LiveCallsModel::Agent)
                                      .data(LiveCallsModel::SortRole)
                                      .toString();
                if (order == Qt::AscendingOrder ? a.compare(b, Qt::CaseInsensitive) > 0
                                                : a.compare(b, Qt::CaseInsensitive) < 0)
                    return false;
            }
            return true;
        };
        QCOMPARE(wall->horizontalHeader()->sortIndicatorSection(), int(LiveCallsModel::Agent));
        QVERIFY(sortedAsShown());
        const Qt::SortOrder first = wall->horizontalHeader()->sortIndicatorOrder();
        QTest::mouseClick(wall->horizontalHeader()->viewport(), Qt::LeftButton, {},
                          QPoint(agentX, wall->horizontalHeader()->height() / 2));
        QVERIFY(wall->horizontalHeader()->sortIndicatorOrder() != first);
        QVERIFY(sortedAsShown());

        // Filter from the keyboard (Ctrl+F's action), by the name of the first row's agent.
        pane.focusFilterAction()->trigger();
        QVERIFY(pane.filterEdit()->hasFocus());
        const QString agent = wall->proxy()->index(0, LiveCallsModel::Agent).data().toString();
        QVERIFY(!agent.isEmpty());
        QTest::keyClicks(pane.filterEdit(), agent);
        QTRY_VERIFY(wall->proxy()->rowCount() >= 1);
        for (int row = 0; row < wall->proxy()->rowCount(); ++row) {
            bool matches = false;
            for (int column = 0; column < LiveCallsModel::ColumnCount; ++column)
                matches = matches || wall->proxy()
                                         ->index(row, column)
                                         .data()
                                         .toString()
                                         .contains(agent, Qt::CaseInsensitive);
            QVERIFY(matches);
        }
        QVERIFY2(wall->proxy()->rowCount() == f.context().liveCalls->rowCount() ||
                     pane.countLabel()->text().contains(QStringLiteral(" of ")),
                 qPrintable(pane.countLabel()->text()));
        QTest::keyClicks(pane.filterEdit(), QStringLiteral("zzqx-nothing"));
        QTRY_COMPARE(wall->proxy()->rowCount(), 0);
        ConsoleFixture::screenshot(&pane, QStringLiteral("live-wall-filtered-empty"));
        pane.filterEdit()->clear();
        QTRY_VERIFY(wall->proxy()->rowCount() >= 1);
        QCOMPARE(wall->proxy()->rowCount(), f.context().liveCalls->rowCount());
        QCOMPARE(resets.count(), 0);

        // Splitter and header state survive a new pane.
        wall->horizontalHeader()->resizeSection(LiveCallsModel::LatestLine, 333);
        const QByteArray state = pane.saveState();
        LivePane other(f.context());
        other.restoreState(state);
        QCOMPARE(other.wall()->horizontalHeader()->sectionSize(LiveCallsModel::LatestLine), 333);
        other.restoreState(QByteArray("garbage")); // ignored, no crash
    }

    void openedCallStreamsToItsEnd()
    {
        ConsoleFixture f;
        QVERIFY2(f.start(liveArgs(QStringLiteral("8"))), qPrintable(f.errorString()));
        QVERIFY(f.waitForAgents());
        LivePane pane(f.context());
        pane.resize(1300, 750);
        pane.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pane));
        pane.activated();
        sb::ui::CallWall *wall = pane.wall();
        // A call that is talking already (sorted longest first).
        QTRY_VERIFY_WITH_TIMEOUT(wall->proxy()->rowCount() >= 3, 30000);
        int row = -1;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (int r = 0; r < wall->proxy()->rowCount(); ++r) {
                    const QModelIndex i = wall->proxy()->index(r, 0);
                    if (!i.data(LiveCallsModel::EndedRole).toBool() &&
                        i.data(LiveCallsModel::StatusRole).toInt() ==
                            int(sb::api::CallStatus::InProgress) &&
                        !wall->proxy()
                             ->index(r, LiveCallsModel::LatestLine)
                             .data()
                             .toString()
                             .isEmpty()) {
                        row = r;
                        return true;
                    }
                }
                return false;
            }(),
            30000);
        wall->setFocus();
        wall->setCurrentIndex(wall->proxy()->index(row, 0));
        const QString id = wall->currentCallId();
        QSignalSpy ended(pane.callView(), &CallView::callEnded);
        QTest::keyClick(wall, Qt::Key_Return);
        QCOMPARE(pane.callView()->callId(), id);
        QVERIFY(pane.callView()->isLive());
        sb::models::TranscriptModel *transcript = pane.callView()->transcriptModel();
        // What was said before it opened arrives by REST, the rest streams in.
        QTRY_VERIFY_WITH_TIMEOUT(transcript->rowCount() >= 1, 15000);
        const int early = transcript->rowCount();
        QTRY_VERIFY_WITH_TIMEOUT(transcript->rowCount() > early, 60000);
        ConsoleFixture::screenshot(&pane, QStringLiteral("live-call-open"));
        QVERIFY(pane.callView()->transcriptView()->isFollowing());

        QTRY_VERIFY_WITH_TIMEOUT(ended.count() == 1, 110000);
        QVERIFY(!pane.callView()->isLive());
        QVERIFY2(pane.callView()->headerLabel()->text().contains(QStringLiteral("Completed")),
                 qPrintable(pane.callView()->headerLabel()->text()));
        // The transcript shown equals the REST transcript: every line once, all final.
        const auto details = sb::test::awaitReply(f.context().platform->callDetails(id));
        QVERIFY(details && details->ok());
        const QList<sb::api::TranscriptLine> rest = details->value().transcript;
        QTRY_COMPARE(transcript->rowCount(), int(rest.size()));
        for (int i = 0; i < rest.size(); ++i) {
            const QModelIndex line = transcript->index(i);
            QCOMPARE(line.data(sb::models::TranscriptModel::TextRole).toString(), rest.at(i).text);
            QCOMPARE(line.data(sb::models::TranscriptModel::StartMsRole).toLongLong(),
                     rest.at(i).startMs);
            QCOMPARE(line.data(sb::models::TranscriptModel::SpeakerRole).toInt(),
                     int(rest.at(i).role));
            QVERIFY(line.data(sb::models::TranscriptModel::IsFinalRole).toBool());
        }
        QCOMPARE(pane.callView()->sentimentModel()->rowCount(),
                 int(details->value().sentimentTimeline.size()));
    }

    void placedCallIsFollowedFromRinging()
    {
        ConsoleFixture f;
        QVERIFY2(f.start(liveArgs(QStringLiteral("8"))), qPrintable(f.errorString()));
        QVERIFY(f.waitForAgents());
        auto *numbers = f.context().numbers;
        QTRY_VERIFY_WITH_TIMEOUT(numbers->state() == sb::models::PagedListModel::State::Loaded,
                                 30000);
        QString from;
        for (const auto &n : numbers->items()) {
            if (n.status == sb::api::PhoneNumberStatus::Active)
                from = n.number;
        }
        QVERIFY(!from.isEmpty());
        LivePane pane(f.context());
        pane.resize(1300, 750);
        pane.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pane));
        pane.activated();

        sb::api::PlaceCallRequest request;
        request.agentId = f.context().agents->itemAt(0).id;
        request.to = QStringLiteral("+15551230042");
        request.from = from;
        request.metadata.insert(QStringLiteral("simOutcome"), QStringLiteral("answered"));
        const auto placed = sb::test::awaitReply(f.context().platform->placeCall(request));
        QVERIFY(placed && placed->ok());
        const QString id = placed->value().id;
        QSignalSpy ended(pane.callView(), &CallView::callEnded);
        QStringList statuses;
        connect(pane.callView(), &CallView::callChanged, this, [&statuses](const sb::api::Call &c) {
            const QString s = QString::number(int(c.status));
            if (statuses.isEmpty() || statuses.last() != s)
                statuses << s;
        });
        Q_EMIT f.context().navigator->showLiveCall(id);
        QCOMPARE(pane.callView()->callId(), id);
        // Its row appears with call.started and is selected.
        QTRY_COMPARE_WITH_TIMEOUT(pane.wall()->currentCallId(), id, 15000);
        QTRY_VERIFY_WITH_TIMEOUT(pane.callView()->call().status == sb::api::CallStatus::InProgress,
                                 60000);
        QTRY_VERIFY_WITH_TIMEOUT(pane.callView()->transcriptModel()->rowCount() >= 2, 60000);
        ConsoleFixture::screenshot(&pane, QStringLiteral("live-placed-call"));
        QTRY_VERIFY_WITH_TIMEOUT(ended.count() == 1, 110000);
        QCOMPARE(pane.callView()->call().status, sb::api::CallStatus::Completed);
        // It went through the lifecycle in order, never backwards.
        QVERIFY2(statuses.contains(QString::number(int(sb::api::CallStatus::InProgress))),
                 qPrintable(statuses.join(QLatin1Char(','))));
        QCOMPARE(statuses.last(), QString::number(int(sb::api::CallStatus::Completed)));
        QVERIFY(pane.callView()->headerLabel()->text().contains(QStringLiteral("Completed")));
    }

    void callOpenedAfterItsEndShowsItWhole()
    {
        ConsoleFixture f;
        QVERIFY2(f.start({QStringLiteral("--history-calls"), QStringLiteral("5")}),
                 qPrintable(f.errorString()));
        QVERIFY(f.waitForAgents());
        sb::api::CallFilter filter;
        filter.status = sb::api::CallStatus::Completed;
        auto pager = f.context().platform->calls(filter, 5);
        const auto page = sb::test::awaitReply(pager.fetchNext());
        QVERIFY(page && page->ok() && !page->value().items.isEmpty());
        const QString id = page->value().items.first().id;
        LivePane pane(f.context());
        pane.resize(1100, 700);
        pane.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pane));
        QSignalSpy ended(pane.callView(), &CallView::callEnded);
        // E.g. from an old alert: the stream answers not_live, REST has the whole call.
        Q_EMIT f.context().navigator->showLiveCall(id);
        QCOMPARE(pane.callView()->callId(), id);
        QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 1, 15000);
        QVERIFY(!pane.callView()->isLive());
        const auto details = sb::test::awaitReply(f.context().platform->callDetails(id));
        QVERIFY(details && details->ok());
        QTRY_COMPARE(pane.callView()->transcriptModel()->rowCount(),
                     int(details->value().transcript.size()));
        QVERIFY(pane.callView()->headerLabel()->text().contains(QStringLiteral("Completed")));
        QVERIFY(!pane.callView()->headerLabel()->text().contains(QStringLiteral("live")));
        QVERIFY(pane.wall()->currentCallId().isEmpty()); // never on the wall: nothing selected
    }

    void alertShowsBadgeNotifiesAndIsAcknowledged()
    {
        sb::test::FakeNotifications desktop;
        const bool haveDesktop = desktop.registerOnBus();
        ConsoleFixture f;
        QVERIFY2(f.start(liveArgs(QStringLiteral("8"))), qPrintable(f.errorString()));
        QVERIFY(f.waitForAgents());
        // A keyword every conversation says soon.
        sb::models::AlertRules rules = f.context().alerts->rules();
        rules.keywords = {QStringLiteral("you")};
        f.context().alerts->setRules(rules);
        LivePane pane(f.context());
        pane.resize(1300, 750);
        pane.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pane));
        pane.activated();
        QSignalSpy raised(f.context().alerts, &sb::models::AlertService::alertRaised);
        QTRY_VERIFY_WITH_TIMEOUT(raised.count() >= 1, 60000);
        const auto alert = raised.first().first().value<sb::models::Alert>();

        // The row shows a badge.
        sb::ui::CallWall *wall = pane.wall();
        QTRY_VERIFY_WITH_TIMEOUT(wall->proxy()->rowOfCall(alert.callId) >= 0, 10000);
        const int row = wall->proxy()->rowOfCall(alert.callId);
        const QModelIndex badge = wall->proxy()->index(row, LiveCallsModel::AlertState);
        QVERIFY(badge.data(LiveCallsModel::AlertSeverityRole).toInt() >
                int(sb::models::AlertSeverity::None));
        QVERIFY(!badge.data().toString().isEmpty());
        if (haveDesktop) {
            QTRY_VERIFY(!desktop.summaries.isEmpty());
            QVERIFY2(desktop.summaries.first().contains(QStringLiteral("alert")),
                     qPrintable(desktop.summaries.first()));
        }

        // Open a call with an open alert by double click (one still running, so its row stays
        // put while the test clicks); the call view shows the badge and acknowledges it.
        sb::models::Alert target;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (const sb::models::Alert &a : f.context().alerts->alerts()) {
                    const int r = wall->proxy()->rowOfCall(a.callId);
                    if (!a.isAcknowledged() && r >= 0 &&
                        !wall->proxy()->index(r, 0).data(LiveCallsModel::EndedRole).toBool()) {
                        target = a;
                        return true;
                    }
                }
                return false;
            }(),
            30000);
        const QModelIndex targetIndex =
            wall->proxy()->index(wall->proxy()->rowOfCall(target.callId), 0);
        wall->scrollTo(targetIndex);
        // As a person double-clicks: a press and release, then the double-click event.
        const QPoint at = wall->visualRect(targetIndex).center();
        QTest::mouseClick(wall->viewport(), Qt::LeftButton, {}, at);
        QCOMPARE(pane.callView()->callId(), QString()); // a single click only selects
        QTest::mouseDClick(wall->viewport(), Qt::LeftButton, {}, at);
        QTRY_COMPARE(pane.callView()->callId(), target.callId);
        QTRY_VERIFY(pane.callView()->alertBadge()->isVisible());
        QVERIFY(pane.callView()->acknowledgeAction()->isEnabled());
        QVERIFY(pane.paneActions().contains(pane.callView()->acknowledgeAction()));
        ConsoleFixture::screenshot(&pane, QStringLiteral("live-alert"));
        QTest::mouseClick(pane.callView()->acknowledgeButton(), Qt::LeftButton);

        const sb::models::Alert acked = f.context().alerts->alert(target.id);
        QVERIFY(acked.isAcknowledged());
        QCOMPARE(acked.acknowledgedBy, QStringLiteral("tester"));
        QVERIFY(qAbs(acked.acknowledgedAt.secsTo(QDateTime::currentDateTimeUtc())) < 60);
        sb::models::AlertLogModel *log = f.context().alertLog;
        const int logRow = log->rowOf(target.id);
        QVERIFY(logRow >= 0);
        QVERIFY(log->index(logRow, 0).data(sb::models::AlertLogModel::AcknowledgedRole).toBool());
        QVERIFY(log->index(logRow, sb::models::AlertLogModel::Acknowledged)
                    .data()
                    .toString()
                    .contains(QStringLiteral("tester")));
        // Nothing open on the call any more (unless a new rule fired meanwhile).
        if (f.context().alerts->highestUnacknowledged(target.callId) ==
            sb::models::AlertSeverity::None) {
            QTRY_VERIFY(!pane.callView()->alertBadge()->isVisible());
            QVERIFY(!pane.callView()->acknowledgeAction()->isEnabled());
        }
    }
};

QTEST_MAIN(TstLivePane)
#include "tst_livepane.moc"
