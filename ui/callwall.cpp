#include "callwall.h"

#include "callwallpalette.h"

#include "models/livecallsmodel.h"

#include <QHeaderView>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <QStyledItemDelegate>

namespace sb::ui {

using sb::models::AlertSeverity;
using sb::models::LiveCallsModel;

CallWallProxy::CallWallProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(LiveCallsModel::SortRole);
    setFilterKeyColumn(-1); // any column
    setFilterCaseSensitivity(Qt::CaseInsensitive);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    setDynamicSortFilter(true);
}

void CallWallProxy::setSourceModel(QAbstractItemModel *model)
{
    if (sourceModel())
        disconnect(sourceModel(), nullptr, this, nullptr);
    m_scores.clear();
    QSortFilterProxyModel::setSourceModel(model);
    if (!model)
        return;
    connect(model, &QAbstractItemModel::dataChanged, this, &CallWallProxy::recordScores);
    connect(model, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &, int first, int last) {
                for (int row = first; row <= last; ++row)
                    recordScore(row);
            });
    connect(model, &QAbstractItemModel::rowsAboutToBeRemoved, this,
            [this, model](const QModelIndex &, int first, int last) {
                for (int row = first; row <= last; ++row)
                    m_scores.remove(model->index(row, 0).data(LiveCallsModel::IdRole).toString());
            });
    for (int row = 0; row < model->rowCount(); ++row)
        recordScore(row);
}

void CallWallProxy::recordScores(const QModelIndex &topLeft, const QModelIndex &bottomRight)
{
    if (topLeft.column() > LiveCallsModel::Sentiment ||
        bottomRight.column() < LiveCallsModel::Sentiment)
        return;
    for (int row = topLeft.row(); row <= bottomRight.row(); ++row)
        recordScore(row);
}

void CallWallProxy::recordScore(int sourceRow)
{
    const QModelIndex index = sourceModel()->index(sourceRow, LiveCallsModel::Sentiment);
    const QVariant score = index.data(LiveCallsModel::SentimentScoreRole);
    if (!score.isValid())
        return;
    QList<double> &history = m_scores[index.data(LiveCallsModel::IdRole).toString()];
    // dataChanged also fires for other columns of the span: keep only real changes.
    if (!history.isEmpty() && qFuzzyCompare(history.last() + 2.0, score.toDouble() + 2.0))
        return;
    history.append(score.toDouble());
    if (history.size() > kHistory)
        history.removeFirst();
}

QVariant CallWallProxy::data(const QModelIndex &index, int role) const
{
    if (role == Qt::ToolTipRole && index.column() == LiveCallsModel::Sentiment)
        return QSortFilterProxyModel::data(index, Qt::DisplayRole); // the painted cell is short
    if (role == ScoreHistoryRole) {
        const QString id = index.data(LiveCallsModel::IdRole).toString();
        return QVariant::fromValue(m_scores.value(id));
    }
    return QSortFilterProxyModel::data(index, role);
}

int CallWallProxy::rowOfCall(const QString &callId) const
{
    auto *live = qobject_cast<LiveCallsModel *>(sourceModel());
    if (!live)
        return -1;
    const int sourceRow = live->rowOf(callId);
    if (sourceRow < 0)
        return -1;
    return mapFromSource(live->index(sourceRow, 0)).row();
}

QString CallWallProxy::callIdAt(int row) const
{
    return index(row, 0).data(LiveCallsModel::IdRole).toString();
}

