// The --verify harness at an initiation interval K > 1 (sim/harness.cpp), through
// verify_with_verilator with Design::initiation_interval forced to K on today's II = 1
// designs (--valid accepts an input every cycle, so it meets the interface for any K):
//  - they pass at K = 2 and 5;
//  - a digit-serial design (--ii 6) passes at its interval and fails at 1;
//  - negative controls, which must fail: x sampled one cycle after x_valid (garbage is on x
//    then), y_valid one cycle early or late, one extra y_valid pulse.
#include <gtest/gtest.h>

#include <iostream>
#include <regex>
#include <sstream>
#include <string>

#include "../errors/cli.hpp"
#include "dagen/flow.hpp"
#include "dagen/model_json.hpp"

namespace dagen {
namespace {

namespace fs = std::filesystem;

const std::string kSource = DAGEN_SOURCE_DIR;

struct Built {
  Model model;
  Design design;
  cli::Scratch dir{"ii-harness"};
};

// The model built with --valid --pipeline 2 and written into a scratch directory.
void build(Built& b, const std::string& model) {
  b.model = read_model_file(kSource + "/" + model);
  FlowOptions o;
  o.pipeline = 2;
  o.valid = true;
  b.design = build_design(b.model, o);
  for (const auto& [name, text] : design_files(b.design, o))
    cli::write_file(b.dir.path / name, text);
}

VerifyResult verify_at(const Built& b, int ii) {
  Design d = b.design;
  d.initiation_interval = ii;
  std::ostringstream log;
  const VerifyResult r = verify_with_verilator(b.model, d, b.dir.path, 300, 1, log);
  std::cout << "ii " << ii << ": " << r.summary;
  return r;
}

// Replaces the one occurrence of `from` in the top's Verilog (false if it is not there once).
bool edit_top(const Built& b, const std::string& from, const std::string& to) {
  const fs::path v = b.dir.path / (b.design.top + ".v");
  std::string text = cli::slurp(v);
  const std::size_t at = text.find(from);
  if (at == std::string::npos || text.find(from, at + 1) != std::string::npos) return false;
  text.replace(at, from.size(), to);
  cli::write_file(v, text);
  return true;
}

class ForcedInterval : public ::testing::TestWithParam<std::tuple<std::string, int>> {};

TEST_P(ForcedInterval, ValidDesignPasses) {
  const auto& [model, ii] = GetParam();
  Built b;
  build(b, model);
  ASSERT_EQ(b.design.initiation_interval, 1);
  const VerifyResult r = verify_at(b, ii);
  EXPECT_TRUE(r.passed) << r.summary;
  EXPECT_NE(r.summary.find(", ii " + std::to_string(ii) + "\n"), std::string::npos) << r.summary;
}

INSTANTIATE_TEST_SUITE_P(ShippedModels, ForcedInterval,
                         ::testing::Combine(::testing::Values("models/jsc_cernbox_acc75.16.json",
                                                              "models/jsc_cernbox_acc74.98.json"),
                                            ::testing::Values(2, 5)),
                         [](const auto& info) {
                           std::string name = fs::path(std::get<0>(info.param)).stem().string();
                           for (char& c : name)
                             if (c == '.') c = '_';
                           return name + "_k" + std::to_string(std::get<1>(info.param));
                         });

const char* kModel = "tests/models/mixed_inputs.json";

// The top renamed <top>_core inside a wrapper that registers x once and delays x_valid by
// `valid_delay` cycles (its latency is the core's + valid_delay): with 1 a correct design, with
// 2 one that takes x in the cycle after x_valid.
void wrap_with_registered_x(Built& b, int valid_delay) {
  const std::string& top = b.design.top;
  ASSERT_TRUE(edit_top(b, "module " + top + " (", "module " + top + "_core ("));
  const int xw = std::max(1, b.design.report["x_width"].get<int>());
  const int yw = std::max(1, b.design.report["y_width"].get<int>());
  const int d = valid_delay;
  std::ostringstream v;
  v << "module " << top << " (\n    input wire clk,\n    input wire x_valid,\n"
    << "    input wire [" << xw - 1 << ":0] x,\n    output wire y_valid,\n"
    << "    output wire [" << yw - 1 << ":0] y\n);\n"
    << "  reg [" << xw - 1 << ":0] x_r;\n  reg [" << d - 1 << ":0] v_r = 0;\n"
    << "  always @(posedge clk) begin\n    x_r <= x;\n    v_r <= "
    << (d == 1 ? std::string("x_valid") : "{v_r[" + std::to_string(d - 2) + ":0], x_valid}")
    << ";\n  end\n  " << top << "_core core (.clk(clk), .x_valid(v_r[" << d - 1
    << "]), .x(x_r), .y_valid(y_valid), .y(y));\nendmodule\n";
  cli::write_file(b.dir.path / (top + "_wrapper.v"), v.str());
  b.design.schedule.latency += d;  // the latency the vector file tells the harness
}

TEST(IiWrapper, RegisteredXWithItsValidPasses) {  // the control of the next test
  Built b;
  build(b, kModel);
  wrap_with_registered_x(b, 1);
  const VerifyResult r = verify_at(b, 3);
  EXPECT_TRUE(r.passed) << r.summary;
}

TEST(IiNegativeControl, XSampledOneCycleLateFails) {
  Built b;
  build(b, kModel);
  wrap_with_registered_x(b, 2);
  const VerifyResult r = verify_at(b, 3);
  EXPECT_FALSE(r.passed) << r.summary;
  EXPECT_NE(r.summary.find("MISMATCH vector"), std::string::npos) << r.summary;
}

TEST(IiNegativeControl, YValidOneCycleEarlyFails) {
  Built b;
  build(b, kModel);
  ASSERT_TRUE(edit_top(b, "assign y_valid = x_valid_t[1];", "assign y_valid = x_valid_t[0];"));
  const VerifyResult r = verify_at(b, 2);
  EXPECT_FALSE(r.passed) << r.summary;
  EXPECT_NE(r.summary.find("MISMATCH y_valid"), std::string::npos) << r.summary;
}

TEST(IiNegativeControl, YValidOneCycleLateFails) {
  Built b;
  build(b, kModel);
  ASSERT_TRUE(edit_top(b, ".DEPTH(2), .ZERO_AT_START(1)) x_valid_delay",
                       ".DEPTH(3), .ZERO_AT_START(1)) x_valid_delay"));
  ASSERT_TRUE(edit_top(b, "wire [1:0] x_valid_t;", "wire [2:0] x_valid_t;"));
  ASSERT_TRUE(edit_top(b, "assign y_valid = x_valid_t[1];", "assign y_valid = x_valid_t[2];"));
  const VerifyResult r = verify_at(b, 2);
  EXPECT_FALSE(r.passed) << r.summary;
  EXPECT_NE(r.summary.find("MISMATCH y_valid"), std::string::npos) << r.summary;
}

// y_valid once more, in the cycle after the first output only (never an output cycle at K > 1).
TEST(IiNegativeControl, OneExtraYValidPulseFails) {
  Built b;
  build(b, kModel);
  ASSERT_TRUE(edit_top(b, "assign y_valid = x_valid_t[1];",
                       "reg first_out = 1'b0, again = 1'b0;\n"
                       "  always @(posedge clk) begin\n"
                       "    again <= x_valid_t[1] & ~first_out;\n"
                       "    if (x_valid_t[1]) first_out <= 1'b1;\n"
                       "  end\n"
                       "  assign y_valid = x_valid_t[1] | again;"));
  const VerifyResult r = verify_at(b, 2);
  EXPECT_FALSE(r.passed) << r.summary;
  EXPECT_NE(r.summary.find("MISMATCH y_valid high"), std::string::npos) << r.summary;
  EXPECT_TRUE(std::regex_search(
      r.summary, std::regex("FAIL: 0 of [0-9]+ vectors mismatched, 1 extra y_valid pulse\n")))
      << "not exactly one pulse";
}

// A digit-serial design (--ii K) passes at its own interval, and fails when inputs come every
// cycle (the K = 1 stimulus): the interval the harness is given matters.
TEST(SerialDesign, PassesAtItsIntervalAndFailsAtOne) {
  Built b;
  b.model = read_model_file(kSource + "/" + kModel);
  FlowOptions o;
  o.ii = 6;  // the serial design (at K = 2, 3 the II = 1 design is cheaper for this model)
  b.design = build_design(b.model, o);
  ASSERT_EQ(b.design.initiation_interval, 6);
  for (const auto& [name, text] : design_files(b.design, o))
    cli::write_file(b.dir.path / name, text);
  const VerifyResult own = verify_at(b, 6);
  EXPECT_TRUE(own.passed) << own.summary;
  const VerifyResult every_cycle = verify_at(b, 1);
  EXPECT_FALSE(every_cycle.passed) << every_cycle.summary;
}

}  // namespace
}  // namespace dagen
