#include "welcomedialog.h"

#include "profiledialog.h"

#include <QCommandLinkButton>
#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace sb::ui {

WelcomeDialog::WelcomeDialog(sb::models::ProfileStore *store, sb::api::CredentialStore *credentials,
                             QWidget *parent)
    : QDialog(parent)
    , m_store(store)
    , m_credentials(credentials)
    , m_demo(new QCommandLinkButton(tr("Explore the &demo"), this))
    , m_connect(new QCommandLinkButton(tr("&Connect an account"), this))
{
    setObjectName(QStringLiteral("welcomeDialog"));
    setWindowTitle(tr("Welcome to Switchboard"));
    auto *heading = new QLabel(tr("Welcome to Switchboard"), this);
    QFont big = heading->font();
    big.setPointSizeF(big.pointSizeF() * 1.5);
    big.setBold(true);
    heading->setFont(big);
    auto *intro = new QLabel(tr("Supervise your voice agents' calls live, review the history and "
                                "manage agents, numbers, contacts and knowledge. How would you "
                                "like to start?"),
                             this);
    intro->setWordWrap(true);

    m_demo->setObjectName(QStringLiteral("demoButton"));
    m_demo->setDescription(tr("A simulator on this computer with sample agents and calls. No "
                              "account needed; nothing leaves this computer."));
    m_demo->setAccessibleName(tr("Explore the demo"));
    m_connect->setObjectName(QStringLiteral("connectButton"));
    m_connect->setDescription(tr("Use your Talknex API address and key. The key is kept in the "
                                 "system keychain."));
    m_connect->setAccessibleName(tr("Connect an account"));
    m_connect->setDefault(true);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Cancel)->setText(tr("Not Now"));
    buttons->button(QDialogButtonBox::Cancel)->setAccessibleName(tr("Not now"));
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->setSpacing(12);
    layout->addWidget(heading);
    layout->addWidget(intro);
    layout->addWidget(m_connect);
    layout->addWidget(m_demo);
    layout->addStretch(1);
    layout->addWidget(buttons);
    setTabOrder(m_connect, m_demo);

    connect(m_demo, &QCommandLinkButton::clicked, this, &WelcomeDialog::chooseDemo);
    connect(m_connect, &QCommandLinkButton::clicked, this, &WelcomeDialog::chooseConnect);
    resize(520, sizeHint().height());
}

void WelcomeDialog::chooseDemo()
{
    m_choice = Choice::Demo;
    Q_EMIT choiceMade(m_choice);
    accept();
}

void WelcomeDialog::chooseConnect()
{
    if (!m_store) {
        m_choice = Choice::ConnectAccount;
        Q_EMIT choiceMade(m_choice);
        accept();
        return;
    }
    if (m_profileDialog)
        return;
    m_profileDialog = new ProfileDialog(m_store, m_credentials, {}, this);
    m_profileDialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_profileDialog, &ProfileDialog::profileSaved, this,
            [this](const sb::models::Profile &profile) { m_profile = profile; });
    connect(m_profileDialog, &QDialog::finished, this, [this](int result) {
        m_profileDialog = nullptr;
        if (result != QDialog::Accepted || !m_profile.isValid())
            return; // back to the two choices
        m_choice = Choice::ConnectAccount;
        Q_EMIT choiceMade(m_choice);
        accept();
    });
    m_profileDialog->open();
}

} // namespace sb::ui
