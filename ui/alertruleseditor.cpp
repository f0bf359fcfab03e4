#include "alertruleseditor.h"

#include "statuscolors.h"

#include "models/alertservice.h"
#include "models/settings.h"

#include <QAction>
#include <QCheckBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QVBoxLayout>

namespace sb::ui {

using sb::models::AlertRules;

namespace {
constexpr int kPreviousTextRole = Qt::UserRole + 1; //!< text before an edit, to restore it

QSpinBox *secondsBox(const QString &accessibleName, QWidget *parent)
{
    auto *box = new QSpinBox(parent);
    box->setRange(0, 3600);
    box->setSuffix(AlertRulesEditor::tr(" s"));
    box->setSpecialValueText(AlertRulesEditor::tr("Off"));
    box->setAccessibleName(accessibleName);
    return box;
}
} // namespace

AlertRulesEditor::AlertRulesEditor(sb::models::Settings *settings,
                                   sb::models::AlertService *service, QWidget *parent)
    : QWidget(parent)
    , m_settings(settings)
    , m_service(service)
    , m_negative(secondsBox(tr("Negative sentiment held for, in seconds (0 = off)"), this))
    , m_silence(secondsBox(tr("Silence lasting, in seconds (0 = off)"), this))
    , m_toolErrors(new QCheckBox(tr("Alert when a &tool call fails"), this))
    , m_transfers(new QCheckBox(tr("Alert when a call is trans&ferred to a human"), this))
    , m_keywords(new QListWidget(this))
    , m_newKeyword(new QLineEdit(this))
    , m_add(new QPushButton(tr("&Add"), this))
    , m_remove(new QPushButton(tr("Re&move"), this))
    , m_error(new QLabel(this))
    , m_notifications(new QCheckBox(tr("Show &desktop notifications for new alerts"), this))
    , m_apply(new QPushButton(tr("A&pply"), this))
    , m_revert(new QPushButton(tr("Re&vert"), this))
{
    m_negative->setToolTip(
        tr("Raise an alert when the caller's sentiment stays negative this long (call time)."));
    m_silence->setToolTip(tr("Raise an alert when nobody speaks this long during a call."));
    m_keywords->setAccessibleName(tr("Alert keywords"));
    m_keywords->setToolTip(tr("Words or phrases that raise an alert when said in a call "
                              "(whole words, any case). Double-click or F2 to edit."));
    m_keywords->setEditTriggers(QAbstractItemView::DoubleClicked |
                                QAbstractItemView::EditKeyPressed);
    m_keywords->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_newKeyword->setAccessibleName(tr("New keyword"));
    m_newKeyword->setPlaceholderText(tr("Word or phrase"));
    m_newKeyword->setMaxLength(kMaxKeywordChars);
    m_add->setAccessibleName(tr("Add keyword"));
    m_add->setToolTip(tr("Add the keyword (Enter)"));
    m_remove->setAccessibleName(tr("Remove selected keywords"));
    m_remove->setToolTip(tr("Remove the selected keywords (Delete)"));
    m_error->setObjectName(QStringLiteral("rulesError"));
    m_error->setWordWrap(true);
    QPalette pal = m_error->palette();
    pal.setColor(QPalette::WindowText, StatusColors::readable(pal, StatusColors::failed()));
    m_error->setPalette(pal);
    m_error->hide();
    m_notifications->setAccessibleName(tr("Desktop notifications for new alerts"));
    m_apply->setAccessibleName(tr("Apply alert rules"));
    m_apply->setToolTip(tr("Save the rules and use them from now on"));
    m_revert->setAccessibleName(tr("Revert alert rules"));
    m_revert->setToolTip(tr("Discard the edits and show the saved rules"));

    auto *thresholds = new QFormLayout;
    auto *negativeLabel = new QLabel(tr("&Negative sentiment for:"), this);
    negativeLabel->setBuddy(m_negative);
    auto *silenceLabel = new QLabel(tr("&Silence for:"), this);
    silenceLabel->setBuddy(m_silence);
    thresholds->addRow(negativeLabel, m_negative);
    thresholds->addRow(silenceLabel, m_silence);

    auto *keywordsLabel = new QLabel(tr("&Keywords:"), this);
    keywordsLabel->setBuddy(m_keywords);
    auto *addRow = new QHBoxLayout;
    addRow->addWidget(m_newKeyword, 1);
    addRow->addWidget(m_add);
    addRow->addWidget(m_remove);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_revert);
    buttons->addWidget(m_apply);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(thresholds);
    layout->addWidget(m_toolErrors);
    layout->addWidget(m_transfers);
    layout->addWidget(keywordsLabel);
    layout->addWidget(m_keywords, 1);
    layout->addLayout(addRow);
    layout->addWidget(m_error);
    layout->addWidget(m_notifications);
    layout->addLayout(buttons);
    setTabOrder(m_negative, m_silence);
    setTabOrder(m_silence, m_toolErrors);
    setTabOrder(m_toolErrors, m_transfers);
    setTabOrder(m_transfers, m_keywords);
    setTabOrder(m_keywords, m_newKeyword);
    setTabOrder(m_newKeyword, m_add);
    setTabOrder(m_add, m_remove);
    setTabOrder(m_remove, m_notifications);
    setTabOrder(m_notifications, m_revert);
    setTabOrder(m_revert, m_apply);

