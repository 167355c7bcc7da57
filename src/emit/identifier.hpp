// The identifier rules the HDL emitters share: any name made legal (never a
// path, never empty, at most 128 characters), a reserved word given a suffix.
#pragma once

#include <string>
#include <string_view>

namespace dagen::emit {

enum class IdentifierRules {
  Verilog,  // [A-Za-z_][A-Za-z0-9_]*, case-sensitive
  Vhdl,     // a letter first, no leading, trailing or double _, case-insensitive
};

// `reserved`: space-separated words (lowercase for Vhdl), with a space at each end.
std::string hdl_identifier(const std::string& name, std::string_view reserved,
                           IdentifierRules rules);

}  // namespace dagen::emit
