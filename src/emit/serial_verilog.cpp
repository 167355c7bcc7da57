// Emits a digit-serial design (include/dagen/serial.hpp) as Verilog-2001.
//
// Signals: s<id> a node's digit stream (d bits; an adder's output register or a
// parallel-to-serial register's low digit), s<id>_t its delay line; n<id> a
// node's word (x's bits, a word-level node, or a serial-to-parallel register),
// n<id>_t its delay line; ctl_t x_valid delayed by 1, 2, ... cycles, from which
// every carry reset, register load and digit mask is taken; w<c>_<k> a
// registered mask that is high in the first k digit cycles of a frame starting
// in cycle c.  Declarations come first, then the word-level nodes (printed by
// VerilogNodes, so they compute exactly what the pipelined designs do), then
// the serial logic.
#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <utility>
#include <vector>

#include "dagen/diag.hpp"
#include "dagen/serial.hpp"
#include "dagen/verilog.hpp"
#include "emit_plan.hpp"
#include "verilog_nodes.hpp"

namespace dagen {

using emit::Ref;
using namespace serial;

namespace {

std::string num(int v) { return std::to_string(v); }

// Bits [lo, lo + w) of code * 2^offset (sign fill above the code) as w'b....
std::string pattern_literal(i128 code, int offset, int lo, int w) {
  std::string bits;
  for (int b = lo + w - 1; b >= lo; --b) {
    const int src = b - offset;
    bool bit = false;
    if (src >= 0) bit = src >= 126 ? code < 0 : ((code >> src) & 1) != 0;
    bits.push_back(bit ? '1' : '0');
  }
  return num(w) + "'b" + bits;
}

class SerialEmitter {
 public:
  SerialEmitter(const AdderGraph& g, const SerialPlan& p, std::vector<PortElement> inputs,
                bool primitives)
      : g_(g),
        p_(p),
        d_(p.digit),
        primitives_(primitives),
        inputs_(std::move(inputs)),
        words_(g, [this](const Node& n, const Operand& o) {
          const SerialNode& s = node_at(n);  // read in the cycle the node is computed
          return word_ref(o, s.word_time - (s.registered ? 1 : 0));
        }) {}

  std::string body() {
    for (std::size_t id = 0; id < g_.nodes.size(); ++id) node(static_cast<int>(id));
    std::ostringstream out;
    if (p_.control_depth > 0)
      out << "  wire [" << p_.control_depth - 1 << ":0] ctl_t;\n"
          << "  dagen_delay #(.WIDTH(1), .DEPTH(" << p_.control_depth
          << "), .ZERO_AT_START(1)) ctl_delay (.clk(clk), .d(x_valid), .taps(ctl_t));\n";
    for (const auto& [key, name] : windows_) {
      const auto [c, k] = key;
      out << "  reg " << name << ";\n  always @(posedge clk) " << name << " <= ";
      // High in cycles c .. c+k-1 after a start: registered from the taps one earlier.
      if (k == 1)
        out << control(c - 1) << ";\n";
      else
        out << "|{" << [&] {
          std::string list;
          for (int t = c - 1; t <= c + k - 2; ++t) list += (list.empty() ? "" : ", ") + control(t);
          return list;
        }() << "};\n";
    }
    out << decl_.str() << words_.text() << logic_.str();
    return out.str();
  }

  // y: the outputs' words in the latency cycle; y_valid: x_valid delayed as long.
  std::string outputs(const std::vector<PortElement>& elements) const {
    std::vector<std::string> parts;
    for (std::size_t k = g_.outputs.size(); k-- > 0;) {
      if (elements[k].width == 0) continue;
      const Ref r = word_ref(g_.outputs[k], p_.latency);
      parts.push_back(emit::slice(r, r.width - 1, 0));
    }
    std::string y = "1'b0";
    if (!parts.empty()) {
      y = "{";
      for (std::size_t k = 0; k < parts.size(); ++k) y += (k ? ", " : "") + parts[k];
      y += "}";
    }
    return "  assign y = " + y + ";\n  assign y_valid = " + control(p_.latency) + ";\n";
  }

