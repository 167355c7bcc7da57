#include "verilog_nodes.hpp"

#include <utility>
#include <vector>

#include "dagen/diag.hpp"
#include "dagen/ternary.hpp"

namespace dagen::emit {

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

const EmitPlan& VerilogNodes::plan() const {
  if (!p_) throw InternalError("emitter: a fused adder pair without an emit plan");
  return *p_;
}

VerilogNodes::VerilogNodes(const EmitPlan& plan)
    : p_(&plan),
      g_(plan.graph()),
      resolve_([&plan](const Node& n, const Operand& o) { return plan.ref(o, plan.stage_of(n)); }) {
}

VerilogNodes::VerilogNodes(const AdderGraph& g, Resolve resolve)
    : g_(g), resolve_(std::move(resolve)) {}

std::string VerilogNodes::body() {
  if (!p_) throw InternalError("VerilogNodes::body() needs an emit plan");
  print_nodes(*p_, *this);
  return out_.str();
}

void VerilogNodes::declare(const std::string& name, int w) {
  out_ << "  wire [" << w - 1 << ":0] " << name << ";\n";
}
void VerilogNodes::constant(const std::string& name, i128 code, int w) {
  out_ << "  assign " << name << " = " << literal(code, w) << ";\n";
}
void VerilogNodes::input(const std::string& name, int offset, int w) {
  out_ << "  assign " << name << " = x[" << offset + w - 1 << ":" << offset << "];\n";
}
void VerilogNodes::neg(const Node& n, const std::string& name, int w) {
  out_ << "  assign " << name << " = " << zeros(w) << " - "
       << aligned(operand(n, n.a()), n.type.frac_bits, w) << ";\n";
}
void VerilogNodes::relu(const Node& n, const std::string& name, int w) {
  const Ref a = operand(n, n.a());
  if (a.is_signed)
    out_ << "  assign " << name << " = " << slice(a, a.width - 1, a.width - 1) << " ? " << zeros(w)
         << " : " << extend({a.name, a.base, a.width - 1, false, a.frac}, w) << ";\n";
  else
    out_ << "  assign " << name << " = " << extend(a, w) << ";\n";
}
void VerilogNodes::delay_line(const std::string& name, int w, int depth) {
  out_ << "  wire [" << w * depth - 1 << ":0] " << name << "_t;\n"
       << "  dagen_delay #(.WIDTH(" << w << "), .DEPTH(" << depth << ")) " << name
       << "_delay (.clk(clk), .d(" << name << "), .taps(" << name << "_t));\n";
}

void VerilogNodes::add(const Node& n, const std::string& name, int w) {
  const int frac = n.type.frac_bits;
  const Ref a = operand(n, n.a()), b = operand(n, n.b());
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
  out_ << "  assign " << name << " = " << aligned(a, frac, w) << op << aligned(b, frac, w) << ";\n";
}

// A fused pair: the three terms aligned to the node's grid, their sum from one
// dagen_add3 chain above the bits the lowest term alone supplies and below the
// demanded top (no output reads the bits above it: they are left zero, as
// synthesis would leave a two-input adder's unread bits unbuilt).
void VerilogNodes::ternary(int id, const Node& n, const std::string& name, int w) {
  const auto terms = ternary_terms(g_, id, n.ternary_inner);
  const TernaryChain chain = ternary_chain(g_, id, n.ternary_inner, plan().demanded(id).top);
  const int frac = n.type.frac_bits;
  for (std::size_t k = 0; k < terms.size(); ++k)
    out_ << "  wire [" << w - 1 << ":0] " << name << "_t" << k << " = "
         << aligned(operand(n, terms[k].operand), frac, w) << ";\n";
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
void VerilogNodes::compare(const Node& n, const std::string& name) {
  const auto [c, kept, b] = compare_plan(g_, n, operand(n, n.a()), operand(n, n.b()));
  out_ << "  wire [" << c.width - 1 << ":0] " << name << "_a = " << aligned(kept, c.frac, c.width)
       << ";\n"
       << "  wire [" << c.width - 1 << ":0] " << name << "_b = " << aligned(b, c.frac, c.width)
       << ";\n"
       << "  assign " << name << " = $signed(" << name << "_a) >= $signed(" << name << "_b);\n";
}

// sel ? a : b, both aligned to the node's grid like an adder's operands; a known
// select is a wire from the operand it picks.
void VerilogNodes::mux(const Node& n, const std::string& name, int w) {
  const Node& sel = g_.at(n.operand(0).node);
  const int frac = n.type.frac_bits;
  const Ref a = operand(n, n.operand(1)), b = operand(n, n.operand(2));
  out_ << "  assign " << name << " = ";
  if (sel.lo == sel.hi) {
    out_ << aligned(sel.lo != 0 ? a : b, frac, w) << ";\n";
    return;
  }
  const Ref s = operand(n, n.operand(0));
  out_ << slice(s, 0, 0) << " ? " << aligned(a, frac, w) << " : " << aligned(b, frac, w) << ";\n";
}

// A function of the operand's code, a case over the codes it can take (its
// interval), which synthesis maps to LUTs; the most frequent entry (the first to
// reach that count) is the default, also for the codes the operand never takes,
// and is not listed.  A function, not an always block: a continuous assignment
// holds the value from time 0 in every simulator, even before the input changes.
void VerilogNodes::lookup(const Node& n, const std::string& name, int w) {
  const Ref a = operand(n, n.a());
  const emit::LookupCases c = emit::lookup_cases(g_, n);
  const std::string f = name + "_f";
  out_ << "  function [" << w - 1 << ":0] " << f << ";\n"
       << "    input [" << a.width - 1 << ":0] code;\n"
       << "    case (code)\n";
  for (const auto& [code, value] : c.cases)
    out_ << "      " << literal(code, a.width) << ": " << f << " = " << literal(value, w) << ";\n";
  out_ << "      default: " << f << " = " << literal(c.fallback, w) << ";\n"
       << "    endcase\n"
       << "  endfunction\n"
       << "  assign " << name << " = " << f << "(" << slice(a, a.width - 1, 0) << ");\n";
}

void VerilogNodes::quantize(const Node& n, const std::string& name, int w) {
  const Ref a = operand(n, n.a());
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

}  // namespace dagen::emit
