// model.json reader: the only place that knows the model's JSON layout.  Every
// rejection names the JSON location (e.g. "layers[2].weights[3][7]").
#include "dagen/model_json.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "dagen/diag.hpp"
#include "dagen/strict_json.hpp"

namespace dagen {

using nlohmann::json;

namespace {

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

FixedType parse_type(const json& value, const std::string& at) {
  require_object(value, at);
  check_keys(value, {"signed", "int_bits", "frac_bits"}, at);
  const json& sign = require(value, "signed", at);
  if (!sign.is_boolean()) throw ModelError(json_path(at, "signed"), "expected true or false");
  FixedType t;
  t.is_signed = sign.get<bool>();
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

// One type for all `size` elements, or a list of exactly `size` types.
std::vector<FixedType> parse_types(const json& value, std::size_t size, const std::string& at) {
  if (value.is_object()) return std::vector<FixedType>(size, parse_type(value, at));
  if (!value.is_array()) throw ModelError(at, "expected a type object or a list of them");
  if (value.size() != size)
    throw ModelError(at, "has " + std::to_string(value.size()) + " types but the layer has " +
                             std::to_string(size) + " elements");
  std::vector<FixedType> types;
  for (std::size_t i = 0; i < value.size(); ++i)
    types.push_back(parse_type(value[i], json_path(at, i)));
  return types;
}

std::string parse_string(const json& value, const std::string& at) {
  if (!value.is_string()) throw ModelError(at, "expected a string, got " + value.dump());
  return value.get<std::string>();
}

DenseLayer parse_dense(const json& layer, std::size_t n_in, const std::string& at) {
  check_keys(layer, {"type", "name", "weights", "bias", "comment"}, at);
  DenseLayer dense;
  if (layer.contains("name")) dense.name = parse_string(layer.at("name"), json_path(at, "name"));
  const std::string wat = json_path(at, "weights");
  const json& w = require(layer, "weights", at);
  if (!w.is_array()) throw ModelError(wat, "expected a list of rows (one per input)");
  if (w.size() != n_in)
    throw ModelError(wat, "has " + std::to_string(w.size()) + " rows but the layer has " +
                              std::to_string(n_in) + " inputs (weights are [n_in][n_out])");
  std::size_t n_out = 0;
  std::vector<std::vector<Fixed>> values(n_in);
  int frac = 0;
  for (std::size_t i = 0; i < n_in; ++i) {
    const std::string rat = json_path(wat, i);
    if (!w[i].is_array()) throw ModelError(rat, "expected a list of numbers (one per output)");
    if (i == 0) n_out = w[i].size();
    if (n_out == 0) throw ModelError(rat, "a dense layer needs at least one output");
    if (w[i].size() != n_out)
      throw ModelError(rat, "has " + std::to_string(w[i].size()) + " entries, row 0 has " +
                                std::to_string(n_out));
    for (std::size_t j = 0; j < n_out; ++j) {
      values[i].push_back(parse_exact_number(w[i][j], json_path(rat, j), kMaxWeightFracBits));
      frac = std::max(frac, values[i].back().frac);
    }
  }
  dense.weights.resize(static_cast<Eigen::Index>(n_in), static_cast<Eigen::Index>(n_out));
  dense.weight_frac = frac;
  for (std::size_t i = 0; i < n_in; ++i) {
    for (std::size_t j = 0; j < n_out; ++j) {
      const i128 code = values[i][j].code == 0 ? 0 : align_code(values[i][j], frac);
      if (bit_length(code) > kMaxWeightSpanBits)
        throw ModelError(json_path(json_path(wat, i), j),
                         "weight needs " + std::to_string(bit_length(code)) +
                             " bits on the layer's finest grid (2^-" + std::to_string(frac) +
                             "); the limit is " + std::to_string(kMaxWeightSpanBits));
      dense.weights(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) =
          static_cast<std::int64_t>(code);
    }
  }
  dense.bias.assign(n_out, 0);
  if (layer.contains("bias")) {
    const std::string bat = json_path(at, "bias");
    const json& b = layer.at("bias");
    if (!b.is_array()) throw ModelError(bat, "expected a list of numbers (one per output)");
    if (b.size() != n_out)
      throw ModelError(bat, "has " + std::to_string(b.size()) + " entries but the layer has " +
                                std::to_string(n_out) + " outputs");
    std::vector<Fixed> bias;
    int bfrac = 0;
    for (std::size_t j = 0; j < n_out; ++j) {
      bias.push_back(parse_exact_number(b[j], json_path(bat, j), kMaxWeightFracBits));
      bfrac = std::max(bfrac, bias.back().frac);
    }
    dense.bias_frac = bfrac;
    for (std::size_t j = 0; j < n_out; ++j) dense.bias[j] = align_code(bias[j], bfrac);
  }
  return dense;
}

QuantizeLayer parse_quantize(const json& layer, std::size_t size, const std::string& at) {
  check_keys(layer, {"type", "name", "to", "rounding", "overflow", "comment"}, at);
  QuantizeLayer q;
  q.to = parse_types(require(layer, "to", at), size, json_path(at, "to"));
  if (layer.contains("rounding")) {
    const std::string r = parse_string(layer.at("rounding"), json_path(at, "rounding"));
    if (r == "TRN")
      q.rounding = Rounding::TRN;
    else if (r == "RND")
      q.rounding = Rounding::RND;
    else
      throw ModelError(json_path(at, "rounding"), "unknown rounding '" + r + "' (TRN or RND)");
  }
  if (layer.contains("overflow")) {
    const std::string o = parse_string(layer.at("overflow"), json_path(at, "overflow"));
    if (o == "WRAP")
      q.overflow = Overflow::WRAP;
    else if (o == "SAT")
      q.overflow = Overflow::SAT;
    else if (o == "SAT_SYM")
      q.overflow = Overflow::SAT_SYM;
    else
      throw ModelError(json_path(at, "overflow"),
                       "unknown overflow '" + o + "' (WRAP, SAT or SAT_SYM)");
  }
  return q;
}

}  // namespace

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

Model parse_model(const json& doc) {
  require_object(doc, "(top level)");
  check_keys(doc, {"name", "input", "layers", "version", "comment", "metadata"}, "");
  Model model;
  model.name = doc.contains("name") ? parse_string(doc.at("name"), "name") : "model";
  if (doc.contains("version")) {
    const long long v = parse_int(doc.at("version"), "version", 0, 1000);
    if (v != 1)
      throw ModelError("version", "unsupported format version " + std::to_string(v) +
                                      " (this da-gen reads version 1)");
  }
  const json& input = require(doc, "input", "(top level)");
  require_object(input, "input");
  check_keys(input, {"size", "type"}, "input");
  const auto size = static_cast<std::size_t>(
      parse_int(require(input, "size", "input"), "input.size", 1, kMaxInputSize));
  model.input_types = parse_types(require(input, "type", "input"), size, "input.type");

  const json& layers = require(doc, "layers", "(top level)");
  if (!layers.is_array()) throw ModelError("layers", "expected a list of layers");
  std::size_t current = size;
  for (std::size_t k = 0; k < layers.size(); ++k) {
    const std::string at = json_path("layers", k);
    const json& layer = layers[k];
    require_object(layer, at);
    const std::string type = parse_string(require(layer, "type", at), json_path(at, "type"));
    if (type == "dense") {
      DenseLayer dense = parse_dense(layer, current, at);
      if (dense.name.empty()) dense.name = "dense" + std::to_string(k);
      current = static_cast<std::size_t>(dense.n_out());
      model.layers.emplace_back(std::move(dense));
    } else if (type == "relu") {
      check_keys(layer, {"type", "name", "comment"}, at);
      model.layers.emplace_back(ReluLayer{});
    } else if (type == "quantize") {
      model.layers.emplace_back(parse_quantize(layer, current, at));
    } else {
      throw ModelError(json_path(at, "type"),
                       "unknown layer type '" + type + "' (dense, relu or quantize)");
    }
    model.layer_paths.push_back(at);
  }
  return model;
}

namespace {

constexpr int kMaxInputFracBits = 64;  // finest --eval input accepted

// `fraction_bits`: the finest numbers the caller accepts (see parse_strict_json).
json read_json_file(const std::string& path, const std::string& what, int fraction_bits,
                    NumberTexts* texts = nullptr) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw ModelError(path, "is a directory, expected the " + what);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ModelError(path, "cannot open the " + what);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw ModelError(path, "cannot read the " + what);
  return parse_strict_json(text.str(), path, fraction_bits, texts);
}

}  // namespace

Model read_model_file(const std::string& path) {
  return parse_model(read_json_file(path, "model file", kMaxWeightFracBits));
}

Model read_model_text(const std::string& text, const std::string& source) {
  return parse_model(parse_strict_json(text, source, kMaxWeightFracBits));
}

std::vector<std::vector<i128>> read_input_vectors(const std::string& path,
                                                  const std::vector<FixedType>& types) {
  // Inputs are read from their text, exactly: a 120-bit type's values do not
  // fit a double.
  NumberTexts texts;
  const json doc = read_json_file(path, "input vectors file", kMaxInputFracBits, &texts);
  if (!doc.is_object() || !doc.contains("inputs") || !doc.at("inputs").is_array())
    throw ModelError("inputs", "expected {\"inputs\": [[...], ...]}");
  std::vector<std::vector<i128>> vectors;
  const json& list = doc.at("inputs");
  for (std::size_t v = 0; v < list.size(); ++v) {
    const std::string at = json_path("inputs", v);
    if (!list[v].is_array() || list[v].size() != types.size())
      throw ModelError(at, "expected a list of " + std::to_string(types.size()) + " numbers");
    std::vector<i128> codes;
    for (std::size_t i = 0; i < types.size(); ++i) {
      const std::string eat = json_path(at, i);
      const auto text = texts.find(eat);
      Fixed x;
      if (list[v][i].is_number_unsigned()) {  // up to 2^64 - 1, for a 64-bit input
        x = {static_cast<i128>(list[v][i].get<std::uint64_t>()), 0};
      } else if (text == texts.end()) {  // a signed integer (or not a number: refused there)
        x = parse_exact_number(list[v][i], eat, kMaxInputFracBits);
      } else if (std::string problem;
                 const auto exact = binary_fraction_of(text->second, problem)) {
        x = *exact;
      } else {
        throw ModelError(eat, text->second + " " + problem);
      }
      const std::string shown = text == texts.end() ? list[v][i].dump() : text->second;
      const int frac = types[i].frac_bits;
      if (x.frac > frac && trailing_zeros(x.code) < x.frac - frac && x.code != 0)
        throw ModelError(eat, shown + " is not on the grid of type " + to_string(types[i]));
      const bool too_wide = x.frac < frac && bit_length(x.code) + (frac - x.frac) > 125;
      const i128 code = too_wide        ? 0
                        : x.frac > frac ? shift_right_floor(x.code, x.frac - frac)
                                        : align_code(x, frac);
      if (too_wide || !code_in_type(code, types[i]))
        throw ModelError(eat, shown + " is out of range of type " + to_string(types[i]));
      codes.push_back(code);
    }
    vectors.push_back(std::move(codes));
  }
  return vectors;
}

int size_after(const Model& model, int layer_index) {
  int size = static_cast<int>(model.input_types.size());
  for (int k = 0; k <= layer_index && k < static_cast<int>(model.layers.size()); ++k) {
    if (const auto* d = std::get_if<DenseLayer>(&model.layers[static_cast<std::size_t>(k)]))
      size = d->n_out();
  }
  return size;
}

}  // namespace dagen
