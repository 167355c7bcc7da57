// Verilog emission: the scheduled AdderGraph as plain synthesizable Verilog-2001.
#pragma once

#include <map>
#include <string>

#include "dagen/adder_graph.hpp"
#include "dagen/schedule.hpp"
#include "dagen/target.hpp"

namespace dagen {

struct PortElement {
  int offset = 0;
  int width = 0;
  bool is_signed = false;
  int frac_bits = 0;
};

struct EmittedDesign {
  std::map<std::string, std::string> files;  // file name -> contents (top + rtl_lib cells)
  std::vector<PortElement> inputs;
  std::vector<PortElement> outputs;
};

// The graph with its registers where the schedule puts them (s.stage per node,
// s.latency ranks; combinational_schedule() for none); fused adder pairs as the
// graph marks them (apply_ternary_fusion()); the rtl_lib cells it instantiates come
// from `target` (Target::rtl_cell) and are among the returned files.
// `header` is prepended as a comment (provenance: tool version, model, options).
// `with_valid` adds x_valid / y_valid, a flag delayed exactly like the data.
EmittedDesign emit_verilog(const AdderGraph& g, const Schedule& s, const Target& target,
                           const std::string& top, const std::string& header,
                           bool with_valid = false);

struct SerialPlan;
// A digit-serial design (--ii K > 1, include/dagen/serial.hpp): ports clk, x_valid,
// x, y_valid, y; the rtl_lib cells it instantiates come from `target`.
EmittedDesign emit_serial_verilog(const AdderGraph& g, const SerialPlan& plan, const Target& target,
                                  const std::string& top, const std::string& header);

// A legal Verilog identifier made from any name (never a path, never empty,
// never a Verilog or SystemVerilog keyword, at most 128 characters).
std::string verilog_identifier(const std::string& name);

// Any text made safe inside a one-line // comment: printable ASCII stays,
// \ and ' are escaped, newline and tab become \n and \t, any other byte \xNN.
std::string verilog_comment_text(const std::string& text);

}  // namespace dagen
