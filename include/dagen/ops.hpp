// The operations of model.json: one struct per op, each defined in one file of
// src/ops/ (parse + checks + shape inference, the reference semantics, the
// lowering), all listed in the explicit table of src/ops/registry.cpp.  A model
// node holds an Op; every use dispatches with std::visit, so an op that lacks
// a member fails to compile instead of failing at run time.
//
// Three kinds of lowering, chosen by which member an op has:
//  - linear ops give a LinearMap (each output an exact weighted sum of input
//    elements plus a constant); src/passes/lower.cpp composes chains of them
//    into one CMVM problem and solves it as shift-adds;
//  - rearranging ops give, per output element, the input element it is;
//  - every other op builds its own nodes with a GraphBuilder.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <utility>
#include <vector>

#include "dagen/adder_graph.hpp"
#include "dagen/fixed.hpp"
#include "dagen/tensor.hpp"

namespace dagen {

class GraphBuilder;

// What an op's parser sees: its JSON object, its location and its input shapes.
struct ParseContext {
  const nlohmann::json& node;
  std::string at;             // "nodes[3]" (or "layers[3]" in a version 1 document)
  std::vector<Shape> inputs;  // shapes of the input tensors, in order
  std::size_t max_elements;   // the largest tensor allowed
  bool version1 = false;      // a layer of a version 1 document (its keys and wording)
};

// Where a node is and what it makes, for the reference and the lowering.
struct NodeContext {
  std::string at;
  std::vector<Shape> inputs;
  Shape shape;  // the output's
};

struct TensorValues {
  Shape shape;
  std::vector<Fixed> values;  // C order
};
using ValueInputs = std::vector<const TensorValues*>;

struct TensorOperands {
  Shape shape;
  std::vector<Operand> elements;  // C order
};
using OperandInputs = std::vector<const TensorOperands*>;

// One output element of a linear op: sum of weight * (element of input slot) + bias.
struct LinearTerm {
  int slot = 0;     // which of the node's inputs
  int element = 0;  // flat index in it
  Fixed weight;
};
struct LinearForm {
  std::vector<LinearTerm> terms;  // zero weights may appear: they mark the inputs a row uses
  Fixed bias;
};
using LinearMap = std::vector<LinearForm>;  // one per output element, C order

// Per output element: (input slot, flat element) it copies.
using Gather = std::vector<std::pair<int, int>>;

// ---- linear ops ---------------------------------------------------------------

// weights [n_in][n_out] on the last axis, optional bias [n_out].
struct DenseOp {
  std::vector<Fixed> weights;  // n_in x n_out, row-major
  std::vector<Fixed> bias;     // n_out (zeros without a bias)
  int n_in = 0, n_out = 0;
  static DenseOp parse(const ParseContext& c, Shape& out);
  std::vector<Fixed> reference(const ValueInputs& in, const NodeContext& n) const;
  LinearMap linear(const NodeContext& n) const;
};

// conv1d / conv2d (channels last); kernel [k...][cin][cout].
struct ConvOp {
  int rank = 1;  // spatial axes
  std::vector<int> kernel_size, strides, dilation, pad_before;
  int cin = 0, cout = 0;
  std::vector<Fixed> kernel;  // C order over [k...][cin][cout]
  std::vector<Fixed> bias;    // cout
  static ConvOp parse_1d(const ParseContext& c, Shape& out);
  static ConvOp parse_2d(const ParseContext& c, Shape& out);
  std::vector<Fixed> reference(const ValueInputs& in, const NodeContext& n) const;
  LinearMap linear(const NodeContext& n) const;
};

// y = x * factor_c + bias_c on the last axis.
struct ScaleOp {
  std::vector<Fixed> factor, bias;  // one per channel
  static ScaleOp parse(const ParseContext& c, Shape& out);
  std::vector<Fixed> reference(const ValueInputs& in, const NodeContext& n) const;
  LinearMap linear(const NodeContext& n) const;
};

// add (two or more inputs) and sub (a - b), element-wise.
struct AddOp {
  bool subtract = false;
  static AddOp parse_add(const ParseContext& c, Shape& out);
  static AddOp parse_sub(const ParseContext& c, Shape& out);
  std::vector<Fixed> reference(const ValueInputs& in, const NodeContext& n) const;
  LinearMap linear(const NodeContext& n) const;
};

// sum over axes (removed).
struct SumOp {
  std::vector<int> axes;  // sorted, non-negative
  static SumOp parse(const ParseContext& c, Shape& out);
  std::vector<Fixed> reference(const ValueInputs& in, const NodeContext& n) const;
  LinearMap linear(const NodeContext& n) const;
};

// avg_pool1d/2d and global_avg_pool: the exact mean of a power-of-two window.
struct AvgPoolOp {
  std::vector<int> pool, strides;  // per spatial axis (global: the whole axes)
  bool global = false;             // the spatial axes are removed
  static AvgPoolOp parse_1d(const ParseContext& c, Shape& out);
  static AvgPoolOp parse_2d(const ParseContext& c, Shape& out);
  static AvgPoolOp parse_global(const ParseContext& c, Shape& out);
  std::vector<Fixed> reference(const ValueInputs& in, const NodeContext& n) const;
  LinearMap linear(const NodeContext& n) const;
};

// ---- rearranging ops (no logic) ----------------------------------------------------

// reshape and flatten: the same elements in the same order, a new shape.
struct ReshapeOp {
  static ReshapeOp parse_reshape(const ParseContext& c, Shape& out);
  static ReshapeOp parse_flatten(const ParseContext& c, Shape& out);
  Gather gather(const NodeContext& n) const;
};

struct TransposeOp {
  std::vector<int> perm;
  static TransposeOp parse(const ParseContext& c, Shape& out);
  Gather gather(const NodeContext& n) const;
};

struct ConcatOp {
  int axis = 0;  // non-negative
  static ConcatOp parse(const ParseContext& c, Shape& out);
  Gather gather(const NodeContext& n) const;
};

// ---- ops that build their own nodes --------------------------------------------------

struct ReluOp {
  static ReluOp parse(const ParseContext& c, Shape& out);
  std::vector<Fixed> reference(const ValueInputs& in, const NodeContext& n) const;
  std::vector<Operand> lower(GraphBuilder& b, const OperandInputs& in, const NodeContext& n) const;
};

struct QuantizeOp {
  std::vector<FixedType> to;  // one per element
  Rounding rounding = Rounding::TRN;
  Overflow overflow = Overflow::WRAP;
  static QuantizeOp parse(const ParseContext& c, Shape& out);
  std::vector<Fixed> reference(const ValueInputs& in, const NodeContext& n) const;
  std::vector<Operand> lower(GraphBuilder& b, const OperandInputs& in, const NodeContext& n) const;
};

// Element-wise max / min of two or more inputs.
struct ExtremumOp {
  bool maximum = true;
  static ExtremumOp parse_max(const ParseContext& c, Shape& out);
  static ExtremumOp parse_min(const ParseContext& c, Shape& out);
  std::vector<Fixed> reference(const ValueInputs& in, const NodeContext& n) const;
  std::vector<Operand> lower(GraphBuilder& b, const OperandInputs& in, const NodeContext& n) const;
};

// max_pool1d/2d and global_max_pool (padded positions are ignored).
struct MaxPoolOp {
  std::vector<int> pool, strides, pad_before;
  bool global = false;  // the spatial axes are removed
  static MaxPoolOp parse_1d(const ParseContext& c, Shape& out);
  static MaxPoolOp parse_2d(const ParseContext& c, Shape& out);
  static MaxPoolOp parse_global(const ParseContext& c, Shape& out);
  std::vector<Fixed> reference(const ValueInputs& in, const NodeContext& n) const;
  std::vector<Operand> lower(GraphBuilder& b, const OperandInputs& in, const NodeContext& n) const;
};

// Index of the first maximum over the last axis (removed).
struct ArgmaxOp {
  static ArgmaxOp parse(const ParseContext& c, Shape& out);
  std::vector<Fixed> reference(const ValueInputs& in, const NodeContext& n) const;
  std::vector<Operand> lower(GraphBuilder& b, const OperandInputs& in, const NodeContext& n) const;
};

// Element-wise table over the codes of `domain`.
struct LookupOp {
  FixedType domain;
  std::vector<Fixed> table;   // 2^width(domain) entries, lowest code first
  std::vector<FixedType> to;  // one per element
  static LookupOp parse(const ParseContext& c, Shape& out);
  std::vector<Fixed> reference(const ValueInputs& in, const NodeContext& n) const;
  std::vector<Operand> lower(GraphBuilder& b, const OperandInputs& in, const NodeContext& n) const;
};

using Op = std::variant<DenseOp, ConvOp, ScaleOp, AddOp, SumOp, AvgPoolOp, ReshapeOp, TransposeOp,
                        ConcatOp, ReluOp, QuantizeOp, ExtremumOp, MaxPoolOp, ArgmaxOp, LookupOp>;

template <class T>
concept LinearOperation = requires(const T& op, const NodeContext& n) {
  { op.linear(n) } -> std::same_as<LinearMap>;
};
template <class T>
concept RearrangingOperation = requires(const T& op, const NodeContext& n) {
  { op.gather(n) } -> std::same_as<Gather>;
};

// The op named `name` ("conv2d") parsed from c.node; sets `out` to its output
// shape.  Throws ModelError for an unknown op (listing the known ones) or any
// problem of the node.
Op parse_op(const std::string& name, const ParseContext& c, Shape& out);

// Known op names, in the registry's order (for messages and docs).
std::vector<std::string> op_names();

}  // namespace dagen
