#include "callwallpalette.h"

#include "transcriptexport.h"

#include <cmath>

namespace sb::ui {

using sb::api::SpeakerRole;

bool CallPalette::isDark(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightnessF() < 0.5;
}

QColor CallPalette::mix(const QColor &a, const QColor &b, double amount)
{
    const double k = qBound(0.0, amount, 1.0);
    return QColor::fromRgbF(float(a.redF() * (1 - k) + b.redF() * k),
                            float(a.greenF() * (1 - k) + b.greenF() * k),
                            float(a.blueF() * (1 - k) + b.blueF() * k));
}

QColor CallPalette::speakerAccent(const QPalette &palette, SpeakerRole role)
{
    const QColor highlight = palette.color(QPalette::Highlight);
    switch (role) {
    case SpeakerRole::Agent:
        return highlight;
    case SpeakerRole::Caller: {
        // The highlight's hue turned a third of the way round: distinct, same weight.
        float h = 0;
        float s = 0;
        float l = 0;
        highlight.getHslF(&h, &s, &l);
        if (h < 0)
            h = 0.6f; // achromatic highlight: start from blue
        h = std::fmod(h + 0.36f, 1.0f);
        return QColor::fromHslF(h, qMax(s, 0.45f), qBound(0.35f, l, 0.6f));
    }
    case SpeakerRole::System:
    case SpeakerRole::Tool:
    case SpeakerRole::Unknown:
        break;
    }
    return palette.color(QPalette::Mid);
}

QColor CallPalette::speakerFill(const QPalette &palette, SpeakerRole role)
{
    const double amount = isDark(palette) ? 0.28 : 0.16;
    return mix(palette.color(QPalette::Base), speakerAccent(palette, role), amount);
}

QColor CallPalette::speakerLabel(const QPalette &palette, SpeakerRole role)
{
    return mix(speakerAccent(palette, role), palette.color(QPalette::Text), 0.35);
}

QString CallPalette::speakerName(SpeakerRole role)
{
    switch (role) {
    case SpeakerRole::Agent:
        return tr("Agent");
    case SpeakerRole::Caller:
        return tr("Caller");
    case SpeakerRole::System:
        return tr("System");
    case SpeakerRole::Tool:
        return tr("Tool");
    case SpeakerRole::Unknown:
        break;
    }
    return tr("Speaker");
}

QColor CallPalette::negative(const QPalette &palette)
{
    return isDark(palette) ? QColor(0xef, 0x8a, 0x8a) : QColor(0xb7, 0x1c, 0x1c);
}

QColor CallPalette::positive(const QPalette &palette)
{
    return isDark(palette) ? QColor(0x8f, 0xd6, 0x94) : QColor(0x1b, 0x6e, 0x20);
}

QColor CallPalette::warning(const QPalette &palette)
{
    return isDark(palette) ? QColor(0xff, 0xc8, 0x57) : QColor(0x9a, 0x5b, 0x00);
}

QColor CallPalette::severityColor(const QPalette &palette, sb::models::AlertSeverity severity)
{
    using sb::models::AlertSeverity;
    switch (severity) {
    case AlertSeverity::Critical:
        return negative(palette);
    case AlertSeverity::Warning:
        return warning(palette);
    case AlertSeverity::Info:
        return palette.color(QPalette::Highlight);
    case AlertSeverity::None:
        break;
    }
    return palette.color(QPalette::Text);
}

QString CallPalette::statusText(sb::api::CallStatus status)
{
    // One wording for a status everywhere (history filter, details, exports, the live view).
    return TranscriptExport::statusLabel(status);
}

QString CallPalette::sentimentText(sb::api::Sentiment sentiment)
{
    using sb::api::Sentiment;
    switch (sentiment) {
    case Sentiment::Positive:
        return tr("Positive");
    case Sentiment::Neutral:
        return tr("Neutral");
    case Sentiment::Negative:
        return tr("Negative");
    case Sentiment::Unknown:
        return tr("Unknown");
    case Sentiment::None:
        break;
    }
    return QString();
}

} // namespace sb::ui
