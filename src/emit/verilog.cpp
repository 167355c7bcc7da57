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
#include "dagen/ternary.hpp"
#include "emit_plan.hpp"
#include "identifier.hpp"

namespace dagen {

namespace {

using emit::EmitPlan;
using emit::Ref;

std::string zeros(int w) { return std::to_string(w) + "'d0"; }

std::string literal(i128 code, int w) { return std::to_string(w) + "'h" + to_hex(code, w); }

// 2^bit as a w-bit literal for any bit < w (1 << bit in an i128 is undefined from 127 on).
std::string pow2_literal(int bit, int w) {
  std::string hex(static_cast<std::size_t>((w + 3) / 4), '0');
  hex[hex.size() - 1 - static_cast<std::size_t>(bit / 4)] = "1248"[bit % 4];
  return std::to_string(w) + "'h" + hex;
}

std::string slice(const Ref& r, int hi, int lo) {
  if (hi == lo) return r.name + "[" + std::to_string(r.base + hi) + "]";
  return r.name + "[" + std::to_string(r.base + hi) + ":" + std::to_string(r.base + lo) + "]";
}

// The code of `r` sign- or zero-extended (or truncated) to exactly w bits.
std::string extend(const Ref& r, int w) {
  if (r.width == 0) return zeros(w);
  if (r.width >= w) return slice(r, w - 1, 0);
  const std::string fill = r.is_signed ? slice(r, r.width - 1, r.width - 1) : "1'b0";
  return "{{" + std::to_string(w - r.width) + "{" + fill + "}}, " + slice(r, r.width - 1, 0) + "}";
}

// The value of `r` on grid 2^-frac (frac >= r.frac) as exactly w bits (modulo 2^w).
std::string aligned(const Ref& r, int frac, int w) {
  const int k = frac - r.frac;
  if (k < 0) throw InternalError("emitter: operand finer than its target grid");
  if (r.width == 0 || k >= w) return zeros(w);
  const std::string body = extend(r, w - k);
  return k == 0 ? body : "{" + body + ", " + zeros(k) + "}";
}

class Emitter : public emit::NodePrinter {
 public:
  explicit Emitter(const EmitPlan& plan) : p_(plan), g_(plan.graph()) {}

  std::string body() {
    emit::print_nodes(p_, *this);
    return out_.str();
  }

 private:
  int stage_of(const Node& n) const { return p_.stage_of(n); }
  Ref ref(const Operand& o, int stage) const { return p_.ref(o, stage); }

  void declare(const std::string& name, int w) override {
    out_ << "  wire [" << w - 1 << ":0] " << name << ";\n";
  }
  void constant(const std::string& name, i128 code, int w) override {
    out_ << "  assign " << name << " = " << literal(code, w) << ";\n";
  }
  void input(const std::string& name, int offset, int w) override {
    out_ << "  assign " << name << " = x[" << offset + w - 1 << ":" << offset << "];\n";
  }
  void neg(const Node& n, const std::string& name, int w) override {
    out_ << "  assign " << name << " = " << zeros(w) << " - "
         << aligned(ref(n.a(), stage_of(n)), n.type.frac_bits, w) << ";\n";
  }
  void relu(const Node& n, const std::string& name, int w) override {
    const Ref a = ref(n.a(), stage_of(n));
    if (a.is_signed)
      out_ << "  assign " << name << " = " << slice(a, a.width - 1, a.width - 1) << " ? "
           << zeros(w) << " : " << extend({a.name, a.base, a.width - 1, false, a.frac}, w) << ";\n";
    else
      out_ << "  assign " << name << " = " << extend(a, w) << ";\n";
  }
  void delay_line(const std::string& name, int w, int depth) override {
    out_ << "  wire [" << w * depth - 1 << ":0] " << name << "_t;\n"
         << "  dagen_delay #(.WIDTH(" << w << "), .DEPTH(" << depth << ")) " << name
         << "_delay (.clk(clk), .d(" << name << "), .taps(" << name << "_t));\n";
  }

