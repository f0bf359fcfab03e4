#include "alertspane.h"

#include "alertruleseditor.h"
#include "messagebanner.h"
#include "statuscolors.h"

#include "models/alertlogmodel.h"
#include "models/livecallsmodel.h"
#include "models/settings.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDataStream>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QIODevice>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPainter>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace sb::ui {

using sb::models::AlertLogModel;
using sb::models::AlertRules;
using sb::models::AlertSeverity;

namespace {
constexpr quint32 kStateMagic = 0x414c5201; // "ALR" v1

//! Unacknowledged alerts in bold; the severity as a coloured shape (not colour alone).
class AlertRowDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        if (!index.data(AlertLogModel::AcknowledgedRole).toBool())
            option->font.setBold(true);
        if (index.column() != AlertLogModel::Severity)
            return;
        option->icon = severityIcon(AlertSeverity(index.data(AlertLogModel::SeverityRole).toInt()));
        option->features |= QStyleOptionViewItem::HasDecoration;
        option->decorationSize = QSize(16, 16);
    }

private:
    static QIcon severityIcon(AlertSeverity severity)
    {
        QPixmap pixmap(32, 32);
        pixmap.fill(Qt::transparent);
        QPainter p(&pixmap);
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(Qt::NoPen);
        switch (severity) {
        case AlertSeverity::Critical: {
            p.setBrush(StatusColors::failed());
            const QPointF octagon[] = {{11, 4},  {21, 4},  {28, 11}, {28, 21},
                                       {21, 28}, {11, 28}, {4, 21},  {4, 11}};
            p.drawPolygon(octagon, 8);
            break;
        }
        case AlertSeverity::Warning: {
            p.setBrush(StatusColors::busy());
            const QPointF triangle[] = {{16, 3}, {30, 28}, {2, 28}};
            p.drawPolygon(triangle, 3);
            break;
        }
        case AlertSeverity::Info:
        case AlertSeverity::None:
            p.setBrush(QColor(0x3d, 0x7e, 0xd8));
            p.drawEllipse(QRectF(5, 5, 22, 22));
            break;
        }
        p.end();
        pixmap.setDevicePixelRatio(2.0);
        return QIcon(pixmap);
    }
};
} // namespace

void AlertFilterProxy::setUnacknowledgedOnly(bool on)
{
    if (on == m_unacknowledgedOnly)
        return;
    m_unacknowledgedOnly = on;
    invalidateRowsFilter();
}

void AlertFilterProxy::setMinimumSeverity(int severity)
{
    if (severity == m_minimumSeverity)
        return;
    m_minimumSeverity = severity;
    invalidateRowsFilter();
}

bool AlertFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (m_unacknowledgedOnly && index.data(AlertLogModel::AcknowledgedRole).toBool())
        return false;
    if (index.data(AlertLogModel::SeverityRole).toInt() < m_minimumSeverity)
        return false;
    return ListFilterProxy::filterAcceptsRow(sourceRow, sourceParent);
}

