#include "study/result_codec.h"

#include <cstring>

namespace hcesim::study {
namespace {

class Writer {
public:
  void u64(uint64_t v) { out_.append(reinterpret_cast<const char*>(&v), sizeof v); }
  void real(double v) {
    uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof bits);
    u64(bits);
  }
  void text(const std::string& s) {
    u64(s.size());
    out_ += s;
  }
  std::string take() { return std::move(out_); }

private:
  std::string out_;
};

class Reader {
public:
  explicit Reader(const std::string& in) : in_(in) {}
  bool u64(uint64_t& v) {
    if (in_.size() - at_ < sizeof v) {
      return false;
    }
    std::memcpy(&v, in_.data() + at_, sizeof v);
    at_ += sizeof v;
    return true;
  }
  bool real(double& v) {
    uint64_t bits = 0;
    if (!u64(bits)) {
      return false;
    }
    std::memcpy(&v, &bits, sizeof v);
    return true;
  }
  bool text(std::string& s) {
    uint64_t n = 0;
    if (!u64(n) || in_.size() - at_ < n) {
      return false;
    }
    s.assign(in_, at_, n);
    at_ += n;
    return true;
  }
  bool u32(uint32_t& v) {
    uint64_t w = 0;
    if (!u64(w)) {
      return false;
    }
    v = static_cast<uint32_t>(w);
    return true;
  }
  bool finished() const { return at_ == in_.size(); }

private:
  const std::string& in_;
  size_t at_ = 0;
};

} // namespace

std::string encode_result(const ReplicationResult& r) {
  Writer w;
  w.u64(r.point);
  w.u64(r.replication);
  w.u64(r.seed);
  w.u64(r.fingerprint);
  w.u64(r.events);
  w.real(r.wall_s);
  w.u64(r.rows.size());
  for (const models::KpiRow& k : r.rows) {
    w.text(k.kpi);
    w.text(k.segment);
    w.real(k.value);
    w.text(k.text);
    w.text(k.unit);
  }
  w.u64(r.files.size());
  for (const ResultFile& f : r.files) {
    w.text(f.name);
    w.text(f.text);
  }
  w.text(r.report);
  w.u64(r.error ? 1 : 0);
  if (r.error) {
    w.text(r.error->where);
    w.text(r.error->what);
  }
  return w.take();
}

std::optional<ReplicationResult> decode_result(const std::string& bytes) {
  Reader in(bytes);
  ReplicationResult r;
  uint64_t rows = 0;
  uint64_t files = 0;
  uint64_t has_error = 0;
  if (!in.u32(r.point) || !in.u32(r.replication) || !in.u64(r.seed) || !in.u64(r.fingerprint) ||
      !in.u64(r.events) || !in.real(r.wall_s) || !in.u64(rows)) {
    return std::nullopt;
  }
  for (uint64_t i = 0; i < rows; ++i) {
    models::KpiRow k;
    if (!in.text(k.kpi) || !in.text(k.segment) || !in.real(k.value) || !in.text(k.text) ||
        !in.text(k.unit)) {
      return std::nullopt;
    }
    r.rows.push_back(std::move(k));
  }
  if (!in.u64(files)) {
    return std::nullopt;
  }
  for (uint64_t i = 0; i < files; ++i) {
    ResultFile f;
    if (!in.text(f.name) || !in.text(f.text)) {
      return std::nullopt;
    }
    r.files.push_back(std::move(f));
  }
  if (!in.text(r.report) || !in.u64(has_error)) {
    return std::nullopt;
  }
  if (has_error != 0) {
    Error e;
    if (!in.text(e.where) || !in.text(e.what)) {
      return std::nullopt;
    }
    r.error = std::move(e);
  }
  if (!in.finished()) {
    return std::nullopt;
  }
  return r;
}

} // namespace hcesim::study