  void add(const Node& n, const std::string& name, int w) override {
    const int frac = n.type.frac_bits;
    const Ref a = ref(n.a(), stage_of(n)), b = ref(n.b(), stage_of(n));
    const char* op = n.sub ? " - " : " + ";
    // One operand is on the node's grid; the other is shifted up by k bits, so
    // the k low bits of the sum are the unshifted operand's (for a - b only
    // when b is the shifted one).
    const int k = passed_through_bits(g_, n);
    if (k > 0) {
      const bool a_low = frac == a.frac;
      const Ref& p = a_low ? a : b;
      const Ref& q = a_low ? b : a;
      if (k >= w) {
        out_ << "  assign " << name << " = " << aligned(p, frac, w) << ";\n";
        return;
      }
      out_ << "  wire [" << w - 1 << ":0] " << name << "_p = " << aligned(p, frac, w) << ";\n";
      out_ << "  assign " << name << " = {" << name << "_p[" << w - 1 << ":" << k << "]"
           << (a_low ? op : " + ") << aligned(q, frac - k, w - k) << ", " << name << "_p[" << k - 1
           << ":0]};\n";
      return;
    }
    out_ << "  assign " << name << " = " << aligned(a, frac, w) << op << aligned(b, frac, w)
         << ";\n";
  }

  // A fused pair: the three terms aligned to the node's grid, their sum from one
  // dagen_add3 chain above the bits the lowest term alone supplies and below the
  // demanded top (no output reads the bits above it: they are left zero, as
  // synthesis would leave a two-input adder's unread bits unbuilt).
  void ternary(int id, const Node& n, const std::string& name, int w) override {
    const auto terms = ternary_terms(g_, id, n.ternary_inner);
    const TernaryChain chain = ternary_chain(g_, id, n.ternary_inner, p_.demanded(id).top);
    const int frac = n.type.frac_bits;
    for (std::size_t k = 0; k < terms.size(); ++k)
      out_ << "  wire [" << w - 1 << ":0] " << name << "_t" << k << " = "
           << aligned(ref(terms[k].operand, stage_of(n)), frac, w) << ";\n";
    const int cw = chain.luts();
    auto chain_bits = [&](std::size_t k) {
      return name + "_t" + std::to_string(k) + "[" + std::to_string(chain.top - 1) + ":" +
             std::to_string(chain.low) + "]";
    };
    std::vector<std::string> parts;  // most significant first
    if (chain.top < w) parts.push_back(zeros(w - chain.top));
    if (cw > 0) {
      out_ << "  wire [" << cw - 1 << ":0] " << name << "_s;\n"
           << "  dagen_add3 #(.WIDTH(" << cw << "), .NEG_B(" << terms[1].negated << "), .NEG_C("
           << terms[2].negated << ")) " << name << "_add3 (.a(" << chain_bits(0) << "), .b("
           << chain_bits(1) << "), .c(" << chain_bits(2) << "), .s(" << name << "_s));\n";
      parts.push_back(name + "_s");
    }
    if (chain.low > 0)
      parts.push_back(name + "_t" + std::to_string(chain.lowest_term) + "[" +
                      std::to_string(chain.low - 1) + ":0]");
    out_ << "  assign " << name << " = {";
    for (std::size_t k = 0; k < parts.size(); ++k) out_ << (k ? ", " : "") << parts[k];
    out_ << "};\n";
  }

  // a >= b as the sign of a - b on b's grid (comparison() in the IR): a aligned up to
  // it or floored onto it (its low bits dropped), both extended one bit above the
  // wider, then compared as signed.
  void compare(const Node& n, const std::string& name) override {
    const auto [c, kept, b] = emit::compare_plan(p_, n);
    out_ << "  wire [" << c.width - 1 << ":0] " << name << "_a = " << aligned(kept, c.frac, c.width)
         << ";\n"
         << "  wire [" << c.width - 1 << ":0] " << name << "_b = " << aligned(b, c.frac, c.width)
         << ";\n"
         << "  assign " << name << " = $signed(" << name << "_a) >= $signed(" << name << "_b);\n";
  }