AlertsPane::AlertsPane(const ConsoleContext &context, QWidget *parent)
    : Pane(QStringLiteral("alerts"), context, parent)
    , m_proxy(new AlertFilterProxy(this))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
    , m_filter(new QLineEdit(this))
    , m_severity(new QComboBox(this))
    , m_unackOnly(new QCheckBox(tr("&Unacknowledged only"), this))
    , m_summary(new QLabel(this))
    , m_view(new QTableView(this))
    , m_editor(new AlertRulesEditor(context.settings, context.alerts, this))
{
    m_proxy->setSourceModel(context.alertLog);
    buildActions();

    m_filter->setAccessibleName(tr("Filter alerts"));
    m_filter->setPlaceholderText(tr("Filter by call, rule or detail"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setToolTip(
        tr("Filter alerts (%1)").arg(m_find->shortcut().toString(QKeySequence::NativeText)));
    m_severity->setAccessibleName(tr("Lowest severity shown"));
    m_severity->addItem(tr("All severities"), 0);
    m_severity->addItem(tr("Warning and critical"), int(AlertSeverity::Warning));
    m_severity->addItem(tr("Critical only"), int(AlertSeverity::Critical));
    m_unackOnly->setAccessibleName(tr("Show unacknowledged alerts only"));

    m_view->setModel(m_proxy);
    m_view->setAccessibleName(tr("Alert log"));
    m_view->setItemDelegate(new AlertRowDelegate(m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(AlertLogModel::Time, Qt::DescendingOrder);
    m_view->verticalHeader()->hide();
    m_view->setWordWrap(false);
    // Widths from the font, not ResizeToContents: the log holds thousands of rows.
    QHeaderView *header = m_view->horizontalHeader();
    QFont bold = m_view->font();
    bold.setBold(true); // unacknowledged rows are bold
    const QFontMetrics fm(bold);
    const int pad = fm.averageCharWidth() * 3;
    header->resizeSection(AlertLogModel::Time,
                          fm.horizontalAdvance(QStringLiteral("00:00:00 PM")) + pad);
    header->resizeSection(AlertLogModel::Severity,
                          fm.horizontalAdvance(QStringLiteral("Critical")) + pad + 20);
    header->resizeSection(AlertLogModel::Rule,
                          fm.horizontalAdvance(tr("Transfer to a human")) + pad);
    header->resizeSection(AlertLogModel::Call,
                          fm.horizontalAdvance(QStringLiteral("call_0000000000000")) + pad);
    header->resizeSection(AlertLogModel::Acknowledged,
                          fm.horizontalAdvance(QStringLiteral("tester at 00:00:00")) + pad);
    header->setStretchLastSection(false);
    header->setSectionResizeMode(AlertLogModel::Detail, QHeaderView::Stretch);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_view->addActions({m_acknowledge, m_openCall});

    auto *filterLabel = new QLabel(tr("&Filter:"), this);
    filterLabel->setBuddy(m_filter);
    auto *severityLabel = new QLabel(tr("S&everity:"), this);
    severityLabel->setBuddy(m_severity);
    auto *bar = new QHBoxLayout;
    bar->addWidget(filterLabel);
    bar->addWidget(m_filter, 1);
    bar->addWidget(severityLabel);
    bar->addWidget(m_severity);
    bar->addWidget(m_unackOnly);
    auto *actions = new QHBoxLayout;
    for (QAction *a : {m_acknowledge, m_openCall}) {
        auto *button = new QToolButton(this);
        button->setDefaultAction(a);
        button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        button->setAccessibleName(a->text().remove(QLatin1Char('&')));
        actions->addWidget(button);
    }
    actions->addStretch(1);
    actions->addWidget(m_summary);

    auto *log = new QWidget(m_splitter);
    auto *logLayout = new QVBoxLayout(log);
    logLayout->setContentsMargins(0, 0, 0, 0);
    logLayout->addLayout(bar);
    logLayout->addLayout(actions);
    logLayout->addWidget(m_view, 1);
    auto *rules = new QGroupBox(tr("Alert rules"), m_splitter);
    auto *rulesLayout = new QVBoxLayout(rules);
    rulesLayout->addWidget(m_editor);
    m_splitter->addWidget(log);
    m_splitter->addWidget(rules);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setSizes({900, 300});
    m_splitter->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addWidget(m_splitter, 1);
    setTabOrder(m_filter, m_severity);
    setTabOrder(m_severity, m_unackOnly);
    setTabOrder(m_unackOnly, m_view);
    setTabOrder(m_view, m_editor);

    connect(m_filter, &QLineEdit::textChanged, m_proxy, &AlertFilterProxy::setFilterText);
    connect(m_severity, &QComboBox::currentIndexChanged, this,
            [this] { m_proxy->setMinimumSeverity(m_severity->currentData().toInt()); });
    connect(m_unackOnly, &QCheckBox::toggled, m_proxy, &AlertFilterProxy::setUnacknowledgedOnly);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &AlertsPane::updateActions);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &AlertsPane::updateActions);
    connect(m_view, &QTableView::activated, this, &AlertsPane::openCall);
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(context.alertLog, signal, this, &AlertsPane::updateSummary);
    connect(context.alertLog, &QAbstractItemModel::dataChanged, this, [this] {
        updateSummary();
        updateActions();
    });
    connect(m_editor, &AlertRulesEditor::modifiedChanged, this, [this](bool modified) {
        m_applyRules->setEnabled(modified);
        Q_EMIT titleChanged();
    });
    connect(m_editor, &AlertRulesEditor::applied, this,
            [this] { Q_EMIT this->context().navigator->statusMessage(tr("Alert rules saved.")); });
    updateSummary();
    updateActions();
}

void AlertsPane::buildActions()
{
    const auto make = [this](const QString &text, const QString &tip, const QKeySequence &key) {
        auto *a = new QAction(text, this);
        a->setShortcut(key);
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        a->setToolTip(tr("%1 (%2)").arg(tip, key.toString(QKeySequence::NativeText)));
        addAction(a);
        return a;
    };
    m_acknowledge = make(tr("&Acknowledge"), tr("Acknowledge the selected alerts"),
                         QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
    m_acknowledge->setIcon(style()->standardIcon(QStyle::SP_DialogApplyButton));
    m_openCall = make(tr("&Open Call"), tr("Open the alert's call"),
                      QKeySequence(Qt::CTRL | Qt::Key_Return));
    m_openCall->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    m_find = make(tr("&Find Alerts"), tr("Filter the alert log"), QKeySequence::Find);
    m_applyRules = make(tr("A&pply Alert Rules"), tr("Save and use the edited alert rules"),
                        QKeySequence(Qt::CTRL | Qt::Key_S));
    m_applyRules->setEnabled(false);
    connect(m_acknowledge, &QAction::triggered, this, &AlertsPane::acknowledgeSelected);
    connect(m_openCall, &QAction::triggered, this, &AlertsPane::openCall);
    connect(m_find, &QAction::triggered, this, [this] {
        m_filter->setFocus(Qt::ShortcutFocusReason);
        m_filter->selectAll();
    });
    connect(m_applyRules, &QAction::triggered, this, [this] { m_editor->apply(); });
}

QString AlertsPane::title() const
{
    return tr("Alerts");
}

QIcon AlertsPane::icon() const
{
    return style()->standardIcon(QStyle::SP_MessageBoxWarning);
}

QList<QAction *> AlertsPane::paneActions() const
{
    return {m_acknowledge, m_openCall, m_find, m_applyRules};
}

QByteArray AlertsPane::saveState() const
{
    QByteArray out;
    QDataStream s(&out, QIODevice::WriteOnly);
    s << kStateMagic << m_splitter->saveState() << m_view->horizontalHeader()->saveState()
      << m_unackOnly->isChecked() << m_severity->currentIndex();
    return out;
}

void AlertsPane::restoreState(const QByteArray &state)
{
    QDataStream s(state);
    quint32 magic = 0;
    QByteArray splitter, header;
    bool unackOnly = false;
    int severity = 0;
    s >> magic >> splitter >> header >> unackOnly >> severity;
    if (magic != kStateMagic || s.status() != QDataStream::Ok)
        return;
    m_splitter->restoreState(splitter);
    m_view->horizontalHeader()->restoreState(header);
    m_unackOnly->setChecked(unackOnly);
    if (severity >= 0 && severity < m_severity->count())
        m_severity->setCurrentIndex(severity);
}

bool AlertsPane::hasUnsavedChanges() const
{
    return m_editor->isModified();
}

bool AlertsPane::confirmLeave()
{
    if (!m_editor->isModified())
        return true;
    const auto answer = QMessageBox::question(
        this, tr("Unsaved Alert Rules"),
        tr("The alert rules have edits that are not applied. Apply them now?"),
        QMessageBox::Apply | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Apply);
    if (answer == QMessageBox::Cancel)
        return false;
    if (answer == QMessageBox::Discard) {
        m_editor->revert();
        return true;
    }
    return m_editor->apply(); // invalid edits keep the person here, message shown inline
}

int AlertsPane::acknowledgeSelected()
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    QList<qint64> ids;
    for (const QModelIndex &index : rows) {
        if (!index.data(AlertLogModel::AcknowledgedRole).toBool())
            ids.append(index.data(AlertLogModel::IdRole).toLongLong());
    }
    int done = 0;
    // Ids first: acknowledging changes rows, and with "unacknowledged only" removes them.
    for (qint64 id : std::as_const(ids)) {
        if (context().alertLog->acknowledge(id, context().userName))
            ++done;
    }
    if (done > 0)
        Q_EMIT context().navigator->statusMessage(tr("%n alert(s) acknowledged.", nullptr, done));
    updateActions();
    return done;
}

bool AlertsPane::isLive(const QString &callId) const
{
    if (!context().liveCalls)
        return false;
    const int row = context().liveCalls->rowOf(callId);
    if (row < 0)
        return false;
    switch (context().liveCalls->callAt(row).status) {
    case sb::api::CallStatus::Initiated:
    case sb::api::CallStatus::Ringing:
    case sb::api::CallStatus::InProgress:
        return true;
    default:
        return false;
    }
}

void AlertsPane::openCall()
{
    const QModelIndex current = m_view->currentIndex();
    if (!current.isValid())
        return;
    const QString callId = current.data(AlertLogModel::CallIdRole).toString();
    if (callId.isEmpty())
        return;
    if (isLive(callId))
        Q_EMIT context().navigator->showLiveCall(callId);
    else
        Q_EMIT context().navigator->showHistoryCall(callId);
}

void AlertsPane::updateActions()
{
    bool anyOpen = false;
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    for (const QModelIndex &index : rows)
        anyOpen = anyOpen || !index.data(AlertLogModel::AcknowledgedRole).toBool();
    m_acknowledge->setEnabled(anyOpen);
    m_openCall->setEnabled(m_view->currentIndex().isValid());
}

void AlertsPane::updateSummary()
{
    const int total = context().alertLog->rowCount();
    int open = 0;
    for (int row = 0; row < total; ++row)
        open += context().alertLog->alertAt(row).isAcknowledged() ? 0 : 1;
    m_summary->setText(total == 0 ? tr("No alerts in this session yet.")
                                  : tr("%n unacknowledged", nullptr, open) + QStringLiteral(" · ") +
                                        tr("%n alert(s)", nullptr, total));
}

} // namespace sb::ui
