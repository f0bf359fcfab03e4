#include "transcriptview.h"

#include "callwallpalette.h"
#include "transcriptfeedmodel.h"

#include "models/sentimenttimelinemodel.h"
#include "models/toolcallsmodel.h"
#include "models/transcriptmodel.h"

#include <QDateTime>
#include <QFontDatabase>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QKeyEvent>
#include <QListView>
#include <QPainter>
#include <QPainterPath>
#include <QScrollBar>
#include <QStyledItemDelegate>
#include <QToolButton>
#include <QVBoxLayout>

namespace sb::ui {

using sb::api::SpeakerRole;
using sb::models::ToolCallsModel;
using sb::models::TranscriptModel;
using Kind = TranscriptFeedModel::Kind;

namespace {

constexpr int kMargin = 6;   // around a bubble
constexpr int kPadding = 8;  // inside a bubble
constexpr int kLabelGap = 2; // between the label line and the text
//! A person who scrolled within this long is reading: playback does not move the view.
constexpr qint64 kUserScrollQuietMs = 3000;

QString prettyJson(const QJsonValue &value)
{
    if (value.isUndefined())
        return TranscriptView::tr("(no result yet)");
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Indented))
            .trimmed();
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Indented))
            .trimmed();
    if (value.isString())
        return value.toString();
    if (value.isNull())
        return QStringLiteral("null");
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    return QString::number(value.toDouble());
}

//! Paints a line as a bubble (agent left, caller right) and a tool call as a full-width card
//! whose JSON opens on click. Sizes are cached by content and width: an interim line that grows
//! re-measures only itself, not the whole transcript.
class TranscriptDelegate : public QStyledItemDelegate
{
public:
    explicit TranscriptDelegate(QListView *view)
        : QStyledItemDelegate(view)
        , m_view(view)
    {}

    struct Layout
    {
        QRect bubble;
        QRect label;
        QRect text;
        QString labelText;
        QString body;
        Qt::Alignment align = Qt::AlignLeft;
    };

    int availableWidth() const { return qMax(120, m_view->viewport()->width()); }

