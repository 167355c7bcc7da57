// Register placement: deeper pipelines never have slower stages, registers are
// spread through the datapath, and --clock-period picks a latency that meets it.
#include <gtest/gtest.h>

#include <set>

#include "dagen/flow.hpp"
#include "dagen/lower.hpp"
#include "dagen/model_json.hpp"
#include "dagen/passes.hpp"
#include "dagen/target.hpp"

namespace dagen {
namespace {

AdderGraph graph_of(const std::string& name) {
  AdderGraph g = lower_model(read_model_file(std::string(DAGEN_TEST_MODELS) + "/" + name), {});
  remove_dead_nodes(g);
  return g;
}

TEST(Schedule, DeeperPipelinesHaveShorterStages) {
  AdderGraph g = graph_of("saturation.json");
  const Target& m = find_target("xcup");
  double previous = 1e9;
  for (int n = 0; n <= 4; ++n) {
    const Schedule s = schedule_pipeline(g, n, m);
    EXPECT_EQ(static_cast<int>(s.stage_delay_ns.size()), n + 1);
    EXPECT_LE(s.period_ns, previous + 1e-9) << "latency " << n;
    previous = s.period_ns;
    ASSERT_EQ(s.stage.size(), g.nodes.size());
    for (const int stage : s.stage) {
      EXPECT_GE(stage, 0);
      EXPECT_LE(stage, n);
    }
  }
}

TEST(Schedule, RegistersAreSpreadNotAllAtOneEnd) {
  AdderGraph g = graph_of("saturation.json");
  const Schedule s = schedule_pipeline(g, 3, find_target("xcup"));
  std::set<int> stages;
  for (std::size_t id = 0; id < g.nodes.size(); ++id)
    if (g.nodes[id].kind == NodeKind::Add) stages.insert(s.stage[id]);
  EXPECT_EQ(stages.size(), 4u);  // adders in every one of the four segments
}

// Every operand of every node (both of an adder), with the exact placement and
// with the heuristic fallback; the check must see registers actually crossed.
TEST(Schedule, OperandsNeverComeFromALaterStage) {
  for (const std::size_t exact_work : {kExactPlacementWork, std::size_t{0}}) {
    AdderGraph g = graph_of("widths.json");
    const Schedule s =
        schedule_pipeline(g, 3, find_target("ice40"), 0.0, std::nullopt, false, exact_work);
    EXPECT_EQ(s.exact_registers, exact_work > 0);
    int checked = 0, crossing = 0;
    for (std::size_t id = 0; id < g.nodes.size(); ++id) {
      for (const Operand& o : g.nodes[id].operands) {
        const Node& a = g.at(o.node);
        if (a.kind == NodeKind::Const || a.type.width() == 0) continue;  // wires, no stage
        ++checked;
        const int from = s.stage[static_cast<std::size_t>(o.node)];
        crossing += from < s.stage[id];
        EXPECT_LE(from, s.stage[id]) << "node " << id << " operand " << o.node;
      }
    }
    EXPECT_GT(checked, 10);
    EXPECT_GT(crossing, 0) << "no operand crosses a register: nothing was pipelined";
  }
}

TEST(Schedule, ClockPeriodChoosesTheLatency) {
  AdderGraph g = graph_of("saturation.json");
  const Target& m = find_target("xcup");
  const double period = 2.5;
  const int n = latency_for_period(g, period, m);
  ASSERT_GT(n, 0);
  EXPECT_LE(schedule_pipeline(g, n, m).period_ns, period + 1e-9);
  EXPECT_GT(schedule_pipeline(g, n - 1, m).period_ns, period);
}

}  // namespace
}  // namespace dagen

namespace dagen {
namespace {

TEST(Schedule, StageSlackTradesClockForRegisters) {
  AdderGraph g = graph_of("saturation.json");
  const Target& m = find_target("xcup");
  const Schedule tight = schedule_pipeline(g, 3, m);
  const Schedule loose = schedule_pipeline(g, 3, m, 0.5);
  EXPECT_LE(loose.register_bits, tight.register_bits);
  EXPECT_LE(loose.period_ns, 1.5 * tight.period_ns + 1e-9);
}

}  // namespace
}  // namespace dagen
