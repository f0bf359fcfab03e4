#include "profilesdialog.h"

#include "messagebanner.h"
#include "profiledialog.h"

#include "api/credentialstore.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace sb::ui {

using sb::models::Profile;

namespace {
constexpr int IdRole = Qt::UserRole + 1;

QString platformName(const Profile &p)
{
    return p.platform == QLatin1String("speaknode") ? QStringLiteral("SpeakNode")
                                                    : QStringLiteral("Talknex");
}
} // namespace

ProfilesDialog::ProfilesDialog(sb::models::ProfileStore *store,
                               sb::api::CredentialStore *credentials,
                               const QString &activeProfileId, QWidget *parent)
    : QDialog(parent)
    , m_store(store)
    , m_credentials(credentials)
    , m_active(activeProfileId)
    , m_banner(new MessageBanner(this))
    , m_list(new QTreeWidget(this))
    , m_add(new QPushButton(tr("&Add…"), this))
    , m_edit(new QPushButton(tr("&Edit…"), this))
    , m_switch(new QPushButton(tr("&Switch To"), this))
    , m_remove(new QPushButton(tr("&Remove…"), this))
{
    setObjectName(QStringLiteral("profilesDialog"));
    setWindowTitle(tr("Manage Profiles"));
    auto *label = new QLabel(tr("&Profiles:"), this);
    label->setBuddy(m_list);
    m_list->setObjectName(QStringLiteral("profileList"));
    m_list->setAccessibleName(tr("Profiles"));
    m_list->setHeaderLabels({tr("Name"), tr("Platform"), tr("Address")});
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setAllColumnsShowFocus(true);
    m_list->header()->setSectionResizeMode(NameColumn, QHeaderView::ResizeToContents);
    m_list->header()->setSectionResizeMode(PlatformColumn, QHeaderView::ResizeToContents);
    m_list->header()->setStretchLastSection(true);

    const std::pair<QPushButton *, QString> names[] = {
        {m_add, QStringLiteral("addButton")},
        {m_edit, QStringLiteral("editButton")},
        {m_switch, QStringLiteral("switchButton")},
        {m_remove, QStringLiteral("removeButton")},
    };
    for (const auto &[button, name] : names) {
        button->setObjectName(name);
        button->setAutoDefault(false);
    }
    m_add->setAccessibleName(tr("Add profile"));
    m_edit->setAccessibleName(tr("Edit profile"));
    m_switch->setAccessibleName(tr("Switch to profile"));
    m_remove->setAccessibleName(tr("Remove profile"));
    m_switch->setToolTip(tr("Connect with this profile (the window reloads)"));

    auto *side = new QVBoxLayout;
    side->addWidget(m_add);
    side->addWidget(m_edit);
    side->addWidget(m_switch);
    side->addWidget(m_remove);
    side->addStretch(1);
    auto *middle = new QHBoxLayout;
    middle->addWidget(m_list, 1);
    middle->addLayout(side);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->button(QDialogButtonBox::Close)->setAccessibleName(tr("Close"));
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addWidget(label);
    layout->addLayout(middle, 1);
    layout->addWidget(buttons);

    connect(m_add, &QPushButton::clicked, this, [this] { addProfile(); });
    connect(m_edit, &QPushButton::clicked, this, [this] { editSelected(); });
    connect(m_switch, &QPushButton::clicked, this, &ProfilesDialog::switchToSelected);
    connect(m_remove, &QPushButton::clicked, this, [this] { removeSelected(); });
    connect(m_list, &QTreeWidget::itemActivated, this, [this] { editSelected(); });
    connect(m_list, &QTreeWidget::currentItemChanged, this, &ProfilesDialog::updateButtons);
    connect(m_store, &sb::models::ProfileStore::changed, this, &ProfilesDialog::reload);
    reload();
    selectProfile(m_active);
    resize(640, 360);
}

void ProfilesDialog::reload()
{
    const QString selected = selectedProfileId();
    m_list->clear();
    for (const Profile &p : m_store->profiles()) {
        const QString name = p.id == m_active ? tr("%1 (active)").arg(p.name) : p.name;
        auto *item = new QTreeWidgetItem(
            m_list, {name, platformName(p),
                     p.demo ? tr("Bundled simulator") : p.baseUrl.toString(QUrl::RemoveUserInfo)});
        item->setData(NameColumn, IdRole, p.id);
        if (p.id == m_active) {
            QFont bold = item->font(NameColumn);
            bold.setBold(true);
            item->setFont(NameColumn, bold);
        }
    }
    selectProfile(selected.isEmpty() ? m_active : selected);
    if (!m_list->currentItem() && m_list->topLevelItemCount() > 0)
        m_list->setCurrentItem(m_list->topLevelItem(0));
    updateButtons();
}

QString ProfilesDialog::selectedProfileId() const
{
    const QTreeWidgetItem *item = m_list->currentItem();
    return item ? item->data(NameColumn, IdRole).toString() : QString();
}

void ProfilesDialog::selectProfile(const QString &profileId)
{
    for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_list->topLevelItem(i);
        if (item->data(NameColumn, IdRole).toString() == profileId) {
            m_list->setCurrentItem(item);
            return;
        }
    }
}

void ProfilesDialog::updateButtons()
{
    const QString id = selectedProfileId();
    const bool any = !id.isEmpty();
    const bool active = any && id == m_active;
    m_edit->setEnabled(any);
    m_switch->setEnabled(any && !active);
    m_remove->setEnabled(any && !active);
    m_remove->setToolTip(active ? tr("This profile is in use. Switch to another one first.")
                                : tr("Remove the profile and its stored API key"));
}

ProfileDialog *ProfilesDialog::addProfile()
{
    auto *dialog = new ProfileDialog(m_store, m_credentials, {}, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ProfileDialog::profileSaved, this, [this](const Profile &profile, bool) {
        selectProfile(profile.id);
        Q_EMIT profileSaved(profile, true);
    });
    dialog->open();
    return dialog;
}

ProfileDialog *ProfilesDialog::editSelected()
{
    const QString id = selectedProfileId();
    if (id.isEmpty())
        return nullptr;
    auto *dialog = new ProfileDialog(m_store, m_credentials, m_store->profile(id), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ProfileDialog::profileSaved, this,
            [this, dialog](const Profile &profile, bool) {
                selectProfile(profile.id);
                Q_EMIT profileSaved(profile, !dialog->apiKey().isEmpty());
            });
    dialog->open();
    return dialog;
}

void ProfilesDialog::removeSelected(bool confirm)
{
    const QString id = selectedProfileId();
    if (id.isEmpty() || id == m_active)
        return;
    const Profile profile = m_store->profile(id);
    if (confirm) {
        const auto answer = QMessageBox::question(
            this, tr("Remove Profile"),
            tr("Remove the profile “%1”? Its API key is deleted from the system keychain; the "
               "account on the server is not affected.")
                .arg(profile.name),
            QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
        if (answer != QMessageBox::Yes)
            return;
    }
    if (m_credentials && !profile.demo)
        m_credentials->remove(profile.credentialKey());
    m_store->remove(id);
    m_banner->showMessage(MessageBanner::Kind::Information,
                          tr("The profile “%1” was removed.").arg(profile.name));
    Q_EMIT profileRemoved(id);
}

void ProfilesDialog::switchToSelected()
{
    const QString id = selectedProfileId();
    if (id.isEmpty() || id == m_active)
        return;
    Q_EMIT switchRequested(id);
    accept();
}

} // namespace sb::ui
