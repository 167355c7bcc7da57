// solve(): the CMVM optimizer's entry point.  CSD-recodes every entry, shares
// two-term subexpressions greedily, then sums each column with a depth-aware tree.
#include <vector>

#include "internal.hpp"

namespace dagen::cmvm {

Solution solve(const IntMatrix& w, std::span<const InputSpec> /*inputs*/, const Options& options) {
  const int n_in = static_cast<int>(w.rows());
  const int n_out = static_cast<int>(w.cols());
  detail::GraphBuilder g(n_in);
  std::vector<std::vector<Term>> cols(n_out);
  std::vector<int> budget(n_out);
  for (int j = 0; j < n_out; ++j) {
    for (int i = 0; i < n_in; ++i) detail::append_csd_terms(w(i, j), i, cols[j]);
    budget[j] =
        min_depth_for_terms(static_cast<int>(cols[j].size())) + options.depth_slack.value_or(0);
  }
  detail::greedy_cse(g, cols, options.depth_slack ? &budget : nullptr, options.seed);
  std::vector<std::optional<Term>> outputs(n_out);
  for (int j = 0; j < n_out; ++j) {
    detail::make_one_positive(g, cols[j]);
    outputs[j] = detail::sum_tree(g, std::move(cols[j]));
  }
  Solution s = std::move(g).take(std::move(outputs));
  detail::prune_dead(s);
  return s;
}

}  // namespace dagen::cmvm
