// Progress of long steps (CMVM solves, the --verify build and simulation) on one
// terminal line, rewritten in place with \r and erased when the step ends.  Silent
// unless a Terminal is installed, which the command line does only when stderr is a
// terminal: piped or redirected output never sees a byte of it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace dagen::progress {

using Clock = std::chrono::steady_clock;

// A step under way: what it does, how far (total 0: unknown), since when.
struct TaskState {
  std::string label;
  std::size_t done = 0, total = 0;
  Clock::time_point start;
};

// Steps that end sooner than this never show (most runs print nothing).
inline constexpr auto kShowAfter = std::chrono::milliseconds(500);
// At most one update of the line per interval (10 a second).
inline constexpr auto kInterval = std::chrono::milliseconds(100);

// The line for `tasks` at `now`: the oldest task that has run kShowAfter, as
// "da-gen: LABEL [DONE/TOTAL] (S.s s)", "+N more" for the other running tasks, cut
// to width - 1 bytes; empty when nothing is to be shown.
std::string render(const std::vector<TaskState>& tasks, Clock::time_point now, std::size_t width);

// One line rewritten in place, rate-limited.
class Line {
 public:
  explicit Line(Clock::duration interval = kInterval) : interval_(interval) {}
  // The bytes that show `text` at `now`: "\r" + text, padded over a longer previous
  // text; empty if `text` is already shown or the last update was less than an
  // interval ago.
  std::string update(const std::string& text, Clock::time_point now);
  // The bytes that erase the shown line ("" if none is shown).
  std::string clear();
  bool shown() const { return !shown_.empty(); }

 private:
  Clock::duration interval_;
  std::string shown_;
  std::optional<Clock::time_point> last_;
};

// The installed sink: draws the running tasks on `stream` from a thread of its own,
// and routes every other write to `stream` through a buffer that first erases the
// line, so messages never land behind progress text.  One at a time.
class Terminal {
 public:
  Terminal(std::ostream& stream, std::size_t width);
  ~Terminal();  // erases the line, restores the stream
  Terminal(const Terminal&) = delete;
  Terminal& operator=(const Terminal&) = delete;

  // A Terminal on std::cerr if file descriptor 2 is a terminal, else nullptr.
  static std::unique_ptr<Terminal> if_stderr_is_a_terminal();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// A step, shown while it runs (a no-op without an installed Terminal).  Thread-safe:
// steps of parallel work each have their own Task.
class Task {
 public:
  explicit Task(std::string label, std::size_t total = 0);
  ~Task();
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;
  void advance(std::size_t n = 1);

 private:
  std::uint64_t id_ = 0;  // 0: not registered
};

}  // namespace dagen::progress
