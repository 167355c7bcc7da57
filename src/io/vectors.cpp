// Test vector generation and the vector file format shared with sim/harness.cpp.
#include "dagen/vectors.hpp"

#include <fstream>
#include <random>

#include "dagen/diag.hpp"
#include "dagen/reference.hpp"

namespace dagen {

namespace {

i128 random_code(const FixedType& t, std::mt19937_64& rng) {
  const int w = t.width();
  if (w == 0) return 0;
  u128 bits = (static_cast<u128>(rng()) << 64) | rng();
  if (w < 128) bits &= (static_cast<u128>(1) << w) - 1;
  i128 code = static_cast<i128>(bits);
  if (t.is_signed && w < 128 && (code >> (w - 1)) & 1) code -= static_cast<i128>(1) << w;
  return code;
}

}  // namespace

std::vector<std::vector<i128>> make_input_vectors(const std::vector<FixedType>& types,
                                                  int random_count, std::uint64_t seed) {
  const std::size_t n = types.size();
  std::vector<std::vector<i128>> v;
  auto fill = [&](auto pick) {
    std::vector<i128> x(n);
    for (std::size_t i = 0; i < n; ++i) x[i] = pick(i);
    v.push_back(std::move(x));
  };
  fill([](std::size_t) { return i128{0}; });
  fill([&](std::size_t i) { return types[i].min_code(); });
  fill([&](std::size_t i) { return types[i].max_code(); });
  fill([&](std::size_t i) { return i % 2 ? types[i].max_code() : types[i].min_code(); });
  fill([&](std::size_t i) { return i % 2 ? types[i].min_code() : types[i].max_code(); });
  for (std::size_t k = 0; k < n && k < 64; ++k) {
    fill([&](std::size_t i) { return i == k ? types[i].max_code() : i128{0}; });
    fill([&](std::size_t i) { return i == k ? types[i].min_code() : i128{0}; });
  }
  std::mt19937_64 rng(seed);
  for (int r = 0; r < random_count; ++r)
    fill([&](std::size_t i) { return random_code(types[i], rng); });
  return v;
}

std::string pack_hex(const std::vector<i128>& codes, const std::vector<PortElement>& layout) {
  int total = 0;
  for (const PortElement& e : layout) total = std::max(total, e.offset + e.width);
  total = std::max(total, 1);
  std::vector<bool> bits(static_cast<std::size_t>(total), false);
  for (std::size_t k = 0; k < layout.size(); ++k)
    for (int b = 0; b < layout[k].width; ++b)
      bits[static_cast<std::size_t>(layout[k].offset + b)] = (codes[k] >> b) & 1;
  std::string hex;
  for (int nib = (total + 3) / 4 - 1; nib >= 0; --nib) {
    int d = 0;
    for (int b = 3; b >= 0; --b) {
      const int pos = nib * 4 + b;
      d = d * 2 + (pos < total && bits[static_cast<std::size_t>(pos)] ? 1 : 0);
    }
    hex.push_back("0123456789abcdef"[d]);
  }
  return hex;
}

i128 output_code(const Fixed& value, const PortElement& e) {
  if (e.width == 0) {
    if (value.code != 0)
      throw InternalError("reference output " + to_string(value.code) + " in a width-0 element");
    return 0;
  }
  i128 code = 0;
  if (value.frac > e.frac_bits) {
    const int k = value.frac - e.frac_bits;
    code = shift_right_floor(value.code, k);
    if (shift_left(code, k) != value.code)
      throw InternalError("reference output not on the output grid");
  } else {
    code = align_code(value, e.frac_bits);
  }
  const FixedType t{e.is_signed, e.width - (e.is_signed ? 1 : 0) - e.frac_bits, e.frac_bits};
  if (!code_in_type(code, t)) throw InternalError("reference output outside the output type");
  return code;
}

void write_vector_file(const std::string& path, const Model& model,
                       const std::vector<std::vector<i128>>& inputs,
                       const std::vector<PortElement>& in_layout,
                       const std::vector<PortElement>& out_layout, int latency) {
  std::ofstream out(path);
  int xw = 1, yw = 1;
  for (const auto& e : in_layout) xw = std::max(xw, e.offset + e.width);
  for (const auto& e : out_layout) yw = std::max(yw, e.offset + e.width);
  out << "dagen-vectors 1\n" << xw << " " << yw << " " << latency << " " << inputs.size() << "\n";
  for (const auto& x : inputs) {
    const auto y = evaluate_reference(model, x);
    std::vector<i128> codes;
    for (std::size_t k = 0; k < y.size(); ++k) codes.push_back(output_code(y[k], out_layout[k]));
    out << pack_hex(x, in_layout) << " " << pack_hex(codes, out_layout) << "\n";
  }
  if (!out) throw ToolError("cannot write " + path);
}

}  // namespace dagen
