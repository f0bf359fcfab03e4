#include "mainwindow.h"

#include "messagebanner.h"
#include "models/agentlistmodel.h"

#include <QAction>
#include <QHeaderView>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace sb::ui {

using sb::models::AgentListModel;

MainWindow::MainWindow(AgentListModel *agents, QWidget *parent)
    : QMainWindow(parent)
    , m_agents(agents)
    , m_proxy(new QSortFilterProxyModel(this))
    , m_view(new QTableView(this))
    , m_filter(new QLineEdit(this))
    , m_details(new QTextBrowser(this))
    , m_banner(new MessageBanner(this))
    , m_heading(new QLabel(this))
    , m_connection(new QLabel(this))
    , m_budget(new QLabel(this))
    , m_profile(new QLabel(this))
{
    setWindowTitle(tr("Switchboard"));
    resize(1280, 800);

    m_proxy->setSourceModel(m_agents);
    m_proxy->setSortRole(AgentListModel::SortRole);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1);

    m_view->setModel(m_proxy);
    m_view->setObjectName(QStringLiteral("agentView"));
    m_view->setAccessibleName(tr("Agents"));
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(AgentListModel::Name, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    QHeaderView *header = m_view->horizontalHeader();
    header->setStretchLastSection(true);
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    // Voice ids and tool lists can be long: fixed, resizable widths that elide.
    header->setSectionResizeMode(AgentListModel::Voice, QHeaderView::Interactive);
    header->setSectionResizeMode(AgentListModel::Tools, QHeaderView::Interactive);
    header->resizeSection(AgentListModel::Voice, 140);
    header->resizeSection(AgentListModel::Tools, 140);
    m_view->setWordWrap(false);

    m_filter->setPlaceholderText(tr("Filter agents (Ctrl+F)"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setAccessibleName(tr("Filter agents"));
    connect(m_filter, &QLineEdit::textChanged, m_proxy,
            &QSortFilterProxyModel::setFilterFixedString);

    m_details->setObjectName(QStringLiteral("agentDetails"));
    m_details->setAccessibleName(tr("Agent details"));
    m_details->setOpenLinks(false);

    QFont headingFont = m_heading->font();
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.4);
    headingFont.setBold(true);
    m_heading->setFont(headingFont);
    m_heading->setText(tr("Agents"));

    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_filter);
    leftLayout->addWidget(m_view, 1);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(left);
    splitter->addWidget(m_details);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({880, 400});

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->addWidget(m_heading);
    layout->addWidget(m_banner);
    layout->addWidget(splitter, 1);
    setCentralWidget(central);

    statusBar()->addWidget(m_connection, 1);
    statusBar()->addPermanentWidget(m_budget);
    statusBar()->addPermanentWidget(m_profile);
    m_budget->setToolTip(tr("API requests left in the current minute"));

    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *reload = file->addAction(tr("&Reload"));
    reload->setShortcut(QKeySequence::Refresh);
    reload->setToolTip(
        tr("Reload agents (%1)").arg(reload->shortcut().toString(QKeySequence::NativeText)));
    connect(reload, &QAction::triggered, this, &MainWindow::reloadRequested);
    QAction *find = file->addAction(tr("&Find"));
    find->setShortcut(QKeySequence::Find);
    connect(find, &QAction::triggered, m_filter, [this] {
        m_filter->setFocus();
        m_filter->selectAll();
    });
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"));
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    connect(m_banner, &MessageBanner::retryRequested, this, &MainWindow::reloadRequested);
    connect(m_agents, &AgentListModel::stateChanged, this, &MainWindow::onStateChanged);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &MainWindow::showSelectedAgent);
    connect(m_agents, &QAbstractItemModel::dataChanged, this, &MainWindow::showSelectedAgent);
    onStateChanged();
}

void MainWindow::setProfile(const QString &name, const QString &endpoint)
{
    m_profileName = name;
    m_profile->setText(tr("Profile: %1").arg(name));
    m_profile->setToolTip(endpoint);
    setWindowTitle(tr("%1 — Switchboard").arg(name));
}

void MainWindow::setRequestBudget(int remaining, int limit)
{
    if (limit <= 0) {
        m_budget->clear();
        return;
    }
    m_budget->setText(tr("Requests left: %1/%2 per minute").arg(remaining).arg(limit));
}

void MainWindow::showNotice(const QString &text, bool isError)
{
    m_banner->showMessage(isError ? MessageBanner::Kind::Error : MessageBanner::Kind::Warning,
                          text);
}

void MainWindow::showStatusMessage(const QString &text)
{
    statusBar()->showMessage(text, 10000);
}

void MainWindow::onStateChanged()
{
    switch (m_agents->state()) {
    case AgentListModel::State::Idle:
        m_connection->setText(tr("Not connected"));
        break;
    case AgentListModel::State::Loading:
        m_connection->setText(tr("Loading agents…"));
        break;
    case AgentListModel::State::Loaded:
        statusBar()->clearMessage();
        m_connection->setText(tr("Connected · %n agent(s) loaded", nullptr, m_agents->rowCount()));
        m_heading->setText(tr("Agents (%1)").arg(m_agents->rowCount()));
        if (!m_view->currentIndex().isValid() && m_proxy->rowCount() > 0)
            m_view->setCurrentIndex(m_proxy->index(0, 0));
        break;
    case AgentListModel::State::NotSupported: // agents are always listed; keep the caption
    case AgentListModel::State::Failed: {
        const QString caption = m_agents->lastError().caption();
        m_connection->setText(tr("Loading agents failed"));
        m_banner->showMessage(MessageBanner::Kind::Error,
                              tr("Could not load the agents: %1").arg(caption), true);
        break;
    }
    }
}

void MainWindow::showSelectedAgent()
{
    const QModelIndex current = m_proxy->mapToSource(m_view->currentIndex());
    if (!current.isValid()) {
        m_details->clear();
        return;
    }
    const sb::api::Agent &agent = m_agents->agentAt(current.row());
    auto esc = [](const QString &s) { return s.toHtmlEscaped(); };
    QString html = QStringLiteral("<h2>%1</h2>").arg(esc(agent.name));
    html += QStringLiteral("<p><b>%1</b> %2<br><b>%3</b> %4 (%5)<br><b>%6</b> %7</p>")
                .arg(tr("Language:"), esc(agent.language), tr("Voice:"), esc(agent.voiceId),
                     esc(agent.voiceProvider), tr("Model:"), esc(agent.llmModel));
    html +=
        QStringLiteral("<h3>%1</h3><p>%2</p>").arg(tr("First message"), esc(agent.firstMessage));
    html += QStringLiteral("<h3>%1</h3><p>%2</p>")
                .arg(tr("System prompt"),
                     esc(agent.systemPrompt).replace(QLatin1Char('\n'), QStringLiteral("<br>")));
    if (!agent.tools.isEmpty() || !agent.builtinTools.isEmpty()) {
        html += QStringLiteral("<h3>%1</h3><ul>").arg(tr("Tools"));
        for (const QString &builtin : agent.builtinTools)
            html += QStringLiteral("<li><i>%1</i></li>").arg(esc(builtin));
        for (const sb::api::AgentTool &tool : agent.tools)
            html += QStringLiteral("<li><b>%1</b> — %2</li>")
                        .arg(esc(tool.name), esc(tool.description));
        html += QStringLiteral("</ul>");
    }
    m_details->setHtml(html);
}

} // namespace sb::ui
