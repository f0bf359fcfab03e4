// The console on a SpeakNode profile, against the simulator's SpeakNode face over real sockets,
// signed in through the simulator's OAuth realm: agents read-only with the reason, the panes
// SpeakNode lacks disabled in the rail with the reason, a call placed by dispatch and followed
// live (hub + polling) to its end with estimated sentiment, and the sign-in dialog's two ways in.

#include "consolefixture.h"
#include "livetesthelpers.h"
#include "testsupport.h"

#include "api/platform.h"
#include "api/session.h"
#include "api/tokenmanager.h"
#include "models/callhistorymodel.h"
#include "models/collectionmodel.h"
#include "models/contactmodel.h"
#include "models/livecallsmodel.h"
#include "models/phonenumbermodel.h"
#include "models/toolcallsmodel.h"
#include "models/transcriptmodel.h"
#include "ui/agenteditor.h"
#include "ui/agenteditorfields.h"
#include "ui/agentspane.h"
#include "ui/browsersignin.h"
#include "ui/callspane.h"
#include "ui/callview.h"
#include "ui/livepane.h"
#include "ui/mainwindow.h"
#include "ui/pane.h"
#include "ui/panes.h"
#include "ui/placecalldialog.h"
#include "ui/profiledialog.h"
#include "ui/sentimentchart.h"
#include "ui/speaknodesignindialog.h"
#include "ui/transcriptfeedmodel.h"
#include "ui/transcriptview.h"

#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableWidget>
#include <QUuid>
#include <QtTest>

using sb::api::Platform;
using sb::models::PagedListModel;

