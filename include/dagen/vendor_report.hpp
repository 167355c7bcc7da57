// da-gen report DIR: the reports of the Vivado or Quartus flow (build_vivado.tcl,
// build_quartus.tcl) as the JSON object and Markdown row tools/yosys_report.py
// prints: the same keys (lut, ff, carry, srl, dsp, muxf, bram, latch, carry_bits)
// and the same first Markdown columns, vendor-only keys beside (docs/vendor.md).
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace dagen::vendor {

using Row = nlohmann::ordered_json;

// One report file: its name for messages and its text.
struct ReportFile {
  std::string name;
  std::string text;
};

// report_utilization and report_timing_summary text.  Throws ToolError
// "FILE[:LINE]: problem" (one line) for a missing or malformed table; any text
// is either read or refused.
Row parse_vivado(const ReportFile& utilization, const ReportFile& timing);

// <top>.fit.summary and <top>.sta.summary; Fmax from the "Fmax Summary" tables of
// <top>.sta.rpt if given, else from `period_ns` (the .sdc's clock) and the slack.
Row parse_quartus(const ReportFile& fit, const ReportFile& sta,
                  const std::optional<ReportFile>& sta_rpt, std::optional<double> period_ns);

// Finds the reports in `dir` (the design directory or its vivado/ or quartus/)
// and parses them; throws ToolError naming what is missing.
Row read_reports(const std::filesystem::path& dir);

std::string markdown_header();
std::string markdown_row(const Row& row);

// The subcommand: `da-gen report DIR [--format json|markdown]` (args after "report").
// Prints the row to `out`; returns the exit code (0, 2 usage, 4 unreadable reports)
// after printing "da-gen: ..." to `err`.
int report_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace dagen::vendor
