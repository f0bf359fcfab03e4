#include "searchresults.h"

#include <QAbstractTextDocumentLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QTextDocument>
#include <QVBoxLayout>

using sb::models::SearchHit;
using sb::models::SearchModel;

namespace sb::ui {

namespace {

//! Paints the snippet's HTML (hits in bold, in the link colour so they stand out in both
//! light and dark palettes) elided to the cell.
class SnippetDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override
    {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        opt.text.clear();
        const QWidget *widget = opt.widget;
        QStyle *style = widget ? widget->style() : nullptr;
        if (style)
            style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

        const bool selected = opt.state.testFlag(QStyle::State_Selected);
        const QPalette::ColorGroup group =
            opt.state.testFlag(QStyle::State_Active) ? QPalette::Active : QPalette::Inactive;
        const QColor text =
            opt.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text);
        const QColor hit = selected ? text : opt.palette.color(group, QPalette::Link);
        QString html = index.data(SearchModel::HtmlRole).toString();
        html.replace(QLatin1String("<b>"),
                     QStringLiteral("<b style=\"color:%1\">").arg(hit.name()));

        QTextDocument doc;
        doc.setDefaultFont(opt.font);
        doc.setDocumentMargin(2);
        doc.setHtml(html);
        const QRect rect = opt.rect.adjusted(2, 1, -2, -1);
        doc.setTextWidth(rect.width());
        painter->save();
        painter->translate(rect.topLeft());
        painter->setClipRect(QRect(QPoint(0, 0), rect.size()));
        QAbstractTextDocumentLayout::PaintContext context;
        context.palette = opt.palette;
        context.palette.setColor(QPalette::Text, text);
        context.clip = QRect(QPoint(0, 0), rect.size());
        doc.documentLayout()->draw(painter, context);
        painter->restore();
    }
};

} // namespace

SearchResults::SearchResults(SearchModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_query(new QLineEdit(this))
    , m_status(new QLabel(this))
    , m_view(new QTableView(this))
{
    m_query->setPlaceholderText(tr("Search cached transcripts"));
    m_query->setClearButtonEnabled(true);
    m_query->setAccessibleName(tr("Search transcripts"));
    auto *label = new QLabel(tr("Sea&rch:"), this);
    label->setBuddy(m_query);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setText(
        tr("Searches the transcripts kept on this computer: calls you opened or watched."));

    m_view->setModel(m_model);
    m_view->setAccessibleName(tr("Search results"));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(true);
    m_view->setItemDelegateForColumn(SearchModel::Snippet, new SnippetDelegate(m_view));
    m_view->verticalHeader()->hide();
    // Two lines of snippet per hit, the same height for every row (no per-row measuring).
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(fontMetrics().lineSpacing() * 2 + 10);
    m_view->horizontalHeader()->setSectionResizeMode(SearchModel::Snippet, QHeaderView::Stretch);
    m_view->horizontalHeader()->setSectionResizeMode(SearchModel::Number,
                                                     QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(SearchModel::Time,
                                                     QHeaderView::ResizeToContents);

    auto *row = new QHBoxLayout;
    row->addWidget(label);
    row->addWidget(m_query, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(row);
    layout->addWidget(m_status);
    layout->addWidget(m_view, 1);
    setFocusProxy(m_query);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(DebounceMs);
    connect(m_query, &QLineEdit::textChanged, &m_debounce, qOverload<>(&QTimer::start));
    connect(&m_debounce, &QTimer::timeout, this,
            [this] { m_model->setQuery(m_query->text().trimmed()); });
    // Enter in the field opens the best hit (the query is run first if it is still pending).
    connect(m_query, &QLineEdit::returnPressed, this, [this] {
        if (m_debounce.isActive()) {
            m_debounce.stop();
            m_model->setQuery(m_query->text().trimmed());
            return;
        }
        activateRow(m_view->currentIndex().isValid() ? m_view->currentIndex().row() : 0);
    });
    connect(m_view, &QTableView::activated, this,
            [this](const QModelIndex &index) { activateRow(index.row()); });
    connect(m_model, &SearchModel::stateChanged, this, &SearchResults::updateStatus);
    connect(m_model, &QAbstractItemModel::modelReset, this, &SearchResults::updateStatus);
}

void SearchResults::focusQuery()
{
    m_query->setFocus(Qt::ShortcutFocusReason);
    m_query->selectAll();
}

SearchHit SearchResults::currentHit() const
{
    const QModelIndex index = m_view->currentIndex();
    if (!index.isValid() || index.row() >= m_model->rowCount())
        return {};
    return m_model->hitAt(index.row());
}

void SearchResults::activateRow(int row)
{
    if (row < 0 || row >= m_model->rowCount())
        return;
    m_view->selectRow(row);
    Q_EMIT hitActivated(m_model->hitAt(row));
}

void SearchResults::updateStatus()
{
    switch (m_model->state()) {
    case SearchModel::State::Searching:
        m_status->setText(tr("Searching…"));
        return;
    case SearchModel::State::Idle:
        m_status->setText(
            tr("Searches the transcripts kept on this computer: calls you opened or watched."));
        return;
    case SearchModel::State::Failed:
    case SearchModel::State::Done:
        break;
    }
    const QString message = m_model->message();
    const int hits = m_model->rowCount();
    if (hits == 0) {
        m_status->setText(message);
        return;
    }
    const QString count = tr("%n matching line(s)", nullptr, hits);
    m_status->setText(message.isEmpty() ? count : count + QStringLiteral(" — ") + message);
    if (!m_view->currentIndex().isValid())
        m_view->setCurrentIndex(m_model->index(0, 0));
}

} // namespace sb::ui
