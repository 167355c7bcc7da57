// The whole flow on shipped models: shift-add only, ports as documented,
// deterministic output.
#include "dagen/flow.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "dagen/diag.hpp"
#include "dagen/model_json.hpp"

namespace dagen {
namespace {

const std::string kTiny = std::string(DAGEN_EXAMPLES) + "/tiny.json";
const std::string kMixed = std::string(DAGEN_TEST_MODELS) + "/mixed_inputs.json";

TEST(Flow, ConstantWeightsNeverBecomeMultipliers) {
  for (const auto& path : {kTiny, kMixed}) {
    const Design d = build_design(read_model_file(path), {});
    for (const auto& [name, text] : d.emitted.files) {
      const auto begin = text.find("module"), end = text.find("endmodule");
      EXPECT_EQ(text.substr(begin, end - begin).find('*'), std::string::npos) << name;
    }
  }
}

TEST(Flow, ReportDescribesPackedPorts) {
  const Model m = read_model_file(kMixed);
  FlowOptions o;
  o.pipeline = 2;
  const Design d = build_design(m, o);
  const auto& r = d.report;
  EXPECT_EQ(r["latency_cycles"], 2);
  ASSERT_EQ(r["inputs"].size(), m.input_types.size());
  int offset = 0;
  for (std::size_t i = 0; i < m.input_types.size(); ++i) {
    EXPECT_EQ(r["inputs"][i]["offset"], offset);
    EXPECT_EQ(r["inputs"][i]["width"], m.input_types[i].width());
    EXPECT_EQ(r["inputs"][i]["frac_bits"], m.input_types[i].frac_bits);
    offset += m.input_types[i].width();
  }
  // The model ends with a per-element quantizer: outputs have exactly its types.
  const auto& q = std::get<QuantizeOp>(m.nodes.back().op);
  for (std::size_t k = 0; k < q.to.size(); ++k) {
    EXPECT_EQ(r["outputs"][k]["width"], q.to[k].width());
    EXPECT_EQ(r["outputs"][k]["signed"], q.to[k].is_signed);
  }
  const std::string& v = d.emitted.files.at(d.top + ".v");
  EXPECT_NE(v.find("input wire clk"), std::string::npos);
  EXPECT_NE(v.find("input wire [" + std::to_string(offset - 1) + ":0] x"), std::string::npos);
}

TEST(Flow, CombinationalDesignHasNoClock) {
  const Design d = build_design(read_model_file(kTiny), {});
  EXPECT_EQ(d.emitted.files.at(d.top + ".v").find("clk"), std::string::npos);
  EXPECT_EQ(d.emitted.files.count("dagen_delay.v"), 0u);
}

TEST(Flow, DeterministicOutput) {
  FlowOptions o;
  o.pipeline = 3;
  const Model m = read_model_file(kMixed);
  EXPECT_EQ(design_files(build_design(m, o), o), design_files(build_design(m, o), o));
}

// With a clock and no --dc the competing graphs are built on parallel threads: the
// design must not depend on which finishes first.
TEST(Flow, CompetingGraphsGiveTheSameDesignEveryRun) {
  FlowOptions o;
  o.pipeline = 3;
  o.clock_period_ns = 2.0;
  const Model m = read_model_file(kMixed);
  const auto first = design_files(build_design(m, o), o);
  for (int run = 0; run < 4; ++run) EXPECT_EQ(design_files(build_design(m, o), o), first);
}

TEST(Flow, TopNameIsALegalIdentifier) {
  EXPECT_EQ(verilog_identifier("jsc_cernbox_acc75.16"), "jsc_cernbox_acc75_16");
  EXPECT_EQ(verilog_identifier("../../etc/passwd"), "______etc_passwd");
  EXPECT_EQ(verilog_identifier("3layer"), "m_3layer");
  EXPECT_EQ(verilog_identifier("module"), "module_top");
  EXPECT_TRUE(std::regex_match(verilog_identifier("a b-c"), std::regex("[A-Za-z_][A-Za-z0-9_]*")));
}

}  // namespace
}  // namespace dagen

