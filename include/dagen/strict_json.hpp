// A JSON reader stricter than the standard: it rejects what a user would not
// notice being silently changed.  Used for model files and --eval inputs.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "dagen/fixed.hpp"

namespace dagen {

// Parses `text` like nlohmann::json::parse, but throws ModelError naming the
// JSON location (json_path() style, e.g. "layers[0].weights[1][0]") for
//  * a key that occurs twice in one object ("duplicate key 'k'");
//  * a number whose text claims a value the double it parses to does not have,
//    when that double is a binary fraction with at most `fraction_bits`
//    fractional bits below 2^127: a nonzero text that reads as 0 (1e-400), or
//    more than 17 significant digits that are not the double's exact value
//    correctly rounded (0.50000000000000000001, 2^64 + 1).  Texts of at most 17
//    digits (a double's precision) name their nearest double, as every
//    shortest-round-trip printer writes it (Python: 1.0000000002328306 for
//    1 + 2^-32).  Other doubles (with 32: 0.1, 1e-300) are left to the
//    caller, whose rules must refuse every value that is not such a fraction,
//    with a message of its own.
// JSON syntax errors throw ModelError(`source`, "invalid JSON: ...").
// With `texts`, every number lexed as floating point is not checked but its
// text is stored there by its path, for a caller that reads it exactly.
using NumberTexts = std::map<std::string, std::string>;
nlohmann::json parse_strict_json(const std::string& text, const std::string& source,
                                 int fraction_bits, NumberTexts* texts = nullptr);

// The binary fraction a JSON number's text denotes: its exact value when that
// is one whose code fits 126 bits ("1267650600228229401496703205377" = 2^100 + 1,
// "-0.75"); else the double it reads as, when the text is a spelling of that
// double (see parse_strict_json: Python writes 2^-33 as 1.1641532182693481e-10)
// and it has at most 64 fractional bits; otherwise nullopt and `problem` says
// why ("is not an exact binary fraction").
std::optional<Fixed> binary_fraction_of(const std::string& text, std::string& problem);

}  // namespace dagen
