#pragma once

#include <QString>

//! Lexicon sentiment of one utterance: a score in -1..1 and its label.
struct SimSentiment
{
    double score = 0;
    QString label; // positive | neutral | negative
};

//! Scores text with a small English lexicon (negation flips the next word). Deterministic and
//! cheap: the live engine scores every line as it is spoken.
SimSentiment simScoreText(const QString &text);

//! positive above 0.25, negative below -0.25, neutral between.
QString simSentimentLabel(double score);
