#include "messagebanner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>

namespace sb::ui {

MessageBanner::MessageBanner(QWidget *parent)
    : QFrame(parent)
    , m_icon(new QLabel(this))
    , m_text(new QLabel(this))
    , m_retry(new QPushButton(tr("&Retry"), this))
    , m_close(new QPushButton(this))
{
    setObjectName(QStringLiteral("messageBanner"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_close->setIcon(style()->standardIcon(QStyle::SP_DialogCloseButton));
    m_close->setFlat(true);
    m_close->setToolTip(tr("Dismiss"));
    m_close->setAccessibleName(tr("Dismiss message"));
    m_retry->setAccessibleName(tr("Retry"));

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    layout->addWidget(m_icon);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_retry);
    layout->addWidget(m_close);

    connect(m_retry, &QPushButton::clicked, this, [this] {
        hide();
        Q_EMIT retryRequested();
    });
    connect(m_close, &QPushButton::clicked, this, &QWidget::hide);
    hide();
}

void MessageBanner::showMessage(Kind kind, const QString &text, bool retryable)
{
    QStyle::StandardPixmap icon = QStyle::SP_MessageBoxInformation;
    QColor tint = palette().color(QPalette::Highlight);
    if (kind == Kind::Warning) {
        icon = QStyle::SP_MessageBoxWarning;
        tint = QColor(0xd9, 0x8c, 0x00);
    } else if (kind == Kind::Error) {
        icon = QStyle::SP_MessageBoxCritical;
        tint = QColor(0xc0, 0x39, 0x2b);
    }
    // A light wash of the kind's colour over the window background reads in light and dark themes.
    QPalette pal = palette();
    const QColor base = pal.color(QPalette::Window);
    pal.setColor(QPalette::Window,
                 QColor((base.red() * 4 + tint.red()) / 5, (base.green() * 4 + tint.green()) / 5,
                        (base.blue() * 4 + tint.blue()) / 5));
    setPalette(pal);
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    m_icon->setPixmap(style()->standardIcon(icon).pixmap(size, size));
    m_text->setText(text);
    m_retry->setVisible(retryable);
    show();
}

QString MessageBanner::text() const
{
    return isVisible() ? m_text->text() : QString();
}

} // namespace sb::ui
