// Emits the scheduled AdderGraph as Verilog-2001: one wire per node, explicit
// sign extension and alignment (no signed arithmetic to trip over), low bits
// of a shifted sum wired straight from the unshifted operand, saturation logic
// only where the node's interval can overflow, comparisons as the sign of a
// subtraction, lookups as case functions, and dagen_delay cells (rtl_lib)
// carrying values across pipeline ranks.
#include "dagen/verilog.hpp"

#include <algorithm>
#include <map>
#include <sstream>
#include <stdexcept>

#include "dagen/demanded_bits.hpp"
#include "dagen/diag.hpp"
#include "dagen/ternary.hpp"

namespace dagen {

namespace {

// A named signal (or a slice of a delay line) holding a node's code.
struct Ref {
  std::string name;
  int base = 0;
  int width = 0;
  bool is_signed = false;
  int frac = 0;  // grid of the value the code stands for
};

std::string zeros(int w) { return std::to_string(w) + "'d0"; }

std::string literal(i128 code, int w) { return std::to_string(w) + "'h" + to_hex(code, w); }

// 2^bit as a w-bit literal for any bit < w (1 << bit in an i128 is undefined from 127 on).
std::string pow2_literal(int bit, int w) {
  std::string hex(static_cast<std::size_t>((w + 3) / 4), '0');
  hex[hex.size() - 1 - static_cast<std::size_t>(bit / 4)] = "1248"[bit % 4];
  return std::to_string(w) + "'h" + hex;
}

// Whether code * 2^up lies above hi (>= 0) or below low (<= 0), without forming a
// product wider than an i128: such a product is beyond every limit of a 120-bit type.
bool shifted_above(i128 code, int up, i128 hi) {
  if (code <= 0) return false;
  return bit_length(code) + up > 126 || shift_left(code, up) > hi;
}
bool shifted_below(i128 code, int up, i128 low) {
  if (code >= 0) return false;
  return bit_length(code) + up > 126 || shift_left(code, up) < low;
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

class Emitter {
 public:
  Emitter(const AdderGraph& g, const Schedule& s)
      : g_(g),
        stage_(s.stage),
        last_use_(g.nodes.size()),
        fused_inner_(g.nodes.size()),
        demanded_(demanded_bits(g)) {
    for (const Node& n : g.nodes)
      if (n.ternary_inner >= 0) fused_inner_[static_cast<std::size_t>(n.ternary_inner)] = true;
    for (std::size_t id = 0; id < g.nodes.size(); ++id) last_use_[id] = stage_[id];
    auto use = [&](const Operand& o, int stage) {
      auto& u = last_use_[static_cast<std::size_t>(o.node)];
      u = std::max(u, stage);
    };
    for (const Node& n : g.nodes)
      for_each_operand(n, [&](const Operand& o) { use(o, stage_of(n)); });
    for (const Operand& o : g.outputs) use(o, s.latency);
    // Offsets summed once: per input they made the emitter quadratic in input.size.
    for (const FixedType& t : g.input_types)
      input_offset_.push_back(input_offset_.back() + t.width());
  }

  bool uses_add3() const {
    return std::any_of(g_.nodes.begin(), g_.nodes.end(),
                       [](const Node& n) { return n.ternary_inner >= 0; });
  }

  bool uses_delay() const {
    for (std::size_t id = 0; id < g_.nodes.size(); ++id)
      if (needs_registers(static_cast<int>(id))) return true;
    return false;
  }

  std::string body() {
    for (std::size_t id = 0; id < g_.nodes.size(); ++id) emit_node(static_cast<int>(id));
    return out_.str();
  }

  // The operand's code as seen by a consumer in `stage`.
  Ref ref(const Operand& o, int stage) const {
    const Node& n = g_.at(o.node);
    Ref r{"n" + std::to_string(o.node), 0, n.type.width(), n.type.is_signed,
          n.type.frac_bits - o.shift};
    if (!is_const(n) && stage > stage_of(n)) {
      r.name += "_t";
      r.base = (stage - stage_of(n) - 1) * r.width;
    }
    return r;
  }

 private:
  static bool is_const(const Node& n) { return is_constant_value(n); }

  // The stage of a node of the graph (a reference into g_.nodes).
  int stage_of(const Node& n) const {
    return stage_[static_cast<std::size_t>(&n - g_.nodes.data())];
  }

  bool needs_registers(int id) const {
    const Node& n = g_.at(id);
    return !is_const(n) && last_use_[static_cast<std::size_t>(id)] > stage_of(n);
  }

  void emit_node(int id) {
    const Node& n = g_.at(id);
    const int w = n.type.width();
    if (w == 0) return;                                      // constant zero: consumers read zeros
    if (fused_inner_[static_cast<std::size_t>(id)]) return;  // part of its reader's dagen_add3
    const std::string name = "n" + std::to_string(id);
    out_ << "  wire [" << w - 1 << ":0] " << name << ";\n";
    if (n.kind != NodeKind::Const && is_const(n)) {  // a value its interval decides
      out_ << "  assign " << name << " = " << literal(n.lo, w) << ";\n";
      return;
    }
    switch (n.kind) {
      case NodeKind::Input: {
        const int offset = input_offset_[static_cast<std::size_t>(n.input_index)];
        out_ << "  assign " << name << " = x[" << offset + w - 1 << ":" << offset << "];\n";
        break;
      }
      case NodeKind::Const:
        out_ << "  assign " << name << " = " << literal(n.const_code, w) << ";\n";
        break;
      case NodeKind::Add:
        if (n.ternary_inner >= 0)
          emit_ternary(id, n, name, w);
        else
          emit_add(id, n, name, w);
        break;
      case NodeKind::Neg:
        out_ << "  assign " << name << " = " << zeros(w) << " - "
             << aligned(ref(n.a(), stage_of(n)), n.type.frac_bits, w) << ";\n";
        break;
      case NodeKind::Relu: {
        const Ref a = ref(n.a(), stage_of(n));
        if (a.is_signed)
          out_ << "  assign " << name << " = " << slice(a, a.width - 1, a.width - 1) << " ? "
               << zeros(w) << " : " << extend({a.name, a.base, a.width - 1, false, a.frac}, w)
               << ";\n";
        else
          out_ << "  assign " << name << " = " << extend(a, w) << ";\n";
        break;
      }
      case NodeKind::Quantize:
        emit_quantize(n, name, w);
        break;
      case NodeKind::Ge:
        emit_compare(n, name);
        break;
      case NodeKind::Mux:
        emit_mux(n, name, w);
        break;
      case NodeKind::Lookup:
        emit_lookup(n, name, w);
        break;
    }
    if (needs_registers(id)) {
      const int depth = last_use_[static_cast<std::size_t>(id)] - stage_of(n);
      out_ << "  wire [" << w * depth - 1 << ":0] " << name << "_t;\n"
           << "  dagen_delay #(.WIDTH(" << w << "), .DEPTH(" << depth << ")) " << name
           << "_delay (.clk(clk), .d(" << name << "), .taps(" << name << "_t));\n";
    }
  }

  void emit_add(int id, const Node& n, const std::string& name, int w) {
    (void)id;
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
  void emit_ternary(int id, const Node& n, const std::string& name, int w) {
    const auto terms = ternary_terms(g_, id, n.ternary_inner);
    const TernaryChain chain =
        ternary_chain(g_, id, n.ternary_inner, demanded_[static_cast<std::size_t>(id)].top);
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
  void emit_compare(const Node& n, const std::string& name) {
    const Comparison c = comparison(g_, n);
    const Ref a = ref(n.a(), stage_of(n)), b = ref(n.b(), stage_of(n));
    Ref kept = a;  // a's bits that take part, a zero-width reference when none
    if (c.a_bits == 0)
      kept = {a.name, 0, 0, false, c.frac};
    else if (a.frac > c.frac)  // floored: its bits from -a_offset on
      kept = {a.name, a.base - c.a_offset, c.a_bits, a.is_signed, c.frac};
    out_ << "  wire [" << c.width - 1 << ":0] " << name << "_a = " << aligned(kept, c.frac, c.width)
         << ";\n"
         << "  wire [" << c.width - 1 << ":0] " << name << "_b = " << aligned(b, c.frac, c.width)
         << ";\n"
         << "  assign " << name << " = $signed(" << name << "_a) >= $signed(" << name << "_b);\n";
  }

  // sel ? a : b, both aligned to the node's grid like an adder's operands; a known
  // select is a wire from the operand it picks.
  void emit_mux(const Node& n, const std::string& name, int w) {
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
  void emit_lookup(const Node& n, const std::string& name, int w) {
    const LookupTable& t = g_.tables[static_cast<std::size_t>(n.table)];
    const Node& x = g_.at(n.a().node);
    const Ref a = ref(n.a(), stage_of(n));
    const auto first = static_cast<std::size_t>(x.lo - t.in_lo);
    const auto last = static_cast<std::size_t>(x.hi - t.in_lo);
    std::map<i128, std::size_t> count;
    i128 fallback = t.values[first];
    for (std::size_t k = first; k <= last; ++k) {
      const std::size_t c = ++count[t.values[k]];
      if (c > count[fallback]) fallback = t.values[k];
    }
    const std::string f = name + "_f";
    out_ << "  function [" << w - 1 << ":0] " << f << ";\n"
         << "    input [" << a.width - 1 << ":0] code;\n"
         << "    case (code)\n";
    for (std::size_t k = first; k <= last; ++k)
      if (t.values[k] != fallback)
        out_ << "      " << literal(t.in_lo + static_cast<i128>(k), a.width) << ": " << f << " = "
             << literal(t.values[k], w) << ";\n";
    out_ << "      default: " << f << " = " << literal(fallback, w) << ";\n"
         << "    endcase\n"
         << "  endfunction\n"
         << "  assign " << name << " = " << f << "(" << slice(a, a.width - 1, 0) << ");\n";
  }

  void emit_quantize(const Node& n, const std::string& name, int w) {
    const Ref a = ref(n.a(), stage_of(n));
    const Node& src = g_.at(n.a().node);
    const FixedType& t = n.quant_to;
    const int ft = t.frac_bits;
    // Rounded to the target grid.  An up-shifted code may pass 127 bits (a source
    // on grid 2^47 quantized to 2^-168): then the type comes from the source's type
    // and the saturation tests from shifted_above/below.
    const int up = std::max(ft - a.frac, 0);
    i128 rlo = 0, rhi = 0;
    FixedType rt;
    bool wide = false;
    try {
      rlo = round_to_frac({src.lo, a.frac}, ft, n.rounding);
      rhi = round_to_frac({src.hi, a.frac}, ft, n.rounding);
      rt = type_for_codes(rlo, rhi, ft);
    } catch (const std::overflow_error&) {  // only when up > 0: rounding down cannot overflow
      wide = true;
      rt = {a.is_signed, a.width - (a.is_signed ? 1 : 0) - a.frac, ft};  // width + up bits
    }
    const int wr = rt.width();
    // r: the rounded value on the target grid, wide enough for every rounded value.
    Ref r{name + "_r", 0, wr, rt.is_signed, ft};
    if (wr > 0) {
      out_ << "  wire [" << wr - 1 << ":0] " << r.name << ";\n";
      if (ft >= a.frac) {
        out_ << "  assign " << r.name << " = " << aligned(a, ft, wr) << ";\n";
      } else {
        const int k = a.frac - ft;
        const int wx = wr + k;
        out_ << "  wire [" << wx - 1 << ":0] " << name << "_x = " << aligned(a, a.frac, wx);
        if (n.rounding == Rounding::RND) out_ << " + " << pow2_literal(k - 1, wx);
        out_ << ";\n  assign " << r.name << " = " << name << "_x[" << wx - 1 << ":" << k << "];\n";
      }
    }
    const i128 hi = t.max_code();
    const i128 low = (n.overflow == Overflow::SAT_SYM && t.is_signed) ? -hi : t.min_code();
    const bool sat = n.overflow != Overflow::WRAP;
    const bool need_hi = sat && (wide ? shifted_above(src.hi, up, hi) : rhi > hi);
    const bool need_lo = sat && (wide ? shifted_below(src.lo, up, low) : rlo < low);
    if (!need_hi && !need_lo) {
      out_ << "  assign " << name << " = " << extend(r, w) << ";\n";
      return;
    }
    const int wc = std::max(wr, w) + 1;
    out_ << "  wire [" << wc - 1 << ":0] " << name << "_c = " << extend(r, wc) << ";\n";
    const std::string cmp = "$signed(" + name + "_c)";
    const std::string over = need_hi ? "(" + cmp + " > $signed(" + literal(hi, wc) + "))" : "1'b0";
    const std::string under =
        need_lo ? "(" + cmp + " < $signed(" + literal(low, wc) + "))" : "1'b0";
    out_ << "  assign " << name << " = " << over << " ? " << literal(hi, w) << " : " << under
         << " ? " << literal(low, w) << " : " << name << "_c[" << w - 1 << ":0];\n";
  }

  const AdderGraph& g_;
  const std::vector<int>& stage_;  // the schedule's, per node
  std::vector<int> last_use_;
  std::vector<bool> fused_inner_;     // emitted inside its reader's dagen_add3
  std::vector<int> input_offset_{0};  // bit offset of input i in x
  std::vector<BitSpan> demanded_;     // where ternary chains may stop
  std::ostringstream out_;
};

}  // namespace

namespace {
constexpr std::size_t kMaxTopLength = 128;
}  // namespace

std::string verilog_identifier(const std::string& name) {
  std::string id;
  for (char c : name) id.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  if (id.empty() || std::isdigit(static_cast<unsigned char>(id[0]))) id = "m_" + id;
  // <top>.graph.json must fit a file name (255 bytes on common file systems).
  if (id.size() > kMaxTopLength) id.resize(kMaxTopLength);
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
  if (kReserved.find(" " + id + " ") != std::string::npos) id += "_top";
  return id;
}

std::string verilog_comment_text(const std::string& text) {
  return escaped(text, "\\'", true, "\\x");
}

EmittedDesign emit_verilog(const AdderGraph& g, const Schedule& s, const Target& target,
                           const std::string& top, const std::string& header, bool with_valid) {
  if (s.stage.size() != g.nodes.size())
    throw InternalError("emitter: a schedule of " + std::to_string(s.stage.size()) +
                        " stages for " + std::to_string(g.nodes.size()) + " nodes");
  for (std::size_t id = 0; id < g.nodes.size(); ++id) {
    const int inner = g.nodes[id].ternary_inner;
    if (inner >= 0 && s.stage[static_cast<std::size_t>(inner)] != s.stage[id])
      throw InternalError("emitter: a fused adder pair straddles a register");
  }
  EmittedDesign design;
  int x_width = 0, y_width = 0;
  for (const FixedType& t : g.input_types) {
    design.inputs.push_back({x_width, t.width(), t.is_signed, t.frac_bits});
    x_width += t.width();
  }
  for (const Operand& o : g.outputs) {
    const FixedType t = operand_type(g, o);
    design.outputs.push_back({y_width, t.width(), t.is_signed, t.frac_bits});
    y_width += t.width();
  }
  Emitter emitter(g, s);
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
    const Ref r = emitter.ref(o, s.latency);
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
  if (emitter.uses_delay() || valid_delay)
    design.files["dagen_delay.v"] = std::string(target.rtl_cell("dagen_delay"));
  if (emitter.uses_add3())
    design.files["dagen_add3.v"] = std::string(target.rtl_cell("dagen_add3"));
  return design;
}

}  // namespace dagen
