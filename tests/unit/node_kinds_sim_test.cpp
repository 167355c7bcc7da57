// Property test of the comparison, mux and lookup kinds in hardware: random small
// graphs (inputs of random formats, adders, negations, ReLUs, quantizers, Ge, max,
// min, general and argmax-style muxes, lookups with random tables, on shifted
// operands) emitted as Verilog combinational and pipelined (schedule_pipeline(),
// both delay models, the exact and the heuristic placement, ternary adders), all
// simulated in one Icarus Verilog run with one input vector per clock, every output
// compared with interpret() on corner and random inputs.  Negative control: mutated
// designs (a mux's operands swapped, >= turned into >, one table entry changed) must
// fail the same comparison.  Skipped when Icarus is not installed; with Verilator,
// the designs must also lint clean under -Wall.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <regex>
#include <sstream>

#include "dagen/diag.hpp"
#include "dagen/interpret.hpp"
#include "dagen/passes.hpp"
#include "dagen/schedule.hpp"
#include "dagen/target.hpp"
#include "dagen/vectors.hpp"
#include "dagen/verilog.hpp"
#include "kinds_graph.hpp"
#include "random_kinds.hpp"
#include "sim_support.hpp"

namespace dagen {
namespace {

namespace fs = std::filesystem;
using test::control_graph;
using test::GraphMaker;
using test::have;
using test::mutate;
using test::RandomKinds;
using test::scratch_dir;
using test::slurp;

// One design to simulate: its top module, latency and vectors (hex, packed as the ports).
struct SimCase {
  std::string top;
  std::string verilog;
  int latency = 0;
  int x_width = 1, y_width = 1;
  std::vector<std::string> x, y;
};

SimCase make_case(const AdderGraph& g, const EmittedDesign& e, const std::string& top, int latency,
                  const std::vector<std::vector<i128>>& inputs) {
  SimCase c;
  c.top = top;
  c.verilog = e.files.at(top + ".v");
  c.latency = latency;
  for (const auto& p : e.inputs) c.x_width = std::max(c.x_width, p.offset + p.width);
  for (const auto& p : e.outputs) c.y_width = std::max(c.y_width, p.offset + p.width);
  for (const auto& in : inputs) {
    const std::vector<Fixed> out = interpret(g, in);
    std::vector<i128> codes;
    for (std::size_t k = 0; k < out.size(); ++k) codes.push_back(output_code(out[k], e.outputs[k]));
    c.x.push_back(pack_hex(in, e.inputs));
    c.y.push_back(pack_hex(codes, e.outputs));
  }
  return c;
}

// The testbench: every case gets its vectors one per clock; a combinational design
// is checked before each edge, a pipelined one after it against the vector sent
// `latency` edges before.  Prints "CASE k ERRORS n" per case.
std::string testbench(const std::vector<SimCase>& cases, const fs::path& dir) {
  std::ostringstream tb;
  tb << "`timescale 1ns/1ps\nmodule tb;\n  reg clk = 0;\n  integer t;\n";
  std::size_t cycles = 0;
  for (std::size_t k = 0; k < cases.size(); ++k) {
    const SimCase& c = cases[k];
    const std::string i = std::to_string(k);
    tb << "  reg [" << c.x_width - 1 << ":0] xs" << i << " [0:" << c.x.size() - 1 << "];\n"
       << "  reg [" << c.y_width - 1 << ":0] ys" << i << " [0:" << c.y.size() - 1 << "];\n"
       << "  reg [" << c.x_width - 1 << ":0] x" << i << " = 0;\n"
       << "  wire [" << c.y_width - 1 << ":0] y" << i << ";\n"
       << "  integer e" << i << " = 0;\n"
       << "  " << c.top << " u" << i << " (" << (c.latency > 0 ? ".clk(clk), " : "") << ".x(x" << i
       << "), .y(y" << i << "));\n";
    cycles = std::max(cycles, c.x.size() + static_cast<std::size_t>(c.latency));
  }
  tb << "  initial begin\n";
  for (std::size_t k = 0; k < cases.size(); ++k) {
    const std::string i = std::to_string(k);
    tb << "    $readmemh(\"" << (dir / (cases[k].top + ".x.hex")).string() << "\", xs" << i
       << ");\n    $readmemh(\"" << (dir / (cases[k].top + ".y.hex")).string() << "\", ys" << i
       << ");\n";
  }
  auto check = [&](std::size_t k, const std::string& index) {
    const std::string i = std::to_string(k);
    return "      if (" + index + " >= 0 && " + index + " < " + std::to_string(cases[k].y.size()) +
           " && y" + i + " !== ys" + i + "[" + index + "]) begin\n        e" + i + " = e" + i +
           " + 1;\n        if (e" + i + " <= 2) $display(\"case " + i +
           " vector %0d: y %h, expected %h\", " + index + ", y" + i + ", ys" + i + "[" + index +
           "]);\n      end\n";
  };
  tb << "    for (t = 0; t < " << cycles << "; t = t + 1) begin\n";
  for (std::size_t k = 0; k < cases.size(); ++k)
    tb << "      x" << k << " = xs" << k << "[t % " << cases[k].x.size() << "];\n";
  tb << "      #1;\n";
  for (std::size_t k = 0; k < cases.size(); ++k)
    if (cases[k].latency == 0) tb << check(k, "t");
  tb << "      clk = 1;\n      #1;\n";
  for (std::size_t k = 0; k < cases.size(); ++k)
    if (cases[k].latency > 0) tb << check(k, "(t - " + std::to_string(cases[k].latency - 1) + ")");
  tb << "      clk = 0;\n      #1;\n    end\n";
  for (std::size_t k = 0; k < cases.size(); ++k)
    tb << "    $display(\"CASE " << k << " ERRORS %0d\", e" << k << ");\n";
  tb << "    $finish;\n  end\nendmodule\n";
  return tb.str();
}

struct SimResult {
  std::vector<int> errors;  // per case; -1: no result
  std::string log;
};

// Writes the designs, the library cells and the testbench into `dir` and runs them in
// one Icarus simulation.
SimResult simulate(const std::vector<SimCase>& cases,
                   const std::map<std::string, std::string>& library, const fs::path& dir) {
  fs::create_directories(dir);
  std::vector<std::string> files;
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / name) << text;
    if (name.size() > 2 && name.substr(name.size() - 2) == ".v") files.push_back(name);
  };
  for (const auto& [name, text] : library) write(name, text);
  for (const SimCase& c : cases) {
    write(c.top + ".v", c.verilog);
    std::string x, y;
    for (const auto& h : c.x) x += h + "\n";
    for (const auto& h : c.y) y += h + "\n";
    write(c.top + ".x.hex", x);
    write(c.top + ".y.hex", y);
  }
  write("tb.v", testbench(cases, dir));
  std::string command = "cd '" + dir.string() + "' && '" DAGEN_IVERILOG "' -g2012 -s tb -o tb.vvp";
  for (const auto& f : files) command += " " + f;
  command += " > sim.log 2>&1 && '" DAGEN_VVP "' -n tb.vvp >> sim.log 2>&1";
  SimResult r;
  r.errors.assign(cases.size(), -1);
  const int status = std::system(command.c_str());
  r.log = slurp(dir / "sim.log");
  if (status != 0) return r;
  std::istringstream lines(r.log);
  std::string line;
  const std::regex result(R"(^CASE (\d+) ERRORS (\d+)$)");
  while (std::getline(lines, line)) {
    std::smatch m;
    if (std::regex_match(line, m, result))
      r.errors.at(static_cast<std::size_t>(std::stoi(m[1]))) = std::stoi(m[2]);
  }
  return r;
}

