// Property test of the VHDL emitter on every node kind: the random graphs of
// node_kinds_sim_test.cpp (random_kinds.hpp) emitted as VHDL, combinational and
// pipelined (both delay models, ternary adders), each run by GHDL on the
// testbench --verify uses (sim/dagen_tb.vhd) and compared with interpret() on
// corner and random inputs.  Negative control: the control graph with a mux's
// operands swapped or a table entry changed must fail.  Skipped without GHDL.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>

#include "dagen/flow.hpp"
#include "dagen/interpret.hpp"
#include "dagen/passes.hpp"
#include "dagen/schedule.hpp"
#include "dagen/target.hpp"
#include "dagen/vectors.hpp"
#include "dagen/vhdl.hpp"
#include "random_kinds.hpp"

namespace dagen {
namespace {

namespace fs = std::filesystem;

bool have_ghdl() { return std::system("command -v ghdl > /dev/null 2>&1") == 0; }

// Runs the design through GHDL in a directory of its own under `dir`.
VerifyResult simulate(const AdderGraph& g, const EmittedDesign& e, const std::string& top,
                      int latency, const fs::path& dir, const std::string& vhdl) {
  const fs::path work = dir / top;
  fs::create_directories(work);
  std::ofstream(work / (top + ".vhd")) << vhdl;
  const auto inputs = make_input_vectors(g.input_types, 40, 7);
  GhdlBench bench{top, latency, false, 1, 1, inputs.size()};
  for (const auto& p : e.inputs) bench.x_width = std::max(bench.x_width, p.offset + p.width);
  for (const auto& p : e.outputs) bench.y_width = std::max(bench.y_width, p.offset + p.width);
  std::ofstream v(work / "vectors.txt");
  v << "dagen-vectors 1\n"
    << bench.x_width << " " << bench.y_width << " " << latency << " " << inputs.size() << "\n";
  for (const auto& in : inputs) {
    const std::vector<Fixed> out = interpret(g, in);
    std::vector<i128> codes;
    for (std::size_t k = 0; k < out.size(); ++k) codes.push_back(output_code(out[k], e.outputs[k]));
    v << pack_hex(in, e.inputs) << " " << pack_hex(codes, e.outputs) << "\n";
  }
  v.close();
  return run_ghdl_testbench({work / (top + ".vhd")}, bench, work, work / "vectors.txt");
}

// `vhdl` with the first line matching `pattern` rewritten by `format` (regex_replace).
std::string mutated(const std::string& vhdl, const std::regex& pattern, const char* format) {
  std::smatch m;
  if (!std::regex_search(vhdl, m, pattern)) return vhdl;
  return m.prefix().str() + m.format(format) + m.suffix().str();
}

TEST(VhdlKindsSimulation, RandomGraphsMatchTheInterpreter) {
  if (!have_ghdl()) GTEST_SKIP() << "GHDL not installed";
  const fs::path dir = fs::temp_directory_path() /
                       ("dagen-vhdl-kinds-" + std::to_string(static_cast<long long>(::getpid())));
  fs::remove_all(dir);
  test::RandomKinds random(20240611);
  bool fused_any = false;
  for (int k = 0; k < 30; ++k) {  // the graphs and schedules node_kinds_sim_test.cpp draws
    const AdderGraph g = random.graph();
    ASSERT_EQ(check_graph(g), "") << "graph " << k;
    const std::string top = "kinds" + std::to_string(k);
    const EmittedDesign comb = emit_vhdl(g, combinational_schedule(g), top, "");
    const VerifyResult r0 = simulate(g, comb, top, 0, dir, comb.files.at(top + ".vhd"));
    EXPECT_TRUE(r0.passed) << top << ":\n" << r0.summary;

    const auto [latency, target_ptr, s] = random.pipeline(g);
    const Target& target = *target_ptr;
    AdderGraph fused = g;
    apply_ternary_fusion(fused, s, target);
    for (const Node& n : fused.nodes) fused_any |= n.ternary_inner >= 0;
    const EmittedDesign piped = emit_vhdl(fused, s, top + "_p", "");
    const VerifyResult r1 =
        simulate(g, piped, top + "_p", latency, dir, piped.files.at(top + "_p.vhd"));
    EXPECT_TRUE(r1.passed) << top << "_p (latency " << latency << "):\n" << r1.summary;
  }
  EXPECT_TRUE(fused_any);  // some designs have three-term sums

  const AdderGraph control = test::control_graph();
  const EmittedDesign e = emit_vhdl(control, combinational_schedule(control), "control", "");
  const std::string text = e.files.at("control.vhd");
  EXPECT_TRUE(simulate(control, e, "control", 0, dir, text).passed);
  // A mux's operands swapped: "if nA(0) = '1' then\n nB := P;\n else\n nB := Q;".
  const std::string swapped = mutated(
      text,
      std::regex(R"((if n\d+\(0\) = '1' then\n\s+n\d+ := )(.+);(\n\s+else\n\s+n\d+ := )(.+);)"),
      "$1$4;$3$2;");
  ASSERT_NE(swapped, text);
  EXPECT_FALSE(simulate(control, e, "swapped", 0, dir,
                        std::regex_replace(swapped, std::regex("\\bcontrol\\b"), "swapped"))
                   .passed);
  // One table entry's lowest bit flipped.
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      text, m, std::regex(R"re(=> return unsigned'\(\d+X"[0-9a-f]*([0-9a-f])"\);)re")));
  const std::string digit(1, "0123456789abcdef"[std::stoi(m[1].str(), nullptr, 16) ^ 1]);
  std::string entry = text;
  entry.replace(static_cast<std::size_t>(m.position(1)), 1, digit);
  EXPECT_FALSE(simulate(control, e, "entry", 0, dir,
                        std::regex_replace(entry, std::regex("\\bcontrol\\b"), "entry"))
                   .passed);
  if (!HasFailure() && !std::getenv("DAGEN_KEEP_SIM")) fs::remove_all(dir);
}

}  // namespace
}  // namespace dagen