namespace dagen {
namespace {

// A 16x16 layer of random 8-bit weights: the fewest-adder graph is much deeper
// than a depth-bounded one.
Model wide_layer() {
  std::uint64_t state = 12345;
  nlohmann::json weights = nlohmann::json::array();
  for (int i = 0; i < 16; ++i) {
    nlohmann::json row = nlohmann::json::array();
    for (int j = 0; j < 16; ++j) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      row.push_back(static_cast<int>((state >> 33) % 256) - 128);
    }
    weights.push_back(row);
  }
  return parse_model(
      {{"name", "wide"},
       {"input", {{"size", 16}, {"type", {{"signed", true}, {"int_bits", 7}, {"frac_bits", 0}}}}},
       {"layers", {{{"type", "dense"}, {"weights", weights}}}}});
}

double period_of(const Design& d) { return d.report["pipeline"]["estimated_period_ns"]; }

// --clock-period without --dc may pick a depth-bounded graph: fewer stages
// when the latency is free, a met clock where the fewest-adder graph misses it.
TEST(Flow, ClockPeriodChoosesAShallowerGraphWhenItHelps) {
  const Model m = wide_layer();
  FlowOptions free_graph;
  free_graph.pipeline = 3;
  const double least_free = period_of(build_design(m, free_graph));

  FlowOptions fixed = free_graph;
  fixed.clock_period_ns = least_free * 0.9;  // the fewest-adder graph cannot
  const Design d = build_design(m, fixed);
  EXPECT_LE(period_of(d), *fixed.clock_period_ns + 1e-9);
  EXPECT_FALSE(d.report["depth_slack"].is_null());
  EXPECT_EQ(d.schedule.latency, 3);

  FlowOptions by_clock;
  by_clock.clock_period_ns = least_free;
  by_clock.pipeline_given = false;
  const Design e = build_design(m, by_clock);
  EXPECT_LE(period_of(e), least_free + 1e-9);
  EXPECT_LT(e.schedule.latency, 3);  // a shallower graph needs fewer stages

  FlowOptions kept = by_clock;  // an explicit --dc is never changed
  kept.cmvm.depth_slack = 1;
  EXPECT_EQ(build_design(m, kept).report["depth_slack"], 1);
}

// With a clock and no --dc, the kept graph costs no more adder LUTs + register bits
// than any depth-bounded graph that meets the same clock at the same latency.
TEST(Flow, ClockPeriodKeepsTheCheapestGraphThatMeetsIt) {
  const Model m = wide_layer();
  for (const cmvm::Objective objective : {cmvm::Objective::Adders, cmvm::Objective::AdderBits}) {
    FlowOptions any;
    any.pipeline = 3;
    any.cmvm.objective = objective;
    any.clock_period_ns = 1.2 * period_of(build_design(m, any));
    const Design chosen = build_design(m, any);
    const auto cost = [](const Design& d) {
      return d.report["stats"]["adder_luts"].get<int>() + d.schedule.flip_flops();
    };
    EXPECT_EQ(chosen.schedule.latency, 3);
    EXPECT_LE(period_of(chosen), *any.clock_period_ns + 1e-9);
    int competitors = 0;
    for (int slack : {2, 1, 0}) {
      FlowOptions bounded = any;
      bounded.cmvm.depth_slack = slack;
      try {
        const Design d = build_design(m, bounded);
        ++competitors;
        EXPECT_LE(cost(chosen), cost(d)) << "--dc " << slack;
        if (chosen.report["depth_slack"] == slack) {
          EXPECT_EQ(cost(chosen), cost(d)) << "the kept graph is --dc " << slack;
        }
      } catch (const ToolError&) {  // that graph misses the clock: not a competitor
      }
    }
    // Without a depth-bounded graph that meets the clock the comparison was empty.
    EXPECT_GT(competitors, 0) << "objective " << static_cast<int>(objective);
  }
}

}  // namespace
}  // namespace dagen

