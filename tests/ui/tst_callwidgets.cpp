// The shared call widgets over models filled with known data: speakers told apart in light and
// dark palettes, interim text replaced by its final line, following live and stopping when the
// reader scrolls up, playback highlight, click to seek, inline tool calls, the sentiment chart's
// cursor, tint, tooltip and seek, CallView on a finished call, desktop notifications over D-Bus.

#include "../models/livetestevents.h"
#include "consolefixture.h"
#include "livetesthelpers.h"

#include "ui/callview.h"
#include "ui/notifier.h"
#include "ui/sentimentchart.h"
#include "ui/toolcallsview.h"
#include "ui/transcriptfeedmodel.h"
#include "ui/transcriptview.h"

#include "models/alertrules.h"
#include "models/sentimenttimelinemodel.h"
#include "models/settings.h"
#include "models/toolcallsmodel.h"
#include "models/transcriptmodel.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QHelpEvent>
#include <QJsonObject>
#include <QLabel>
#include <QListView>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QToolTip>

using namespace sb::api;
using sb::models::SentimentTimelineModel;
using sb::models::ToolCallsModel;
using sb::models::TranscriptModel;
using sb::ui::TranscriptFeedModel;
using sb::ui::TranscriptView;

namespace {

const QString kCall = QStringLiteral("call_w1");

//! WCAG relative luminance contrast of two colours (1..21).
double contrast(const QColor &a, const QColor &b)
{
    auto lum = [](const QColor &c) {
        auto ch = [](double v) {
            return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
        };
        return 0.2126 * ch(c.redF()) + 0.7152 * ch(c.greenF()) + 0.0722 * ch(c.blueF());
    };
    const double la = lum(a) + 0.05;
    const double lb = lum(b) + 0.05;
    return la > lb ? la / lb : lb / la;
}

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    p.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    p.setColor(QPalette::AlternateBase, QColor(0x30, 0x30, 0x30));
    p.setColor(QPalette::Text, QColor(0xee, 0xee, 0xee));
    p.setColor(QPalette::WindowText, QColor(0xee, 0xee, 0xee));
    p.setColor(QPalette::PlaceholderText, QColor(0x99, 0x99, 0x99));
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x8e, 0xe8));
    p.setColor(QPalette::Mid, QColor(0x55, 0x55, 0x55));
    return p;
}

} // namespace

class TstCallWidgets : public QObject
{
    Q_OBJECT

private:
    sb::test::EventFactory m_events;

    //! A transcript of \a count alternating final lines, 4 s each.
    QList<StreamEvent> lines(int from, int count)
    {
        QList<StreamEvent> out;
        for (int i = from; i < from + count; ++i) {
            const auto role = i % 2 ? SpeakerRole::Caller : SpeakerRole::Agent;
            out << m_events.line(kCall, role,
                                 QStringLiteral("Line %1: some words so that the bubble has a "
                                                "little length to it")
                                     .arg(i),
                                 i * 4000, i * 4000 + 3500, true);
        }
        return out;
    }

