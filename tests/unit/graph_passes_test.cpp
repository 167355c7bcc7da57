// The generic graph passes: the checker's operand counts (arity()) and dead-node
// removal as plain reachability over for_each_operand().
#include <gtest/gtest.h>

#include "dagen/passes.hpp"

namespace dagen {
namespace {

const FixedType kS8{true, 7, 0};

struct Builder {
  AdderGraph g;

  int input() {
    g.input_types.push_back(kS8);
    Node n;
    n.kind = NodeKind::Input;
    n.input_index = static_cast<int>(g.input_types.size()) - 1;
    return finish(n);
  }
  int node(NodeKind kind, OperandList operands, bool sub = false) {
    Node n;
    n.kind = kind;
    n.operands = operands;
    n.sub = sub;
    if (kind == NodeKind::Quantize) n.quant_to = {true, 3, 0};
    return finish(n);
  }
  int finish(Node n) {
    const int id = g.add(std::move(n));
    infer_node(g, id);
    return id;
  }
};

TEST(Arity, OneTablePerKind) {
  EXPECT_EQ(arity(NodeKind::Input), 0);
  EXPECT_EQ(arity(NodeKind::Const), 0);
  EXPECT_EQ(arity(NodeKind::Add), 2);
  EXPECT_EQ(arity(NodeKind::Neg), 1);
  EXPECT_EQ(arity(NodeKind::Relu), 1);
  EXPECT_EQ(arity(NodeKind::Quantize), 1);
}

TEST(CheckGraph, RejectsAWrongOperandCount) {
  Builder b;
  const int x = b.input(), y = b.input();
  const int s = b.node(NodeKind::Add, {{x, 0}, {y, 0}});
  const int neg = b.node(NodeKind::Neg, {{s, 0}});
  b.g.outputs = {{neg, 0}};
  ASSERT_EQ(check_graph(b.g), "");

  AdderGraph one = b.g;  // an Add with one operand
  one.at(s).operands = {{x, 0}};
  EXPECT_EQ(check_graph(one), "node 2: 1 operands, its kind takes 2");

  AdderGraph two = b.g;  // a negation with two
  two.at(neg).operands.push_back({x, 0});
  EXPECT_EQ(check_graph(two), "node 3: 2 operands, its kind takes 1");

  AdderGraph input = b.g;  // an input with one
  input.at(y).operands = {{x, 0}};
  EXPECT_EQ(check_graph(input), "node 1: 1 operands, its kind takes 0");
}

TEST(CheckGraph, RejectsAnOperandThatDoesNotPrecedeItsUser) {
  Builder b;
  const int x = b.input();
  const int neg = b.node(NodeKind::Neg, {{x, 0}});
  b.g.outputs = {{neg, 0}};
  b.g.at(neg).operands = {{neg, 0}};
  EXPECT_EQ(check_graph(b.g), "node 1: bad operand 0");
}

// Every node an output reaches survives, through every kind on the way; the
// rest goes (inputs stay), and operands, outputs and layer inputs are renumbered.
TEST(DeadNodes, KeepsExactlyWhatTheOutputsReach) {
  Builder b;
  const int x = b.input(), y = b.input();
  Node c;
  c.kind = NodeKind::Const;
  c.const_code = 5;
  const int dead_const = b.finish(c);
  const int live_const = b.finish(c);
  const int sum = b.node(NodeKind::Add, {{x, 0}, {live_const, 1}});
  const int dead_diff = b.node(NodeKind::Add, {{x, 0}, {dead_const, 0}}, true);
  const int neg = b.node(NodeKind::Neg, {{sum, 2}});
  const int dead_relu = b.node(NodeKind::Relu, {{dead_diff, 0}});
  const int relu = b.node(NodeKind::Relu, {{y, 0}});
  const int quant = b.node(NodeKind::Quantize, {{neg, 0}});
  const int both = b.node(NodeKind::Add, {{quant, 0}, {relu, 1}});
  b.node(NodeKind::Neg, {{dead_relu, 0}});
  b.g.outputs = {{quant, 0}, {both, 3}};
  b.g.layer_inputs = {{{x, 0}, {dead_diff, 0}}};
  ASSERT_EQ(check_graph(b.g), "");

  remove_dead_nodes(b.g);
  const std::vector<NodeKind> kinds = {NodeKind::Input,    NodeKind::Input, NodeKind::Const,
                                       NodeKind::Add,      NodeKind::Neg,   NodeKind::Relu,
                                       NodeKind::Quantize, NodeKind::Add};
  ASSERT_EQ(b.g.nodes.size(), kinds.size());
  for (std::size_t id = 0; id < kinds.size(); ++id) EXPECT_EQ(b.g.nodes[id].kind, kinds[id]);
  EXPECT_EQ(b.g.at(3).operands, (OperandList{{0, 0}, {2, 1}}));
  EXPECT_EQ(b.g.at(4).operands, (OperandList{{3, 2}}));
  EXPECT_EQ(b.g.at(5).operands, (OperandList{{1, 0}}));
  EXPECT_EQ(b.g.at(6).operands, (OperandList{{4, 0}}));
  EXPECT_EQ(b.g.at(7).operands, (OperandList{{6, 0}, {5, 1}}));
  EXPECT_EQ(b.g.outputs, (std::vector<Operand>{{6, 0}, {7, 3}}));
  EXPECT_EQ(b.g.layer_inputs[0][0], (Operand{0, 0}));
  EXPECT_EQ(b.g.layer_inputs[0][1].node, -1);  // a dead node: no longer in the graph
  EXPECT_EQ(check_graph(b.g), "");
}

}  // namespace
}  // namespace dagen
