// The baseline without sharing: every column is its own canonical-signed-digit
// adder tree (Options::share == false).  Benchmarks compare the optimizer with it.
#include "dagen/cmvm.hpp"
#include "internal.hpp"

namespace dagen::cmvm::detail {

Solution solve_unshared(const IntMatrix& w) {
  const int n_in = static_cast<int>(w.rows());
  GraphBuilder g(n_in);
  std::vector<std::optional<Term>> outputs;
  for (Eigen::Index j = 0; j < w.cols(); ++j) {
    std::vector<Term> terms;
    for (int i = 0; i < n_in; ++i) append_csd_terms(w(i, j), i, terms);
    make_one_positive(g, terms);
    outputs.push_back(sum_tree(g, std::move(terms)));
  }
  return std::move(g).take(std::move(outputs));
}

}  // namespace dagen::cmvm::detail
