// solve(): the CMVM optimizer's entry point.  CSD-recodes every entry, shares
// two-term subexpressions greedily, then sums each column with a depth-aware tree.
// Optionally the columns are first decomposed along a spanning tree (decompose.cpp).
#include <vector>

#include "internal.hpp"

namespace dagen::cmvm {
namespace {

Solution solve_plain(const IntMatrix& w, const Options& options, bool decompose) {
  const int n_in = static_cast<int>(w.rows());
  const int n_out = static_cast<int>(w.cols());
  detail::GraphBuilder g(n_in);
  detail::Decomposition dec;
  if (decompose) {
    dec = detail::decompose_columns(w);
  } else {
    dec.parent.assign(n_out, -1);
    dec.sign.assign(n_out, 1);
    for (int j = 0; j < n_out; ++j) dec.order.push_back(j);
    dec.diff = w;
  }
  std::vector<std::vector<Term>> cols(n_out);
  std::vector<int> budget(n_out);
  for (int j = 0; j < n_out; ++j) {
    for (int i = 0; i < n_in; ++i) detail::append_csd_terms(dec.diff(i, j), i, cols[j]);
    budget[j] =
        min_depth_for_terms(detail::column_digit_count(w, j)) + options.depth_slack.value_or(0);
  }
  detail::greedy_cse(g, cols, options.depth_slack ? &budget : nullptr, options.seed);
  std::vector<std::optional<Term>> outputs(n_out);
  for (int j : dec.order) {
    if (dec.parent[j] >= 0 && outputs[dec.parent[j]]) {
      Term t = *outputs[dec.parent[j]];
      if (dec.sign[j] < 0) t.negative = !t.negative;
      cols[j].push_back(t);
    }
    detail::make_one_positive(g, cols[j]);
    outputs[j] = detail::sum_tree(g, std::move(cols[j]));
  }
  Solution s = std::move(g).take(std::move(outputs));
  detail::prune_dead(s);
  return s;
}

}  // namespace

Solution solve(const IntMatrix& w, std::span<const InputSpec> /*inputs*/, const Options& options) {
  Solution best = solve_plain(w, options, false);
  if (!options.depth_slack) {
    Solution d = solve_plain(w, options, true);
    if (d.ops.size() < best.ops.size()) best = std::move(d);
  }
  return best;
}

}  // namespace dagen::cmvm
