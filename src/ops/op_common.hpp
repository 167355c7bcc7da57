// Helpers shared by the op parsers and references (src/ops/*.cpp).
#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "dagen/diag.hpp"
#include "dagen/exact.hpp"
#include "dagen/json_fields.hpp"
#include "dagen/model.hpp"
#include "dagen/ops.hpp"

namespace dagen::ops {

// Refuses keys other than the common ones and `own`.
void check_op_keys(const ParseContext& c, std::initializer_list<const char*> own);

// The op's input count must be exactly n (or at least n with `at_least`).
void require_inputs(const ParseContext& c, std::size_t n, bool at_least = false);

// Input 0's shape must have `rank` axes (or at least `rank` with `at_least`).
void require_rank(const ParseContext& c, std::size_t rank, bool at_least, const std::string& what);

// All inputs must have the same shape.
void require_same_shapes(const ParseContext& c);

// Weights/biases: exact numbers of the given shape, each representable on a common
// grid of at most kMaxWeightFracBits fractional bits and kMaxWeightSpanBits bits.
std::vector<Fixed> parse_weights(const nlohmann::json& value, const Shape& shape,
                                 const std::string& at);

// An axis given as an int in [-rank, rank), returned in [0, rank).
int parse_axis(const nlohmann::json& value, int rank, const std::string& at);

// Keras/TF "same" or "valid" padding over one axis: output length and pad before.
struct AxisPadding {
  int out = 0;
  int before = 0;
};
AxisPadding pad_axis(int n, int window, int stride, int dilation, bool same);
bool parse_padding(const ParseContext& c);  // true for "same"

// A sliding-window op's spatial parameters for an input [spatial..., C].
struct Window {
  std::vector<int> size, strides, dilation, pad_before, out;
};
// Reads `size_key` (required) and strides / dilation / padding for `rank` spatial
// axes of input 0 (whose rank must be rank + 1).  `strides_default_size`: strides
// default to the window (pooling) instead of 1 (convolution).
Window parse_window(const ParseContext& c, int rank, const char* size_key,
                    bool strides_default_size, bool allow_dilation, const std::vector<int>* size);

// Calls f(input flat index or -1 for padding) for each tap of the window at output
// position `pos` (spatial multi-index), channel `ch`, over an input of shape `in`.
template <class F>
void for_each_tap(const Window& w, const Shape& in, const std::vector<int>& pos, int ch, F&& f) {
  const std::size_t rank = w.size.size();
  std::vector<int> tap(rank, 0);
  const auto channels = static_cast<std::size_t>(in.back());
  for (;;) {
    std::size_t flat = 0;
    bool inside = true;
    for (std::size_t k = 0; k < rank; ++k) {
      const int p = pos[k] * w.strides[k] + tap[k] * w.dilation[k] - w.pad_before[k];
      if (p < 0 || p >= in[k]) inside = false;
      flat = flat * static_cast<std::size_t>(in[k]) + static_cast<std::size_t>(inside ? p : 0);
    }
    f(inside ? static_cast<long long>(flat * channels + static_cast<std::size_t>(ch)) : -1LL, tap);
    std::size_t k = rank;
    while (k > 0 && ++tap[k - 1] == w.size[k - 1]) tap[--k] = 0;
    if (k == 0) return;
  }
}

// Exact arithmetic whose overflow is the node's error.
// `what` names the product in the error ("a product of a weight and an input").
Fixed add_at(const Fixed& a, const Fixed& b, const std::string& at);
Fixed mul_at(const Fixed& a, const Fixed& b, const std::string& at, const std::string& what);

}  // namespace dagen::ops
