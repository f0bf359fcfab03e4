#include "contactspane.h"

#include "contacteditor.h"
#include "messagebanner.h"

#include "api/platform.h"
#include "models/contactmodel.h"
#include "models/listfilterproxy.h"

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QIODevice>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QSet>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace sb::ui {

using sb::api::Contact;
using sb::models::ContactModel;
using sb::models::PagedListModel;

ContactsPane::ContactsPane(const ConsoleContext &context, QWidget *parent)
    : Pane(QStringLiteral("contacts"), context, parent)
    , m_model(new ContactModel(this))
    , m_proxy(new sb::models::ListFilterProxy(this))
    , m_search(new QLineEdit(this))
    , m_tag(new QComboBox(this))
    , m_state(new QLabel(this))
    , m_splitter(new QSplitter(this))
    , m_view(new QTableView(this))
    , m_editor(new ContactEditor(context, this))
    , m_debounce(new QTimer(this))
{
    m_search->setObjectName(QStringLiteral("search"));
    m_search->setPlaceholderText(tr("Search name, phone, e-mail, company…"));
    m_search->setClearButtonEnabled(true);
    m_search->setAccessibleName(tr("Search contacts"));
    m_tag->setObjectName(QStringLiteral("tag"));
    m_tag->setAccessibleName(tr("Tag filter"));
    m_tag->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_tag->addItem(tr("Any tag"), QString());
    m_state->setObjectName(QStringLiteral("state"));
    m_state->setWordWrap(true);
    m_view->setObjectName(QStringLiteral("contactsView"));
    m_view->setAccessibleName(tr("Contacts"));

    // The search runs on the server (q, tag); the proxy only sorts.
    m_proxy->setSourceModel(m_model);
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(ContactModel::Name, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setWordWrap(false);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(300); // one request per pause in typing, not per key

    buildActions();
    auto *searchRow = new QHBoxLayout;
    auto *tagLabel = new QLabel(tr("T&ag:"), this);
    tagLabel->setBuddy(m_tag);
    searchRow->addWidget(m_search, 1);
    searchRow->addWidget(tagLabel);
    searchRow->addWidget(m_tag);
    for (QAction *action : {m_newAction, m_refreshAction}) {
        auto *button = new QToolButton(this);
        button->setDefaultAction(action);
        button->setAccessibleName(action->text().remove(QLatin1Char('&')));
        searchRow->addWidget(button);
    }
    auto *listSide = new QWidget(this);
    auto *listLayout = new QVBoxLayout(listSide);
    listLayout->setContentsMargins(0, 0, 0, 0);
    listLayout->addLayout(searchRow);
    listLayout->addWidget(m_state);
    listLayout->addWidget(m_view, 1);
    m_splitter->addWidget(listSide);
    m_splitter->addWidget(m_editor);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setChildrenCollapsible(false);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addWidget(m_splitter, 1);
    setTabOrder(m_search, m_tag);
    setTabOrder(m_tag, m_view);

    connect(m_search, &QLineEdit::textChanged, m_debounce, qOverload<>(&QTimer::start));
    connect(m_search, &QLineEdit::returnPressed, this, &ContactsPane::applySearch);
    connect(m_debounce, &QTimer::timeout, this, &ContactsPane::applySearch);
    connect(m_tag, &QComboBox::currentIndexChanged, this, &ContactsPane::applySearch);
    connect(m_model, &PagedListModel::stateChanged, this, &ContactsPane::updateState);
    connect(m_model, &PagedListModel::stateChanged, this, &ContactsPane::updateTags);
    if (context.contacts)
        connect(context.contacts, &PagedListModel::stateChanged, this, &ContactsPane::updateTags);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &index) {
                const QString id = index.data(PagedListModel::IdRole).toString();
                if (id.isEmpty() || id == m_editor->contactId())
                    return;
                if (!confirmLeave()) {
                    selectContact(m_editor->contactId());
                    return;
                }
                openCurrent();
            });
    connect(m_editor, &ContactEditor::dirtyChanged, this, [this] {
        m_saveAction->setEnabled(m_editor->isDirty());
        Q_EMIT titleChanged();
    });
    connect(m_editor, &ContactEditor::saved, this, [this](const Contact &contact, bool created) {
        m_banner->hide();
        m_model->upsert(contact);
        if (this->context().contacts) // the full list (completion, names of callers) learns it
            this->context().contacts->upsert(contact);
        if (created)
            selectContact(contact.id);
        m_callAction->setEnabled(true);
        updateTags();
        Q_EMIT titleChanged();
    });
    connect(m_editor, &ContactEditor::saveFailed, this, [this](const QString &message) {
        m_banner->showMessage(MessageBanner::Kind::Error, message, true);
    });
    connect(m_banner, &MessageBanner::retryRequested, this, [this] {
        if (m_model->state() == PagedListModel::State::Failed)
            m_model->reload();
        else
            m_editor->save();
    });
    connect(m_editor, &ContactEditor::callRequested, this, [this](const QString &phone) {
        if (this->context().navigator)
            Q_EMIT this->context().navigator->placeCall(phone, QString());
    });
    updateState();
}

