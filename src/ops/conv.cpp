// conv1d / conv2d, Keras channels-last: input [spatial..., cin], kernel
// [k..., cin, cout], zero padding ("same": out = ceil(n / s), pad before =
// total // 2).  Every output position is one row of a CMVM over its window.
#include "op_common.hpp"

namespace dagen {

using namespace ops;

namespace {

ConvOp parse_conv(const ParseContext& c, Shape& out, int rank) {
  check_op_keys(c, {"kernel", "bias", "strides", "dilation", "padding"});
  require_inputs(c, 1);
  const std::string what =
      rank == 1 ? "an input [length, channels]" : "an input [height, width, channels]";
  require_rank(c, static_cast<std::size_t>(rank) + 1, false, what);
  const Shape& in = c.inputs[0];
  ConvOp op;
  op.rank = rank;
  op.cin = in.back();
  // The kernel's shape comes from its nesting: [k...][cin][cout].
  const std::string kat = json_path(c.at, "kernel");
  const nlohmann::json* level = &require(c.node, "kernel", c.at);
  Shape kshape;
  std::string at = kat;
  for (int axis = 0; axis < rank + 2; ++axis) {
    if (!level->is_array() || level->empty())
      throw ModelError(at, std::string("expected a non-empty list (the kernel is ") +
                               (rank == 1 ? "[k][cin][cout]" : "[kh][kw][cin][cout]") + ")");
    kshape.push_back(static_cast<int>(level->size()));
    level = &(*level)[0];
    at = json_path(at, 0);
  }
  if (kshape[static_cast<std::size_t>(rank)] != op.cin)
    throw ModelError(kat, "has " + std::to_string(kshape[static_cast<std::size_t>(rank)]) +
                              " input channels but the input has " + std::to_string(op.cin) +
                              " (shape " + to_string(in) + ")");
  op.cout = kshape.back();
  op.kernel_size.assign(kshape.begin(), kshape.begin() + rank);
  op.kernel = parse_weights(c.node.at("kernel"), kshape, kat);
  op.bias.assign(static_cast<std::size_t>(op.cout), Fixed{});
  if (c.node.contains("bias"))
    op.bias = parse_number_array(c.node.at("bias"), {op.cout}, json_path(c.at, "bias"),
                                 kMaxWeightFracBits);
  const Window w = parse_window(c, rank, "kernel", false, true, &op.kernel_size);
  op.strides = w.strides;
  op.dilation = w.dilation;
  op.pad_before = w.pad_before;
  out = w.out;
  out.push_back(op.cout);
  if (element_count(out) > c.max_elements)
    throw ModelError(c.at, "output shape " + to_string(out) + " exceeds the limit of " +
                               std::to_string(c.max_elements) + " elements (docs/limits.md)");
  return op;
}

Window window_of(const ConvOp& op, const Shape& out) {
  Window w;
  w.size = op.kernel_size;
  w.strides = op.strides;
  w.dilation = op.dilation;
  w.pad_before = op.pad_before;
  w.out.assign(out.begin(), out.end() - 1);
  return w;
}

// Flat index in the kernel of tap `tap` (spatial), input channel ci, output channel co.
std::size_t kernel_index(const ConvOp& op, const std::vector<int>& tap, int ci, int co) {
  std::size_t k = 0;
  for (int r = 0; r < op.rank; ++r)
    k = k * static_cast<std::size_t>(op.kernel_size[static_cast<std::size_t>(r)]) +
        static_cast<std::size_t>(tap[static_cast<std::size_t>(r)]);
  return (k * static_cast<std::size_t>(op.cin) + static_cast<std::size_t>(ci)) *
             static_cast<std::size_t>(op.cout) +
         static_cast<std::size_t>(co);
}

}  // namespace

ConvOp ConvOp::parse_1d(const ParseContext& c, Shape& out) { return parse_conv(c, out, 1); }
ConvOp ConvOp::parse_2d(const ParseContext& c, Shape& out) { return parse_conv(c, out, 2); }

std::vector<Fixed> ConvOp::reference(const ValueInputs& in, const NodeContext& n) const {
  const Window w = window_of(*this, n.shape);
  const Shape& xs = in[0]->shape;
  const std::vector<Fixed>& x = in[0]->values;
  std::vector<Fixed> y;
  const std::size_t positions = element_count(n.shape) / static_cast<std::size_t>(cout);
  Shape spatial(n.shape.begin(), n.shape.end() - 1);
  for (std::size_t p = 0; p < positions; ++p) {
    const std::vector<int> pos = multi_index(spatial, p);
    for (int co = 0; co < cout; ++co) {
      Fixed sum = bias[static_cast<std::size_t>(co)];
      for (int ci = 0; ci < cin; ++ci) {
        for_each_tap(w, xs, pos, ci, [&](long long e, const std::vector<int>& tap) {
          if (e < 0) return;  // zero padding
          const Fixed& k = kernel[kernel_index(*this, tap, ci, co)];
          const Fixed& v = x[static_cast<std::size_t>(e)];
          if (k.code == 0 || v.code == 0) return;
          sum = add_at(sum, mul_at(k, v, n.at, "a product of a weight and an input"), n.at);
        });
      }
      y.push_back(sum);
    }
  }
  return y;
}

LinearMap ConvOp::linear(const NodeContext& n) const {
  const Window w = window_of(*this, n.shape);
  const Shape& xs = n.inputs[0];
  LinearMap map;
  const std::size_t positions = element_count(n.shape) / static_cast<std::size_t>(cout);
  Shape spatial(n.shape.begin(), n.shape.end() - 1);
  for (std::size_t p = 0; p < positions; ++p) {
    const std::vector<int> pos = multi_index(spatial, p);
    for (int co = 0; co < cout; ++co) {
      LinearForm f;
      f.bias = bias[static_cast<std::size_t>(co)];
      for (int ci = 0; ci < cin; ++ci)
        for_each_tap(w, xs, pos, ci, [&](long long e, const std::vector<int>& tap) {
          if (e >= 0)
            f.terms.push_back({0, static_cast<int>(e), kernel[kernel_index(*this, tap, ci, co)]});
        });
      map.push_back(std::move(f));
    }
  }
  return map;
}

}  // namespace dagen
