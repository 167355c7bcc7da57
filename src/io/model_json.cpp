// model.json reader: the document layout (versions 1 and 2); each op's own keys are read by its
// parser (src/ops/).  Every rejection names the JSON location (e.g. "layers[2].weights[3][7]").
#include "dagen/model_json.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "dagen/diag.hpp"
#include "dagen/json_fields.hpp"
#include "dagen/strict_json.hpp"

namespace dagen {

using nlohmann::json;

namespace {

// Version 1: one input vector and a chain of layers, read as the same graph.
Model parse_version1(const json& doc, Model model) {
  check_keys(doc, {"name", "input", "layers", "version", "comment", "metadata"}, "");
  const json& input = require(doc, "input", "(top level)");
  require_object(input, "input");
  check_keys(input, {"size", "type"}, "input");
  const auto size =
      static_cast<int>(parse_int(require(input, "size", "input"), "input.size", 1, kMaxInputSize));
  model.input_types =
      parse_types(require(input, "type", "input"), static_cast<std::size_t>(size), "input.type");
  model.inputs.push_back({"x", {size}, model.input_types});

  const json& layers = require(doc, "layers", "(top level)");
  if (!layers.is_array()) throw ModelError("layers", "expected a list of layers");
  for (std::size_t k = 0; k < layers.size(); ++k) {
    const std::string at = json_path("layers", k);
    const json& layer = layers[k];
    require_object(layer, at);
    const std::string type = parse_string(require(layer, "type", at), json_path(at, "type"));
    if (type != "dense" && type != "relu" && type != "quantize")
      throw ModelError(json_path(at, "type"),
                       "unknown layer type '" + type + "' (dense, relu or quantize)");
    const int in = model.tensor_count() - 1;
    ParseContext c{layer, at, {model.shape_of(in)}, kMaxTensorSize, true};
    ModelNode node;
    node.op = parse_op(type, c, node.shape);
    node.name = layer.contains("name") ? parse_string(layer.at("name"), json_path(at, "name"))
                                       : type + std::to_string(k);
    node.at = at;
    node.inputs = {in};
    model.nodes.push_back(std::move(node));
  }
  model.outputs = {model.tensor_count() - 1};
  return model;
}

// A node's or the document's reference to tensor `name` at `at`.
int resolve_tensor(const std::map<std::string, int>& defined,
                   const std::map<std::string, std::string>& all, const std::string& name,
                   const std::string& at) {
  if (const auto it = defined.find(name); it != defined.end()) return it->second;
  if (const auto it = all.find(name); it != all.end())
    throw ModelError(at,
                     "tensor '" + name + "' is used before its definition (" + it->second + ")");
  throw ModelError(at, "unknown tensor '" + name + "'");
}

std::string tensor_name(const json& v, const std::string& at) {
  const std::string name = parse_string(v, at);
  if (name.empty()) throw ModelError(at, "a tensor name must not be empty");
  return name;
}

Model parse_version2(const json& doc, Model model) {
  if (doc.contains("input") || doc.contains("layers"))
    throw ModelError("version",
                     "a version 2 document has 'inputs' and 'nodes' ('input' and "
                     "'layers' are version 1; see docs/model-format.md)");
  check_keys(doc, {"name", "inputs", "outputs", "nodes", "version", "comment", "metadata"}, "");
  std::map<std::string, std::string> all;  // every name -> where it is defined
  auto declare = [&](const std::string& name, const std::string& at) {
    if (const auto [it, fresh] = all.emplace(name, at); !fresh)
      throw ModelError(json_path(at, "name"),
                       "duplicate name '" + name + "' (also " + it->second + ")");
  };
  const json& inputs = require(doc, "inputs", "(top level)");
  if (!inputs.is_array() || inputs.empty())
    throw ModelError("inputs", "expected a non-empty list of inputs");
  std::map<std::string, int> defined;
  std::size_t total = 0;
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    const std::string at = json_path("inputs", k);
    const json& in = inputs[k];
    require_object(in, at);
    check_keys(in, {"name", "shape", "type", "comment"}, at);
    ModelInput input;
    input.name = tensor_name(require(in, "name", at), json_path(at, "name"));
    declare(input.name, at);
    input.shape = parse_shape(require(in, "shape", at), json_path(at, "shape"), kMaxInputSize);
    total += element_count(input.shape);
    if (total > static_cast<std::size_t>(kMaxInputSize))
      throw ModelError(json_path(at, "shape"), "the inputs have more than " +
                                                   std::to_string(kMaxInputSize) +
                                                   " elements in all, the limit (docs/limits.md)");
    input.types = parse_types(require(in, "type", at), element_count(input.shape),
                              json_path(at, "type"), "the tensor");
    model.input_types.insert(model.input_types.end(), input.types.begin(), input.types.end());
    defined.emplace(input.name, static_cast<int>(k));
    model.inputs.push_back(std::move(input));
  }
  const json& nodes = require(doc, "nodes", "(top level)");
  if (!nodes.is_array() || nodes.empty())
    throw ModelError("nodes", "expected a non-empty list of nodes");
  for (std::size_t k = 0; k < nodes.size(); ++k) {
    const std::string at = json_path("nodes", k);
    require_object(nodes[k], at);
    declare(tensor_name(require(nodes[k], "name", at), json_path(at, "name")), at);
  }
  for (std::size_t k = 0; k < nodes.size(); ++k) {
    const std::string at = json_path("nodes", k);
    const json& j = nodes[k];
    ModelNode node;
    node.at = at;
    node.name = j.at("name").get<std::string>();
    const std::string op = parse_string(require(j, "op", at), json_path(at, "op"));
    if (j.contains("input") == j.contains("inputs"))
      throw ModelError(at, "needs exactly one of 'input' (a tensor) and 'inputs' (a list)");
    if (j.contains("input")) {
      const std::string iat = json_path(at, "input");
      node.inputs.push_back(resolve_tensor(defined, all, tensor_name(j.at("input"), iat), iat));
    } else {
      const std::string iat = json_path(at, "inputs");
      const json& list = j.at("inputs");
      if (!list.is_array() || list.empty())
        throw ModelError(iat, "expected a non-empty list of tensor names");
      for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string eat = json_path(iat, i);
        node.inputs.push_back(resolve_tensor(defined, all, tensor_name(list[i], eat), eat));
      }
    }
    ParseContext c{j, at, {}, kMaxTensorSize, false};
    for (int t : node.inputs) c.inputs.push_back(model.shape_of(t));
    node.op = parse_op(op, c, node.shape);
    defined.emplace(node.name, model.tensor_count());
    model.nodes.push_back(std::move(node));
  }
  if (doc.contains("outputs")) {
    const json& outs = doc.at("outputs");
    if (!outs.is_array() || outs.empty())
      throw ModelError("outputs", "expected a non-empty list of tensor names");
    for (std::size_t k = 0; k < outs.size(); ++k) {
      const std::string at = json_path("outputs", k);
      model.outputs.push_back(resolve_tensor(defined, all, tensor_name(outs[k], at), at));
    }
  } else {
    model.outputs = {model.tensor_count() - 1};
  }
  return model;
}

}  // namespace

Model parse_model(const json& doc) {
  require_object(doc, "(top level)");
  Model model;
  if (doc.contains("name"))
    model.name = parse_string(doc.at("name"), "name");
  else
    model.name = "model";
  if (doc.contains("version")) {
    const long long v = parse_int(doc.at("version"), "version", 0, 1000);
    if (v != 1 && v != 2)
      throw ModelError("version", "unsupported format version " + std::to_string(v) +
                                      " (this da-gen reads versions 1 and 2)");
    model.version = static_cast<int>(v);
  }
  return model.version == 2 ? parse_version2(doc, std::move(model))
                            : parse_version1(doc, std::move(model));
}

const Shape& Model::shape_of(int t) const {
  return is_input(t) ? inputs[static_cast<std::size_t>(t)].shape : node_of(t).shape;
}

const std::string& Model::tensor_name(int t) const {
  return is_input(t) ? inputs[static_cast<std::size_t>(t)].name : node_of(t).name;
}

NodeContext Model::context_of(const ModelNode& n) const {
  NodeContext c{n.at, {}, n.shape};
  for (int t : n.inputs) c.inputs.push_back(shape_of(t));
  return c;
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

}  // namespace dagen
