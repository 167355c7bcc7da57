// The comparison (Ge), mux and lookup node kinds: their inferred types and
// intervals (the max/min rule, comparisons the intervals decide, lookups over the
// entries the index reaches), the interpreter on every input code, the checker's
// rules, demanded bits, LUT and delay estimates and the graph dumps.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>

#include "dagen/demanded_bits.hpp"
#include "dagen/diag.hpp"
#include "dagen/interpret.hpp"
#include "dagen/passes.hpp"
#include "dagen/report.hpp"
#include "dagen/schedule.hpp"
#include "dagen/target.hpp"
#include "dagen/verilog.hpp"
#include "kinds_graph.hpp"

namespace dagen {
namespace {

using test::GraphMaker;

double value_of(i128 code, int frac) { return std::ldexp(static_cast<double>(code), -frac); }

// Every combination of the inputs' codes: interpret() (which also checks every node
// against its interval) against `expected` for output 0, as a value.
void for_every_input(const AdderGraph& g,
                     const std::function<double(const std::vector<double>&)>& expected) {
  std::vector<i128> codes;
  for (const FixedType& t : g.input_types) codes.push_back(t.min_code());
  while (true) {
    std::vector<double> x;
    for (std::size_t i = 0; i < codes.size(); ++i)
      x.push_back(value_of(codes[i], g.input_types[i].frac_bits));
    const auto out = interpret(g, codes);
    ASSERT_EQ(value_of(out[0].code, out[0].frac), expected(x));
    std::size_t i = 0;
    for (; i < codes.size(); ++i) {
      if (codes[i] < g.input_types[i].max_code()) {
        ++codes[i];
        break;
      }
      codes[i] = g.input_types[i].min_code();
    }
    if (i == codes.size()) return;
  }
}

TEST(NodeKinds, Arity) {
  EXPECT_EQ(arity(NodeKind::Ge), 2);
  EXPECT_EQ(arity(NodeKind::Mux), 3);
  EXPECT_EQ(arity(NodeKind::Lookup), 1);
}

TEST(CompareExact, AnyTwoGrids) {
  EXPECT_EQ(compare_exact({3, 1}, {1, 0}), 1);  // 1.5 > 1
  EXPECT_EQ(compare_exact({2, 1}, {1, 0}), 0);  // 1 == 1
  EXPECT_EQ(compare_exact({1, 0}, {3, 1}), -1);
  // Grids 300 bits apart, where compare() would have to align a code that far.
  EXPECT_THROW(compare({1, -100}, {1, 200}), std::overflow_error);
  EXPECT_EQ(compare_exact({1, -100}, {1, 200}), 1);
  EXPECT_EQ(compare_exact({1, 200}, {1, -100}), -1);
  EXPECT_EQ(compare_exact({-1, 300}, {0, 0}), -1);
  EXPECT_EQ(compare_exact({-1, 300}, {-1, 0}), 1);  // -2^-300 > -1
  EXPECT_EQ(compare_exact({5, 130}, {0, 0}), 1);
  EXPECT_EQ(compare_exact({-5, 130}, {-1, 0}), 1);
  EXPECT_EQ(compare_exact({0, 130}, {0, -7}), 0);
  EXPECT_EQ(compare_exact({-6, 127}, {-1, 0}), 1);
  std::mt19937_64 rng(7);
  for (int k = 0; k < 20000; ++k) {
    const Fixed a{static_cast<i128>(rng() % 2001) - 1000, static_cast<int>(rng() % 17) - 8};
    const Fixed b{static_cast<i128>(rng() % 2001) - 1000, static_cast<int>(rng() % 17) - 8};
    ASSERT_EQ(compare_exact(a, b), compare(a, b));
    ASSERT_EQ(compare_exact(b, a), -compare(a, b));
  }
}

TEST(Ge, ComparesOnTheSecondOperandsGrid) {
  struct Case {
    FixedType a, b;
    int a_shift, a_offset, a_bits, width;
  };
  const Case cases[] = {
      {{true, 3, 4}, {false, 4, 1}, 0, -3, 5, 6},    // a finer: its 3 low bits dropped
      {{false, 3, 0}, {true, 2, 2}, 0, 2, 3, 6},     // a coarser: shifted up
      {{true, 1, 2}, {false, 5, -2}, 0, -3, 1, 4},   // a floored to its sign
      {{false, 0, 3}, {false, 4, -1}, 0, -3, 0, 4},  // a floored to zero
      {{true, 0, 0}, {false, 4, -2}, 0, 0, 1, 3},    // one sign bit, floored to itself
      {{false, 3, 0}, {false, 2, 0}, 2, 2, 3, 6},    // a shifted by its operand
  };
  for (const Case& c : cases) {
    GraphMaker m;
    const int a = m.input(c.a), b = m.input(c.b);
    const int ge = m.ge({a, c.a_shift}, {b, 0});
    const Comparison cmp = comparison(m.g, m.at(ge));
    EXPECT_EQ(cmp.frac, c.b.frac_bits);
    EXPECT_EQ(cmp.a_offset, c.a_offset);
    EXPECT_EQ(cmp.a_bits, c.a_bits);
    EXPECT_EQ(cmp.width, c.width);
    EXPECT_EQ(m.at(ge).type, (FixedType{false, 1, 0}));
    EXPECT_EQ(m.at(ge).lo, 0);
    EXPECT_EQ(m.at(ge).hi, 1);
    m.g.outputs = {{ge, 0}};
    ASSERT_EQ(check_graph(m.g), "");
    const double scale = std::ldexp(1.0, c.a_shift);
    for_every_input(m.g,
                    [&](const std::vector<double>& x) { return x[0] * scale >= x[1] ? 1 : 0; });
  }
}

TEST(Ge, SignedAndUnsignedOnShiftedGrids) {
  GraphMaker m;
  const int a = m.input({true, 2, 1}), b = m.input({false, 1, 2});
  const std::pair<int, int> shifts[] = {{1, -1}, {0, 0}, {-2, 3}, {4, -4}, {-5, 0}};
  for (const auto& [sa, sb] : shifts) {
    GraphMaker k = m;
    const int ge = k.ge({a, sa}, {b, sb}), le = k.ge({b, sb}, {a, sa});
    const int both = k.add({ge, 1}, {le, 0});  // 2 * (a >= b) + (b >= a)
    k.g.outputs = {{both, 0}};
    ASSERT_EQ(check_graph(k.g), "");
    for_every_input(k.g, [&](const std::vector<double>& x) {
      const double va = std::ldexp(x[0], sa), vb = std::ldexp(x[1], sb);
      return 2.0 * (va >= vb) + (vb >= va);
    });
  }
}

TEST(Ge, TheIntervalsMayDecideIt) {
  GraphMaker m;
  const int x = m.input({false, 2, 0});  // 0 .. 3
  const int c12 = m.constant(12, 0), c13 = m.constant(13, 0), neg = m.constant(-1, 0);
  auto interval = [&](int id) { return std::pair<i128, i128>{m.at(id).lo, m.at(id).hi}; };
  using I = std::pair<i128, i128>;
  EXPECT_EQ(interval(m.ge({x, 2}, {c12, 0})), (I{0, 1}));  // 4x >= 12 for x = 3 only
  EXPECT_EQ(interval(m.ge({x, 2}, {c13, 0})), (I{0, 0}));  // never
  EXPECT_EQ(interval(m.ge({c12, 0}, {x, 2})), (I{1, 1}));  // always, 12 = 4 * 3 included
  EXPECT_EQ(interval(m.ge({x, 0}, {neg, 0})), (I{1, 1}));
  const int never = m.ge({neg, 0}, {x, 0});
  EXPECT_EQ(interval(never), (I{0, 0}));
  EXPECT_EQ(m.at(never).type, (FixedType{false, 1, 0}));  // still one bit
  EXPECT_TRUE(is_constant_value(m.at(never)));
  EXPECT_FALSE(is_constant_value(m.at(m.ge({x, 2}, {c12, 0}))));
  // A decided comparison is a wire to its literal: no comparator, no delay.
  const int always = m.ge({c12, 0}, {x, 2});
  m.g.outputs = {{always, 0}, {never, 0}};
  ASSERT_EQ(check_graph(m.g), "");
  const std::string v =
      emit_verilog(m.g, combinational_schedule(m.g), find_target("xcup"), "t", "").files.at("t.v");
  EXPECT_NE(v.find("assign n" + std::to_string(always) + " = 1'h1;"), std::string::npos) << v;
  EXPECT_NE(v.find("assign n" + std::to_string(never) + " = 1'h0;"), std::string::npos) << v;
  EXPECT_EQ(v.find("n" + std::to_string(always) + "_a"), std::string::npos) << v;
  EXPECT_EQ(find_target("xcup").node_delay(m.g, m.at(always)), 0);
  EXPECT_EQ(find_target("xcup").adder_luts(m.g), 0);
}

TEST(Ge, OperandsTooFarApartAreAToolError) {
  GraphMaker m;
  const int a = m.input({false, 8, 0}), b = m.input({false, 2, 20});
  EXPECT_THROW(m.ge({a, 120}, {b, 0}), ToolError);  // a shifted 140 bits up onto b's grid
  EXPECT_NO_THROW(m.ge({b, 0}, {a, 120}));          // b floored onto a's: 1 bit
}

struct MuxGraph {
  GraphMaker m;
  int a, b, s;
  MuxGraph() {
    a = m.input({true, 3, 0});   // -8 .. 7
    b = m.input({false, 2, 1});  // 0 .. 3.5
    s = m.input({false, 1, 0});  // a select
  }
  std::pair<i128, i128> interval(int id) const { return {m.at(id).lo, m.at(id).hi}; }
};

TEST(Mux, MaxMinAndGeneralIntervals) {
  using I = std::pair<i128, i128>;
  MuxGraph t;
  GraphMaker& m = t.m;
  const int mx = m.max({t.a, 0}, {t.b, 0}), mn = m.min({t.a, 0}, {t.b, 0});
  EXPECT_EQ(t.interval(mx), (I{0, 14}));  // on b's grid 2^-1: a in [-16, 14], b in [0, 7]
  EXPECT_EQ(m.at(mx).type, (FixedType{false, 3, 1}));
  EXPECT_EQ(t.interval(mn), (I{-16, 7}));
  EXPECT_EQ(m.at(mn).type, (FixedType{true, 3, 1}));
  const int any = m.mux({t.s, 0}, {t.a, 0}, {t.b, 0});
  EXPECT_EQ(t.interval(any), (I{-16, 14}));
  // A comparison of the same nodes with other shifts is not the max.
  const int other = m.mux({m.ge({t.a, 0}, {t.b, 1}), 0}, {t.a, 0}, {t.b, 0});
  EXPECT_EQ(t.interval(other), (I{-16, 14}));
  // The max of shifted operands: 2a in [-16, 14] and b / 2 in [0, 1.75], on grid 2^-2.
  const int shifted = m.max({t.a, 1}, {t.b, -1});
  EXPECT_EQ(t.interval(shifted), (I{0, 56}));
  EXPECT_EQ(m.at(shifted).type, (FixedType{false, 4, 2}));
  // A known select picks one operand's interval.
  const int one = m.constant(1, 0), never = m.ge({m.constant(-1, 0), 0}, {t.b, 0});
  EXPECT_EQ(t.interval(m.mux({one, 0}, {t.a, 0}, {t.b, 0})), (I{-16, 14}));
  const int pick_b = m.mux({never, 0}, {t.a, 0}, {t.b, 0});
  EXPECT_EQ(t.interval(pick_b), (I{0, 7}));
  EXPECT_EQ(m.at(pick_b).type, (FixedType{false, 2, 1}));
  m.g.outputs = {{mx, 0}, {mn, 0}, {any, 0}, {other, 0}, {shifted, 0}, {pick_b, 0}};
  EXPECT_EQ(check_graph(m.g), "");
}

TEST(Mux, InterpretedOnEveryInput) {
  using Values = std::vector<double>;
  const std::pair<std::function<int(MuxGraph&)>, std::function<double(const Values&)>> cases[] = {
      {[](MuxGraph& t) {
         return t.m.max({t.a, 0}, {t.b, 0});
       },
       [](const Values& x) { return std::max(x[0], x[1]); }},
      {[](MuxGraph& t) {
         return t.m.min({t.a, 0}, {t.b, 0});
       },
       [](const Values& x) { return std::min(x[0], x[1]); }},
      {[](MuxGraph& t) {
         return t.m.mux({t.s, 0}, {t.a, 0}, {t.b, 0});
       },
       [](const Values& x) { return x[2] != 0 ? x[0] : x[1]; }},
      {[](MuxGraph& t) {
         return t.m.max({t.a, 1}, {t.b, -1});
       },
       [](const Values& x) { return std::max(2 * x[0], x[1] / 2); }},
      {[](MuxGraph& t) {
         return t.m.min({t.b, 3}, {t.a, -2});
       },
       [](const Values& x) { return std::min(8 * x[1], x[0] / 4); }},
      // argmax of two: one comparison feeds the value's mux and the index's.
      {[](MuxGraph& t) {
         const int ge = t.m.ge({t.b, 0}, {t.a, 0});
         const int v = t.m.mux({ge, 0}, {t.b, 0}, {t.a, 0});
         const int i = t.m.mux({ge, 0}, {t.m.constant(1, 0), 0}, {t.m.constant(0, 0), 0});
         return t.m.add({v, 0}, {i, 4});  // value + 16 * index
       },
       [](const Values& x) { return std::max(x[0], x[1]) + (x[1] >= x[0] ? 16 : 0); }},
  };
  for (const auto& [build, expected] : cases) {
    MuxGraph t;
    t.m.g.outputs = {{build(t), 0}};
    ASSERT_EQ(check_graph(t.m.g), "");
    for_every_input(t.m.g, expected);
  }
}

TEST(Mux, TheSelectIsOneUnsignedBitReadUnshifted) {
  MuxGraph t;
  GraphMaker& m = t.m;
  const int ge = m.ge({t.a, 0}, {t.b, 0});
  const int mux = m.mux({ge, 0}, {t.a, 0}, {t.b, 0});
  m.g.outputs = {{mux, 0}};
  ASSERT_EQ(check_graph(m.g), "");
  const std::string rule =
      "node " + std::to_string(mux) + ": a mux's select is not one unsigned bit read unshifted";
  AdderGraph shifted = m.g;
  shifted.at(mux).operands[0].shift = 1;
  EXPECT_EQ(check_graph(shifted), rule);
  AdderGraph wide = m.g;
  wide.at(mux).operands[0] = {t.b, 0};
  EXPECT_EQ(check_graph(wide), rule);
  AdderGraph comparison = m.g;
  comparison.at(ge).type = {false, 2, 0};
  EXPECT_EQ(check_graph(comparison),
            "node " + std::to_string(ge) + ": a comparison is not one unsigned bit");
}

// x in s2.1 (codes -8 .. 7), read shifted; the table spans codes -10 .. 9, entry k
// is k^2 - 50 on grid 2^-3.
struct LookupGraph {
  GraphMaker m;
  int x, y;
  LookupGraph() {
    x = m.input({true, 2, 1});
    LookupTable t;
    t.in_lo = -10;
    t.out_frac = 3;
    for (int k = 0; k < 20; ++k) t.values.push_back(k * k - 50);
    y = m.lookup({x, 1}, t);
    m.g.outputs = {{y, 0}};
  }
};

TEST(Lookup, SignedIndexWithANegativeFirstCode) {
  LookupGraph t;
  const Node& y = t.m.at(t.y);
  // The entries x reaches (k = 2 .. 17): [-46, 239], not the table's [-50, 311].
  EXPECT_EQ(y.lo, -46);
  EXPECT_EQ(y.hi, 239);
  EXPECT_EQ(y.type, (FixedType{true, 5, 3}));
  ASSERT_EQ(check_graph(t.m.g), "");
  for_every_input(t.m.g, [](const std::vector<double>& x) {
    const double k = x[0] * 2 + 10;  // the code of x
    return (k * k - 50) / 8;
  });
  EXPECT_EQ(lookup_index_bits(t.m.g, y), 4);
}

TEST(Lookup, CheckerRules) {
  LookupGraph t;
  const std::string at = "node " + std::to_string(t.y) + ": ";
  AdderGraph short_table = t.m.g;
  short_table.tables[0].in_lo = -7;  // x's code -8 has no entry
  EXPECT_EQ(check_graph(short_table),
            at + "the operand's codes [-8, 7] are not all entries of its table (from -7, 20 "
                 "entries)");
  AdderGraph high = t.m.g;
  high.tables[0].values.resize(17);  // codes -10 .. 6
  EXPECT_EQ(check_graph(high),
            at + "the operand's codes [-8, 7] are not all entries of its table (from -10, 17 "
                 "entries)");
  AdderGraph huge = t.m.g;
  huge.tables[0].values.resize(kMaxTableEntries + 1, 0);
  EXPECT_EQ(check_graph(huge), at + "a table of 65537 entries (1 to 65536)");
  AdderGraph missing = t.m.g;
  missing.at(t.y).table = 3;
  EXPECT_EQ(check_graph(missing), at + "a lookup of table 3, which does not exist");
  AdderGraph grid = t.m.g;
  grid.tables[0].out_frac = 2;
  EXPECT_EQ(check_graph(grid), at + "a lookup not on its table's output grid");
  GraphMaker m;
  const int x = m.input({false, 2, 0});
  EXPECT_THROW(m.lookup({x, 0}, {}), InternalError);  // an empty table
}

TEST(Lookup, EqualReachableEntriesAreAConstant) {
  GraphMaker m;
  const int x = m.input({false, 1, 0});  // codes 0, 1
  const int y = m.lookup({x, 0}, {-1, 0, {9, 4, 4, 9}});
  m.g.outputs = {{y, 0}};
  ASSERT_EQ(check_graph(m.g), "");
  EXPECT_EQ(m.at(y).lo, 4);
  EXPECT_EQ(m.at(y).hi, 4);
  EXPECT_TRUE(is_constant_value(m.at(y)));
  const std::string v =
      emit_verilog(m.g, combinational_schedule(m.g), find_target("xcup"), "t", "").files.at("t.v");
  EXPECT_NE(v.find("assign n1 = 3'h4;"), std::string::npos) << v;
  EXPECT_EQ(v.find("case"), std::string::npos) << v;
}

TEST(NodeKinds, DemandedBits) {
  GraphMaker m;
  const int a = m.input({true, 3, 4}), b = m.input({false, 4, 1});  // 8 and 5 bits
  const int ge = m.ge({a, 0}, {b, 0});
  const int c = m.input({false, 4, 0}), d = m.input({false, 4, 0});
  const int mx = m.max({c, 0}, {d, 0});
  const int low = m.quantize({mx, 0}, {false, 2, 0});  // wraps: bits 0 and 1 of the max
  const int known = m.mux({m.constant(1, 0), 0}, {a, 0}, {b, 0});
  const int x = m.input({false, 3, 0});
  const int lut = m.lookup({x, 0}, {0, 0, {1, 2, 3, 4, 5, 6, 7, 0}});
  m.g.outputs = {{ge, 0}, {low, 0}, {known, 0}, {lut, 0}};
  ASSERT_EQ(check_graph(m.g), "");
  const auto span = demanded_bits(m.g);
  auto of = [&](int id) {
    const BitSpan s = span[static_cast<std::size_t>(id)];
    return std::pair<int, int>{s.low, s.top};
  };
  using S = std::pair<int, int>;
  EXPECT_EQ(of(a), (S{0, 8}));  // floored onto b's grid by the comparison (bits 3..7), read
                                // whole by the mux that picks it
  EXPECT_EQ(of(ge), (S{0, 1}));
  EXPECT_EQ(of(mx), (S{0, 2}));
  EXPECT_EQ(of(c), (S{0, 4}));  // the comparison reads every bit
  EXPECT_EQ(of(m.at(mx).operand(0).node), (S{0, 1}));
  EXPECT_EQ(of(x), (S{0, 3}));
  // Without the known mux, a's low bits are not read: the comparison drops them.
  AdderGraph only_ge = m.g;
  only_ge.outputs = {{ge, 0}};
  EXPECT_EQ(demanded_bits(only_ge)[static_cast<std::size_t>(a)].low, 3);
  // The known select reads neither itself nor the operand it does not pick.
  AdderGraph pick = m.g;
  pick.outputs = {{known, 0}};
  const auto p = demanded_bits(pick);
  EXPECT_EQ(p[static_cast<std::size_t>(a)].width(), 8);
  EXPECT_EQ(p[static_cast<std::size_t>(b)].width(), 0);
  // Only bits 0 and 1 of the max are muxed: two mux LUTs beside the comparator's four.
  AdderGraph max_low = m.g;
  max_low.outputs = {{low, 0}};
  EXPECT_EQ(find_target("xcup").adder_luts(max_low), 4 + 2);
}

TEST(NodeKinds, LutEstimatesAndStats) {
  auto graph_of = [](const std::function<int(GraphMaker&, int, int)>& build) {
    GraphMaker m;
    const int a = m.input({false, 4, 0}), b = m.input({false, 4, 0});
    m.g.outputs = {{build(m, a, b), 0}};
    EXPECT_EQ(check_graph(m.g), "");
    return m.g;
  };
  // a >= b: the propagate LUTs of a - b over 5 bits, the top one (two zeros) free.
  const AdderGraph ge = graph_of([](GraphMaker& m, int a, int b) { return m.ge({a, 0}, {b, 0}); });
  EXPECT_EQ(find_target("xcup").adder_luts(ge), 4);
  // max(a, b): the comparator and one LUT per muxed bit.
  const AdderGraph mx = graph_of([](GraphMaker& m, int a, int b) { return m.max({a, 0}, {b, 0}); });
  EXPECT_EQ(find_target("xcup").adder_luts(mx), 8);
  const GraphStats s = find_target("xcup").graph_stats(mx);
  EXPECT_EQ(s.comparators, 1);
  EXPECT_EQ(s.muxes, 1);
  EXPECT_EQ(s.lookups, 0);
  EXPECT_EQ(s.adders, 0);
  EXPECT_EQ(s.adder_depth, 1);  // the comparison counts as an adder
  EXPECT_EQ(s.adder_luts, 8);
  // b shifted up one bit: the comparison on b's grid drops a's bit 0 (3 LUTs, and NOT
  // b3 against a zero); the mux's bit 0 is a0 or zero, bit 4 zero or b3: 5 LUTs.
  const AdderGraph shifted = graph_of([](GraphMaker& m, int a, int b) {
    return m.max({a, 0}, {b, 1});
  });
  EXPECT_EQ(find_target("xcup").adder_luts(shifted), 4 + 5);
  // Two muxes on one comparison (argmax): the comparator once.
  const AdderGraph argmax = graph_of([](GraphMaker& m, int a, int b) {
    const int ge = m.ge({a, 0}, {b, 0});
    const int v = m.mux({ge, 0}, {a, 0}, {b, 0});
    const int i = m.mux({ge, 0}, {m.constant(0, 0), 0}, {m.constant(1, 0), 0});
    return m.add({v, 0}, {i, 4});
  });
  EXPECT_EQ(find_target("xcup").graph_stats(argmax).comparators, 1);
  EXPECT_EQ(find_target("xcup").graph_stats(argmax).muxes, 2);
  // 4 + 4 mux bits + NOT sel (the index: sel ? 0 : 1); the add passes its bits through.
  EXPECT_EQ(find_target("xcup").adder_luts(argmax), 4 + 4 + 1);

  // Lookups: a LUT6 per varying output bit, 2^(index bits - 6) of them beyond six bits.
  auto lookup_luts = [](int index_bits, const std::function<i128(int)>& value) {
    GraphMaker m;
    const int x = m.input({false, index_bits, 0});
    LookupTable t;
    for (int k = 0; k < (1 << index_bits); ++k) t.values.push_back(value(k));
    m.g.outputs = {{m.lookup({x, 0}, t), 0}};
    EXPECT_EQ(check_graph(m.g), "");
    EXPECT_EQ(find_target("xcup").graph_stats(m.g).lookups, 1);
    return find_target("xcup").adder_luts(m.g);
  };
  EXPECT_EQ(lookup_luts(4, [](int k) { return k; }), 4);
  EXPECT_EQ(lookup_luts(8, [](int k) { return k % 16; }), 4 * 4);
  EXPECT_EQ(lookup_luts(8, [](int k) { return 2 * (k % 16); }), 4 * 4);  // bit 0 is always 0
  EXPECT_EQ(lookup_luts(10, [](int k) { return k % 3 - 1; }), 2 * 16);
}

TEST(NodeKinds, Delays) {
  const Target& xc = find_target("xcup");
  const Target& ice = find_target("ice40");
  GraphMaker m;
  const int a = m.input({false, 4, 0}), b = m.input({false, 4, 0});
  const int ge = m.ge({a, 0}, {b, 0});
  const int mux = m.mux({ge, 0}, {a, 0}, {b, 0});
  EXPECT_DOUBLE_EQ(xc.node_delay(m.g, m.at(ge)), 0.17 + 0.15 + 0.14 + 0.005 * 5);
  EXPECT_DOUBLE_EQ(xc.node_delay(m.g, m.at(mux)), 0.17 + 0.15);
  EXPECT_DOUBLE_EQ(ice.node_delay(m.g, m.at(ge)), 0.55 + 0.35 + 0.12 * 5);
  // Table levels: one LUT up to its inputs, then LUTs as 4:1 muxes (Xilinx LUT6,
  // F7/F8) or 2:1 muxes (iCE40 LUT4), each level a route and a LUT.
  auto lookup_delay = [&](int bits, const Target& model) {
    GraphMaker k;
    const int x = k.input({false, bits, 0});
    LookupTable t;
    for (int c = 0; c < (1 << bits); ++c) t.values.push_back(c % 2);
    return model.node_delay(k.g, k.at(k.lookup({x, 0}, t)));
  };
  EXPECT_DOUBLE_EQ(lookup_delay(6, xc), 1 * (0.17 + 0.15));
  EXPECT_DOUBLE_EQ(lookup_delay(7, xc), 2 * (0.17 + 0.15));
  EXPECT_DOUBLE_EQ(lookup_delay(8, xc), 2 * (0.17 + 0.15));
  EXPECT_DOUBLE_EQ(lookup_delay(10, xc), 3 * (0.17 + 0.15));
  EXPECT_DOUBLE_EQ(lookup_delay(4, ice), 1 * 0.90);
  EXPECT_DOUBLE_EQ(lookup_delay(6, ice), 3 * 0.90);
}

TEST(NodeKinds, GraphDumps) {
  LookupGraph t;
  GraphMaker& m = t.m;
  const int mx = m.max({t.x, 0}, {t.y, 0});
  m.g.outputs = {{mx, 0}};
  const nlohmann::json j = graph_to_json(m.g, combinational_schedule(m.g));
  EXPECT_EQ(j["nodes"][static_cast<std::size_t>(t.y)]["kind"], "lookup");
  EXPECT_EQ(j["nodes"][static_cast<std::size_t>(t.y)]["table"], 0);
  EXPECT_EQ(j["nodes"][static_cast<std::size_t>(mx - 1)]["kind"], "ge");
  EXPECT_EQ(j["nodes"][static_cast<std::size_t>(mx)]["kind"], "mux");
  EXPECT_EQ(j["nodes"][static_cast<std::size_t>(mx)]["operands"].size(), 3u);
  EXPECT_EQ(j["tables"][0]["in_lo"], "-10");
  EXPECT_EQ(j["tables"][0]["out_frac"], 3);
  EXPECT_EQ(j["tables"][0]["values"].size(), 20u);
  EXPECT_EQ(j["tables"][0]["values"][0], "-50");
  const std::string dot = graph_to_dot(m.g);
  EXPECT_NE(dot.find("[label=\">=\\n"), std::string::npos) << dot;
  EXPECT_NE(dot.find("[label=\"lookup t0\\n"), std::string::npos) << dot;
  EXPECT_NE(dot.find("n0 -> n1 [label=\"<<1\"];"), std::string::npos) << dot;
  EXPECT_NE(dot.find(" [label=\"sel\"];"), std::string::npos) << dot;
  EXPECT_NE(dot.find(" [label=\"a\"];"), std::string::npos) << dot;
  // A graph without lookups has no "tables" (the dumps of the other kinds unchanged).
  GraphMaker plain;
  plain.g.outputs = {{plain.input({false, 2, 0}), 0}};
  EXPECT_FALSE(graph_to_json(plain.g, combinational_schedule(plain.g)).contains("tables"));
}

TEST(NodeKinds, DeadNodeRemovalKeepsWhatTheyRead) {
  MuxGraph t;
  GraphMaker& m = t.m;
  const int unused = m.add({t.a, 0}, {t.b, 0});
  const int ge = m.ge({t.a, 0}, {t.b, 0});
  (void)m.lookup({t.s, 0}, {0, 0, {1, 2}});  // dead
  const int y = m.lookup({t.s, 0}, {0, 0, {3, 1}});
  const int mux = m.mux({ge, 0}, {t.a, 0}, {y, 1});
  m.g.outputs = {{mux, 0}};
  ASSERT_EQ(check_graph(m.g), "");
  (void)unused;
  remove_dead_nodes(m.g);
  ASSERT_EQ(check_graph(m.g), "");
  ASSERT_EQ(m.g.nodes.size(), 6u);  // three inputs, the comparison, one lookup, the mux
  const Node& kept = m.g.nodes.back();
  EXPECT_EQ(kept.kind, NodeKind::Mux);
  EXPECT_EQ(kept.operand(0).node, 3);
  EXPECT_EQ(kept.operand(2), (Operand{4, 1}));
  EXPECT_EQ(m.g.nodes[4].table, 1);  // tables stay where they are
}

TEST(NodeKinds, EmittedForms) {
  GraphMaker m;
  const int a = m.input({true, 3, 1}), b = m.input({false, 2, 0});
  const int ge = m.ge({a, 0}, {b, 0});
  const int mx = m.mux({ge, 0}, {a, 0}, {b, 0});
  const int y = m.lookup({b, 0}, {0, 1, {5, -2, 5, 5}});
  const int capped = m.max({b, 0}, {m.constant(3, 0), 0});  // always 3
  m.g.outputs = {{mx, 0}, {y, 0}, {capped, 0}};
  ASSERT_EQ(check_graph(m.g), "");
  EXPECT_TRUE(is_constant_value(m.at(capped)));
  const std::string v =
      emit_verilog(m.g, combinational_schedule(m.g), find_target("xcup"), "t", "").files.at("t.v");
  const std::string g = "n" + std::to_string(ge);
  // a floored onto b's grid (its bit 0 dropped), both 5 bits, compared as signed.
  EXPECT_NE(v.find("  wire [4:0] " + g + "_a = {{1{n0[4]}}, n0[4:1]};\n"), std::string::npos) << v;
  EXPECT_NE(v.find("  wire [4:0] " + g + "_b = {{3{1'b0}}, n1[1:0]};\n"), std::string::npos) << v;
  EXPECT_NE(v.find("  assign " + g + " = $signed(" + g + "_a) >= $signed(" + g + "_b);\n"),
            std::string::npos)
      << v;
  EXPECT_NE(v.find("  assign n" + std::to_string(mx) + " = " + g + "[0] ? "), std::string::npos)
      << v;
  // The lookup: only the entry that differs from the most frequent one is listed.
  const std::string n = "n" + std::to_string(y);
  EXPECT_NE(v.find("  function [3:0] " + n +
                   "_f;\n    input [1:0] code;\n    case (code)\n      2'h1: " + n +
                   "_f = 4'he;\n      default: " + n +
                   "_f = 4'h5;\n    endcase\n  endfunction\n  assign " + n + " = " + n +
                   "_f(n1[1:0]);\n"),
            std::string::npos)
      << v;
  EXPECT_NE(v.find("  assign n" + std::to_string(capped) + " = 2'h3;\n"), std::string::npos) << v;
}

}  // namespace
}  // namespace dagen