 private:
  const SerialNode& node_at(const Node& n) const {
    return p_.nodes[static_cast<std::size_t>(&n - g_.nodes.data())];
  }
  const SerialNode& node_at(int id) const { return p_.nodes[static_cast<std::size_t>(id)]; }

  // x_valid delayed by t cycles.
  std::string control(int t) const {
    if (t < 0 || t > p_.control_depth)
      throw InternalError("serial emitter: control tap out of range");
    return t == 0 ? "x_valid" : "ctl_t[" + num(t - 1) + "]";
  }

  std::string window(int c, int k) {
    const auto key = std::make_pair(c, k);
    auto it = windows_.find(key);
    if (it == windows_.end()) it = windows_.emplace(key, "w" + num(c) + "_" + num(k)).first;
    return it->second;
  }

  // Operand o's word as a reader in cycle t sees it.
  Ref word_ref(const Operand& o, int t) const {
    const Node& u = g_.at(o.node);
    Ref r{"n" + num(o.node), 0, u.type.width(), u.type.is_signed, u.type.frac_bits - o.shift};
    if (is_literal(u)) return r;
    const int delay = t - node_at(o.node).word_time;
    if (delay < 0 || delay > node_at(o.node).word_depth)
      throw InternalError("serial emitter: a word read outside its delay line");
    if (delay > 0) {
      r.name += "_t";
      r.base = (delay - 1) * r.width;
    }
    return r;
  }

  // Node id's stream delayed by `delay` cycles.
  std::string stream(int id, int delay) const {
    if (delay < 0 || delay > node_at(id).stream_depth)
      throw InternalError("serial emitter: a digit read outside its delay line");
    const std::string s = "s" + num(id);
    if (delay == 0) return s;
    if (d_ == 1) return s + "_t[" + num(delay - 1) + "]";
    return s + "_t[" + num(delay * d_ - 1) + ":" + num((delay - 1) * d_) + "]";
  }

  void node(int id) {
    const Node& n = g_.at(id);
    const SerialNode& s = node_at(id);
    const int w = n.type.width();
    const std::string name = "n" + num(id);
    if (w == 0) return;
    if (is_literal(n)) {  // read as a word literal; streams make their own pattern
      words_.declare(name, w);
      words_.constant(name, n.lo, w);
      return;
    }
    if (!s.has_stream && !s.has_word) return;
    if (s.serial) {
      serial_node(id, n, s);
    } else {
      const int offset =
          n.kind == NodeKind::Input ? inputs_[static_cast<std::size_t>(n.input_index)].offset : 0;
      // A registered word: computed as <name>_w, held in <name> one cycle later.
      const std::string computed = s.registered ? name + "_w" : name;
      words_.declare(computed, w);
      emit::print_node(offset, id, n, computed, w, words_);
      if (s.registered) {
        decl_ << "  reg [" << w - 1 << ":0] " << name << ";\n";
        logic_ << "  always @(posedge clk) " << name << " <= " << computed << ";\n";
      }
      if (s.has_stream) scatter(id, n, s);
    }
    if (s.word_depth > 0) words_.delay_line(name, w, s.word_depth);
    if (s.stream_depth > 0) {
      decl_ << "  wire [" << s.stream_depth * d_ - 1 << ":0] s" << id << "_t;\n";
      logic_ << "  dagen_delay #(.WIDTH(" << d_ << "), .DEPTH(" << s.stream_depth << ")) s" << id
             << "_delay (.clk(clk), .d(s" << id << "), .taps(s" << id << "_t));\n";
    }
  }

  // A word loaded into a parallel-to-serial register in its cycle, shifted out a
  // digit per cycle with its sign (or zero) filling in from the top.
  void scatter(int id, const Node& n, const SerialNode& s) {
    const int w = n.type.width(), wp = std::max(w, d_);
    const std::string r = "p" + num(id);
    decl_ << "  reg [" << wp - 1 << ":0] " << r << ";\n"
          << "  wire [" << d_ - 1 << ":0] s" << id << " = " << r << "[" << d_ - 1 << ":0];\n";
    const std::string fill = n.type.is_signed ? r + "[" + num(wp - 1) + "]" : "1'b0";
    std::string shifted = "{" + num(d_) + "{" + fill + "}}";
    if (wp > d_) shifted = "{" + shifted + ", " + r + "[" + num(wp - 1) + ":" + num(d_) + "]}";
    const Ref word{"n" + num(id), 0, w, n.type.is_signed, n.type.frac_bits};
    logic_ << "  always @(posedge clk) " << r << " <= " << control(s.word_time) << " ? "
           << emit::extend(word, wp) << " : " << shifted << ";\n";
  }