namespace {

//! Sparkline of the sentiment, alert badge, dimmed interim lines and ended calls.
class CallWallDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        const bool ended = index.data(LiveCallsModel::EndedRole).toBool();
        if (ended) // lingering after its end: still readable, visibly over
            option->palette.setColor(QPalette::Text,
                                     option->palette.color(QPalette::PlaceholderText));
        if (index.column() == LiveCallsModel::LatestLine &&
            !index.data(LiveCallsModel::LatestIsFinalRole).toBool()) {
            option->font.setItalic(true);
            option->palette.setColor(QPalette::Text,
                                     option->palette.color(QPalette::PlaceholderText));
        }
    }

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override
    {
        if (index.column() == LiveCallsModel::Sentiment)
            return paintSentiment(painter, option, index);
        if (index.column() == LiveCallsModel::AlertState)
            return paintAlert(painter, option, index);
        QStyledItemDelegate::paint(painter, option, index);
    }

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QSize size = QStyledItemDelegate::sizeHint(option, index);
        if (index.column() == LiveCallsModel::Sentiment)
            size.setWidth(kSpark + 14 +
                          option.fontMetrics.horizontalAdvance(QStringLiteral("-0.00 ↗")));
        if (index.column() == LiveCallsModel::AlertState)
            size.setWidth(size.width() + 24);
        return size;
    }

private:
    static constexpr int kSpark = 44;

    void paintBackground(QPainter *painter, const QStyleOptionViewItem &option,
                         const QModelIndex &index) const
    {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        opt.text.clear();
        const QWidget *widget = opt.widget;
        QStyle *style = widget ? widget->style() : nullptr;
        if (style)
            style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);
    }

    void paintSentiment(QPainter *painter, const QStyleOptionViewItem &option,
                        const QModelIndex &index) const
    {
        paintBackground(painter, option, index);
        const QList<double> history =
            index.data(CallWallProxy::ScoreHistoryRole).value<QList<double>>();
        const QPalette &pal = option.palette;
        const bool selected = option.state.testFlag(QStyle::State_Selected);
        const QColor text =
            selected ? pal.color(QPalette::HighlightedText) : pal.color(QPalette::Text);
        QRect spark = option.rect.adjusted(4, 5, 0, -5);
        spark.setWidth(kSpark);
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing);
        const double midY = spark.center().y();
        painter->setPen(
            QPen(CallPalette::mix(text, pal.color(QPalette::Base), 0.6), 1, Qt::DotLine));
        painter->drawLine(QPointF(spark.left(), midY), QPointF(spark.right(), midY));
        if (history.size() >= 1) {
            QPainterPath path;
            const int n = int(history.size());
            for (int i = 0; i < n; ++i) {
                const double x =
                    n == 1 ? spark.right() : spark.left() + double(i) / (n - 1) * spark.width();
                const double y = midY - qBound(-1.0, history.at(i), 1.0) * spark.height() / 2.0;
                if (i == 0)
                    path.moveTo(x, y);
                else
                    path.lineTo(x, y);
            }
            const double last = history.last();
            const QColor line = last < 0 ? CallPalette::negative(pal)
                                         : (last > 0.2 ? CallPalette::positive(pal) : text);
            painter->setPen(QPen(selected ? text : line, 1.6));
            painter->drawPath(path);
            painter->setBrush(selected ? text : line);
            painter->drawEllipse(path.currentPosition(), 2.0, 2.0);
        }
        // The score and its trend; the label is in the tooltip (the model's display text).
        const QVariant score = index.data(LiveCallsModel::SentimentScoreRole);
        const int trend = index.data(LiveCallsModel::SentimentTrendRole).toInt();
        QString shown = score.isValid() ? QLocale().toString(score.toDouble(), 'f', 2)
                                        : index.data().toString();
        if (score.isValid() && trend != 0)
            shown += trend > 0 ? QStringLiteral(" ↗") : QStringLiteral(" ↘");
        painter->setPen(text);
        const QRect label = option.rect.adjusted(kSpark + 10, 0, -4, 0);
        painter->drawText(label, Qt::AlignVCenter | Qt::AlignLeft,
                          option.fontMetrics.elidedText(shown, Qt::ElideRight, label.width()));
        painter->restore();
    }

    void paintAlert(QPainter *painter, const QStyleOptionViewItem &option,
                    const QModelIndex &index) const
    {
        paintBackground(painter, option, index);
        const auto severity = AlertSeverity(index.data(LiveCallsModel::AlertSeverityRole).toInt());
        if (severity == AlertSeverity::None)
            return;
        const QPalette &pal = option.palette;
        const QColor color = CallPalette::severityColor(pal, severity);
        const QString text = QStringLiteral("⚠ ") + index.data().toString();
        const int w =
            qMin(option.rect.width() - 6, option.fontMetrics.horizontalAdvance(text) + 14);
        const QRect pill(option.rect.left() + 3, option.rect.top() + 3, w,
                         option.rect.height() - 6);
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing);
        painter->setPen(QPen(color, 1.2));
        painter->setBrush(CallPalette::mix(pal.color(QPalette::Base), color, 0.22));
        painter->drawRoundedRect(QRectF(pill).adjusted(0.5, 0.5, -0.5, -0.5), pill.height() / 2.0,
                                 pill.height() / 2.0);
        painter->setPen(pal.color(QPalette::Text));
        painter->drawText(pill, Qt::AlignCenter,
                          option.fontMetrics.elidedText(text, Qt::ElideRight, pill.width() - 8));
        painter->restore();
    }
};

} // namespace

