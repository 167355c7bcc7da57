// The adders' LUT count (adder_luts): one LUT per distinct propagate signal, none
// for wires, constants and repeats.  tests/tools/test_yosys_report.sh checks the
// same count against Yosys on whole generated designs.
#include <gtest/gtest.h>

#include "dagen/adder_graph.hpp"
#include "dagen/target.hpp"

namespace dagen {
namespace {

const FixedType kS8{true, 7, 0};  // signed 8-bit integer
const FixedType kU4{false, 4, 0};

// A graph with the given inputs; returns their node ids in `ids`.
AdderGraph inputs(std::initializer_list<FixedType> types, std::vector<int>& ids) {
  AdderGraph g;
  for (const FixedType& t : types) {
    g.input_types.push_back(t);
    Node n;
    n.kind = NodeKind::Input;
    n.input_index = static_cast<int>(ids.size());
    ids.push_back(g.add(n));
  }
  return g;
}

Node node_of(NodeKind kind) {
  Node n;
  n.kind = kind;
  return n;
}

// Appends `n` reading operand a (and b, for an Add) as an output; returns its id.
int append(AdderGraph& g, Node n, Operand a, Operand b = {}) {
  n.operands = {a};
  if (arity(n.kind) == 2) n.operands.push_back(b);
  const int id = g.add(n);
  infer_node(g, id);
  g.outputs.push_back({id, 0});
  return id;
}

int add(AdderGraph& g, Operand a, Operand b, bool sub = false) {
  Node n = node_of(NodeKind::Add);
  n.sub = sub;
  return append(g, n, a, b);
}

AdderGraph typed(AdderGraph g) {
  infer_types(g);
  return g;
}

TEST(AdderLuts, TwoIndependentBytesTakeOneLutPerBitBelowTheCarryOut) {
  std::vector<int> x;
  AdderGraph g = typed(inputs({kS8, kS8}, x));
  const int s = add(g, {x[0], 0}, {x[1], 0});
  EXPECT_EQ(g.at(s).type.width(), 9);
  EXPECT_EQ(find_target("xcup").adder_luts(g), 8);  // bit 8 sees the same two sign bits as bit 7
}

TEST(AdderLuts, ShiftedOperandLeavesTheLowBitsAsWires) {
  std::vector<int> x;
  AdderGraph g = typed(inputs({kS8, kS8}, x));
  add(g, {x[0], 0}, {x[1], 3});  // x0 + 8 x1: bits 0..2 are x0's
  // Bits 3..7 pair x0 with x1, bits 8..10 x0's sign with x1: 8 LUTs.
  EXPECT_EQ(find_target("xcup").adder_luts(g), 8);
}

TEST(AdderLuts, AValueAddedToItselfNeedsNoLutWhereBothBitsAreItsSign) {
  std::vector<int> x;
  AdderGraph g = typed(inputs({kS8}, x));
  add(g, {x[0], 0}, {x[0], 1});  // 3 x: bits 1..7 pair x_i with x_(i-1)
  EXPECT_EQ(find_target("xcup").adder_luts(g), 7);
}

TEST(AdderLuts, UnsignedOperandIsAWireAboveItsTopInAnAddition) {
  std::vector<int> x;
  AdderGraph g = typed(inputs({kS8, kU4}, x));
  add(g, {x[0], 0}, {x[1], 0});  // bits 0..3 pair; bits 4..7 are x0 alone
  EXPECT_EQ(find_target("xcup").adder_luts(g), 4);
}

TEST(AdderLuts, SubtractionInvertsWhereTheOtherOperandIsZero) {
  std::vector<int> x;
  AdderGraph g = typed(inputs({kS8, kU4}, x));
  add(g, {x[0], 0}, {x[1], 0}, /*sub=*/true);  // bits 4..7: NOT x0_i
  EXPECT_EQ(find_target("xcup").adder_luts(g), 8);
}

TEST(AdderLuts, TheSameTwoBitsCombinedTwiceShareOneLut) {
  std::vector<int> x;
  AdderGraph g = typed(inputs({kS8, kS8, kS8}, x));
  add(g, {x[0], 0}, {x[1], 0});
  add(g, {x[1], 0}, {x[0], 0});        // the same propagate signals
  add(g, {x[0], 0}, {x[1], 0}, true);  // XNOR: different signals
  add(g, {x[0], 0}, {x[2], 0});        // other bits
  EXPECT_EQ(find_target("xcup").adder_luts(g), 8 * 3);
}

TEST(AdderLuts, NegationInvertsEveryBitOnce) {
  std::vector<int> x;
  AdderGraph g = typed(inputs({kS8}, x));
  append(g, node_of(NodeKind::Neg), {x[0], 0});  // 9 bits: the top two invert x's sign
  EXPECT_EQ(find_target("xcup").adder_luts(g), 8);
  EXPECT_EQ(find_target("xcup").graph_stats(g).adder_luts, 8);
}

TEST(AdderLuts, OtherNodesTakeNone) {
  std::vector<int> x;
  AdderGraph g = typed(inputs({kS8}, x));
  append(g, node_of(NodeKind::Relu), {x[0], 0});
  EXPECT_EQ(find_target("xcup").adder_luts(g), 0);
}

TEST(AdderLuts, AddersThatRepeatOthersAreMergedLikeSynthesisDoes) {
  std::vector<int> x;
  AdderGraph g = typed(inputs({kS8, kS8, kS8}, x));
  const int s1 = add(g, {x[0], 0}, {x[1], 0});
  const int s2 = add(g, {x[0], 0}, {x[1], 0});  // an equal column of an unshared tree
  add(g, {s1, 0}, {x[2], 2});
  add(g, {s2, 0}, {x[2], 2});
  // s1 + 4 x2: bits 2..8 pair s1 with x2, bit 9 s1's sign with x2's, bit 10 repeats it.
  EXPECT_EQ(find_target("xcup").adder_luts(g), 8 + 8);
}

TEST(AdderLuts, BitsAWrappingQuantizerDropsTakeNoLut) {
  std::vector<int> x;
  AdderGraph g = typed(inputs({kS8, kS8}, x));
  const int s = add(g, {x[0], 0}, {x[1], 0});
  g.outputs.clear();
  Node q = node_of(NodeKind::Quantize);
  q.quant_to = FixedType{true, 4, 0};  // keep the 5 low bits, wrap
  q.overflow = Overflow::WRAP;
  const int id = append(g, q, {s, 0});
  EXPECT_EQ(find_target("xcup").adder_luts(g), 5);
  g.at(id).overflow = Overflow::SAT;  // saturation reads every bit
  EXPECT_EQ(find_target("xcup").adder_luts(g), 8);
}

}  // namespace
}  // namespace dagen
