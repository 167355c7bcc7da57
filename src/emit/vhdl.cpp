// Emits the scheduled AdderGraph as VHDL-2008 from the plan verilog.cpp prints
// (emit_plan.hpp), so the two compute the same bits: every value is an
// `unsigned` code (numeric_std arithmetic is modulo 2^width like Verilog's),
// sign extension by resize(signed(...)), comparisons as signed, lookups as
// case functions, and delay lines as one shift process per node.  The datapath
// is one combinational process of variables in topological order: a simulator
// evaluates each node once per input change, where concurrent assignments
// re-evaluate a deep graph wave after wave (models/qkeras_mlp.json, adder depth 67,
// --verify at pipeline 0: over 7 minutes with them, 23 s with the process, GHDL 2.0 mcode).
#include "dagen/vhdl.hpp"

#include <sstream>

#include "dagen/diag.hpp"
#include "dagen/ternary.hpp"
#include "emit_plan.hpp"
#include "identifier.hpp"

namespace dagen {

namespace {

using emit::EmitPlan;
using emit::Ref;

std::string num(int v) { return std::to_string(v); }

std::string zeros(int w) { return "to_unsigned(0, " + num(w) + ")"; }

// A sized bit-string literal (VHDL-2008): to_hex() leaves the bits above w zero.
std::string bits(i128 code, int w) { return num(w) + "X\"" + to_hex(code, w) + "\""; }
std::string literal(i128 code, int w) { return "unsigned'(" + bits(code, w) + ")"; }

// 2^bit as a w-bit literal for any bit < w.
std::string pow2_literal(int bit, int w) {
  std::string hex(static_cast<std::size_t>((w + 3) / 4), '0');
  hex[hex.size() - 1 - static_cast<std::size_t>(bit / 4)] = "1248"[bit % 4];
  return "unsigned'(" + num(w) + "X\"" + hex + "\")";
}

std::string range(int hi, int lo) { return "(" + num(hi) + " downto " + num(lo) + ")"; }
std::string type(int w) { return "unsigned" + range(w - 1, 0); }

// Always a vector (an unsigned), also for one bit.
std::string slice(const Ref& r, int hi, int lo) { return r.name + range(r.base + hi, r.base + lo); }
std::string bit(const Ref& r, int i) { return r.name + "(" + num(r.base + i) + ")"; }

// The code of `r` sign- or zero-extended (or truncated) to exactly w bits.
std::string extend(const Ref& r, int w) {
  if (r.width == 0) return zeros(w);
  if (r.width >= w) return slice(r, w - 1, 0);
  const std::string body = slice(r, r.width - 1, 0);
  return r.is_signed ? "unsigned(resize(signed(" + body + "), " + num(w) + "))"
                     : "resize(" + body + ", " + num(w) + ")";
}

// The value of `r` on grid 2^-frac (frac >= r.frac) as exactly w bits (modulo 2^w);
// a concatenation is parenthesized: & binds like + and - in VHDL.
std::string aligned(const Ref& r, int frac, int w) {
  const int k = frac - r.frac;
  if (k < 0) throw InternalError("emitter: operand finer than its target grid");
  if (r.width == 0 || k >= w) return zeros(w);
  const std::string body = extend(r, w - k);
  return k == 0 ? body : "(" + body + " & " + zeros(k) + ")";
}

std::string joined(const std::vector<std::string>& parts) {
  std::string s;
  for (std::size_t k = 0; k < parts.size(); ++k) s += (k ? " & " : "") + parts[k];
  return s;
}

class Emitter : public emit::NodePrinter {
 public:
  explicit Emitter(const EmitPlan& plan) : p_(plan), g_(plan.graph()) {}

  void run() { emit::print_nodes(p_, *this); }
  // The architecture's declarations and statements; the datapath's variables and
  // statements, one combinational process.
  std::ostringstream decl, body, vars, comb;

