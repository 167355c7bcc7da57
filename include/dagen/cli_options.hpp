// The build options of da-gen, one table for every front end: the command line
// builds its parser from it and the Python package its keywords, and both hand
// the options given, as text, to flow_options_from() -- so both accept and
// refuse the same things with the same words.
#pragma once

#include <map>
#include <span>
#include <string>

#include "dagen/flow.hpp"

namespace dagen {

struct BuildOption {
  const char* name;           // as typed after "--" ("clock-period")
  const char* short_name;     // "" or one letter ("o")
  const char* help;           // the --help line
  bool flag;                  // given or not; takes no value
  const char* default_value;  // nullptr: none (absent means unset)
  bool shapes_design;         // read by flow_options_from(); else a run option of the CLI
                              // (where to write, --verify), which other front ends spell their way
};

// The table, in --help order.
std::span<const BuildOption> build_options();

// The options given: name -> the value's text (a flag: present, any text).
using GivenOptions = std::map<std::string, std::string>;

// "-o/--output" or "--pipeline": how messages spell an option.
std::string spelled_option(const std::string& name);

// The FlowOptions of the given options (defaults from the table for the others).
// Throws OptionError, in this order: an unknown name; a combination of given
// options that does nothing or cannot work (--vectors without --verify too);
// a value that is not a number of its kind; FlowOptions::validate().
FlowOptions flow_options_from(const GivenOptions& given);

// The whole text as an integer: "12abc", "0x10" and "" are refused naming `name`.
int int_option(const std::string& name, const std::string& text);

}  // namespace dagen
