// Which directories -o may name: never one that holds the user's other work
// (the root, the home and working directories, the model's directory, or a
// parent of any of them), judged after following symlinks.
#include <cstdlib>

#include "dagen/diag.hpp"
#include "dagen/flow.hpp"

namespace dagen {

namespace fs = std::filesystem;

namespace {

// `p` with symlinks resolved as far as it exists; the lexical path if even that fails.
fs::path resolved(const fs::path& p) {
  std::error_code ec;
  fs::path r = fs::weakly_canonical(fs::absolute(p), ec);
  if (ec) r = fs::absolute(p).lexically_normal();
  if (!r.has_filename() && r != r.root_path()) r = r.parent_path();
  return r;
}

// Whether `a` is `b` or one of its parents (both absolute and normal).
bool contains(const fs::path& a, const fs::path& b) {
  auto bi = b.begin();
  for (auto ai = a.begin(); ai != a.end(); ++ai, ++bi)
    if (bi == b.end() || *ai != *bi) return false;
  return true;
}

}  // namespace

OutputDir resolve_output_dir(const std::string& option, const fs::path& model_file) {
  OutputDir d;
  d.shown = fs::absolute(option).lexically_normal();
  if (!d.shown.has_filename() && d.shown != d.shown.root_path()) d.shown = d.shown.parent_path();
  d.real = resolved(d.shown);
  const auto refuse = [&](const fs::path& other, const char* what) {
    if (d.real == other) throw ToolError("-o " + option + ": refusing to write into the " + what);
    if (contains(d.real, other))
      throw ToolError("-o " + option + ": refusing to write into a parent of the " + what);
  };
  if (d.real == d.real.root_path())
    throw ToolError("-o " + option + ": refusing to write into the root directory");
  if (const char* home = std::getenv("HOME"); home && *home)
    refuse(resolved(home), "home directory");
  refuse(resolved(fs::current_path()), "working directory");
  // The model's directory as named and, for a symlinked model, where it really is.
  refuse(resolved(fs::absolute(model_file).parent_path()), "model's directory");
  refuse(resolved(model_file).parent_path(), "model's directory");
  return d;
}

}  // namespace dagen