class TestSpeakNodeConsole : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_f.startSpeakNode({QStringLiteral("--history-calls"), QStringLiteral("30"),
                                     QStringLiteral("--speed"), QStringLiteral("4")}),
                 qPrintable(m_f.errorString()));
        QVERIFY(m_f.waitForAgents());
        QCOMPARE(m_f.context().platform->kind(), sb::api::PlatformKind::SpeakNode);
        QTRY_COMPARE_WITH_TIMEOUT(m_f.context().numbers->state(), PagedListModel::State::Loaded,
                                  20000);
    }

    void signedInThroughTheRealm()
    {
        // The token came from the PKCE sign-in, and the Session sends it.
        sb::api::TokenManager *tokens = m_f.connector()->tokens();
        QVERIFY(tokens->hasAccessToken());
        QVERIFY(tokens->hasRefreshToken());
        QVERIFY(!tokens->isPasted());
        QVERIFY(m_f.context().session->tokenSource() == tokens);
        QVERIFY(m_f.context().agents->rowCount() > 0);
    }

    void agentsAreReadOnlyWithTheReason()
    {
        sb::ui::AgentsPane pane(m_f.context());
        pane.resize(1100, 700);
        pane.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pane));
        pane.activated();
        QTRY_VERIFY_WITH_TIMEOUT(pane.editor()->isEnabled() && !pane.currentAgentId().isEmpty(),
                                 20000);
        const QString reason =
            m_f.context().platform->unsupportedReason(Platform::Capability::AgentsWritable);
        QVERIFY(reason.contains(QStringLiteral("SpeakNode")));
        QVERIFY(pane.editor()->isReadOnly());
        auto *why = pane.editor()->findChild<QLabel *>(QStringLiteral("readOnlyReason"));
        QVERIFY(why && why->isVisible());
        QCOMPARE(why->text(), reason);
        // The agent's own data is shown (from GET /agents/{id}), not an empty form.
        auto *name =
            qobject_cast<QLineEdit *>(pane.editor()->input(sb::ui::agentfields::Field::Name));
        QVERIFY(name && !name->text().isEmpty());
        QVERIFY(name->isReadOnly());
        QVERIFY(!pane.saveAction()->isEnabled());
        QVERIFY(!pane.newAction()->isEnabled());
        QVERIFY(!pane.duplicateAction()->isEnabled());
        QVERIFY(!pane.deleteAction()->isEnabled());
        QVERIFY(!pane.hasUnsavedChanges());
        // Nothing can be fixed here, so no tab is marked as having a problem.
        auto *tabs = pane.editor()->findChild<QTabWidget *>();
        QVERIFY(tabs);
        for (int i = 0; i < tabs->count(); ++i)
            QVERIFY2(tabs->tabIcon(i).isNull(), qPrintable(tabs->tabText(i)));
        ConsoleFixture::screenshot(&pane, QStringLiteral("speaknode-agents"));
    }

    void missingPanesAreDisabledWithTheReason()
    {
        sb::ui::MainWindow window;
        const QList<sb::ui::Pane *> panes = sb::ui::createPanes(m_f.context(), &window);
        window.attach(m_f.context(), QStringLiteral("test-speaknode"), panes);
        window.resize(1200, 760);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto *rail = window.findChild<QListWidget *>(QStringLiteral("navigationRail"));
        QVERIFY(rail);
        int disabled = 0;
        for (int i = 0; i < panes.size(); ++i) {
            const QString id = panes.at(i)->paneId();
            const bool lacking =
                id == QLatin1String("contacts") || id == QLatin1String("knowledge");
            QListWidgetItem *item = rail->item(i);
            QCOMPARE(bool(item->flags() & Qt::ItemIsEnabled), !lacking);
            if (!lacking)
                continue;
            ++disabled;
            const QString reason = panes.at(i)->unavailableReason();
            QVERIFY(reason.contains(QStringLiteral("SpeakNode")));
            QCOMPARE(item->toolTip(), reason);
            // Asked to show it anyway (a shortcut, a saved pane): it stays where it is.
            QVERIFY(!window.showPane(id));
            QVERIFY(window.currentPane()->paneId() != id);
        }
        QCOMPARE(disabled, 2);
        // Nothing was asked of the server for what SpeakNode lacks.
        QCOMPARE(m_f.context().contacts->state(), PagedListModel::State::Idle);
        QCOMPARE(m_f.context().collections->state(), PagedListModel::State::Idle);
        QVERIFY(window.showPane(QStringLiteral("calls")));
        // The status bar says how live updates arrive on this platform.
        auto *connection = window.findChild<QLabel *>(QStringLiteral("connectionStatus"));
        QTRY_VERIFY_WITH_TIMEOUT(connection->text().contains(QStringLiteral("polled")), 15000);
        ConsoleFixture::screenshot(&window, QStringLiteral("speaknode-window"));
    }

    void placedByDispatchAndFollowedLive()
    {
        QVERIFY(m_f.context().platform->can(Platform::Capability::CallPlacement));
        sb::ui::LivePane pane(m_f.context());
        pane.resize(1200, 760);
        pane.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pane));
        pane.activated();

        sb::ui::PlaceCallDialog dialog(m_f.context());
        dialog.show();
        QSignalSpy live(m_f.context().navigator, &sb::ui::Navigator::showLiveCall);
        auto *agent = dialog.findChild<QComboBox *>(QStringLiteral("agent"));
        QVERIFY(agent && agent->count() > 0);
        agent->setCurrentIndex(0);
        auto *from = dialog.findChild<QComboBox *>(QStringLiteral("from"));
        QVERIFY(from && from->count() > 0);
        QTest::keyClicks(dialog.findChild<QLineEdit *>(QStringLiteral("to")),
                         QStringLiteral("+1 415 555 0142"));
        QTest::mouseClick(dialog.findChild<QPushButton *>(QStringLiteral("addRow")),
                          Qt::LeftButton);
        auto *table = dialog.findChild<QTableWidget *>(QStringLiteral("metadata"));
        table->item(0, 0)->setText(QStringLiteral("sim_outcome"));
        table->item(0, 1)->setText(QStringLiteral("answered"));
        auto *place = dialog.findChild<QPushButton *>(QStringLiteral("place"));
        QVERIFY2(place->isEnabled(), qPrintable(dialog.blockingReason()));
        QTest::mouseClick(place, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(live.count(), 1, 20000);
        const QString id = live.at(0).at(0).toString();
        QVERIFY2(QUuid::fromString(id).isNull() == false, qPrintable(id)); // a SpeakNode UUID

        // The Live pane follows it: hub updates for the status, polling for the transcript.
        sb::ui::CallView *view = pane.callView();
        QSignalSpy ended(view, &sb::ui::CallView::callEnded);
        QTRY_COMPARE_WITH_TIMEOUT(view->callId(), id, 15000);
        // The stream polls the call the person watches ahead of the others.
        QCOMPARE(m_f.context().stream->watchedCall(), id);
        // Out of sight (another pane in front), it is not watched; back on screen, it is.
        pane.hide();
        QVERIFY(m_f.context().stream->watchedCall().isEmpty());
        pane.show();
        QCOMPARE(m_f.context().stream->watchedCall(), id);
        QTRY_VERIFY_WITH_TIMEOUT(view->call().status == sb::api::CallStatus::InProgress, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(view->transcriptModel()->rowCount() >= 2, 60000);
        auto *chart = view->findChild<sb::ui::SentimentChart *>();
        QVERIFY(chart && chart->isEstimated());
        ConsoleFixture::screenshot(&pane, QStringLiteral("speaknode-live"));
        QTRY_VERIFY_WITH_TIMEOUT(ended.count() == 1, 120000);
        QCOMPARE(view->call().status, sb::api::CallStatus::Completed);

        // What was shown is what the server has: every line of the final REST transcript.
        const auto details = sb::test::awaitReply(m_f.context().platform->callDetails(id));
        QVERIFY(details && details->ok());
        const auto &lines = details->value().transcript;
        QVERIFY(!lines.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(view->transcriptModel()->rowCount() >= lines.size(), 15000);
        // Estimated locally (how many points depends on the words the simulator picked).
        QVERIFY(details->value().call.sentiment != sb::api::Sentiment::None);
        const QString header =
            m_f.context()
                .liveCalls->headerData(sb::models::LiveCallsModel::Sentiment, Qt::Horizontal)
                .toString();
        QVERIFY2(header.contains(QStringLiteral("est")), qPrintable(header));
        // Another view takes over (a finished call's details): nobody watches it any more.
        view->clear();
        QVERIFY(m_f.context().stream->watchedCall().isEmpty());
    }

    void historyRowsInViewGetAnEstimatedSentiment()
    {
        // SpeakNode's conversation list has no sentiment: the Calls pane asks for the details of
        // the finished calls in view, and their rows show the local estimate without anyone
        // opening them.
        sb::ui::CallsPane pane(m_f.context());
        pane.resize(1400, 800);
        pane.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pane));
        pane.activated();
        sb::models::CallHistoryModel *history = pane.historyModel();
        QVERIFY(history);
        QTRY_VERIFY_WITH_TIMEOUT(history->rowCount() >= 10, 30000);
        using Model = sb::models::CallHistoryModel;
        const auto rated = [history] {
            int n = 0;
            for (int row = 0; row < 10; ++row) {
                const QModelIndex sentiment = history->index(row, Model::Sentiment);
                if (sentiment.data(Model::SortRole).toInt() != 0 &&
                    history->index(row, 0).data(Model::HasDetailsRole).toBool())
                    ++n;
            }
            return n;
        };
        QTRY_VERIFY_WITH_TIMEOUT(rated() >= 3, 60000);
        QVERIFY(pane.findChild<sb::ui::CallView *>()->callId().isEmpty()); // nothing was opened
        const QString header = history->headerData(Model::Sentiment, Qt::Horizontal).toString();
        QVERIFY2(header.contains(QStringLiteral("est")), qPrintable(header));
        ConsoleFixture::screenshot(&pane, QStringLiteral("speaknode-calls"));
    }

    void historyShowsToolCallsHandoffsAndInterruptions()
    {
        // A finished SpeakNode call from the history: its tool calls, handoff and interrupted
        // lines appear in the transcript the way Talknex's do.
        sb::api::CallFilter filter;
        filter.status = sb::api::CallStatus::Completed;
        auto pager = m_f.context().platform->calls(filter, 50);
        const auto page = sb::test::awaitReply(pager.fetchNext());
        QVERIFY(page && page->ok());
        sb::api::CallDetails found;
        for (const sb::api::Call &call : page->value().items) {
            const auto details = sb::test::awaitReply(m_f.context().platform->callDetails(call.id));
            QVERIFY(details && details->ok());
            const auto &lines = details->value().transcript;
            const bool interrupted = std::any_of(lines.cbegin(), lines.cend(),
                                                 [](const auto &l) { return l.interrupted; });
            if (interrupted && !details->value().toolCalls.isEmpty()) {
                found = details->value();
                break;
            }
        }
        QVERIFY2(!found.call.id.isEmpty(),
                 "no completed call with a tool call and an interruption");
        sb::ui::CallView view(m_f.context());
        view.resize(900, 700);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.showDetails(found);
        QCOMPARE(view.toolCallsModel()->rowCount(), found.toolCalls.size());
        auto *feed = view.findChild<sb::ui::TranscriptView *>()->feed();
        int cutOff = 0;
        int tools = 0;
        for (int row = 0; row < feed->rowCount(); ++row) {
            const QString text = feed->index(row, 0).data(Qt::AccessibleTextRole).toString();
            cutOff += text.endsWith(QStringLiteral("(cut off)")) ? 1 : 0;
            tools += text.startsWith(QStringLiteral("Tool call")) ? 1 : 0;
        }
        QVERIFY(cutOff >= 1);
        QCOMPARE(tools, found.toolCalls.size());
        ConsoleFixture::screenshot(&view, QStringLiteral("speaknode-history-call"));
    }

    void profileDialogAsksForTheRealm()
    {
        sb::models::Settings settings(m_f.dataPath(QStringLiteral("profiles.ini")));
        sb::models::ProfileStore store(&settings);
        sb::ui::ProfileDialog dialog(&store, nullptr);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto *platform = dialog.findChild<QComboBox *>(QStringLiteral("platformField"));
        auto *url = dialog.findChild<QLineEdit *>(QStringLiteral("urlField"));
        auto *issuer = dialog.findChild<QLineEdit *>(QStringLiteral("issuerField"));
        auto *clientId = dialog.findChild<QLineEdit *>(QStringLiteral("clientIdField"));
        auto *key = dialog.findChild<QWidget *>(QStringLiteral("keyField"));
        QVERIFY(platform && url && issuer && clientId && key);
        QVERIFY(key->isVisible());
        QVERIFY(!issuer->isVisible());
        platform->setCurrentIndex(platform->findData(QStringLiteral("speaknode")));
        // SpeakNode signs in with the browser: realm and client id instead of a key.
        QVERIFY(issuer->isVisible() && clientId->isVisible());
        QVERIFY(!key->isVisible());
        QCOMPARE(url->text(), QStringLiteral("https://api.speaknode.com/api/v1"));
        QCOMPARE(issuer->text(), sb::models::ProfileStore::defaultSpeakNodeIssuer().toString());
        dialog.findChild<QLineEdit *>(QStringLiteral("nameField"))
            ->setText(QStringLiteral("SpeakNode here"));
        url->setText(m_f.sim().speakNodeBaseUrl().toString());

        // A realm that is not one: the test says so.
        QSignalSpy tested(&dialog, &sb::ui::ProfileDialog::connectionTested);
        issuer->setText(m_f.sim().speakNodeBaseUrl().toString());
        dialog.testConnection();
        QTRY_COMPARE_WITH_TIMEOUT(tested.count(), 1, 15000);
        QCOMPARE(tested.at(0).at(0).toBool(), false);
        issuer->setText(m_f.sim().speakNodeIssuer().toString());
        dialog.testConnection();
        QTRY_COMPARE_WITH_TIMEOUT(tested.count(), 2, 15000);
        QVERIFY2(tested.at(1).at(0).toBool(), qPrintable(tested.at(1).at(1).toString()));
        ConsoleFixture::screenshot(&dialog, QStringLiteral("speaknode-profile"));

        QSignalSpy saved(&dialog, &sb::ui::ProfileDialog::profileSaved);
        QTest::mouseClick(dialog.findChild<QPushButton *>(QStringLiteral("saveButton")),
                          Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 5000);
        const sb::models::Profile p = dialog.profile();
        QCOMPARE(p.platform, QStringLiteral("speaknode"));
        QCOMPARE(p.issuerUrl, m_f.sim().speakNodeIssuer());
        QCOMPARE(p.clientId, m_f.sim().speakNodeClientId());
        // Read back as the next run would.
        sb::models::ProfileStore again(&settings);
        QCOMPARE(again.profile(p.id), p);
    }

    void signInDialogTakesAPastedToken()
    {
        sb::models::Profile profile;
        profile.id = QStringLiteral("paste");
        profile.name = QStringLiteral("Pasted");
        profile.platform = QStringLiteral("speaknode");
        profile.baseUrl = m_f.sim().speakNodeBaseUrl();
        profile.issuerUrl = m_f.sim().speakNodeIssuer();
        profile.clientId = m_f.sim().speakNodeClientId();
        QNetworkAccessManager nam;
        sb::ui::SpeakNodeSignInDialog dialog(profile, &nam);
        dialog.setReason(QStringLiteral("Your sign-in expired."));
        dialog.show();
        QSignalSpy pasted(&dialog, &sb::ui::SpeakNodeSignInDialog::accessTokenPasted);
        auto *field = dialog.findChild<QWidget *>(QStringLiteral("tokenField"));
        auto *edit = field->findChild<QLineEdit *>();
        auto *use = dialog.findChild<QPushButton *>(QStringLiteral("useTokenButton"));
        auto *status = dialog.findChild<QLabel *>(QStringLiteral("tokenStatus"));

        QTest::mouseClick(use, Qt::LeftButton); // nothing pasted yet
        QVERIFY(!status->text().isEmpty());
        QTest::keyClicks(edit, QStringLiteral("not-a-token"));
        QTest::mouseClick(use, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(use->isEnabled(), 15000);
        QVERIFY2(status->text().contains(QStringLiteral("rejected"), Qt::CaseInsensitive),
                 qPrintable(status->text()));
        QCOMPARE(pasted.count(), 0);
        QVERIFY(dialog.isVisible());

        edit->clear();
        QTest::keyClicks(edit, m_f.sim().speakNodeToken());
        QTest::mouseClick(use, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(pasted.count(), 1, 15000);
        QCOMPARE(pasted.at(0).at(0).toString(), m_f.sim().speakNodeToken());
        QVERIFY(!dialog.isVisible());
    }

    void signInDialogThroughTheBrowser()
    {
        sb::models::Profile profile;
        profile.id = QStringLiteral("browser");
        profile.name = QStringLiteral("Browser");
        profile.platform = QStringLiteral("speaknode");
        profile.baseUrl = m_f.sim().speakNodeBaseUrl();
        profile.issuerUrl = m_f.sim().speakNodeIssuer();
        profile.clientId = m_f.sim().speakNodeClientId();
        QNetworkAccessManager nam;
        QNetworkAccessManager browser; // plays the person's browser
        sb::ui::SpeakNodeSignInDialog dialog(profile, &nam);
        QUrl opened;
        dialog.browserSignIn()->setBrowserOpener([&browser, &opened](const QUrl &url) {
            opened = url;
            QNetworkReply *reply = browser.get(QNetworkRequest(url));
            QObject::connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
            return true;
        });
        dialog.show();
        QSignalSpy signedIn(&dialog, &sb::ui::SpeakNodeSignInDialog::signedIn);
        QTest::mouseClick(dialog.findChild<QPushButton *>(QStringLiteral("browserSignInButton")),
                          Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(signedIn.count(), 1, 20000);
        // The browser was sent to the realm with PKCE and a loopback redirect.
        const QUrlQuery query(opened);
        QCOMPARE(query.queryItemValue(QStringLiteral("code_challenge_method")),
                 QStringLiteral("S256"));
        QVERIFY(query.queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded)
                    .startsWith(QStringLiteral("http://127.0.0.1:")));
        const auto tokens = signedIn.at(0).at(0).value<sb::api::TokenSet>();
        QVERIFY(!tokens.accessToken.isEmpty());
        QVERIFY(!tokens.refreshToken.isEmpty());
        QVERIFY(!dialog.isVisible());
    }

private:
    ConsoleFixture m_f;
};

QTEST_MAIN(TestSpeakNodeConsole)
#include "tst_speaknodeconsole.moc"
