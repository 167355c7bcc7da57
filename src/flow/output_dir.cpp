// The output directory is never replaced as a whole: da-gen replaces exactly
// the files its manifest (.da-gen-output) lists and never touches any other,
// nor a listed file whose content changed since (the user edited it).
// New files are staged in a hidden directory inside the target, then moved in
// by renames that never replace anything (old own files are moved aside
// first), so a failure part-way rolls every rename back.  An exclusive flock
// on the directory keeps a concurrent run out.
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <vector>

#include "dagen/diag.hpp"
#include "dagen/flow.hpp"
#include "dagen/interrupt.hpp"

namespace dagen {

namespace fs = std::filesystem;

namespace {

constexpr const char* kManifest = ".da-gen-output";
constexpr const char* kHeader =
    "# da-gen manifest 1: da-gen wrote the files below; its next run replaces only these";
// What .da-gen-output held before it listed the files (da-gen then replaced
// the whole directory, so it cannot tell its files from ones added later).
constexpr const char* kOldMarker = "written by da-gen; safe to replace\n";
constexpr const char* kStagingPrefix = ".da-gen-staging-";

std::string error_text() { return std::strerror(errno); }

bool plain_name(const std::string& n) {
  return !n.empty() && n != "." && n != ".." && n.find_first_of(std::string("/\n\0", 3)) == n.npos;
}

bool is_staging_name(const std::string& n) {
  const std::string p = kStagingPrefix;
  return n.size() > p.size() && n.compare(0, p.size(), p) == 0 &&
         n.find_first_not_of("0123456789", p.size()) == n.npos;
}

bool entry_exists(const fs::path& p) {
  std::error_code ec;
  return fs::exists(fs::symlink_status(p, ec));
}

bool is_plain_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(fs::symlink_status(p, ec));
}

void write_text(const fs::path& p, const std::string& text, const std::string& shown) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) throw ToolError("cannot write into " + shown + ": " + error_text());
}

// A file's content fingerprint (64-bit FNV-1a, as 16 hex digits): a file whose
// content differs from what da-gen wrote has been edited and is the user's now.
std::string fingerprint(const std::string& text) {
  std::uint64_t h = 14695981039346656037ull;
  for (const unsigned char c : text) h = (h ^ c) * 1099511628211ull;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

std::optional<std::string> file_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream all;
  all << in.rdbuf();
  if (!in && !in.eof()) return std::nullopt;
  return all.str();
}

// Manifest lines: "<fingerprint> <name>", sorted by name.
using Listing = std::map<std::string, std::string>;  // name -> fingerprint
std::string manifest_text(const Listing& files) {
  std::string s = std::string(kHeader) + "\n";
  for (const auto& [name, print] : files) s += print + " " + name + "\n";
  return s;
}

// What .da-gen-output says about the directory.
struct Manifest {
  enum Kind { None, OldMarker, Listed, Foreign } kind = None;
  Listing files;  // Listed: the files da-gen wrote there, with their content's fingerprints
};

Manifest read_manifest(const fs::path& dir) {
  Manifest m;
  const fs::path p = dir / kManifest;
  if (!entry_exists(p)) return m;
  m.kind = Manifest::Foreign;
  if (!is_plain_file(p)) return m;
  std::ifstream in(p, std::ios::binary);
  std::stringstream all;
  all << in.rdbuf();
  const std::string text = all.str();
  if (text == kOldMarker) {
    m.kind = Manifest::OldMarker;
    return m;
  }
  std::istringstream lines(text);
  std::string line;
  if (!std::getline(lines, line) || line != kHeader) return m;
  Listing files;
  // A line da-gen cannot have written: the whole list is not trusted.
  while (std::getline(lines, line)) {
    const std::string print = line.substr(0, 16), name = line.size() > 17 ? line.substr(17) : "";
    if (line.size() < 18 || line[16] != ' ' ||
        print.find_first_not_of("0123456789abcdef") != print.npos || !plain_name(name) ||
        name == kManifest || is_staging_name(name) || !files.emplace(name, print).second)
      return m;
  }
  m.kind = Manifest::Listed;
  m.files = std::move(files);
  return m;
}

