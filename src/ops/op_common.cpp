#include "op_common.hpp"

#include <algorithm>
#include <stdexcept>

namespace dagen::ops {

using nlohmann::json;

void check_op_keys(const ParseContext& c, std::initializer_list<const char*> own) {
  // Keys every node (or version 1 layer) may have besides the op's own.
  std::set<std::string> allowed =
      c.version1 ? std::set<std::string>{"type", "name", "comment"}
                 : std::set<std::string>{"op", "name", "input", "inputs", "comment"};
  for (const char* k : own) allowed.insert(k);
  check_keys(c.node, allowed, c.at);
}

void require_inputs(const ParseContext& c, std::size_t n, bool at_least) {
  const std::size_t got = c.inputs.size();
  if (at_least ? got >= n : got == n) return;
  const std::string want = (at_least ? "at least " : "") + std::to_string(n);
  throw ModelError(c.at, "takes " + want + (n == 1 && !at_least ? " input" : " inputs") + ", got " +
                             std::to_string(got));
}

void require_rank(const ParseContext& c, std::size_t rank, bool at_least, const std::string& what) {
  const Shape& s = c.inputs.at(0);
  if (at_least ? s.size() >= rank : s.size() == rank) return;
  throw ModelError(c.at, "needs " + what + ", got an input of shape " + to_string(s));
}

void require_same_shapes(const ParseContext& c) {
  for (std::size_t k = 1; k < c.inputs.size(); ++k)
    if (c.inputs[k] != c.inputs[0])
      throw ModelError(c.at, "inputs must have the same shape: input 0 is " +
                                 to_string(c.inputs[0]) + ", input " + std::to_string(k) + " is " +
                                 to_string(c.inputs[k]));
}

std::vector<Fixed> parse_weights(const json& value, const Shape& shape, const std::string& at) {
  std::vector<Fixed> w = parse_number_array(value, shape, at, kMaxWeightFracBits);
  int frac = 0;
  for (const Fixed& v : w) frac = std::max(frac, v.frac);
  for (std::size_t i = 0; i < w.size(); ++i) {
    const i128 code = w[i].code == 0 ? 0 : align_code(w[i], frac);
    if (bit_length(code) > kMaxWeightSpanBits) {
      std::string where = at;
      for (int k : multi_index(shape, i)) where = json_path(where, static_cast<std::size_t>(k));
      throw ModelError(where, "weight needs " + std::to_string(bit_length(code)) +
                                  " bits on the layer's finest grid (2^-" + std::to_string(frac) +
                                  "); the limit is " + std::to_string(kMaxWeightSpanBits));
    }
  }
  return w;
}

int parse_axis(const json& value, int rank, const std::string& at) {
  if (rank == 0) throw ModelError(at, "the input has no axes");
  const int a = static_cast<int>(parse_int(value, at, -rank, rank - 1));
  return a < 0 ? a + rank : a;
}

AxisPadding pad_axis(int n, int window, int stride, int dilation, bool same) {
  const long long span = static_cast<long long>(window - 1) * dilation + 1;
  if (!same) {
    const long long out = span > n ? 0 : (n - span) / stride + 1;
    return {static_cast<int>(out), 0};
  }
  const long long out = (n + stride - 1) / stride;
  const long long total = std::max<long long>((out - 1) * stride + span - n, 0);
  return {static_cast<int>(out), static_cast<int>(total / 2)};
}

bool parse_padding(const ParseContext& c) {
  if (!c.node.contains("padding")) return false;
  const std::string at = json_path(c.at, "padding");
  const std::string p = parse_string(c.node.at("padding"), at);
  if (p == "same") return true;
  if (p == "valid") return false;
  throw ModelError(at, "unknown padding '" + p + "' (valid or same)");
}

Window parse_window(const ParseContext& c, int rank, const char* size_key,
                    bool strides_default_size, bool allow_dilation, const std::vector<int>* size) {
  const Shape& in = c.inputs.at(0);
  const auto r = static_cast<std::size_t>(rank);
  constexpr int kMaxWindow = 1 << 12;
  Window w;
  w.size = size ? *size
                : parse_int_or_list(require(c.node, size_key, c.at), r, json_path(c.at, size_key),
                                    1, kMaxWindow);
  w.strides =
      c.node.contains("strides")
          ? parse_int_or_list(c.node.at("strides"), r, json_path(c.at, "strides"), 1, kMaxWindow)
          : (strides_default_size ? w.size : std::vector<int>(r, 1));
  w.dilation = std::vector<int>(r, 1);
  if (allow_dilation && c.node.contains("dilation"))
    w.dilation =
        parse_int_or_list(c.node.at("dilation"), r, json_path(c.at, "dilation"), 1, kMaxWindow);
  const bool same = parse_padding(c);
  for (std::size_t k = 0; k < r; ++k) {
    const AxisPadding p = pad_axis(in[k], w.size[k], w.strides[k], w.dilation[k], same);
    if (p.out < 1) {
      throw ModelError(c.at, "a window of " + std::to_string(w.size[k]) + " (dilation " +
                                 std::to_string(w.dilation[k]) + ") does not fit axis " +
                                 std::to_string(k) + " of length " + std::to_string(in[k]) +
                                 " with valid padding");
    }
    w.out.push_back(p.out);
    w.pad_before.push_back(p.before);
  }
  return w;
}

Fixed add_at(const Fixed& a, const Fixed& b, const std::string& at) {
  try {
    return exact_add(a, b);
  } catch (const std::overflow_error&) {
    throw ModelError(at, "a sum needs more than 127 bits; the limit of every value is " +
                             std::to_string(kMaxWidth) + " bits (see docs/limits.md)");
  }
}

Fixed mul_at(const Fixed& a, const Fixed& b, const std::string& at, const std::string& what) {
  try {
    return exact_mul(a, b);
  } catch (const std::overflow_error&) {
    throw ModelError(at, what + " needs more than 127 bits; the limit of every value is " +
                             std::to_string(kMaxWidth) + " bits (see docs/limits.md)");
  }
}

}  // namespace dagen::ops
