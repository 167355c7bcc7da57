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
  // Vendor project files beside the design (include/dagen/vendor.hpp); empty: none.
  std::string vivado_part;     // --vivado: build_vivado.tcl, constraints.xdc
  std::string quartus_device;  // --quartus: <top>.qpf/.qsf/.sdc, build_quartus.tcl

  // Throws OptionError (naming the option as the command line spells it) for a
  // value out of range or a combination that cannot work or would do nothing.
  // build_design() calls it, so every caller gets the same errors.
  void validate() const;
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

// The directory -o names: `shown` (absolute) for messages, `real` with
// symlinks followed (files go there; a symlinked -o stays a symlink).
struct OutputDir {
  std::filesystem::path shown, real;
};

// Resolves -o and refuses (ToolError) the root directory, the home and working
// directories, the model file's directory, and any parent of these.
OutputDir resolve_output_dir(const std::string& option, const std::filesystem::path& model_file);

// Runs on the complete staging directory before the commit (--verify); returns
// files of the design to rewrite there (e.g. the report with "verified").
using OutputCheck = std::function<std::map<std::string, std::string>(const std::filesystem::path&)>;

// Writes `files` into `dir` (created if missing, locked against concurrent
// runs): replaces exactly the files da-gen wrote there before (listed in its
// manifest .da-gen-output, removing those not written again) and never
// touches or replaces any other file.  A non-empty directory without a
// manifest needs `force`.  Staged inside `dir` and committed by renames that
// are rolled back on any failure or interrupt.  Throws ToolError, Interrupted.
void write_output_dir(const OutputDir& dir, const std::map<std::string, std::string>& files,
                      bool force, const OutputCheck& check);

// Throws ToolError (one line) unless the tools --verify runs are installed
// (Verilator, CMake); verify_with_verilator() checks it too, the CLI before the long work.
void require_simulation_tools();

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
