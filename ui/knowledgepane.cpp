#include "knowledgepane.h"

#include "knowledgestatusdelegate.h"
#include "messagebanner.h"
#include "textchunkdialog.h"
#include "uploadqueue.h"

#include "api/platform.h"
#include "models/collectionmodel.h"
#include "models/documentmodel.h"
#include "models/listfilterproxy.h"

#include <QAction>
#include <QDataStream>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QIODevice>
#include <QLabel>
#include <QLoggingCategory>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace sb::ui {

using sb::api::Document;
using sb::api::DocumentStatus;
using sb::models::CollectionModel;
using sb::models::DocumentModel;
using sb::models::PagedListModel;

namespace {
constexpr quint32 kStateMagic = 0x4b4e5701; // "KNW" v1

QTableView *makeTable(QAbstractItemModel *model, const QString &name, QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setModel(model);
    view->setAccessibleName(name);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSortingEnabled(true);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setStretchLastSection(true);
    view->setWordWrap(false);
    return view;
}

QToolButton *toolButton(QAction *action, QWidget *parent)
{
    auto *button = new QToolButton(parent);
    button->setDefaultAction(action);
    button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    button->setAccessibleName(action->text().remove(QLatin1Char('&')));
    return button;
}

} // namespace

KnowledgePane::KnowledgePane(const ConsoleContext &context, QWidget *parent)
    : Pane(QStringLiteral("knowledge"), context, parent)
    , m_documents(new DocumentModel(this))
    , m_collectionsProxy(new sb::models::ListFilterProxy(this))
    , m_documentsProxy(new sb::models::ListFilterProxy(this))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
    , m_documentsTitle(new QLabel(this))
    , m_documentsNote(new QLabel(this))
    , m_collectionsNote(new QLabel(this))
    , m_uploads(new UploadQueue(this))
    , m_pollTimer(new QTimer(this))
{
    buildActions();
    setAcceptDrops(true);
    m_collectionsProxy->setSourceModel(context.collections);
    m_documentsProxy->setSourceModel(m_documents);

    // Collections (left).
    auto *left = new QWidget(m_splitter);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    auto *collectionsLabel = new QLabel(tr("&Collections"), left);
    m_collectionsView = makeTable(m_collectionsProxy, tr("Knowledge collections"), left);
    m_collectionsView->setSelectionMode(QAbstractItemView::SingleSelection);
    // Name and count fit the narrow side; the description heads the document list.
    m_collectionsView->setColumnHidden(CollectionModel::Description, true);
    m_collectionsView->setColumnHidden(CollectionModel::Created, true);
    m_collectionsView->horizontalHeader()->setSectionResizeMode(CollectionModel::Name,
                                                                QHeaderView::Stretch);
    m_collectionsView->horizontalHeader()->setSectionResizeMode(CollectionModel::Documents,
                                                                QHeaderView::ResizeToContents);
    m_collectionsView->sortByColumn(CollectionModel::Name, Qt::AscendingOrder);
    collectionsLabel->setBuddy(m_collectionsView);
    m_collectionsNote->setWordWrap(true);
    m_collectionsNote->setObjectName(QStringLiteral("collectionsNote"));
    leftLayout->addWidget(collectionsLabel);
    leftLayout->addWidget(m_collectionsNote);
    leftLayout->addWidget(m_collectionsView, 1);
    leftLayout->addWidget(toolButton(m_newCollectionAction, left), 0, Qt::AlignLeft);

    // Documents (right).
    auto *right = new QWidget(m_splitter);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    m_documentsTitle->setTextFormat(Qt::PlainText);
    m_documentsTitle->setWordWrap(true);
    m_documentsView = makeTable(m_documentsProxy, tr("Documents of the collection"), right);
    m_documentsView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_documentsView->setItemDelegateForColumn(DocumentModel::Status,
                                              new KnowledgeStatusDelegate(m_documentsView));
    m_documentsView->sortByColumn(DocumentModel::Created, Qt::DescendingOrder);
    QHeaderView *header = m_documentsView->horizontalHeader();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(DocumentModel::Title, QHeaderView::Stretch);
    m_documentsView->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_documentsView->addActions({m_deleteAction, m_refreshAction});
    m_documentsTitle->setBuddy(m_documentsView);
    m_documentsNote->setWordWrap(true);
    m_documentsNote->setObjectName(QStringLiteral("documentsNote"));
    auto *buttons = new QHBoxLayout;
    for (QAction *a : {m_uploadAction, m_addTextAction, m_deleteAction, m_refreshAction})
        buttons->addWidget(toolButton(a, right));
    buttons->addStretch(1);
    auto *dropHint = new QLabel(tr("Drop PDF, DOCX, TXT, MD or CSV files here to upload them "
                                   "(up to 50 MB each)."),
                                right);
    dropHint->setWordWrap(true);
    dropHint->setForegroundRole(QPalette::PlaceholderText);
    rightLayout->addWidget(m_documentsTitle);
    rightLayout->addLayout(buttons);
    rightLayout->addWidget(m_documentsNote);
    rightLayout->addWidget(m_documentsView, 1);
    rightLayout->addWidget(m_uploads);
    rightLayout->addWidget(dropHint);

    m_splitter->addWidget(left);
    m_splitter->addWidget(right);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setSizes({280, 620});
    m_splitter->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addWidget(m_splitter, 1);
    setTabOrder(m_collectionsView, m_documentsView);

    connect(m_banner, &MessageBanner::retryRequested, this, [this] {
        if (auto retry = std::exchange(m_retry, {}))
            retry();
    });
    connect(m_collectionsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &KnowledgePane::onCollectionChanged);
    connect(m_documentsView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &KnowledgePane::updateActions);
    connect(context.collections, &PagedListModel::stateChanged, this,
            [this](PagedListModel::State state) {
                if (state == PagedListModel::State::Failed)
                    fail(tr("The collections could not be loaded: %1")
                             .arg(this->context().collections->lastError().caption()),
                         [this] { this->context().collections->reload(); });
                if (state == PagedListModel::State::Loaded && currentCollectionId().isEmpty() &&
                    m_collectionsProxy->rowCount() > 0)
                    m_collectionsView->setCurrentIndex(m_collectionsProxy->index(0, 0));
                updateCollectionState();
            });
    connect(context.collections, &QAbstractItemModel::rowsInserted, this,
            &KnowledgePane::updateCollectionState);
    connect(m_documents, &PagedListModel::stateChanged, this, [this](PagedListModel::State s) {
        if (s == PagedListModel::State::Failed)
            fail(
                tr("The documents could not be loaded: %1").arg(m_documents->lastError().caption()),
                [this] { m_documents->reload(); });
        updateDocumentState();
    });
    connect(m_documents, &QAbstractItemModel::dataChanged, this, &KnowledgePane::schedulePoll);
    connect(m_documents, &QAbstractItemModel::rowsInserted, this, &KnowledgePane::schedulePoll);
    // Rows added or removed by an upload, a text or a delete change the "no documents" note.
    connect(m_documents, &QAbstractItemModel::rowsInserted, this,
            &KnowledgePane::updateDocumentState);
    connect(m_documents, &QAbstractItemModel::rowsRemoved, this,
            &KnowledgePane::updateDocumentState);

    connect(m_uploads, &UploadQueue::uploaded, this,
            [this](const QString &collectionId, const Document &document) {
                if (collectionId == m_documents->collectionId())
                    m_documents->upsert(document);
                adjustDocumentCount(collectionId, 1);
                Q_EMIT this->context().navigator->statusMessage(
                    tr("“%1” uploaded.").arg(document.title));
            });
    connect(m_uploads, &UploadQueue::uploadFailed, this,
            [this](const QString &filePath, const sb::api::ApiError &error) {
                const QString collectionId = m_documents->collectionId();
                fail(tr("“%1” could not be uploaded: %2")
                         .arg(QFileInfo(filePath).fileName(), error.caption()),
                     [this, filePath, collectionId] {
                         if (selectCollection(collectionId))
                             uploadFiles({filePath});
                     });
            });

    m_pollTimer->setInterval(kPollIntervalMs);
    m_pollTimer->setSingleShot(true);
    connect(m_pollTimer, &QTimer::timeout, this, &KnowledgePane::pollDocuments);
    updateCollectionState();
    updateDocumentState();
}