  void declare(const std::string& name, int w) override { variable(name, w); }
  void variable(const std::string& name, int w) {
    vars << "    variable " << name << " : " << type(w) << ";\n";
  }
  void assign(const std::string& name, const std::string& value) {
    comb << "    " << name << " := " << value << ";\n";
  }
  // name := the value of the first condition that holds, else `otherwise`; an if
  // statement, not a conditional variable assignment (GHDL 2.0 fails to elaborate
  // one in a process (all)).
  using Choices = std::vector<std::pair<std::string, std::string>>;  // condition, value
  void assign_if(const std::string& name, const Choices& choices, const std::string& otherwise) {
    for (std::size_t k = 0; k < choices.size(); ++k)
      comb << (k ? "    elsif " : "    if ") << choices[k].first << " then\n      " << name
           << " := " << choices[k].second << ";\n";
    comb << "    else\n      " << name << " := " << otherwise << ";\n    end if;\n";
  }
  // Taps of node `name` (w bits) delayed by 1 .. depth cycles, tap k at bits k*w,
  // fed by the signal name_d the datapath process drives.
  void delay_line(const std::string& name, int w, int depth) override {
    const std::string taps = name + "_t", d = name + "_d";
    decl << "  signal " << d << " : " << type(w) << ";\n"
         << "  signal " << taps << " : " << type(w * depth) << ";\n";
    const std::string shifted = depth == 1 ? d : taps + range(w * (depth - 1) - 1, 0) + " & " + d;
    body << "  " << name << "_delay : process (clk)\n  begin\n    if rising_edge(clk) then\n"
         << "      " << taps << " <= " << shifted << ";\n    end if;\n  end process;\n";
    comb << "    " << d << " <= " << name << ";\n";
  }

 private:
  int stage_of(const Node& n) const { return p_.stage_of(n); }
  Ref ref(const Operand& o, int stage) const { return p_.ref(o, stage); }

  void constant(const std::string& name, i128 code, int w) override {
    assign(name, literal(code, w));
  }
  void input(const std::string& name, int offset, int w) override {
    assign(name, "unsigned(x" + range(offset + w - 1, offset) + ")");
  }
  void neg(const Node& n, const std::string& name, int w) override {
    assign(name, zeros(w) + " - " + aligned(ref(n.a(), stage_of(n)), n.type.frac_bits, w));
  }
  void relu(const Node& n, const std::string& name, int w) override {
    const Ref a = ref(n.a(), stage_of(n));
    if (a.is_signed)
      assign_if(name, {{bit(a, a.width - 1) + " = '1'", zeros(w)}},
                extend({a.name, a.base, a.width - 1, false, a.frac}, w));
    else
      assign(name, extend(a, w));
  }

  void add(const Node& n, const std::string& name, int w) override {
    const int frac = n.type.frac_bits;
    const Ref a = ref(n.a(), stage_of(n)), b = ref(n.b(), stage_of(n));
    const std::string op = n.sub ? " - " : " + ";
    // The k low bits of the sum are the unshifted operand's (see verilog.cpp).
    const int k = passed_through_bits(g_, n);
    if (k > 0) {
      const bool a_low = frac == a.frac;
      const Ref& p = a_low ? a : b;
      const Ref& q = a_low ? b : a;
      if (k >= w) {
        assign(name, aligned(p, frac, w));
        return;
      }
      variable(name + "_p", w);
      assign(name + "_p", aligned(p, frac, w));
      assign(name, "(" + name + "_p" + range(w - 1, k) + (a_low ? op : " + ") +
                       aligned(q, frac - k, w - k) + ") & " + name + "_p" + range(k - 1, 0));
      return;
    }
    assign(name, aligned(a, frac, w) + op + aligned(b, frac, w));
  }

  // A fused pair as the plain sum of its three terms over the same bits the
  // Verilog's dagen_add3 chain covers; the bits above the demanded top are zero.
  void ternary(int id, const Node& n, const std::string& name, int w) override {
    const auto terms = ternary_terms(g_, id, n.ternary_inner);
    const TernaryChain chain = ternary_chain(g_, id, n.ternary_inner, p_.demanded(id).top);
    const int frac = n.type.frac_bits;
    for (std::size_t k = 0; k < terms.size(); ++k) {
      const std::string t = name + "_t" + std::to_string(k);
      variable(t, w);
      assign(t, aligned(ref(terms[k].operand, stage_of(n)), frac, w));
    }
    std::vector<std::string> parts;  // most significant first
    if (chain.top < w) parts.push_back(zeros(w - chain.top));
    if (const int cw = chain.luts(); cw > 0) {
      std::string sum;
      for (std::size_t k = 0; k < terms.size(); ++k)
        sum += std::string(k == 0             ? ""
                           : terms[k].negated ? " - "
                                              : " + ") +
               name + "_t" + std::to_string(k) + range(chain.top - 1, chain.low);
      variable(name + "_s", cw);
      assign(name + "_s", sum);
      parts.push_back(name + "_s");
    }
    if (chain.low > 0)
      parts.push_back(name + "_t" + std::to_string(chain.lowest_term) + range(chain.low - 1, 0));
    assign(name, joined(parts));
  }

