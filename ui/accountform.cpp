#include "accountform.h"

#include "api/session.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLayout>
#include <QLineEdit>
#include <QLoggingCategory>
#include <QResizeEvent>
#include <QToolButton>

Q_LOGGING_CATEGORY(lcAccountForm, "switchboard.ui")

namespace sb::ui {

using sb::api::ApiError;

ApiKeyField::ApiKeyField(QWidget *parent)
    : QWidget(parent)
    , m_edit(new QLineEdit(this))
    , m_toggle(new QToolButton(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_edit, 1);
    layout->addWidget(m_toggle);
    m_edit->setObjectName(QStringLiteral("apiKey"));
    m_edit->setEchoMode(QLineEdit::Password);
    // Keep the key out of input-method history and predictive dictionaries.
    m_edit->setInputMethodHints(Qt::ImhSensitiveData | Qt::ImhNoPredictiveText |
                                Qt::ImhNoAutoUppercase);
    m_edit->setAccessibleName(tr("API key"));
    m_toggle->setObjectName(QStringLiteral("showKey"));
    m_toggle->setCheckable(true);
    m_toggle->setText(tr("Show"));
    m_toggle->setToolTip(tr("Show or hide the API key"));
    m_toggle->setAccessibleName(tr("Show API key"));
    m_toggle->setToolButtonStyle(Qt::ToolButtonTextOnly);
    setFocusProxy(m_edit);
    connect(m_toggle, &QToolButton::toggled, this, [this](bool shown) {
        m_edit->setEchoMode(shown ? QLineEdit::Normal : QLineEdit::Password);
        m_toggle->setText(shown ? tr("Hide") : tr("Show"));
        m_toggle->setAccessibleName(shown ? tr("Hide API key") : tr("Show API key"));
    });
    connect(m_edit, &QLineEdit::textChanged, this, &ApiKeyField::textChanged);
}

QString ApiKeyField::key() const
{
    return m_edit->text().trimmed();
}

void ApiKeyField::setKey(const QString &key)
{
    m_edit->setText(key);
}

bool ApiKeyField::isRevealed() const
{
    return m_edit->echoMode() == QLineEdit::Normal;
}

InlineStatus::InlineStatus(QWidget *parent)
    : QLabel(parent)
{
    setWordWrap(true);
    setTextFormat(Qt::PlainText);
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Use the whole width of the form's field column rather than wrapping after a few words.
    QSizePolicy policy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    policy.setHeightForWidth(true); // as setWordWrap() set it
    setSizePolicy(policy);
    hide();
}

void InlineStatus::setStatus(Kind kind, const QString &text)
{
    m_kind = kind;
    setText(text);
    setVisible(kind != Kind::None && !text.isEmpty());
    applyColour();
    growWindowToFit();
}

void InlineStatus::growWindowToFit()
{
    // A message that wraps onto more lines must not be clipped by a dialog sized before it
    // appeared: grow the window (never shrink it under the person's hands).
    QWidget *w = window();
    if (!w || w == this || !w->layout() || !w->isVisible())
        return;
    w->layout()->activate();
    QLayout *layout = w->layout();
    int height = layout->hasHeightForWidth() ? layout->totalHeightForWidth(w->width())
                                             : layout->totalSizeHint().height();
    height = std::max(height, layout->totalMinimumSize().height());
    if (height > w->height())
        w->resize(w->width(), height);
}

QSize InlineStatus::sizeHint() const
{
    QSize size = QLabel::sizeHint();
    if (width() > 100)
        size.setHeight(heightForWidth(width()));
    return size;
}

QSize InlineStatus::minimumSizeHint() const
{
    QSize size = QLabel::minimumSizeHint();
    if (width() > 100)
        size.setHeight(heightForWidth(width()));
    return size;
}

void InlineStatus::resizeEvent(QResizeEvent *event)
{
    const int oldWidth = event->oldSize().width();
    QLabel::resizeEvent(event);
    if (oldWidth != width())
        updateGeometry(); // the wrapped height changed with the width
}

void InlineStatus::changeEvent(QEvent *event)
{
    QLabel::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange)
        applyColour();
}

void InlineStatus::applyColour()
{
    // Red and green that keep their contrast on both a light and a dark window colour.
    const bool dark = parentWidget()
                          ? parentWidget()->palette().color(QPalette::Window).lightness() < 128
                          : palette().color(QPalette::Window).lightness() < 128;
    QColor colour;
    switch (m_kind) {
    case Kind::Error:
        colour = dark ? QColor(0xff, 0x8a, 0x80) : QColor(0xb3, 0x26, 0x1e);
        break;
    case Kind::Ok:
        colour = dark ? QColor(0x81, 0xc9, 0x95) : QColor(0x1e, 0x6e, 0x34);
        break;
    case Kind::Warning:
        colour = dark ? QColor(0xfd, 0xd6, 0x63) : QColor(0x7a, 0x4f, 0x00);
        break;
    case Kind::Progress:
    case Kind::None:
        break;
    }
    QPalette pal = palette();
    if (colour.isValid())
        pal.setColor(QPalette::WindowText, colour);
    else
        pal.setColor(QPalette::WindowText,
                     parentWidget() ? parentWidget()->palette().color(QPalette::PlaceholderText)
                                    : pal.color(QPalette::PlaceholderText));
    // Set on the label only, so a palette change of the parent comes through changeEvent.
    QLabel::setPalette(pal);
}