// rename() that never replaces `to`; link() where the file system lacks RENAME_NOREPLACE.
bool move_noreplace(const fs::path& from, const fs::path& to) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return true;
  if (errno != EINVAL && errno != ENOSYS) return false;
  if (::link(from.c_str(), to.c_str()) != 0) return false;
  ::unlink(from.c_str());
  return true;
}

// The target directory, created if missing and locked; a directory this run
// created is removed again unless the run committed.
class LockedDir {
 public:
  explicit LockedDir(const OutputDir& d) : real_(d.real) {
    const std::string shown = d.shown.string();
    std::error_code ec;
    const auto st = fs::status(real_, ec);
    if (fs::exists(st)) {
      if (!fs::is_directory(st)) throw ToolError(shown + " exists and is not a directory");
    } else {
      if (!fs::is_directory(real_.parent_path(), ec))
        throw ToolError("parent directory " + d.shown.parent_path().string() + " does not exist");
      if (::mkdir(real_.c_str(), 0777) == 0)
        created_ = true;
      else if (errno != EEXIST)
        throw ToolError("cannot create " + shown + ": " + error_text());
    }
    fd_ = ::open(real_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd_ < 0) fail("cannot open " + shown + ": " + error_text());
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0)
      fail(errno == EWOULDBLOCK ? shown + " is being written by another da-gen run"
                                : "cannot lock " + shown + ": " + error_text());
  }
  ~LockedDir() {
    if (created_ && !committed_) ::rmdir(real_.c_str());  // only if still empty
    if (fd_ >= 0) ::close(fd_);
  }
  LockedDir(const LockedDir&) = delete;
  LockedDir& operator=(const LockedDir&) = delete;
  void committed() { committed_ = true; }

 private:
  [[noreturn]] void fail(const std::string& message) {
    if (fd_ >= 0) ::close(fd_);
    if (created_) ::rmdir(real_.c_str());
    throw ToolError(message);
  }
  fs::path real_;
  int fd_ = -1;
  bool created_ = false, committed_ = false;
};

// The staging directory; removed at scope exit unless a rollback failed (it
// then holds the only copy of an old file).
struct Staging {
  fs::path path;
  bool keep = false;
  ~Staging() {
    std::error_code ec;
    if (!path.empty() && !keep) fs::remove_all(path, ec);
  }
};