void KnowledgePane::updateCollectionState()
{
    const auto *collections = context().collections;
    QString note;
    if (collections->state() == PagedListModel::State::NotSupported)
        note = collections->notSupportedReason();
    else if (collections->state() == PagedListModel::State::Loaded && collections->rowCount() == 0)
        note = tr("No collections yet. Create one (%1).")
                   .arg(m_newCollectionAction->shortcut().toString(QKeySequence::NativeText));
    m_collectionsNote->setText(note);
    m_collectionsNote->setVisible(!note.isEmpty());
    m_collectionsView->setVisible(collections->state() != PagedListModel::State::NotSupported);
}

void KnowledgePane::buildActions()
{
    const auto make = [this](const QString &text, const QString &tip, const QKeySequence &key,
                             QStyle::StandardPixmap icon) {
        auto *a = new QAction(style()->standardIcon(icon), text, this);
        a->setShortcut(key);
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        a->setToolTip(tr("%1 (%2)").arg(tip, key.toString(QKeySequence::NativeText)));
        addAction(a); // live while the pane (or a child) has focus
        return a;
    };
    m_uploadAction = make(tr("&Upload Files…"), tr("Upload files into the collection"),
                          QKeySequence::Open, QStyle::SP_ArrowUp);
    m_addTextAction = make(tr("Add &Text…"), tr("Add text chunks to the collection"),
                           QKeySequence(Qt::CTRL | Qt::Key_T), QStyle::SP_FileIcon);
    m_deleteAction = make(tr("&Delete Document"), tr("Delete the selected documents"),
                          QKeySequence::Delete, QStyle::SP_TrashIcon);
    m_newCollectionAction = make(tr("&New Collection…"), tr("Create a knowledge collection"),
                                 QKeySequence::New, QStyle::SP_FileDialogNewFolder);
    m_refreshAction = make(tr("&Refresh"), tr("Reload the documents"), QKeySequence::Refresh,
                           QStyle::SP_BrowserReload);
    connect(m_uploadAction, &QAction::triggered, this, &KnowledgePane::chooseFiles);
    connect(m_addTextAction, &QAction::triggered, this, &KnowledgePane::addText);
    connect(m_deleteAction, &QAction::triggered, this, &KnowledgePane::deleteSelected);
    connect(m_newCollectionAction, &QAction::triggered, this, &KnowledgePane::newCollection);
    connect(m_refreshAction, &QAction::triggered, this, [this] {
        context().collections->reload();
        m_documents->reload();
    });
}

