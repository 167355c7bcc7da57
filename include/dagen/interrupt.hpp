// Ctrl-C, SIGTERM and SIGHUP while da-gen stages, verifies or commits its
// output: the signal is only noted (and forwarded to a running child), so the
// run can clean up and leave the previous state; main() then dies of it.
#pragma once

#include <sys/types.h>

#include <stdexcept>

namespace dagen {

// Thrown where an interrupted run stops; main() reports it and re-raises.
struct Interrupted : std::runtime_error {
  int signal;
  explicit Interrupted(int sig) : std::runtime_error("interrupted"), signal(sig) {}
};

// Catches SIGINT / SIGTERM / SIGHUP for its lifetime (nestable) and restores
// the previous handlers.
class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
};

// The signal caught so far (0: none).
int interrupt_signal();
// Throws Interrupted if a signal was caught.
void throw_if_interrupted();
// Forgets a caught signal: for a caller that goes on after reporting it (the
// Python module raises KeyboardInterrupt and may build again).
void clear_interrupt();
// The child process group the handler forwards signals to (0: none).
void set_interrupt_child(pid_t pid);

}  // namespace dagen
