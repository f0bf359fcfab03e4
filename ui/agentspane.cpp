#include "agentspane.h"

#include "agenteditor.h"
#include "messagebanner.h"

#include "api/platform.h"
#include "models/agentlistmodel.h"
#include "models/listfilterproxy.h"

#include <QAction>
#include <QCoreApplication>
#include <QDataStream>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLoggingCategory>
#include <QMessageBox>
#include <QSplitter>
#include <QStyle>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

Q_LOGGING_CATEGORY(lcAgentsPane, "switchboard.ui")

namespace sb::ui {

using sb::api::Agent;
using sb::api::ApiError;
using sb::api::Platform;
using sb::models::AgentListModel;
using sb::models::PagedListModel;

namespace {

constexpr quint32 kStateVersion = 1;

QAction *makeAction(QObject *parent, const QString &text, const QString &what,
                    const QKeySequence &key, QStyle::StandardPixmap icon, const QStyle *style)
{
    auto *action = new QAction(text, parent);
    action->setShortcut(key);
    action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    action->setToolTip(QCoreApplication::translate("sb::ui::AgentsPane", "%1 (%2)")
                           .arg(what, key.toString(QKeySequence::NativeText)));
    action->setIcon(style->standardIcon(icon));
    return action;
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

AgentsPane::AgentsPane(const ConsoleContext &context, QWidget *parent)
    : Pane(QStringLiteral("agents"), context, parent)
    , m_filter(new QLineEdit(this))
    , m_view(new QTableView(this))
    , m_proxy(new sb::models::ListFilterProxy(this))
    , m_splitter(new QSplitter(this))
    , m_heading(new QLabel(this))
    , m_editor(new AgentEditor(context.collections, this))
    , m_saveStatus(new QLabel(this))
{
    if (context.agents)
        m_proxy->setSourceModel(context.agents); // before the layout sizes the columns
    createActions();
    m_saveButton = toolButton(m_save, this);
    m_revertButton = toolButton(m_revert, this);
    buildLayout();

    if (!writable())
        m_editor->setReadOnly(true, context.platform ? context.platform->unsupportedReason(
                                                           Platform::Capability::AgentsWritable)
                                                     : tr("Not connected."));
    connect(m_editor, &AgentEditor::changed, this, &AgentsPane::updateActions);
    if (context.agents) {
        connect(context.agents, &PagedListModel::stateChanged, this, &AgentsPane::listStateChanged);
        // Reloads and upserts move rows: keep the open agent selected.
        connect(m_proxy, &QAbstractItemModel::modelReset, this, [this] { selectRow(m_currentId); });
        connect(m_proxy, &QAbstractItemModel::layoutChanged, this,
                [this] { selectRow(m_currentId); });
        connect(m_proxy, &QAbstractItemModel::rowsInserted, this, [this] {
            if (!m_currentId.isEmpty() && !m_view->currentIndex().isValid())
                selectRow(m_currentId);
            else
                selectFirstIfNone();
        });
    }
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &AgentsPane::currentRowChanged);
    updateActions();
}

QString AgentsPane::title() const
{
    return tr("Agents");
}

QList<QAction *> AgentsPane::paneActions() const
{
    return {m_save, m_new, m_duplicate, m_delete, m_revert, m_filterAction};
}

void AgentsPane::createActions()
{
    const QStyle *s = style();
    m_save = makeAction(this, tr("&Save Agent"), tr("Save the agent"), QKeySequence::Save,
                        QStyle::SP_DialogSaveButton, s);
    m_new = makeAction(this, tr("&New Agent"), tr("Create an agent"), QKeySequence::New,
                       QStyle::SP_FileIcon, s);
    m_duplicate = makeAction(this, tr("D&uplicate Agent"), tr("Copy this agent into a new one"),
                             QKeySequence(Qt::CTRL | Qt::Key_D), QStyle::SP_FileDialogNewFolder, s);
    m_delete = makeAction(this, tr("&Delete Agent…"), tr("Delete this agent"),
                          QKeySequence(Qt::Key_Delete), QStyle::SP_TrashIcon, s);
    m_revert = makeAction(this, tr("&Revert Changes…"), tr("Discard the unsaved changes"),
                          QKeySequence(Qt::Key_Escape), QStyle::SP_DialogResetButton, s);
    m_filterAction = makeAction(this, tr("&Filter Agents"), tr("Filter the list of agents"),
                                QKeySequence::Find, QStyle::SP_FileDialogContentsView, s);
    connect(m_save, &QAction::triggered, this, &AgentsPane::save);
    connect(m_new, &QAction::triggered, this, &AgentsPane::createNew);
    connect(m_duplicate, &QAction::triggered, this, &AgentsPane::duplicate);
    connect(m_delete, &QAction::triggered, this, &AgentsPane::deleteCurrent);
    connect(m_revert, &QAction::triggered, this, &AgentsPane::revert);
    connect(m_filterAction, &QAction::triggered, this, [this] {
        m_filter->setFocus(Qt::ShortcutFocusReason);
        m_filter->selectAll();
    });
    addActions(paneActions());
}

void AgentsPane::buildLayout()
{
    m_filter->setPlaceholderText(tr("Filter agents"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setAccessibleName(tr("Filter agents"));
    m_filter->setToolTip(m_filterAction->toolTip());
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        // Filtering hides rows, it does not open another agent: the selection model would
        // move the current row off a hidden one.
        m_selecting = true;
        m_proxy->setFilterText(text);
        m_selecting = false;
        selectRow(m_currentId);
    });

    m_view->setModel(m_proxy);
    m_view->setAccessibleName(tr("Agents"));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(AgentListModel::Name, Qt::AscendingOrder);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->horizontalHeader()->resizeSection(AgentListModel::Name, 200);
    m_view->horizontalHeader()->resizeSection(AgentListModel::Status, 70);

    auto *listButtons = new QHBoxLayout;
    listButtons->addWidget(toolButton(m_new, this));
    listButtons->addWidget(toolButton(m_duplicate, this));
    listButtons->addWidget(toolButton(m_delete, this));
    listButtons->addStretch(1);
    auto *left = new QWidget(m_splitter);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_filter);
    leftLayout->addWidget(m_view, 1);
    leftLayout->addLayout(listButtons);

