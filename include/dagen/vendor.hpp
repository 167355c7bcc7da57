// Vendor project files (--vivado PART, --quartus DEVICE) and the reader of the
// reports their flows write (da-gen report DIR).  docs/vendor.md describes both.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dagen::vendor {

// Throws OptionError naming `option` unless `value` is a part or device name that
// every file it goes into takes as one plain word: letters, digits, '-', '_', '.',
// not starting with '-' (synth_design would read it as an option), at most 64 bytes.
void check_part_name(const std::string& option, const std::string& value);

// `text` as one Tcl word in double quotes: \ " $ [ ] { } escaped, control bytes as
// \n, \t or \xNN, so that Tcl substitutes nothing (XDC, SDC and QSF are Tcl too).
std::string tcl_quote(const std::string& text);

// What the project files need to know of a design.
struct ProjectInput {
  std::string top;                 // the top module (a Verilog identifier)
  std::vector<std::string> files;  // the design's file names, any extension (non-HDL ignored)
  bool clocked = false;            // has a clk port (pipeline > 0)
  bool valid = false;              // has x_valid / y_valid
  double period_ns = 0;            // the clock (or the virtual clock, combinational)
  std::string period_source;       // where period_ns comes from, for a comment
};

// The HDL files of `files` in the order a vendor tool reads them: every file ending
// .v, .sv, .vhd or .vhdl, the top's own file (top + extension) last, others sorted.
std::vector<std::string> hdl_files(const std::vector<std::string>& files, const std::string& top);

// The clock the project files constrain: --clock-period if given, else the report's
// estimated period, at least kMinPeriodNs, rounded to 1 ps.
inline constexpr double kMinPeriodNs = 1.0;
double project_period(const std::optional<double>& clock_period_ns, double estimated_ns);

// build_vivado.tcl and constraints.xdc.
std::map<std::string, std::string> vivado_files(const ProjectInput& in, const std::string& part);

// Quartus' family of a device, from its ordering-code prefix (docs/vendor.md lists
// them); throws OptionError naming --quartus for an unknown prefix.
std::string quartus_family(const std::string& device);

// <top>.qsf, <top>.sdc and build_quartus.tcl.
std::map<std::string, std::string> quartus_files(const ProjectInput& in, const std::string& device);

}  // namespace dagen::vendor
