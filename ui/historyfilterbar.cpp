#include "historyfilterbar.h"

#include "models/agentlistmodel.h"
#include "transcriptexport.h"

#include <QComboBox>
#include <QDateEdit>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QTimeZone>
#include <QToolButton>

using namespace sb::api;
using sb::models::HistoryFilter;

namespace sb::ui {

namespace {

// The date edits show "Any" at their minimum: that date means "no bound".
const QDate NoDate(2000, 1, 1);

QDateEdit *makeDateEdit(QWidget *parent, const QString &accessibleName)
{
    auto *edit = new QDateEdit(parent);
    edit->setCalendarPopup(true);
    edit->setMinimumDate(NoDate);
    edit->setSpecialValueText(HistoryFilterBar::tr("Any"));
    edit->setDate(NoDate);
    edit->setAccessibleName(accessibleName);
    return edit;
}

QLabel *buddyLabel(const QString &text, QWidget *buddy, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setBuddy(buddy);
    return label;
}

} // namespace

HistoryFilterBar::HistoryFilterBar(sb::models::AgentListModel *agents, QWidget *parent)
    : QWidget(parent)
    , m_agents(agents)
    , m_text(new QLineEdit(this))
    , m_agent(new QComboBox(this))
    , m_status(new QComboBox(this))
    , m_direction(new QComboBox(this))
    , m_sentiment(new QComboBox(this))
    , m_from(makeDateEdit(this, tr("Calls from date")))
    , m_to(makeDateEdit(this, tr("Calls until date")))
    , m_clear(new QToolButton(this))
{
    m_text->setPlaceholderText(tr("Number or contact"));
    m_text->setClearButtonEnabled(true);
    m_text->setAccessibleName(tr("Filter by number or contact"));
    m_agent->setAccessibleName(tr("Filter by agent"));
    m_status->setAccessibleName(tr("Filter by status"));
    m_direction->setAccessibleName(tr("Filter by direction"));
    m_sentiment->setAccessibleName(tr("Filter by sentiment"));
    m_clear->setText(tr("Clear"));
    m_clear->setToolTip(tr("Show all calls again"));
    m_clear->setAccessibleName(tr("Clear filters"));

    m_agent->addItem(tr("All agents"));
    m_agent->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_status->addItem(tr("Any status"));
    for (CallStatus s :
         {CallStatus::Completed, CallStatus::Failed, CallStatus::NoAnswer, CallStatus::Busy,
          CallStatus::Canceled, CallStatus::InProgress, CallStatus::Ringing, CallStatus::Initiated})
        m_status->addItem(TranscriptExport::statusLabel(s), int(s));
    m_direction->addItem(tr("Both directions"));
    m_direction->addItem(tr("Inbound"), int(CallDirection::Inbound));
    m_direction->addItem(tr("Outbound"), int(CallDirection::Outbound));
    m_sentiment->addItem(tr("Any sentiment"));
    m_sentiment->addItem(tr("Positive"), int(Sentiment::Positive));
    m_sentiment->addItem(tr("Neutral"), int(Sentiment::Neutral));
    m_sentiment->addItem(tr("Negative"), int(Sentiment::Negative));

    auto *top = new QHBoxLayout;
    top->addWidget(buddyLabel(tr("&Number:"), m_text, this));
    top->addWidget(m_text, 1);
    top->addWidget(buddyLabel(tr("A&gent:"), m_agent, this));
    top->addWidget(m_agent);
    top->addWidget(buddyLabel(tr("S&tatus:"), m_status, this));
    top->addWidget(m_status);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(buddyLabel(tr("D&irection:"), m_direction, this));
    bottom->addWidget(m_direction);
    bottom->addWidget(buddyLabel(tr("Se&ntiment:"), m_sentiment, this));
    bottom->addWidget(m_sentiment);
    bottom->addWidget(buddyLabel(tr("F&rom:"), m_from, this));
    bottom->addWidget(m_from);
    bottom->addWidget(buddyLabel(tr("&Until:"), m_to, this));
    bottom->addWidget(m_to);
    bottom->addStretch(1);
    bottom->addWidget(m_clear);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addLayout(bottom);
    setTabOrder(m_text, m_agent);
    setTabOrder(m_agent, m_status);
    setTabOrder(m_status, m_direction);
    setTabOrder(m_direction, m_sentiment);
    setTabOrder(m_sentiment, m_from);
    setTabOrder(m_from, m_to);
    setTabOrder(m_to, m_clear);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(DebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &HistoryFilterBar::apply);
    connect(m_text, &QLineEdit::textChanged, this, &HistoryFilterBar::schedule);
    // Choices apply at once (one query per choice), typed text after the pause.
    for (QComboBox *box : {m_agent, m_status, m_direction, m_sentiment})
        connect(box, &QComboBox::currentIndexChanged, this, &HistoryFilterBar::apply);
    connect(m_from, &QDateEdit::dateChanged, this, &HistoryFilterBar::apply);
    connect(m_to, &QDateEdit::dateChanged, this, &HistoryFilterBar::apply);
    connect(m_clear, &QToolButton::clicked, this, &HistoryFilterBar::clear);

    if (m_agents) {
        connect(m_agents, &QAbstractItemModel::modelReset, this, &HistoryFilterBar::rebuildAgents);
        connect(m_agents, &QAbstractItemModel::rowsInserted, this,
                &HistoryFilterBar::rebuildAgents);
        connect(m_agents, &QAbstractItemModel::rowsRemoved, this, &HistoryFilterBar::rebuildAgents);
        connect(m_agents, &QAbstractItemModel::dataChanged, this, &HistoryFilterBar::rebuildAgents);
        rebuildAgents();
    }
}

void HistoryFilterBar::focusText()
{
    m_text->setFocus(Qt::ShortcutFocusReason);
    m_text->selectAll();
}

void HistoryFilterBar::clear()
{
    const QSignalBlocker blockText(m_text);
    m_text->clear();
    for (QComboBox *box : {m_agent, m_status, m_direction, m_sentiment}) {
        const QSignalBlocker block(box);
        box->setCurrentIndex(0);
    }
    for (QDateEdit *edit : {m_from, m_to}) {
        const QSignalBlocker block(edit);
        edit->setDate(NoDate);
    }
    apply();
}

void HistoryFilterBar::rebuildAgents()
{
    // Keep the chosen agent across reloads (by id), without emitting a change for it.
    const QString current = m_agent->currentData().toString();
    const QSignalBlocker block(m_agent);
    while (m_agent->count() > 1)
        m_agent->removeItem(1);
    QList<QPair<QString, QString>> agents;
    for (int row = 0; row < m_agents->rowCount(); ++row)
        agents.append({m_agents->agentAt(row).name, m_agents->agentAt(row).id});
    std::sort(agents.begin(), agents.end(), [](const auto &a, const auto &b) {
        return QString::localeAwareCompare(a.first, b.first) < 0;
    });
    for (const auto &a : std::as_const(agents))
        m_agent->addItem(a.first.isEmpty() ? a.second : a.first, a.second);
    const int index = current.isEmpty() ? 0 : m_agent->findData(current);
    if (index >= 0) {
        m_agent->setCurrentIndex(index);
    } else {
        // The chosen agent is gone: show everything rather than a filter nobody can see.
        m_agent->setCurrentIndex(0);
        QTimer::singleShot(0, this, &HistoryFilterBar::apply);
    }
}

void HistoryFilterBar::schedule()
{
    m_debounce.start();
}

HistoryFilter HistoryFilterBar::collect() const
{
    HistoryFilter f;
    f.text = m_text->text().trimmed();
    f.agentId = m_agent->currentData().toString();
    if (m_status->currentIndex() > 0)
        f.status = CallStatus(m_status->currentData().toInt());
    if (m_direction->currentIndex() > 0)
        f.direction = CallDirection(m_direction->currentData().toInt());
    if (m_sentiment->currentIndex() > 0)
        f.sentiment = Sentiment(m_sentiment->currentData().toInt());
    // Whole local days: "until" includes the chosen day, so the bound is the next midnight.
    if (m_from->date() != NoDate)
        f.createdFrom = m_from->date().startOfDay();
    if (m_to->date() != NoDate)
        f.createdTo = m_to->date().addDays(1).startOfDay();
    return f;
}

void HistoryFilterBar::apply()
{
    m_debounce.stop();
    const HistoryFilter f = collect();
    if (f == m_filter)
        return;
    m_filter = f;
    Q_EMIT filterChanged(m_filter);
}

} // namespace sb::ui