  // One digit of operand k of serial node `id` computing in cycle c, aligned to the
  // node's digits, and which of its bits read as zero: the ones a shift moves in
  // from below the frame.
  struct Digit {
    std::string bits, zero;
  };
  Digit operand_digit(int id, const Node& n, std::size_t k, int c) {
    const Operand& o = n.operand(k);
    const Node& u = g_.at(o.node);
    const OperandDigits od = operand_digits(g_, n, o, d_);
    const std::string none = emit::zeros(d_);
    if (u.type.width() == 0 || od.whole >= p_.frame) return {none, none};
    if (is_literal(u)) return {constant_digit(id, n, k, c), none};
    const int tap = stream_tap(p_, g_, id, o);
    auto mask = [&](int digits, int bits) {
      const std::string w = digits == 0 ? "1'b0" : window(c, digits);
      return "{" + num(bits) + "{" + w + "}}";
    };
    const std::string cur = stream(o.node, tap);
    if (od.part == 0) return {cur, od.whole == 0 ? none : mask(od.whole, d_)};
    // The digit's high bits are the current digit's low ones, its low bits the
    // previous digit's high ones.
    const std::string base = "s" + num(id) + "_o" + num(static_cast<int>(k));
    decl_ << "  wire [" << d_ - 1 << ":0] " << base << "_c = " << cur << ";\n"
          << "  wire [" << d_ - 1 << ":0] " << base << "_p = " << stream(o.node, tap + 1) << ";\n";
    return {"{" + base + "_c[" + num(d_ - 1 - od.part) + ":0], " + base + "_p[" + num(d_ - 1) +
                ":" + num(d_ - od.part) + "]}",
            "{" + mask(od.whole, d_ - od.part) + ", " + mask(od.whole + 1, od.part) + "}"};
  }

  // A constant operand's digits: a register loaded with its pattern before digit 0
  // and shifted a digit per cycle, its sign filling in.
  std::string constant_digit(int id, const Node& n, std::size_t k, int c) {
    const Operand& o = n.operand(k);
    const Node& u = g_.at(o.node);
    const int off = operand_offset(g_, n, o);
    const bool negative = u.lo < 0;
    const int digits = pattern_digits(u.lo, off, d_, p_.frame, negative);
    const std::string fill =
        num(d_) + "'b" + std::string(static_cast<std::size_t>(d_), negative ? '1' : '0');
    if (digits == 0) return fill;
    const int bits = digits * d_;
    const std::string r = "s" + num(id) + "_k" + num(static_cast<int>(k));
    decl_ << "  reg [" << bits - 1 << ":0] " << r << ";\n";
    const std::string shifted =
        digits == 1 ? fill : "{" + fill + ", " + r + "[" + num(bits - 1) + ":" + num(d_) + "]}";
    logic_ << "  always @(posedge clk) " << r << " <= " << control(c - 1) << " ? "
           << pattern_literal(u.lo, off, 0, bits) << " : " << shifted << ";\n";
    return r + "[" + num(d_ - 1) + ":0]";
  }

