// Atomic output: stage every file in a hidden sibling directory, then rename
// it into place.  A marker file tells a directory da-gen wrote from a user's.
#include <unistd.h>

#include <fstream>

#include "dagen/diag.hpp"
#include "dagen/flow.hpp"

namespace dagen {

namespace fs = std::filesystem;

namespace {

constexpr const char* kMarker = ".da-gen-output";

bool is_replaceable(const fs::path& dir, bool force) {
  if (!fs::exists(dir)) return true;
  if (!fs::is_directory(dir)) throw ToolError(dir.string() + " exists and is not a directory");
  if (fs::is_empty(dir) || fs::exists(dir / kMarker)) return true;
  return force;
}

}  // namespace

void write_output_dir(const fs::path& dir_in, const std::map<std::string, std::string>& files,
                      bool force, const std::function<void(const fs::path&)>& before_commit) {
  fs::path target = fs::absolute(dir_in).lexically_normal();
  if (!target.has_filename()) target = target.parent_path();
  if (!is_replaceable(target, force))
    throw ToolError(target.string() +
                    " is not empty and was not written by da-gen; use --force to replace it");
  const fs::path parent = target.parent_path();
  if (!fs::is_directory(parent))
    throw ToolError("parent directory " + parent.string() + " does not exist");
  const std::string stem =
      "." + target.filename().string() + ".da-gen-" + std::to_string(::getpid());
  const fs::path staging = parent / (stem + ".new");
  const fs::path old = parent / (stem + ".old");
  std::error_code ec;
  fs::remove_all(staging, ec);
  try {
    fs::create_directory(staging);
    for (const auto& [name, text] : files) {
      std::ofstream out(staging / name, std::ios::binary);
      out << text;
      if (!out) throw ToolError("cannot write " + (staging / name).string());
    }
    std::ofstream(staging / kMarker) << "written by da-gen; safe to replace\n";
    if (before_commit) before_commit(staging);
    if (fs::exists(target)) {
      fs::rename(target, old);
      fs::rename(staging, target);
      fs::remove_all(old);
    } else {
      fs::rename(staging, target);
    }
  } catch (const fs::filesystem_error& e) {
    fs::remove_all(staging, ec);
    throw ToolError(std::string("cannot write the output directory: ") + e.what());
  } catch (...) {
    fs::remove_all(staging, ec);
    throw;
  }
}

}  // namespace dagen
