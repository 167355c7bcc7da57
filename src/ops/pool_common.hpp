// Shared by max and average pooling: the window of an op over input [spatial..., C].
#pragma once

#include "op_common.hpp"

namespace dagen::ops {

struct PoolWindow {
  Window window;
  Shape out;
};

// max_pool1d/2d, avg_pool1d/2d (rank 1, 2) and global pooling (rank 0: every axis
// but the last, removed from the output).
PoolWindow parse_pool(const ParseContext& c, int rank, bool allow_same);

// The window of a parsed pool over `in` (global: the whole spatial extent).
Window pool_window(const std::vector<int>& pool, const std::vector<int>& strides,
                   const std::vector<int>& pad_before, const Shape& in, const Shape& out,
                   bool global);

}  // namespace dagen::ops
