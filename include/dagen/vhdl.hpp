// VHDL emission: the scheduled AdderGraph as synthesizable VHDL-2008 using
// ieee.numeric_std only, bit for bit the design emit_verilog() writes.
#pragma once

#include <string>

#include "dagen/adder_graph.hpp"
#include "dagen/schedule.hpp"
#include "dagen/verilog.hpp"

namespace dagen {

// One file, <top>.vhd: entity `top` with the Verilog module's ports (clk only
// when s.latency > 0, x_valid / y_valid with `with_valid`, x and y as
// std_logic_vector packed like the Verilog's); delay lines are processes in it
// and a fused adder pair is the plain three-term sum (no rtl_lib cell).
// `header` is prepended as -- comment lines.
EmittedDesign emit_vhdl(const AdderGraph& g, const Schedule& s, const std::string& top,
                        const std::string& header, bool with_valid = false);

// A legal VHDL identifier made from any name: a letter first, letters, digits
// and single underscores inside, never ending in one, at most 128 characters,
// never a VHDL-2008 reserved word or a name the design or its testbench uses
// (compared case-insensitively, as VHDL does).
std::string vhdl_identifier(const std::string& name);

}  // namespace dagen
