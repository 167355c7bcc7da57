// The AdderGraph: the central IR between the optimizer and the emitter.
//
// Nodes are inputs, constants, two-input add/sub of shifted operands,
// negations, ReLUs, quantizers, comparisons (Ge: a >= b, one bit), two-way
// muxes (Mux: sel ? a : b) and table lookups (Lookup).  A node's operands are one list; arity()
// says how many each kind takes and for_each_operand() walks them, so a pass
// that only follows edges needs no per-kind code.  Every node carries its exact interval and
// fixed-point format; nodes made by the CMVM optimizer also carry the
// coefficient vector over their layer's inputs, so any node can be checked
// against the weight matrix.
#pragma once

#include <algorithm>
#include <array>
#include <cassert>
#include <cstdint>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <vector>

#include "dagen/fixed.hpp"

namespace dagen {

// Ge {a, b}: 1 if value(a) >= value(b) (the exact shifted values, any formats), else 0;
//   always one unsigned bit on grid 1 (its interval [1, 1] or [0, 0] when the
//   operand intervals decide it).
// Mux {sel, a, b}: value(a) if value(sel) != 0 else value(b), on the finer grid of a
//   and b; sel is one unsigned bit on grid 1 read with shift 0.  With sel = Ge(a, b)
//   (the same operands) it is max(a, b), with sel = Ge(b, a) min(a, b), and its
//   interval is the max's or min's.
// Lookup {x}: AdderGraph::tables[Node::table], indexed by x's code (see LookupTable);
//   its interval is [min, max] of the entries x's interval reaches (all of them
//   when the table spans exactly x's codes).
enum class NodeKind { Input, Const, Add, Neg, Relu, Quantize, Ge, Mux, Lookup };

// The number of operands a node of this kind takes (check_graph() enforces it).
constexpr int arity(NodeKind kind) {
  switch (kind) {
    case NodeKind::Input:
    case NodeKind::Const:
      return 0;
    case NodeKind::Add:
    case NodeKind::Ge:
      return 2;
    case NodeKind::Neg:
    case NodeKind::Relu:
    case NodeKind::Quantize:
    case NodeKind::Lookup:
      return 1;
    case NodeKind::Mux:
      return 3;
  }
  return -1;  // not a NodeKind
}

// A node's value times 2^shift (a shift is free in hardware: it moves the binary point).
struct Operand {
  int node = -1;
  int shift = 0;
  friend bool operator==(const Operand&, const Operand&) = default;
};

// A node's operands, stored inline: a std::vector here cost 6% of the time of
// the largest shipped model (the scheduler copies and walks the graph often).
// kMaxOperands bounds the arity of any node kind.
class OperandList {
 public:
  static constexpr std::size_t kMaxOperands = 4;

  OperandList() = default;
  OperandList(std::initializer_list<Operand> operands) {
    for (const Operand& o : operands) push_back(o);
  }

  void push_back(const Operand& o) {
    if (size_ == kMaxOperands) throw std::length_error("more than kMaxOperands operands");
    items_[size_++] = o;
  }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  Operand& operator[](std::size_t i) { return items_[i]; }
  const Operand& operator[](std::size_t i) const { return items_[i]; }
  Operand* begin() { return items_.data(); }
  Operand* end() { return items_.data() + size_; }
  const Operand* begin() const { return items_.data(); }
  const Operand* end() const { return items_.data() + size_; }

  friend bool operator==(const OperandList& x, const OperandList& y) {
    return std::equal(x.begin(), x.end(), y.begin(), y.end());
  }

 private:
  std::array<Operand, kMaxOperands> items_{};
  std::size_t size_ = 0;
};

struct Node {
  NodeKind kind = NodeKind::Const;
  OperandList operands;  // arity(kind) of them
  bool sub = false;      // Add: a - b instead of a + b
  int input_index = -1;  // Input
  i128 const_code = 0;   // Const: value = const_code * 2^-type.frac_bits
  FixedType quant_to;    // Quantize
  Rounding rounding = Rounding::TRN;
  Overflow overflow = Overflow::WRAP;
  int table = -1;  // Lookup: index into AdderGraph::tables

  // Derived by infer_types(): exact bounds of the value (codes on type.frac_bits).
  FixedType type;
  i128 lo = 0;
  i128 hi = 0;

  // CMVM provenance: value = 2^coeff_exp * sum_i coeffs[i] * (input i of layer `layer`).
  int layer = -1;
  std::vector<std::int64_t> coeffs;
  int coeff_exp = 0;

  // Add: the Add operand fused with this node into one three-input adder
  // (apply_ternary_fusion(), include/dagen/schedule.hpp, by the pairs the target
  // picks in each pipeline stage; include/dagen/ternary.hpp says what it computes);
  // -1 if none.
  int ternary_inner = -1;

