// Random small graphs of every node kind (inputs of random formats, adders,
// negations, ReLUs, quantizers, Ge, max, min, muxes, lookups on shifted
// operands) and the negative control's graph, for the simulation property tests
// of the Verilog (node_kinds_sim_test.cpp) and VHDL (vhdl_kinds_sim_test.cpp) emitters.
#pragma once

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "dagen/diag.hpp"
#include "dagen/schedule.hpp"
#include "dagen/target.hpp"
#include "kinds_graph.hpp"

namespace dagen::test {

// Random graphs of every kind, small enough to simulate by the thousand vectors.
class RandomKinds {
 public:
  explicit RandomKinds(std::uint64_t seed) : rng_(seed) {}

  // A random pipeline of g: 1 to 3 cycles, either delay model, ternary adders on
  // xcup, the exact or the heuristic register placement.
  struct Pipeline {
    int latency = 0;
    const Target* target = nullptr;
    Schedule schedule;
  };
  Pipeline pipeline(const AdderGraph& g) {
    const int latency = 1 + pick(3);
    const bool xcup = chance(60);
    const bool ternary = xcup && chance(40);
    const std::size_t work = chance(25) ? 0 : kExactPlacementWork;
    const Target& target = find_target(xcup ? "xcup" : "ice40");
    return {latency, &target,
            schedule_pipeline(g, latency, target, 0.0, std::nullopt, ternary, work)};
  }

  AdderGraph graph() {
    GraphMaker m;
    selects_.clear();
    const int inputs = 1 + pick(4);
    for (int i = 0; i < inputs; ++i) m.input(random_type(8));
    if (chance(40)) selects_.push_back(m.input({false, 1, 0}));
    if (chance(50)) m.constant(static_cast<i128>(pick(41)) - 20, pick(6) - 2);
    const int steps = 8 + pick(12);
    for (int s = 0; s < steps; ++s) {
      const std::size_t before = m.g.nodes.size();
      try {
        step(m);
      } catch (const ToolError&) {  // operands too far apart in scale, a width limit
      }
      // Keep every value narrow enough to read in a waveform.
      while (m.g.nodes.size() > before && m.g.nodes.back().type.width() > 40) {
        if (m.g.nodes.back().kind == NodeKind::Lookup) m.g.tables.pop_back();
        m.g.nodes.pop_back();
      }
      selects_.erase(
          std::remove_if(selects_.begin(), selects_.end(),
                         [&](int id) { return id >= static_cast<int>(m.g.nodes.size()); }),
          selects_.end());
    }
    for (std::size_t id = 0; id < m.g.nodes.size(); ++id) {
      const NodeKind k = m.g.nodes[id].kind;
      const bool new_kind = k == NodeKind::Ge || k == NodeKind::Mux || k == NodeKind::Lookup;
      if (new_kind || chance(15))
        m.g.outputs.push_back({static_cast<int>(id), chance(20) ? pick(5) - 2 : 0});
    }
    if (m.g.outputs.empty()) m.g.outputs.push_back({static_cast<int>(m.g.nodes.size()) - 1, 0});
    return m.g;
  }

  int pick(int n) { return static_cast<int>(rng_() % static_cast<std::uint64_t>(n)); }
  bool chance(int percent) { return pick(100) < percent; }

 private:
  FixedType random_type(int max_width) {
    FixedType t;
    t.is_signed = chance(50);
    const int w = 1 + pick(max_width);
    t.frac_bits = pick(8) - 2;
    t.int_bits = w - (t.is_signed ? 1 : 0) - t.frac_bits;
    return t;
  }

  Operand operand(const GraphMaker& m) {
    // Half of them among the latest nodes: deeper graphs, fewer dead ends.
    const int count = static_cast<int>(m.g.nodes.size());
    const int id = chance(50) ? count - 1 - pick(std::min(count, 4)) : pick(count);
    return {id, chance(20) ? pick(11) - 5 : pick(5) - 2};
  }

  int constant(GraphMaker& m) { return m.constant(static_cast<i128>(pick(9)) - 4, pick(4) - 1); }

