// max_pool1d/2d and global_max_pool: the maximum over each window; padded
// positions ("same") are ignored, never compared as zeros.
#include "dagen/graph_builder.hpp"
#include "pool_common.hpp"

namespace dagen {

using namespace ops;

namespace {

MaxPoolOp parse_max_pool(const ParseContext& c, Shape& out, int rank) {
  PoolWindow p = parse_pool(c, rank, true);
  MaxPoolOp op;
  op.pool = p.window.size;
  op.strides = p.window.strides;
  op.pad_before = p.window.pad_before;
  op.global = rank == 0;
  out = p.out;
  return op;
}

// Calls f(position, channel, input elements of the window) for every output element.
template <class F>
void for_each_window(const MaxPoolOp& op, const Shape& in, const Shape& out, F&& f) {
  const Window w = pool_window(op.pool, op.strides, op.pad_before, in, out, op.global);
  const int channels = in.back();
  const std::size_t positions = element_count(out) / static_cast<std::size_t>(channels);
  std::vector<std::size_t> taps;
  for (std::size_t p = 0; p < positions; ++p) {
    const std::vector<int> pos = multi_index(w.out, p);
    for (int ch = 0; ch < channels; ++ch) {
      taps.clear();
      for_each_tap(w, in, pos, ch, [&](long long e, const std::vector<int>&) {
        if (e >= 0) taps.push_back(static_cast<std::size_t>(e));
      });
      f(taps);
    }
  }
}

}  // namespace

MaxPoolOp MaxPoolOp::parse_1d(const ParseContext& c, Shape& out) {
  return parse_max_pool(c, out, 1);
}
MaxPoolOp MaxPoolOp::parse_2d(const ParseContext& c, Shape& out) {
  return parse_max_pool(c, out, 2);
}
MaxPoolOp MaxPoolOp::parse_global(const ParseContext& c, Shape& out) {
  return parse_max_pool(c, out, 0);
}

std::vector<Fixed> MaxPoolOp::reference(const ValueInputs& in, const NodeContext& n) const {
  std::vector<Fixed> y;
  for_each_window(*this, in[0]->shape, n.shape, [&](const std::vector<std::size_t>& taps) {
    Fixed m = in[0]->values[taps.at(0)];
    for (std::size_t e : taps)
      if (compare(in[0]->values[e], m) > 0) m = in[0]->values[e];
    y.push_back(m);
  });
  return y;
}

std::vector<Operand> MaxPoolOp::lower(GraphBuilder& b, const OperandInputs& in,
                                      const NodeContext& n) const {
  std::vector<Operand> y;
  std::vector<Operand> xs;
  for_each_window(*this, in[0]->shape, n.shape, [&](const std::vector<std::size_t>& taps) {
    xs.clear();
    for (std::size_t e : taps) xs.push_back(in[0]->elements[e]);
    y.push_back(b.extremum(xs, true));
  });
  return y;
}

}  // namespace dagen
