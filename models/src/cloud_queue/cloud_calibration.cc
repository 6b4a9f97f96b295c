#include "models/cloud_queue/cloud_calibration.h"

#include "models/scenario/scenario_fields.h"
#include "proto/cloud_calibration.pb.h"

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace hcesim::models {
namespace {

namespace pb = google::protobuf;

class CalibrationErrors : public pb::io::ErrorCollector {
public:
  CalibrationErrors(const std::string& file, Errors& errors) : file_(file), errors_(errors) {}
  void AddError(int line, int column, const std::string& message) override {
    errors_.push_back(
        Error{file_ + ":" + std::to_string(line + 1) + ":" + std::to_string(column + 1), message});
  }
  void AddWarning(int line, int column, const std::string& message) override {
    AddError(line, column, message);
  }

private:
  const std::string& file_;
  Errors& errors_;
};

//! The place of a field of the calibration message ("issuing.servers"): file:line:column.
std::string place(const std::string& file, const pb::TextFormat::ParseInfoTree& tree,
                  const pb::Message& msg, const std::string& service, const std::string& field) {
  const pb::FieldDescriptor* s = msg.GetDescriptor()->FindFieldByName(service);
  const pb::TextFormat::ParseInfoTree* sub = s != nullptr ? tree.GetTreeForNested(s, -1) : nullptr;
  const pb::Message& nested = msg.GetReflection()->GetMessage(msg, s);
  const pb::FieldDescriptor* f = nested.GetDescriptor()->FindFieldByName(field);
  const pb::TextFormat::ParseLocation at =
      sub != nullptr && f != nullptr ? sub->GetLocation(f, -1) : tree.GetLocation(s, -1);
  if (at.line < 0) {
    return file + ": " + service + "." + field;
  }
  return file + ":" + std::to_string(at.line + 1) + ":" + std::to_string(at.column + 1) + ": " +
         service + "." + field;
}

std::optional<CloudServiceConfig>
read_service(const std::string& file, const pb::TextFormat::ParseInfoTree& tree,
             const proto::CloudCalibration& msg, const std::string& name,
             const proto::CloudService& s, Duration fixed_latency, Errors& errors) {
  const pb::FieldDescriptor* f = msg.GetDescriptor()->FindFieldByName(name);
  if (!msg.GetReflection()->HasField(msg, f)) {
    return std::nullopt;
  }
  CloudServiceConfig c;
  if (!s.has_servers() || s.servers() < 1 || s.servers() > 10'000) {
    errors.push_back(Error{place(file, tree, msg, name, "servers"),
                           s.has_servers() ? "expected 1..10000, got " + std::to_string(s.servers())
                                           : "required"});
  } else {
    c.servers = s.servers();
  }
  const Result<Duration> d = s.has_mean_service_time()
                                 ? parse_duration(s.mean_service_time())
                                 : Result<Duration>(Error{"", "required, e.g. \"15us\""});
  if (!d.ok()) {
    errors.push_back(Error{place(file, tree, msg, name, "mean_service_time"), d.error().what});
  } else if (*d < Duration::micros(1) || *d > Duration::minutes(1)) {
    errors.push_back(Error{place(file, tree, msg, name, "mean_service_time"),
                           "expected \"1us\"..\"1min\", got \"" + s.mean_service_time() + "\""});
  } else {
    c.mean_service_time = *d;
  }
  c.fixed_latency = fixed_latency;
  if (s.has_fixed_latency()) {
    const Result<Duration> fixed = parse_duration(s.fixed_latency());
    if (!fixed.ok()) {
      errors.push_back(Error{place(file, tree, msg, name, "fixed_latency"), fixed.error().what});
    } else if (*fixed < Duration::zero() || *fixed > Duration::minutes(1)) {
      errors.push_back(Error{place(file, tree, msg, name, "fixed_latency"),
                             "expected \"0s\"..\"1min\", got \"" + s.fixed_latency() + "\""});
    } else {
      c.fixed_latency = *fixed;
    }
  }
  if (s.has_service_time_cv()) {
    if (!(s.service_time_cv() >= 0 && s.service_time_cv() <= 100)) {
      errors.push_back(Error{place(file, tree, msg, name, "service_time_cv"),
                             "expected 0..100, got " + std::to_string(s.service_time_cv())});
    } else {
      c.service_time_cv = s.service_time_cv();
    }
  }
  if (s.has_buffer() || s.has_client_timeout()) {
    errors.push_back(
        Error{place(file, tree, msg, name, s.has_buffer() ? "buffer" : "client_timeout"),
              "a calibration sets only servers, mean_service_time, fixed_latency and "
              "service_time_cv"});
  }
  return c;
}

} // namespace

Result<CloudCalibration> read_cloud_calibration(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return Error{path, "cannot read the calibration file"};
  }
  std::stringstream text;
  text << in.rdbuf();
  Errors errors;
  CalibrationErrors collector(path, errors);
  pb::TextFormat::Parser parser;
  parser.RecordErrorsTo(&collector);
  pb::TextFormat::ParseInfoTree tree;
  parser.WriteLocationsTo(&tree);
  proto::CloudCalibration msg;
  if (!parser.ParseFromString(text.str(), &msg)) {
    if (errors.empty()) {
      errors.push_back(Error{path, "not a CloudCalibration in text format"});
    }
    return errors.front(); // the first syntax error (the parser stops there)
  }
  CloudCalibration c;
  c.source = msg.source();
  if (msg.has_fixed_latency()) {
    const Result<Duration> d = parse_duration(msg.fixed_latency());
    if (!d.ok() || *d < Duration::zero() || *d > Duration::minutes(1)) {
      const auto at = tree.GetLocation(msg.GetDescriptor()->FindFieldByName("fixed_latency"), -1);
      errors.push_back(Error{path + ":" + std::to_string(at.line + 1) + ":" +
                                 std::to_string(at.column + 1) + ": fixed_latency",
                             d.ok()
                                 ? "expected \"0s\"..\"1min\", got \"" + msg.fixed_latency() + "\""
                                 : d.error().what});
    } else {
      c.fixed_latency = *d;
    }
  }
  c.issuing = read_service(path, tree, msg, "issuing", msg.issuing(), c.fixed_latency, errors);
  c.settlement =
      read_service(path, tree, msg, "settlement", msg.settlement(), c.fixed_latency, errors);
  c.top_up = read_service(path, tree, msg, "top_up", msg.top_up(), c.fixed_latency, errors);
  if (!c.issuing && !c.settlement && !c.top_up && errors.empty()) {
    errors.push_back(Error{path, "calibrates no service (issuing, settlement or top_up)"});
  }
  if (!errors.empty()) {
    return errors.front();
  }
  return c;
}

void apply_cloud_calibration(const std::string& path, const std::string& where, ScenarioConfig& cfg,
                             Errors& errors) {
  if (!std::filesystem::is_regular_file(path)) {
    errors.push_back(Error{where, "cloud_calibration: file not found: " + path});
    return;
  }
  auto c = read_cloud_calibration(path);
  if (!c.ok()) {
    errors.push_back(c.error());
    return;
  }
  auto apply = [](const std::optional<CloudServiceConfig>& from, CloudServiceConfig& to) {
    if (from) {
      to.servers = from->servers;
      to.mean_service_time = from->mean_service_time;
      to.fixed_latency = from->fixed_latency;
      to.service_time_cv = from->service_time_cv;
    }
  };
  apply(c->issuing, cfg.cloud.issuing);
  apply(c->settlement, cfg.cloud.settlement);
  apply(c->top_up, cfg.cloud.top_up);
}

} // namespace hcesim::models
