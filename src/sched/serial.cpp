// plan_serial: the digit size, and the cycle in which every digit stream and word
// of a digit-serial design (include/dagen/serial.hpp) is valid.  Every node is
// placed as early as its operands allow; a reader later than that gets a tap of
// a delay line.
#include "dagen/serial.hpp"

#include <algorithm>
#include <set>
#include <utility>

#include "dagen/diag.hpp"

namespace dagen {

bool is_serial_kind(NodeKind kind) { return kind == NodeKind::Add || kind == NodeKind::Neg; }

namespace serial {

int divisor_at_least(int k, int m) {
  for (int d = std::max(m, 1); d < k; ++d)
    if (k % d == 0) return d;
  return k;
}

int ceil_div(int a, int b) { return (a + b - 1) / b; }

bool is_literal(const Node& n) { return is_constant_value(n); }

OperandDigits operand_digits(const AdderGraph& g, const Node& n, const Operand& o, int digit) {
  const int off = operand_offset(g, n, o);
  return {off / digit, off % digit};
}

int compute_time(const SerialPlan& p, int id) {
  return p.nodes[static_cast<std::size_t>(id)].stream_time - 1;
}

int stream_tap(const SerialPlan& p, const AdderGraph& g, int reader, const Operand& o) {
  const Node& n = g.at(reader);
  const OperandDigits od = operand_digits(g, n, o, p.digit);
  return compute_time(p, reader) + od.whole - p.nodes[static_cast<std::size_t>(o.node)].stream_time;
}

int pattern_digits(i128 code, int offset, int digit, int frame, bool negative) {
  // Digits 0 .. frame-1 of code * 2^offset modulo 2^(frame * digit): the last one
  // that differs from the sign fill, plus one.
  const int bits = frame * digit;
  int last = -1;
  for (int b = 0; b < bits; ++b) {
    const int src = b - offset;
    bool bit = false;
    if (src >= 0) bit = src >= 126 ? negative : ((code >> src) & 1) != 0;
    if (bit != negative) last = b;
  }
  return last < 0 ? 0 : last / digit + 1;
}

}  // namespace serial

using namespace serial;

namespace {

// The least divisor of k that is at least m (k itself at worst).

// Which nodes need a stream (serial readers) and a word (word readers, outputs).
void mark_representations(const AdderGraph& g, SerialPlan& p, std::vector<char>& word_reader) {
  for (std::size_t id = 0; id < g.nodes.size(); ++id) {
    const Node& v = g.nodes[id];
    if (is_literal(v)) continue;
    SerialNode& s = p.nodes[id];
    s.serial = is_serial_kind(v.kind);
    if (s.serial)
      s.has_stream = true;
    else
      s.has_word = true;
    for_each_operand(v, [&](const Operand& o) {
      if (is_literal(g.at(o.node))) return;
      SerialNode& u = p.nodes[static_cast<std::size_t>(o.node)];
      if (s.serial) {
        u.has_stream = true;
      } else {
        u.has_word = true;
        word_reader[static_cast<std::size_t>(o.node)] = 1;
      }
    });
  }
  for (const Operand& o : g.outputs)
    if (!is_literal(g.at(o.node))) p.nodes[static_cast<std::size_t>(o.node)].has_word = true;
}

// The slowest path of a serial adder: route, its LUT, and unless it is one LUT6_2
// (a one-bit digit on Xilinx: dagen_sadd) a carry chain of d bits and the carry out.
double serial_adder_ns(const Target& target, int d) {
  const DelayModel& m = target.delays();
  const bool single_lut = d == 1 && target.has_ternary_adders();
  return m.route_ns + m.lut_ns + (single_lut ? 0.0 : m.carry_ns + m.carry_per_bit_ns * (d + 1));
}

// The cycles: each node as early as its operands allow.  A chain of word-level
// nodes gets a register after the node where it grows longer than a serial adder
// (the design's clock is then the adders'); `path` gets the combinational delay
// ending at each word-level node.
void place_times(const AdderGraph& g, SerialPlan& p, const Target& target,
                 std::vector<double>& path) {
  const DelayModel& m = target.delays();
  const double budget = std::max(serial_adder_ns(target, p.digit), m.route_ns + m.lut_ns);
  std::vector<double> arrival(g.nodes.size(), 0.0);  // at a word node's unregistered output
  for (std::size_t id = 0; id < g.nodes.size(); ++id) {
    const Node& v = g.nodes[id];
    SerialNode& s = p.nodes[id];
    if (is_literal(v) || (!s.has_stream && !s.has_word)) continue;
    if (v.kind == NodeKind::Input) {
      s.word_time = 0;  // x in the x_valid cycle
      s.stream_time = 1;
      continue;
    }
    if (s.serial) {
      int c = 1;  // the carry is reset in cycle c - 1 >= 0
      for_each_operand(v, [&](const Operand& o) {
        if (is_literal(g.at(o.node))) return;
        const OperandDigits od = operand_digits(g, v, o, p.digit);
        if (od.whole >= p.frame) return;  // shifted out of the frame: reads nothing
        c = std::max(c, p.nodes[static_cast<std::size_t>(o.node)].stream_time - od.whole);
      });
      s.stream_time = c + 1;
      s.word_digits = ceil_div(v.type.width(), p.digit);
      s.word_time = s.stream_time + s.word_digits;
      continue;
    }
    int t = 0;
    for_each_operand(v, [&](const Operand& o) {
      if (is_literal(g.at(o.node))) return;
      t = std::max(t, p.nodes[static_cast<std::size_t>(o.node)].word_time);
    });
    // Operands from registers (serial-to-parallel, delay taps, registered words, x)
    // start at 0; a word node of the same cycle adds its own path.
    double in = 0;
    for_each_operand(v, [&](const Operand& o) {
      const Node& u = g.at(o.node);
      const SerialNode& su = p.nodes[static_cast<std::size_t>(o.node)];
      if (!is_literal(u) && !su.serial && u.kind != NodeKind::Input && !su.registered &&
          su.word_time == t)
        in = std::max(in, arrival[static_cast<std::size_t>(o.node)]);
    });
    const double a = in + target.node_delay(g, v);
    const double load = s.has_stream ? m.route_ns + m.lut_ns : 0.0;  // parallel-to-serial
    s.registered = a + load > budget;
    path[id] = s.registered ? a : a + load;
    arrival[id] = s.registered ? 0.0 : a;
    s.word_time = t + (s.registered ? 1 : 0);
    s.stream_time = s.word_time + 1;  // loaded into its parallel-to-serial register then
  }
}

// The delay-line depths, the latency and the control taps.
void place_delays(const AdderGraph& g, SerialPlan& p, const std::vector<char>& word_reader) {
  int latency = 0;
  for (const Operand& o : g.outputs)
    if (!is_literal(g.at(o.node)))
      latency = std::max(latency, p.nodes[static_cast<std::size_t>(o.node)].word_time);
  p.latency = latency;
  int control = latency;
  // A serial node read only by outputs fills its serial-to-parallel register at the
  // latency: its stream is delayed (digit bits per cycle) rather than its word.
  for (std::size_t id = 0; id < g.nodes.size(); ++id) {
    SerialNode& s = p.nodes[id];
    if (!s.serial || !s.has_word || word_reader[id]) continue;
    s.gather_delay = latency - s.word_time;
    s.word_time = latency;
    s.stream_depth = std::max(s.stream_depth, s.gather_delay);
  }
  for (std::size_t id = 0; id < g.nodes.size(); ++id) {
    const Node& v = g.nodes[id];
    const SerialNode& s = p.nodes[id];
    if (is_literal(v) || (!s.has_stream && !s.has_word)) continue;
    if (s.serial) {
      const int c = compute_time(p, static_cast<int>(id));
      control = std::max(control, c);
      for_each_operand(v, [&](const Operand& o) {
        if (is_literal(g.at(o.node))) return;
        const OperandDigits od = operand_digits(g, v, o, p.digit);
        if (od.whole >= p.frame) return;
        SerialNode& u = p.nodes[static_cast<std::size_t>(o.node)];
        const int tap = stream_tap(p, g, static_cast<int>(id), o) + (od.part > 0 ? 1 : 0);
        u.stream_depth = std::max(u.stream_depth, tap);
        control = std::max(control, c + od.whole);
      });
    } else {
      for_each_operand(v, [&](const Operand& o) {
        if (is_literal(g.at(o.node))) return;
        SerialNode& u = p.nodes[static_cast<std::size_t>(o.node)];
        const int read = s.word_time - (s.registered ? 1 : 0);
        u.word_depth = std::max(u.word_depth, read - u.word_time);
      });
    }
    if (!s.serial && s.has_stream) control = std::max(control, s.word_time);
  }
  for (const Operand& o : g.outputs) {
    if (is_literal(g.at(o.node))) continue;
    SerialNode& u = p.nodes[static_cast<std::size_t>(o.node)];
    u.word_depth = std::max(u.word_depth, latency - u.word_time);
  }
  p.control_depth = control;
}

// Register bits, LUTs and the clock period the design is estimated to take.
void estimate(const AdderGraph& g, SerialPlan& p, const Target& target,
              const std::vector<double>& path) {
  const DelayModel& m = target.delays();
  const int d = p.digit;
  int ffs = p.control_depth, luts = 0;
  std::set<std::pair<int, int>> windows;
  double worst = m.route_ns + m.lut_ns;  // a parallel-to-serial load
  for (std::size_t id = 0; id < g.nodes.size(); ++id) {
    const Node& v = g.nodes[id];
    const SerialNode& s = p.nodes[id];
    if (is_literal(v) || (!s.has_stream && !s.has_word)) continue;
    const int w = v.type.width();
    ffs += s.stream_depth * d + s.word_depth * w;
    if (s.serial) {
      ++p.serial_adders;
      ffs += d + 1 + (s.has_word ? s.word_digits * d : 0);  // digit, carry, serial-to-parallel
      luts += d;
      worst = std::max(worst, serial_adder_ns(target, d));
      const int c = compute_time(p, static_cast<int>(id));
      for_each_operand(v, [&](const Operand& o) {
        const OperandDigits od = operand_digits(g, v, o, d);
        if (is_literal(g.at(o.node))) {
          const Node& k = g.at(o.node);
          ffs += d * pattern_digits(k.lo, operand_offset(g, v, o), d, p.frame, k.lo < 0);
          return;
        }
        if (od.whole > 0) windows.insert({c, od.whole});
        if (od.part > 0) windows.insert({c, od.whole + 1});
      });
      continue;
    }
    if (s.has_stream) {  // parallel-to-serial: a load mux per bit
      const int wp = std::max(w, d);
      ffs += wp;
      luts += wp;
    }
    if (v.kind == NodeKind::Input) continue;
    worst = std::max(worst, path[id]);
    if (s.registered) ffs += w;
    luts += std::max(1, w);
    p.word_luts += std::max(1, w);
  }
  ffs += static_cast<int>(windows.size());
  luts += static_cast<int>(windows.size());
  p.flip_flops = ffs;
  p.luts = luts;
  p.period_ns = worst + m.register_ns;
}

}  // namespace

SerialPlan plan_serial(const AdderGraph& g, int k, const Target& target) {
  if (k < 2) throw InternalError("plan_serial: a serial design needs K >= 2");
  SerialPlan p;
  p.nodes.resize(g.nodes.size());
  std::vector<char> word_reader(g.nodes.size(), 0);
  mark_representations(g, p, word_reader);
  int widest = 1;
  for (std::size_t id = 0; id < g.nodes.size(); ++id)
    if (p.nodes[id].has_stream) widest = std::max(widest, g.nodes[id].type.width());
  p.digit = ceil_div(widest, k);
  p.frame = ceil_div(widest, p.digit);
  p.ii = divisor_at_least(k, p.frame);
  std::vector<double> path(g.nodes.size(), 0.0);
  place_times(g, p, target, path);
  place_delays(g, p, word_reader);
  estimate(g, p, target, path);
  return p;
}

}  // namespace dagen