CallWall::CallWall(QWidget *parent)
    : QTableView(parent)
    , m_proxy(new CallWallProxy(this))
{
    setModel(m_proxy);
    setItemDelegate(new CallWallDelegate(this));
    setSortingEnabled(true);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setAlternatingRowColors(true);
    setWordWrap(false);
    setTextElideMode(Qt::ElideRight);
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    verticalHeader()->hide();
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 14);
    horizontalHeader()->setSectionsMovable(true);
    horizontalHeader()->setHighlightSections(false);
    setAccessibleName(tr("Live calls"));
    setAccessibleDescription(tr("Calls running now; Enter opens the selected call"));
    connect(this, &QAbstractItemView::activated, this, [this](const QModelIndex &index) {
        if (index.isValid())
            Q_EMIT callOpened(m_proxy->callIdAt(index.row()));
    });
}

void CallWall::setCalls(LiveCallsModel *model)
{
    m_proxy->setSourceModel(model);
    QHeaderView *h = horizontalHeader();
    h->setSectionResizeMode(QHeaderView::Interactive);
    h->resizeSection(LiveCallsModel::Agent, 150);
    h->resizeSection(LiveCallsModel::Number, 120);
    h->resizeSection(LiveCallsModel::Contact, 130);
    h->resizeSection(LiveCallsModel::Status, 90);
    h->resizeSection(LiveCallsModel::Duration, 80);
    h->resizeSection(LiveCallsModel::Sentiment, 100);
    h->resizeSection(LiveCallsModel::AlertState, 100);
    // The latest line is the widest and least scannable: last, taking the remaining width,
    // so sentiment and alerts stay in view on a narrow wall.
    h->moveSection(h->visualIndex(LiveCallsModel::LatestLine), LiveCallsModel::ColumnCount - 1);
    h->setStretchLastSection(true);
    h->setMinimumSectionSize(40);
    // Longest running first, like a supervisor's board.
    sortByColumn(LiveCallsModel::Duration, Qt::DescendingOrder);
}

QString CallWall::currentCallId() const
{
    const QModelIndex current = currentIndex();
    return current.isValid() ? m_proxy->callIdAt(current.row()) : QString();
}

bool CallWall::selectCall(const QString &callId)
{
    const int row = m_proxy->rowOfCall(callId);
    if (row < 0)
        return false;
    const QModelIndex index = m_proxy->index(row, 0);
    selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                 QItemSelectionModel::Rows);
    scrollTo(index);
    return true;
}

void CallWall::paintEvent(QPaintEvent *event)
{
    QTableView::paintEvent(event);
    if (m_proxy->rowCount() > 0)
        return;
    QPainter painter(viewport());
    painter.setPen(palette().color(QPalette::PlaceholderText));
    const bool filtered = !m_proxy->filterRegularExpression().pattern().isEmpty() &&
                          m_proxy->sourceModel() && m_proxy->sourceModel()->rowCount() > 0;
    painter.drawText(viewport()->rect().adjusted(12, 12, -12, -12),
                     Qt::AlignCenter | Qt::TextWordWrap,
                     filtered ? tr("No live call matches the filter.")
                              : tr("No calls are running right now. New calls appear here as "
                                   "they start."));
}

} // namespace sb::ui
