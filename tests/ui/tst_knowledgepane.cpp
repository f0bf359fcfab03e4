// The Knowledge pane against the simulator: create a collection, upload by the file action
// and by drag and drop (progress seen, document ready on the server), refuse a file over the
// limit or of a foreign type before any request, cancel an upload midway (nothing on the
// server), submit text chunks, delete after confirmation, poll while processing, retry.

#include "consolefixture.h"
#include "knowledgetesthelpers.h"

#include "models/collectionmodel.h"
#include "models/documentmodel.h"
#include "testsupport.h"
#include "ui/knowledgepane.h"
#include "ui/messagebanner.h"
#include "ui/statuscolors.h"
#include "ui/textchunkdialog.h"
#include "ui/uploadqueue.h"

#include <QAbstractItemModelTester>
#include <QDialogButtonBox>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QUrl>

using namespace knowledgetest;
using sb::api::Document;
using sb::api::DocumentStatus;
using sb::models::DocumentModel;
using sb::ui::KnowledgePane;
using sb::ui::UploadQueue;

class TestKnowledgePane : public QObject
{
    Q_OBJECT

private:
    ConsoleFixture f;
    std::unique_ptr<KnowledgePane> pane;
    QString collectionId;

    sb::api::Platform *platform() const { return f.context().platform; }
    int modelRowOf(const QString &title) const
    {
        const DocumentModel *m = pane->documentModel();
        for (int row = 0; row < m->rowCount(); ++row) {
            if (m->documentAt(row).title == title)
                return row;
        }
        return -1;
    }
    QString file(const QString &name, qint64 bytes)
    {
        const QString path = f.dataPath(name);
        return writeFile(path, bytes) ? path : QString();
    }
    QString bannerText() const { return pane->banner()->text(); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(f.start({QStringLiteral("--history-calls"), QStringLiteral("20")}),
                 qPrintable(f.errorString()));
        pane = std::make_unique<KnowledgePane>(f.context());
        pane->resize(1100, 640);
        pane->show();
        QVERIFY(QTest::qWaitForWindowExposed(pane.get()));
        pane->activated();
        QTRY_COMPARE_WITH_TIMEOUT(f.context().collections->state(),
                                  sb::models::PagedListModel::State::Loaded, 20000);
        // The first collection is chosen and its seeded documents are listed.
        QTRY_VERIFY(!pane->currentCollectionId().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(pane->documentModel()->rowCount() > 0, 20000);
        new QAbstractItemModelTester(pane->documentsView()->model(),
                                     QAbstractItemModelTester::FailureReportingMode::QtTest, this);
        new QAbstractItemModelTester(pane->collectionsView()->model(),
                                     QAbstractItemModelTester::FailureReportingMode::QtTest, this);
        ConsoleFixture::screenshot(pane.get(), QStringLiteral("knowledge-seeded"));
    }

    void actionsShowShortcuts()
    {
        QVERIFY(pane->uploadAction()->toolTip().contains(
            pane->uploadAction()->shortcut().toString(QKeySequence::NativeText)));
        QCOMPARE(pane->uploadAction()->shortcut(), QKeySequence(QKeySequence::Open));
        for (QAction *a : pane->paneActions())
            QVERIFY2(!a->shortcut().isEmpty(), qPrintable(a->text()));
    }

    void createCollection()
    {
        const int before = f.context().collections->rowCount();
        pane->newCollectionAction()->trigger();
        auto *dialog = waitForDialog<sb::ui::CollectionDialog>(pane.get());
        QVERIFY(dialog);
        auto *buttons = dialog->findChild<QDialogButtonBox *>();
        QPushButton *create = buttons->button(QDialogButtonBox::Ok);
        QVERIFY(!create->isEnabled()); // no name yet
        auto *name = dialog->findChild<QLineEdit *>(QStringLiteral("collectionName"));
        QTest::keyClicks(name, QStringLiteral("   "));
        QVERIFY(!create->isEnabled());
        name->clear();
        QTest::keyClicks(name, QStringLiteral("Test shelf"));
        QTest::keyClicks(dialog->findChild<QPlainTextEdit *>(), QStringLiteral("Made by a test"));
        QVERIFY(create->isEnabled());
        QTest::mouseClick(create, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(f.context().collections->rowCount(), before + 1, 10000);
        collectionId = pane->currentCollectionId();
        QVERIFY(collectionId.startsWith(QLatin1String("col_")));
        const int row = f.context().collections->rowOf(collectionId);
        QCOMPARE(f.context().collections->collectionAt(row).name, QStringLiteral("Test shelf"));
        QTRY_COMPARE(pane->documentModel()->collectionId(), collectionId);
        QTRY_COMPARE(pane->documentModel()->state(), sb::models::PagedListModel::State::Loaded);
        QCOMPARE(pane->documentModel()->rowCount(), 0);
        const auto onServer = serverDocuments(platform(), collectionId);
        QVERIFY(onServer && onServer->isEmpty());
    }

    void uploadByFileAction()
    {
        const QString path = file(QStringLiteral("hours.txt"), 2500);
        QVERIFY(!path.isEmpty());
        pane->setFileChooser([path] { return QStringList{path}; });
        QSignalSpy progress(pane->uploadQueue(), &UploadQueue::progressed);
        QSignalSpy uploaded(pane->uploadQueue(), &UploadQueue::uploaded);
        pane->uploadAction()->trigger();
        QCOMPARE(pane->uploadQueue()->activeCount(), 1);
        QVERIFY(pane->uploadQueue()->isVisible()); // a row with a progress bar and Cancel
        QVERIFY(pane->uploadQueue()->findChild<QPushButton *>(QStringLiteral("cancelUpload")));
        QTRY_COMPARE_WITH_TIMEOUT(uploaded.count(), 1, 15000);
        QVERIFY(progress.count() > 0);
        QCOMPARE(progress.constLast().at(1).toLongLong(), progress.constLast().at(2).toLongLong());
        QCOMPARE(pane->uploadQueue()->activeCount(), 0);

        const int row = modelRowOf(QStringLiteral("hours.txt"));
        QVERIFY(row >= 0);
        const QModelIndex status = pane->documentModel()->index(row, DocumentModel::Status);
        // Ready at once on the simulator; a real platform passes through Processing (polled).
        QTRY_COMPARE_WITH_TIMEOUT(status.data().toString(), QStringLiteral("Ready"), 15000);
        const auto doc = serverDocument(platform(), collectionId, QStringLiteral("hours.txt"));
        QVERIFY(doc);
        QCOMPARE(doc->status, DocumentStatus::Ready);
        QCOMPARE(doc->sizeBytes, qint64(2500));
        QCOMPARE(doc->source, sb::api::DocumentSource::File);
        const int col = f.context().collections->rowOf(collectionId);
        QCOMPARE(f.context().collections->collectionAt(col).documentCount, 1);
        QVERIFY(!pane->findChild<QLabel *>(QStringLiteral("documentsNote"))->isVisible());
        QVERIFY(bannerText().isEmpty());
    }

    void uploadByDragAndDrop()
    {
        const QString path = file(QStringLiteral("dropped-faq.md"), 1800);
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(path)});
        const QPointF at(pane->width() / 2.0, pane->height() / 2.0);
        QDragEnterEvent enter(at.toPoint(), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(pane.get(), &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(pane.get(), &drop);
        QVERIFY(drop.isAccepted());
        QCOMPARE(pane->uploadQueue()->activeCount(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(modelRowOf(QStringLiteral("dropped-faq.md")) >= 0, 15000);
        QVERIFY(serverDocument(platform(), collectionId, QStringLiteral("dropped-faq.md")));
    }

    void refusedBeforeAnyRequest()
    {
        const QString big = file(QStringLiteral("huge.pdf"), UploadQueue::kMaxBytes + 1);
        const QString foreign = file(QStringLiteral("setup.exe"), 100);
        QSignalSpy progress(pane->uploadQueue(), &UploadQueue::progressed);
        QSignalSpy active(pane->uploadQueue(), &UploadQueue::activeCountChanged);
        pane->setFileChooser([big, foreign] { return QStringList{big, foreign}; });
        pane->uploadAction()->trigger();
        QCOMPARE(active.count(), 0); // no upload row, no request
        QCOMPARE(progress.count(), 0);
        QVERIFY2(bannerText().contains(QLatin1String("huge.pdf")), qPrintable(bannerText()));
        QVERIFY(bannerText().contains(QLatin1String("larger than the limit")));
        QVERIFY(bannerText().contains(QLatin1String("setup.exe")));
        QVERIFY(bannerText().contains(QLatin1String("PDF, DOCX, TXT, MD and CSV")));
        ConsoleFixture::screenshot(pane.get(), QStringLiteral("knowledge-refused"));
        QVERIFY(!serverDocument(platform(), collectionId, QStringLiteral("huge.pdf")));
        QVERIFY(!serverDocument(platform(), collectionId, QStringLiteral("setup.exe")));
        pane->banner()->hide();
    }

    void cancelUploadMidway()
    {
        const QString path = file(QStringLiteral("large-manual.txt"), 45LL * 1024 * 1024);
        QSignalSpy uploaded(pane->uploadQueue(), &UploadQueue::uploaded);
        QSignalSpy failed(pane->uploadQueue(), &UploadQueue::uploadFailed);
        qint64 sentAtCancel = -1;
        qint64 total = 0;
        // Click Cancel at the first progress report, while most of the body is still unsent.
        auto c = connect(
            pane->uploadQueue(), &UploadQueue::progressed, this,
            [&](const QString &, qint64 sent, qint64 all) {
                if (sentAtCancel >= 0)
                    return;
                sentAtCancel = sent;
                total = all;
                auto *cancel =
                    pane->uploadQueue()->findChild<QPushButton *>(QStringLiteral("cancelUpload"));
                QVERIFY(cancel);
                ConsoleFixture::screenshot(pane.get(), QStringLiteral("knowledge-uploading"));
                QTest::mouseClick(cancel, Qt::LeftButton);
            });
        QCOMPARE(pane->uploadFiles({path}), 1);
        QTRY_VERIFY_WITH_TIMEOUT(sentAtCancel >= 0, 15000);
        disconnect(c);
        QVERIFY2(sentAtCancel < total,
                 qPrintable(QStringLiteral("%1 of %2").arg(sentAtCancel).arg(total)));
        QTRY_COMPARE(pane->uploadQueue()->activeCount(), 0);
        QVERIFY(!pane->uploadQueue()->isVisible());
        QCOMPARE(uploaded.count(), 0);
        QCOMPARE(failed.count(), 0); // a cancel is not a failure: no banner
        QVERIFY(bannerText().isEmpty());
        QCOMPARE(modelRowOf(QStringLiteral("large-manual.txt")), -1);
        const auto docs = serverDocuments(platform(), collectionId);
        QVERIFY(docs);
        for (const Document &d : *docs)
            QVERIFY(d.title != QLatin1String("large-manual.txt"));
    }

    void submitTextChunks()
    {
        pane->addTextAction()->trigger();
        auto *dialog = waitForDialog<sb::ui::TextChunkDialog>(pane.get());
        QVERIFY(dialog);
        QPushButton *submit = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
        QVERIFY(!submit->isEnabled());
        auto *title = dialog->findChild<QLineEdit *>(QStringLiteral("chunkTitle"));
        auto *text = dialog->findChild<QPlainTextEdit *>(QStringLiteral("chunkText"));
        QTest::keyClicks(title, QStringLiteral("Returns"));
        QVERIFY(!submit->isEnabled()); // no text yet
        auto *error = dialog->findChild<QLabel *>(QStringLiteral("validationError"));
        QVERIFY(error->isVisible());
        text->setFocus();
        QTest::keyClicks(text, QStringLiteral("Returns within 30 days."));
        QTest::keyClick(text, Qt::Key_Return);
        QTest::keyClick(text, Qt::Key_Return);
        QTest::keyClicks(text, QStringLiteral("Refunds take five working days."));
        QCOMPARE(dialog->chunks().size(), 2);
        QVERIFY(submit->isEnabled());
        QVERIFY(!error->isVisible());
        ConsoleFixture::screenshot(dialog, QStringLiteral("knowledge-text-dialog"));
        QTest::mouseClick(submit, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(modelRowOf(QStringLiteral("Returns")) >= 0, 10000);
        const auto doc = serverDocument(platform(), collectionId, QStringLiteral("Returns"));
        QVERIFY(doc);
        QCOMPARE(doc->chunkCount, 2);
        QCOMPARE(doc->source, sb::api::DocumentSource::Text);
    }

    void splitParagraphs()
    {
        QCOMPARE(sb::ui::TextChunkDialog::splitParagraphs(
                     QStringLiteral("  a\nstill a\n\n \n\r\nb  \n\n")),
                 (QStringList{QStringLiteral("a\nstill a"), QStringLiteral("b")}));
        QVERIFY(sb::ui::TextChunkDialog::splitParagraphs(QStringLiteral(" \n\n ")).isEmpty());
    }

    void deleteAfterConfirmation()
    {
        const int row = modelRowOf(QStringLiteral("hours.txt"));
        QVERIFY(row >= 0);
        const QString id = pane->documentModel()->documentAt(row).id;
        const auto select = [&] {
            QTableView *view = pane->documentsView();
            const QModelIndex index = static_cast<QSortFilterProxyModel *>(view->model())
                                          ->mapFromSource(pane->documentModel()->index(
                                              pane->documentModel()->rowOf(id), 0));
            view->scrollTo(index);
            QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
                              view->visualRect(index).center());
        };
        select();
        QVERIFY(pane->deleteAction()->isEnabled());

        // Cancel keeps it.
        pane->deleteAction()->trigger();
        auto *box = waitForDialog<QMessageBox>(pane.get());
        QVERIFY(box);
        QVERIFY(box->text().contains(QLatin1String("hours.txt")));
        QTest::mouseClick(box->button(QMessageBox::Cancel), Qt::LeftButton);
        QTRY_VERIFY(!box->isVisible());
        QVERIFY(pane->documentModel()->rowOf(id) >= 0);
        QVERIFY(serverDocument(platform(), collectionId, QStringLiteral("hours.txt")));

        // Delete removes it here and on the server.
        select();
        pane->deleteAction()->trigger();
        box = waitForDialog<QMessageBox>(pane.get());
        QVERIFY(box);
        QTest::mouseClick(box->button(QMessageBox::Yes), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(pane->documentModel()->rowOf(id), -1, 10000);
        QVERIFY(!serverDocument(platform(), collectionId, QStringLiteral("hours.txt")));
    }

    void failedUploadRetries()
    {
        const QString path = file(QStringLiteral("retry-me.csv"), 300);
        const QString docsPath = QStringLiteral("/v1/knowledge/collections/") + collectionId +
                                 QStringLiteral("/documents");
        QJsonObject rule;
        rule.insert(QStringLiteral("status"), 403);
        rule.insert(QStringLiteral("count"), 1);
        rule.insert(QStringLiteral("when"), QStringLiteral("before"));
        rule.insert(QStringLiteral("method"), QStringLiteral("POST"));
        rule.insert(QStringLiteral("path"), docsPath);
        QJsonObject faults;
        faults.insert(QStringLiteral("failNext"), QJsonArray{rule});
        QCOMPARE(sb::test::postAdmin(f.sim().adminUrl(), QStringLiteral("/faults"), faults), 204);
        QCOMPARE(pane->uploadFiles({path}), 1);
        QTRY_VERIFY_WITH_TIMEOUT(bannerText().contains(QLatin1String("retry-me.csv")), 10000);
        QVERIFY(!serverDocument(platform(), collectionId, QStringLiteral("retry-me.csv")));
        QPushButton *retryButton = nullptr;
        for (QPushButton *b : pane->banner()->findChildren<QPushButton *>()) {
            if (b->isVisible() && b->accessibleName() == QLatin1String("Retry"))
                retryButton = b;
        }
        QVERIFY(retryButton);
        QTest::mouseClick(retryButton, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(modelRowOf(QStringLiteral("retry-me.csv")) >= 0, 10000);
        QVERIFY(serverDocument(platform(), collectionId, QStringLiteral("retry-me.csv")));
    }

    void pollsOnlyWhileProcessingAndVisible()
    {
        const int row = modelRowOf(QStringLiteral("Returns"));
        QVERIFY(row >= 0);
        QVERIFY(!pane->isPolling()); // everything is ready: no requests
        // As a real platform answers right after an upload: still processing.
        Document d = pane->documentModel()->documentAt(row);
        d.status = DocumentStatus::Processing;
        pane->hide();
        pane->documentModel()->upsert(d);
        QVERIFY(!pane->isPolling()); // hidden: no requests
        pane->show();
        QVERIFY(pane->isPolling());
        const QModelIndex status = pane->documentModel()->index(row, DocumentModel::Status);
        QCOMPARE(status.data().toString(), QStringLiteral("Processing"));
        ConsoleFixture::screenshot(pane.get(), QStringLiteral("knowledge-processing"));
        // The server says ready: the poll updates the row in place and stops.
        QTRY_COMPARE_WITH_TIMEOUT(status.data().toString(), QStringLiteral("Ready"),
                                  KnowledgePane::kPollIntervalMs + 10000);
        QTRY_VERIFY(!pane->isPolling());
        ConsoleFixture::screenshot(pane.get(), QStringLiteral("knowledge-done"));
    }

    void lazyPaneLoadsOnFirstActivation()
    {
        // The collections arrive while the pane is still hidden and never activated.
        KnowledgePane lazy(f.context());
        f.context().collections->reload();
        QTRY_COMPARE_WITH_TIMEOUT(f.context().collections->state(),
                                  sb::models::PagedListModel::State::Loaded, 20000);
        QCOMPARE(lazy.documentModel()->state(), sb::models::PagedListModel::State::Idle);
        lazy.resize(900, 500);
        lazy.show();
        lazy.activated();
        QVERIFY(!lazy.currentCollectionId().isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(lazy.documentModel()->state(),
                                  sb::models::PagedListModel::State::Loaded, 20000);
        QCOMPARE(lazy.documentModel()->collectionId(), lazy.currentCollectionId());
        QVERIFY(lazy.documentModel()->rowCount() > 0);
    }

    void readableOnDarkAndLight()
    {
        // Status text and error colours keep their contrast on either theme.
        const auto luminance = [](const QColor &c) {
            return 0.2126 * c.redF() + 0.7152 * c.greenF() + 0.0722 * c.blueF();
        };
        QPalette light;
        light.setColor(QPalette::Window, QColor(0xef, 0xef, 0xef));
        light.setColor(QPalette::WindowText, QColor(0x10, 0x10, 0x10));
        QPalette dark = light;
        dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
        dark.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
        dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
        dark.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
        dark.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
        dark.setColor(QPalette::ButtonText, QColor(0xe6, 0xe6, 0xe6));
        dark.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
        for (const QPalette &pal : {light, dark}) {
            const QColor error =
                sb::ui::StatusColors::readable(pal, sb::ui::StatusColors::failed());
            QVERIFY(qAbs(luminance(error) - luminance(pal.color(QPalette::Window))) > 0.15);
        }
        const QPalette before = pane->palette();
        pane->setPalette(dark);
        ConsoleFixture::screenshot(pane.get(), QStringLiteral("knowledge-dark"));
        pane->setPalette(before);
    }
};

QTEST_MAIN(TestKnowledgePane)
#include "tst_knowledgepane.moc"