QString KnowledgePane::title() const
{
    return tr("Knowledge");
}

QIcon KnowledgePane::icon() const
{
    return style()->standardIcon(QStyle::SP_DirIcon);
}

QList<QAction *> KnowledgePane::paneActions() const
{
    return {m_uploadAction, m_addTextAction, m_deleteAction, m_newCollectionAction,
            m_refreshAction};
}

QString KnowledgePane::unavailableReason() const
{
    const sb::api::Platform *platform = context().platform;
    return platform ? platform->unsupportedReason(sb::api::Platform::Capability::Knowledge)
                    : QString();
}

void KnowledgePane::activated()
{
    if (!unavailableReason().isEmpty())
        return;
    if (!m_loaded) {
        m_loaded = true;
        // The runtime loads the collections at start; a failed or idle list is tried again.
        if (context().collections->state() == PagedListModel::State::Failed ||
            context().collections->state() == PagedListModel::State::Idle)
            context().collections->load(context().platform);
        m_documents->load(context().platform);
        if (currentCollectionId().isEmpty() && m_collectionsProxy->rowCount() > 0)
            m_collectionsView->setCurrentIndex(m_collectionsProxy->index(0, 0));
    }
    schedulePoll();
}

QByteArray KnowledgePane::saveState() const
{
    QByteArray out;
    QDataStream s(&out, QIODevice::WriteOnly);
    s << kStateMagic << m_splitter->saveState()
      << m_collectionsView->horizontalHeader()->saveState()
      << m_documentsView->horizontalHeader()->saveState();
    return out;
}

