// Strict JSON: nlohmann's SAX parser with a DOM builder of our own that knows
// the JSON path of every value, so duplicate keys and inexact numbers are
// reported where they are.
#include "dagen/strict_json.hpp"

#include <cmath>
#include <cstdlib>
#include <optional>
#include <vector>

#include "dagen/diag.hpp"
#include "dagen/fixed.hpp"

namespace dagen {

using nlohmann::json;

namespace {

// A decimal number as digits d1 d2 ... dn (no leading or trailing zeros) and
// an exponent: 0.d1d2...dn * 10^exp.  Zero has no digits.
struct Decimal {
  bool negative = false;
  std::string digits;
  long long exp = 0;
  friend bool operator==(const Decimal&, const Decimal&) = default;
};

// `text` is a JSON number (the lexer checked the grammar).
Decimal normalise(const std::string& text) {
  Decimal d;
  std::size_t i = 0;
  if (i < text.size() && text[i] == '-') {
    d.negative = true;
    ++i;
  }
  long long point = 0;  // digits before the decimal point
  bool seen_point = false;
  for (; i < text.size() && text[i] != 'e' && text[i] != 'E'; ++i) {
    if (text[i] == '.') {
      seen_point = true;
      continue;
    }
    if (text[i] == '0' && d.digits.empty()) {  // a leading zero
      if (seen_point) --point;
      continue;
    }
    d.digits.push_back(text[i]);
    if (!seen_point) ++point;
  }
  long long e = 0;
  if (i < text.size()) {
    ++i;
    bool neg = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) neg = text[i++] == '-';
    // Clamped far beyond any double's decimal exponent, so it cannot overflow.
    for (; i < text.size(); ++i) e = std::min(e * 10 + (text[i] - '0'), 1'000'000'000'000LL);
    if (neg) e = -e;
  }
  while (!d.digits.empty() && d.digits.back() == '0') d.digits.pop_back();
  if (d.digits.empty()) return {};
  d.exp = point + e;
  return d;
}

// `exact` rounded to n significant digits (n < its digit count), both ways on
// a tie: what a printer of the double with n digits may write.
std::vector<Decimal> rounded(const Decimal& exact, std::size_t n) {
  Decimal down = exact, up = exact;
  down.digits.resize(n);
  up.digits.resize(n);
  std::size_t i = n;
  while (i > 0 && up.digits[i - 1] == '9') up.digits[--i] = '0';
  if (i == 0) {
    up.digits.insert(0, "1");
    ++up.exp;
  } else {
    ++up.digits[i - 1];
  }
  for (Decimal* d : {&down, &up})
    while (!d->digits.empty() && d->digits.back() == '0') d->digits.pop_back();
  const std::string rest = exact.digits.substr(n);
  if (rest == "5") return {down, up};
  return {rest[0] >= '5' ? up : down};
}

// Whether `text` is a spelling of the double whose exact value is `exact`:
// the exact value, or (a double printed to fewer digits) the exact value
// correctly rounded to the digits given.  Up to 17 significant digits, a
// double's precision, any text naming the double is one (shortest printers).
// Zero must be zero: 1e-400 is not a spelling of 0.
bool spells(const std::string& text, const std::string& exact) {
  const Decimal t = normalise(text), e = normalise(exact);
  if (t == e) return true;
  if (t.digits.empty() || e.digits.empty()) return false;
  if (t.digits.size() <= 17) return true;
  if (t.digits.size() >= e.digits.size()) return false;
  for (const Decimal& r : rounded(e, t.digits.size()))
    if (r == t) return true;
  return false;
}

// The double as an exact fraction if it has at most `fraction_bits`
// fractional bits and is below 2^127.
std::optional<Fixed> as_fraction(double v, int fraction_bits) {
  if (v == 0) return Fixed{0, 0};
  int e = 0;
  const double m = std::frexp(v, &e);  // v = m * 2^e, 0.5 <= |m| < 1
  if (e > 127) return std::nullopt;
  Fixed f{static_cast<i128>(std::ldexp(m, 53)), 53 - e};
  while (f.frac > 0 && (f.code & 1) == 0) {
    f.code >>= 1;
    --f.frac;
  }
  if (f.frac > fraction_bits) return std::nullopt;
  return f;
}

// Builds the json document; the path of the value being read is the stack's
// keys and indices.
class Builder : public nlohmann::json_sax<json> {
 public:
  Builder(std::string source, int fraction_bits, NumberTexts* texts)
      : source_(std::move(source)), fraction_bits_(fraction_bits), texts_(texts) {}
  json result;

