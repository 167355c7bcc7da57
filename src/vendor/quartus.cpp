// --quartus DEVICE: a Quartus project (.qpf, .qsf), its timing constraints (.sdc)
// and a compile script (quartus_sh -t), after Intel's Quartus Prime Scripting User
// Guide ("Create a Project and Apply Constraints", ::quartus::flow execute_flow).
#include <algorithm>
#include <cctype>
#include <utility>

#include "dagen/diag.hpp"
#include "dagen/flow.hpp"
#include "dagen/vendor.hpp"
#include "ports.hpp"

namespace dagen::vendor {

namespace {

// Ordering-code prefixes of Intel FPGA families; the longest matching prefix wins.
const std::pair<const char*, const char*> kFamilies[] = {
    {"5AGZ", "Arria V GZ"},    {"5A", "Arria V"},           {"5C", "Cyclone V"},
    {"5S", "Stratix V"},       {"10M", "MAX 10"},           {"10CL", "Cyclone 10 LP"},
    {"10CX", "Cyclone 10 GX"}, {"10A", "Arria 10"},         {"1S", "Stratix 10"},
    {"EP4CE", "Cyclone IV E"}, {"EP4CGX", "Cyclone IV GX"}, {"AGF", "Agilex 7"},
    {"AGI", "Agilex 7"},       {"AGM", "Agilex 7"},         {"A5E", "Agilex 5"},
    {"A3C", "Agilex 3"}};

}  // namespace

std::string quartus_family(const std::string& device) {
  std::string upper = device;
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  std::string best_prefix, family;
  for (const auto& [prefix, name] : kFamilies)
    if (upper.starts_with(prefix) && std::string_view(prefix).size() > best_prefix.size()) {
      best_prefix = prefix;
      family = name;
    }
  if (family.empty())
    throw OptionError("--quartus: cannot tell the family of device '" + device +
                      "' (known: Cyclone IV/V/10, MAX 10, Arria V/10, Stratix V/10, Agilex 3/5/7; "
                      "docs/vendor.md)");
  return family;
}

std::map<std::string, std::string> quartus_files(const ProjectInput& in,
                                                 const std::string& device) {
  check_part_name("--quartus", device);
  detail::check_top(in.top);
  const std::string family = quartus_family(device);
  const std::string version = kVersion;
  const std::string qpf = "# " + in.top + ".qpf: written by da-gen " + version +
                          ".\nPROJECT_REVISION = " + tcl_quote(in.top) + "\n";
  std::string qsf = "# " + in.top + ".qsf: written by da-gen " + version + " for " + device +
                    ".\n"
                    "# The ports are device pins: the device needs x, y (and clk, x_valid,\n"
                    "# y_valid) as user I/O.  Outputs go to quartus/.\n";
  qsf += "set_global_assignment -name FAMILY " + tcl_quote(family) + "\n";
  qsf += "set_global_assignment -name DEVICE " + tcl_quote(device) + "\n";
  qsf += "set_global_assignment -name TOP_LEVEL_ENTITY " + tcl_quote(in.top) + "\n";
  qsf += "set_global_assignment -name PROJECT_OUTPUT_DIRECTORY quartus\n";
  for (const std::string& f : hdl_files(in.files, in.top)) {
    if (f.ends_with(".vhd") || f.ends_with(".vhdl"))
      qsf += "set_global_assignment -name VHDL_FILE " + tcl_quote(f) + " -hdl_version VHDL_2008\n";
    else if (f.ends_with(".sv"))
      qsf += "set_global_assignment -name SYSTEMVERILOG_FILE " + tcl_quote(f) + "\n";
    else
      qsf += "set_global_assignment -name VERILOG_FILE " + tcl_quote(f) + "\n";
  }
  qsf += "set_global_assignment -name SDC_FILE " + tcl_quote(in.top + ".sdc") + "\n";
  const std::string sdc = "# " + in.top + ".sdc: written by da-gen " + version + ".\n" +
                          detail::timing_constraints(in) + "derive_clock_uncertainty\n";
  const std::string tcl =
      "# build_quartus.tcl: written by da-gen " + version + " for " + in.top + " on " + device +
      ".\n"
      "# Compiles the project beside this script (analysis and synthesis, fitter, assembler,\n"
      "# timing analyzer):\n"
      "#   quartus_sh -t build_quartus.tcl\n"
      "# (the same as: quartus_sh --flow compile " +
      in.top +
      ")\n"
      "# Reports go to quartus/; read them with\n"
      "#   da-gen report quartus\n"
      "load_package flow\n"
      "cd [file dirname [file normalize [info script]]]\n"
      "project_open -revision " +
      tcl_quote(in.top) + " " + tcl_quote(in.top) +
      "\n"
      "execute_flow -compile\n"
      "project_close\n";
  return {{in.top + ".qpf", qpf},
          {in.top + ".qsf", qsf},
          {in.top + ".sdc", sdc},
          {"build_quartus.tcl", tcl}};
}

}  // namespace dagen::vendor
