// The explicit table of model.json ops: name -> parser.  Adding an op is one
// file in src/ops/, one alternative of Op (include/dagen/ops.hpp) and one row
// here; every other dispatch is std::visit over Op and fails to compile when
// the new op lacks a member it needs.
#include <array>

#include "op_common.hpp"

namespace dagen {

namespace {

struct OpEntry {
  const char* name;
  Op (*parse)(const ParseContext&, Shape&);
};

template <class T, T (*F)(const ParseContext&, Shape&)>
Op parse_as(const ParseContext& c, Shape& out) {
  return F(c, out);
}

constexpr std::array kOps{
    OpEntry{"dense", parse_as<DenseOp, &DenseOp::parse>},
    OpEntry{"conv1d", parse_as<ConvOp, &ConvOp::parse_1d>},
    OpEntry{"conv2d", parse_as<ConvOp, &ConvOp::parse_2d>},
    OpEntry{"relu", parse_as<ReluOp, &ReluOp::parse>},
    OpEntry{"quantize", parse_as<QuantizeOp, &QuantizeOp::parse>},
    OpEntry{"lookup", parse_as<LookupOp, &LookupOp::parse>},
    OpEntry{"scale", parse_as<ScaleOp, &ScaleOp::parse>},
    OpEntry{"add", parse_as<AddOp, &AddOp::parse_add>},
    OpEntry{"sub", parse_as<AddOp, &AddOp::parse_sub>},
    OpEntry{"max", parse_as<ExtremumOp, &ExtremumOp::parse_max>},
    OpEntry{"min", parse_as<ExtremumOp, &ExtremumOp::parse_min>},
    OpEntry{"max_pool1d", parse_as<MaxPoolOp, &MaxPoolOp::parse_1d>},
    OpEntry{"max_pool2d", parse_as<MaxPoolOp, &MaxPoolOp::parse_2d>},
    OpEntry{"avg_pool1d", parse_as<AvgPoolOp, &AvgPoolOp::parse_1d>},
    OpEntry{"avg_pool2d", parse_as<AvgPoolOp, &AvgPoolOp::parse_2d>},
    OpEntry{"global_max_pool", parse_as<MaxPoolOp, &MaxPoolOp::parse_global>},
    OpEntry{"global_avg_pool", parse_as<AvgPoolOp, &AvgPoolOp::parse_global>},
    OpEntry{"sum", parse_as<SumOp, &SumOp::parse>},
    OpEntry{"concat", parse_as<ConcatOp, &ConcatOp::parse>},
    OpEntry{"reshape", parse_as<ReshapeOp, &ReshapeOp::parse_reshape>},
    OpEntry{"flatten", parse_as<ReshapeOp, &ReshapeOp::parse_flatten>},
    OpEntry{"transpose", parse_as<TransposeOp, &TransposeOp::parse>},
    OpEntry{"argmax", parse_as<ArgmaxOp, &ArgmaxOp::parse>},
};

}  // namespace

std::vector<std::string> op_names() {
  std::vector<std::string> names;
  for (const OpEntry& e : kOps) names.emplace_back(e.name);
  return names;
}

Op parse_op(const std::string& name, const ParseContext& c, Shape& out) {
  for (const OpEntry& e : kOps)
    if (name == e.name) return e.parse(c, out);
  std::string known;
  for (const OpEntry& e : kOps) known += std::string(known.empty() ? "" : ", ") + e.name;
  throw ModelError(json_path(c.at, "op"), "unknown op '" + name + "' (" + known + ")");
}

}  // namespace dagen
