#pragma once

#include <QList>
#include <QString>
#include <QStringView>

namespace sb::models {

//! Outcome of matching a typed query against one command's text.
struct FuzzyMatch
{
    bool matched = false;
    //! Higher is better; only comparable between matches of the same query.
    int score = 0;
    //! Indexes into the text of the characters that matched (for highlighting), ascending.
    QList<int> positions;

    explicit operator bool() const { return matched; }
};

//! Subsequence match of \a query in \a text, case-insensitive, spaces in the query ignored.
//!
//! Among all the ways the query can be found in the text the best-scoring one is chosen:
//! letters at word starts (after a space or punctuation, the text's start, a camelCase hump)
//! and runs of consecutive letters score higher, gaps and a late first letter cost a little.
//! An empty query matches everything with score 0.
FuzzyMatch fuzzyMatch(QStringView query, QStringView text);

} // namespace sb::models
