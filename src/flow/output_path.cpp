// Which directories -o may name: never one that holds the user's other work
// (the root, the home and working directories, the model's directory, or a
// parent of any of them), judged after following symlinks.
#include <cstdlib>

#include "dagen/diag.hpp"
#include "dagen/flow.hpp"

namespace dagen {

namespace fs = std::filesystem;

namespace {

fs::path without_trailing_slash(fs::path p) {
  if (!p.has_filename() && p != p.root_path()) p = p.parent_path();
  return p;
}

// `p` with symlinks resolved as far as it exists; the lexical path if even that fails.
fs::path resolved(const fs::path& p) {
  fs::path q = without_trailing_slash(fs::absolute(p).lexically_normal());
  std::error_code ec;
  // weakly_canonical stops at a dangling symlink: follow it to the directory it names.
  for (int hops = 0; hops < 40 && fs::is_symlink(fs::symlink_status(q, ec)) && !fs::exists(q, ec);
       ++hops) {
    const fs::path to = fs::read_symlink(q, ec);
    if (ec) break;
    q = without_trailing_slash((to.is_absolute() ? to : q.parent_path() / to).lexically_normal());
  }
  fs::path r = fs::weakly_canonical(q, ec);
  if (ec) r = q;
  return without_trailing_slash(r);
}

// Whether `a` is `b` or one of its parents (both absolute and normal).
bool contains(const fs::path& a, const fs::path& b) {
  auto bi = b.begin();
  for (auto ai = a.begin(); ai != a.end(); ++ai, ++bi)
    if (bi == b.end() || *ai != *bi) return false;
  return true;
}

}  // namespace

namespace {

OutputDir resolve_checked(const std::string& option, const fs::path& model_file) {
  OutputDir d;
  d.shown = without_trailing_slash(fs::absolute(option).lexically_normal());
  d.real = resolved(d.shown);
  const auto refuse = [&](const fs::path& other, const char* what) {
    if (d.real == other) throw ToolError("-o " + option + ": refusing to write into the " + what);
    if (contains(d.real, other))
      throw ToolError("-o " + option + ": refusing to write into a parent of the " + what);
  };
  if (d.real == d.real.root_path())
    throw ToolError("-o " + option + ": refusing to write into the root directory");
  refuse(resolved(fs::current_path()), "working directory");
  if (const char* home = std::getenv("HOME"); home && *home)
    refuse(resolved(home), "home directory");
  // The model's directory as named and, for a symlinked model, where it really is.
  refuse(resolved(fs::absolute(model_file).parent_path()), "model's directory");
  refuse(resolved(model_file).parent_path(), "model's directory");
  return d;
}

}  // namespace

OutputDir resolve_output_dir(const std::string& option, const fs::path& model_file) {
  try {
    return resolve_checked(option, model_file);
  } catch (const fs::filesystem_error& e) {  // e.g. the working directory was deleted
    throw ToolError("-o " + option + ": cannot resolve the path: " + e.code().message());
  }
}

}  // namespace dagen