QString ContactsPane::title() const
{
    return tr("Contacts");
}

QList<QAction *> ContactsPane::paneActions() const
{
    return {m_newAction, m_saveAction, m_callAction, m_searchAction, m_refreshAction};
}

void ContactsPane::buildActions()
{
    const auto make = [this](const QString &text, const QKeySequence &key, const QString &tip,
                             const char *name) {
        auto *action = new QAction(text, this);
        action->setObjectName(QLatin1String(name));
        action->setShortcut(key);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        action->setToolTip(
            tr("%1 (%2)").arg(tip, action->shortcut().toString(QKeySequence::NativeText)));
        action->setStatusTip(tip);
        addAction(action);
        return action;
    };
    m_newAction = make(tr("&New Contact"), QKeySequence::New, tr("Create a contact"), "newContact");
    m_saveAction =
        make(tr("&Save Contact"), QKeySequence::Save, tr("Save the contact"), "saveContact");
    m_callAction = make(tr("&Call Contact…"), QKeySequence(Qt::CTRL | Qt::Key_Return),
                        tr("Place a call to the selected contact"), "callContact");
    m_searchAction =
        make(tr("&Search"), QKeySequence::Find, tr("Search the contacts"), "searchContacts");
    m_refreshAction = make(tr("Re&fresh"), QKeySequence::Refresh, tr("Load the contacts again"),
                           "refreshContacts");
    m_saveAction->setEnabled(false);
    m_callAction->setEnabled(false);
    connect(m_newAction, &QAction::triggered, this, [this] {
        if (!confirmLeave())
            return;
        m_view->selectionModel()->clearCurrentIndex();
        m_editor->createNew();
        m_callAction->setEnabled(false);
    });
    connect(m_saveAction, &QAction::triggered, m_editor, &ContactEditor::save);
    connect(m_callAction, &QAction::triggered, this, [this] {
        const int row = m_model->rowOf(m_editor->contactId());
        if (row >= 0 && this->context().navigator)
            Q_EMIT this->context().navigator->placeCall(m_model->contactAt(row).phone, QString());
    });
    connect(m_searchAction, &QAction::triggered, this, [this] {
        m_search->setFocus(Qt::ShortcutFocusReason);
        m_search->selectAll();
    });
    connect(m_refreshAction, &QAction::triggered, m_model, &PagedListModel::reload);
}

QString ContactsPane::unavailableReason() const
{
    const sb::api::Platform *platform = context().platform;
    return platform ? platform->unsupportedReason(sb::api::Platform::Capability::Contacts)
                    : QString();
}

void ContactsPane::activated()
{
    if (!unavailableReason().isEmpty())
        return;
    if (!m_loaded && context().platform)
        m_model->load(context().platform);
    m_loaded = true;
    updateTags();
}

void ContactsPane::applySearch()
{
    m_debounce->stop();
    m_model->setSearch(m_search->text(), m_tag->currentData().toString());
}

void ContactsPane::selectContact(const QString &id)
{
    const int row = m_model->rowOf(id);
    const QModelIndex index =
        row < 0 ? QModelIndex() : m_proxy->mapFromSource(m_model->index(row, 0));
    if (!index.isValid())
        return;
    m_view->setCurrentIndex(index);
    m_view->scrollTo(index);
}

