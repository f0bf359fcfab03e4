// The Knowledge pane's actions: uploads (dialog and drag and drop), text chunks, new
// collections, deletion, and the status poll while documents are processing.
#include "knowledgepane.h"

#include "messagebanner.h"
#include "textchunkdialog.h"
#include "uploadqueue.h"

#include "api/platform.h"
#include "models/collectionmodel.h"
#include "models/documentmodel.h"
#include "models/listfilterproxy.h"

#include <QDragEnterEvent>
#include <QFileDialog>
#include <QItemSelectionModel>
#include <QLoggingCategory>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QTableView>
#include <QTimer>

#include <algorithm>

Q_LOGGING_CATEGORY(lcKnowledge, "switchboard.ui")

namespace sb::ui {

using sb::api::Document;
using sb::api::DocumentStatus;
using sb::models::PagedListModel;

namespace {
QStringList localFiles(const QMimeData *mime)
{
    QStringList out;
    if (!mime || !mime->hasUrls())
        return out;
    const QList<QUrl> urls = mime->urls();
    for (const QUrl &url : urls) {
        if (url.isLocalFile())
            out.append(url.toLocalFile());
    }
    return out;
}
} // namespace

// ---- Uploads -------------------------------------------------------------------------------

void KnowledgePane::chooseFiles()
{
    if (currentCollectionId().isEmpty())
        return;
    const QStringList files =
        m_fileChooser ? m_fileChooser()
                      : QFileDialog::getOpenFileNames(this, tr("Upload Files"), QString(),
                                                      UploadQueue::fileDialogFilter());
    uploadFiles(files);
}

int KnowledgePane::uploadFiles(const QStringList &filePaths)
{
    const QString collectionId = currentCollectionId();
    if (filePaths.isEmpty())
        return 0;
    if (collectionId.isEmpty()) {
        m_banner->showMessage(MessageBanner::Kind::Warning,
                              tr("Choose a collection before uploading files."));
        return 0;
    }
    QStringList refused;
    int started = 0;
    for (const QString &path : filePaths) {
        const QString why = UploadQueue::refusalReason(path);
        if (!why.isEmpty())
            refused.append(why);
        else if (m_uploads->start(context().platform, collectionId, path))
            ++started;
    }
    if (!refused.isEmpty())
        m_banner->showMessage(MessageBanner::Kind::Warning, refused.join(QLatin1Char('\n')));
    return started;
}

void KnowledgePane::dragEnterEvent(QDragEnterEvent *event)
{
    if (!localFiles(event->mimeData()).isEmpty() && !currentCollectionId().isEmpty())
        event->acceptProposedAction();
}

void KnowledgePane::dragMoveEvent(QDragMoveEvent *event)
{
    if (!localFiles(event->mimeData()).isEmpty() && !currentCollectionId().isEmpty())
        event->acceptProposedAction();
}

void KnowledgePane::dropEvent(QDropEvent *event)
{
    const QStringList files = localFiles(event->mimeData());
    if (files.isEmpty())
        return;
    event->acceptProposedAction();
    uploadFiles(files);
}

// ---- Text, collections, delete --------------------------------------------------------------

void KnowledgePane::addText()
{
    const QString collectionId = currentCollectionId();
    if (collectionId.isEmpty())
        return;
    auto *dialog = new TextChunkDialog(collectionName(collectionId), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, collectionId] {
        submitText(collectionId, dialog->title(), dialog->chunks());
    });
    dialog->open();
}

void KnowledgePane::submitText(const QString &collectionId, const QString &title,
                               const QStringList &chunks)
{
    auto reply = context().platform->submitTextDocument(collectionId, title, chunks);
    reply.onFinished(this, [this, collectionId, title, chunks](const auto &result) {
        if (!result.ok()) {
            fail(tr("“%1” could not be added: %2").arg(title, result.error().caption()),
                 [this, collectionId, title, chunks] { submitText(collectionId, title, chunks); });
            return;
        }
        if (collectionId == m_documents->collectionId())
            m_documents->upsert(result.value());
        adjustDocumentCount(collectionId, 1);
        Q_EMIT context().navigator->statusMessage(
            tr("“%1” added with %n chunk(s).", nullptr, int(chunks.size())).arg(title));
    });
}

void KnowledgePane::newCollection()
{
    auto *dialog = new CollectionDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this,
            [this, dialog] { createCollection(dialog->name(), dialog->description()); });
    dialog->open();
}

void KnowledgePane::createCollection(const QString &name, const QString &description)
{
    auto reply = context().platform->createCollection(name, description);
    reply.onFinished(this, [this, name, description](const auto &result) {
        if (!result.ok()) {
            fail(tr("The collection “%1” could not be created: %2")
                     .arg(name, result.error().caption()),
                 [this, name, description] { createCollection(name, description); });
            return;
        }
        context().collections->upsert(result.value());
        selectCollection(result.value().id);
    });
}