    QFont headingFont = m_heading->font();
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.3);
    headingFont.setBold(true);
    m_heading->setFont(headingFont);
    m_heading->setTextFormat(Qt::PlainText);
    m_saveStatus->setWordWrap(true);
    m_saveStatus->setObjectName(QStringLiteral("saveStatus"));
    auto *footer = new QHBoxLayout;
    footer->addWidget(m_saveStatus, 1);
    footer->addWidget(m_revertButton);
    footer->addWidget(m_saveButton);
    auto *right = new QWidget(m_splitter);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_heading);
    rightLayout->addWidget(m_editor, 1);
    rightLayout->addLayout(footer);

    m_splitter->addWidget(left);
    m_splitter->addWidget(right);
    m_splitter->setStretchFactor(0, 2);
    m_splitter->setStretchFactor(1, 3);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setSizes({420, 860}); // restoreState() replaces this with the person's layout

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addWidget(m_splitter, 1);
    setTabOrder(m_filter, m_view);
    setTabOrder(m_view, m_editor);
}

bool AgentsPane::writable() const
{
    return context().platform && context().platform->can(Platform::Capability::AgentsWritable);
}

void AgentsPane::activated()
{
    // Coming back to an unedited agent: fetch it again, so the form and its tag are fresh.
    if (m_activated && !m_currentId.isEmpty() && !m_draft && !m_saving && !hasUnsavedChanges())
        openAgent(m_currentId);
    m_activated = true;
    listStateChanged();
    selectFirstIfNone();
}