    static void show(QWidget *w, QSize size = {600, 400})
    {
        w->resize(size);
        w->show();
        QVERIFY(QTest::qWaitForWindowExposed(w));
    }

private Q_SLOTS:
    void speakersAreToldApart_data()
    {
        QTest::addColumn<bool>("dark");
        QTest::newRow("light") << false;
        QTest::newRow("dark") << true;
    }
    void speakersAreToldApart()
    {
        QFETCH(bool, dark);
        TranscriptModel model;
        model.setCallId(kCall);
        TranscriptView view;
        if (dark)
            view.setPalette(darkPalette());
        view.setModel(&model);
        model.applyBatch(lines(0, 2)); // agent, caller
        show(&view);
        QTRY_VERIFY(!view.bubbleRect(1).isEmpty());
        const QRect agent = view.bubbleRect(0);
        const QRect caller = view.bubbleRect(1);
        const int width = view.listView()->viewport()->width();
        QVERIFY2(agent.left() < width / 4, "agent lines sit on the left");
        QVERIFY2(caller.right() > width * 3 / 4, "caller lines sit on the right");
        QVERIFY(caller.left() > agent.left());

        const QImage shot = view.listView()->viewport()->grab().toImage();
        const QPalette pal = view.listView()->viewport()->palette();
        // Inside the bubble near its bottom-left corner, where no text is painted.
        const QColor agentFill = shot.pixelColor(agent.left() + 4, agent.bottom() - 4);
        const QColor callerFill = shot.pixelColor(caller.right() - 4, caller.bottom() - 4);
        const QColor base = pal.color(QPalette::Base);
        QVERIFY2(agentFill != callerFill, "agent and caller bubbles differ in colour");
        QVERIFY(agentFill != base);
        QVERIFY(callerFill != base);
        QVERIFY2(contrast(agentFill, pal.color(QPalette::Text)) >= 4.5,
                 qPrintable(QStringLiteral("agent text contrast %1")
                                .arg(contrast(agentFill, pal.color(QPalette::Text)))));
        QVERIFY(contrast(callerFill, pal.color(QPalette::Text)) >= 4.5);
        // The labels name the speaker for those who cannot tell colours apart.
        const QString agentText = view.feed()->index(0).data(Qt::AccessibleTextRole).toString();
        QVERIFY2(agentText.startsWith(QStringLiteral("Agent")), qPrintable(agentText));
        QVERIFY(view.feed()
                    ->index(1)
                    .data(Qt::AccessibleTextRole)
                    .toString()
                    .startsWith(QStringLiteral("Caller")));
        ConsoleFixture::screenshot(&view, dark ? QStringLiteral("transcript-dark")
                                               : QStringLiteral("transcript-light"));
    }

    void interimThenFinal()
    {
        TranscriptModel model;
        model.setCallId(kCall);
        TranscriptView view;
        view.setModel(&model);
        show(&view);
        model.applyBatch(
            {m_events.line(kCall, SpeakerRole::Caller, QStringLiteral("I would"), 1000, 0, false)});
        QCOMPARE(view.feed()->rowCount(), 1);
        QModelIndex row = view.feed()->index(0);
        QCOMPARE(row.data(TranscriptModel::IsFinalRole).toBool(), false);
        QVERIFY(
            row.data(Qt::AccessibleTextRole).toString().contains(QStringLiteral("still speaking")));
        const int interimHeight = view.bubbleRect(0).height();
        QVERIFY(interimHeight > 0);

        model.applyBatch({m_events.line(
            kCall, SpeakerRole::Caller,
            QStringLiteral("I would like to move my appointment to next Tuesday afternoon if "
                           "that is at all possible, or Wednesday morning, thank you very much"),
            1000, 5200, true)});
        QCOMPARE(view.feed()->rowCount(), 1); // replaced, not shown twice
        row = view.feed()->index(0);
        QCOMPARE(row.data(TranscriptModel::IsFinalRole).toBool(), true);
        QVERIFY(row.data(TranscriptModel::TextRole)
                    .toString()
                    .startsWith(QStringLiteral("I would like")));
        QVERIFY(!row.data(Qt::AccessibleTextRole)
                     .toString()
                     .contains(QStringLiteral("still speaking")));
        // The longer final line is re-measured.
        QTRY_VERIFY(view.bubbleRect(0).height() > interimHeight);
    }

