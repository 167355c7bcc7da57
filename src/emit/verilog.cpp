// Emits the scheduled AdderGraph as Verilog-2001: one wire per node, explicit
// sign extension and alignment (no signed arithmetic to trip over), low bits
// of a shifted sum wired straight from the unshifted operand, saturation logic
// only where the node's interval can overflow, comparisons as the sign of a
// subtraction, lookups as case functions, and dagen_delay cells (rtl_lib)
// carrying values across pipeline ranks.
#include "dagen/verilog.hpp"

#include <algorithm>
#include <sstream>

#include "dagen/diag.hpp"
#include "emit_plan.hpp"
#include "identifier.hpp"
#include "verilog_nodes.hpp"

namespace dagen {

using emit::EmitPlan;
using emit::Ref;
using emit::slice;

std::string verilog_identifier(const std::string& name) {
  // Every IEEE 1800-2017 (SystemVerilog) keyword, a superset of Verilog-2005's
  // (Icarus reads -g2012), and our own cells.
  static const std::string kReserved =
      " "
      "accept_on alias always always_comb always_ff always_latch and assert assign assume "
      "automatic before begin bind bins binsof bit break buf bufif0 bufif1 byte case casex "
      "casez cell chandle checker class clocking cmos config const constraint context continue "
      "cover covergroup coverpoint cross deassign default defparam design disable dist do edge "
      "else end endcase endchecker endclass endclocking endconfig endfunction endgenerate "
      "endgroup endinterface endmodule endpackage endprimitive endprogram endproperty "
      "endspecify endsequence endtable endtask enum event eventually expect export extends "
      "extern final first_match for force foreach forever fork forkjoin function generate "
      "genvar global highz0 highz1 if iff ifnone ignore_bins illegal_bins implements implies "
      "import incdir include initial inout input inside instance int integer interconnect "
      "interface intersect join join_any join_none large let liblist library local localparam "
      "logic longint macromodule matches medium modport module nand negedge nettype new "
      "nexttime nmos nor noshowcancelled not notif0 notif1 null or output package packed "
      "parameter pmos posedge primitive priority program property protected pull0 pull1 "
      "pulldown pullup pulsestyle_ondetect pulsestyle_onevent pure rand randc randcase "
      "randsequence rcmos real realtime ref reg reject_on release repeat restrict return rnmos "
      "rpmos rtran rtranif0 rtranif1 s_always s_eventually s_nexttime s_until s_until_with "
      "scalared sequence shortint shortreal showcancelled signed small soft solve specify "
      "specparam static string strong strong0 strong1 struct super supply0 supply1 "
      "sync_accept_on sync_reject_on table tagged task this throughout time timeprecision "
      "timeunit tran tranif0 tranif1 tri tri0 tri1 triand trior trireg type typedef union "
      "unique unique0 unsigned until until_with untyped use uwire var vectored virtual void "
      "wait wait_order wand weak weak0 weak1 while wildcard wire with within wor xnor xor "
      "dagen_delay dagen_add3 dagen_sadd dagen_load _top ";
  return emit::hdl_identifier(name, kReserved, emit::IdentifierRules::Verilog);
}

std::string verilog_comment_text(const std::string& text) {
  return escaped(text, "\\'", true, "\\x");
}

EmittedDesign emit_verilog(const AdderGraph& g, const Schedule& s, const Target& target,
                           const std::string& top, const std::string& header, bool with_valid) {
  const EmitPlan plan(g, s);
  const emit::PortLayout ports = emit::port_layout(g);
  EmittedDesign design{{}, ports.inputs, ports.outputs};
  const int x_width = ports.x_width, y_width = ports.y_width;
  emit::VerilogNodes emitter(plan);
  std::ostringstream v;
  v << header;
  v << "// Ports: x packs the inputs and y the outputs, element 0 at the least\n"
       "// significant bits; offsets, widths and formats are in the JSON report.\n"
       "// Generated datapaths drop bits whose values are known, hence the waiver.\n"
       "/* verilator lint_off UNUSEDSIGNAL */\n";
  v << "module " << top << " (\n";
  if (s.latency > 0) v << "    input wire clk,\n";
  if (with_valid) v << "    input wire x_valid,\n";
  v << "    input wire [" << std::max(x_width, 1) - 1 << ":0] x,\n";
  if (with_valid) v << "    output wire y_valid,\n";
  v << "    output wire [" << std::max(y_width, 1) - 1 << ":0] y\n);\n";
  v << emitter.body();
  std::vector<std::string> parts;
  for (std::size_t k = g.outputs.size(); k-- > 0;) {
    const Operand& o = g.outputs[k];
    if (design.outputs[k].width == 0) continue;
    const Ref r = plan.ref(o, s.latency);
    parts.push_back(slice(r, r.width - 1, 0));
  }
  v << "  assign y = ";
  if (parts.empty()) {
    v << "1'b0";
  } else {
    v << "{";
    for (std::size_t k = 0; k < parts.size(); ++k) v << (k ? ", " : "") << parts[k];
    v << "}";
  }
  v << ";\n";
  // The valid flag travels with the data: the same number of register ranks,
  // which start at 0 so that y_valid is low until the first input arrives.
  const bool valid_delay = with_valid && s.latency > 0;
  if (valid_delay)
    v << "  wire [" << s.latency - 1 << ":0] x_valid_t;\n"
      << "  dagen_delay #(.WIDTH(1), .DEPTH(" << s.latency
      << "), .ZERO_AT_START(1)) x_valid_delay (.clk(clk), .d(x_valid), .taps(x_valid_t));\n"
      << "  assign y_valid = x_valid_t[" << s.latency - 1 << "];\n";
  else if (with_valid)
    v << "  assign y_valid = x_valid;\n";
  v << "endmodule\n/* verilator lint_on UNUSEDSIGNAL */\n";
  design.files[top + ".v"] = v.str();
  if (plan.uses_delay() || valid_delay)
    design.files["dagen_delay.v"] = std::string(target.rtl_cell("dagen_delay"));
  if (plan.uses_add3()) design.files["dagen_add3.v"] = std::string(target.rtl_cell("dagen_add3"));
  return design;
}

}  // namespace dagen