    Layout layoutFor(const QModelIndex &index, const QFont &font, int width) const
    {
        Layout l;
        const auto kind = Kind(index.data(TranscriptFeedModel::KindRole).toInt());
        const qint64 ms = index.data(TranscriptFeedModel::TimeMsRole).toLongLong();
        QFont bold = font;
        bold.setBold(true);
        const QFontMetrics labelMetrics(bold);
        int maxBubble = width - 2 * kMargin;
        QFont bodyFont = font;
        if (kind == Kind::Line) {
            const auto role = SpeakerRole(index.data(TranscriptModel::SpeakerRole).toInt());
            const bool isFinal = index.data(TranscriptModel::IsFinalRole).toBool();
            l.labelText = CallPalette::speakerName(role) + QStringLiteral(" · ") +
                          sb::models::callTimeText(ms);
            if (!isFinal)
                l.labelText = TranscriptView::tr("%1 · speaking…").arg(l.labelText);
            else if (index.data(TranscriptModel::InterruptedRole).toBool())
                l.labelText = TranscriptView::tr("%1 · cut off").arg(l.labelText);
            l.body = index.data(TranscriptModel::TextRole).toString();
            bodyFont.setItalic(!isFinal);
            if (role == SpeakerRole::Agent || role == SpeakerRole::Caller)
                maxBubble = maxBubble * 3 / 4;
            l.align = role == SpeakerRole::Caller  ? Qt::AlignRight
                      : role == SpeakerRole::Agent ? Qt::AlignLeft
                                                   : Qt::AlignHCenter;
        } else {
            const bool expanded = index.data(TranscriptFeedModel::ExpandedRole).toBool();
            const QString tool = index.data(ToolCallsModel::ToolRole).toString();
            const QString error = index.data(ToolCallsModel::ErrorRole).toString();
            const bool pending = index.data(ToolCallsModel::PendingRole).toBool();
            const QString state = pending           ? TranscriptView::tr("waiting for result")
                                  : error.isEmpty() ? TranscriptView::tr("done")
                                                    : TranscriptView::tr("failed: %1").arg(error);
            l.labelText = QStringLiteral("%1 %2 · %3 · %4")
                              .arg(expanded ? QStringLiteral("▾") : QStringLiteral("▸"),
                                   TranscriptView::tr("Tool %1").arg(tool),
                                   sb::models::callTimeText(ms), state);
            if (expanded) {
                l.body = TranscriptView::tr("Arguments:") + QLatin1Char('\n') +
                         prettyJson(index.data(ToolCallsModel::ArgsRole).toJsonValue()) +
                         QLatin1String("\n\n") + TranscriptView::tr("Result:") + QLatin1Char('\n') +
                         prettyJson(index.data(ToolCallsModel::ResultRole).toJsonValue());
                bodyFont = QFontDatabase::systemFont(QFontDatabase::FixedFont);
            }
            l.align = Qt::AlignLeft;
        }
        const int textMax = maxBubble - 2 * kPadding;
        const QFontMetrics fm(bodyFont);
        const QRect labelBox =
            labelMetrics.boundingRect(QRect(0, 0, textMax, 10000), Qt::TextWordWrap, l.labelText);
        QRect textBox;
        if (!l.body.isEmpty())
            textBox = fm.boundingRect(QRect(0, 0, textMax, 100000), Qt::TextWordWrap, l.body);
        int inner = qMax(labelBox.width(), textBox.width());
        if (kind == Kind::Tool)
            inner = textMax; // cards span the width so the inline JSON has room
        const int bubbleW = qMin(maxBubble, inner + 2 * kPadding);
        const int bubbleH = 2 * kPadding + labelBox.height() +
                            (textBox.isEmpty() ? 0 : kLabelGap + textBox.height());
        int x = kMargin;
        if (l.align == Qt::AlignRight)
            x = width - kMargin - bubbleW;
        else if (l.align == Qt::AlignHCenter)
            x = (width - bubbleW) / 2;
        l.bubble = QRect(x, kMargin, bubbleW, bubbleH);
        l.label =
            QRect(x + kPadding, kMargin + kPadding, bubbleW - 2 * kPadding, labelBox.height());
        l.text = QRect(x + kPadding, l.label.bottom() + 1 + kLabelGap, bubbleW - 2 * kPadding,
                       textBox.height());
        return l;
    }

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        const int width = availableWidth();
        const QString key = QString::number(width) + QLatin1Char('|') +
                            index.data(TranscriptFeedModel::KindRole).toString() +
                            index.data(TranscriptFeedModel::ExpandedRole).toString() +
                            index.data(TranscriptModel::IsFinalRole).toString() +
                            index.data(ToolCallsModel::PendingRole).toString() +
                            index.data(Qt::AccessibleTextRole).toString();
        const auto cached = m_sizes.constFind(key);
        if (cached != m_sizes.cend())
            return *cached;
        if (m_sizes.size() > 20000)
            m_sizes.clear();
        const Layout l = layoutFor(index, option.font, width);
        const QSize size(width, l.bubble.height() + 2 * kMargin);
        m_sizes.insert(key, size);
        return size;
    }

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override
    {
        const QPalette &pal = option.palette;
        const auto kind = Kind(index.data(TranscriptFeedModel::KindRole).toInt());
        Layout l = layoutFor(index, option.font, option.rect.width());
        const QPoint origin = option.rect.topLeft();
        l.bubble.translate(origin);
        l.label.translate(origin);
        l.text.translate(origin);

        painter->save();
        painter->setRenderHint(QPainter::Antialiasing);
        QColor fill;
        QColor labelColor;
        QColor border = Qt::transparent;
        const bool highlighted = index.data(TranscriptFeedModel::HighlightedRole).toBool();
        if (kind == Kind::Line) {
            const auto role = SpeakerRole(index.data(TranscriptModel::SpeakerRole).toInt());
            fill = CallPalette::speakerFill(pal, role);
            labelColor = CallPalette::speakerLabel(pal, role);
        } else {
            const bool failed = !index.data(ToolCallsModel::ErrorRole).toString().isEmpty();
            fill = pal.color(QPalette::AlternateBase);
            labelColor = failed ? CallPalette::negative(pal) : pal.color(QPalette::Text);
            border = failed ? CallPalette::negative(pal) : pal.color(QPalette::Mid);
        }
        if (highlighted) {
            border = pal.color(QPalette::Highlight);
            fill = CallPalette::mix(fill, pal.color(QPalette::Highlight), 0.15);
        }
        if (option.state.testFlag(QStyle::State_HasFocus))
            border = pal.color(QPalette::Highlight);
        painter->setPen(border == Qt::transparent ? Qt::NoPen : QPen(border, highlighted ? 2 : 1));
        painter->setBrush(fill);
        painter->drawRoundedRect(QRectF(l.bubble).adjusted(0.5, 0.5, -0.5, -0.5), 8, 8);

        QFont bold = option.font;
        bold.setBold(true);
        painter->setFont(bold);
        painter->setPen(labelColor);
        painter->drawText(l.label, Qt::TextWordWrap | Qt::AlignLeft, l.labelText);
        if (!l.body.isEmpty()) {
            QFont body = option.font;
            QColor textColor = pal.color(QPalette::Text);
            if (kind == Kind::Line && !index.data(TranscriptModel::IsFinalRole).toBool()) {
                body.setItalic(true);
                textColor = pal.color(QPalette::PlaceholderText);
            } else if (kind == Kind::Tool) {
                body = QFontDatabase::systemFont(QFontDatabase::FixedFont);
            }
            painter->setFont(body);
            painter->setPen(textColor);
            painter->drawText(l.text, Qt::TextWordWrap | Qt::AlignLeft, l.body);
        }
        painter->restore();
    }

