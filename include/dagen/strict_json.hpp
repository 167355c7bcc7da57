// A JSON reader stricter than the standard: it rejects what a user would not
// notice being silently changed.  Used for model files and --eval inputs.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace dagen {

// Parses `text` like nlohmann::json::parse, but throws ModelError naming the
// JSON location (json_path() style, e.g. "layers[0].weights[1][0]") for
//  * a key that occurs twice in one object ("duplicate key 'k'");
//  * a number whose decimal text is not exactly the double it parses to, when
//    that double is a binary fraction with at most `fraction_bits` fractional
//    bits below 2^127 (e.g. 1e-400, 0.50000000000000000001, 2^64 + 1).  Other
//    doubles (with 32: 0.1, 1e-300) are left to the caller, whose rules must
//    refuse every value that is not such a fraction, with a message of its own.
// JSON syntax errors throw ModelError(`source`, "invalid JSON: ...").
nlohmann::json parse_strict_json(const std::string& text, const std::string& source,
                                 int fraction_bits);

}  // namespace dagen