void KnowledgePane::deleteSelected()
{
    const QString collectionId = currentCollectionId();
    QList<Document> documents;
    const QModelIndexList rows = m_documentsView->selectionModel()->selectedRows();
    for (const QModelIndex &index : rows) {
        const int row = m_documentsProxy->mapToSource(index).row();
        if (row >= 0)
            documents.append(m_documents->documentAt(row));
    }
    if (collectionId.isEmpty() || documents.isEmpty())
        return;
    auto *box = new QMessageBox(
        QMessageBox::Question, tr("Delete Documents"),
        documents.size() == 1 ? tr("Delete “%1” from “%2”? The agents can no longer use "
                                   "it. This cannot be undone.")
                                    .arg(documents.first().title, collectionName(collectionId))
                              : tr("Delete %n document(s) from “%1”? This cannot be undone.",
                                   nullptr, int(documents.size()))
                                    .arg(collectionName(collectionId)),
        QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setDefaultButton(QMessageBox::Cancel);
    box->button(QMessageBox::Yes)->setText(tr("Delete"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setObjectName(QStringLiteral("confirmDelete"));
    connect(box, &QMessageBox::finished, this, [this, box, collectionId, documents](int) {
        if (box->clickedButton() != box->button(QMessageBox::Yes))
            return;
        for (const Document &d : documents)
            deleteDocument(collectionId, d);
    });
    box->open();
}

void KnowledgePane::deleteDocument(const QString &collectionId, const Document &document)
{
    auto reply = context().platform->deleteDocument(collectionId, document.id);
    reply.onFinished(this, [this, collectionId, document](const auto &result) {
        // Gone already is what the person wanted.
        if (!result.ok() && result.error().kind != sb::api::ApiError::Kind::NotFound) {
            fail(tr("“%1” could not be deleted: %2").arg(document.title, result.error().caption()),
                 [this, collectionId, document] { deleteDocument(collectionId, document); });
            return;
        }
        if (collectionId == m_documents->collectionId())
            m_documents->remove(document.id);
        adjustDocumentCount(collectionId, -1);
    });
}

void KnowledgePane::adjustDocumentCount(const QString &collectionId, int delta)
{
    const int row = context().collections->rowOf(collectionId);
    if (row < 0)
        return;
    sb::api::KnowledgeCollection c = context().collections->collectionAt(row);
    c.documentCount = qMax(0, c.documentCount + delta);
    context().collections->upsert(c);
}

// ---- Processing poll ------------------------------------------------------------------------

bool KnowledgePane::anyProcessing() const
{
    const QList<Document> &items = m_documents->items();
    return std::any_of(items.cbegin(), items.cend(),
                       [](const Document &d) { return d.status == DocumentStatus::Processing; });
}

void KnowledgePane::showEvent(QShowEvent *event)
{
    Pane::showEvent(event);
    schedulePoll();
}

void KnowledgePane::schedulePoll()
{
    updateActions();
    // Within the request budget: one list request every few seconds, only while it matters.
    if (m_polling || m_pollTimer->isActive() || !isVisible() || !anyProcessing())
        return;
    m_pollTimer->start();
}

void KnowledgePane::pollDocuments()
{
    const QString collectionId = m_documents->collectionId();
    if (!isVisible() || !anyProcessing() || collectionId.isEmpty() || !context().platform)
        return;
    m_polling = true;
    pollPage(std::make_shared<sb::api::Pager<Document>>(
                 context().platform->documents(collectionId, 100, sb::api::Lane::Background)),
             collectionId);
}

void KnowledgePane::pollPage(const std::shared_ptr<sb::api::Pager<Document>> &pager,
                             const QString &collectionId)
{
    auto reply = pager->fetchNext();
    if (!reply.isValid()) {
        m_polling = false;
        schedulePoll();
        return;
    }
    reply.onFinished(this, [this, pager, collectionId](const auto &result) {
        if (!result.ok() || collectionId != m_documents->collectionId()) {
            if (!result.ok()) {
                qCInfo(lcKnowledge) << "document poll failed:" << result.error().caption();
                Q_EMIT context().navigator->statusMessage(
                    tr("Document status could not be refreshed: %1").arg(result.error().caption()));
            }
            m_polling = false;
            schedulePoll();
            return;
        }
        // Upsert in place: the selection and scroll position stay where they are.
        for (const Document &d : result.value().items)
            m_documents->upsert(d);
        pollPage(pager, collectionId);
    });
}

} // namespace sb::ui