  // a >= b as in verilog.cpp: both on b's grid, one bit above the wider, signed.
  void compare(const Node& n, const std::string& name) override {
    const auto [c, kept, b] = emit::compare_plan(p_, n);
    variable(name + "_a", c.width);
    variable(name + "_b", c.width);
    assign(name + "_a", aligned(kept, c.frac, c.width));
    assign(name + "_b", aligned(b, c.frac, c.width));
    assign_if(name, {{"signed(" + name + "_a) >= signed(" + name + "_b)", "\"1\""}}, "\"0\"");
  }

  void mux(const Node& n, const std::string& name, int w) override {
    const Node& sel = g_.at(n.operand(0).node);
    const int frac = n.type.frac_bits;
    const Ref a = ref(n.operand(1), stage_of(n)), b = ref(n.operand(2), stage_of(n));
    if (sel.lo == sel.hi) {
      assign(name, aligned(sel.lo != 0 ? a : b, frac, w));
      return;
    }
    const Ref s = ref(n.operand(0), stage_of(n));
    assign_if(name, {{bit(s, 0) + " = '1'", aligned(a, frac, w)}}, aligned(b, frac, w));
  }

  // A pure function of the operand's code: a case statement synthesis maps to LUTs.
  void lookup(const Node& n, const std::string& name, int w) override {
    const Ref a = ref(n.a(), stage_of(n));
    const emit::LookupCases c = emit::lookup_cases(g_, n);
    const std::string f = name + "_f";
    decl << "  function " << f << "(code : " << type(a.width) << ") return unsigned is\n"
         << "  begin\n    case code is\n";
    for (const auto& [code, value] : c.cases)
      decl << "      when " << bits(code, a.width) << " => return " << literal(value, w) << ";\n";
    decl << "      when others => return " << literal(c.fallback, w) << ";\n"
         << "    end case;\n  end function;\n";
    assign(name, f + "(" + slice(a, a.width - 1, 0) + ")");
  }

  void quantize(const Node& n, const std::string& name, int w) override {
    const Ref a = ref(n.a(), stage_of(n));
    emit::QuantizePlan q = emit::quantize_plan(g_, n, a);
    Ref& r = q.r;
    r.name = name + "_r";
    if (r.width > 0) {
      variable(r.name, r.width);
      if (q.drop == 0) {
        assign(r.name, aligned(a, r.frac, r.width));
      } else {
        variable(name + "_x", q.wx);
        assign(name + "_x",
               aligned(a, a.frac, q.wx) + (q.round ? " + " + pow2_literal(q.drop - 1, q.wx) : ""));
        assign(r.name, name + "_x" + range(q.wx - 1, q.drop));
      }
    }
    if (!q.need_hi && !q.need_lo) {
      assign(name, extend(r, w));
      return;
    }
    variable(name + "_c", q.wc);
    assign(name + "_c", extend(r, q.wc));
    const std::string cmp = "signed(" + name + "_c)";
    Choices limits;
    if (q.need_hi)
      limits.emplace_back(cmp + " > signed(" + literal(q.hi, q.wc) + ")", literal(q.hi, w));
    if (q.need_lo)
      limits.emplace_back(cmp + " < signed(" + literal(q.low, q.wc) + ")", literal(q.low, w));
    assign_if(name, limits, name + "_c" + range(w - 1, 0));
  }