void write_locked(const OutputDir& dir, const std::map<std::string, std::string>& files, bool force,
                  const OutputCheck& check) {
  for (const auto& [name, text] : files)
    if (!plain_name(name) || name == kManifest || is_staging_name(name))
      throw ToolError("internal: cannot write an output file named '" + name + "'");
  InterruptGuard interrupts;  // from here on a signal leaves the previous state
  const std::string shown = dir.shown.string();
  const fs::path& real = dir.real;
  LockedDir lock(dir);

  // Under the lock: what is da-gen's here, and what would this run collide with.
  const Manifest old = read_manifest(real);
  if (old.kind == Manifest::Foreign)
    throw ToolError((dir.shown / kManifest).string() +
                    " is not a da-gen manifest; da-gen never replaces it, even with --force");
  Listing own;                   // old files da-gen may replace or remove
  std::set<std::string> edited;  // listed, but changed since: the user's now, never touched
  for (const auto& [n, print] : old.files) {
    if (!is_plain_file(real / n)) continue;
    const auto text = file_text(real / n);
    if (text && fingerprint(*text) == print)
      own.emplace(n, print);
    else
      edited.insert(n);
  }
  bool empty = true;
  for (const auto& e : fs::directory_iterator(real)) {
    const std::string n = e.path().filename().string();
    if (n != kManifest && !is_staging_name(n)) empty = false;
  }
  if (old.kind != Manifest::Listed && !empty && !force) {
    if (old.kind == Manifest::OldMarker)
      throw ToolError(shown +
                      " was written by an older da-gen that kept no list of its files; remove "
                      "them, or use --force to add the new files beside them");
    throw ToolError(shown +
                    " is not empty and was not written by da-gen; use --force to add da-gen's "
                    "files beside the files there (none is replaced)");
  }
  for (const auto& [name, text] : files)
    if (edited.count(name))
      throw ToolError((dir.shown / name).string() +
                      " was changed since da-gen wrote it; da-gen never replaces it, even with "
                      "--force (move it away to regenerate it)");
  for (const auto& [name, text] : files)
    if (entry_exists(real / name) && !own.count(name))
      throw ToolError((dir.shown / name).string() +
                      " exists and was not written by da-gen; da-gen never replaces it, even with "
                      "--force");

  // Staging directories of killed runs (no live run holds the lock).
  for (const auto& e : fs::directory_iterator(real))
    if (is_staging_name(e.path().filename().string()) && e.is_directory() && !e.is_symlink()) {
      std::error_code ec;
      fs::remove_all(e.path(), ec);
    }
  Staging staging;
  const fs::path stage = real / (kStagingPrefix + std::to_string(::getpid()));
  if (::mkdir(stage.c_str(), 0700) != 0)
    throw ToolError("cannot write into " + shown + ": " + error_text());
  staging.path = stage;
  Listing fresh;  // the new files, fingerprinted as finally written
  for (const auto& [name, text] : files) {
    write_text(stage / name, text, shown);
    fresh[name] = fingerprint(text);
  }
  if (check) {
    for (const auto& [name, text] : check(stage)) {
      if (!files.count(name)) throw ToolError("internal: the check rewrote unknown file " + name);
      write_text(stage / name, text, shown);
      fresh[name] = fingerprint(text);
    }
  }

  // The commit: every step is a rename that replaces nothing, journaled for rollback.
  Listing both = fresh;
  both.insert(own.begin(), own.end());  // keeps the new fingerprint of a file in both
  const fs::path aside = stage / ".old";
  if (::mkdir(aside.c_str(), 0700) != 0)
    throw ToolError("cannot write into " + shown + ": " + error_text());
  // First a manifest claiming old and new files, so a run killed mid-commit
  // leaves nothing the next run would take for the user's.
  write_text(stage / ".manifest.both", manifest_text(both), shown);
  write_text(stage / ".manifest.new", manifest_text(fresh), shown);
  throw_if_interrupted();
  std::vector<std::pair<fs::path, fs::path>> moves;
  const auto move = [&](const fs::path& from, const fs::path& to) {
    if (move_noreplace(from, to)) {
      moves.emplace_back(from, to);
      return;
    }
    const std::string name = (dir.shown / to.filename()).string();
    if (errno == EEXIST)  // a file made while this run staged (e.g. during --verify)
      throw ToolError(name +
                      " exists and was not written by da-gen; da-gen never replaces it, even with "
                      "--force");
    throw ToolError("cannot write " + name + ": " + error_text());
  };
  try {
    if (entry_exists(real / kManifest)) move(real / kManifest, aside / kManifest);
    move(stage / ".manifest.both", real / kManifest);
    for (const auto& [n, print] : own)  // still da-gen's plain file (not replaced meanwhile)
      if (is_plain_file(real / n)) move(real / n, aside / n);
    for (const auto& [n, print] : fresh) move(stage / n, real / n);
    if (::rename((stage / ".manifest.new").c_str(), (real / kManifest).c_str()) != 0)
      throw ToolError("cannot write " + (dir.shown / kManifest).string() + ": " + error_text());
  } catch (...) {
    for (auto m = moves.rbegin(); m != moves.rend(); ++m)
      if (::rename(m->second.c_str(), m->first.c_str()) != 0) staging.keep = true;
    if (staging.keep)
      throw ToolError("cannot write into " + shown +
                      " and could not restore it; its old files are in " +
                      (dir.shown / stage.filename()).string());
    throw;
  }
  lock.committed();
}

}  // namespace

void write_output_dir(const OutputDir& dir, const std::map<std::string, std::string>& files,
                      bool force, const OutputCheck& check) {
  try {
    write_locked(dir, files, force, check);
  } catch (const fs::filesystem_error& e) {  // e.g. an unreadable directory
    throw ToolError("cannot write into " + dir.shown.string() + ": " + e.code().message());
  }
}

}  // namespace dagen
