// The handler only stores the signal and kill()s the running child's process
// group: both async-signal-safe.  Everything else happens in normal code.
#include "dagen/interrupt.hpp"

#include <signal.h>

#include <csignal>

namespace dagen {

namespace {

static_assert(sizeof(pid_t) <= sizeof(sig_atomic_t), "a pid must fit a sig_atomic_t");

volatile std::sig_atomic_t g_signal = 0;
volatile std::sig_atomic_t g_child = 0;
int g_depth = 0;
constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};
struct sigaction g_previous[3];

extern "C" void on_signal(int sig) {
  if (g_signal == 0) g_signal = sig;
  const pid_t child = g_child;
  // The child leads its own process group (so cmake's compilers get it too);
  // right after fork() it may not yet: then signal the child alone.
  if (child > 0 && ::kill(-child, sig) != 0) ::kill(child, sig);
}

}  // namespace

InterruptGuard::InterruptGuard() {
  if (g_depth++ > 0) return;
  struct sigaction sa = {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  for (int k = 0; k < 3; ++k) ::sigaction(kSignals[k], &sa, &g_previous[k]);
}

InterruptGuard::~InterruptGuard() {
  if (--g_depth > 0) return;
  for (int k = 0; k < 3; ++k) ::sigaction(kSignals[k], &g_previous[k], nullptr);
}

int interrupt_signal() { return g_signal; }

void throw_if_interrupted() {
  if (const int sig = g_signal) throw Interrupted(sig);
}

void clear_interrupt() { g_signal = 0; }

void set_interrupt_child(pid_t pid) {
  g_child = pid;
  // A signal that came before the handler knew the child: forward it now.
  if (pid > 0 && g_signal != 0) {
    if (::kill(-pid, g_signal) != 0) ::kill(pid, g_signal);
  }
}

}  // namespace dagen
