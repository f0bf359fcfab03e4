#pragma once

#include "pane.h"

#include "api/dto.h"
#include "api/pager.h"

#include <QStringList>
#include <functional>
#include <memory>

class QAction;
class QLabel;
class QSplitter;
class QTableView;
class QTimer;

namespace sb::models {
class DocumentModel;
class ListFilterProxy;
} // namespace sb::models

namespace sb::ui {

class UploadQueue;

//! The Knowledge pane: collections, the selected collection's documents with their processing
//! status, uploads (file dialog or drag and drop) with progress and cancel, text chunks, delete.
class KnowledgePane : public Pane
{
    Q_OBJECT
public:
    //! While a document is processing, the list is polled this often (only while visible).
    static constexpr int kPollIntervalMs = 5000;

    KnowledgePane(const ConsoleContext &context, QWidget *parent = nullptr);

    QString title() const override;
    QString unavailableReason() const override;
    QIcon icon() const override;
    QList<QAction *> paneActions() const override;
    void activated() override;
    QByteArray saveState() const override;
    void restoreState(const QByteArray &state) override;

    //! Uploads \a filePaths into the selected collection; refused files are named in the banner
    //! and never sent. Returns how many uploads started.
    int uploadFiles(const QStringList &filePaths);
    //! Selects the collection with \a id; false when it is not in the list.
    bool selectCollection(const QString &id);
    QString currentCollectionId() const;
    //! Replaces the file dialog (tests; a portal could go here).
    void setFileChooser(std::function<QStringList()> chooser)
    {
        m_fileChooser = std::move(chooser);
    }

    sb::models::DocumentModel *documentModel() const { return m_documents; }
    QTableView *collectionsView() const { return m_collectionsView; }
    QTableView *documentsView() const { return m_documentsView; }
    UploadQueue *uploadQueue() const { return m_uploads; }
    QAction *uploadAction() const { return m_uploadAction; }
    QAction *addTextAction() const { return m_addTextAction; }
    QAction *deleteAction() const { return m_deleteAction; }
    QAction *newCollectionAction() const { return m_newCollectionAction; }
    QAction *refreshAction() const { return m_refreshAction; }
    //! True while the processing poll is armed.
    bool isPolling() const;

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void buildActions();
    void onCollectionChanged();
    void updateDocumentState();
    void updateCollectionState();
    void updateActions();
    void chooseFiles();
    void addText();
    void submitText(const QString &collectionId, const QString &title, const QStringList &chunks);
    void newCollection();
    void createCollection(const QString &name, const QString &description);
    void deleteSelected();
    void deleteDocument(const QString &collectionId, const sb::api::Document &document);
    void pollDocuments();
    void pollPage(const std::shared_ptr<sb::api::Pager<sb::api::Document>> &pager,
                  const QString &collectionId);
    void schedulePoll();
    bool anyProcessing() const;
    void adjustDocumentCount(const QString &collectionId, int delta);
    void fail(const QString &text, std::function<void()> retry);
    QString collectionName(const QString &id) const;

    sb::models::DocumentModel *m_documents;
    sb::models::ListFilterProxy *m_collectionsProxy;
    sb::models::ListFilterProxy *m_documentsProxy;
    QSplitter *m_splitter;
    QTableView *m_collectionsView;
    QTableView *m_documentsView;
    QLabel *m_documentsTitle;
    QLabel *m_documentsNote;
    QLabel *m_collectionsNote;
    UploadQueue *m_uploads;
    QTimer *m_pollTimer;
    QAction *m_uploadAction = nullptr;
    QAction *m_addTextAction = nullptr;
    QAction *m_deleteAction = nullptr;
    QAction *m_newCollectionAction = nullptr;
    QAction *m_refreshAction = nullptr;
    std::function<QStringList()> m_fileChooser;
    std::function<void()> m_retry;
    bool m_loaded = false;
    bool m_polling = false; //!< a poll's pages are in flight
};

} // namespace sb::ui
