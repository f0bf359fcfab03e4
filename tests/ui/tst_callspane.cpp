// The Calls pane against the real simulator (--history-calls 300): the true count, every filter
// narrowing to the server's truth, SQL sort by header clicks, opening details, full-text search
// that opens the hit's call at its line, TXT/JSON/CSV export through the file dialog, delete
// with its confirmation (the server answers 404 after), a failed delete with Retry, failed
// export, the recording player, keyboard shortcuts and the saved pane state.
#include "callspanetestutil.h"
#include "consolefixture.h"

#include "api/platform.h"
#include "api/ratelimiter.h"
#include "api/session.h"
#include "models/callcache.h"
#include "models/callhistorymodel.h"
#include "models/searchmodel.h"
#include "models/syncservice.h"
#include "models/transcriptmodel.h"
#include "testsupport.h"
#include "ui/calldetailspanel.h"
#include "ui/callspane.h"
#include "ui/callview.h"
#include "ui/historyfilterbar.h"
#include "ui/messagebanner.h"
#include "ui/recordingplayer.h"
#include "ui/searchresults.h"
#include "ui/transcriptexport.h"
#if __has_include("ui/transcriptfeedmodel.h") // split out of transcriptview.h
#include "ui/transcriptfeedmodel.h"
#endif
#include "ui/transcriptview.h"

#include <QAction>
#include <QComboBox>
#include <QDateEdit>
#include <QFileDialog>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QToolButton>

#include <algorithm>
#include <memory>

using namespace sb::api;
using callstest::await;
using callstest::whenModal;
using sb::models::CallHistoryModel;
using sb::models::HistoryFilter;
using sb::models::SyncService;
using sb::ui::CallsPane;
using sb::ui::TranscriptExport;

namespace {

QString digits(const QString &number)
{
    QString out;
    for (const QChar c : number) {
        if (c.isDigit())
            out += c;
    }
    return out;
}

//! Types \a path into the file dialog's name field and presses Enter, as a person would.
void typeFileName(QFileDialog *dialog, const QString &path)
{
    auto *edit = dialog->findChild<QLineEdit *>(QStringLiteral("fileNameEdit"));
    if (!edit) { // a platform dialog after all: answer it through its API, never leave it open
        dialog->selectFile(path);
        static_cast<QDialog *>(dialog)->accept();
        QFAIL("the file dialog has no name field");
    }
    edit->setText(path);
    // accept() reads the name field like Return would; a Return key could instead land in the
    // field's completer popup when the file system model answers first (seen under ASan),
    // leaving the dialog open forever.
    static_cast<QDialog *>(dialog)->accept();
}

int comboIndexOf(QComboBox *box, int value)
{
    return box->findData(value);
}

} // namespace

class TestCallsPane : public QObject
{
    Q_OBJECT
    ConsoleFixture m_fixture;
    std::unique_ptr<CallsPane> m_pane;
    std::unique_ptr<QObject> m_scope; //!< per test: owns the dialog pollers
    QTemporaryDir m_out;

    const sb::ui::ConsoleContext &ctx() const { return m_fixture.context(); }
    CallHistoryModel *history() const { return m_pane->historyModel(); }

    //! Rows the pane shows for the filter bar's current state, once the filter has applied.
    bool waitForCount(int expected)
    {
        return QTest::qWaitFor([&] { return history()->rowCount() == expected; }, 10000);
    }

    //! The other party of each call as the history shows it (the callee of an outbound call).
    static QString remote(const Call &c) { return TranscriptExport::remoteNumber(c); }

    int clearFilters()
    {
        QTest::mouseClick(m_pane->filterBar()->clearButton(), Qt::LeftButton);
        return history()->rowCount();
    }

    //! Opens the history row of \a callId by selecting it and pressing Enter on the table.
    bool openRow(const QString &callId)
    {
        m_pane->tabs()->setCurrentIndex(0);
        const int row = history()->rowOf(callId);
        if (row < 0)
            return false;
        m_pane->historyView()->setCurrentIndex(history()->index(row, 0));
        m_pane->historyView()->setFocus();
        QTest::keyClick(m_pane->historyView(), Qt::Key_Return);
        return QTest::qWaitFor([&] { return m_pane->detailsPanel()->callId() == callId; }, 20000);
    }

