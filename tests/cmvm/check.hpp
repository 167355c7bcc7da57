// Shared checker for CMVM tests: verifies a Solution against W exactly.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "dagen/cmvm.hpp"

namespace dagen::cmvm::testing {

// Evaluates the solution on integer inputs (wrap-around arithmetic, which is exact
// modulo 2^64 and so still detects any wrong coefficient with overwhelming odds).
inline std::vector<std::uint64_t> evaluate(const Solution& s, const std::vector<std::uint64_t>& x) {
  std::vector<std::uint64_t> v(x);
  auto term = [&](const Term& t) {
    std::uint64_t val = v[t.operand];
    val = t.shift >= 0 ? val << t.shift
                       : static_cast<std::uint64_t>(static_cast<std::int64_t>(val) >> -t.shift);
    return t.negative ? std::uint64_t{0} - val : val;
  };
  for (const Op& op : s.ops) v.push_back(term(op.a) + term(op.b));
  std::vector<std::uint64_t> y;
  for (const auto& o : s.outputs) y.push_back(o ? term(*o) : 0);
  return y;
}

// Checks everything the contract promises; `depth_slack` as given to solve().
// `negated_outputs`: after orient(), an output may come out negated where its
// reader absorbs the sign.
inline void check_solution(const IntMatrix& w, const Solution& s, std::optional<int> depth_slack,
                           bool exact_coefficients = true, bool negated_outputs = false) {
  const int n = static_cast<int>(w.rows());
  ASSERT_EQ(s.n_inputs, n);
  ASSERT_EQ(static_cast<Eigen::Index>(s.outputs.size()), w.cols());
  for (std::size_t k = 0; k < s.ops.size(); ++k) {
    const Op& op = s.ops[k];
    ASSERT_FALSE(op.a.negative) << "op " << k;
    ASSERT_GE(op.a.operand, 0);
    ASSERT_GE(op.b.operand, 0);
    ASSERT_LT(op.a.operand, n + static_cast<int>(k)) << "op " << k << " not topological";
    ASSERT_LT(op.b.operand, n + static_cast<int>(k)) << "op " << k << " not topological";
    ASSERT_GE(op.a.shift, 0) << "op " << k;
    ASSERT_GE(op.b.shift, 0) << "op " << k;
  }
  // Coefficient vectors of the outputs equal W's columns.
  const auto coef = operand_coefficients(s);
  if (exact_coefficients) {
    for (Eigen::Index j = 0; j < w.cols(); ++j) {
      const auto& o = s.outputs[j];
      if (w.col(j).isZero()) {
        EXPECT_FALSE(o.has_value()) << "column " << j;
        continue;
      }
      ASSERT_TRUE(o.has_value()) << "column " << j;
      ASSERT_GE(o->shift, 0);
      for (int i = 0; i < n; ++i) {
        std::int64_t c = coef[o->operand][i] << o->shift;
        if (o->negative) c = -c;
        ASSERT_EQ(c, w(i, j)) << "W(" << i << "," << j << ")";
      }
    }
    // Every op's coefficient vector is what its operands compute.
    for (std::size_t k = 0; k < s.ops.size(); ++k) {
      const Op& op = s.ops[k];
      for (int i = 0; i < n; ++i) {
        const std::int64_t a = coef[op.a.operand][i] << op.a.shift;
        const std::int64_t b = coef[op.b.operand][i] << op.b.shift;
        ASSERT_EQ(coef[n + k][i], op.b.negative ? a - b : a + b);
      }
    }
  }
  // Evaluation on random integer vectors.
  std::mt19937_64 rng(12345);
  for (int trial = 0; trial < 3; ++trial) {
    std::vector<std::uint64_t> x(n);
    for (auto& xi : x) xi = rng();
    const auto y = evaluate(s, x);
    for (Eigen::Index j = 0; j < w.cols(); ++j) {
      std::uint64_t expect = 0;
      for (int i = 0; i < n; ++i) expect += static_cast<std::uint64_t>(w(i, j)) * x[i];
      ASSERT_EQ(y[j], expect) << "column " << j;
    }
  }
  // Depth bound and the sign rule for outputs.
  const auto depth = operand_depths(s);
  for (Eigen::Index j = 0; j < w.cols(); ++j) {
    const auto& o = s.outputs[j];
    if (!o) continue;
    int d = 0;
    bool any_positive = false;
    for (int i = 0; i < n; ++i) {
      d += csd_digit_count(w(i, j));
      any_positive |= w(i, j) > 0;
    }
    if (depth_slack) {
      EXPECT_LE(depth[o->operand], min_depth_for_terms(d) + *depth_slack) << "column " << j;
    }
    if (any_positive && !negated_outputs) {
      EXPECT_FALSE(o->negative) << "column " << j << " negated needlessly";
    }
  }
}

inline IntMatrix random_matrix(int rows, int cols, std::int64_t lo, std::int64_t hi,
                               std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::int64_t> dist(lo, hi);
  IntMatrix w(rows, cols);
  for (int j = 0; j < cols; ++j)
    for (int i = 0; i < rows; ++i) w(i, j) = dist(rng);
  return w;
}

inline int total_digits(const IntMatrix& w) {
  int d = 0;
  for (Eigen::Index j = 0; j < w.cols(); ++j)
    for (Eigen::Index i = 0; i < w.rows(); ++i) d += csd_digit_count(w(i, j));
  return d;
}

}  // namespace dagen::cmvm::testing