QString baseUrlProblem(const QUrl &url)
{
    if (url.isEmpty())
        return ConnectionTester::tr(
            "Enter the API address, for example https://api.talknex.ai/v1.");
    if (!url.isValid() || url.host().isEmpty())
        return ConnectionTester::tr("This is not a valid web address. Enter it like "
                                    "https://api.talknex.ai/v1.");
    const QString scheme = url.scheme().toLower();
    if (scheme != QLatin1String("https") && scheme != QLatin1String("http"))
        return ConnectionTester::tr("The address must start with https://.");
    if (!sb::api::Session::isAllowedBaseUrl(url))
        return ConnectionTester::tr("Use https:// for %1. Plain http:// is allowed only for this "
                                    "computer (localhost, 127.0.0.1), because the API key would "
                                    "travel unencrypted.")
            .arg(url.host());
    return QString();
}

ConnectionTester::ConnectionTester(QObject *parent)
    : QObject(parent)
{}

void ConnectionTester::test(sb::api::PlatformKind kind, const QUrl &baseUrl, const QString &apiKey)
{
    if (m_session)
        m_session->deleteLater();
    const quint64 generation = ++m_generation;
    auto *session = new sb::api::Session(this);
    m_session = session;
    sb::api::RetryPolicy once;
    once.maxAttempts = 1; // the person waits for the answer; a retry would only hide it
    session->setRetryPolicy(once);
    session->setConnectTimeoutMs(m_timeoutMs);
    session->setInactivityTimeoutMs(m_timeoutMs);
    const ApiError urlError = session->setBaseUrl(baseUrl);
    if (urlError.isError()) {
        const QString problem = baseUrlProblem(baseUrl);
        finish(false, problem.isEmpty() ? urlError.caption() : problem);
        return;
    }
    session->setApiKey(apiKey);
    sb::api::Platform *platform = sb::api::createPlatform(kind, session, session);
    if (!platform) {
        finish(false, tr("This version of Switchboard cannot connect to that platform yet."));
        return;
    }
    auto pager = platform->agents(1);
    const auto reply = pager.fetchNext();
    reply.onFinished(this, [this, generation, baseUrl, kind, name = platform->displayName()](
                               const sb::api::Result<sb::api::Page<sb::api::Agent>> &result) {
        if (generation != m_generation)
            return; // a newer test replaced this one
        if (result.ok()) {
            finish(
                true,
                kind == sb::api::PlatformKind::SpeakNode
                    ? tr("Connected to %1 at %2. The access token works.").arg(name, baseUrl.host())
                    : tr("Connected to %1 at %2. The API key works.").arg(name, baseUrl.host()));
            return;
        }
        qCInfo(lcAccountForm) << "connection test failed:" << int(result.error().kind)
                              << result.error().httpStatus;
        if (kind == sb::api::PlatformKind::SpeakNode &&
            result.error().kind == ApiError::Kind::Unauthorized) {
            finish(false, tr("SpeakNode rejected the access token (401): it is incomplete, "
                             "expired or signed out. Copy a fresh one, or sign in with the "
                             "browser."));
            return;
        }
        finish(false, explain(result.error(), baseUrl));
    });
}

void ConnectionTester::finish(bool ok, const QString &message)
{
    if (m_session)
        m_session->deleteLater();
    m_session = nullptr;
    // Queued: finished() must never arrive inside test(), so callers can update their state first.
    QMetaObject::invokeMethod(
        this, [this, ok, message] { Q_EMIT finished(ok, message); }, Qt::QueuedConnection);
}

QString ConnectionTester::explain(const ApiError &error, const QUrl &baseUrl)
{
    const QString host = baseUrl.host();
    switch (error.kind) {
    case ApiError::Kind::Unauthorized:
        return tr("The server refused the API key (401). Check that you copied the whole key and "
                  "that it has not been revoked.");
    case ApiError::Kind::Forbidden:
        return tr("The key is valid but may not read agents (403). Use a key with access to the "
                  "account.");
    case ApiError::Kind::Network:
        return tr("Cannot reach %1. Check the address and the network connection.").arg(host);
    case ApiError::Kind::Timeout:
        return tr("%1 did not answer in time. Check the address and the network connection.")
            .arg(host);
    case ApiError::Kind::NotFound:
    case ApiError::Kind::NotSupported:
    case ApiError::Kind::Protocol:
        return tr("%1 answered, but not like a Talknex API. Check the address (it usually ends "
                  "in /v1).")
            .arg(host);
    default:
        return error.caption();
    }
}

} // namespace sb::ui
