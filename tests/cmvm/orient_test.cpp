// orient(): the adders' signs change, the outputs' values, adder count and depths do
// not, and the carry-chain bits spent on subtracted low operands never grow.
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <random>
#include <vector>

#include "check.hpp"
#include "dagen/cmvm.hpp"

namespace dagen::cmvm {
namespace {

using testing::check_solution;
using testing::evaluate;
using testing::random_matrix;

using Cost = std::function<int(int, OperandBits)>;

// The quantity orient() minimises, recomputed here from its definition.
long orientation_cost(const Solution& s, std::span<const InputSpec> in, const Cost& negated) {
  const auto bits = operand_bits(s, in);
  long c = 0;
  for (const Op& op : s.ops) {
    const int la = bits[op.a.operand].lsb + op.a.shift, lb = bits[op.b.operand].lsb + op.b.shift;
    if (op.b.negative && lb < la) c += la - lb;
  }
  for (std::size_t j = 0; j < s.outputs.size(); ++j) {
    const auto& t = s.outputs[j];
    if (t && t->negative) {
      const OperandBits b = bits[t->operand];
      c += negated(static_cast<int>(j), b.shifted(t->shift));
    }
  }
  return c;
}

void expect_same_values(const Solution& a, const Solution& b, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  for (int k = 0; k < 8; ++k) {
    std::vector<std::uint64_t> x(a.n_inputs);
    for (auto& v : x) v = rng();
    ASSERT_EQ(evaluate(a, x), evaluate(b, x));
  }
}

TEST(Orient, KeepsValuesAddersAndDepthsAndNeverCostsMore) {
  const std::vector<Cost> costs = {
      [](int, OperandBits) { return 0; },
      [](int, OperandBits b) { return b.top - b.lsb; },
      [](int j, OperandBits) { return 3 * (j % 3); },
  };
  long saved = 0;
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    const int rows = 2 + static_cast<int>(seed % 9), cols = 1 + static_cast<int>(seed * 7 % 11);
    const IntMatrix w = random_matrix(rows, cols, -255, 255, 900 + seed);
    std::vector<InputSpec> specs;
    for (int i = 0; i < rows; ++i)  // inputs on different grids: operands' low bits differ
      specs.push_back({-8.0, 7.5 + i % 3, i % 4});
    Options o;
    o.seed = seed;
    if (seed % 3 == 0) o.depth_slack = 1;
    const Solution before = solve(w, specs, o);
    const Cost& cost = costs[seed % costs.size()];
    Solution after = before;
    orient(after, specs, cost);
    SCOPED_TRACE("seed " + std::to_string(seed));
    check_solution(w, after, o.depth_slack, true, true);
    ASSERT_EQ(after.ops.size(), before.ops.size());
    EXPECT_EQ(operand_depths(after), operand_depths(before));
    expect_same_values(before, after, seed);
    const long cb = orientation_cost(before, specs, cost),
               ca = orientation_cost(after, specs, cost);
    EXPECT_LE(ca, cb);
    saved += cb - ca;
  }
  EXPECT_GT(saved, 0) << "no random case had a subtracted low operand to pass through";
}

// (x1 << 3) - x0 becomes x0 - (x1 << 3): x0's low three bits pass through, and
// the output, where negating is free, takes the sign.  Where negating the output
// costs more than the three bits, nothing changes.
TEST(Orient, PassesASubtractedLowOperandThrough) {
  Solution s;
  s.n_inputs = 2;
  s.ops = {{{1, 3, false}, {0, 0, true}}};
  s.outputs = {Term{2, 0, false}};
  const std::vector<InputSpec> specs(2, InputSpec{-128.0, 127.0, 0});
  Solution free = s;
  orient(free, specs, [](int, OperandBits) { return 0; });
  EXPECT_EQ(free.ops[0].a, (Term{0, 0, false}));
  EXPECT_EQ(free.ops[0].b, (Term{1, 3, true}));
  EXPECT_EQ(free.outputs[0], (Term{2, 0, true}));
  expect_same_values(s, free, 1);

  Solution costly = s;
  orient(costly, specs, [](int, OperandBits) { return 4; });
  EXPECT_EQ(costly.ops[0].a, s.ops[0].a);
  EXPECT_EQ(costly.ops[0].b, s.ops[0].b);
  EXPECT_EQ(costly.outputs[0], s.outputs[0]);
}

// Flipping op0 would leave op1 = -op0' - (x2 << 5), two subtracted operands: op1
// flips with it, and the output takes the sign.
TEST(Orient, FlipsAReaderThatWouldSubtractBoth) {
  Solution s;
  s.n_inputs = 3;
  s.ops = {{{1, 2, false}, {0, 0, true}}, {{3, 0, false}, {2, 5, true}}};
  s.outputs = {Term{4, 0, false}};
  const std::vector<InputSpec> specs(3, InputSpec{-128.0, 127.0, 0});
  Solution o = s;
  orient(o, specs, [](int, OperandBits) { return 0; });
  EXPECT_EQ(o.ops[0].a, (Term{0, 0, false}));
  EXPECT_FALSE(o.ops[1].a.negative);
  EXPECT_FALSE(o.ops[1].b.negative);
  EXPECT_TRUE(o.outputs[0]->negative);
  expect_same_values(s, o, 2);
}

}  // namespace
}  // namespace dagen::cmvm
