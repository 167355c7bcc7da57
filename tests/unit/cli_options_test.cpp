// flow_options_from: the option table's interpretation, shared by the CLI and the
// Python package (which the errors and python.api tests check end to end).
#include "dagen/cli_options.hpp"

#include <gtest/gtest.h>

#include <set>

#include "dagen/diag.hpp"

namespace dagen {
namespace {

std::string error_of(const GivenOptions& given) {
  try {
    flow_options_from(given);
  } catch (const OptionError& e) {
    return e.what();
  }
  return "(valid)";
}

TEST(CliOptions, NothingGivenIsTheDefaultFlow) {
  const FlowOptions f = flow_options_from({});
  const FlowOptions d;
  EXPECT_EQ(f.pipeline, d.pipeline);
  EXPECT_FALSE(f.clock_period_ns);
  EXPECT_EQ(f.target, d.target);
  EXPECT_EQ(f.cmvm.seed, 1u);
  EXPECT_TRUE(f.cmvm.share);
  EXPECT_FALSE(f.ternary || f.valid || f.dump_graph);
}

TEST(CliOptions, TextsBecomeTheFlow) {
  const FlowOptions f = flow_options_from({{"pipeline", "3"},
                                           {"clock-period", "1.5"},
                                           {"valid", ""},
                                           {"no-share", ""},
                                           {"dc", "2"},
                                           {"objective", "bits"},
                                           {"top", "dut"}});
  EXPECT_EQ(f.pipeline, 3);
  EXPECT_TRUE(f.pipeline_given);
  EXPECT_EQ(*f.clock_period_ns, 1.5);
  EXPECT_TRUE(f.valid);
  EXPECT_FALSE(f.cmvm.share);
  EXPECT_EQ(*f.cmvm.depth_slack, 2);
  EXPECT_EQ(f.cmvm.objective, cmvm::Objective::AdderBits);
  EXPECT_EQ(f.top, "dut");
  EXPECT_FALSE(flow_options_from({{"clock-period", "2"}}).pipeline_given);
}

TEST(CliOptions, RefusalsNameTheOptionInOrder) {
  EXPECT_EQ(error_of({{"pipline", "3"}}), "unknown option '--pipline' (--help lists the options)");
  EXPECT_EQ(error_of({{"pipeline", "3x"}}), "--pipeline: '3x' is not an integer");
  EXPECT_EQ(error_of({{"pipeline", "99999999999"}}), "--pipeline: '99999999999' is out of range");
  EXPECT_EQ(error_of({{"seed", "-1"}}), "--seed: '-1' is not a non-negative integer");
  EXPECT_EQ(error_of({{"vectors", "5"}}),
            "--vectors needs --verify: it sets how many random vectors --verify runs");
  // A combination is refused before any value is read.
  EXPECT_EQ(error_of({{"stage-slack", "x"}}),
            "--stage-slack needs --pipeline N (N > 0): it balances the delays of pipeline stages");
  EXPECT_EQ(error_of({{"top", ""}}), "--top must not be empty");
  EXPECT_EQ(error_of({{"objective", "luts"}}), "--objective must be adders or bits");
}

TEST(CliOptions, TheTableHasEveryOptionOnceAndFlagsHaveNoDefault) {
  std::set<std::string> names;
  for (const BuildOption& b : build_options()) {
    EXPECT_TRUE(names.insert(b.name).second) << b.name;
    if (b.flag) {
      EXPECT_EQ(b.default_value, nullptr) << b.name;
    }
  }
  EXPECT_TRUE(names.contains("pipeline") && names.contains("output"));
}

}  // namespace
}  // namespace dagen
