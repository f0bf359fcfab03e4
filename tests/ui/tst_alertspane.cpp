// The Alerts pane against the simulator's live calls: rules edited in the pane (inline
// validation, Apply/Revert) are saved to the settings file and change what the service raises;
// a keyword said in the live dialogue shows up in the log; acknowledging records who and when
// (in the log and the cache); the log filters; opening an alert's call asks the navigator.

#include "consolefixture.h"

#include "models/alertlogmodel.h"
#include "models/alertservice.h"
#include "models/callcache.h"
#include "models/settings.h"
#include "ui/alertruleseditor.h"
#include "ui/alertspane.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>

using sb::models::AlertLogModel;
using sb::models::AlertRules;
using sb::models::Settings;
using sb::ui::AlertRulesEditor;
using sb::ui::AlertsPane;

class TestAlertsPane : public QObject
{
    Q_OBJECT

private:
    ConsoleFixture f;
    std::unique_ptr<AlertsPane> pane;

    AlertRulesEditor *editor() const { return pane->rulesEditor(); }
    QString iniPath() const { return f.dataPath(QStringLiteral("s.ini")); }

    //! Types \a keyword into the editor's input and presses Enter.
    void typeKeyword(const QString &keyword)
    {
        QLineEdit *input = editor()->keywordInput();
        input->clear();
        input->setFocus();
        QTest::keyClicks(input, keyword);
        QTest::keyClick(input, Qt::Key_Return);
    }
    void clearKeywords()
    {
        QListWidget *list = editor()->keywordList();
        list->selectAll();
        const QList<QPushButton *> remove = editor()->findChildren<QPushButton *>();
        for (QPushButton *b : remove) {
            if (b->accessibleName() == QLatin1String("Remove selected keywords"))
                QTest::mouseClick(b, Qt::LeftButton);
        }
    }
    QStringList listed() const
    {
        QStringList out;
        for (int i = 0; i < editor()->keywordList()->count(); ++i)
            out.append(editor()->keywordList()->item(i)->text());
        return out;
    }
    //! Selects proxy row \a row with a click.
    void clickRow(int row)
    {
        QTableView *view = pane->view();
        const QModelIndex index = view->model()->index(row, AlertLogModel::Rule);
        view->scrollTo(index);
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(index).center());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(f.start({QStringLiteral("--history-calls"), QStringLiteral("10"),
                          QStringLiteral("--live-calls"), QStringLiteral("4"),
                          QStringLiteral("--speed"), QStringLiteral("4")}),
                 qPrintable(f.errorString()));
        pane = std::make_unique<AlertsPane>(f.context());
        pane->resize(1200, 640);
        pane->show();
        QVERIFY(QTest::qWaitForWindowExposed(pane.get()));
        pane->activated();
        new QAbstractItemModelTester(pane->proxy(),
                                     QAbstractItemModelTester::FailureReportingMode::QtTest, this);
        QCOMPARE(listed(), AlertRules::defaultKeywords()); // the saved (default) rules
        QVERIFY(!editor()->applyButton()->isEnabled());
        QVERIFY(!pane->hasUnsavedChanges());
    }

    void actionsShowShortcuts()
    {
        for (QAction *a : pane->paneActions()) {
            QVERIFY2(!a->shortcut().isEmpty(), qPrintable(a->text()));
            QVERIFY(a->toolTip().contains(a->shortcut().toString(QKeySequence::NativeText)));
        }
    }

    void keywordValidationIsInline()
    {
        const QStringList before = listed();
        typeKeyword(QString());
        QVERIFY(editor()->errorText().contains(QLatin1String("empty")));
        typeKeyword(QStringLiteral("   "));
        QVERIFY(editor()->errorText().contains(QLatin1String("empty")));
        typeKeyword(QStringLiteral("MANAGER"));
        QVERIFY(editor()->errorText().contains(QLatin1String("already")));
        typeKeyword(QStringLiteral("?!"));
        QVERIFY(editor()->errorText().contains(QLatin1String("no letters")));
        QCOMPARE(listed(), before); // nothing refused was added
        QCOMPARE(editor()->keywordInput()->text(), QStringLiteral("?!")); // nor lost

        // Editing an item to nothing restores its word.
        QListWidgetItem *item = editor()->keywordList()->item(0);
        item->setText(QString());
        QCOMPARE(item->text(), before.first());
        QVERIFY(!editor()->errorText().isEmpty());
        QVERIFY(!pane->hasUnsavedChanges());
        ConsoleFixture::screenshot(pane.get(), QStringLiteral("alerts-validation"));
    }

    void revertDiscardsEdits()
    {
        editor()->silenceSecondsBox()->setValue(99);
        QVERIFY(pane->hasUnsavedChanges());
        QVERIFY(editor()->applyButton()->isEnabled());
        QTest::mouseClick(editor()->revertButton(), Qt::LeftButton);
        QCOMPARE(editor()->silenceSecondsBox()->value(), AlertRules().silenceSeconds);
        QVERIFY(!pane->hasUnsavedChanges());
        QCOMPARE(Settings(iniPath()).alertRules(), AlertRules());
    }

    void keywordInLiveDialogueRaisesAlert()
    {
        // Only the keyword rule, with a word almost every simulated call says early on.
        editor()->negativeSecondsBox()->setValue(0);
        editor()->silenceSecondsBox()->setValue(0);
        for (QCheckBox *box : editor()->findChildren<QCheckBox *>()) {
            if (box->text().contains(QLatin1String("tool")) ||
                box->text().contains(QLatin1String("trans")))
                box->setChecked(false);
        }
        clearKeywords();
        QVERIFY(listed().isEmpty());
        typeKeyword(QStringLiteral("hi"));
        QCOMPARE(listed(), QStringList{QStringLiteral("hi")});
        QVERIFY(editor()->errorText().isEmpty());
        QVERIFY(pane->hasUnsavedChanges());
        QSignalSpy titleChanged(pane.get(), &sb::ui::Pane::titleChanged);
        QTest::mouseClick(editor()->applyButton(), Qt::LeftButton);
        QVERIFY(!pane->hasUnsavedChanges());
        QVERIFY(titleChanged.count() > 0);

        const Settings fresh(iniPath());
        const AlertRules saved = fresh.alertRules();
        QCOMPARE(saved.keywords, QStringList{QStringLiteral("hi")});
        QCOMPARE(saved.negativeSentimentSeconds, 0);
        QCOMPARE(saved.silenceSeconds, 0);
        QVERIFY(!saved.toolErrors);
        QVERIFY(!saved.transfers);
        QCOMPARE(f.context().alerts->rules(), saved);

        QTRY_VERIFY_WITH_TIMEOUT(pane->proxy()->rowCount() > 0, 90000);
        const QModelIndex first = pane->proxy()->index(0, AlertLogModel::Rule);
        QCOMPARE(first.data().toString(), QStringLiteral("Keyword"));
        QVERIFY(pane->proxy()
                    ->index(0, AlertLogModel::Detail)
                    .data()
                    .toString()
                    .contains(QLatin1String("hi"), Qt::CaseInsensitive));
        QVERIFY(pane->proxy()
                    ->index(0, AlertLogModel::Call)
                    .data()
                    .toString()
                    .startsWith(QLatin1String("call_")));
        QVERIFY(pane->summaryLabel()->text().contains(QLatin1String("unacknowledged")));
        ConsoleFixture::screenshot(pane.get(), QStringLiteral("alerts-log"));
    }

    void acknowledgeRecordsWhoAndWhen()
    {
        QVERIFY(pane->proxy()->rowCount() > 0);
        QVERIFY(!pane->acknowledgeAction()->isEnabled()); // nothing selected yet
        const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-1);
        clickRow(0);
        const qint64 id = pane->view()->currentIndex().data(AlertLogModel::IdRole).toLongLong();
        QVERIFY(id > 0);
        QVERIFY(pane->acknowledgeAction()->isEnabled());
        // By its shortcut, as a supervisor would.
        pane->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(pane.get()));
        pane->view()->setFocus();
        QTest::keyClick(pane->view(), Qt::Key_A, Qt::ControlModifier | Qt::ShiftModifier);

        const int row = f.context().alertLog->rowOf(id);
        const sb::models::Alert a = f.context().alertLog->alertAt(row);
        QCOMPARE(a.acknowledgedBy, QStringLiteral("tester"));
        QVERIFY(a.acknowledgedAt >= before);
        QVERIFY(a.acknowledgedAt <= QDateTime::currentDateTimeUtc());
        const QModelIndex shown = f.context().alertLog->index(row, AlertLogModel::Acknowledged);
        QVERIFY(shown.data().toString().startsWith(QLatin1String("tester at ")));
        QVERIFY(!pane->acknowledgeAction()->isEnabled()); // done already

        // The service writes alerts to the cache; the acknowledgement follows.
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const QList<sb::models::AlertRecord> stored = f.context().cache->alerts();
                for (const auto &r : stored) {
                    if (r.callId == a.callId && r.rule == a.rule && r.detail == a.detail)
                        return r.acknowledgedBy == QLatin1String("tester") &&
                               r.acknowledgedAt.isValid();
                }
                return false;
            }(),
            15000);

        // "Unacknowledged only" hides it.
        pane->unacknowledgedOnlyBox()->setChecked(true);
        for (int r = 0; r < pane->proxy()->rowCount(); ++r)
            QVERIFY(pane->proxy()->index(r, 0).data(AlertLogModel::IdRole).toLongLong() != id);
        pane->unacknowledgedOnlyBox()->setChecked(false);
    }

    void filtersNarrowTheLog()
    {
        QVERIFY(pane->proxy()->rowCount() > 0);
        pane->findAction()->trigger();
        QTest::keyClicks(pane->filterEdit(), QStringLiteral("no-such-call-xyz"));
        QCOMPARE(pane->proxy()->rowCount(), 0);
        pane->filterEdit()->clear();
        QVERIFY(pane->proxy()->rowCount() > 0);
        pane->severityBox()->setCurrentIndex(2); // critical only: keyword alerts are warnings
        QCOMPARE(pane->proxy()->rowCount(), 0);
        pane->severityBox()->setCurrentIndex(1);
        QVERIFY(pane->proxy()->rowCount() > 0);
        pane->severityBox()->setCurrentIndex(0);
    }

    void openCallAsksTheNavigator()
    {
        QSignalSpy live(f.context().navigator, &sb::ui::Navigator::showLiveCall);
        QSignalSpy history(f.context().navigator, &sb::ui::Navigator::showHistoryCall);
        clickRow(0);
        const QString callId =
            pane->view()->currentIndex().data(AlertLogModel::CallIdRole).toString();
        pane->openCallAction()->trigger();
        QCOMPARE(live.count() + history.count(), 1);
        const QList<QVariant> args = live.isEmpty() ? history.constFirst() : live.constFirst();
        QCOMPARE(args.constFirst().toString(), callId);
    }

    void editedRulesChangeWhatFires()
    {
        clearKeywords();
        typeKeyword(QStringLiteral("this is"));
        QTest::mouseClick(editor()->applyButton(), Qt::LeftButton);
        QCOMPARE(Settings(iniPath()).alertRules().keywords, QStringList{QStringLiteral("this is")});
        // Alerts raised from here on were judged by the new rules.
        const qint64 lastBefore = f.context().alerts->alerts().isEmpty()
                                      ? 0
                                      : f.context().alerts->alerts().constLast().id;

        // New alerts come from the new phrase only ("hi" no longer fires).
        const auto newAlerts = [&] {
            QList<sb::models::Alert> out;
            for (const auto &a : f.context().alerts->alerts()) {
                if (a.id > lastBefore)
                    out.append(a);
            }
            return out;
        };
        QTRY_VERIFY_WITH_TIMEOUT(!newAlerts().isEmpty(), 90000);
        for (const auto &a : newAlerts()) {
            QCOMPARE(a.rule, sb::models::AlertRule::keyword());
            QVERIFY2(
                a.detail.startsWith(QStringLiteral("\u201cthis is\u201d"), Qt::CaseInsensitive),
                qPrintable(a.detail));
        }
    }

    void notificationsToggleIsSaved()
    {
        QCheckBox *notify = nullptr;
        for (QCheckBox *box : editor()->findChildren<QCheckBox *>()) {
            if (box->accessibleName() == QLatin1String("Desktop notifications for new alerts"))
                notify = box;
        }
        QVERIFY(notify);
        QVERIFY(notify->isChecked()); // on by default
        QTest::mouseClick(notify, Qt::LeftButton);
        QVERIFY(pane->hasUnsavedChanges());
        pane->applyRulesAction()->trigger();
        QVERIFY(!pane->hasUnsavedChanges());
        QVERIFY(!Settings(iniPath()).alertNotifications());
        ConsoleFixture::screenshot(pane.get(), QStringLiteral("alerts-final"));
    }
};

QTEST_MAIN(TestAlertsPane)
#include "tst_alertspane.moc"