    void followsLiveUntilScrolledUp()
    {
        TranscriptModel model;
        model.setCallId(kCall);
        TranscriptView view;
        view.setModel(&model);
        view.setFollowLive(true);
        show(&view, {500, 300});
        QScrollBar *bar = view.listView()->verticalScrollBar();
        for (int batch = 0; batch < 5; ++batch) {
            model.applyBatch(lines(batch * 8, 8));
            QTRY_VERIFY(bar->maximum() > 0 || batch == 0);
            QTRY_COMPARE(bar->value(), bar->maximum());
        }
        QVERIFY(view.isFollowing());
        QVERIFY(!view.jumpButton()->isVisible());

        // The reader scrolls up: new lines no longer move the view.
        bar->triggerAction(QAbstractSlider::SliderToMinimum);
        QCOMPARE(bar->value(), 0);
        QVERIFY(!view.isFollowing());
        QTRY_VERIFY(view.jumpButton()->isVisible());
        const int oldMax = bar->maximum();
        model.applyBatch(lines(40, 8));
        QTRY_VERIFY(bar->maximum() > oldMax);
        QCOMPARE(bar->value(), 0);
        QVERIFY(view.jumpButton()->isVisible());

        // Scrolling back to the bottom follows again.
        bar->triggerAction(QAbstractSlider::SliderToMaximum);
        QVERIFY(view.isFollowing());
        QTRY_VERIFY(!view.jumpButton()->isVisible());
        model.applyBatch(lines(48, 8));
        QTRY_COMPARE(bar->value(), bar->maximum());
        QVERIFY(bar->maximum() > oldMax);

        // Up again, then End (or the button) jumps to the latest line.
        bar->triggerAction(QAbstractSlider::SliderToMinimum);
        model.applyBatch(lines(56, 4));
        QTRY_VERIFY(view.jumpButton()->isVisible());
        view.listView()->setFocus();
        QTest::keyClick(view.listView(), Qt::Key_End);
        QTRY_COMPARE(bar->value(), bar->maximum());
        QVERIFY(view.isFollowing());
        bar->triggerAction(QAbstractSlider::SliderToMinimum);
        QTRY_VERIFY(view.jumpButton()->isVisible());
        QTest::mouseClick(view.jumpButton(), Qt::LeftButton);
        QTRY_COMPARE(bar->value(), bar->maximum());
        QVERIFY(view.isFollowing());
    }

    void highlightAndClickToSeek()
    {
        TranscriptModel model;
        model.setCallId(kCall);
        TranscriptView view;
        view.setModel(&model);
        model.applyBatch(lines(0, 40)); // line i starts at i*4000
        show(&view, {500, 300});
        QSignalSpy activated(&view, &TranscriptView::lineActivated);

        view.setHighlightTimeMs(30 * 4000 + 1200); // inside line 30
        QCOMPARE(view.highlightedRow(), 30);
        QVERIFY(view.feed()->index(30).data(TranscriptFeedModel::HighlightedRole).toBool());
        QTRY_VERIFY(view.listView()->viewport()->rect().intersects(
            view.listView()->visualRect(view.feed()->index(30))));

        // Before the first line: nothing highlighted.
        view.setHighlightTimeMs(-1);
        QCOMPARE(view.highlightedRow(), -1);

        // A click on a visible line asks to seek to its start.
        view.setHighlightTimeMs(12 * 4000);
        QCOMPARE(view.highlightedRow(), 12);
        QTRY_VERIFY(view.listView()->viewport()->rect().contains(view.bubbleRect(12).center()));
        QTest::mouseClick(view.listView()->viewport(), Qt::LeftButton, {},
                          view.bubbleRect(12).center());
        QCOMPARE(activated.count(), 1);
        QCOMPARE(activated.first().first().toLongLong(), qint64(12 * 4000));

        // While the reader scrolls, playback does not pull the view away.
        QScrollBar *bar = view.listView()->verticalScrollBar();
        bar->triggerAction(QAbstractSlider::SliderToMinimum);
        view.setHighlightTimeMs(39 * 4000);
        QCOMPARE(view.highlightedRow(), 39);
        QCOMPARE(bar->value(), 0);
    }

