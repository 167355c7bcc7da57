// The progress line: rendering, rate limiting, the drawing thread and the buffer
// that erases the line before any other write to the stream.
#include "dagen/progress.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <condition_variable>
#include <cstdio>
#include <iostream>
#include <map>
#include <mutex>
#include <stop_token>
#include <streambuf>
#include <thread>

namespace dagen::progress {

std::string render(const std::vector<TaskState>& tasks, Clock::time_point now, std::size_t width) {
  const TaskState* oldest = nullptr;
  for (const TaskState& t : tasks)
    if (!oldest || t.start < oldest->start) oldest = &t;
  if (!oldest || now - oldest->start < kShowAfter) return "";
  const double seconds = std::chrono::duration<double>(now - oldest->start).count();
  char time[32];
  std::snprintf(time, sizeof time, " (%.1f s)", seconds);
  std::string text = "da-gen: " + oldest->label;
  if (oldest->total > 0)
    text += " " + std::to_string(oldest->done) + "/" + std::to_string(oldest->total);
  text += time;
  if (tasks.size() > 1) text += " +" + std::to_string(tasks.size() - 1) + " more";
  for (char& c : text)  // one line, whatever a label holds
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  if (width > 1 && text.size() > width - 1) text.resize(width - 1);
  return text;
}

std::string Line::update(const std::string& text, Clock::time_point now) {
  if (text == shown_ || (last_ && now - *last_ < interval_)) return "";
  std::string out = "\r" + text;
  if (shown_.size() > text.size()) out += std::string(shown_.size() - text.size(), ' ');
  shown_ = text;
  last_ = now;
  return out;
}

std::string Line::clear() {
  if (shown_.empty()) return "";
  const std::string out = "\r" + std::string(shown_.size(), ' ') + "\r";
  shown_.clear();
  return out;
}

namespace {

std::mutex g_mutex;           // guards the installed terminal, its tasks and its line
std::uint64_t g_next_id = 1;  // task ids, unique across terminals

// Writes to the stream: the line erased first.
class ErasingBuffer : public std::streambuf {
 public:
  ErasingBuffer(std::streambuf* target, Line& line) : target_(target), line_(line) {}

 protected:
  int overflow(int c) override {
    std::lock_guard lock(g_mutex);
    erase();
    return c == traits_type::eof() ? traits_type::not_eof(c)
                                   : target_->sputc(traits_type::to_char_type(c));
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    std::lock_guard lock(g_mutex);
    erase();
    return target_->sputn(s, n);
  }
  int sync() override { return target_->pubsync(); }

 private:
  void erase() {
    const std::string bytes = line_.clear();
    if (!bytes.empty()) target_->sputn(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  std::streambuf* target_;
  Line& line_;
};

}  // namespace

struct Terminal::Impl {
  std::ostream& stream;
  std::streambuf* target;
  std::size_t width;
  Line line;
  ErasingBuffer buffer;
  std::map<std::uint64_t, TaskState> tasks;
  std::condition_variable_any wake;
  std::jthread ticker;

  Impl(std::ostream& s, std::size_t w)
      : stream(s), target(s.rdbuf()), width(w), buffer(target, line) {}

  void write(const std::string& bytes) {  // with g_mutex held
    if (bytes.empty()) return;
    target->sputn(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    target->pubsync();
  }

  void draw() {  // with g_mutex held
    std::vector<TaskState> running;
    for (const auto& [id, t] : tasks) running.push_back(t);
    const std::string text = render(running, Clock::now(), width);
    write(text.empty() ? line.clear() : line.update(text, Clock::now()));
  }
};

namespace {
Terminal::Impl* g_terminal = nullptr;
}

Terminal::Terminal(std::ostream& stream, std::size_t width)
    : impl_(std::make_unique<Impl>(stream, width)) {
  std::unique_lock lock(g_mutex);
  g_terminal = impl_.get();
  stream.rdbuf(&impl_->buffer);
  impl_->ticker = std::jthread([impl = impl_.get()](std::stop_token stop) {
    std::unique_lock lock(g_mutex);
    while (!stop.stop_requested()) {
      impl->draw();
      impl->wake.wait_for(lock, stop, kInterval, [] { return false; });
    }
  });
}

Terminal::~Terminal() {
  impl_->ticker.request_stop();
  impl_->ticker.join();
  std::lock_guard lock(g_mutex);
  impl_->write(impl_->line.clear());
  impl_->stream.rdbuf(impl_->target);
  g_terminal = nullptr;
}

std::unique_ptr<Terminal> Terminal::if_stderr_is_a_terminal() {
  if (!::isatty(STDERR_FILENO)) return nullptr;
  winsize size{};
  const std::size_t width =
      ::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0 ? size.ws_col : 80;
  return std::make_unique<Terminal>(std::cerr, width);
}

Task::Task(std::string label, std::size_t total) {
  std::lock_guard lock(g_mutex);
  if (!g_terminal) return;
  id_ = g_next_id++;
  g_terminal->tasks[id_] = {std::move(label), 0, total, Clock::now()};
}

void Task::advance(std::size_t n) {
  if (id_ == 0) return;
  std::lock_guard lock(g_mutex);
  if (!g_terminal) return;
  if (const auto it = g_terminal->tasks.find(id_); it != g_terminal->tasks.end())
    it->second.done += n;
}

Task::~Task() {
  if (id_ == 0) return;
  std::lock_guard lock(g_mutex);
  if (!g_terminal) return;
  g_terminal->tasks.erase(id_);
  if (g_terminal->tasks.empty()) g_terminal->write(g_terminal->line.clear());  // gone at once
}

}  // namespace dagen::progress
