// Reading the fields of a model.json document: every function throws ModelError
// naming the JSON location (e.g. "nodes[2].kernel[0][1]") and the problem.
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "dagen/fixed.hpp"
#include "dagen/tensor.hpp"

namespace dagen {

const nlohmann::json& require(const nlohmann::json& object, const std::string& key,
                              const std::string& at);
void check_keys(const nlohmann::json& object, const std::set<std::string>& allowed,
                const std::string& at);
void require_object(const nlohmann::json& value, const std::string& at);
long long parse_int(const nlohmann::json& value, const std::string& at, long long lo, long long hi);
std::string parse_string(const nlohmann::json& value, const std::string& at);
bool parse_bool(const nlohmann::json& value, const std::string& at);
FixedType parse_type(const nlohmann::json& value, const std::string& at);
// One type for all `size` elements, or a list of exactly `size` types;
// `what` names the elements in the count error ("the layer", "the tensor").
std::vector<FixedType> parse_types(const nlohmann::json& value, std::size_t size,
                                   const std::string& at, const std::string& what = "the layer");
Rounding parse_rounding(const nlohmann::json& value, const std::string& at);
Overflow parse_overflow(const nlohmann::json& value, const std::string& at);

// A JSON number that must be an exact binary fraction with at most max_frac
// fractional bits.
Fixed parse_exact_number(const nlohmann::json& value, const std::string& location, int max_frac);

// A nested list of exact numbers with exactly the given shape, flattened in C order.
std::vector<Fixed> parse_number_array(const nlohmann::json& value, const Shape& shape,
                                      const std::string& at, int max_frac);

// An int, or a list of `count` ints, each in [lo, hi] ("strides": 2 or [2, 1]).
std::vector<int> parse_int_or_list(const nlohmann::json& value, std::size_t count,
                                   const std::string& at, int lo, int hi);

// A shape: a list of positive dimensions (an empty list is a scalar).
Shape parse_shape(const nlohmann::json& value, const std::string& at, std::size_t max_elements);

}  // namespace dagen