  // A d-bit adder (dagen_sadd): digit 0 in cycle c with the carry reset (to 1 for
  // a - b and -a, which add the complement), its sum digit registered.
  void serial_node(int id, const Node& n, const SerialNode& s) {
    const int c = compute_time(p_, id);
    const std::string sn = "s" + num(id);
    const bool neg = n.kind == NodeKind::Neg;
    const bool sub = neg || n.sub;
    // -a is 0 - a: the operand goes in as b.
    const Digit zero{emit::zeros(d_), emit::zeros(d_)};
    const Digit a = neg ? zero : operand_digit(id, n, 0, c);
    const Digit b = operand_digit(id, n, neg ? 0 : 1, c);
    decl_ << "  reg [" << d_ - 1 << ":0] " << sn << ";\n  reg " << sn << "_c;\n"
          << "  wire [" << d_ - 1 << ":0] " << sn << "_sum;\n  wire " << sn << "_co;\n";
    logic_ << "  dagen_sadd #(.WIDTH(" << d_ << "), .SUB(" << (sub ? 1 : 0) << "), .XILINX("
           << (primitives_ ? 1 : 0) << ")) " << sn << "_add (.a(" << a.bits << "), .b(" << b.bits
           << "), .za(" << a.zero << "), .zb(" << b.zero << "), .ci(" << sn << "_c), .s(" << sn
           << "_sum), .co(" << sn << "_co));\n"
           << "  always @(posedge clk) begin\n    " << sn << " <= " << sn << "_sum;\n    " << sn
           << "_c <= " << control(c - 1) << " ? 1'b" << (sub ? 1 : 0) << " : " << sn
           << "_co;\n  end\n";
    if (!s.has_word) return;
    // Serial to parallel: the digits shift in from the top, so after word_digits of
    // them the register holds the frame's low bits.
    const int bits = s.word_digits * d_;
    const std::string r = "g" + num(id);
    decl_ << "  reg [" << bits - 1 << ":0] " << r << ";\n"
          << "  wire [" << n.type.width() - 1 << ":0] n" << id << " = " << r << "["
          << n.type.width() - 1 << ":0];\n";
    const std::string in = stream(id, s.gather_delay);
    logic_ << "  always @(posedge clk) " << r << " <= "
           << (s.word_digits == 1
                   ? in
                   : "{" + in + ", " + r + "[" + num(bits - 1) + ":" + num(d_) + "]}")
           << ";\n";
  }

  const AdderGraph& g_;
  const SerialPlan& p_;
  const int d_;
  const bool primitives_;  // dagen_sadd as LUT6_2 + CARRY8 in synthesis
  const std::vector<PortElement> inputs_;
  emit::VerilogNodes words_;
  std::ostringstream decl_, logic_;
  std::map<std::pair<int, int>, std::string> windows_;
};

}  // namespace

EmittedDesign emit_serial_verilog(const AdderGraph& g, const SerialPlan& p, const Target& target,
                                  const std::string& top, const std::string& header) {
  const emit::PortLayout ports = emit::port_layout(g);
  EmittedDesign design{{}, ports.inputs, ports.outputs};
  // The ternary adders' LUT6_2 + CARRY8 make the serial adders too.
  SerialEmitter emitter(g, p, ports.inputs, target.has_ternary_adders());
  const std::string body = emitter.body();
  std::ostringstream v;
  v << header << "// Digit-serial: " << p.digit << " bit(s) per digit, " << p.frame
    << " digits per value; a new x at most once every " << p.ii
    << " cycles.\n"
       "// Ports: x packs the inputs and y the outputs, element 0 at the least\n"
       "// significant bits; offsets, widths and formats are in the JSON report.\n"
       "// x is read only in the cycle x_valid is high; y holds that input's result\n"
       "// in the one cycle y_valid is high, latency_cycles later.\n"
       "/* verilator lint_off UNUSEDSIGNAL */\n"
    << "module " << top << " (\n    input wire clk,\n    input wire x_valid,\n    input wire ["
    << std::max(ports.x_width, 1) - 1 << ":0] x,\n    output wire y_valid,\n    output wire ["
    << std::max(ports.y_width, 1) - 1 << ":0] y\n);\n"
    << body << emitter.outputs(design.outputs)
    << "endmodule\n/* verilator lint_on UNUSEDSIGNAL */\n";
  design.files[top + ".v"] = v.str();
  design.files["dagen_delay.v"] = std::string(target.rtl_cell("dagen_delay"));
  if (p.serial_adders > 0)
    design.files["dagen_sadd.v"] = std::string(target.rtl_cell("dagen_sadd"));
  return design;
}

}  // namespace dagen
