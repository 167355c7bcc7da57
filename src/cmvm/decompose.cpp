// Column decomposition W = W1 * W2 from a minimum spanning tree over columns (the
// idea of da4ml, arXiv 2507.04535): column j is computed as its parent column
// (+ or -) plus a difference column that has fewer signed digits.  The edge cost
// from the zero root is digits(c_j) - 1 (a plain sum); to column k it is
// digits(c_j -+ c_k) (the difference's sum plus the adder onto the parent).
//
// With depth bounds D_j the tree is grown by Prim's algorithm under constraints: a
// column whose subtree is h levels high gets budget b_j = D_j - h, and an edge is
// taken only if the difference's digits still fit the Kraft inequality next to the
// parent's reserved depth: 2^b_parent + digits(diff_j) <= 2^b_j.
#include <algorithm>
#include <climits>
#include <cstdint>

#include "internal.hpp"

namespace dagen::cmvm::detail {
namespace {

std::uint64_t pow2(int d) { return std::uint64_t{1} << std::clamp(d, 0, 62); }

class Builder {
 public:
  Builder(const IntMatrix& w, std::uint64_t seed, const std::vector<int>* bound)
      : w_(w), n_(static_cast<int>(w.cols())), seed_(seed), bound_(bound) {
    own_.resize(n_);
    for (int j = 0; j < n_; ++j) own_[j] = column_digit_count(w, j);
    // cost_[j * n + k] (sign +) and costm_[...] (sign -): digits of c_j -+ c_k.
    cost_.assign(static_cast<std::size_t>(n_) * n_, 0);
    costm_.assign(static_cast<std::size_t>(n_) * n_, 0);
    for (int j = 0; j < n_; ++j)
      for (int k = j + 1; k < n_; ++k) {
        int dp = 0, dm = 0;
        for (Eigen::Index i = 0; i < w.rows(); ++i) {
          dp += csd_digit_count(w(i, j) - w(i, k));
          dm += csd_digit_count(w(i, j) + w(i, k));
        }
        cost_[idx(j, k)] = cost_[idx(k, j)] = dp;
        costm_[idx(j, k)] = costm_[idx(k, j)] = dm;
      }
  }

  Decomposition run() {
    Decomposition dec;
    dec.parent.assign(n_, -1);
    dec.sign.assign(n_, 1);
    dec.diff_digits = own_;
    height_.assign(n_, 0);
    std::vector<bool> done(n_, false);
    parent_ = &dec.parent;
    diff_digits_ = &dec.diff_digits;
    for (int step = 0; step < n_; ++step) {
      // Best (cost, tie) over every undone column and every feasible parent.
      int bj = -1, bp = -1, bs = 1, bcost = INT_MAX;
      std::uint64_t btie = 0;
      for (int j = 0; j < n_; ++j) {
        if (done[j]) continue;
        auto consider = [&](int p, int sign, int cost, int digits) {
          const std::uint64_t tie =
              mix64(seed_ ^ (static_cast<std::uint64_t>(j) * 1000003 + p + 7));
          if (cost > bcost || (cost == bcost && (seed_ ? tie >= btie : true))) return;
          if (p >= 0 && !feasible(j, p, digits)) return;
          bj = j, bp = p, bs = sign, bcost = cost, btie = tie;
        };
        consider(-1, 1, std::max(0, own_[j] - 1), own_[j]);
        for (int p = 0; p < n_; ++p) {
          if (!done[p]) continue;
          consider(p, 1, cost_[idx(j, p)], cost_[idx(j, p)]);
          consider(p, -1, costm_[idx(j, p)], costm_[idx(j, p)]);
        }
      }
      done[bj] = true;
      dec.order.push_back(bj);
      dec.parent[bj] = bp;
      dec.sign[bj] = bs;
      dec.diff_digits[bj] = bp < 0 ? own_[bj] : bcost;
      for (int u = bj, h = 0; u >= 0; u = dec.parent[u], ++h) height_[u] = std::max(height_[u], h);
    }
    dec.diff = w_;
    for (int j = 0; j < n_; ++j)
      if (dec.parent[j] >= 0) dec.diff.col(j) = w_.col(j) - dec.sign[j] * w_.col(dec.parent[j]);
    if (bound_) {
      dec.budget.resize(n_);
      for (int j = 0; j < n_; ++j) dec.budget[j] = (*bound_)[j] - height_[j];
    }
    return dec;
  }

 private:
  std::size_t idx(int j, int k) const { return static_cast<std::size_t>(j) * n_ + k; }

  // Whether column u (budget b, parent budget bp) has room for its difference digits.
  static bool fits(int b, int bp, int digits) {
    if (b < 0) return false;
    // Kraft: the parent's reserved depth plus every digit at depth 0.  (Leaving extra
    // room for sharing, which puts adders deeper, measured worse.)
    const std::uint64_t need = (bp >= 0 ? pow2(bp) : 0) + digits;
    return need <= pow2(b);
  }

  // Attaching leaf j below p: heights on the path from p up may grow by one.
  bool feasible(int j, int p, int digits) const {
    if (!bound_) return true;
    const auto& bound = *bound_;
    const auto& par = *parent_;
    // New heights along the path p -> root.
    int child_h = 0;                           // height of j
    std::vector<std::pair<int, int>> changed;  // (node, new height)
    for (int u = p; u >= 0; u = par[u]) {
      const int nh = std::max(height_[u], child_h + 1);
      if (nh == height_[u]) break;
      changed.emplace_back(u, nh);
      child_h = nh;
    }
    auto height = [&](int u) {
      for (auto [v, h] : changed)
        if (v == u) return h;
      return height_[u];
    };
    // j itself: a leaf with budget bound[j].
    if (!fits(bound[j], bound[p] - height(p), digits)) return false;
    for (auto [u, h] : changed) {
      const int pu = par[u];
      const int bp = pu >= 0 ? bound[pu] - height(pu) : -1;
      if (!fits(bound[u] - h, bp, (*diff_digits_)[u])) return false;
    }
    return true;
  }

  const IntMatrix& w_;
  int n_;
  std::uint64_t seed_;
  const std::vector<int>* bound_;
  std::vector<int> own_;
  std::vector<int> cost_, costm_;
  std::vector<int> height_;
  const std::vector<int>* parent_ = nullptr;
  const std::vector<int>* diff_digits_ = nullptr;
};

}  // namespace

Decomposition decompose_columns(const IntMatrix& w, std::uint64_t seed,
                                const std::vector<int>* bound) {
  return Builder(w, seed, bound).run();
}

}  // namespace dagen::cmvm::detail