  // sel ? a : b, both aligned to the node's grid like an adder's operands; a known
  // select is a wire from the operand it picks.
  void mux(const Node& n, const std::string& name, int w) override {
    const Node& sel = g_.at(n.operand(0).node);
    const int frac = n.type.frac_bits;
    const Ref a = ref(n.operand(1), stage_of(n)), b = ref(n.operand(2), stage_of(n));
    out_ << "  assign " << name << " = ";
    if (sel.lo == sel.hi) {
      out_ << aligned(sel.lo != 0 ? a : b, frac, w) << ";\n";
      return;
    }
    const Ref s = ref(n.operand(0), stage_of(n));
    out_ << slice(s, 0, 0) << " ? " << aligned(a, frac, w) << " : " << aligned(b, frac, w) << ";\n";
  }

  // A function of the operand's code, a case over the codes it can take (its
  // interval), which synthesis maps to LUTs; the most frequent entry (the first to
  // reach that count) is the default, also for the codes the operand never takes,
  // and is not listed.  A function, not an always block: a continuous assignment
  // holds the value from time 0 in every simulator, even before the input changes.
  void lookup(const Node& n, const std::string& name, int w) override {
    const Ref a = ref(n.a(), stage_of(n));
    const emit::LookupCases c = emit::lookup_cases(g_, n);
    const std::string f = name + "_f";
    out_ << "  function [" << w - 1 << ":0] " << f << ";\n"
         << "    input [" << a.width - 1 << ":0] code;\n"
         << "    case (code)\n";
    for (const auto& [code, value] : c.cases)
      out_ << "      " << literal(code, a.width) << ": " << f << " = " << literal(value, w)
           << ";\n";
    out_ << "      default: " << f << " = " << literal(c.fallback, w) << ";\n"
         << "    endcase\n"
         << "  endfunction\n"
         << "  assign " << name << " = " << f << "(" << slice(a, a.width - 1, 0) << ");\n";
  }

  void quantize(const Node& n, const std::string& name, int w) override {
    const Ref a = ref(n.a(), stage_of(n));
    emit::QuantizePlan q = emit::quantize_plan(g_, n, a);
    Ref& r = q.r;  // the rounded value on the target grid
    r.name = name + "_r";
    const int wr = r.width;
    if (wr > 0) {
      out_ << "  wire [" << wr - 1 << ":0] " << r.name << ";\n";
      if (q.drop == 0) {
        out_ << "  assign " << r.name << " = " << aligned(a, r.frac, wr) << ";\n";
      } else {
        out_ << "  wire [" << q.wx - 1 << ":0] " << name << "_x = " << aligned(a, a.frac, q.wx);
        if (q.round) out_ << " + " << pow2_literal(q.drop - 1, q.wx);
        out_ << ";\n  assign " << r.name << " = " << name << "_x[" << q.wx - 1 << ":" << q.drop
             << "];\n";
      }
    }
    if (!q.need_hi && !q.need_lo) {
      out_ << "  assign " << name << " = " << extend(r, w) << ";\n";
      return;
    }
    const int wc = q.wc;
    out_ << "  wire [" << wc - 1 << ":0] " << name << "_c = " << extend(r, wc) << ";\n";
    const std::string cmp = "$signed(" + name + "_c)";
    const std::string over =
        q.need_hi ? "(" + cmp + " > $signed(" + literal(q.hi, wc) + "))" : "1'b0";
    const std::string under =
        q.need_lo ? "(" + cmp + " < $signed(" + literal(q.low, wc) + "))" : "1'b0";
    out_ << "  assign " << name << " = " << over << " ? " << literal(q.hi, w) << " : " << under
         << " ? " << literal(q.low, w) << " : " << name << "_c[" << w - 1 << ":0];\n";
  }

  const EmitPlan& p_;
  const AdderGraph& g_;
  std::ostringstream out_;
};

}  // namespace

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
      "dagen_delay dagen_add3 _top ";
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
  Emitter emitter(plan);
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