private:
    QListView *m_view;
    mutable QHash<QString, QSize> m_sizes;
};

} // namespace

TranscriptView::TranscriptView(QWidget *parent)
    : QWidget(parent)
    , m_feed(new TranscriptFeedModel(this))
    , m_view(new QListView(this))
    , m_jump(new QToolButton(m_view))
{
    m_view->setModel(m_feed);
    m_view->setItemDelegate(new TranscriptDelegate(m_view));
    m_view->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_view->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_view->setResizeMode(QListView::Adjust);
    m_view->setUniformItemSizes(false);
    m_view->setWordWrap(true);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAccessibleName(tr("Transcript"));
    m_view->setAccessibleDescription(
        tr("Lines of the call; Enter on a line seeks to it, on a tool call shows its data"));
    m_view->installEventFilter(this);
    m_view->viewport()->installEventFilter(this);

    m_jump->setText(tr("Jump to latest ↓"));
    m_jump->setToolTip(tr("Scroll to the newest line and follow the call again (%1)")
                           .arg(QKeySequence(Qt::Key_End).toString(QKeySequence::NativeText)));
    m_jump->setAccessibleName(tr("Jump to latest line"));
    m_jump->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_jump->setAutoRaise(false);
    m_jump->setFocusPolicy(Qt::NoFocus); // End does the same from the keyboard
    m_jump->hide();
    connect(m_jump, &QToolButton::clicked, this, &TranscriptView::jumpToLatest);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
    setFocusProxy(m_view);

    QScrollBar *bar = m_view->verticalScrollBar();
    connect(bar, &QScrollBar::valueChanged, this, &TranscriptView::onScrolled);
    connect(bar, &QScrollBar::rangeChanged, this, [this, bar] {
        if (isFollowing())
            bar->setValue(bar->maximum());
        onScrolled();
    });
    connect(bar, &QScrollBar::actionTriggered, this,
            [this] { m_lastUserScrollMs = QDateTime::currentMSecsSinceEpoch(); });
    connect(m_feed, &QAbstractItemModel::rowsInserted, this, &TranscriptView::onRowsInserted);
    connect(m_feed, &QAbstractItemModel::modelReset, this, [this] {
        m_atBottom = true;
        updateJumpButton();
    });
    // A line that grows (interim text) or a tool card that opens changes its height.
    // sizeHintChanged schedules one delayed layout however many rows changed in a batch.
    connect(m_feed, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex &topLeft) {
        Q_EMIT m_view->itemDelegate()->sizeHintChanged(topLeft);
    });
    connect(m_view, &QListView::clicked, this, &TranscriptView::onActivated);
}

