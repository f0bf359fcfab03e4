#include "fuzzymatch.h"

#include <QVarLengthArray>

#include <algorithm>
#include <climits>
#include <vector>

namespace sb::models {

namespace {

// Weights in the spirit of fzf's: a matched letter is worth more than any gap costs, so a
// tighter match always wins over a looser one of the same letters, and a word start is worth
// about as much as a consecutive letter, so "gtc" finds "Go to Calls" before "getCount".
constexpr int MatchScore = 16;
constexpr int FirstCharBonus = 32;
constexpr int WordStartBonus = 24;
constexpr int CamelBonus = 20;
constexpr int ConsecutiveBonus = 20;
constexpr int GapStartPenalty = -6;
constexpr int GapExtendPenalty = -1;
constexpr int LeadingPenaltyPerChar = -1;
constexpr int LeadingPenaltyMax = -12;
constexpr int ExactCaseBonus = 1;
constexpr int Impossible = INT_MIN / 4;

int boundaryBonus(QStringView text, qsizetype j)
{
    if (j == 0)
        return FirstCharBonus;
    const QChar prev = text.at(j - 1);
    const QChar cur = text.at(j);
    if (!cur.isLetterOrNumber())
        return 0;
    if (!prev.isLetterOrNumber())
        return WordStartBonus;
    if (prev.isLower() && cur.isUpper())
        return CamelBonus;
    if (prev.isLetter() && cur.isDigit())
        return CamelBonus / 2;
    return 0;
}

} // namespace

FuzzyMatch fuzzyMatch(QStringView query, QStringView text)
{
    QVarLengthArray<QChar, 32> pattern;
    for (const QChar c : query)
        if (!c.isSpace())
            pattern.append(c);
    FuzzyMatch result;
    if (pattern.isEmpty()) {
        result.matched = true;
        return result;
    }
    const qsizetype m = pattern.size();
    const qsizetype n = text.size();
    if (m > n)
        return result;

    QVarLengthArray<QChar, 64> folded(n);
    for (qsizetype j = 0; j < n; ++j)
        folded[j] = text.at(j).toCaseFolded();
    QVarLengthArray<QChar, 32> foldedPattern(m);
    for (qsizetype i = 0; i < m; ++i)
        foldedPattern[i] = pattern.at(i).toCaseFolded();

    // Cheap rejection first: most commands do not contain the query as a subsequence.
    {
        qsizetype i = 0;
        for (qsizetype j = 0; j < n && i < m; ++j)
            if (folded[j] == foldedPattern[i])
                ++i;
        if (i < m)
            return result;
    }

    // score[i][j]: best score with query letter i matched at text position j (and the letters
    // before it somewhere left of j); from[i][j]: where letter i-1 sits in that best match.
    std::vector<int> score(size_t(m * n), Impossible);
    std::vector<int> from(size_t(m * n), -1);
    auto at = [n](qsizetype i, qsizetype j) { return size_t(i * n + j); };

    for (qsizetype i = 0; i < m; ++i) {
        int bestGap = Impossible; // best score of letter i-1 at k <= j-2, gap penalties included
        int bestGapFrom = -1;
        for (qsizetype j = i; j < n; ++j) {
            if (i > 0 && j >= 2) {
                // Extend the running best by one more skipped letter, or open a gap from j-2.
                if (bestGap != Impossible)
                    bestGap += GapExtendPenalty;
                const int open = score[at(i - 1, j - 2)];
                if (open != Impossible && open + GapStartPenalty > bestGap) {
                    bestGap = open + GapStartPenalty;
                    bestGapFrom = int(j - 2);
                }
            }
            if (folded[j] != foldedPattern[i])
                continue;
            int own = MatchScore + boundaryBonus(text, j);
            if (text.at(j) == pattern.at(i))
                own += ExactCaseBonus;
            if (i == 0) {
                score[at(i, j)] = own + std::max(LeadingPenaltyMax, int(j) * LeadingPenaltyPerChar);
                continue;
            }
            int best = Impossible;
            int bestFrom = -1;
            const int adjacent = j >= 1 ? score[at(i - 1, j - 1)] : Impossible;
            if (adjacent != Impossible) {
                best = adjacent + ConsecutiveBonus;
                bestFrom = int(j - 1);
            }
            if (bestGap != Impossible && bestGap > best) {
                best = bestGap;
                bestFrom = bestGapFrom;
            }
            if (best == Impossible)
                continue;
            score[at(i, j)] = best + own;
            from[at(i, j)] = bestFrom;
        }
    }

    int bestEnd = -1;
    int bestScore = Impossible;
    for (qsizetype j = m - 1; j < n; ++j) {
        if (score[at(m - 1, j)] > bestScore) {
            bestScore = score[at(m - 1, j)];
            bestEnd = int(j);
        }
    }
    if (bestEnd < 0)
        return result;
    result.matched = true;
    result.score = bestScore;
    result.positions.resize(m);
    int j = bestEnd;
    for (qsizetype i = m - 1; i >= 0; --i) {
        result.positions[i] = j;
        j = from[at(i, j)];
    }
    return result;
}

} // namespace sb::models
