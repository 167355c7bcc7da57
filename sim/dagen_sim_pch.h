// Precompiled once per build tree (sim/SimRuntime.cmake) and included first by every
// --verify build that uses the build tree's runtime: the headers every unit of the
// harness and Verilator's output parses.
#include <cstdint>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "verilated.h"