// The rtl_lib cells a design uses (dagen_delay.v, dagen_add3.v), once for all designs.
void keep_cells(const EmittedDesign& e, std::map<std::string, std::string>& library) {
  for (const auto& [name, text] : e.files)
    if (name.rfind("dagen_", 0) == 0) library.emplace(name, text);
}

// Lints every design in one Verilator run.
std::string lint(const std::vector<SimCase>& cases,
                 const std::map<std::string, std::string>& library, const fs::path& dir) {
  std::vector<std::string> files;
  for (const auto& entry : library) files.push_back(entry.first);
  for (const SimCase& c : cases) files.push_back(c.top + ".v");
  return test::lint_files(DAGEN_VERILATOR, files, dir);
}

TEST(NodeKindsSimulation, RandomGraphsMatchTheInterpreter) {
  if (!have(DAGEN_IVERILOG) || !have(DAGEN_VVP)) GTEST_SKIP() << "Icarus Verilog not installed";
  // DAGEN_KINDS_SEED=S replays another seed (a longer soak: a loop over seeds).
  const char* seed = std::getenv("DAGEN_KINDS_SEED");
  RandomKinds random(seed ? std::stoull(seed) : 20240611);
  std::vector<SimCase> cases;
  std::map<std::string, std::string> library;
  int kinds[3] = {0, 0, 0};
  for (int k = 0; k < 30; ++k) {
    const AdderGraph g = random.graph();
    ASSERT_EQ(check_graph(g), "") << "graph " << k;
    for (const Node& n : g.nodes) {
      kinds[0] += n.kind == NodeKind::Ge;
      kinds[1] += n.kind == NodeKind::Mux;
      kinds[2] += n.kind == NodeKind::Lookup;
    }
    const auto inputs = make_input_vectors(g.input_types, 40, static_cast<std::uint64_t>(k) + 1);
    const std::string top = "kinds" + std::to_string(k);
    const EmittedDesign comb =
        emit_verilog(g, combinational_schedule(g), find_target("xcup"), top, "");
    cases.push_back(make_case(g, comb, top, 0, inputs));
    keep_cells(comb, library);

    const auto [latency, target_ptr, s] = random.pipeline(g);
    const Target& target = *target_ptr;
    ASSERT_EQ(s.stage.size(), g.nodes.size());
    for (std::size_t id = 0; id < g.nodes.size(); ++id)
      for_each_operand(g.nodes[id], [&](const Operand& o) {
        if (!is_constant_value(g.at(o.node)) && !is_constant_value(g.nodes[id])) {
          EXPECT_LE(s.stage[static_cast<std::size_t>(o.node)], s.stage[id])
              << "graph " << k << " node " << id;
        }
      });
    AdderGraph fused = g;  // the pairs of a --ternary schedule, marked
    apply_ternary_fusion(fused, s, target);
    const EmittedDesign piped = emit_verilog(fused, s, target, top + "_p", "");
    cases.push_back(make_case(g, piped, top + "_p", latency, inputs));
    keep_cells(piped, library);
  }
  EXPECT_GT(kinds[0], 60);  // the generator really makes every kind
  EXPECT_GT(kinds[1], 40);
  EXPECT_GT(kinds[2], 20);
  if (!seed) {
    EXPECT_TRUE(library.count("dagen_add3.v"));  // some designs fused adders
  }

  // The negative control: the intact design passes, each mutation fails.
  const AdderGraph control = control_graph();
  ASSERT_EQ(check_graph(control), "");
  const auto inputs = make_input_vectors(control.input_types, 40, 99);
  const std::size_t first_control = cases.size();
  for (const std::string top : {"control", "swapped", "strict", "entry"}) {
    const EmittedDesign e =
        emit_verilog(control, combinational_schedule(control), find_target("xcup"), top, "");
    cases.push_back(make_case(control, e, top, 0, inputs));
  }
  ASSERT_TRUE(mutate(
      cases[first_control + 1].verilog,
      std::regex(R"((  assign n\d+ = n\d+\[0\] \? )(.+) : (.+);)"),
      [](const std::smatch& m) { return m[1].str() + m[3].str() + " : " + m[2].str() + ";"; }));
  ASSERT_TRUE(mutate(cases[first_control + 2].verilog,
                     std::regex(R"((  assign n\d+ = \$signed\(n\d+_a\)) >= (.+))"),
                     [](const std::smatch& m) { return m[1].str() + " > " + m[2].str(); }));
  ASSERT_TRUE(mutate(cases[first_control + 3].verilog,
                     std::regex(R"((      \d+'h[0-9a-f]+: n\d+_f = \d+'h[0-9a-f]*)([0-9a-f]);)"),
                     [](const std::smatch& m) {
                       const int digit = std::stoi(m[2].str(), nullptr, 16) ^ 1;
                       return m[1].str() + "0123456789abcdef"[digit] + ";";
                     }));

  const fs::path dir = scratch_dir("kinds-sim");
  fs::remove_all(dir);
  const SimResult r = simulate(cases, library, dir);
  for (std::size_t k = 0; k < first_control + 1; ++k)
    EXPECT_EQ(r.errors[k], 0) << "case " << k << " (" << cases[k].top << ", latency "
                              << cases[k].latency << ") in " << dir << "\n"
                              << r.log;
  for (std::size_t k = first_control + 1; k < cases.size(); ++k)
    EXPECT_GT(r.errors[k], 0) << "the mutated design " << cases[k].top << " passed\n" << r.log;

  if (have(DAGEN_VERILATOR)) {
    std::vector<SimCase> intact(cases.begin(),
                                cases.begin() + static_cast<long>(first_control) + 1);
    EXPECT_EQ(lint(intact, library, dir), "");
  }
  if (!HasFailure() && !std::getenv("DAGEN_KEEP_SIM")) fs::remove_all(dir);
}

}  // namespace
}  // namespace dagen
