// Errors that name where the problem is: a JSON location and what is wrong.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace dagen {

// An invalid model or input file.  what() is one line: "<location>: <problem>".
class ModelError : public std::runtime_error {
 public:
  ModelError(const std::string& location, const std::string& problem);
  const std::string& location() const { return location_; }

 private:
  std::string location_;
};

// A failure of the tool's environment or of a limit (I/O, Verilator, width limits).
class ToolError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A bad option or combination of options.  what() is one line that names the
// option, e.g. "--pipeline must be in [0, 1000]"; the command line prints it
// as a usage error (exit 2).
class OptionError : public std::runtime_error {
 public:
  explicit OptionError(const std::string& message);
};

// A bug in da-gen, never the user's fault: a broken graph invariant, the graph
// disagreeing with the reference model.  main() prints "internal error: ..." (exit 4).
class InternalError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

// "out of memory while <step> (this machine has N GiB of memory...; see docs/limits.md)":
// what ran out and the limit, for a std::bad_alloc caught during `step`.
std::string out_of_memory_message(const std::string& step);

// `text` for a generated or printed file: each byte of `special` after a backslash,
// newline and tab as \n and \t, other control bytes (and, with `ascii_only`, bytes
// above 0x7f) as `hex_escape` and two hex digits.  The one escaper behind error
// messages, Verilog comments and DOT strings.
std::string escaped(const std::string& text, std::string_view special, bool ascii_only,
                    std::string_view hex_escape);

// "layers[2].weights[3][7]"-style path builder.
std::string json_path(const std::string& base, const std::string& key);
std::string json_path(const std::string& base, std::size_t index);

}  // namespace dagen
