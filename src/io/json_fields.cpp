// The model.json field readers shared by the document reader and every op's parser.
#include "dagen/json_fields.hpp"

#include <cmath>

#include "dagen/diag.hpp"

namespace dagen {

using nlohmann::json;

const json& require(const json& object, const std::string& key, const std::string& at) {
  if (!object.contains(key)) throw ModelError(at, "missing required key '" + key + "'");
  return object.at(key);
}

void check_keys(const json& object, const std::set<std::string>& allowed, const std::string& at) {
  for (const auto& [key, value] : object.items()) {
    if (!allowed.contains(key)) throw ModelError(json_path(at, key), "unknown key '" + key + "'");
  }
}

void require_object(const json& value, const std::string& at) {
  if (!value.is_object()) throw ModelError(at, "expected an object");
}

long long parse_int(const json& value, const std::string& at, long long lo, long long hi) {
  if (!value.is_number_integer()) throw ModelError(at, "expected an integer, got " + value.dump());
  // An unsigned JSON integer above INT64_MAX would wrap to a negative long long.
  const bool huge =
      value.is_number_unsigned() && value.get<std::uint64_t>() > static_cast<std::uint64_t>(hi);
  const long long v = huge ? hi : value.get<long long>();
  if (huge || v < lo || v > hi)
    throw ModelError(at, value.dump() + " is out of range [" + std::to_string(lo) + ", " +
                             std::to_string(hi) + "]");
  return v;
}

std::string parse_string(const json& value, const std::string& at) {
  if (!value.is_string()) throw ModelError(at, "expected a string, got " + value.dump());
  return value.get<std::string>();
}

bool parse_bool(const json& value, const std::string& at) {
  if (!value.is_boolean()) throw ModelError(at, "expected true or false");
  return value.get<bool>();
}

FixedType parse_type(const json& value, const std::string& at) {
  require_object(value, at);
  check_keys(value, {"signed", "int_bits", "frac_bits"}, at);
  FixedType t;
  t.is_signed = parse_bool(require(value, "signed", at), json_path(at, "signed"));
  t.int_bits = static_cast<int>(parse_int(require(value, "int_bits", at), json_path(at, "int_bits"),
                                          -kMaxExponent, kMaxExponent));
  t.frac_bits = static_cast<int>(parse_int(
      require(value, "frac_bits", at), json_path(at, "frac_bits"), -kMaxExponent, kMaxExponent));
  if (t.width() < 0) throw ModelError(at, "width " + std::to_string(t.width()) + " is negative");
  if (t.width() > kMaxWidth)
    throw ModelError(at, "width " + std::to_string(t.width()) + " exceeds the limit of " +
                             std::to_string(kMaxWidth) + " bits");
  return t;
}

std::vector<FixedType> parse_types(const json& value, std::size_t size, const std::string& at,
                                   const std::string& what) {
  if (value.is_object()) return std::vector<FixedType>(size, parse_type(value, at));
  if (!value.is_array()) throw ModelError(at, "expected a type object or a list of them");
  if (value.size() != size)
    throw ModelError(at, "has " + std::to_string(value.size()) + " types but " + what + " has " +
                             std::to_string(size) + " elements");
  std::vector<FixedType> types;
  for (std::size_t i = 0; i < value.size(); ++i)
    types.push_back(parse_type(value[i], json_path(at, i)));
  return types;
}

Rounding parse_rounding(const json& value, const std::string& at) {
  const std::string r = parse_string(value, at);
  if (r == "TRN") return Rounding::TRN;
  if (r == "RND") return Rounding::RND;
  throw ModelError(at, "unknown rounding '" + r + "' (TRN or RND)");
}

Overflow parse_overflow(const json& value, const std::string& at) {
  const std::string o = parse_string(value, at);
  if (o == "WRAP") return Overflow::WRAP;
  if (o == "SAT") return Overflow::SAT;
  if (o == "SAT_SYM") return Overflow::SAT_SYM;
  throw ModelError(at, "unknown overflow '" + o + "' (WRAP, SAT or SAT_SYM)");
}

Fixed parse_exact_number(const json& value, const std::string& at, int max_frac) {
  if (value.is_number_integer()) {
    if (value.is_number_unsigned()) {
      const auto u = value.get<std::uint64_t>();
      if (u > static_cast<std::uint64_t>(INT64_MAX)) throw ModelError(at, "number is too large");
      return {static_cast<i128>(u), 0};
    }
    return {static_cast<i128>(value.get<std::int64_t>()), 0};
  }
  if (!value.is_number_float()) throw ModelError(at, "expected a number, got " + value.dump());
  const double d = value.get<double>();
  if (!std::isfinite(d)) throw ModelError(at, "number is not finite");
  if (std::fabs(d) >= 0x1p62) throw ModelError(at, value.dump() + " is too large");
  for (int f = 0; f <= max_frac; ++f) {
    const double scaled = std::ldexp(d, f);
    if (scaled == std::floor(scaled) && std::fabs(scaled) < 0x1p62) {
      return {static_cast<i128>(static_cast<std::int64_t>(scaled)), f};
    }
  }
  throw ModelError(at, value.dump() + " is not an exact binary fraction with at most " +
                           std::to_string(max_frac) + " fractional bits");
}

namespace {

void flatten_numbers(const json& value, const Shape& shape, std::size_t axis, const std::string& at,
                     int max_frac, std::vector<Fixed>& out) {
  if (axis == shape.size()) {
    out.push_back(parse_exact_number(value, at, max_frac));
    return;
  }
  const auto n = static_cast<std::size_t>(shape[axis]);
  if (!value.is_array())
    throw ModelError(at, "expected a list of " + std::to_string(n) + " entries (shape " +
                             to_string(shape) + ")");
  if (value.size() != n)
    throw ModelError(at, "has " + std::to_string(value.size()) + " entries, expected " +
                             std::to_string(n) + " (shape " + to_string(shape) + ")");
  for (std::size_t i = 0; i < n; ++i)
    flatten_numbers(value[i], shape, axis + 1, json_path(at, i), max_frac, out);
}

}  // namespace

std::vector<Fixed> parse_number_array(const json& value, const Shape& shape, const std::string& at,
                                      int max_frac) {
  std::vector<Fixed> out;
  out.reserve(element_count(shape));
  flatten_numbers(value, shape, 0, at, max_frac, out);
  return out;
}

std::vector<int> parse_int_or_list(const json& value, std::size_t count, const std::string& at,
                                   int lo, int hi) {
  if (value.is_array()) {
    if (value.size() != count)
      throw ModelError(at, "has " + std::to_string(value.size()) + " entries, expected " +
                               std::to_string(count) + " (one per spatial axis)");
    std::vector<int> out;
    for (std::size_t k = 0; k < count; ++k)
      out.push_back(static_cast<int>(parse_int(value[k], json_path(at, k), lo, hi)));
    return out;
  }
  return std::vector<int>(count, static_cast<int>(parse_int(value, at, lo, hi)));
}

Shape parse_shape(const json& value, const std::string& at, std::size_t max_elements) {
  if (!value.is_array()) throw ModelError(at, "expected a list of dimensions");
  if (value.size() > 8) throw ModelError(at, "more than 8 axes");
  Shape shape;
  double count = 1;
  for (std::size_t k = 0; k < value.size(); ++k) {
    shape.push_back(static_cast<int>(
        parse_int(value[k], json_path(at, k), 1, static_cast<long long>(max_elements))));
    count *= shape.back();
  }
  if (count > static_cast<double>(max_elements))
    throw ModelError(at, "shape " + to_string(shape) + " has " +
                             std::to_string(static_cast<long long>(count)) +
                             " elements, more than the limit of " + std::to_string(max_elements) +
                             " (docs/limits.md)");
  return shape;
}

}  // namespace dagen
