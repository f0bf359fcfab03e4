#include "commandpalette.h"

#include "commandpalettemodel.h"
#include "pane.h"

#include <QAction>
#include <QApplication>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QPainter>
#include <QStyledItemDelegate>
#include <QTextLayout>
#include <QTimer>
#include <QVBoxLayout>

namespace sb::ui {

namespace {

constexpr int MaxRecent = 8;
constexpr int VisibleRows = 10;

//! One command per row: icon, text with the matched letters in bold, then its group (dimmed)
//! and its shortcut in a key cap, both right-aligned.
class CommandDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    //! Width kept for the widest key cap, so that groups line up whether a row has a shortcut.
    void setShortcutWidth(int width) { m_shortcutWidth = width; }

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QSize size = QStyledItemDelegate::sizeHint(option, index);
        size.setHeight(std::max(size.height(), option.fontMetrics.height() + 14));
        return size;
    }

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override
    {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        const QString text = opt.text;
        const QIcon icon = opt.icon;
        opt.text.clear();
        opt.icon = QIcon();
        opt.features &= ~QStyleOptionViewItem::HasDecoration;
        const QStyle *style = opt.widget ? opt.widget->style() : QApplication::style();
        style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);

        const bool enabled = opt.state.testFlag(QStyle::State_Enabled);
        const bool selected = opt.state.testFlag(QStyle::State_Selected);
        const QPalette::ColorGroup group = enabled ? QPalette::Normal : QPalette::Disabled;
        const QColor textColour =
            opt.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text);
        const QColor dimColour =
            selected ? textColour : opt.palette.color(group, QPalette::PlaceholderText);
        const QFontMetrics fm(opt.font);
        const int pad = 8;
        QRect rect = opt.rect.adjusted(pad, 0, -pad, 0);

        painter->save();
        const int iconSize = 16;
        if (!icon.isNull())
            icon.paint(painter,
                       QRect(rect.left(), rect.center().y() - iconSize / 2, iconSize, iconSize),
                       Qt::AlignCenter, enabled ? QIcon::Normal : QIcon::Disabled);
        rect.setLeft(rect.left() + iconSize + pad);

        const QString shortcut = index.data(CommandPaletteModel::ShortcutRole).toString();
        if (!shortcut.isEmpty()) {
            const int w = fm.horizontalAdvance(shortcut) + 12;
            const int h = fm.height() + 4;
            const QRect cap(rect.right() - w, rect.center().y() - h / 2, w, h);
            painter->setPen(dimColour);
            painter->setRenderHint(QPainter::Antialiasing);
            painter->drawRoundedRect(QRectF(cap).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
            painter->setPen(textColour);
            painter->drawText(cap, Qt::AlignCenter, shortcut);
        }
        if (m_shortcutWidth > 0 || !shortcut.isEmpty())
            rect.setRight(rect.right() -
                          std::max(m_shortcutWidth, fm.horizontalAdvance(shortcut) + 12) - pad);
        const QString groupName = index.data(CommandPaletteModel::GroupRole).toString();
        const int groupWidth = std::min(fm.horizontalAdvance(groupName) + 2, rect.width() / 3);
        if (!groupName.isEmpty()) {
            painter->setPen(dimColour);
            painter->drawText(
                QRect(rect.right() - groupWidth, rect.top(), groupWidth, rect.height()),
                Qt::AlignRight | Qt::AlignVCenter,
                fm.elidedText(groupName, Qt::ElideRight, groupWidth));
            rect.setRight(rect.right() - groupWidth - 2 * pad);
        }

        const QString shown = fm.elidedText(text, Qt::ElideRight, rect.width());
        QTextLayout layout(shown, opt.font);
        QList<QTextLayout::FormatRange> formats;
        QTextCharFormat bold;
        bold.setFontWeight(QFont::Bold);
        const QList<int> positions =
            index.data(CommandPaletteModel::MatchPositionsRole).value<QList<int>>();
        for (int p : positions)
            if (p < shown.size() - (shown == text ? 0 : 1))
                formats.append({p, 1, bold});
        layout.setFormats(formats);
        layout.beginLayout();
        QTextLine line = layout.createLine();
        line.setLineWidth(rect.width());
        layout.endLayout();
        painter->setPen(textColour);
        layout.draw(painter, QPointF(rect.left(), rect.center().y() - line.height() / 2));
        painter->restore();
    }

