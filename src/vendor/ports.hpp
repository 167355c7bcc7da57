// The timing constraints Vivado's XDC and Quartus' SDC share (both are SDC-style Tcl).
#pragma once

#include <cstdio>
#include <string>

#include "dagen/diag.hpp"
#include "dagen/vendor.hpp"

namespace dagen::vendor::detail {

// The top name goes into file names and comments as it is: it must be what
// verilog_identifier() makes (letters, digits, _), which build_design() ensures.
inline void check_top(const std::string& top) {
  bool ok = !top.empty() && !(top[0] >= '0' && top[0] <= '9');
  for (const char c : top)
    ok = ok &&
         ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');
  if (!ok)
    throw InternalError("a project file for the top name '" + escaped(top, "", true, "\\x") +
                        "', which is not an identifier");
}

inline std::string ns_text(double ns) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", ns);
  return text;
}

// The data ports (every bit of the buses): the clock constrains them like internal
// registers with zero external delay, so that the logic before the first register
// and after the last one is timed too (combinational: all of it, against a virtual clock).
inline std::string input_ports(const ProjectInput& in) {
  return in.valid ? "[get_ports {x[*] x_valid}]" : "[get_ports {x[*]}]";
}
inline std::string output_ports(const ProjectInput& in) {
  return in.valid ? "[get_ports {y[*] y_valid}]" : "[get_ports {y[*]}]";
}

// create_clock (the clk port, or a virtual clock "vclk" without one) and the port delays.
inline std::string timing_constraints(const ProjectInput& in) {
  const std::string clock = in.clocked ? "clk" : "vclk";
  std::string t = "# The clock: " + ns_text(in.period_ns) + " ns (" + in.period_source + ").\n";
  if (in.clocked) {
    t += "create_clock -name clk -period " + ns_text(in.period_ns) + " [get_ports clk]\n";
  } else {
    t += "# No clk port (combinational): a virtual clock times every path from the inputs to\n"
         "# the outputs, as if registers outside drove x and sampled y.\n"
         "create_clock -name vclk -period " +
         ns_text(in.period_ns) + "\n";
  }
  t += "# x and y connect to registers of the enclosing design: zero external delay.\n";
  t += "set_input_delay -clock [get_clocks " + clock + "] 0.000 " + input_ports(in) + "\n";
  t += "set_output_delay -clock [get_clocks " + clock + "] 0.000 " + output_ports(in) + "\n";
  return t;
}

}  // namespace dagen::vendor::detail
