#pragma once

#include "api/dto.h"
#include "models/alertrules.h"

#include <QColor>
#include <QCoreApplication>
#include <QPalette>

namespace sb::ui {

//! Colours and names shared by the live wall and the call widgets, derived from the current
//! palette so they keep their contrast in light and dark themes (never a fixed black/white).
class CallPalette
{
    Q_DECLARE_TR_FUNCTIONS(CallPalette)
public:
    //! True when the palette's base is dark (a dark theme).
    static bool isDark(const QPalette &palette);
    //! \a a blended towards \a b by \a amount (0..1).
    static QColor mix(const QColor &a, const QColor &b, double amount);

    //! Accent of a speaker: the palette's highlight for the agent, a contrasting hue for the
    //! caller, the mid tone for the rest.
    static QColor speakerAccent(const QPalette &palette, sb::api::SpeakerRole role);
    //! Bubble fill of a speaker's lines: the base tinted by the accent.
    static QColor speakerFill(const QPalette &palette, sb::api::SpeakerRole role);
    //! Readable label colour for a speaker (the accent pulled towards the text colour).
    static QColor speakerLabel(const QPalette &palette, sb::api::SpeakerRole role);
    static QString speakerName(sb::api::SpeakerRole role);

    //! Red for negative / errors, green for positive, tuned per light or dark base.
    static QColor negative(const QPalette &palette);
    static QColor positive(const QPalette &palette);
    static QColor warning(const QPalette &palette);
    static QColor severityColor(const QPalette &palette, sb::models::AlertSeverity severity);

    static QString statusText(sb::api::CallStatus status);
    static QString sentimentText(sb::api::Sentiment sentiment);
};

} // namespace sb::ui
