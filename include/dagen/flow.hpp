// The driver: a straight line of steps from model.json to a verified design.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>

#include "dagen/adder_graph.hpp"
#include "dagen/cmvm.hpp"
#include "dagen/model.hpp"
#include "dagen/schedule.hpp"
#include "dagen/verilog.hpp"

namespace dagen {

inline constexpr const char* kVersion = "0.1.0";

// Exit codes of the command line.
enum ExitCode { kExitOk = 0, kExitBadModel = 1, kExitUsage = 2, kExitMismatch = 3, kExitTool = 4 };

struct FlowOptions {
  int pipeline = 0;
  // With pipeline_given: every stage must meet it (fewest register bits at that
  // latency); otherwise it chooses the smallest latency that meets it.
  std::optional<double> clock_period_ns;
  bool pipeline_given = true;
  std::string top;  // empty: from the model name
  std::string target = "xcup";
  cmvm::Options cmvm;
  bool dump_graph = false;
  bool valid = false;        // x_valid / y_valid handshake
  double stage_slack = 0.0;  // see schedule_pipeline()
  bool ternary = false;      // fuse adder pairs into dagen_add3 ternary adders (xcup only)
  std::size_t exact_placement_work = kExactPlacementWork;  // see schedule_pipeline()
};

struct Design {
  AdderGraph graph;
  Schedule schedule;
  EmittedDesign emitted;
  std::string top;
  nlohmann::json report;
};

// Lower, optimise, check (graph invariants and graph interpreter vs reference
// model on corner and random vectors), schedule and emit.  Throws ModelError
// or ToolError.
Design build_design(const Model& model, const FlowOptions& options);

// All files of the output directory, by name.
std::map<std::string, std::string> design_files(const Design& design, const FlowOptions& options);

// Writes `files` into a fresh sibling of `dir` and moves it into place only
// when everything succeeded.  `before_commit` runs on the complete staging
// directory (used by --verify).  Refuses to replace a non-empty directory that
// da-gen did not create unless `force`.  Throws ToolError.
void write_output_dir(const std::filesystem::path& dir,
                      const std::map<std::string, std::string>& files, bool force,
                      const std::function<void(const std::filesystem::path&)>& before_commit);

struct VerifyResult {
  bool passed = false;
  std::string summary;  // the harness's PASS/FAIL line and first mismatches
};

// Verilates the design in `dir`, replays corner + random vectors and compares
// every output with the reference model.  Throws ToolError if the build fails.
VerifyResult verify_with_verilator(const Model& model, const Design& design,
                                   const std::filesystem::path& dir, int random_vectors,
                                   std::uint64_t seed, std::ostream& log);

}  // namespace dagen
