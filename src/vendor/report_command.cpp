// `da-gen report DIR [--format json|markdown]`.
#include <ostream>

#include "dagen/diag.hpp"
#include "dagen/vendor_report.hpp"

namespace dagen::vendor {

namespace {

constexpr const char* kUsage = "da-gen report DIR [--format json|markdown]";

struct Usage {
  std::string message;
};

}  // namespace

int report_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  try {
    std::string dir, format = "json";
    bool format_given = false;
    for (std::size_t k = 0; k < args.size(); ++k) {
      const std::string& a = args[k];
      if (a == "-h" || a == "--help") {
        out << "usage: " << kUsage
            << "\nReads the reports of build_vivado.tcl (DIR/vivado/) or build_quartus.tcl "
               "(DIR/quartus/) into the row tools/yosys_report.py prints.\n";
        return 0;
      }
      if (a == "--format" || a.starts_with("--format=")) {
        if (format_given) throw Usage{"--format is given twice; give it once"};
        format_given = true;
        if (a == "--format") {
          if (k + 1 >= args.size()) throw Usage{"--format needs a value (json or markdown)"};
          format = args[++k];
        } else {
          format = a.substr(9);
        }
        if (format != "json" && format != "markdown")
          throw Usage{"--format must be json or markdown, not '" + format + "'"};
      } else if (a.starts_with("-") && a.size() > 1) {
        throw Usage{"unknown option '" + a + "' for report (" + kUsage + ")"};
      } else if (dir.empty()) {
        dir = a;
        if (dir.empty()) throw Usage{"DIR must not be empty"};
      } else {
        throw Usage{"unexpected argument '" + a + "' (" + kUsage + ")"};
      }
    }
    if (dir.empty()) throw Usage{std::string("no directory given (") + kUsage + ")"};
    const Row row = read_reports(dir);
    if (format == "json")
      out << row.dump(2) << "\n";
    else
      out << markdown_header() << "\n" << markdown_row(row) << "\n";
    return 0;
  } catch (const Usage& u) {
    err << "da-gen: usage: " << escaped(u.message, "", false, "\\x") << "\n";
    return 2;
  } catch (const ToolError& e) {
    err << "da-gen: error: " << e.what() << "\n";
    return 4;
  }
}

}  // namespace dagen::vendor