  void step(GraphMaker& m) {
    switch (pick(13)) {
      case 0:
        m.add(operand(m), operand(m), chance(50));
        return;
      case 1: {  // a chain of two adders, which --ternary may fuse
        const int inner = m.add(operand(m), operand(m), chance(50));
        m.add({inner, pick(3) - 1}, operand(m), chance(50));
        return;
      }
      case 2:
        m.node(chance(50) ? NodeKind::Neg : NodeKind::Relu, {operand(m)});
        return;
      case 3:
        m.quantize(operand(m), random_type(6), chance(50) ? Rounding::RND : Rounding::TRN,
                   static_cast<Overflow>(pick(3)));
        return;
      case 4:
        selects_.push_back(m.ge(operand(m), operand(m)));
        return;
      case 5:
      case 6: {
        const Operand a = operand(m), b = operand(m);
        const int mux = pick(2) ? m.max(a, b) : m.min(a, b);
        selects_.push_back(m.at(mux).operand(0).node);
        return;
      }
      case 7:
        if (!selects_.empty())
          m.mux({selects_[static_cast<std::size_t>(pick(static_cast<int>(selects_.size())))], 0},
                operand(m), operand(m));
        return;
      case 8: {  // argmax of two: one comparison, the value's mux and the index's
        const Operand a = operand(m), b = operand(m);
        const int ge = m.ge(b, a);
        m.mux({ge, 0}, b, a);
        m.mux({ge, 0}, {constant(m), 0}, {constant(m), 0});
        return;
      }
      case 9:
        if (!selects_.empty())
          m.mux({selects_[static_cast<std::size_t>(pick(static_cast<int>(selects_.size())))], 0},
                {constant(m), pick(3) - 1}, operand(m));
        return;
      default:
        lookup(m);
        return;
    }
  }

  // A table over x's codes and up to two more on either side: random entries, mostly
  // one value, or (rarely) one value for every code x reaches.
  void lookup(GraphMaker& m) {
    for (int attempt = 0; attempt < 5; ++attempt) {
      const Operand x = operand(m);
      const Node& n = m.at(x.node);
      if (n.hi - n.lo >= 256) continue;
      const int pad_lo = pick(3), pad_hi = pick(3);
      LookupTable t;
      t.in_lo = n.lo - pad_lo;
      t.out_frac = pick(7) - 2;
      const auto size = static_cast<std::size_t>(n.hi - n.lo + 1 + pad_lo + pad_hi);
      const int bits = 1 + pick(10);
      const bool is_signed = chance(50);
      const int style = pick(10);
      auto random_value = [&] {
        const i128 span = static_cast<i128>(1) << bits;
        const i128 v = static_cast<i128>(rng_() % static_cast<std::uint64_t>(span));
        return is_signed ? v - span / 2 : v;
      };
      const i128 common = random_value();
      for (std::size_t k = 0; k < size; ++k) {
        const bool reached =
            k >= static_cast<std::size_t>(pad_lo) && k < size - static_cast<std::size_t>(pad_hi);
        if (style < 6)
          t.values.push_back(random_value());
        else if (style < 9)
          t.values.push_back(chance(25) ? random_value() : common);
        else
          t.values.push_back(reached ? common : random_value());
      }
      m.lookup(x, std::move(t));
      return;
    }
  }

  std::mt19937_64 rng_;
  std::vector<int> selects_;  // comparisons and one-bit inputs
};

// The negative control's graph: max and min of two operands on different grids
// (one comparison each) and a lookup whose entries are all reached.
inline AdderGraph control_graph() {
  GraphMaker m;
  const int a = m.input({true, 3, 1}), b = m.input({false, 2, 0});
  const int mx = m.max({a, 0}, {b, 0});
  const int y = m.lookup({b, 0}, {0, 1, {5, -2, 5, 3}});
  const int mn = m.min({a, 0}, {b, 1});
  m.g.outputs = {{mx, 0}, {y, 0}, {mn, 0}};
  return m.g;
}

}  // namespace dagen::test
