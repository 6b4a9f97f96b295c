#include "models/scenario/scenario_fields.h"

#include <cassert>
#include <cmath>
#include <sstream>

namespace hcesim::models {
namespace {

namespace pb = google::protobuf;

std::string number(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

} // namespace

ScenarioFields::ScenarioFields(pb::Message& message, std::string path, const FieldLocator& locator,
                               Errors& errors)
    : message_(message), path_(std::move(path)), locator_(locator), errors_(errors) {}

const pb::FieldDescriptor* ScenarioFields::field(const std::string& name) const {
  const pb::FieldDescriptor* f = message_.GetDescriptor()->FindFieldByName(name);
  assert(f != nullptr && "field name not in the schema");
  return f;
}

bool ScenarioFields::present(const pb::FieldDescriptor* f) const {
  return message_.GetReflection()->HasField(message_, f);
}

std::string ScenarioFields::path_of(const std::string& name) const {
  if (name.empty()) {
    return path_;
  }
  return path_.empty() ? name : path_ + "." + name;
}

void ScenarioFields::fail(const std::string& name, const std::string& what) {
  std::string p = path_of(name);
  errors_.push_back(Error{locator_.locate(p), (p.empty() ? "" : p + ": ") + what});
}

ScenarioFields ScenarioFields::nested(const std::string& name) {
  pb::Message* m = message_.GetReflection()->MutableMessage(&message_, field(name));
  return ScenarioFields(*m, path_of(name), locator_, errors_);
}

ScenarioFields ScenarioFields::element(const std::string& name, int index) {
  pb::Message* m = message_.GetReflection()->MutableRepeatedMessage(&message_, field(name), index);
  return ScenarioFields(*m, path_of(name) + "[" + std::to_string(index) + "]", locator_, errors_);
}

int ScenarioFields::count(const std::string& name) const {
  return message_.GetReflection()->FieldSize(message_, field(name));
}

bool ScenarioFields::has(const std::string& name) const {
  return present(field(name));
}

uint32_t ScenarioFields::u32(const std::string& name, uint32_t fallback, uint32_t lo, uint32_t hi) {
  const pb::FieldDescriptor* f = field(name);
  const pb::Reflection* r = message_.GetReflection();
  if (!present(f)) {
    r->SetUInt32(&message_, f, fallback);
    return fallback;
  }
  uint32_t v = r->GetUInt32(message_, f);
  if (v < lo || v > hi) {
    fail(name, "must be " + std::to_string(lo) + ".." + std::to_string(hi) + ", got " +
                   std::to_string(v));
    return fallback;
  }
  return v;
}

uint64_t ScenarioFields::u64(const std::string& name, uint64_t fallback) {
  const pb::FieldDescriptor* f = field(name);
  const pb::Reflection* r = message_.GetReflection();
  if (!present(f)) {
    r->SetUInt64(&message_, f, fallback);
    return fallback;
  }
  return r->GetUInt64(message_, f);
}

double ScenarioFields::real(const std::string& name, double fallback, double lo, double hi,
                            bool lo_open) {
  const pb::FieldDescriptor* f = field(name);
  const pb::Reflection* r = message_.GetReflection();
  if (!present(f) && f->has_presence()) {
    r->SetDouble(&message_, f, fallback);
    return fallback;
  }
  double v = r->GetDouble(message_, f);
  bool below = lo_open ? !(v > lo) : !(v >= lo);
  if (std::isnan(v) || below || v > hi) {
    // An open lower end reads as an interval, (0..1]; a closed one as a range, 0..1.
    fail(name, "must be " + std::string(lo_open ? "(" : "") + number(lo) + ".." + number(hi) +
                   (lo_open ? "]" : "") + ", got " + number(v));
    return fallback;
  }
  return v;
}

bool ScenarioFields::flag(const std::string& name, bool fallback) {
  const pb::FieldDescriptor* f = field(name);
  const pb::Reflection* r = message_.GetReflection();
  if (!present(f)) {
    r->SetBool(&message_, f, fallback);
    return fallback;
  }
  return r->GetBool(message_, f);
}

int ScenarioFields::enumeration(const std::string& name, int fallback) {
  const pb::FieldDescriptor* f = field(name);
  const pb::Reflection* r = message_.GetReflection();
  int v = f->has_presence() && !present(f) ? fallback : r->GetEnumValue(message_, f);
  if (f->enum_type()->FindValueByNumber(v) == nullptr) {
    fail(name, "unknown value " + std::to_string(v));
    return 0;
  }
  if (f->has_presence() && !present(f)) {
    r->SetEnumValue(&message_, f, v); // printed: a resolved scenario shows every default
  }
  return v;
}

std::string ScenarioFields::text(const std::string& name, const std::string& fallback) {
  const pb::FieldDescriptor* f = field(name);
  const pb::Reflection* r = message_.GetReflection();
  if (!present(f)) {
    if (!fallback.empty()) {
      r->SetString(&message_, f, fallback);
    }
    return fallback;
  }
  return r->GetString(message_, f);
}

Duration ScenarioFields::duration(const std::string& name, const std::string& fallback, Duration lo,
                                  Duration hi) {
  std::string t = text(name, fallback);
  Result<Duration> d = parse_duration(t);
  if (!d) {
    fail(name, d.error().what);
    return parse_duration(fallback).value();
  }
  if (*d < lo || *d > hi) {
    fail(name,
         "must be " + format_duration(lo) + ".." + format_duration(hi) + ", got \"" + t + "\"");
    return parse_duration(fallback).value();
  }
  return *d;
}

Duration ScenarioFields::time_of_day(const std::string& name, const std::string& fallback) {
  std::string t = text(name, fallback);
  Result<Duration> d = parse_time_of_day(t);
  if (!d || *d >= Duration::days(1)) {
    fail(name, d ? "must be 00:00..23:59, got \"" + t + "\"" : d.error().what);
    return parse_time_of_day(fallback).value();
  }
  return *d;
}

Money ScenarioFields::money(const std::string& name, const std::string& fallback, Currency currency,
                            Money lo, Money hi) {
  const Money def = default_amount(fallback, currency);
  std::string t = text(name, def.amount_string());
  Result<Money> m = Money::parse(t, currency);
  if (!m) {
    fail(name, m.error().what);
    return def;
  }
  if (*m < lo || *m > hi) {
    fail(name, "must be " + lo.amount_string() + ".." + hi.amount_string() + ", got \"" + t + "\"");
    return def;
  }
  return *m;
}

Money default_amount(const std::string& text, Currency currency) {
  const int64_t cents = Money::parse(text, Currency::custom("XXX", 2).value()).value().minor();
  int64_t minor = cents;
  for (int d = 2; d < currency.decimals(); ++d) {
    minor *= 10;
  }
  for (int d = currency.decimals(); d < 2; ++d) {
    minor = minor / 10 + (minor % 10 > 0 ? 1 : 0); // up, so a positive bound stays positive
  }
  return Money(minor, currency);
}

} // namespace hcesim::models