    const auto changed = [this] { updateState(); };
    connect(m_negative, &QSpinBox::valueChanged, this, changed);
    connect(m_silence, &QSpinBox::valueChanged, this, changed);
    connect(m_toolErrors, &QCheckBox::toggled, this, changed);
    connect(m_transfers, &QCheckBox::toggled, this, changed);
    connect(m_notifications, &QCheckBox::toggled, this, changed);
    connect(m_keywords, &QListWidget::itemChanged, this, &AlertRulesEditor::onItemChanged);
    connect(m_keywords, &QListWidget::itemSelectionChanged, this, changed);
    connect(m_newKeyword, &QLineEdit::returnPressed, m_add, &QPushButton::click);
    connect(m_newKeyword, &QLineEdit::textEdited, this, [this] { m_error->hide(); });
    connect(m_add, &QPushButton::clicked, this, [this] {
        if (addKeyword(m_newKeyword->text()))
            m_newKeyword->clear();
    });
    connect(m_remove, &QPushButton::clicked, this, &AlertRulesEditor::removeSelected);
    auto *removeKey = new QAction(m_keywords);
    removeKey->setShortcut(QKeySequence::Delete);
    removeKey->setShortcutContext(Qt::WidgetShortcut);
    connect(removeKey, &QAction::triggered, this, &AlertRulesEditor::removeSelected);
    m_keywords->addAction(removeKey);
    connect(m_apply, &QPushButton::clicked, this, &AlertRulesEditor::apply);
    connect(m_revert, &QPushButton::clicked, this, &AlertRulesEditor::revert);

    revert();
}

AlertRules AlertRulesEditor::rules() const
{
    AlertRules r;
    r.negativeSentimentSeconds = m_negative->value();
    r.silenceSeconds = m_silence->value();
    r.toolErrors = m_toolErrors->isChecked();
    r.transfers = m_transfers->isChecked();
    r.keywords.clear();
    for (int i = 0; i < m_keywords->count(); ++i)
        r.keywords.append(m_keywords->item(i)->text().simplified());
    return r;
}

bool AlertRulesEditor::notifications() const
{
    return m_notifications->isChecked();
}

bool AlertRulesEditor::isModified() const
{
    return rules() != m_settings->alertRules() ||
           notifications() != m_settings->alertNotifications();
}

bool AlertRulesEditor::apply()
{
    for (int i = 0; i < m_keywords->count(); ++i) {
        const QString why = keywordError(m_keywords->item(i)->text(), i);
        if (!why.isEmpty()) {
            showError(why);
            return false;
        }
    }
    const AlertRules r = rules();
    m_settings->setAlertRules(r);
    m_settings->setAlertNotifications(notifications());
    m_settings->sync();
    if (m_service)
        m_service->setRules(r);
    m_error->hide();
    updateState();
    Q_EMIT applied();
    return true;
}

