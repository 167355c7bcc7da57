// The Model: what the user wrote in model.json — a graph of tensors, each made
// by one operation (include/dagen/ops.hpp) from model inputs and earlier nodes.
// A version 1 document (a chain of dense / relu / quantize layers on one vector)
// reads as the same graph with one input tensor "x" of shape [size].
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "dagen/fixed.hpp"
#include "dagen/ops.hpp"
#include "dagen/tensor.hpp"

namespace dagen {

// Weights are exact binary fractions with at most this many fractional bits...
inline constexpr int kMaxWeightFracBits = 32;
// ...and, scaled to a CMVM problem's finest grid, integers below 2^kMaxWeightSpanBits.
inline constexpr int kMaxWeightSpanBits = 48;

// input.size: 65,536 plain wires take about 2 s and 0.4 GB (docs/limits.md).
inline constexpr int kMaxInputSize = 1 << 16;
// Elements of any one tensor (version 2).
inline constexpr std::size_t kMaxTensorSize = 1 << 18;
// Lookup domains: at most this many bits (2^16 table entries).
inline constexpr int kMaxLookupBits = 16;

struct ModelInput {
  std::string name;
  Shape shape;
  std::vector<FixedType> types;  // one per element, C order
};

struct ModelNode {
  std::string name;         // the tensor it makes
  std::string at;           // "nodes[k]" / "layers[k]", for messages
  std::vector<int> inputs;  // tensor ids (see Model)
  Op op;
  Shape shape;  // of the tensor it makes
};

struct Model {
  std::string name;
  int version = 1;
  std::vector<ModelInput> inputs;
  // Every element of every input, in port order (inputs in order, each in C order).
  std::vector<FixedType> input_types;
  std::vector<ModelNode> nodes;  // topological: a node only uses inputs and earlier nodes
  std::vector<int> outputs;      // tensor ids

  // Tensor t is input t for t < inputs.size(), else node t - inputs.size().
  int tensor_count() const { return static_cast<int>(inputs.size() + nodes.size()); }
  bool is_input(int t) const { return t < static_cast<int>(inputs.size()); }
  const ModelNode& node_of(int t) const {
    return nodes[static_cast<std::size_t>(t) - inputs.size()];
  }
  const Shape& shape_of(int t) const;
  const std::string& tensor_name(int t) const;
  NodeContext context_of(const ModelNode& n) const;
};

}  // namespace dagen