void KnowledgePane::restoreState(const QByteArray &state)
{
    QDataStream s(state);
    quint32 magic = 0;
    QByteArray splitter, collections, documents;
    s >> magic >> splitter >> collections >> documents;
    if (magic != kStateMagic || s.status() != QDataStream::Ok)
        return;
    m_splitter->restoreState(splitter);
    m_collectionsView->horizontalHeader()->restoreState(collections);
    m_documentsView->horizontalHeader()->restoreState(documents);
}

QString KnowledgePane::currentCollectionId() const
{
    const QModelIndex current = m_collectionsView->currentIndex();
    return current.isValid() ? current.data(PagedListModel::IdRole).toString() : QString();
}

bool KnowledgePane::selectCollection(const QString &id)
{
    const int row = context().collections->rowOf(id);
    if (row < 0)
        return false;
    const QModelIndex index =
        m_collectionsProxy->mapFromSource(context().collections->index(row, 0));
    m_collectionsView->setCurrentIndex(index);
    return true;
}

QString KnowledgePane::collectionName(const QString &id) const
{
    const int row = context().collections->rowOf(id);
    return row < 0 ? QString() : context().collections->collectionAt(row).name;
}

bool KnowledgePane::isPolling() const
{
    return m_pollTimer->isActive() || m_polling;
}

void KnowledgePane::onCollectionChanged()
{
    const QString id = currentCollectionId();
    // Before activated() the model has no platform and only remembers the id (no request).
    m_documents->setCollectionId(id);
    const int row = context().collections->rowOf(id);
    if (row < 0) {
        m_documentsTitle->setText(tr("Choose a collection to see its documents."));
    } else {
        const auto &c = context().collections->collectionAt(row);
        // The label has a mnemonic: an '&' in the user's text must stay a character.
        const auto escaped = [](QString text) {
            return text.replace(QLatin1Char('&'), QStringLiteral("&&"));
        };
        const QString name = escaped(c.name);
        m_documentsTitle->setText(
            c.description.isEmpty()
                ? tr("&Documents of “%1”").arg(name)
                : tr("&Documents of “%1” — %2").arg(name, escaped(c.description.simplified())));
        m_documentsView->setAccessibleName(tr("Documents of %1").arg(c.name));
    }
    updateDocumentState();
}

void KnowledgePane::updateDocumentState()
{
    const bool notSupported = m_documents->state() == PagedListModel::State::NotSupported;
    QString note;
    if (notSupported)
        note = tr("This platform does not list documents (%1). Uploads still work; documents "
                  "added in this session are shown.")
                   .arg(m_documents->notSupportedReason());
    else if (m_documents->state() == PagedListModel::State::Loading)
        note = tr("Loading documents…");
    else if (m_documents->state() == PagedListModel::State::Loaded && m_documents->rowCount() == 0)
        note = tr("No documents yet. Upload files (%1) or add text (%2).")
                   .arg(m_uploadAction->shortcut().toString(QKeySequence::NativeText),
                        m_addTextAction->shortcut().toString(QKeySequence::NativeText));
    m_documentsNote->setText(note);
    m_documentsNote->setVisible(!note.isEmpty());
    m_documentsView->setVisible(!notSupported || m_documents->rowCount() > 0);
    updateActions();
    schedulePoll();
}

void KnowledgePane::updateActions()
{
    const bool haveCollection = !currentCollectionId().isEmpty();
    const bool knowledge =
        context().platform && context().platform->can(sb::api::Platform::Capability::Knowledge);
    m_uploadAction->setEnabled(haveCollection && knowledge);
    m_addTextAction->setEnabled(haveCollection && knowledge);
    m_deleteAction->setEnabled(haveCollection && m_documentsView->selectionModel()->hasSelection());
    m_newCollectionAction->setEnabled(knowledge);
}

void KnowledgePane::fail(const QString &text, std::function<void()> retry)
{
    m_retry = std::move(retry);
    m_banner->showMessage(MessageBanner::Kind::Error, text, bool(m_retry));
}

} // namespace sb::ui