namespace dagen {
namespace {

// --ii K: the digit-serial design when its adders and conversions are estimated
// cheaper than the word-parallel adders, else the II = 1 design with the valid
// handshake and a clock; the report says which and the II built.
TEST(Flow, InitiationIntervalPicksTheCheaperDesign) {
  const Model m = read_model_file(DAGEN_SHIPPED_MODELS "/jsc_cernbox_acc75.16.json");
  FlowOptions o;
  o.ii = 8;
  const Design serial = build_design(m, o);
  EXPECT_EQ(serial.initiation_interval, 8);
  EXPECT_EQ(serial.report["initiation_interval"], 8);
  EXPECT_EQ(serial.report["serial"]["digit_bits"], 3);  // 22 bits in 8 digits
  EXPECT_TRUE(serial.report["valid"]);
  EXPECT_TRUE(serial.report["clocked"]);
  EXPECT_LT(serial.report["serial"]["estimated_luts"].get<int>(),
            serial.report["stats"]["adder_luts"].get<int>());
  const std::string v = serial.emitted.files.at(serial.top + ".v");
  EXPECT_NE(v.find("input wire x_valid"), std::string::npos);
  EXPECT_NE(v.find("dagen_sadd"), std::string::npos);

  o.ii = 2;  // 11-bit digits and a word-level node per neuron: II = 1 is cheaper
  const Design parallel = build_design(m, o);
  EXPECT_EQ(parallel.initiation_interval, 1);
  EXPECT_EQ(parallel.report["initiation_interval"], 1);
  EXPECT_EQ(parallel.report["ii_requested"], 2);
  EXPECT_TRUE(parallel.report["valid"]);
  EXPECT_EQ(parallel.schedule.latency, 1);  // a clock, as the --ii interface has
  EXPECT_FALSE(parallel.report.contains("serial"));
  EXPECT_EQ(serial.report["architecture"], "digit-serial");
  EXPECT_EQ(parallel.report["architecture"], "word-parallel");
}

TEST(Flow, InitiationIntervalStreamsAConvolutionWhenItFits) {
  const Model m = read_model_file(DAGEN_TEST_MODELS "/v2/cnn2d.json");
  FlowOptions o;
  o.ii = 3;  // a kernel instance per 3 of the 46 cycles its positions span: 16 of them
  const Design sixteen = build_design(m, o);
  EXPECT_EQ(sixteen.report["architecture"], "streamed");
  EXPECT_EQ(sixteen.report["stream"]["kernel_instances"], 16);
  EXPECT_EQ(sixteen.initiation_interval, 3);
  o.ii = 45;  // one cycle short of the 46: two instances
  const Design two = build_design(m, o);
  EXPECT_EQ(two.report["architecture"], "streamed");
  EXPECT_EQ(two.report["stream"]["kernel_instances"], 2);
  EXPECT_EQ(two.initiation_interval, 45);
  o.ii = 46;
  const Design streamed = build_design(m, o);
  EXPECT_EQ(streamed.report["architecture"], "streamed");
  EXPECT_EQ(streamed.initiation_interval, 46);
  EXPECT_EQ(streamed.report["stream"]["positions"], 36);
  EXPECT_EQ(streamed.report["stream"]["kernel_instances"], 1);
  EXPECT_LT(streamed.report["stream"]["estimated_luts"].get<int>(),
            two.report["stream"]["estimated_luts"].get<int>());
  EXPECT_EQ(streamed.report["stream"]["streamed_nodes"], 3);  // conv, relu, quantize
  EXPECT_LT(two.report["stream"]["estimated_luts"].get<int>(),
            sixteen.report["stream"]["estimated_luts"].get<int>());
  // Latency: 46 positions, the kernel's registers, one cycle to start the tail, the tail's.
  EXPECT_EQ(streamed.schedule.latency,
            46 + streamed.report["stream"]["kernel"]["latency_cycles"].get<int>() + 1 +
                streamed.report["stream"]["tail"]["latency_cycles"].get<int>());
  // The design's files: the top, the kernel's and the tail's modules, and their cells.
  for (const std::string part : {"", "_kernel", "_tail"})
    EXPECT_TRUE(streamed.emitted.files.contains(streamed.top + part + ".v")) << part;
  EXPECT_EQ(streamed.emitted.inputs.size(), 64u);  // the ports of every design of the model
  o.ii = 100;                                      // any K: the II built divides it
  EXPECT_EQ(build_design(m, o).initiation_interval, 50);
}

}  // namespace
}  // namespace dagen
