// --vivado PART: a non-project batch script (UG892 "Non-Project Mode Tcl Script
// Example", UG835 for each command) and the XDC it reads out of context (UG903
// "Out-of-Context Constraints": read_xdc -mode out_of_context).
#include "dagen/flow.hpp"
#include "dagen/vendor.hpp"
#include "ports.hpp"

namespace dagen::vendor {

std::map<std::string, std::string> vivado_files(const ProjectInput& in, const std::string& part) {
  check_part_name("--vivado", part);
  detail::check_top(in.top);
  std::string tcl =
      "# build_vivado.tcl: written by da-gen " + std::string(kVersion) + " for " + in.top + " on " +
      part +
      ".\n"
      "# Out-of-context synthesis (no I/O buffers: the design is a block of a larger one),\n"
      "# placement and routing in Vivado's non-project batch mode:\n"
      "#   vivado -mode batch -source build_vivado.tcl\n"
      "# Reports and the routed checkpoint go to vivado/ beside this script; read them with\n"
      "#   da-gen report vivado\n"
      "set here [file dirname [file normalize [info script]]]\n"
      "set reports [file join $here vivado]\n"
      "file mkdir $reports\n";
  for (const std::string& f : hdl_files(in.files, in.top)) {
    const bool vhdl = f.ends_with(".vhd") || f.ends_with(".vhdl");
    tcl += (vhdl                 ? "read_vhdl -vhdl2008 "
            : f.ends_with(".sv") ? "read_verilog -sv "
                                 : "read_verilog ") +
           std::string("[file join $here ") + tcl_quote(f) + "]\n";
  }
  tcl += "read_xdc -mode out_of_context [file join $here constraints.xdc]\n";
  tcl += "synth_design -top " + tcl_quote(in.top) + " -part " + tcl_quote(part) +
         " -mode out_of_context\n";
  tcl +=
      "opt_design\n"
      "place_design\n"
      "route_design\n"
      "report_utilization -file [file join $reports utilization.rpt]\n"
      "report_timing_summary -file [file join $reports timing_summary.rpt]\n"
      "write_checkpoint -force [file join $reports post_route.dcp]\n";
  std::string xdc = "# constraints.xdc: written by da-gen " + std::string(kVersion) + " for " +
                    in.top + ".\n" + detail::timing_constraints(in);
  return {{"build_vivado.tcl", tcl}, {"constraints.xdc", xdc}};
}

}  // namespace dagen::vendor
