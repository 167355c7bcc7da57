// solve(): the CMVM optimizer's entry point.  Decomposes the columns along a
// spanning tree (decompose.cpp), CSD-recodes the difference columns, shares
// two-term subexpressions greedily (cse.cpp) and improves that by iterated greedy
// (perturb.cpp: dissolve some shared adders, share again), then, level by level of
// the tree, adds each column's parent, shares again among the level, and sums each
// column with a depth-aware tree (tree.cpp; for the AdderBits objective without depth
// bounds, a tree that adds the narrowest terms first).  Several seeded candidates are
// tried under a deterministic work budget; the cheapest wins.
#include <algorithm>
#include <vector>

#include "internal.hpp"

namespace dagen::cmvm {
namespace {

constexpr int kPerturbRounds = 8;
constexpr int kPerturbPerMille = 150;

// One candidate solution.  Without a profitable (or, with bounds, feasible) tree
// edge every column is a root and this is plain CSE on W.
// `narrow`: sum each column's remaining terms smallest first (fewer adder bits,
// deeper trees); only without depth bounds.
Solution solve_once(const IntMatrix& w, std::span<const InputSpec> inputs,
                    const std::vector<int>* bound, bool narrow, std::uint64_t seed, int tie_mode,
                    int rounds, std::uint64_t budget, std::uint64_t& work) {
  const int n_in = static_cast<int>(w.rows());
  const int n_out = static_cast<int>(w.cols());
  detail::GraphBuilder g(n_in, inputs);
  const detail::Decomposition dec = detail::decompose_columns(w, seed, bound);
  std::vector<std::vector<Term>> cols(n_out);
  std::vector<std::uint64_t> reserve(n_out, 0);
  for (int j = 0; j < n_out; ++j) {
    for (int i = 0; i < n_in; ++i) detail::append_csd_terms(dec.diff(i, j), i, cols[j]);
    if (bound && dec.parent[j] >= 0) reserve[j] = std::uint64_t{1} << dec.budget[dec.parent[j]];
  }
  work = detail::greedy_cse(g, cols, bound ? &dec.budget : nullptr, bound ? &reserve : nullptr,
                            seed, tie_mode);
  // Iterated greedy: dissolve a random 15% of the shared adders (and their users) and
  // re-run CSE on the rest; keep the result when it costs fewer adders.
  int cost = detail::live_cost(g, cols);
  // Large problems (one pass over the budget) get two rounds only.
  for (int round = 0; round < rounds && (round < 2 || work < budget); ++round) {
    detail::GraphBuilder g2 = g;
    std::vector<std::vector<Term>> cols2 = cols;
    detail::dissolve(g2, cols2, n_in, kPerturbPerMille, detail::mix64(seed ^ (round + 1) * 977));
    work += detail::greedy_cse(g2, cols2, bound ? &dec.budget : nullptr, bound ? &reserve : nullptr,
                               seed + round + 1, tie_mode);
    const int c2 = detail::live_cost(g2, cols2);
    if (c2 < cost) {
      cost = c2;
      g = std::move(g2);
      cols = std::move(cols2);
    }
  }
  // Sum the columns level by level of the spanning tree.  A column's parent joins
  // it as one more term; siblings then share patterns with their common parent, so
  // each level (but the roots') gets another CSE pass over its remaining terms.
  std::vector<int> level(n_out, 0);
  int levels = 1;
  for (int j : dec.order) {
    if (dec.parent[j] >= 0) level[j] = level[dec.parent[j]] + 1;
    levels = std::max(levels, level[j] + 1);
  }
  std::vector<std::optional<Term>> outputs(n_out);
  for (int l = 0; l < levels; ++l) {
    std::vector<int> at;
    for (int j : dec.order)
      if (level[j] == l) at.push_back(j);
    std::vector<std::vector<Term>> sub(at.size());
    std::vector<int> sub_budget;
    for (std::size_t k = 0; k < at.size(); ++k) {
      const int j = at[k];
      sub[k] = std::move(cols[j]);
      if (dec.parent[j] >= 0 && outputs[dec.parent[j]]) {
        Term t = *outputs[dec.parent[j]];
        if (dec.sign[j] < 0) t.negative = !t.negative;
        sub[k].push_back(t);
      }
      if (bound) sub_budget.push_back(dec.budget[j]);
    }
    if (l > 0) {
      work +=
          detail::greedy_cse(g, sub, bound ? &sub_budget : nullptr, nullptr, seed + l, tie_mode);
    }
    for (std::size_t k = 0; k < at.size(); ++k) {
      detail::make_one_positive(g, sub[k]);
      outputs[at[k]] = !narrow ? detail::sum_tree(g, std::move(sub[k]))
                       : bound ? detail::narrow_sum_tree(g, std::move(sub[k]), sub_budget[k])
                               : detail::narrow_sum_tree(g, std::move(sub[k]));
    }
  }
  Solution s = std::move(g).take(std::move(outputs));
  detail::prune_dead(s);
  return s;
}

// Work units (hash updates + queue pops in CSE) for the restarts of one solve():
// effort 1 is about 13 ms of CPU for a 16x16 matrix of 8-bit entries (at most
// kMaxRuns * effort runs).
std::uint64_t work_budget(int effort) {
  return static_cast<std::uint64_t>(std::max(effort, 0)) * 750'000;
}
constexpr int kMaxRuns = 24;

}  // namespace

Solution solve(const IntMatrix& w, std::span<const InputSpec> inputs, const Options& options) {
  if (!options.share) return detail::solve_unshared(w);
  std::vector<int> bound;
  if (options.depth_slack) {
    // A negative slack is unreachable and counts as 0; bounds above 48 cannot bind
    // (and keep the 64-bit Kraft sums exact).
    const int slack = std::max(*options.depth_slack, 0);
    for (int j = 0; j < w.cols(); ++j) {
      const int d = min_depth_for_terms(detail::column_digit_count(w, j));
      bound.push_back(std::min(d + std::min(slack, 48), std::max(d, 48)));
    }
  }
  const std::vector<int>* b = options.depth_slack ? &bound : nullptr;
  // Candidates: decomposed problems with seeded tie-breaking.  With depth slack 0 the
  // tie rule varies too (more diverse, better candidates); for AdderBits every other
  // run prefers small relative shifts (narrower adders).
  static constexpr int kTight[] = {2, 1, 3};
  const bool tight = options.depth_slack && *options.depth_slack <= 0;
  // Tight runs spend more time per work unit (Kraft checks): a larger budget evens out.
  const std::uint64_t budget = work_budget(options.effort) * (tight ? 12 : 10) / 10;
  const bool bits = options.objective == Objective::AdderBits;
  Solution best;
  std::int64_t best_bits = 0;
  std::uint64_t spent = 0;
  for (int r = 0;; ++r) {
    const std::uint64_t seed = r == 0 ? options.seed : detail::mix64(options.seed + r);
    int tie_mode = tight ? kTight[r % 3] : -1;
    if (bits && r % 2 == 1) tie_mode = 6;  // narrow adders: small relative shifts first
    std::uint64_t work = 0;
    const int rounds = options.effort > 0 ? kPerturbRounds : 0;
    Solution s = solve_once(w, inputs, b, bits, seed, tie_mode, rounds, budget, work);
    spent += work;
    if (bits) {
      const std::int64_t c = adder_bits(s, inputs);
      if (r == 0 || c < best_bits || (c == best_bits && s.ops.size() < best.ops.size())) {
        best = std::move(s);
        best_bits = c;
      }
    } else if (r == 0 || s.ops.size() < best.ops.size()) {
      best = std::move(s);
    }
    // Iteration budget: stop when another run of the same size would overshoot.
    if (options.effort <= 0 || r + 1 >= kMaxRuns * options.effort || spent + work > budget) break;
  }
  return best;
}

}  // namespace dagen::cmvm