void ContactsPane::openCurrent()
{
    const QString id = m_view->currentIndex().data(PagedListModel::IdRole).toString();
    const int row = m_model->rowOf(id);
    if (row < 0)
        return;
    m_editor->edit(m_model->contactAt(row));
    m_callAction->setEnabled(!m_model->contactAt(row).phone.isEmpty());
}

void ContactsPane::updateState()
{
    QString text;
    switch (m_model->state()) {
    case PagedListModel::State::Idle:
    case PagedListModel::State::Loading:
        text = tr("Searching…");
        break;
    case PagedListModel::State::Failed:
        m_banner->showMessage(
            MessageBanner::Kind::Error,
            tr("The contacts could not be loaded: %1").arg(m_model->lastError().caption()), true);
        break;
    case PagedListModel::State::NotSupported:
        text = m_model->notSupportedReason();
        m_newAction->setEnabled(false);
        break;
    case PagedListModel::State::Loaded:
        if (!m_columnsSized && m_model->rowCount() > 0) {
            m_view->resizeColumnsToContents();
            m_columnsSized = true;
        }
        if (m_editor->contactId().isEmpty() && !m_editor->isNew() && m_proxy->rowCount() > 0)
            m_view->setCurrentIndex(m_proxy->index(0, 0)); // a form with something in it
        if (m_model->rowCount() == 0)
            text = m_model->query().isEmpty() && m_model->tag().isEmpty()
                       ? tr("No contacts yet.")
                       : tr("No contact matches this search.");
        else
            text = tr("%n contact(s)", nullptr, m_model->rowCount());
        break;
    }
    m_state->setText(text);
    m_state->setVisible(!text.isEmpty());
}

void ContactsPane::updateTags()
{
    // Talknex has no tag list: offer the tags seen on contacts (the full list and this one).
    QSet<QString> seen;
    for (const ContactModel *model : {static_cast<const ContactModel *>(context().contacts),
                                      static_cast<const ContactModel *>(m_model)}) {
        if (!model)
            continue;
        for (const Contact &c : model->items()) {
            for (const QString &t : c.tags)
                seen.insert(t);
        }
    }
    QStringList tags(seen.cbegin(), seen.cend());
    tags.sort(Qt::CaseInsensitive);
    const QString keep = m_tag->currentData().toString();
    QSignalBlocker block(m_tag);
    while (m_tag->count() > 1)
        m_tag->removeItem(1);
    for (const QString &t : tags)
        m_tag->addItem(t, t);
    if (!keep.isEmpty() && m_tag->findData(keep) < 0)
        m_tag->addItem(keep, keep);
    m_tag->setCurrentIndex(qMax(0, m_tag->findData(keep)));
}

bool ContactsPane::hasUnsavedChanges() const
{
    return m_editor->isDirty();
}

bool ContactsPane::confirmLeave()
{
    if (!m_editor->isDirty())
        return true;
    const auto answer = QMessageBox::question(
        this, tr("Unsaved Changes"), tr("The changes to this contact are not saved."),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Cancel)
        return false;
    if (answer == QMessageBox::Save) {
        if (!m_editor->problem().isEmpty())
            return false; // it cannot be saved as it is; the form says why
        m_editor->save(); // finishes in the background; a failure shows in the banner
    } else {
        m_editor->revert();
    }
    return true;
}

QByteArray ContactsPane::saveState() const
{
    QByteArray state;
    QDataStream out(&state, QIODevice::WriteOnly);
    out << qint32(1) << m_splitter->saveState() << m_view->horizontalHeader()->saveState();
    return state;
}

void ContactsPane::restoreState(const QByteArray &state)
{
    QDataStream in(state);
    qint32 version = 0;
    QByteArray splitter, header;
    in >> version >> splitter >> header;
    if (version != 1 || in.status() != QDataStream::Ok)
        return;
    m_splitter->restoreState(splitter);
    m_columnsSized = m_view->horizontalHeader()->restoreState(header);
}

} // namespace sb::ui
