#include "live/journal_codec.h"

#include "hce/token/wire.h"

#include <type_traits>

namespace hcesim::live {
namespace {

using namespace cloud;

class Writer {
public:
  void u8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u64(uint64_t v) {
    for (int i = 7; i >= 0; --i) {
      u8(static_cast<uint8_t>((v >> (8 * i)) & 0xff));
    }
  }
  void i64(int64_t v) { u64(static_cast<uint64_t>(v)); }
  void str(const std::string& s) {
    u64(s.size());
    out_ += s;
  }
  void currency(Currency c) {
    out_.append(c.code());
    u8(static_cast<uint8_t>(c.decimals()));
  }
  void money(Money m) {
    i64(m.minor());
    currency(m.currency());
  }
  void time(Time t) { i64(t.us()); }
  void key(IdempotencyKey k) {
    u64(k.hi);
    u64(k.lo);
  }
  void entry(const LedgerEntry& e) {
    u64(e.sequence);
    u64(e.account.value());
    money(e.amount);
    u8(static_cast<uint8_t>(e.reason));
    key(e.key);
    time(e.at);
  }
  void tap(const SettlementTap& t) {
    u64(t.record.validator.value());
    u64(t.record.sequence);
    u64(t.account.value());
    u64(t.token.hi);
    u64(t.token.lo);
    u64(t.counter);
    time(t.tapped_at);
    u8(static_cast<uint8_t>(t.kind));
    u8(t.clone_flagged ? 1 : 0);
    u64(t.flags);
    u64(t.stop.value());
  }
  void top_up_id(TopUpId id) {
    u64(id.account.value());
    u64(id.serial);
  }
  std::string take() { return std::move(out_); }

private:
  std::string out_;
};

class Reader {
public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  bool at_end() const { return pos_ == in_.size(); }

