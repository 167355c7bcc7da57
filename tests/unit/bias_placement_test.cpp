// place_biases / with_bias_inputs: a bias moved into a column's own adders keeps
// every output's value, costs the same adders as adding it last, never makes an
// output deeper than that, and does move on ordinary layers.
#include "dagen/bias_placement.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

namespace dagen {
namespace {

using Values = std::vector<std::int64_t>;

// Integer evaluation of a solution (inputs first, then ops), outputs as values.
Values evaluate(const cmvm::Solution& s, const Values& x) {
  Values v(x);
  auto term = [&](const cmvm::Term& t) {
    const std::int64_t a = v[static_cast<std::size_t>(t.operand)] * (std::int64_t{1} << t.shift);
    return t.negative ? -a : a;
  };
  for (const cmvm::Op& op : s.ops) v.push_back(term(op.a) + term(op.b));
  Values y;
  for (const auto& o : s.outputs) y.push_back(o ? term(*o) : 0);
  return y;
}

std::int64_t integer(const Fixed& f) {
  if (f.frac <= 0) return static_cast<std::int64_t>(f.code) * (std::int64_t{1} << -f.frac);
  const i128 unit = i128{1} << f.frac;
  EXPECT_EQ(f.code % unit, 0) << "a placed constant off the integer grid of integer inputs";
  return static_cast<std::int64_t>(f.code / unit);
}

TEST(BiasPlacement, KeepsValuesAddersAndDepth) {
  int moved = 0, outputs = 0;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    std::mt19937_64 rng(seed);
    const int rows = 3 + static_cast<int>(seed % 12), cols = 1 + static_cast<int>(seed % 9);
    cmvm::IntMatrix w(rows, cols);
    std::uniform_int_distribution<int> weight(-40, 40);
    for (int i = 0; i < rows; ++i)
      for (int j = 0; j < cols; ++j) w(i, j) = seed % 4 == 0 && (i + j) % 3 == 0 ? 0 : weight(rng);
    std::vector<cmvm::InputSpec> specs;
    for (int i = 0; i < rows; ++i) specs.push_back({i % 2 ? 0.0 : -16.0, 15.0 + i, 0});
    cmvm::Options o;
    o.seed = seed;
    const cmvm::Solution s = cmvm::solve(w, specs, o);
    std::vector<Fixed> bias;
    std::uniform_int_distribution<int> b(-300, 300);
    for (int j = 0; j < cols; ++j) bias.push_back({j % 4 == 3 ? 0 : b(rng) * (1 << (j % 3)), 0});

    const auto placed = place_biases(s, specs, bias, 0);
    const cmvm::Solution aug = with_bias_inputs(s, placed);
    SCOPED_TRACE("seed " + std::to_string(seed));
    Values constants;
    for (const BiasPlacement& p : placed)
      if (p.op >= 0) constants.push_back(integer(p.constant));
    ASSERT_EQ(aug.n_inputs, s.n_inputs + static_cast<int>(constants.size()));
    ASSERT_EQ(aug.ops.size(), s.ops.size() + constants.size());
    const auto depth = cmvm::operand_depths(s), aug_depth = cmvm::operand_depths(aug);
    std::uniform_int_distribution<int> in(-16, 16);
    for (int trial = 0; trial < 4; ++trial) {
      Values x;
      for (int i = 0; i < rows; ++i) x.push_back(in(rng));
      const Values y = evaluate(s, x);
      Values xa = x;
      xa.insert(xa.end(), constants.begin(), constants.end());
      const Values ya = evaluate(aug, xa);
      for (int j = 0; j < cols; ++j) {
        const bool p = placed[static_cast<std::size_t>(j)].op >= 0;
        EXPECT_EQ(
            ya[static_cast<std::size_t>(j)],
            y[static_cast<std::size_t>(j)] + (p ? static_cast<std::int64_t>(bias[j].code) : 0))
            << "output " << j;
      }
    }
    for (int j = 0; j < cols; ++j) {
      const auto& t = s.outputs[static_cast<std::size_t>(j)];
      if (!t || placed[static_cast<std::size_t>(j)].op < 0) continue;
      ++moved;
      // Adding the bias last would make the output one adder deeper.
      EXPECT_LE(
          aug_depth[static_cast<std::size_t>(aug.outputs[static_cast<std::size_t>(j)]->operand)],
          depth[static_cast<std::size_t>(t->operand)] + 1);
    }
    outputs += cols;
  }
  EXPECT_GT(moved, outputs / 10) << "biases hardly ever move: the placement does nothing";
}

// A column's bias never moves into an adder another column reads.
TEST(BiasPlacement, LeavesSharedAddersAlone) {
  cmvm::Solution s;
  s.n_inputs = 2;
  s.ops = {{{0, 0, false}, {1, 4, false}}, {{2, 0, false}, {0, 8, false}}};  // op0 read twice
  s.outputs = {cmvm::Term{3, 0, false}, cmvm::Term{2, 0, false}};
  const std::vector<cmvm::InputSpec> specs(2, cmvm::InputSpec{-8.0, 7.0, 0});
  const std::vector<Fixed> bias = {{3, 0}, {5, 0}};
  const auto placed = place_biases(s, specs, bias, 0);
  EXPECT_EQ(placed[1].op, -1);  // output 1 is op0 itself, which op1 reads too
  if (placed[0].op >= 0) {
    EXPECT_EQ(placed[0].op, 1);  // inside op1 only, never inside op0
  }
}

}  // namespace
}  // namespace dagen
