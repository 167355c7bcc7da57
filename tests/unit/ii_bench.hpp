// The testbench of the --ii property tests (serial_sim_test.cpp, stream_sim_test.cpp):
// designs with ports clk, x_valid, x, y_valid, y simulated together in one Icarus run,
// inputs at most once every `ii` cycles with random bits on x in between, y_valid
// checked in every cycle and y when it is high.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "sim_support.hpp"

namespace dagen::test {

namespace fs = std::filesystem;

struct IiCase {
  std::string top, verilog;
  int latency = 0, ii = 1;
  int x_width = 1, y_width = 1;
  std::vector<std::string> x, y;
  // The other modules of the design (a streamed design's kernel and tail), by file name.
  std::map<std::string, std::string> parts;
};

// Each case in its own loop over cycles: input j at cycle t_j, t_{j+1} = t_j + ii
// (+ 1 after every fifth input, + ii after every seventh); garbage on x otherwise.
inline std::string testbench(const std::vector<IiCase>& cases, const fs::path& dir) {
  std::ostringstream tb;
  tb << "`timescale 1ns/1ps\nmodule tb;\n";
  for (std::size_t k = 0; k < cases.size(); ++k) {
    const IiCase& c = cases[k];
    const std::string i = std::to_string(k), n = std::to_string(c.x.size());
    tb << "  reg clk" << i << " = 0;\n  reg xv" << i << " = 0;\n"
       << "  reg [" << c.x_width - 1 << ":0] x" << i << " = 0;\n"
       << "  wire yv" << i << ";\n  wire [" << c.y_width - 1 << ":0] y" << i << ";\n"
       << "  " << c.top << " u" << i << " (.clk(clk" << i << "), .x_valid(xv" << i << "), .x(x" << i
       << "), .y_valid(yv" << i << "), .y(y" << i << "));\n"
       << "  reg [" << c.x_width - 1 << ":0] xs" << i << " [0:" << n << "-1];\n"
       << "  reg [" << c.y_width - 1 << ":0] ys" << i << " [0:" << n << "-1];\n"
       << "  integer tin" << i << " [0:" << n << "-1];\n"
       << "  integer c" << i << ", ni" << i << ", tn" << i << ", no" << i << ", e" << i
       << ";\n  reg expect" << i << ";\n"
       << "  initial begin\n"
       << "    $readmemh(\"" << (dir / (c.top + ".x.hex")).string() << "\", xs" << i << ");\n"
       << "    $readmemh(\"" << (dir / (c.top + ".y.hex")).string() << "\", ys" << i << ");\n"
       << "    ni" << i << " = 0; no" << i << " = 0; e" << i << " = 0; tn" << i << " = 2;\n"
       << "    for (c" << i << " = 0; no" << i << " < " << n << " && c" << i << " < 100000; c" << i
       << " = c" << i << " + 1) begin\n"
       << "      if (ni" << i << " < " << n << " && c" << i << " == tn" << i << ") begin\n"
       << "        x" << i << " = xs" << i << "[ni" << i << "]; xv" << i << " = 1; tin" << i
       << "[ni" << i << "] = c" << i << "; ni" << i << " = ni" << i << " + 1;\n"
       << "        tn" << i << " = c" << i << " + " << c.ii << " + (ni" << i << " % 5 == 0 ? 1 : 0)"
       << " + (ni" << i << " % 7 == 0 ? " << c.ii << " : 0);\n"
       << "      end else begin\n"
       << "        x" << i << " = {" << (c.x_width + 31) / 32 << "{$random}}; xv" << i << " = 0;\n"
       << "      end\n"
       << "      #1;\n"
       << "      expect" << i << " = no" << i << " < ni" << i << " && tin" << i << "[no" << i
       << "] + " << c.latency << " == c" << i << ";\n"
       << "      if (yv" << i << " !== expect" << i << ") begin\n        e" << i << " = e" << i
       << " + 1;\n        if (e" << i << " <= 2) $display(\"case " << i
       << " cycle %0d: y_valid %b, expected %b\", c" << i << ", yv" << i << ", expect" << i
       << ");\n      end\n"
       << "      if (expect" << i << ") begin\n"
       << "        if (y" << i << " !== ys" << i << "[no" << i << "]) begin\n          e" << i
       << " = e" << i << " + 1;\n          if (e" << i << " <= 2) $display(\"case " << i
       << " vector %0d: y %h, expected %h\", no" << i << ", y" << i << ", ys" << i << "[no" << i
       << "]);\n        end\n        no" << i << " = no" << i << " + 1;\n      end\n"
       << "      clk" << i << " = 1; #1; clk" << i << " = 0; #1;\n"
       << "    end\n"
       << "    if (no" << i << " < " << n << ") e" << i << " = e" << i << " + 1;\n"
       << "    $display(\"CASE " << i << " ERRORS %0d\", e" << i << ");\n"
       << "  end\n";
  }
  tb << "endmodule\n";
  return tb.str();
}

// Writes everything into dir, runs one Icarus simulation; errors per case (-1: none).
inline std::vector<int> simulate(const std::vector<IiCase>& cases,
                                 const std::map<std::string, std::string>& library,
                                 const fs::path& dir, std::string& log) {
  fs::create_directories(dir);
  std::string files;
  for (const auto& [name, text] : library) {
    std::ofstream(dir / name) << text;
    files += " " + name;
  }
  for (const IiCase& c : cases) {
    std::ofstream(dir / (c.top + ".v")) << c.verilog;
    std::ofstream x(dir / (c.top + ".x.hex")), y(dir / (c.top + ".y.hex"));
    for (const auto& h : c.x) x << h << "\n";
    for (const auto& h : c.y) y << h << "\n";
    files += " " + c.top + ".v";
    for (const auto& [name, text] : c.parts) {
      std::ofstream(dir / name) << text;
      files += " " + name;
    }
  }
  std::ofstream(dir / "tb.v") << testbench(cases, dir);
  const std::string command = "cd '" + dir.string() +
                              "' && '" DAGEN_IVERILOG "' -g2012 -s tb -o tb.vvp tb.v" + files +
                              " > sim.log 2>&1 && '" DAGEN_VVP "' -n tb.vvp >> sim.log 2>&1";
  std::vector<int> errors(cases.size(), -1);
  const int status = std::system(command.c_str());
  log = test::slurp(dir / "sim.log");
  if (status != 0) return errors;
  std::istringstream lines(log);
  std::string line;
  const std::regex result(R"(^CASE (\d+) ERRORS (\d+)$)");
  while (std::getline(lines, line)) {
    std::smatch m;
    if (std::regex_match(line, m, result))
      errors.at(static_cast<std::size_t>(std::stoi(m[1]))) = std::stoi(m[2]);
  }
  return errors;
}

// Simulates every case in one run: cases [0, intact) must pass, the mutants after
// them must each fail; every intact design (and the library's cells) must lint
// clean under Verilator.  The scratch directory is removed unless something failed
// (or DAGEN_KEEP_SIM is set).
inline void expect_intact_pass_mutants_fail(const std::vector<IiCase>& cases, std::size_t intact,
                                            const std::map<std::string, std::string>& library,
                                            const std::string& scratch) {
  const fs::path dir = scratch_dir(scratch);
  fs::remove_all(dir);
  std::string log;
  const std::vector<int> errors = simulate(cases, library, dir, log);
  for (std::size_t k = 0; k < intact; ++k)
    EXPECT_EQ(errors[k], 0) << cases[k].top << " (ii " << cases[k].ii << ", latency "
                            << cases[k].latency << ") in " << dir << "\n"
                            << log;
  for (std::size_t k = intact; k < cases.size(); ++k)
    EXPECT_GT(errors[k], 0) << "the mutated design " << cases[k].top << " passed\n" << log;
  if (have(DAGEN_VERILATOR)) {
    std::vector<std::string> files;
    for (const auto& [name, text] : library) files.push_back(name);
    for (std::size_t k = 0; k < intact; ++k) {
      files.push_back(cases[k].top + ".v");
      for (const auto& [name, text] : cases[k].parts) files.push_back(name);
    }
    EXPECT_EQ(lint_files(DAGEN_VERILATOR, files, dir), "");
  }
  if (!::testing::Test::HasFailure() && !std::getenv("DAGEN_KEEP_SIM")) fs::remove_all(dir);
}

}  // namespace dagen::test