    void toolCallsInline()
    {
        TranscriptModel model;
        ToolCallsModel tools;
        model.setCallId(kCall);
        tools.setCallId(kCall);
        TranscriptView view;
        view.setModel(&model);
        view.setToolCalls(&tools);
        QList<StreamEvent> batch = lines(0, 2);
        batch << m_events.toolCall(kCall, QStringLiteral("book_appointment"),
                                   QJsonObject{{QStringLiteral("day"), QStringLiteral("tue")}});
        batch << m_events.toolResult(
            kCall, QStringLiteral("book_appointment"),
            QJsonObject{{QStringLiteral("error"), QStringLiteral("slot taken")}});
        batch << lines(2, 1);
        model.applyBatch(batch);
        tools.applyBatch(batch);
        show(&view);
        QCOMPARE(view.feed()->rowCount(), 4);
        // The tool call sits after the line it followed, before the next one.
        QCOMPARE(view.feed()->kindAt(2), TranscriptFeedModel::Kind::Tool);
        const QModelIndex tool = view.feed()->index(2);
        QCOMPARE(tool.data(ToolCallsModel::ErrorRole).toString(), QStringLiteral("slot taken"));
        QVERIFY(
            tool.data(Qt::AccessibleTextRole).toString().contains(QStringLiteral("slot taken")));
        QCOMPARE(tool.data(TranscriptFeedModel::ExpandedRole).toBool(), false);
        QTRY_VERIFY(!view.bubbleRect(2).isEmpty());
        const int closedHeight = view.bubbleRect(2).height();

        // A click opens the JSON, another closes it; it does not seek.
        QSignalSpy activated(&view, &TranscriptView::lineActivated);
        QTest::mouseClick(view.listView()->viewport(), Qt::LeftButton, {},
                          view.bubbleRect(2).center());
        QCOMPARE(view.feed()->index(2).data(TranscriptFeedModel::ExpandedRole).toBool(), true);
        QTRY_VERIFY(view.bubbleRect(2).height() > closedHeight + 20);
        QCOMPARE(activated.count(), 0);
        ConsoleFixture::screenshot(&view, QStringLiteral("transcript-tool-open"));
        QTest::mouseClick(view.listView()->viewport(), Qt::LeftButton, {},
                          view.bubbleRect(2).topLeft() + QPoint(10, 10));
        QTRY_COMPARE(view.bubbleRect(2).height(), closedHeight);

        // The table shows the failure too.
        sb::ui::ToolCallsView table;
        table.setToolCalls(&tools);
        const QModelIndex state = table.model()->index(0, ToolCallsModel::State);
        QVERIFY(state.data().toString().contains(QStringLiteral("slot taken")));
        QVERIFY(state.data(Qt::ForegroundRole).value<QColor>().isValid());
        QVERIFY(table.model()
                    ->index(0, ToolCallsModel::Arguments)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("\"day\"")));
    }

    void trimKeepsFeedInStep()
    {
        TranscriptModel model;
        ToolCallsModel tools;
        model.setCallId(kCall);
        tools.setCallId(kCall);
        model.setMaxLines(20);
        TranscriptFeedModel feed;
        QAbstractItemModelTester tester(&feed,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        feed.setTranscript(&model);
        feed.setToolCalls(&tools);
        for (int i = 0; i < 30; ++i) {
            QList<StreamEvent> batch = lines(i, 1);
            if (i % 5 == 0)
                batch << m_events.toolCall(kCall, QStringLiteral("lookup"), QJsonObject());
            model.applyBatch(batch);
            tools.applyBatch(batch);
        }
        // A REST line the stream missed lands in the middle; a snapshot moves a tool call.
        const int before = feed.rowCount();
        model.mergeLines({{SpeakerRole::Caller, QStringLiteral("missed"), 27 * 4000 + 100,
                           27 * 4000 + 200, Sentiment::None, false, std::nullopt}});
        QCOMPARE(feed.rowCount(), before + 1);
        QList<ToolCall> moved;
        for (int row = 0; row < tools.rowCount(); ++row)
            moved << tools.toolCallAt(row);
        moved.last().atMs = 26 * 4000 + 50;
        tools.mergeToolCalls(moved);
        QVERIFY(model.rowCount() <= 20);
        QCOMPARE(feed.rowCount(), model.rowCount() + tools.rowCount());
        for (int row = 1; row < feed.rowCount(); ++row)
            QVERIFY(feed.timeAt(row - 1) <= feed.timeAt(row));
        for (int line = 0; line < model.rowCount(); ++line)
            QCOMPARE(feed.index(feed.rowOfLine(line)).data(TranscriptModel::TextRole),
                     model.index(line).data(TranscriptModel::TextRole));
    }

    void sentimentChart()
    {
        SentimentTimelineModel model;
        model.setCallId(kCall);
        model.mergePoints({{0, Sentiment::Neutral, 0.1},
                           {20000, Sentiment::Negative, -0.8},
                           {40000, Sentiment::Negative, -0.6},
                           {60000, Sentiment::Positive, 0.7}});
        sb::ui::SentimentChart chart;
        chart.setModel(&model);
        chart.setDurationMs(60000);
        show(&chart, {420, 160});
        QSignalSpy seek(&chart, &sb::ui::SentimentChart::seekRequested);

        // A click asks to seek to the time under the pointer.
        QTest::mouseClick(&chart, Qt::LeftButton, {},
                          QPoint(chart.xForMs(30000), chart.plotRect().center().y()));
        QCOMPARE(seek.count(), 1);
        const qint64 msPerPixel = 60000 / chart.plotRect().width() + 1;
        QVERIFY(qAbs(seek.first().first().toLongLong() - 30000) <= msPerPixel);
        chart.setFocus();
        QTest::keyClick(&chart, Qt::Key_Right);
        QCOMPARE(seek.count(), 2);

        // The negative spell is tinted below the zero line, the positive end is not.
        const QRect r = chart.plotRect();
        const int zeroY = r.top() + r.height() / 2;
        const QImage shot = chart.grab().toImage();
        const QColor base = chart.palette().color(QPalette::Base);
        QVERIFY(shot.pixelColor(chart.xForMs(30000), zeroY + 6) != base);
        QCOMPARE(shot.pixelColor(chart.xForMs(58000), zeroY + r.height() / 2 - 4), base);

        // The cursor line appears where playback is.
        const int cx = chart.xForMs(50000);
        QCOMPARE(shot.pixelColor(cx, r.top() + 4), base);
        chart.setCursorMs(50000);
        const QImage withCursor = chart.grab().toImage();
        QVERIFY(withCursor.pixelColor(cx, r.top() + 4) != base);

        // Hovering a point tells its time, label and score.
        QHelpEvent help(QEvent::ToolTip, QPoint(chart.xForMs(20000), zeroY),
                        chart.mapToGlobal(QPoint(chart.xForMs(20000), zeroY)));
        QApplication::sendEvent(&chart, &help);
        QTRY_VERIFY(QToolTip::isVisible());
        QVERIFY2(QToolTip::text().contains(QStringLiteral("Negative")),
                 qPrintable(QToolTip::text()));
        QVERIFY(QToolTip::text().contains(QStringLiteral("-0.80")));
        QVERIFY(chart.accessibleDescription().contains(QStringLiteral("4 point")));
        ConsoleFixture::screenshot(&chart, QStringLiteral("sentiment-chart"));
    }

    void callViewShowsFinishedCall()
    {
        sb::ui::ConsoleContext context; // no platform: a finished call needs none
        sb::ui::CallView view(context);
        CallDetails d;
        d.call = sb::test::EventFactory::call(QStringLiteral("call_done"), CallStatus::Completed);
        d.call.durationSeconds = 75;
        d.transcript = {{SpeakerRole::Agent, QStringLiteral("Hello"), 0, 1500, Sentiment::Neutral,
                         false, std::nullopt},
                        {SpeakerRole::Caller, QStringLiteral("Hi there"), 2000, 3000,
                         Sentiment::Positive, false, std::nullopt}};
        d.sentimentTimeline = {{1500, Sentiment::Neutral, 0.0}, {3000, Sentiment::Positive, 0.4}};
        d.toolCalls = {{QStringLiteral("lookup"), QJsonObject(), QJsonObject(), 2500}};
        view.showDetails(d);
        show(&view, {700, 500});
        QCOMPARE(view.callId(), QStringLiteral("call_done"));
        QVERIFY(!view.isLive());
        QCOMPARE(view.transcriptModel()->rowCount(), 2);
        QCOMPARE(view.transcriptView()->feed()->rowCount(), 3);
        QCOMPARE(view.sentimentModel()->rowCount(), 2);
        QCOMPARE(view.sentimentChart()->durationMs(), 75000);
        QVERIFY2(view.headerLabel()->text().contains(QStringLiteral("Completed")),
                 qPrintable(view.headerLabel()->text()));
        QVERIFY(view.headerLabel()->text().contains(QStringLiteral("1:15")));
        QVERIFY(!view.alertBadge()->isVisible());
        view.setPlaybackMs(2100);
        QCOMPARE(view.transcriptView()->highlightedRow(), 1);
        QCOMPARE(view.sentimentChart()->cursorMs(), 2100);
        view.clear();
        QVERIFY(view.callId().isEmpty());
        QCOMPARE(view.transcriptModel()->rowCount(), 0);
    }

    void notifierOverDBus()
    {
        sb::test::FakeNotifications fake;
        if (!fake.registerOnBus())
            QSKIP("no private session bus to register a notification service on (tools/headless)");

        QTemporaryDir dir;
        sb::models::Settings settings(dir.filePath(QStringLiteral("n.ini")));
        sb::ui::Notifier notifier(&settings);
        notifier.setRateLimit(2, 600);
        QCOMPARE(notifier.backend(), sb::ui::Notifier::Backend::DBus);
        sb::models::Alert alert;
        alert.callId = QStringLiteral("call_n1");
        alert.rule = sb::models::AlertRule::keyword();
        alert.detail = QStringLiteral("said “cancel”");
        QVERIFY(notifier.notifyAlert(alert, QStringLiteral("Agent Ava · +1555…")));
        QVERIFY(notifier.notify(QStringLiteral("second"), QStringLiteral("b")));
        // Over the limit: held back, then summed up in one notice.
        QVERIFY(!notifier.notify(QStringLiteral("third"), QStringLiteral("c")));
        QVERIFY(!notifier.notify(QStringLiteral("fourth"), QStringLiteral("d")));
        QCOMPARE(notifier.suppressedCount(), 2);
        QTRY_COMPARE(fake.summaries.size(), 3);
        QVERIFY2(fake.summaries.first().contains(QStringLiteral("Keyword")),
                 qPrintable(fake.summaries.first()));
        QVERIFY(fake.bodies.first().contains(QStringLiteral("cancel")));
        QCOMPARE(fake.summaries.at(1), QStringLiteral("second"));
        QVERIFY2(fake.bodies.at(2).contains(QStringLiteral("2 more alert")),
                 qPrintable(fake.bodies.at(2)));

        // A click on the alert's bubble asks to open its call.
        QSignalSpy activated(&notifier, &sb::ui::Notifier::callActivated);
        QDBusMessage click = QDBusMessage::createSignal(sb::test::FakeNotifications::path(),
                                                        sb::test::FakeNotifications::service(),
                                                        QStringLiteral("ActionInvoked"));
        click << uint(1) << QStringLiteral("default");
        QVERIFY(QDBusConnection::sessionBus().send(click));
        QTRY_COMPARE(activated.count(), 1);
        QCOMPARE(activated.first().first().toString(), QStringLiteral("call_n1"));

        // Switched off in the settings: nothing goes out.
        settings.setAlertNotifications(false);
        QVERIFY(!notifier.notify(QStringLiteral("off"), QStringLiteral("e")));
        QCOMPARE(notifier.shownCount(), 3);
    }
};

QTEST_MAIN(TstCallWidgets)
#include "tst_callwidgets.moc"
