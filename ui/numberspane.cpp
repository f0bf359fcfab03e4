#include "numberspane.h"

#include "messagebanner.h"
#include "placecalldialog.h"
#include "purchasedialog.h"

#include "api/logging.h"
#include "api/platform.h"
#include "models/agentlistmodel.h"
#include "models/e164.h"
#include "models/listfilterproxy.h"
#include "models/phonenumbermodel.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QIODevice>
#include <QLabel>
#include <QLineEdit>
#include <QLoggingCategory>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace sb::ui {

using sb::api::PhoneNumber;
using sb::api::PhoneNumberStatus;
using sb::api::RoutingMode;
using sb::models::PagedListModel;
using sb::models::PhoneNumberModel;

//! The list filter plus "hide released numbers" (the provider keeps them listed).
class NumberFilterProxy : public sb::models::ListFilterProxy
{
public:
    using ListFilterProxy::ListFilterProxy;

    void setShowReleased(bool show)
    {
        if (show == m_showReleased)
            return;
        m_showReleased = show;
        invalidateRowsFilter();
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override
    {
        const auto *numbers = static_cast<const PhoneNumberModel *>(sourceModel());
        if (!m_showReleased && numbers->numberAt(row).status == PhoneNumberStatus::Released)
            return false;
        return ListFilterProxy::filterAcceptsRow(row, parent);
    }

private:
    bool m_showReleased = false;
};

namespace {
QString withShortcut(const QString &text, const QAction *action)
{
    return NumbersPane::tr("%1 (%2)").arg(text,
                                          action->shortcut().toString(QKeySequence::NativeText));
}
} // namespace

NumbersPane::NumbersPane(const ConsoleContext &context, QWidget *parent)
    : Pane(QStringLiteral("numbers"), context, parent)
    , m_proxy(new NumberFilterProxy(this))
    , m_filter(new QLineEdit(this))
    , m_showReleased(new QCheckBox(tr("Show &released"), this))
    , m_state(new QLabel(this))
    , m_splitter(new QSplitter(this))
    , m_view(new QTableView(this))
{
    m_filter->setObjectName(QStringLiteral("filter"));
    m_filter->setPlaceholderText(tr("Filter numbers, names, agents…"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setAccessibleName(tr("Filter numbers"));
    m_showReleased->setObjectName(QStringLiteral("showReleased"));
    m_showReleased->setAccessibleName(tr("Show released numbers"));
    m_state->setObjectName(QStringLiteral("state"));
    m_state->setWordWrap(true);
    m_view->setObjectName(QStringLiteral("numbersView"));
    m_view->setAccessibleName(tr("Phone numbers"));

    m_proxy->setSourceModel(context.numbers);
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(PhoneNumberModel::Number, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_view->setWordWrap(false);

    // Names instead of agent ids in the Agent column, kept current as agents load or change.
    if (auto *agents = context.agents) {
        context.numbers->setAgentNameLookup([agents](const QString &id) {
            const int row = agents->rowOf(id);
            return row < 0 ? QString() : agents->agentAt(row).name;
        });
        const auto agentsChanged = [this] {
            this->context().numbers->refreshAgentNames();
            fillAgentCombo();
        };
        connect(agents, &QAbstractItemModel::modelReset, this, agentsChanged);
        connect(agents, &QAbstractItemModel::rowsInserted, this, agentsChanged);
        connect(agents, &QAbstractItemModel::dataChanged, this, agentsChanged);
    }

    buildActions();
    auto *formWidget = new QWidget(this);
    buildForm(formWidget);

    auto *filterRow = new QHBoxLayout;
    filterRow->addWidget(m_filter, 1);
    filterRow->addWidget(m_showReleased);
    for (QAction *action : {m_purchaseAction, m_refreshAction}) {
        auto *button = new QToolButton(this);
        button->setDefaultAction(action);
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        button->setAccessibleName(action->text().remove(QLatin1Char('&')));
        filterRow->addWidget(button);
    }
    auto *listSide = new QWidget(this);
    auto *listLayout = new QVBoxLayout(listSide);
    listLayout->setContentsMargins(0, 0, 0, 0);
    listLayout->addLayout(filterRow);
    listLayout->addWidget(m_state);
    listLayout->addWidget(m_view, 1);
    m_splitter->addWidget(listSide);
    m_splitter->addWidget(formWidget);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addWidget(m_splitter, 1);

    setTabOrder(m_filter, m_showReleased);
    setTabOrder(m_showReleased, m_view);
    setTabOrder(m_view, m_name);

    connect(m_filter, &QLineEdit::textChanged, m_proxy, &NumberFilterProxy::setFilterText);
    connect(m_showReleased, &QCheckBox::toggled, m_proxy, &NumberFilterProxy::setShowReleased);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &index) {
                const QString id = index.data(PagedListModel::IdRole).toString();
                if (id == m_currentId)
                    return;
                if (hasUnsavedChanges() && !currentRowShown())
                    return; // the filter hid the edited number: keep editing it, ask nothing
                if (!confirmLeave()) {
                    selectNumber(m_currentId); // stay on the edited number
                    return;
                }
                m_currentId = id;
                showSelected();
            });
    connect(context.numbers, &PagedListModel::stateChanged, this, &NumbersPane::updateState);
    connect(context.numbers, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &from, const QModelIndex &to) {
                const int row = this->context().numbers->rowOf(m_currentId);
                // Someone else changed the shown number: follow it unless it is being edited.
                if (row >= from.row() && row <= to.row() && !hasUnsavedChanges())
                    showSelected();
            });
    connect(context.numbers, &QAbstractItemModel::rowsRemoved, this, [this] {
        if (!current()) {
            m_currentId.clear();
            showSelected();
        }
    });
    connect(context.numbers, &QAbstractItemModel::modelReset, this, [this] {
        if (!current() || !hasUnsavedChanges())
            showSelected();
    });
    connect(m_banner, &MessageBanner::retryRequested, this, [this] {
        if (this->context().numbers->state() == PagedListModel::State::Failed)
            this->context().numbers->reload();
        else
            save();
    });

    fillAgentCombo();
    showSelected();
    updateState();
}

QString NumbersPane::title() const
{
    return tr("Numbers");
}

QIcon NumbersPane::icon() const
{
    return {}; // the window's themed icon for "numbers"
}

QList<QAction *> NumbersPane::paneActions() const
{
    return {m_purchaseAction, m_saveAction,    m_releaseAction,
            m_callAction,     m_refreshAction, m_filterAction};
}

void NumbersPane::buildActions()
{
    const auto make = [this](const QString &text, const QKeySequence &key, const QString &tip,
                             const char *name) {
        auto *action = new QAction(text, this);
        action->setObjectName(QLatin1String(name));
        action->setShortcut(key);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        action->setToolTip(withShortcut(tip, action));
        action->setStatusTip(tip);
        return action;
    };
    m_purchaseAction =
        make(tr("&Buy Number…"), QKeySequence::New, tr("Buy a phone number"), "purchaseNumber");
    m_saveAction = make(tr("&Save Number"), QKeySequence::Save,
                        tr("Save the selected number's name, agent and routing"), "saveNumber");
    m_releaseAction = make(tr("&Release Number…"), QKeySequence(Qt::CTRL | Qt::Key_Delete),
                           tr("Release the selected number to the provider"), "releaseNumber");
    m_callAction = make(tr("&Call From This Number…"), QKeySequence(Qt::CTRL | Qt::Key_Return),
                        tr("Place a call with the selected number as caller id"), "callFrom");
    m_refreshAction =
        make(tr("Re&fresh"), QKeySequence::Refresh, tr("Load the numbers again"), "refreshNumbers");
    m_filterAction =
        make(tr("&Filter"), QKeySequence::Find, tr("Filter the numbers"), "filterNumbers");
    connect(m_purchaseAction, &QAction::triggered, this, &NumbersPane::purchase);
    connect(m_saveAction, &QAction::triggered, this, &NumbersPane::save);
    connect(m_releaseAction, &QAction::triggered, this, &NumbersPane::askRelease);
    connect(m_callAction, &QAction::triggered, this, &NumbersPane::placeCallFromNumber);
    connect(m_refreshAction, &QAction::triggered, this, [this] { context().numbers->reload(); });
    connect(m_filterAction, &QAction::triggered, this, [this] {
        m_filter->setFocus(Qt::ShortcutFocusReason);
        m_filter->selectAll();
    });
    for (QAction *a : {m_purchaseAction, m_saveAction, m_releaseAction, m_callAction,
                       m_refreshAction, m_filterAction})
        addAction(a);
}

void NumbersPane::activated()
{
    auto *numbers = context().numbers;
    if (!m_loaded && numbers->state() == PagedListModel::State::Idle && context().platform)
        numbers->load(context().platform);
    m_loaded = true;
    updateState();
}

QByteArray NumbersPane::saveState() const
{
    QByteArray state;
    QDataStream out(&state, QIODevice::WriteOnly);
    out << qint32(1) << m_splitter->saveState() << m_view->horizontalHeader()->saveState()
        << m_showReleased->isChecked();
    return state;
}

void NumbersPane::restoreState(const QByteArray &state)
{
    QDataStream in(state);
    qint32 version = 0;
    QByteArray splitter, header;
    bool showReleased = false;
    in >> version >> splitter >> header >> showReleased;
    if (version != 1 || in.status() != QDataStream::Ok)
        return; // an older or damaged state: keep the defaults
    m_splitter->restoreState(splitter);
    m_columnsSized = m_view->horizontalHeader()->restoreState(header);
    m_showReleased->setChecked(showReleased);
}

const PhoneNumber *NumbersPane::current() const
{
    const int row = context().numbers->rowOf(m_currentId);
    return row < 0 || m_currentId.isEmpty() ? nullptr : &context().numbers->numberAt(row);
}

bool NumbersPane::currentRowShown() const
{
    const int row = context().numbers->rowOf(m_currentId);
    return row >= 0 && m_proxy->mapFromSource(context().numbers->index(row, 0)).isValid();
}

void NumbersPane::selectNumber(const QString &id)
{
    const int row = context().numbers->rowOf(id);
    if (row < 0)
        return;
    const QModelIndex index = m_proxy->mapFromSource(context().numbers->index(row, 0));
    if (!index.isValid())
        return;
    m_view->setCurrentIndex(index);
    m_view->scrollTo(index);
}

void NumbersPane::updateState()
{
    auto *numbers = context().numbers;
    QString text;
    switch (numbers->state()) {
    case PagedListModel::State::Idle:
    case PagedListModel::State::Loading:
        text = numbers->rowCount() == 0 ? tr("Loading phone numbers…") : QString();
        break;
    case PagedListModel::State::Failed:
        m_banner->showMessage(
            MessageBanner::Kind::Error,
            tr("The phone numbers could not be loaded: %1").arg(numbers->lastError().caption()),
            true);
        break;
    case PagedListModel::State::NotSupported:
        text = numbers->notSupportedReason();
        break;
    case PagedListModel::State::Loaded:
        if (!m_columnsSized && numbers->rowCount() > 0) {
            m_view->resizeColumnsToContents();
            m_columnsSized = true;
        }
        if (m_currentId.isEmpty() && m_proxy->rowCount() > 0)
            m_view->setCurrentIndex(m_proxy->index(0, 0)); // a form with something in it
        if (numbers->rowCount() == 0)
            text = tr("This organization has no phone numbers yet. Buy one with %1.")
                       .arg(m_purchaseAction->shortcut().toString(QKeySequence::NativeText));
        break;
    }
    m_state->setText(text);
    m_state->setVisible(!text.isEmpty());
    const bool canBuy = context().platform &&
                        context().platform->can(sb::api::Platform::Capability::NumberPurchase);
    m_purchaseAction->setEnabled(canBuy);
    if (!canBuy && context().platform)
        m_purchaseAction->setToolTip(
            context().platform->unsupportedReason(sb::api::Platform::Capability::NumberPurchase));
}

} // namespace sb::ui
