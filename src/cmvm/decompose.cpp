// Column decomposition W = W1 * W2 from a minimum spanning tree over columns (the
// idea of da4ml, arXiv 2507.04535): column j is computed as its parent column
// (+ or -) plus a difference column that has fewer signed digits.  The edge cost
// from the zero root is digits(c_j) - 1 (a plain sum); to column k it is
// digits(c_j -+ c_k) (the difference's sum plus the adder onto the parent).
#include <algorithm>
#include <climits>

#include "internal.hpp"

namespace dagen::cmvm::detail {

namespace {

int digits_of(const IntMatrix& w, int j, int k, int sign) {
  int d = 0;
  for (Eigen::Index i = 0; i < w.rows(); ++i) d += csd_digit_count(w(i, j) - sign * w(i, k));
  return d;
}

}  // namespace

Decomposition decompose_columns(const IntMatrix& w) {
  const int n = static_cast<int>(w.cols());
  Decomposition dec;
  dec.parent.assign(n, -1);
  dec.sign.assign(n, 1);
  dec.diff = w;
  std::vector<int> best(n);
  std::vector<bool> done(n, false);
  for (int j = 0; j < n; ++j) best[j] = std::max(0, column_digit_count(w, j) - 1);
  // Prim's algorithm from the zero root; ties go to the lower index.
  for (int step = 0; step < n; ++step) {
    int pick = -1;
    for (int j = 0; j < n; ++j)
      if (!done[j] && (pick < 0 || best[j] < best[pick])) pick = j;
    done[pick] = true;
    dec.order.push_back(pick);
    for (int j = 0; j < n; ++j) {
      if (done[j]) continue;
      for (int sign : {1, -1}) {
        const int c = digits_of(w, j, pick, sign);
        if (c < best[j]) {
          best[j] = c;
          dec.parent[j] = pick;
          dec.sign[j] = sign;
        }
      }
    }
  }
  for (int j = 0; j < n; ++j)
    if (dec.parent[j] >= 0) dec.diff.col(j) = w.col(j) - dec.sign[j] * w.col(dec.parent[j]);
  return dec;
}

}  // namespace dagen::cmvm::detail
