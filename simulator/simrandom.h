#pragma once

#include <QtGlobal>

//! Small deterministic PRNG (SplitMix64): the demo data must be the same on every platform and
//! Qt version for one seed, so the simulator does not rely on library generators.
class SimRandom
{
public:
    explicit SimRandom(quint64 seed)
        : m_state(seed)
    {}

    quint64 next()
    {
        quint64 z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    //! Uniform in [0, n); n must be > 0.
    int bounded(int n) { return n <= 0 ? 0 : int(next() % quint64(n)); }
    //! Uniform in [lo, hi].
    int range(int lo, int hi) { return lo + bounded(hi - lo + 1); }
    double unit() { return double(next() >> 11) / double(1ULL << 53); }
    bool chance(double p) { return unit() < p; }

    //! Mixes two values into a new seed (for per-item sub-generators).
    static quint64 mix(quint64 a, quint64 b)
    {
        SimRandom r(a ^ (b * 0xD6E8FEB86659FD93ULL));
        return r.next();
    }

private:
    quint64 m_state;
};