  const EmitPlan& p_;
  const AdderGraph& g_;
};

// `header` (// comment lines) as -- comment lines.
std::string vhdl_comments(const std::string& header) {
  std::istringstream in(header);
  std::string out;
  for (std::string line; std::getline(in, line);)
    out += "--" + (line.starts_with("//") ? line.substr(2) : " " + line) + "\n";
  return out;
}

}  // namespace

std::string vhdl_identifier(const std::string& name) {
  // IEEE 1076-2008 reserved words (15.10, PSL's included), the library units and
  // names every design and the testbench make visible, and our own names.
  static const std::string kReserved =
      " "
      "abs access after alias all and architecture array assert assume assume_guarantee "
      "attribute begin block body buffer bus case component configuration constant context "
      "cover default disconnect downto else elsif end entity exit fairness file for force "
      "function generate generic group guarded if impure in inertial inout is label library "
      "linkage literal loop map mod nand new next nor not null of on open or others out package "
      "parameter port postponed procedure process property protected pure range record register "
      "reject release rem report restrict restrict_guarantee return rol ror select sequence "
      "severity shared signal sla sll sra srl strong subtype then to transport type unaffected "
      "units until use variable vmode vprop vunit wait when while with xnor xor "
      "ieee std work std_logic_1164 numeric_std textio env standard std_logic std_ulogic "
      "std_logic_vector std_ulogic_vector unsigned signed resize to_unsigned to_integer "
      "rising_edge natural integer boolean bit bit_vector string character line text "
      "rtl clk x y x_valid y_valid x_valid_t x_valid_delay dagen_tb dagen_dut ";
  return emit::hdl_identifier(name, kReserved, emit::IdentifierRules::Vhdl);
}

EmittedDesign emit_vhdl(const AdderGraph& g, const Schedule& s, const std::string& top,
                        const std::string& header, bool with_valid) {
  const EmitPlan plan(g, s);
  const emit::PortLayout ports = emit::port_layout(g);
  EmittedDesign design{{}, ports.inputs, ports.outputs};
  Emitter e(plan);
  e.run();
  std::vector<std::string> parts;  // y, most significant element first
  for (std::size_t k = g.outputs.size(); k-- > 0;) {
    if (design.outputs[k].width == 0) continue;
    const Ref r = plan.ref(g.outputs[k], s.latency);
    parts.push_back(slice(r, r.width - 1, 0));
  }
  e.comb << "    y <= "
         << (parts.empty() ? "\"0\"" : "std_logic_vector(unsigned'(" + joined(parts) + "))")
         << ";\n";
  // The valid flag travels with the data, its registers starting at 0 so that
  // y_valid is low until the first input arrives.
  if (with_valid && s.latency > 0) {
    e.decl << "  signal x_valid_t : std_logic_vector" << range(s.latency - 1, 0)
           << " := (others => '0');\n";
    e.body << "  x_valid_delay : process (clk)\n  begin\n    if rising_edge(clk) then\n"
           << "      x_valid_t <= "
           << (s.latency == 1 ? "" : "x_valid_t" + range(s.latency - 2, 0) + " & ")
           << "x_valid;\n    end if;\n  end process;\n"
           << "  y_valid <= x_valid_t(" << s.latency - 1 << ");\n";
  } else if (with_valid) {
    e.body << "  y_valid <= x_valid;\n";
  }
  std::ostringstream v;
  v << vhdl_comments(header)
    << "-- Ports: x packs the inputs and y the outputs, element 0 at the least\n"
       "-- significant bits; offsets, widths and formats are in the JSON report.\n"
       "library ieee;\nuse ieee.std_logic_1164.all;\nuse ieee.numeric_std.all;\n\n"
    << "entity " << top << " is\n  port (\n";
  if (s.latency > 0) v << "    clk : in std_logic;\n";
  if (with_valid) v << "    x_valid : in std_logic;\n";
  v << "    x : in std_logic_vector" << range(std::max(ports.x_width, 1) - 1, 0) << ";\n";
  if (with_valid) v << "    y_valid : out std_logic;\n";
  v << "    y : out std_logic_vector" << range(std::max(ports.y_width, 1) - 1, 0) << "\n  );\n"
    << "end entity " << top << ";\n\narchitecture rtl of " << top << " is\n"
    << e.decl.str() << "begin\n"
    << e.body.str() << "  datapath : process (all)\n"
    << e.vars.str() << "  begin\n"
    << e.comb.str() << "  end process;\nend architecture rtl;\n";
  design.files[top + ".vhd"] = v.str();
  return design;
}

}  // namespace dagen
