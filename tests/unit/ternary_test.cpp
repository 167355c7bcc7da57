// Fusing adder pairs into ternary adders (include/dagen/ternary.hpp): which pairs
// may fuse, what the three terms are, where the carry chain starts, and the LUTs.
#include "dagen/ternary.hpp"

#include <gtest/gtest.h>

#include "dagen/adder_graph.hpp"
#include "dagen/demanded_bits.hpp"
#include "dagen/schedule.hpp"
#include "dagen/target.hpp"

namespace dagen {
namespace {

const FixedType kS8{true, 7, 0};

struct Graph {
  AdderGraph g;
  std::vector<int> x;
  std::vector<int> stage;  // per node, the schedule fusion reads (0 unless given)

  explicit Graph(int inputs) {
    for (int i = 0; i < inputs; ++i) {
      g.input_types.push_back(kS8);
      Node n;
      n.kind = NodeKind::Input;
      n.input_index = i;
      x.push_back(g.add(n));
      infer_node(g, x.back());
    }
  }
  int add(Operand a, Operand b, bool sub = false, int stage = 0) {
    Node n;
    n.kind = NodeKind::Add;
    n.operands = {a, b};
    n.sub = sub;
    const int id = g.add(n);
    infer_node(g, id);
    this->stage.resize(g.nodes.size(), 0);
    this->stage[static_cast<std::size_t>(id)] = stage;
    return id;
  }
  int constant(i128 code) {
    Node n;
    n.kind = NodeKind::Const;
    n.const_code = code;
    const int id = g.add(n);
    infer_node(g, id);
    return id;
  }
  // An adder of dense layer 0 over the inputs, its interval from its coefficients.
  int layer_add(Operand a, Operand b, bool sub, std::vector<std::int64_t> coeffs) {
    if (g.layer_inputs.empty()) {
      g.layer_inputs.emplace_back();
      for (int i : x) g.layer_inputs[0].push_back({i, 0});
    }
    Node n;
    n.kind = NodeKind::Add;
    n.operands = {a, b};
    n.sub = sub;
    n.layer = 0;
    n.coeffs = std::move(coeffs);
    const int id = g.add(n);
    infer_node(g, id);
    return id;
  }
  int fuse() {
    stage.resize(g.nodes.size(), 0);
    Schedule s;
    s.stage = stage;
    s.ternary = true;
    return apply_ternary_fusion(g, s, find_target("xcup"));
  }
  Graph& output(int id) {
    g.outputs.push_back({id, 0});
    return *this;
  }
};

void expect_terms(const std::array<TernaryTerm, 3>& got, const std::array<TernaryTerm, 3>& want) {
  for (std::size_t k = 0; k < got.size(); ++k) {
    EXPECT_EQ(got[k].operand, want[k].operand) << "term " << k;
    EXPECT_EQ(got[k].negated, want[k].negated) << "term " << k;
  }
}

TEST(Ternary, FusesAnAdderIntoItsOnlyReader) {
  Graph t(3);
  const int s1 = t.add({t.x[0], 0}, {t.x[1], 0});
  const int s2 = t.add({s1, 0}, {t.x[2], 0});
  t.output(s2);
  const int binary = find_target("xcup").adder_luts(t.g);
  EXPECT_EQ(t.fuse(), 1);
  EXPECT_EQ(t.g.at(s2).ternary_inner, s1);
  EXPECT_EQ(t.g.at(s1).ternary_inner, -1);
  const TernaryChain chain = ternary_chain(t.g, s2, s1);
  EXPECT_EQ(chain.low, 0);
  EXPECT_EQ(chain.top, 10);  // three bytes need 10 bits
  EXPECT_EQ(find_target("xcup").adder_luts(t.g), 10);
  EXPECT_EQ(binary, 8 + 9);  // two chains, one shared LUT above each pair of sign bits
  EXPECT_EQ(find_target("xcup").graph_stats(t.g).ternary_adders, 1);
}

TEST(Ternary, TermsComposeShiftsAndSigns) {
  Graph t(3);
  const int s1 = t.add({t.x[0], 0}, {t.x[1], 2}, /*sub=*/true);  // x0 - 4 x1
  const int s2 = t.add({t.x[2], 0}, {s1, 1}, /*sub=*/true);      // x2 - 2 s1
  t.output(s2);
  // x2 - 2 x0 + 8 x1: -(-x1) is added
  expect_terms(ternary_terms(t.g, s2, s1),
               {{{{t.x[2], 0}, false}, {{t.x[0], 1}, true}, {{t.x[1], 3}, false}}});
}

TEST(Ternary, TheInnerAsFirstOperandKeepsItsSigns) {
  Graph t(3);
  const int s1 = t.add({t.x[0], 0}, {t.x[1], 0}, /*sub=*/true);
  const int s2 = t.add({s1, 2}, {t.x[2], 0}, /*sub=*/true);  // 4 (x0 - x1) - x2
  t.output(s2);
  expect_terms(ternary_terms(t.g, s2, s1),
               {{{{t.x[0], 2}, false}, {{t.x[1], 2}, true}, {{t.x[2], 0}, true}}});
}

TEST(Ternary, TheChainStartsWhereTwoTermsMeetOrASubtractedOneBegins) {
  Graph t(3);
  const int s1 = t.add({t.x[0], 0}, {t.x[1], 3});  // x0 + 8 x1
  const int s2 = t.add({s1, 0}, {t.x[2], 5});      // + 32 x2
  t.output(s2);
  TernaryChain chain = ternary_chain(t.g, s2, s1);
  EXPECT_EQ(chain.low, 3);  // bits 0-2 are x0's alone
  EXPECT_EQ(chain.lowest_term, 0);
  EXPECT_EQ(chain.luts(), t.g.at(s2).type.width() - 3);

  Graph u(3);
  const int d1 = u.add({u.x[0], 3}, {u.x[1], 5});
  const int d2 = u.add({d1, 0}, {u.x[2], 0}, /*sub=*/true);  // 8 x0 + 32 x1 - x2
  u.output(d2);
  chain = ternary_chain(u.g, d2, d1);
  EXPECT_EQ(chain.low, 0);  // -x2 = ~x2 + 1 from bit 0
}

TEST(Ternary, NoFusionAcrossARegister) {
  Graph t(3);
  const int s1 = t.add({t.x[0], 0}, {t.x[1], 0}, false, /*stage=*/0);
  const int s2 = t.add({s1, 0}, {t.x[2], 0}, false, /*stage=*/1);
  t.output(s2);
  EXPECT_EQ(t.fuse(), 0);
}

TEST(Ternary, NoFusionOfAValueWithTwoReaders) {
  Graph t(3);
  const int s1 = t.add({t.x[0], 0}, {t.x[1], 0});
  const int s2 = t.add({s1, 0}, {t.x[2], 0});
  t.output(s2).output(s1);
  EXPECT_EQ(t.fuse(), 0);
}

TEST(Ternary, AddersWithAConstantStayTwoInputAdders) {
  Graph t(2);
  const int c = t.constant(37);
  const int s1 = t.add({t.x[0], 0}, {c, 0});
  const int s2 = t.add({s1, 0}, {t.x[1], 0});
  t.output(s2);
  EXPECT_EQ(t.fuse(), 0);
}

TEST(Ternary, AChainOfFourAddersFusesTwoPairs) {
  Graph t(5);
  int s = t.add({t.x[0], 0}, {t.x[1], 0});
  std::vector<int> chain{s};
  for (int i = 2; i < 5; ++i) chain.push_back(s = t.add({s, 0}, {t.x[i], 0}));
  t.output(s);
  EXPECT_EQ(t.fuse(), 2);
  EXPECT_EQ(t.g.at(chain[3]).ternary_inner, chain[2]);
  EXPECT_EQ(t.g.at(chain[1]).ternary_inner, chain[0]);
}

TEST(Ternary, AChainOfThreeFusesTheWiderPair) {
  Graph t(4);
  const int s1 = t.add({t.x[0], 0}, {t.x[1], 6});  // narrow chain: bits 6..
  const int s2 = t.add({s1, 0}, {t.x[2], 0});
  const int s3 = t.add({s2, 0}, {t.x[3], 0});
  t.output(s3);
  EXPECT_EQ(t.fuse(), 1);
  // Either pair saves the inner chain's bits; s1's are fewer (its low 6 bits are wires).
  EXPECT_EQ(t.g.at(s3).ternary_inner, s2);
}

TEST(Ternary, FusingAgainStartsFromScratch) {
  Graph t(3);
  const int s1 = t.add({t.x[0], 0}, {t.x[1], 0});
  const int s2 = t.add({s1, 0}, {t.x[2], 0});
  t.output(s2);
  EXPECT_EQ(t.fuse(), 1);
  t.stage[static_cast<std::size_t>(s2)] = 1;  // rescheduled: a register between them now
  EXPECT_EQ(t.fuse(), 0);
  EXPECT_EQ(t.g.at(s2).ternary_inner, -1);
}

TEST(Ternary, PipelinedSchedulesKeepEveryFusedPairInOneStage) {
  Graph t(8);
  // A chain of seven adders: two ranks must cut it, ternary pairs must not be cut.
  int s = t.add({t.x[0], 0}, {t.x[1], 0});
  for (int i = 2; i < 8; ++i) s = t.add({s, 0}, {t.x[i], 0});
  t.output(s);
  AdderGraph binary = t.g;
  const Target& xcup = find_target("xcup");
  const Schedule two_input = schedule_pipeline(binary, 2, xcup);
  const Schedule ternary = schedule_pipeline(t.g, 2, xcup, 0.0, std::nullopt, /*ternary=*/true);
  EXPECT_FALSE(two_input.ternary);
  EXPECT_TRUE(ternary.ternary);
  EXPECT_EQ(xcup.graph_stats(t.g).ternary_adders, 0);  // the schedule leaves the graph alone
  EXPECT_EQ(apply_ternary_fusion(binary, two_input, xcup), 0);
  EXPECT_GT(apply_ternary_fusion(t.g, ternary, xcup), 0);
  EXPECT_GT(xcup.graph_stats(t.g).ternary_adders, 0);
  for (std::size_t id = 0; id < t.g.nodes.size(); ++id)
    if (const int inner = t.g.nodes[id].ternary_inner; inner >= 0) {
      EXPECT_EQ(ternary.stage[static_cast<std::size_t>(inner)], ternary.stage[id]);
    }
  // The stage delays and register bits are those of the fused graph.
  EXPECT_EQ(ternary.register_bits, register_bits(t.g, ternary));
  EXPECT_LE(ternary.period_ns, two_input.period_ns + 1e-9);
  EXPECT_LT(find_target("xcup").adder_luts(t.g), find_target("xcup").adder_luts(binary));
}

// The inner adder may be narrower than its operands (its coefficients cancel), but the
// fused chain adds the terms at the outer adder's width: an operand's bits up to
// there, its sign bit included, stay demanded (they were dropped before, and the
// outputs came out wrong).
TEST(Ternary, TermsStayDemandedUpToTheOuterWidth) {
  Graph t(3);
  const int diff = t.layer_add({t.x[0], 0}, {t.x[1], 0}, /*sub=*/true, {1, -1, 0});  // x0 - x1
  const int inner = t.layer_add({diff, 0}, {t.x[1], 0}, false, {1, 0, 0});           // x0
  const int outer = t.layer_add({inner, 0}, {t.x[2], 0}, false, {1, 0, 1});          // x0 + x2
  t.output(outer);
  ASSERT_EQ(t.g.at(diff).type.width(), 9);
  ASSERT_EQ(t.g.at(inner).type.width(), 8);
  ASSERT_EQ(t.g.at(outer).type.width(), 9);
  EXPECT_EQ(demanded_bits(t.g)[static_cast<std::size_t>(diff)].top, 8);  // two adders: wraps
  t.g.at(outer).ternary_inner = inner;
  const auto fused = demanded_bits(t.g);
  EXPECT_EQ(fused[static_cast<std::size_t>(diff)].top, 9);
  EXPECT_EQ(fused[static_cast<std::size_t>(t.x[2])].top, 8);
}

}  // namespace
}  // namespace dagen
