// avg_pool1d/2d and global_avg_pool: the exact mean over a window of a
// power-of-two number of elements (valid padding), i.e. a sum times 2^-k.
#include "pool_common.hpp"

namespace dagen {

using namespace ops;

namespace {

AvgPoolOp parse_avg(const ParseContext& c, Shape& out, int rank) {
  PoolWindow p = parse_pool(c, rank, false);
  std::size_t count = 1;
  for (int s : p.window.size) count *= static_cast<std::size_t>(s);
  if ((count & (count - 1)) != 0)
    throw ModelError(c.at, "the mean of a window of " + std::to_string(count) +
                               " elements is not an exact binary fraction; average pooling "
                               "needs a power-of-two window (use sum + scale)");
  AvgPoolOp op;
  op.pool = p.window.size;
  op.strides = p.window.strides;
  op.global = rank == 0;
  out = p.out;
  return op;
}

int log2_of(std::size_t count) {
  int k = 0;
  while ((std::size_t{1} << k) < count) ++k;
  return k;
}

}  // namespace

AvgPoolOp AvgPoolOp::parse_1d(const ParseContext& c, Shape& out) { return parse_avg(c, out, 1); }
AvgPoolOp AvgPoolOp::parse_2d(const ParseContext& c, Shape& out) { return parse_avg(c, out, 2); }
AvgPoolOp AvgPoolOp::parse_global(const ParseContext& c, Shape& out) {
  return parse_avg(c, out, 0);
}

std::vector<Fixed> AvgPoolOp::reference(const ValueInputs& in, const NodeContext& n) const {
  const Shape& xs = in[0]->shape;
  const Window w = pool_window(pool, strides, {}, xs, n.shape, global);
  const int channels = xs.back();
  std::size_t count = 1;
  for (int s : w.size) count *= static_cast<std::size_t>(s);
  const int k = log2_of(count);
  const std::size_t positions = element_count(n.shape) / static_cast<std::size_t>(channels);
  std::vector<Fixed> y;
  for (std::size_t p = 0; p < positions; ++p) {
    const std::vector<int> pos = multi_index(w.out, p);
    for (int ch = 0; ch < channels; ++ch) {
      Fixed sum;
      for_each_tap(w, xs, pos, ch, [&](long long e, const std::vector<int>&) {
        sum = add_at(sum, in[0]->values[static_cast<std::size_t>(e)], n.at);
      });
      y.push_back(normalized({sum.code, sum.frac + k}));
    }
  }
  return y;
}

LinearMap AvgPoolOp::linear(const NodeContext& n) const {
  const Shape& xs = n.inputs[0];
  const Window w = pool_window(pool, strides, {}, xs, n.shape, global);
  const int channels = xs.back();
  std::size_t count = 1;
  for (int s : w.size) count *= static_cast<std::size_t>(s);
  const Fixed weight{1, log2_of(count)};
  const std::size_t positions = element_count(n.shape) / static_cast<std::size_t>(channels);
  LinearMap map;
  for (std::size_t p = 0; p < positions; ++p) {
    const std::vector<int> pos = multi_index(w.out, p);
    for (int ch = 0; ch < channels; ++ch) {
      LinearForm f;
      for_each_tap(w, xs, pos, ch, [&](long long e, const std::vector<int>&) {
        f.terms.push_back({0, static_cast<int>(e), weight});
      });
      map.push_back(std::move(f));
    }
  }
  return map;
}

}  // namespace dagen
