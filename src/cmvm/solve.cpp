// solve(): the CMVM optimizer's entry point.  CSD-recodes every entry, then sums each
// column with a depth-aware tree.
#include <vector>

#include "internal.hpp"

namespace dagen::cmvm {

Solution solve(const IntMatrix& w, std::span<const InputSpec> /*inputs*/,
               const Options& /*options*/) {
  const int n_in = static_cast<int>(w.rows());
  const int n_out = static_cast<int>(w.cols());
  detail::GraphBuilder g(n_in);
  std::vector<std::optional<Term>> outputs(n_out);
  for (int j = 0; j < n_out; ++j) {
    std::vector<Term> terms;
    for (int i = 0; i < n_in; ++i) detail::append_csd_terms(w(i, j), i, terms);
    outputs[j] = detail::sum_tree(g, std::move(terms));
  }
  return std::move(g).take(std::move(outputs));
}

}  // namespace dagen::cmvm
