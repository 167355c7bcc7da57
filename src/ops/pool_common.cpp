#include "pool_common.hpp"

namespace dagen::ops {

PoolWindow parse_pool(const ParseContext& c, int rank, bool allow_same) {
  require_inputs(c, 1);
  const Shape& in = c.inputs[0];
  PoolWindow p;
  if (rank == 0) {
    check_op_keys(c, {});
    require_rank(c, 2, true, "an input with a spatial axis and a channel axis");
    p.window.size.assign(in.begin(), in.end() - 1);
    p.window.strides = p.window.size;
    p.window.dilation.assign(p.window.size.size(), 1);
    p.window.pad_before.assign(p.window.size.size(), 0);
    p.window.out.assign(p.window.size.size(), 1);
    p.out = {in.back()};
    return p;
  }
  check_op_keys(c, {"pool", "strides", "padding"});
  require_rank(c, static_cast<std::size_t>(rank) + 1, false,
               rank == 1 ? "an input [length, channels]" : "an input [height, width, channels]");
  if (!allow_same && parse_padding(c))
    throw ModelError(json_path(c.at, "padding"),
                     "average pooling is exact only with valid padding; use sum + scale");
  p.window = parse_window(c, rank, "pool", true, false, nullptr);
  p.out = p.window.out;
  p.out.push_back(in.back());
  return p;
}

Window pool_window(const std::vector<int>& pool, const std::vector<int>& strides,
                   const std::vector<int>& pad_before, const Shape& in, const Shape& out,
                   bool global) {
  Window w;
  if (global) {
    w.size.assign(in.begin(), in.end() - 1);
    w.strides = w.size;
    w.pad_before.assign(w.size.size(), 0);
    w.out.assign(w.size.size(), 1);
  } else {
    w.size = pool;
    w.strides = strides;
    w.pad_before = pad_before.empty() ? std::vector<int>(pool.size(), 0) : pad_before;
    w.out.assign(out.begin(), out.end() - 1);
  }
  w.dilation.assign(w.size.size(), 1);
  return w;
}

}  // namespace dagen::ops