void TranscriptView::setModel(TranscriptModel *model)
{
    m_feed->setTranscript(model);
}

void TranscriptView::setToolCalls(ToolCallsModel *model)
{
    m_feed->setToolCalls(model);
}

TranscriptModel *TranscriptView::model() const
{
    return m_feed->transcript();
}

void TranscriptView::setFollowLive(bool follow)
{
    m_followLive = follow;
    if (follow)
        jumpToLatest();
    updateJumpButton();
}

void TranscriptView::setHighlightTimeMs(qint64 ms)
{
    const int row = m_feed->setHighlightTimeMs(ms);
    if (row < 0)
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (m_lastUserScrollMs >= 0 && now - m_lastUserScrollMs < kUserScrollQuietMs)
        return;
    m_view->scrollTo(m_feed->index(row), QAbstractItemView::EnsureVisible);
}

int TranscriptView::highlightedRow() const
{
    return m_feed->highlightedRow();
}

QRect TranscriptView::bubbleRect(int row) const
{
    const QModelIndex index = m_feed->index(row);
    const QRect item = m_view->visualRect(index);
    if (!index.isValid() || item.isEmpty())
        return {};
    const auto *delegate = static_cast<const TranscriptDelegate *>(m_view->itemDelegate());
    return delegate->layoutFor(index, m_view->font(), item.width())
        .bubble.translated(item.topLeft());
}

void TranscriptView::jumpToLatest()
{
    m_atBottom = true;
    m_view->scrollToBottom();
    QScrollBar *bar = m_view->verticalScrollBar();
    bar->setValue(bar->maximum());
    updateJumpButton();
}

bool TranscriptView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view->viewport() && event->type() == QEvent::Wheel)
        m_lastUserScrollMs = QDateTime::currentMSecsSinceEpoch();
    if (watched == m_view && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        switch (key->key()) {
        case Qt::Key_End:
            jumpToLatest();
            return true;
        case Qt::Key_Return:
        case Qt::Key_Enter:
        case Qt::Key_Space:
            if (m_view->currentIndex().isValid()) {
                onActivated(m_view->currentIndex());
                return true;
            }
            break;
        case Qt::Key_Up:
        case Qt::Key_PageUp:
        case Qt::Key_Home:
            m_lastUserScrollMs = QDateTime::currentMSecsSinceEpoch();
            break;
        default:
            break;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void TranscriptView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    placeJumpButton();
}

void TranscriptView::onActivated(const QModelIndex &index)
{
    if (!index.isValid())
        return;
    if (Kind(index.data(TranscriptFeedModel::KindRole).toInt()) == Kind::Tool) {
        m_feed->setExpanded(index.row(), !m_feed->isExpanded(index.row()));
        return;
    }
    Q_EMIT lineActivated(index.data(TranscriptFeedModel::TimeMsRole).toLongLong());
}

void TranscriptView::onRowsInserted()
{
    if (isFollowing())
        m_view->scrollToBottom();
    updateJumpButton();
}

void TranscriptView::onScrolled()
{
    QScrollBar *bar = m_view->verticalScrollBar();
    // Only a position the person chose changes following: the range growing under a reader
    // who scrolled up leaves them where they are.
    m_atBottom = bar->value() >= bar->maximum() - 2;
    updateJumpButton();
}

void TranscriptView::placeJumpButton()
{
    const QSize hint = m_jump->sizeHint();
    const QRect area = m_view->viewport()->geometry();
    m_jump->move(area.right() - hint.width() - 12, area.bottom() - hint.height() - 12);
    m_jump->resize(hint);
}

void TranscriptView::updateJumpButton()
{
    const bool show = m_followLive && !m_atBottom && m_feed->rowCount() > 0;
    if (show)
        placeJumpButton();
    m_jump->setVisible(show);
    if (show)
        m_jump->raise();
}

} // namespace sb::ui