private:
    int m_shortcutWidth = 0;
};

} // namespace

CommandPalette::CommandPalette(QWidget *parent)
    : QFrame(parent, Qt::Popup | Qt::FramelessWindowHint)
    , m_search(new QLineEdit(this))
    , m_list(new QListView(this))
    , m_empty(new QLabel(this))
    , m_hint(new QLabel(this))
    , m_model(new CommandPaletteModel(this))
{
    setObjectName(QStringLiteral("commandPalette"));
    setWindowTitle(tr("Command Palette"));
    setAccessibleName(tr("Command palette"));
    setFrameShape(QFrame::StyledPanel);
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);

    m_search->setObjectName(QStringLiteral("paletteSearch"));
    m_search->setPlaceholderText(tr("Type a command…"));
    m_search->setAccessibleName(tr("Search commands"));
    m_search->setClearButtonEnabled(true);
    m_search->installEventFilter(this);

    m_list->setObjectName(QStringLiteral("paletteList"));
    m_list->setAccessibleName(tr("Commands"));
    m_list->setModel(m_model);
    m_delegate = new CommandDelegate(m_list);
    m_list->setItemDelegate(m_delegate);
    m_list->setFocusPolicy(Qt::NoFocus); // typing always goes to the search field
    m_list->setFrameShape(QFrame::NoFrame);
    m_list->setUniformItemSizes(true);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_list->setMouseTracking(true);

    m_empty->setObjectName(QStringLiteral("paletteEmpty"));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setForegroundRole(QPalette::PlaceholderText);
    m_empty->setWordWrap(true);
    m_empty->hide();
    m_hint->setText(tr("↑↓ to choose · Enter to run · Esc to close"));
    m_hint->setForegroundRole(QPalette::PlaceholderText);
    m_hint->setAlignment(Qt::AlignRight);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 6);
    layout->setSpacing(6);
    layout->addWidget(m_search);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_empty, 1);
    layout->addWidget(m_hint);

    connect(m_search, &QLineEdit::textChanged, this, &CommandPalette::onQueryChanged);
    connect(m_list, &QListView::clicked, this,
            [this](const QModelIndex &index) { runRow(index.row()); });
}

CommandPalette::~CommandPalette() = default;

void CommandPalette::setActions(const QList<QAction *> &actions)
{
    QList<CommandPaletteModel::Command> commands;
    commands.reserve(actions.size());
    for (QAction *action : actions) {
        if (!action)
            continue;
        bool duplicate = false;
        for (const auto &c : std::as_const(commands))
            duplicate = duplicate || c.action == action;
        if (duplicate || action->menu())
            continue;
        commands.append({action, CommandPaletteModel::plainText(action->text()), groupOf(action)});
    }
    m_model->setCommands(commands);
    selectRow(0);
}

QList<QAction *> CommandPalette::actions() const
{
    QList<QAction *> list;
    for (const auto &c : m_model->commands())
        if (c.action)
            list.append(c.action);
    return list;
}

QString CommandPalette::groupOf(const QAction *action)
{
    if (!action)
        return QString();
    const QString explicitGroup = action->property(GroupProperty).toString();
    if (!explicitGroup.isEmpty())
        return explicitGroup;
    for (const QObject *o = action->parent(); o; o = o->parent())
        if (const auto *pane = qobject_cast<const Pane *>(o))
            return pane->title();
    const QList<QObject *> owners = action->associatedObjects();
    for (const QObject *o : owners)
        if (const auto *pane = qobject_cast<const Pane *>(o))
            return pane->title();
    for (const QObject *o : owners)
        if (const auto *menu = qobject_cast<const QMenu *>(o); menu && !menu->title().isEmpty())
            return CommandPaletteModel::plainText(menu->title());
    return tr("General");
}

void CommandPalette::popup()
{
    m_model->refresh();
    int widest = 0;
    for (const auto &command : m_model->commands())
        if (command.action && !command.action->shortcut().isEmpty())
            widest = std::max(widest,
                              fontMetrics().horizontalAdvance(
                                  command.action->shortcut().toString(QKeySequence::NativeText)) +
                                  12);
    static_cast<CommandDelegate *>(m_delegate)->setShortcutWidth(widest);
    if (m_search->text().isEmpty())
        onQueryChanged(QString());
    else
        m_search->clear();
    placeOverWindow();
    show();
    raise();
    activateWindow();
    m_search->setFocus(Qt::PopupFocusReason);
}

