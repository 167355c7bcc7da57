// Unit tests of the CMVM building blocks: CSD digit counts, depth bounds, analyses.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "dagen/cmvm.hpp"

namespace dagen::cmvm {
namespace {

TEST(Csd, DigitCounts) {
  EXPECT_EQ(csd_digit_count(0), 0);
  EXPECT_EQ(csd_digit_count(1), 1);
  EXPECT_EQ(csd_digit_count(-1), 1);
  EXPECT_EQ(csd_digit_count(3), 2);
  EXPECT_EQ(csd_digit_count(7), 2);  // 8 - 1
  EXPECT_EQ(csd_digit_count(-7), 2);
  EXPECT_EQ(csd_digit_count(255), 2);  // 256 - 1
  EXPECT_EQ(csd_digit_count(0b1010101), 4);
  EXPECT_EQ(csd_digit_count(std::int64_t{1} << 40), 1);
  EXPECT_EQ(csd_digit_count(-(std::int64_t{1} << 40) + 1), 2);
  EXPECT_EQ(csd_digit_count(std::numeric_limits<std::int64_t>::min()), 1);
  EXPECT_EQ(csd_digit_count(std::numeric_limits<std::int64_t>::max()), 2);
}

TEST(Csd, NeverMoreDigitsThanBinary) {
  for (std::int64_t v = -5000; v <= 5000; ++v) {
    const auto mag = static_cast<std::uint64_t>(v < 0 ? -v : v);
    EXPECT_LE(csd_digit_count(v), std::popcount(mag)) << v;
  }
}

TEST(Depth, MinDepthForTerms) {
  EXPECT_EQ(min_depth_for_terms(0), 0);
  EXPECT_EQ(min_depth_for_terms(1), 0);
  EXPECT_EQ(min_depth_for_terms(2), 1);
  EXPECT_EQ(min_depth_for_terms(3), 2);
  EXPECT_EQ(min_depth_for_terms(4), 2);
  EXPECT_EQ(min_depth_for_terms(5), 3);
  EXPECT_EQ(min_depth_for_terms(1024), 10);
  EXPECT_EQ(min_depth_for_terms(1025), 11);
}

TEST(Analysis, CoefficientsAndDepths) {
  Solution s;
  s.n_inputs = 2;
  s.ops.push_back(Op{Term{0, 0, false}, Term{1, 2, true}});   // x0 - 4 x1
  s.ops.push_back(Op{Term{2, 1, false}, Term{0, 0, false}});  // 2 (x0 - 4 x1) + x0
  s.outputs = {Term{3, 0, false}};
  const auto c = operand_coefficients(s);
  ASSERT_EQ(c.size(), 4u);
  EXPECT_EQ(c[2], (std::vector<std::int64_t>{1, -4}));
  EXPECT_EQ(c[3], (std::vector<std::int64_t>{3, -8}));
  EXPECT_EQ(operand_depths(s), (std::vector<int>{0, 0, 1, 2}));
}

TEST(Cost, AdderWidths) {
  Solution s;
  s.n_inputs = 2;
  s.ops.push_back(Op{Term{0, 0, false}, Term{1, 2, false}});  // x0 + 4 x1
  s.ops.push_back(Op{Term{2, 0, false}, Term{2, 3, true}});   // -7 (x0 + 4 x1)
  s.outputs = {Term{3, 0, false}};
  const std::vector<InputSpec> in = {{-128, 127, 0}, {-128, 127, 0}};
  // x0 + 4 x1 in [-640, 635]: 11-bit result, the low 2 bits pass through from x0.
  // -7 (x0 + 4 x1) in [-4445, 4480]: 14-bit result, the low 3 bits pass through.
  EXPECT_EQ(adder_widths(s, in), (std::vector<int>{9, 11}));
  EXPECT_EQ(adder_bits(s, in), 20);
  // Unsigned inputs [0, 255] with 2 fraction bits: x0 + 4 x1 in [0, 318.75] on 2^-2.
  const std::vector<InputSpec> u = {{0, 63.75, 2}, {0, 63.75, 2}};
  EXPECT_EQ(adder_widths(s, u)[0], 9 - 0);  // top 2^9, lowest adding bit 2^(2-2)
}

}  // namespace
}  // namespace dagen::cmvm
