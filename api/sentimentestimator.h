#pragma once

// A local, deterministic ESTIMATE of caller sentiment, for platforms that publish none
// (SpeakNode, CONTRACT §2.3). It reads words, not tone: a small lexicon of our own with
// negation ("not happy") and intensifiers ("very happy"). The console labels its results as
// estimated; they are never presented as the platform's own judgement.

#include "dto.h"

#include <QString>

namespace sb::api {

//! Estimates sentiment from the words of transcript lines (a lexicon, not a model).
class SentimentEstimator
{
public:
    //! One line's estimate. `score` in −1..1; `hits` = how many lexicon words counted.
    struct LineScore
    {
        Sentiment label = Sentiment::Neutral;
        double score = 0.0;
        int hits = 0;
    };

    //! The whole call: the timeline (one point per caller line with words that count) and the
    //! running label after the last line (Sentiment::None when the caller said nothing).
    struct CallEstimate
    {
        QList<SentimentPoint> timeline;
        Sentiment label = Sentiment::None;
        std::optional<double> score;
    };

    //! |score| at or above this is Positive/Negative; below it Neutral.
    static constexpr double kLabelThreshold = 0.2;
    //! Weight of the newest line in the running score (an exponential moving average), so the
    //! call's label follows how the caller feels now rather than at the start.
    static constexpr double kRunningWeight = 0.5;

    static LineScore scoreText(const QString &text);
    static Sentiment labelFor(double score);
    //! Scores the caller lines of `lines` (sets their `sentiment`; other speakers are left as
    //! they are) and returns the running estimate.
    static CallEstimate estimate(QList<TranscriptLine> &lines);
    //! Fills `details` (transcript line labels, timeline, call label and score) from its
    //! transcript. For platforms without ServerSentiment only.
    static void apply(CallDetails &details);
};

} // namespace sb::api