QString CommandPalette::query() const
{
    return m_search->text();
}

QList<QAction *> CommandPalette::recentActions() const
{
    QList<QAction *> list;
    for (const auto &a : m_recent)
        if (a)
            list.append(a);
    return list;
}

void CommandPalette::placeOverWindow()
{
    QWidget *window = parentWidget() ? parentWidget()->window() : nullptr;
    const QRect area =
        window ? QRect(window->mapToGlobal(QPoint(0, 0)), window->size()) : QRect(0, 0, 1024, 768);
    const int width = std::clamp(area.width() * 3 / 5, std::min(440, area.width()), 680);
    const int rowHeight = std::max(m_list->sizeHintForRow(0), fontMetrics().height() + 14);
    const int height =
        m_search->sizeHint().height() + m_hint->sizeHint().height() + rowHeight * VisibleRows + 30;
    resize(width, std::min(height, std::max(200, area.height() - 80)));
    move(area.left() + (area.width() - width) / 2, area.top() + std::min(80, area.height() / 10));
}

void CommandPalette::onQueryChanged(const QString &text)
{
    m_model->setQuery(text);
    const bool none = m_model->rowCount() == 0;
    m_list->setVisible(!none);
    m_empty->setVisible(none);
    m_empty->setText(text.trimmed().isEmpty() ? tr("No commands are available.")
                                              : tr("No command matches “%1”.").arg(text.trimmed()));
    selectRow(0);
}

void CommandPalette::selectRow(int row)
{
    const int count = m_model->rowCount();
    // The first selectable row at or after `row` (disabled commands are sorted last).
    while (row < count && !m_model->isRowEnabled(row))
        ++row;
    if (row >= count) {
        m_list->clearSelection();
        m_list->setCurrentIndex(QModelIndex());
        return;
    }
    const QModelIndex index = m_model->index(row);
    m_list->setCurrentIndex(index);
    m_list->scrollTo(index);
}

void CommandPalette::moveSelection(int delta)
{
    const int count = m_model->rowCount();
    if (count == 0)
        return;
    int row = m_list->currentIndex().isValid() ? m_list->currentIndex().row() : -1;
    const int step = delta > 0 ? 1 : -1;
    int target = row;
    for (int moved = 0, r = row + step; r >= 0 && r < count; r += step) {
        if (!m_model->isRowEnabled(r))
            continue;
        target = r;
        if (++moved == std::abs(delta))
            break;
    }
    if (target >= 0 && target != row) {
        const QModelIndex index = m_model->index(target);
        m_list->setCurrentIndex(index);
        m_list->scrollTo(index);
    }
}

void CommandPalette::runRow(int row)
{
    if (!m_model->isRowEnabled(row))
        return;
    QPointer<QAction> action = m_model->actionAt(row);
    m_recent.removeAll(action);
    m_recent.removeAll(nullptr);
    m_recent.prepend(action);
    while (m_recent.size() > MaxRecent)
        m_recent.removeLast();
    m_model->setRecent(m_recent);
    hide();
    Q_EMIT commandTriggered(action);
    // Run it from the event loop, after the popup has closed and focus went back to the window:
    // the command may open a dialog, or even replace the window this palette belongs to.
    QTimer::singleShot(0, action, [action] {
        if (action && action->isEnabled())
            action->trigger();
    });
}

bool CommandPalette::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_search && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        const int page =
            std::max(1, m_list->viewport()->height() / std::max(1, m_list->sizeHintForRow(0)) - 1);
        switch (key->key()) {
        case Qt::Key_Down:
            moveSelection(1);
            return true;
        case Qt::Key_Up:
            moveSelection(-1);
            return true;
        case Qt::Key_PageDown:
            moveSelection(page);
            return true;
        case Qt::Key_PageUp:
            moveSelection(-page);
            return true;
        case Qt::Key_Return:
        case Qt::Key_Enter:
            if (m_list->currentIndex().isValid())
                runRow(m_list->currentIndex().row());
            return true;
        case Qt::Key_Escape:
            hide();
            return true;
        default:
            break;
        }
    }
    return QFrame::eventFilter(watched, event);
}

} // namespace sb::ui