    //! A completed call with a transcript and a recording, from the server's list.
    Call completedCall(int skip = 0)
    {
        for (const Call &c : callstest::serverCalls(ctx().platform)) {
            if (c.status == CallStatus::Completed && !c.recordingUrl.isEmpty() &&
                c.durationSeconds > 20 && skip-- <= 0)
                return c;
        }
        return {};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_out.isValid());
        // Qt's own dialogs, whatever platform theme or portal the session offers: the test
        // types into them like a person.
        QCoreApplication::setAttribute(Qt::AA_DontUseNativeDialogs);
        QVERIFY2(m_fixture.start({QStringLiteral("--history-calls"), QStringLiteral("300")}),
                 qPrintable(m_fixture.errorString()));
        QCOMPARE(sb::test::postAdmin(m_fixture.sim().adminUrl(), QStringLiteral("/rate-limit"),
                                     {{QStringLiteral("limit"), 100000}}),
                 204);
        ctx().session->rateLimiter()->setServerLimit(100000);
        QVERIFY(m_fixture.waitForAgents());
        QTRY_VERIFY_WITH_TIMEOUT(ctx().sync->state() == SyncService::State::UpToDate, 90000);
        m_pane = std::make_unique<CallsPane>(ctx(), nullptr);
        m_pane->resize(1400, 900);
        m_pane->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_pane.get()));
        m_pane->activated();
    }

    void cleanupTestCase() { m_pane.reset(); }
    void init() { m_scope = std::make_unique<QObject>(); }
    void cleanup() { m_scope.reset(); }

    void countEqualsTheServers()
    {
        const QList<Call> calls = callstest::serverCalls(ctx().platform);
        QVERIFY(calls.size() > 200);
        QTRY_COMPARE(history()->rowCount(), int(calls.size()));
        QVERIFY2(m_pane->countLabel()->text().contains(QString::number(calls.size())),
                 qPrintable(m_pane->countLabel()->text()));
        QCOMPARE(m_pane->stalenessLabel()->text(), ctx().sync->stalenessText());
        QVERIFY(!m_pane->stalenessLabel()->text().isEmpty());
        ConsoleFixture::screenshot(m_pane.get(), QStringLiteral("calls-history"));
    }

    void filtersNarrowToTheServersTruth()
    {
        const QList<Call> calls = callstest::serverCalls(ctx().platform);
        QVERIFY(!calls.isEmpty());
        auto *bar = m_pane->filterBar();
        auto truth = [&](auto pred) {
            return int(std::count_if(calls.cbegin(), calls.cend(), pred));
        };

        // Status: every row shown says it, and there are exactly as many as on the server.
        bar->statusBox()->setCurrentIndex(
            comboIndexOf(bar->statusBox(), int(CallStatus::Completed)));
        const int completed =
            truth([](const Call &c) { return c.status == CallStatus::Completed; });
        QVERIFY(completed > 0 && completed < calls.size());
        QVERIFY2(waitForCount(completed), qPrintable(QString::number(history()->rowCount())));
        for (int row = 0; row < qMin(completed, 40); ++row) {
            QCOMPARE(history()->index(row, CallHistoryModel::Status).data().toString(),
                     TranscriptExport::statusLabel(CallStatus::Completed));
        }
        QVERIFY(m_pane->countLabel()->text().contains(QString::number(completed)));

        // Direction on top of it.
        bar->directionBox()->setCurrentIndex(
            comboIndexOf(bar->directionBox(), int(CallDirection::Outbound)));
        QVERIFY(waitForCount(truth([](const Call &c) {
            return c.status == CallStatus::Completed && c.direction == CallDirection::Outbound;
        })));
        QCOMPARE(clearFilters(), int(calls.size()));

        bar->sentimentBox()->setCurrentIndex(
            comboIndexOf(bar->sentimentBox(), int(Sentiment::Negative)));
        QVERIFY(
            waitForCount(truth([](const Call &c) { return c.sentiment == Sentiment::Negative; })));
        QCOMPARE(clearFilters(), int(calls.size()));

        // Agent names come from the agents model.
        const QString agentId = calls.at(calls.size() / 2).agentId;
        const int agentIndex = bar->agentBox()->findData(agentId);
        QVERIFY(agentIndex > 0);
        QVERIFY(!bar->agentBox()->itemText(agentIndex).startsWith(QLatin1String("agent_")) ||
                bar->agentBox()->itemText(agentIndex) != agentId);
        bar->agentBox()->setCurrentIndex(agentIndex);
        QVERIFY(waitForCount(truth([&](const Call &c) { return c.agentId == agentId; })));
        QCOMPARE(history()->index(0, CallHistoryModel::Agent).data().toString(),
                 bar->agentBox()->itemText(agentIndex));
        QCOMPARE(clearFilters(), int(calls.size()));

        // Date range: one local day, both ends inclusive.
        const QDate day = calls.at(calls.size() / 3).createdAt.toLocalTime().date();
        bar->fromEdit()->setDate(day);
        bar->toEdit()->setDate(day);
        QVERIFY(waitForCount(
            truth([&](const Call &c) { return c.createdAt.toLocalTime().date() == day; })));
        QCOMPARE(clearFilters(), int(calls.size()));

        // Typed text is debounced (nothing applies at once), then matches the number's digits.
        const QString part = digits(remote(calls.at(7))).right(4);
        QTest::keyClicks(bar->textField(), part);
        QCOMPARE(history()->filter().text, QString());
        QVERIFY(
            waitForCount(truth([&](const Call &c) { return digits(remote(c)).contains(part); })));
        QCOMPARE(history()->filter().text, part);
        QVERIFY(m_pane->countLabel()->text().contains(QLatin1String("match")));
        QCOMPARE(clearFilters(), int(calls.size()));
    }

    void headerClicksSortInSql()
    {
        const QList<Call> calls = callstest::serverCalls(ctx().platform);
        QHeaderView *header = m_pane->historyView()->horizontalHeader();
        auto clickSection = [&](int section) {
            const QPoint at(header->sectionViewportPosition(section) + 10, header->height() / 2);
            QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, at);
        };
        QList<int> durations;
        for (const Call &c : calls)
            durations << c.durationSeconds;
        std::sort(durations.begin(), durations.end());

        clickSection(CallHistoryModel::Duration);
        QTRY_COMPARE(history()->sortColumn(), int(CallHistoryModel::Duration));
        const bool ascending = history()->sortOrder() == Qt::AscendingOrder;
        QList<int> shown;
        for (int row = 0; row < 60; ++row)
            shown << history()
                         ->index(row, CallHistoryModel::Duration)
                         .data(CallHistoryModel::SortRole)
                         .toInt();
        QList<int> expected = ascending ? durations.mid(0, 60) : QList<int>();
        if (!ascending) {
            for (int i = 0; i < 60; ++i)
                expected << durations.at(durations.size() - 1 - i);
        }
        QCOMPARE(shown, expected);
        clickSection(CallHistoryModel::Duration);
        QTRY_VERIFY(history()->sortOrder() !=
                    (ascending ? Qt::AscendingOrder : Qt::DescendingOrder));
        QCOMPARE(history()
                     ->index(0, CallHistoryModel::Duration)
                     .data(CallHistoryModel::SortRole)
                     .toInt(),
                 ascending ? durations.last() : durations.first());

        // Contact is no sort key: the order and the indicator stay on Duration.
        clickSection(CallHistoryModel::Contact);
        QCOMPARE(history()->sortColumn(), int(CallHistoryModel::Duration));
        QCOMPARE(header->sortIndicatorSection(), int(CallHistoryModel::Duration));

        // Back to newest first for the tests after this one.
        clickSection(CallHistoryModel::Created);
        if (history()->sortOrder() != Qt::DescendingOrder)
            clickSection(CallHistoryModel::Created);
        QTRY_COMPARE(history()->sortOrder(), Qt::DescendingOrder);
        QCOMPARE(history()->sortColumn(), int(CallHistoryModel::Created));
    }

    void openShowsMetadataAndTranscript()
    {
        const Call call = completedCall();
        QVERIFY(!call.id.isEmpty());
        const auto server = await(ctx().platform->callDetails(call.id));
        QVERIFY(server.ok());
        QVERIFY(!server.value().transcript.isEmpty());
        QVERIFY(openRow(call.id));
        auto *details = m_pane->detailsPanel();
        QCOMPARE(details->field(QStringLiteral("number"))->text(), remote(call));
        QCOMPARE(details->field(QStringLiteral("status"))->text().section(QLatin1Char(' '), 0, 0),
                 TranscriptExport::statusLabel(CallStatus::Completed));
        const QString agent = details->field(QStringLiteral("agent"))->text();
        QVERIFY(!agent.isEmpty() && agent != call.agentId);
        QTRY_COMPARE(details->callView()->transcriptModel()->rowCount(),
                     int(server.value().transcript.size()));
        QCOMPARE(details->callView()->transcriptModel()->entryAt(0).line.text,
                 server.value().transcript.first().text);
        QVERIFY(m_pane->exportAction()->isEnabled());
        ConsoleFixture::screenshot(m_pane.get(), QStringLiteral("calls-details"));
    }

    void searchShowsSnippetAndOpensTheHit()
    {
        // The call opened above has its transcript in the cache now: search for one of its words.
        const Call call = completedCall();
        QTRY_VERIFY_WITH_TIMEOUT(ctx().cache->hasTranscript(call.id), 10000);
        const CallDetails cached = *ctx().cache->details(call.id);
        QString word;
        qint64 lineStart = -1;
        for (const TranscriptLine &line : cached.transcript) {
            const QStringList words =
                line.text.split(QRegularExpression(QStringLiteral("\\W+")), Qt::SkipEmptyParts);
            for (const QString &w : words) {
                if (w.size() > word.size() && w.size() >= 6) {
                    word = w;
                    lineStart = line.startMs;
                }
            }
        }
        QVERIFY2(!word.isEmpty(), "no long word in the transcript");

        // Another call is shown first, so that the hit visibly opens its own.
        const Call other = completedCall(1);
        QVERIFY(openRow(other.id));

        m_pane->searchAction()->trigger();
        auto *results = m_pane->searchResults();
        QCOMPARE(m_pane->tabs()->currentWidget(), results);
        QTest::keyClicks(results->queryField(), word);
        QTRY_VERIFY_WITH_TIMEOUT(results->view()->model()->rowCount() > 0, 10000);
        QTRY_VERIFY(results->statusLabel()->text().contains(QLatin1String("matching")));
        int hitRow = -1;
        const auto *model = results->view()->model();
        for (int row = 0; row < model->rowCount() && hitRow < 0; ++row) {
            if (model->index(row, 0).data(sb::models::SearchModel::IdRole).toString() == call.id)
                hitRow = row;
        }
        QVERIFY2(hitRow >= 0, qPrintable(word));
        lineStart = model->index(hitRow, 0).data(sb::models::SearchModel::StartMsRole).toLongLong();
        const QString html =
            model->index(hitRow, 0).data(sb::models::SearchModel::HtmlRole).toString();
        QVERIFY2(html.contains(QStringLiteral("<b>") + word, Qt::CaseInsensitive),
                 qPrintable(html));
        ConsoleFixture::screenshot(m_pane.get(), QStringLiteral("calls-search"));

        results->view()->setCurrentIndex(model->index(hitRow, 0));
        results->view()->setFocus();
        QTest::keyClick(results->view(), Qt::Key_Return);
        auto *details = m_pane->detailsPanel();
        QTRY_COMPARE(details->callId(), call.id);
        QCOMPARE(details->highlightMs(), lineStart);
        auto *transcript = details->callView()->transcriptView();
        QTRY_VERIFY(transcript->highlightedRow() >= 0);
        QCOMPARE(transcript->feed()
                     ->index(transcript->highlightedRow())
                     .data(sb::ui::TranscriptFeedModel::TimeMsRole)
                     .toLongLong(),
                 lineStart);
    }

    void exportsTxtJsonAndCsv()
    {
        auto *details = m_pane->detailsPanel();
        QVERIFY(details->hasDetails());
        const CallDetails shown = details->details();
        QVERIFY(!shown.transcript.isEmpty());
        auto exportAs = [&](const QString &name, int filterIndex) {
            const QString path = m_out.filePath(name);
            whenModal<QFileDialog>(m_scope.get(), [path, filterIndex](QFileDialog *dialog) {
                dialog->selectNameFilter(dialog->nameFilters().at(filterIndex));
                typeFileName(dialog, path);
            });
            m_pane->exportAction()->trigger();
            QFile file(path);
            return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
        };

        const QString text = QString::fromUtf8(exportAs(QStringLiteral("call.txt"), 0));
        QVERIFY(text.startsWith(QStringLiteral("Call ") + shown.call.id));
        QVERIFY(text.contains(shown.transcript.first().text));
        QVERIFY(text.contains(details->agentName()));

        QJsonParseError error;
        const QJsonDocument json =
            QJsonDocument::fromJson(exportAs(QStringLiteral("call.json"), 1), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(json[QStringLiteral("call")][QStringLiteral("id")].toString(), shown.call.id);
        const QJsonArray lines = json[QStringLiteral("transcript")].toArray();
        QCOMPARE(lines.size(), shown.transcript.size());
        QCOMPARE(lines.last()[QStringLiteral("text")].toString(), shown.transcript.last().text);

        // No suffix typed: the chosen type adds it.
        const QString csv = QString::fromUtf8(exportAs(QStringLiteral("sheet"), 2));
        QVERIFY(csv.isEmpty()); // "sheet" itself was not written ...
        QFile withSuffix(m_out.filePath(QStringLiteral("sheet.csv")));
        QVERIFY(withSuffix.open(QIODevice::ReadOnly)); // ... but sheet.csv was
        const QList<QStringList> rows =
            callstest::parseCsv(QString::fromUtf8(withSuffix.readAll()));
        QCOMPARE(rows.size(), shown.transcript.size() + 1);
        for (int i = 0; i < shown.transcript.size(); ++i)
            QCOMPARE(rows.at(i + 1).at(6), shown.transcript.at(i).text);
    }

    void failedExportShowsTheBanner()
    {
        const QString path = m_out.filePath(QStringLiteral("missing/folder/call.txt"));
        QVERIFY(!m_pane->exportTranscriptTo(path));
        QVERIFY(!QFile::exists(path));
        QVERIFY(m_pane->banner()->isVisible());
        QVERIFY2(m_pane->banner()->text().contains(QLatin1String("not saved")),
                 qPrintable(m_pane->banner()->text()));
        // Retry after the folder exists writes the file.
        QVERIFY(QDir(m_out.path()).mkpath(QStringLiteral("missing/folder")));
        auto *retry = m_pane->banner()->findChild<QPushButton *>();
        const auto buttons = m_pane->banner()->findChildren<QPushButton *>();
        for (QPushButton *b : buttons) {
            if (b->accessibleName() == QLatin1String("Retry"))
                retry = b;
        }
        QVERIFY(retry && retry->isVisible());
        QTest::mouseClick(retry, Qt::LeftButton);
        QVERIFY(QFile::exists(path));
        QVERIFY(!m_pane->banner()->isVisible());
    }

    void deleteAsksThenRemovesOnTheServer()
    {
        clearFilters();
        m_pane->tabs()->setCurrentIndex(0);
        const int before = history()->rowCount();
        m_pane->historyView()->setCurrentIndex(history()->index(3, 0));
        const QString callId = history()->callIdAt(3);
        const Call call = *ctx().cache->call(callId);

        // Cancel first: nothing happens.
        QString question;
        QString informative;
        whenModal<QMessageBox>(m_scope.get(), [&](QMessageBox *box) {
            question = box->text();
            informative = box->informativeText();
            QTest::mouseClick(box->button(QMessageBox::Cancel), Qt::LeftButton);
        });
        m_pane->historyView()->setFocus();
        m_pane->deleteAction()->trigger();
        QVERIFY2(question.contains(remote(call)), qPrintable(question));
        for (const char *word : {"recording", "transcript", "server", "everyone"})
            QVERIFY2(informative.contains(QLatin1String(word)), qPrintable(informative));
        QCOMPARE(history()->rowCount(), before);
        QVERIFY(await(ctx().platform->callDetails(callId)).ok());

        // Then delete.
        whenModal<QMessageBox>(m_scope.get(), [](QMessageBox *box) {
            for (QAbstractButton *b : box->buttons()) {
                if (box->buttonRole(b) == QMessageBox::DestructiveRole)
                    QTest::mouseClick(b, Qt::LeftButton);
            }
        });
        m_pane->deleteAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(history()->rowCount(), before - 1, 20000);
        QCOMPARE(history()->rowOf(callId), -1);
        QVERIFY(!ctx().cache->call(callId));
        const auto gone = await(ctx().platform->callDetails(callId));
        QVERIFY(!gone.ok());
        QCOMPARE(gone.error().kind, ApiError::Kind::NotFound);
        QCOMPARE(gone.error().httpStatus, 404);
    }

    void failedDeleteShowsBannerAndRetrySucceeds()
    {
        m_pane->tabs()->setCurrentIndex(0);
        const int before = history()->rowCount();
        m_pane->historyView()->setCurrentIndex(history()->index(5, 0));
        const QString callId = history()->callIdAt(5);
        const QJsonArray failNext{
            QJsonObject{{QStringLiteral("status"), 403},
                        {QStringLiteral("count"), 1},
                        {QStringLiteral("method"), QStringLiteral("DELETE")},
                        {QStringLiteral("path"), QString(QStringLiteral("/v1/calls/") + callId)},
                        {QStringLiteral("when"), QStringLiteral("before")}}};
        QCOMPARE(sb::test::postAdmin(m_fixture.sim().adminUrl(), QStringLiteral("/faults"),
                                     {{QStringLiteral("failNext"), failNext}}),
                 204);
        whenModal<QMessageBox>(m_scope.get(), [](QMessageBox *box) {
            for (QAbstractButton *b : box->buttons()) {
                if (box->buttonRole(b) == QMessageBox::DestructiveRole)
                    QTest::mouseClick(b, Qt::LeftButton);
            }
        });
        m_pane->historyView()->setFocus();
        m_pane->deleteAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(m_pane->banner()->isVisible(), 20000);
        QVERIFY2(m_pane->banner()->text().contains(QLatin1String("could not be deleted")),
                 qPrintable(m_pane->banner()->text()));
        ConsoleFixture::screenshot(m_pane.get(), QStringLiteral("calls-delete-failed"));
        QCOMPARE(history()->rowCount(), before);
        QVERIFY(await(ctx().platform->callDetails(callId)).ok());

        QPushButton *retry = nullptr;
        const auto buttons = m_pane->banner()->findChildren<QPushButton *>();
        for (QPushButton *b : buttons) {
            if (b->accessibleName() == QLatin1String("Retry"))
                retry = b;
        }
        QVERIFY(retry && retry->isVisible());
        QTest::mouseClick(retry, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(history()->rowCount(), before - 1, 20000);
        QCOMPARE(await(ctx().platform->callDetails(callId)).error().kind, ApiError::Kind::NotFound);
        QVERIFY(!m_pane->banner()->isVisible());
    }

    void failedOpenShowsBannerAndRetryOpens()
    {
        // A call whose transcript is not cached yet: opening it asks the server.
        QString callId;
        for (int row = 10; row < history()->rowCount() && callId.isEmpty(); ++row) {
            const QString id = history()->callIdAt(row);
            if (!ctx().cache->hasTranscript(id) &&
                ctx().cache->call(id)->status == CallStatus::Completed)
                callId = id;
        }
        QVERIFY(!callId.isEmpty());
        const QJsonArray failNext{
            QJsonObject{{QStringLiteral("status"), 403},
                        {QStringLiteral("method"), QStringLiteral("GET")},
                        {QStringLiteral("path"), QString(QStringLiteral("/v1/calls/") + callId)}}};
        QCOMPARE(sb::test::postAdmin(m_fixture.sim().adminUrl(), QStringLiteral("/faults"),
                                     {{QStringLiteral("failNext"), failNext}}),
                 204);
        m_pane->openCall(callId);
        QTRY_VERIFY_WITH_TIMEOUT(m_pane->banner()->isVisible(), 20000);
        QVERIFY2(m_pane->banner()->text().contains(QLatin1String("could not be opened")),
                 qPrintable(m_pane->banner()->text()));
        QVERIFY(!m_pane->detailsPanel()->hasDetails());
        for (QPushButton *b : m_pane->banner()->findChildren<QPushButton *>()) {
            if (b->accessibleName() == QLatin1String("Retry"))
                QTest::mouseClick(b, Qt::LeftButton);
        }
        QTRY_COMPARE_WITH_TIMEOUT(m_pane->detailsPanel()->callId(), callId, 20000);
    }

    void recordingDownloadsAndPlays()
    {
        const Call call = completedCall(2);
        QVERIFY(openRow(call.id));
        auto *player = m_pane->detailsPanel()->player();
        QCOMPARE(player->callId(), call.id);
        if (player->state() == sb::ui::RecordingPlayer::State::NotDownloaded)
            player->download();
        QTRY_VERIFY_WITH_TIMEOUT(!player->recordingFile().isEmpty(), 60000);
        QTRY_VERIFY(m_pane->exportRecordingAction()->isEnabled());
        player->play();
        QTRY_VERIFY_WITH_TIMEOUT(player->position() > 0, 20000);
        ConsoleFixture::screenshot(m_pane.get(), QStringLiteral("calls-playing"));
        player->pause();

        // Export the recording: a byte-for-byte copy of the downloaded file.
        const QString target = m_out.filePath(QStringLiteral("recording.wav"));
        whenModal<QFileDialog>(m_scope.get(),
                               [target](QFileDialog *dialog) { typeFileName(dialog, target); });
        m_pane->exportRecordingAction()->trigger();
        QFile source(player->recordingFile());
        QFile copy(target);
        QVERIFY(source.open(QIODevice::ReadOnly));
        QVERIFY(copy.open(QIODevice::ReadOnly));
        QCOMPARE(copy.size(), source.size());
        QVERIFY(copy.readAll() == source.readAll());
    }

    void deletingTheShownCallRemovesItsRecording()
    {
        auto *details = m_pane->detailsPanel();
        const QString callId = details->callId();
        const QString recording = details->player()->recordingFile();
        QVERIFY(!callId.isEmpty());
        QVERIFY(!recording.isEmpty());
        // Focus in the details: Delete acts on the shown call, not on the history's row.
        details->callView()->transcriptView()->listView()->setFocus();
        m_pane->historyView()->setCurrentIndex(history()->index(0, 0));
        QCOMPARE(m_pane->targetCallId(), callId);
        whenModal<QMessageBox>(m_scope.get(), [](QMessageBox *box) {
            for (QAbstractButton *b : box->buttons()) {
                if (box->buttonRole(b) == QMessageBox::DestructiveRole)
                    QTest::mouseClick(b, Qt::LeftButton);
            }
        });
        m_pane->deleteAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!details->hasDetails(), 20000);
        QVERIFY(!QFile::exists(recording));
        QVERIFY(!QFile::exists(recording + QStringLiteral(".peaks")));
        QCOMPARE(await(ctx().platform->callDetails(callId)).error().kind, ApiError::Kind::NotFound);
        QVERIFY(!m_pane->exportAction()->isEnabled());
    }

    void shortcutsMoveTheFocus()
    {
        QApplication::setActiveWindow(m_pane.get());
        QVERIFY(QTest::qWaitForWindowActive(m_pane.get()));
        const auto actions = m_pane->paneActions();
        for (QAction *a : actions) {
            QVERIFY(!a->shortcut().isEmpty());
            QVERIFY2(a->toolTip().contains(a->shortcut().toString(QKeySequence::NativeText)),
                     qPrintable(a->toolTip()));
            m_pane->addAction(a); // as the main window does
        }
        m_pane->historyView()->setFocus();
        QTest::keySequence(m_pane.get(), QKeySequence::Find);
        QTRY_COMPARE(QApplication::focusWidget(), m_pane->searchResults()->queryField());
        QTest::keySequence(m_pane.get(), QKeySequence(QStringLiteral("Ctrl+L")));
        QTRY_COMPARE(QApplication::focusWidget(), m_pane->filterBar()->textField());
        QCOMPARE(m_pane->tabs()->currentIndex(), 0);

        // Delete in the filter's text edits the text; on the history it asks to delete the call.
        bool asked = false;
        whenModal<QMessageBox>(m_scope.get(), [&asked](QMessageBox *box) {
            asked = true;
            QTest::mouseClick(box->button(QMessageBox::Cancel), Qt::LeftButton);
        });
        QLineEdit *text = m_pane->filterBar()->textField();
        text->setText(QStringLiteral("1234"));
        text->setCursorPosition(0);
        QTest::keyClick(text, Qt::Key_Delete); // a dialog would block here until cancelled
        QCOMPARE(text->text(), QStringLiteral("234"));
        QVERIFY(!asked);
        m_pane->filterBar()->clear();
        m_pane->historyView()->setCurrentIndex(history()->index(0, 0));
        m_pane->historyView()->setFocus();
        QTest::keyClick(m_pane->historyView(), Qt::Key_Delete);
        QVERIFY(asked);
    }

    void stateIsSavedAndRestored()
    {
        QHeaderView *header = m_pane->historyView()->horizontalHeader();
        header->resizeSection(CallHistoryModel::Number, 211);
        auto *splitter = m_pane->splitter();
        splitter->setSizes({900, 500});
        const QList<int> sizes = splitter->sizes();
        const QByteArray state = m_pane->saveState();
        QVERIFY(!state.isEmpty());

        CallsPane other(ctx(), nullptr);
        other.resize(m_pane->size());
        other.restoreState(state); // before the first activation, as the window does
        other.show();
        QVERIFY(QTest::qWaitForWindowExposed(&other));
        other.activated();
        QCOMPARE(other.historyView()->horizontalHeader()->sectionSize(CallHistoryModel::Number),
                 211);
        // The details hold different content in the two panes (a call, nothing), so their
        // minimum widths differ: the divider comes back to within a few percent.
        const QList<int> restored = other.splitter()->sizes();
        QCOMPARE(restored.size(), 2);
        QVERIFY2(qAbs(restored.at(0) - sizes.at(0)) <= (sizes.at(0) + sizes.at(1)) / 20,
                 qPrintable(QStringLiteral("%1 vs %2").arg(restored.at(0)).arg(sizes.at(0))));
        other.restoreState("garbage"); // ignored, no crash
    }

    void offlineIsShownAndTheCacheStillServes()
    {
        // Last: the simulator goes away for good.
        ctx().cache->flush();
        const int rows = int(ctx().cache->callCount());
        QTRY_COMPARE(history()->rowCount(), rows);
        m_fixture.sim().stop();
        ctx().sync->syncNow();
        QTRY_COMPARE_WITH_TIMEOUT(ctx().sync->state(), SyncService::State::Offline, 60000);
        QTRY_VERIFY(m_pane->stalenessLabel()->text().startsWith(QLatin1String("Offline")));
        QVERIFY(m_pane->stalenessLabel()->font().bold());
        QCOMPARE(history()->rowCount(), rows);
        // A call with a cached transcript still opens.
        const QString cached = m_pane->searchResults()
                                   ->view()
                                   ->model()
                                   ->index(0, 0)
                                   .data(sb::models::SearchModel::IdRole)
                                   .toString();
        if (!cached.isEmpty() && ctx().cache->hasTranscript(cached)) {
            m_pane->openCall(cached);
            QTRY_COMPARE(m_pane->detailsPanel()->callId(), cached);
        }
        ConsoleFixture::screenshot(m_pane.get(), QStringLiteral("calls-offline"));
    }
};

QTEST_MAIN(TestCallsPane)
#include "tst_callspane.moc"