  bool null() override { return put(nullptr); }
  bool boolean(bool v) override { return put(v); }
  bool number_integer(number_integer_t v) override { return put(v); }
  bool number_unsigned(number_unsigned_t v) override { return put(v); }
  bool number_float(number_float_t v, const string_t& text) override {
    if (texts_) {
      (*texts_)[path()] = text;
      return put(v);
    }
    if (const auto f = as_fraction(v, fraction_bits_)) {
      const std::string exact = to_decimal_string(*f);
      if (!spells(text, exact))
        throw ModelError(path(),
                         text + " is not exactly representable (it rounds to " + exact + ")");
    }
    return put(v);
  }
  bool string(string_t& v) override { return put(std::move(v)); }
  bool binary(binary_t& v) override { return put(json::binary(std::move(v))); }
  bool start_object(std::size_t) override { return open(json::object()); }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override { return open(json::array()); }
  bool end_array() override { return close(); }
  bool key(string_t& k) override {
    Frame& f = stack_.back();
    f.key = k;
    if (f.value->contains(k)) throw ModelError(path(), "duplicate key '" + k + "'");
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    throw ModelError(source_, std::string("invalid JSON: ") + e.what());
  }

 private:
  struct Frame {
    json* value;
    std::string key;  // objects: the key being read
  };

  // The location of the value being read: "layers[2].weights[3][7]".  An open
  // array's last element is the container being read; the innermost array's
  // next element is the value being read.
  std::string path() const {
    std::string p;
    for (std::size_t k = 0; k < stack_.size(); ++k) {
      const json& v = *stack_[k].value;
      const bool inner = k + 1 == stack_.size();
      p = v.is_object() ? json_path(p, stack_[k].key) : json_path(p, v.size() - (inner ? 0 : 1));
    }
    return p.empty() ? "(top level)" : p;
  }

  // Places a value and returns where it is.
  json* place(json&& v) {
    if (stack_.empty()) {
      result = std::move(v);
      return &result;
    }
    Frame& f = stack_.back();
    if (f.value->is_object()) return &((*f.value)[f.key] = std::move(v));
    f.value->push_back(std::move(v));
    return &f.value->back();
  }
  bool put(json&& v) {
    place(std::move(v));
    return true;
  }
  bool open(json&& container) {
    stack_.push_back({place(std::move(container)), {}});
    return true;
  }
  bool close() {
    stack_.pop_back();
    return true;
  }

  std::string source_;
  int fraction_bits_;
  NumberTexts* texts_;
  std::vector<Frame> stack_;
};

}  // namespace

json parse_strict_json(const std::string& text, const std::string& source, int fraction_bits,
                       NumberTexts* texts) {
  Builder builder(source, fraction_bits, texts);
  json::sax_parse(text, &builder);
  return std::move(builder.result);
}

std::optional<Fixed> binary_fraction_of(const std::string& text, std::string& problem) {
  const Decimal d = normalise(text);
  if (d.digits.empty()) return Fixed{0, 0};
  // value = D * 10^q with D the digits as an integer: D * 2^q * 5^q.
  const long long q = d.exp - static_cast<long long>(d.digits.size());
  std::string digits = d.digits;
  int frac = 0;
  if (q >= 0) {
    if (q > 40) {
      problem = "is too large";
      return std::nullopt;
    }
    digits.append(static_cast<std::size_t>(q), '0');
  } else {
    // A binary fraction only if 5^-q divides D: divide digit by digit.
    for (long long k = 0; k < -q; ++k) {
      std::string quotient;
      int rem = 0;
      for (const char c : digits) {
        const int v = rem * 10 + (c - '0');
        if (!quotient.empty() || v / 5 != 0) quotient.push_back(static_cast<char>('0' + v / 5));
        rem = v % 5;
      }
      if (rem != 0) {
        // Not exact: a double printer's spelling of a binary fraction is one.
        const double v = std::strtod(text.c_str(), nullptr);  // as the JSON lexer reads it
        if (const auto f = as_fraction(v, 64); f && spells(text, to_decimal_string(*f))) return f;
        problem = "is not an exact binary fraction";
        return std::nullopt;
      }
      digits = quotient;
    }
    frac = static_cast<int>(-q);
  }
  u128 code = 0;
  for (const char c : digits) {
    code = code * 10 + static_cast<unsigned>(c - '0');
    if (code >> 126) {
      problem = "is too large (its code needs more than 126 bits)";
      return std::nullopt;
    }
  }
  const auto value = static_cast<i128>(code);
  return Fixed{d.negative ? -value : value, frac};
}

}  // namespace dagen