  // Operand 0 (Add, Neg, Relu, Quantize, Ge, Lookup; a Mux's select) and operand 1 (Add, Ge).
  const Operand& a() const { return operand(0); }
  const Operand& b() const { return operand(1); }
  const Operand& operand(std::size_t i) const {
    assert(i < operands.size());
    return operands[i];
  }
};

// Calls f on each operand of n, in order: the one walk over a node's edges.
template <typename F>
void for_each_operand(const Node& n, F&& f) {
  for (const Operand& o : n.operands) f(o);
}
template <typename F>
void for_each_operand(Node& n, F&& f) {
  for (Operand& o : n.operands) f(o);
}

// The table of a Lookup node {x}: entry k is the output for x's code in_lo + k
// (the node's code, on x's operand grid operand_type(g, x).frac_bits).  Every
// code x can take must have an entry (check_graph()), at most kMaxTableEntries.
struct LookupTable {
  i128 in_lo = 0;            // the code of entry 0
  int out_frac = 0;          // output value = values[k] * 2^-out_frac
  std::vector<i128> values;  // output codes
};
inline constexpr std::size_t kMaxTableEntries = 65536;

struct AdderGraph {
  std::string name;
  std::vector<FixedType> input_types;
  std::vector<Node> nodes;  // topological order: operands precede their users
  std::vector<Operand> outputs;
  std::vector<LookupTable> tables;  // of the Lookup nodes (Node::table)
  // For each dense layer k: the operands its CMVM inputs are (node coeffs refer to these).
  std::vector<std::vector<Operand>> layer_inputs;
  // Pipeline stages and latency are not part of the graph: a Schedule
  // (include/dagen/schedule.hpp) holds them beside it.

  int add(Node node);  // appends, returns the id
  const Node& at(int id) const { return nodes[static_cast<std::size_t>(id)]; }
  Node& at(int id) { return nodes[static_cast<std::size_t>(id)]; }
};

// The exact format of an operand (node type with the binary point moved by shift).
FixedType operand_type(const AdderGraph& g, const Operand& op);

// The bit of node n's code where operand op's bit 0 sits (n's grid is never
// coarser than its operands').
int operand_offset(const AdderGraph& g, const Node& n, const Operand& op);

// The low bits of an add/sub node that come from one operand alone and are wired
// through without adder logic (for a - b only when b is the shifted operand).
int passed_through_bits(const AdderGraph& g, const Node& n);

// Whether a node's value is known from its interval alone, so that it is a wire to a
// constant (never computed, registered or timed): a constant, a zero-width value, or a
// comparison, mux or lookup whose interval is one code (emitted as that literal).
inline bool is_constant_value(const Node& n) {
  if (n.kind == NodeKind::Const || n.type.width() == 0) return true;
  const bool derived =
      n.kind == NodeKind::Ge || n.kind == NodeKind::Mux || n.kind == NodeKind::Lookup;
  return derived && n.lo == n.hi;
}

// How a Ge node compares: on b's grid, where a on a coarser grid is shifted up and
// a on a finer grid is floored (its bits below b's grid dropped), exact either way
// because b lies on that grid: a >= b <=> floor(a) >= b.  The comparison is the
// sign of a - b, both extended to `width` bits (one above the wider of them).
struct Comparison {
  int frac = 0;      // the grid: b's
  int a_offset = 0;  // where a's bit 0 sits (a floored: its low -a_offset bits dropped)
  int a_bits = 0;    // a's bits that take part, from bit max(0, -a_offset) (0: none)
  int width = 0;     // of the subtraction (its carry chain)
};
Comparison comparison(const AdderGraph& g, const Node& ge);

// The bits of a Lookup node's index: the code range of its operand x (entries
// x.lo .. x.hi of the table are reachable), bit_length(x.hi - x.lo).
int lookup_index_bits(const AdderGraph& g, const Node& lookup);

// Derive a node's interval and type from its operands (and its coefficient
// vector where present).  Throws ToolError when a value exceeds kMaxWidth.
void infer_node(AdderGraph& g, int id);
void infer_types(AdderGraph& g);

struct GraphStats {
  int adders = 0;          // two-input add/sub nodes (constant operands included)
  int adder_bits = 0;      // sum of their output widths
  int adder_luts = 0;      // LUTs of the adders, negations, comparators, muxes and lookups
                           // (the caller's: Target::adder_luts())
  int adder_depth = 0;     // most adders on any input-to-output path
  int ternary_adders = 0;  // fused pairs of adders (Node::ternary_inner)
  int negations = 0;
  int relus = 0;
  int quantizers = 0;
  int comparators = 0;  // Ge nodes
  int muxes = 0;
  int lookups = 0;  // table nodes
};
// The LUT count is device knowledge: the caller gives it (Target::graph_stats()
// passes Target::adder_luts()), so this IR header knows no device.
GraphStats graph_stats(const AdderGraph& g, int adder_luts);

// Adder depth of every node (adds and comparisons count 1, everything else 0).
std::vector<int> adder_depths(const AdderGraph& g);

}  // namespace dagen
