// The progress line: its text, its rate limit, and the Terminal that draws it.
#include "dagen/progress.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <thread>

namespace dagen::progress {
namespace {

using namespace std::chrono_literals;

TEST(Progress, RenderShowsTheOldestTaskOnceItHasRunHalfASecond) {
  const Clock::time_point t0{};
  std::vector<TaskState> tasks = {{"solving the CMVM problems of layers[1]", 3, 12, t0}};
  EXPECT_EQ(render(tasks, t0 + 400ms, 80), "");
  EXPECT_EQ(render(tasks, t0 + 2500ms, 80),
            "da-gen: solving the CMVM problems of layers[1] 3/12 (2.5 s)");
  tasks.push_back({"verify: building", 0, 0, t0 + 1s});
  tasks.push_back({"x", 0, 0, t0 + 2s});
  EXPECT_EQ(render(tasks, t0 + 2500ms, 80),
            "da-gen: solving the CMVM problems of layers[1] 3/12 (2.5 s) +2 more");
  EXPECT_EQ(render(tasks, t0 + 2500ms, 21), "da-gen: solving the ");  // width - 1
  EXPECT_EQ(render({{"a\nb\rc", 0, 0, t0}}, t0 + 1s, 80), "da-gen: a b c (1.0 s)");
  EXPECT_EQ(render({}, t0 + 1s, 80), "");
}

TEST(Progress, LineRewritesInPlaceAtMostTenTimesASecond) {
  const Clock::time_point t0{};
  Line line;
  EXPECT_FALSE(line.shown());
  EXPECT_EQ(line.clear(), "");
  EXPECT_EQ(line.update("da-gen: abc (0.5 s)", t0), "\rda-gen: abc (0.5 s)");
  EXPECT_EQ(line.update("da-gen: abc (0.6 s)", t0 + 50ms), "");               // too soon
  EXPECT_EQ(line.update("da-gen: abc (0.5 s)", t0 + 200ms), "");              // unchanged
  EXPECT_EQ(line.update("da-gen: ab", t0 + 100ms), "\rda-gen: ab         ");  // over the longer one
  EXPECT_TRUE(line.shown());
  EXPECT_EQ(line.clear(), "\r" + std::string(10, ' ') + "\r");
  EXPECT_FALSE(line.shown());
  // At most 10 updates in a second of changing text offered every millisecond.
  Line busy;
  int writes = 0;
  for (int ms = 0; ms < 1000; ++ms)
    writes += !busy.update("t" + std::to_string(ms), t0 + std::chrono::milliseconds(ms)).empty();
  EXPECT_EQ(writes, 10);
}

TEST(Progress, TerminalDrawsRunningTasksAndErasesBeforeOtherOutput) {
  std::ostringstream out;
  {
    Terminal terminal(out, 80);
    Task task("step", 3);
    task.advance(2);
    std::this_thread::sleep_for(800ms);
    const std::string drawn = out.str();
    EXPECT_NE(drawn.find("\rda-gen: step 2/3 ("), std::string::npos) << drawn;
    out << "message\n";  // through the stream: the line is erased first
    const std::string after = out.str().substr(drawn.size());
    EXPECT_EQ(after.substr(0, 1), "\r") << after;
    EXPECT_NE(after.find("\rmessage\n"), std::string::npos) << after;
    std::this_thread::sleep_for(300ms);  // drawn again below the message
    EXPECT_NE(out.str().find("message\n\rda-gen: step 2/3 ("), std::string::npos) << out.str();
  }
  // The task's end erased the line: the text ends with a \r after blanks.
  const std::string all = out.str();
  ASSERT_GE(all.size(), 2u);
  EXPECT_EQ(all.substr(all.size() - 2), " \r");
}

TEST(Progress, WithoutATerminalTasksWriteNothing) {
  std::ostringstream out;
  std::streambuf* before = std::cerr.rdbuf(out.rdbuf());
  {
    Task task("step", 3);
    task.advance();
    std::this_thread::sleep_for(600ms);
  }
  std::cerr.rdbuf(before);
  EXPECT_EQ(out.str(), "");
}

}  // namespace
}  // namespace dagen::progress