void AgentsPane::listStateChanged()
{
    AgentListModel *agents = context().agents;
    if (!agents || agents->state() != PagedListModel::State::Failed)
        return;
    disconnect(m_banner, &MessageBanner::retryRequested, this, nullptr);
    connect(
        m_banner, &MessageBanner::retryRequested, this, [agents] { agents->reload(); },
        Qt::SingleShotConnection);
    m_banner->showMessage(
        MessageBanner::Kind::Error,
        tr("The agents could not be loaded: %1").arg(agents->lastError().caption()), true);
}

void AgentsPane::selectFirstIfNone()
{
    if (m_draft || !m_currentId.isEmpty() || m_proxy->rowCount() == 0 || !m_activated)
        return;
    m_view->setCurrentIndex(m_proxy->index(0, 0));
}

void AgentsPane::selectRow(const QString &id)
{
    m_selecting = true;
    const int sourceRow = context().agents && !id.isEmpty() ? context().agents->rowOf(id) : -1;
    const QModelIndex index = sourceRow < 0
                                  ? QModelIndex()
                                  : m_proxy->mapFromSource(context().agents->index(sourceRow, 0));
    if (index.isValid()) {
        m_view->setCurrentIndex(index);
        m_view->scrollTo(index);
    } else {
        m_view->selectionModel()->clearSelection();
        m_view->selectionModel()->setCurrentIndex({}, QItemSelectionModel::NoUpdate);
    }
    m_selecting = false;
}

bool AgentsPane::showAgent(const QString &id)
{
    if (!context().agents || context().agents->rowOf(id) < 0)
        return false;
    if (id != m_currentId || m_draft) {
        selectRow(id);
        currentRowChanged();
    }
    return m_currentId == id;
}

void AgentsPane::currentRowChanged()
{
    if (m_selecting)
        return;
    const QString id = m_view->currentIndex().data(PagedListModel::IdRole).toString();
    if (id.isEmpty() || (id == m_currentId && !m_draft))
        return;
    if (!askAboutUnsaved()) {
        // Cancel: the edited agent stays, and so does its row.
        selectRow(m_draft ? QString() : m_currentId);
        return;
    }
    openAgent(id);
}

void AgentsPane::openAgent(const QString &id)
{
    m_draft = false;
    m_currentId = id;
    const quint64 generation = ++m_loadGeneration;
    if (const int row = context().agents->rowOf(id); row >= 0)
        m_editor->setAgent(context().agents->agentAt(row)); // shown at once, refreshed below
    m_loading = true;
    m_editor->setEnabled(false);
    updateActions();
    // The list's copy has no etag: fetch the agent itself, so a save can send If-Match.
    context().platform->agent(id).onFinished(this, [this, id, generation](
                                                       const sb::api::Result<Agent> &result) {
        if (generation != m_loadGeneration)
            return;
        m_loading = false;
        m_editor->setEnabled(true);
        if (result.ok()) {
            m_editor->setAgent(result.value());
            context().agents->upsert(result.value());
            updateActions();
            Q_EMIT agentLoaded(id);
            return;
        }
        updateActions();
        if (result.error().kind == ApiError::Kind::NotFound) {
            context().agents->remove(id);
            m_currentId.clear();
            m_banner->showMessage(MessageBanner::Kind::Warning,
                                  tr("This agent no longer exists on the server."));
            selectFirstIfNone();
            return;
        }
        disconnect(m_banner, &MessageBanner::retryRequested, this, nullptr);
        connect(
            m_banner, &MessageBanner::retryRequested, this, [this, id] { openAgent(id); },
            Qt::SingleShotConnection);
        m_banner->showMessage(MessageBanner::Kind::Error,
                              tr("The agent could not be loaded: %1").arg(result.error().caption()),
                              true);
    });
}

