// FlowOptions::validate: the library refuses bad options itself (the command
// line only adds its own rules), so every caller gets the same OptionError.
#include <gtest/gtest.h>

#include <functional>
#include <limits>

#include "dagen/diag.hpp"
#include "dagen/flow.hpp"
#include "dagen/model_json.hpp"

namespace dagen {
namespace {

std::string error_of(const std::function<void(FlowOptions&)>& change) {
  FlowOptions o;
  change(o);
  try {
    o.validate();
  } catch (const OptionError& e) {
    return e.what();
  }
  return "(valid)";
}

TEST(FlowOptions, ValidateNamesTheOption) {
  EXPECT_EQ(error_of([](FlowOptions&) {}), "(valid)");
  EXPECT_EQ(error_of([](FlowOptions& o) { o.pipeline = 1001; }), "--pipeline must be in [0, 1000]");
  EXPECT_EQ(error_of([](FlowOptions& o) { o.clock_period_ns = 0.0; }),
            "--clock-period must be positive");
  EXPECT_EQ(
      error_of([](FlowOptions& o) { o.clock_period_ns = std::numeric_limits<double>::infinity(); }),
      "--clock-period must be finite");
  EXPECT_EQ(error_of([](FlowOptions& o) { o.stage_slack = 0.5; }),
            "--stage-slack needs --pipeline N (N > 0): it balances the delays of pipeline stages");
  EXPECT_EQ(error_of([](FlowOptions& o) {
              o.pipeline = 2;
              o.stage_slack = std::numeric_limits<double>::quiet_NaN();
            }),
            "--stage-slack must be in [0, 10]");
  EXPECT_EQ(error_of([](FlowOptions& o) {
              o.pipeline = 2;
              o.stage_slack = 0.5;
              o.clock_period_ns = 3.0;
            }),
            "give --stage-slack or --clock-period, not both: each sets the stage delay");
  EXPECT_EQ(error_of([](FlowOptions& o) { o.cmvm.depth_slack = -1; }), "--dc must be >= 0");
  EXPECT_EQ(error_of([](FlowOptions& o) { o.target = "asic"; }),
            "--target: unknown target 'asic' (xcup or ice40)");
  EXPECT_EQ(error_of([](FlowOptions& o) {
              o.ternary = true;
              o.target = "ice40";
            }),
            "--ternary needs --target xcup: ternary adders are Xilinx LUT6_2 + CARRY8");
  // A chosen top name is used as given or refused; control characters stay escaped.
  EXPECT_EQ(error_of([](FlowOptions& o) { o.top = "good_name_7"; }), "(valid)");
  EXPECT_EQ(error_of([](FlowOptions& o) { o.top = "a\nb"; }),
            "--top 'a\\nb' is not a usable module name (letters, digits and _, not starting with a "
            "digit, not a Verilog keyword); 'a_b' would be");
  EXPECT_EQ(error_of([](FlowOptions& o) { o.top = std::string(129, 'a'); }).substr(0, 6), "--top ");
}

TEST(FlowOptions, BuildDesignValidatesToo) {
  const Model m = read_model_file(DAGEN_EXAMPLES "/tiny.json");
  FlowOptions o;
  o.pipeline = -1;
  EXPECT_THROW(build_design(m, o), OptionError);
}

}  // namespace
}  // namespace dagen