void AlertRulesEditor::revert()
{
    load(m_settings->alertRules(), m_settings->alertNotifications());
}

void AlertRulesEditor::load(const AlertRules &r, bool notify)
{
    m_loading = true;
    m_negative->setValue(r.negativeSentimentSeconds);
    m_silence->setValue(r.silenceSeconds);
    m_toolErrors->setChecked(r.toolErrors);
    m_transfers->setChecked(r.transfers);
    m_notifications->setChecked(notify);
    m_keywords->clear();
    for (const QString &k : r.keywords) {
        auto *item = new QListWidgetItem(k, m_keywords);
        item->setData(kPreviousTextRole, k);
        item->setFlags(item->flags() | Qt::ItemIsEditable);
    }
    m_loading = false;
    m_error->hide();
    updateState();
}

QString AlertRulesEditor::keywordError(const QString &keyword, int ignoreRow) const
{
    const QString k = keyword.simplified();
    if (k.isEmpty())
        return tr("A keyword cannot be empty.");
    if (k.size() > kMaxKeywordChars)
        return tr("“%1…” is too long (at most %2 characters).")
            .arg(k.left(20))
            .arg(kMaxKeywordChars);
    static const QRegularExpression wordChar(QStringLiteral("\\w"),
                                             QRegularExpression::UseUnicodePropertiesOption);
    if (!k.contains(wordChar))
        return tr("“%1” has no letters or digits to match.").arg(k);
    // The service matches each keyword as a literal phrase; check the pattern it will build.
    AlertRules probe;
    probe.keywords = {k};
    const QList<QRegularExpression> patterns = probe.keywordPatterns();
    if (patterns.isEmpty() || !patterns.first().isValid())
        return tr("“%1” cannot be matched: %2")
            .arg(k, patterns.isEmpty() ? QString() : patterns.first().errorString());
    const QString folded = k.toCaseFolded();
    for (int i = 0; i < m_keywords->count(); ++i) {
        if (i != ignoreRow && m_keywords->item(i)->text().simplified().toCaseFolded() == folded)
            return tr("“%1” is already on the list.").arg(k);
    }
    return {};
}

bool AlertRulesEditor::addKeyword(const QString &keyword)
{
    const QString why = keywordError(keyword);
    if (!why.isEmpty()) {
        showError(why);
        return false;
    }
    const QString k = keyword.simplified();
    auto *item = new QListWidgetItem(k, m_keywords);
    item->setData(kPreviousTextRole, k);
    item->setFlags(item->flags() | Qt::ItemIsEditable);
    m_keywords->setCurrentItem(item);
    m_error->hide();
    updateState();
    return true;
}

void AlertRulesEditor::onItemChanged(QListWidgetItem *item)
{
    if (m_loading)
        return;
    const QString why = keywordError(item->text(), m_keywords->row(item));
    const QSignalBlocker block(m_keywords);
    if (!why.isEmpty()) {
        // Keep the word that was there: the edit is refused, nothing is lost.
        item->setText(item->data(kPreviousTextRole).toString());
        showError(why);
    } else {
        item->setText(item->text().simplified());
        item->setData(kPreviousTextRole, item->text());
        m_error->hide();
    }
    updateState();
}

void AlertRulesEditor::removeSelected()
{
    const QList<QListWidgetItem *> items = m_keywords->selectedItems();
    for (QListWidgetItem *item : items)
        delete item;
    updateState();
}

void AlertRulesEditor::showError(const QString &text)
{
    m_error->setText(text);
    m_error->show();
}

QString AlertRulesEditor::errorText() const
{
    return m_error->isVisibleTo(this) ? m_error->text() : QString();
}

void AlertRulesEditor::updateState()
{
    if (m_loading)
        return;
    const bool modified = isModified();
    m_apply->setEnabled(modified);
    m_revert->setEnabled(modified);
    m_remove->setEnabled(!m_keywords->selectedItems().isEmpty());
    if (modified != m_lastModified) {
        m_lastModified = modified;
        Q_EMIT modifiedChanged(modified);
    }
}

} // namespace sb::ui