bool AgentsPane::hasUnsavedChanges() const
{
    return (m_draft || !m_currentId.isEmpty()) && m_editor->isModified();
}

bool AgentsPane::askAboutUnsaved()
{
    if (!hasUnsavedChanges())
        return true;
    const QString name = m_editor->edited().name.trimmed();
    QMessageBox box(QMessageBox::Question, tr("Unsaved Changes"),
                    name.isEmpty() ? tr("Save the new agent before leaving it?")
                                   : tr("Save your changes to “%1” before leaving it?").arg(name),
                    QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
    box.setObjectName(QStringLiteral("unsavedChangesBox"));
    box.setDefaultButton(QMessageBox::Save);
    const int answer = box.exec();
    if (answer == QMessageBox::Discard) {
        m_editor->revert();
        m_draft = false;
        updateActions();
        return true;
    }
    if (answer == QMessageBox::Save)
        return saveAndWait();
    return false;
}

bool AgentsPane::confirmLeave()
{
    return askAboutUnsaved();
}

QString AgentsPane::saveStatus() const
{
    return m_saveStatus->text();
}

void AgentsPane::updateActions()
{
    const bool canWrite = writable();
    const bool hasAgent = m_draft || !m_currentId.isEmpty();
    const bool modified = hasUnsavedChanges();
    const QString error = hasAgent ? m_editor->validationError() : QString();
    const bool idle = !m_saving && !m_loading;
    // Without the server's tag a save could overwrite someone else's change unseen.
    const bool tagMissing = !m_draft && m_editor->base().etag.isEmpty() && context().platform &&
                            context().platform->can(Platform::Capability::ConcurrencyTokens);
    m_save->setEnabled(canWrite && idle && hasAgent && modified && error.isEmpty() && !tagMissing);
    m_revert->setEnabled(idle && modified);
    m_new->setEnabled(canWrite && !m_saving);
    m_duplicate->setEnabled(canWrite && idle && !m_draft && !m_currentId.isEmpty());
    m_delete->setEnabled(canWrite && idle && hasAgent);

    QString status;
    if (!canWrite)
        status = context().platform
                     ? context().platform->unsupportedReason(Platform::Capability::AgentsWritable)
                     : tr("Not connected.");
    else if (m_saving)
        status = tr("Saving…");
    else if (m_loading && hasAgent)
        status = tr("Loading the agent…");
    else if (tagMissing && hasAgent)
        status = tr("The agent could not be loaded; reload it before saving.");
    else if (!error.isEmpty() && (modified || m_draft))
        status = tr("Cannot save. %1").arg(error);
    else if (modified)
        status = m_draft ? tr("New agent, not saved yet.") : tr("Unsaved changes.");
    m_saveStatus->setText(status);
    m_saveButton->setToolTip(status.isEmpty() ? m_save->toolTip() : status);

    const QString name = m_editor->edited().name.trimmed();
    m_heading->setText(!hasAgent        ? tr("No agent selected")
                       : name.isEmpty() ? tr("New agent")
                       : modified       ? tr("%1 (edited)").arg(name)
                                        : name);
    if (modified != m_wasModified) {
        m_wasModified = modified;
        Q_EMIT titleChanged();
    }
}

QByteArray AgentsPane::saveState() const
{
    QByteArray state;
    QDataStream out(&state, QIODevice::WriteOnly);
    out << kStateVersion << m_splitter->saveState() << m_view->horizontalHeader()->saveState();
    return state;
}

void AgentsPane::restoreState(const QByteArray &state)
{
    QDataStream in(state);
    quint32 version = 0;
    QByteArray splitter;
    QByteArray header;
    in >> version >> splitter >> header;
    if (in.status() != QDataStream::Ok || version != kStateVersion)
        return; // another layout's state: keep the defaults
    m_splitter->restoreState(splitter);
    m_view->horizontalHeader()->restoreState(header);
}

} // namespace sb::ui