  uint8_t u8(const char* field) {
    if (!need(1, field)) {
      return 0;
    }
    return static_cast<uint8_t>(in_[pos_++]);
  }
  uint64_t u64(const char* field) {
    if (!need(8, field)) {
      return 0;
    }
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) {
      v = (v << 8) | static_cast<uint8_t>(in_[pos_++]);
    }
    return v;
  }
  int64_t i64(const char* field) { return static_cast<int64_t>(u64(field)); }
  uint32_t u32(const char* field) {
    const uint64_t v = u64(field);
    if (v > UINT32_MAX) {
      fail(field, "above 2^32-1");
    }
    return static_cast<uint32_t>(v);
  }
  uint16_t u16(const char* field) {
    const uint64_t v = u64(field);
    if (v > UINT16_MAX) {
      fail(field, "above 65535");
    }
    return static_cast<uint16_t>(v);
  }
  std::string str(const char* field) {
    const uint64_t n = u64(field);
    if (!need(n, field)) {
      return {};
    }
    std::string s(in_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  Currency currency(const char* field) {
    if (!need(4, field)) {
      return {};
    }
    const std::string_view code = in_.substr(pos_, 3);
    const int decimals = static_cast<uint8_t>(in_[pos_ + 3]);
    pos_ += 4;
    auto c = Currency::custom(code, decimals);
    if (!c.ok()) {
      fail(field, c.error().what);
      return {};
    }
    return *c;
  }
  Money money(const char* field) {
    const int64_t minor = i64(field);
    return Money(minor, currency(field));
  }
  Time time(const char* field) { return Time::from_us(i64(field)); }
  IdempotencyKey key(const char* field) {
    IdempotencyKey k;
    k.hi = u64(field);
    k.lo = u64(field);
    return k;
  }
  template <typename E> E enumeration(const char* field, uint8_t max) {
    const uint8_t v = u8(field);
    if (v > max) {
      fail(field, "enum value " + std::to_string(v) + " above " + std::to_string(max));
    }
    return static_cast<E>(v);
  }
  LedgerEntry entry() {
    LedgerEntry e;
    e.sequence = u64("entry.sequence");
    e.account = AccountId(u64("entry.account"));
    e.amount = money("entry.amount");
    e.reason =
        enumeration<EntryReason>("entry.reason", static_cast<uint8_t>(EntryReason::kFraudLoss));
    e.key = key("entry.key");
    e.at = time("entry.at");
    return e;
  }
  SettlementTap tap() {
    SettlementTap t;
    t.record.validator = ValidatorId(u32("tap.validator"));
    t.record.sequence = u64("tap.sequence");
    t.account = AccountId(u64("tap.account"));
    t.token.hi = u64("tap.token");
    t.token.lo = u64("tap.token");
    t.counter = u16("tap.counter");
    t.tapped_at = time("tap.tapped_at");
    t.kind = enumeration<TapKind>("tap.kind", static_cast<uint8_t>(hce::TapKind::kFlat));
    t.clone_flagged = u8("tap.clone_flagged") != 0;
    t.flags = u32("tap.flags");
    t.stop = StopId(u32("tap.stop"));
    return t;
  }
  TopUpId top_up_id() {
    TopUpId id;
    id.account = AccountId(u64("top_up.account"));
    id.serial = u32("top_up.serial");
    return id;
  }
  BankAnswer answer() {
    BankAnswer a;
    a.outcome =
        enumeration<BankOutcome>("answer.outcome", static_cast<uint8_t>(BankOutcome::kTimedOut));
    a.reason =
        enumeration<DeclineReason>("answer.reason", static_cast<uint8_t>(DeclineReason::kOther));
    return a;
  }
  void fail(const char* field, const std::string& what) {
    if (error_.empty()) {
      error_ = std::string(field) + ": " + what;
    }
  }

private:
  bool need(uint64_t n, const char* field) {
    if (!error_.empty()) {
      return false;
    }
    if (n > in_.size() - pos_) {
      fail(field, "record truncated");
      return false;
    }
    return true;
  }
  std::string_view in_;
  size_t pos_ = 0;
  std::string error_;
};

void write(Writer& w, const AccountOpened& r) {
  w.u64(r.account.value());
  w.currency(r.currency);
  w.money(r.debt_limit);
  w.u8(r.fraud_loss ? 1 : 0);
}
void write(Writer& w, const DeviceEnrolled& r) {
  w.u64(r.account.value());
  w.u64(r.device.value());
}
void write(Writer& w, const EntryPosted& r) {
  w.entry(r.entry);
}
void write(Writer& w, const JourneyCharged& r) {
  w.entry(r.entry);
  w.u64(r.rider.value());
  w.u64(r.journey.first.validator.value());
  w.u64(r.journey.first.sequence);
  w.u8(r.journey.fraud ? 1 : 0);
  w.i64(r.day);
  w.u64(r.revision);
  w.u64(r.taps);
  w.i64(r.lag.us());
}
void write(Writer& w, const TapReceived& r) {
  w.tap(r.tap);
  w.time(r.at);
}
void write(Writer& w, const DeadlinesPassed& r) {
  w.time(r.now);
}
void write(Writer& w, const BatchReceived& r) {
  w.str(hce::encode(r.batch));
  w.time(r.at);
}
void write(Writer& w, const CardBound& r) {
  w.u64(r.account.value());
  w.u64(r.card.id);
}
void write(Writer& w, const TopUpRuleSet& r) {
  w.u64(r.account.value());
  w.u8(r.automatic ? 1 : 0);
  w.money(r.threshold);
  w.money(r.amount);
}
void write(Writer& w, const TopUpRequested& r) {
  w.top_up_id(r.id);
  w.money(r.amount);
  w.u8(static_cast<uint8_t>(r.kind));
  w.u64(r.card.id);
  w.time(r.at);
  w.u64(r.client_ref);
}
void write(Writer& w, const TopUpAnswered& r) {
  w.top_up_id(r.id);
  w.u64(r.attempt);
  w.u8(static_cast<uint8_t>(r.answer.outcome));
  w.u8(static_cast<uint8_t>(r.answer.reason));
  w.time(r.at);
  w.u8(r.credit ? 1 : 0);
  if (r.credit) {
    w.entry(*r.credit);
  }
}
void write(Writer& w, const DenylistChanged& r) {
  w.u64(r.version);
  w.u64(r.account.value());
  w.u8(r.reasons);
  w.u64(r.tokens.size());
  for (const TokenId& t : r.tokens) {
    w.u64(t.hi);
    w.u64(t.lo);
  }
  w.time(r.at);
}
void write(Writer&, const CommitPoint&) {}

JournalRecord read(Reader& r, uint8_t tag) {
  switch (tag) {
  case 0: {
    AccountOpened a;
    a.account = AccountId(r.u64("account"));
    a.currency = r.currency("currency");
    a.debt_limit = r.money("debt_limit");
    a.fraud_loss = r.u8("fraud_loss") != 0;
    return a;
  }
  case 1: {
    DeviceEnrolled d;
    d.account = AccountId(r.u64("account"));
    d.device = DeviceId(r.u64("device"));
    return d;
  }
  case 2:
    return EntryPosted{r.entry()};
  case 3: {
    JourneyCharged j;
    j.entry = r.entry();
    j.rider = AccountId(r.u64("rider"));
    j.journey.first.validator = ValidatorId(r.u32("journey.validator"));
    j.journey.first.sequence = r.u64("journey.sequence");
    j.journey.fraud = r.u8("journey.fraud") != 0;
    j.day = r.i64("day");
    if (j.day < INT32_MIN || j.day > INT32_MAX) { // a service day of a µs clock is well inside
      r.fail("day", "outside the 32-bit range of service days");
    }
    j.revision = r.u32("revision");
    j.taps = r.u32("taps");
    j.lag = Duration::micros(r.i64("lag"));
    return j;
  }
  case 4: {
    TapReceived t;
    t.tap = r.tap();
    t.at = r.time("at");
    return t;
  }
  case 5:
    return DeadlinesPassed{r.time("now")};
  case 6: {
    const std::string bytes = r.str("batch");
    BatchReceived b;
    b.at = r.time("at");
    if (r.ok()) {
      auto batch = hce::decode_tap_batch(hce::as_bytes(bytes));
      if (!batch.ok()) {
        r.fail("batch", batch.error().where + ": " + batch.error().what);
      } else {
        b.batch = std::move(batch).value();
      }
    }
    return b;
  }
  case 7: {
    CardBound c;
    c.account = AccountId(r.u64("account"));
    c.card.id = r.u64("card");
    return c;
  }
  case 8: {
    TopUpRuleSet t;
    t.account = AccountId(r.u64("account"));
    t.automatic = r.u8("automatic") != 0;
    t.threshold = r.money("threshold");
    t.amount = r.money("amount");
    return t;
  }
  case 9: {
    TopUpRequested t;
    t.id = r.top_up_id();
    t.amount = r.money("amount");
    t.kind = r.enumeration<TopUpKind>("kind", static_cast<uint8_t>(TopUpKind::kManual));
    t.card.id = r.u64("card");
    t.at = r.time("at");
    t.client_ref = r.u64("client_ref");
    return t;
  }
  case 10: {
    TopUpAnswered t;
    t.id = r.top_up_id();
    t.attempt = r.u32("attempt");
    t.answer = r.answer();
    t.at = r.time("at");
    if (r.u8("has_credit") != 0) {
      t.credit = r.entry();
    }
    return t;
  }
  case 11: {
    DenylistChanged d;
    d.version = r.u64("version");
    d.account = AccountId(r.u64("account"));
    d.reasons = r.u8("reasons");
    const uint64_t n = r.u64("tokens");
    for (uint64_t i = 0; i < n && r.ok(); ++i) {
      TokenId t;
      t.hi = r.u64("tokens");
      t.lo = r.u64("tokens");
      d.tokens.push_back(t);
    }
    d.at = r.time("at");
    return d;
  }
  case 12:
    return CommitPoint{};
  default:
    r.fail("tag", "unknown record tag " + std::to_string(tag));
    return CommitPoint{};
  }
}

} // namespace

std::string encode_record(const JournalRecord& record) {
  static_assert(std::variant_size_v<JournalRecord> == 13, "a new record needs a tag here");
  Writer w;
  w.u8(static_cast<uint8_t>(record.index()));
  std::visit([&w](const auto& r) { write(w, r); }, record);
  return w.take();
}

Result<JournalRecord> decode_record(std::string_view bytes) {
  Reader r(bytes);
  const uint8_t tag = r.u8("tag");
  JournalRecord record = read(r, tag);
  if (r.ok() && !r.at_end()) {
    r.fail("record", "trailing bytes after the record");
  }
  if (!r.ok()) {
    return Error{"journal record", r.error()};
  }
  return record;
}

} // namespace hcesim::live
