// run_parallel: independent tasks on at most as many threads as the machine has cores.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace dagen {

// Runs task(i) for every i in [0, n); returns when all are done and rethrows the
// exception of the lowest i that threw.  At most hardware_concurrency() tasks run
// at once, which also bounds the memory they hold at the same time.
template <class Task>
void run_parallel(std::size_t n, const Task& task) {
  std::vector<std::exception_ptr> failed(n);
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < n; i = next++) {
      try {
        task(i);
      } catch (...) {
        failed[i] = std::current_exception();
      }
    }
  };
  const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::jthread> threads;
  for (std::size_t t = 1; t < std::min(n, cores); ++t) threads.emplace_back(worker);
  worker();
  threads.clear();  // joins
  for (const std::exception_ptr& e : failed)
    if (e) std::rethrow_exception(e);
}

}  // namespace dagen
