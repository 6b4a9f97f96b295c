#include "live/sqlite_journal.h"

#include "live/journal_codec.h"

#include <sqlite3.h>

#include <cassert>
#include <cstdio>
#include <cstdlib>

namespace hcesim::live {
namespace {

// A failing SQLite call on our own open database (disk full, I/O error) leaves the durable state
// unknown: the process must stop rather than acknowledge anything more.
void check(sqlite3* db, int rc, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::fprintf(stderr, "sqlite journal: %s failed: %s\n", what, sqlite3_errmsg(db));
    std::abort();
  }
}

} // namespace

Result<std::unique_ptr<SqliteJournal>> SqliteJournal::open(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    std::string what = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Error{path, "cannot open the journal database: " + what};
  }
  std::unique_ptr<SqliteJournal> j(new SqliteJournal(db));
  char* err = nullptr;
  const char* setup = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                      "CREATE TABLE IF NOT EXISTS journal (seq INTEGER PRIMARY KEY, body BLOB NOT "
                      "NULL);"
                      "CREATE TABLE IF NOT EXISTS principal (kind INTEGER NOT NULL, id INTEGER NOT "
                      "NULL, counter INTEGER NOT NULL, account INTEGER NOT NULL, requests BLOB, "
                      "PRIMARY KEY (kind, id));";
  if (sqlite3_exec(db, setup, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string what = err != nullptr ? err : "?";
    sqlite3_free(err);
    return Error{path, "not a journal database: " + what};
  }
  check(db,
        sqlite3_prepare_v2(db, "INSERT INTO journal (seq, body) VALUES (?, ?)", -1, &j->insert_,
                           nullptr),
        "prepare insert");
  check(db,
        sqlite3_prepare_v2(db,
                           "INSERT INTO principal (kind, id, counter, account, requests) VALUES "
                           "(?, ?, ?, ?, ?) ON CONFLICT (kind, id) DO UPDATE SET counter = "
                           "excluded.counter, account = excluded.account, requests = "
                           "excluded.requests",
                           -1, &j->upsert_principal_, nullptr),
        "prepare principal upsert");
  // Check every record (and that sequences run 1, 2, 3 …) before anyone replays them.
  sqlite3_stmt* scan = nullptr;
  check(db,
        sqlite3_prepare_v2(db, "SELECT seq, body FROM journal ORDER BY seq", -1, &scan, nullptr),
        "prepare scan");
  Result<void> valid;
  while (sqlite3_step(scan) == SQLITE_ROW) {
    const auto seq = static_cast<uint64_t>(sqlite3_column_int64(scan, 0));
    const auto* body = static_cast<const char*>(sqlite3_column_blob(scan, 1));
    const auto n = static_cast<size_t>(sqlite3_column_bytes(scan, 1));
    if (seq != j->last_ + 1) {
      valid = Error{path + ": record " + std::to_string(seq),
                    "sequence gap: expected " + std::to_string(j->last_ + 1)};
      break;
    }
    auto record = decode_record(std::string_view(body == nullptr ? "" : body, n));
    if (!record.ok()) {
      valid = Error{path + ": record " + std::to_string(seq),
                    record.error().where + ": " + record.error().what};
      break;
    }
    j->last_ = seq;
  }
  sqlite3_finalize(scan);
  if (!valid.ok()) {
    return valid.error();
  }
  return j;
}

SqliteJournal::~SqliteJournal() {
  if (in_transaction_) {
    // An unflushed tail was never acknowledged: roll it back like a crash would.
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  sqlite3_finalize(insert_);
  sqlite3_finalize(upsert_principal_);
  sqlite3_close(db_);
}

void SqliteJournal::exec(const char* sql) {
  check(db_, sqlite3_exec(db_, sql, nullptr, nullptr, nullptr), sql);
}

void SqliteJournal::begin_if_needed() {
  if (!in_transaction_) {
    exec("BEGIN");
    in_transaction_ = true;
  }
}

uint64_t SqliteJournal::append(const cloud::JournalRecord& record) {
  const uint64_t seq = last_ + 1;
  if (pipelined_) {
    if (staged_.records.empty()) {
      staged_.first = seq;
    }
    staged_.records.push_back(encode_record(record));
    last_ = seq;
    return seq;
  }
  begin_if_needed();
  const std::string body = encode_record(record);
  sqlite3_reset(insert_);
  sqlite3_bind_int64(insert_, 1, static_cast<sqlite3_int64>(seq));
  sqlite3_bind_blob(insert_, 2, body.data(), static_cast<int>(body.size()), SQLITE_TRANSIENT);
  check(db_, sqlite3_step(insert_), "insert");
  last_ = seq;
  if (!grouped_ && std::holds_alternative<cloud::CommitPoint>(record)) {
    flush();
  }
  return seq;
}

void SqliteJournal::flush() {
  if (pipelined_) {
    write(seal());
    return;
  }
  if (in_transaction_) {
    exec("COMMIT");
    in_transaction_ = false;
    ++commits_;
  }
}

void SqliteJournal::set_pipelined(bool pipelined) {
  flush();
  pipelined_ = pipelined;
}

SqliteJournal::Group SqliteJournal::seal() {
  assert(pipelined_);
  Group g = std::move(staged_);
  staged_ = Group{};
  return g;
}

void SqliteJournal::write(const Group& group) {
  if (group.records.empty() && group.principals.empty()) {
    return;
  }
  exec("BEGIN");
  std::string times;
  for (const PrincipalRow& p : group.principals) {
    times.clear();
    for (const Time t : p.requests) {
      const auto v = static_cast<uint64_t>(t.us());
      for (int i = 7; i >= 0; --i) {
        times.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
      }
    }
    sqlite3_reset(upsert_principal_);
    sqlite3_bind_int(upsert_principal_, 1, p.kind);
    sqlite3_bind_int64(upsert_principal_, 2, static_cast<sqlite3_int64>(p.principal));
    sqlite3_bind_int64(upsert_principal_, 3, static_cast<sqlite3_int64>(p.counter));
    sqlite3_bind_int64(upsert_principal_, 4, static_cast<sqlite3_int64>(p.account));
    sqlite3_bind_blob(upsert_principal_, 5, times.data(), static_cast<int>(times.size()),
                      SQLITE_TRANSIENT);
    check(db_, sqlite3_step(upsert_principal_), "principal upsert");
  }
  for (size_t i = 0; i < group.records.size(); ++i) {
    const std::string& body = group.records[i];
    sqlite3_reset(insert_);
    sqlite3_bind_int64(insert_, 1, static_cast<sqlite3_int64>(group.first + i));
    sqlite3_bind_blob(insert_, 2, body.data(), static_cast<int>(body.size()), SQLITE_STATIC);
    check(db_, sqlite3_step(insert_), "insert");
  }
  exec("COMMIT");
  ++commits_;
}

std::vector<SqliteJournal::PrincipalRow> SqliteJournal::load_principals() const {
  std::vector<PrincipalRow> out;
  sqlite3_stmt* scan = nullptr;
  check(db_,
        sqlite3_prepare_v2(db_,
                           "SELECT kind, id, counter, account, requests FROM principal ORDER BY "
                           "kind, id",
                           -1, &scan, nullptr),
        "prepare principal scan");
  while (sqlite3_step(scan) == SQLITE_ROW) {
    PrincipalRow p;
    p.kind = sqlite3_column_int(scan, 0);
    p.principal = static_cast<uint64_t>(sqlite3_column_int64(scan, 1));
    p.counter = static_cast<uint64_t>(sqlite3_column_int64(scan, 2));
    p.account = static_cast<uint64_t>(sqlite3_column_int64(scan, 3));
    const auto* b = static_cast<const uint8_t*>(sqlite3_column_blob(scan, 4));
    const auto n = static_cast<size_t>(sqlite3_column_bytes(scan, 4));
    for (size_t at = 0; b != nullptr && at + 8 <= n; at += 8) {
      uint64_t v = 0;
      for (size_t i = 0; i < 8; ++i) {
        v = (v << 8) | b[at + i];
      }
      p.requests.push_back(Time::from_us(static_cast<int64_t>(v)));
    }
    out.push_back(std::move(p));
  }
  sqlite3_finalize(scan);
  return out;
}

void SqliteJournal::replay(uint64_t after,
                           const std::function<void(const cloud::JournalRecord&)>& visit) const {
  sqlite3_stmt* scan = nullptr;
  check(db_,
        sqlite3_prepare_v2(db_, "SELECT body FROM journal WHERE seq > ? ORDER BY seq", -1, &scan,
                           nullptr),
        "prepare replay");
  sqlite3_bind_int64(scan, 1, static_cast<sqlite3_int64>(after));
  while (sqlite3_step(scan) == SQLITE_ROW) {
    const auto* body = static_cast<const char*>(sqlite3_column_blob(scan, 0));
    const auto n = static_cast<size_t>(sqlite3_column_bytes(scan, 0));
    auto record = decode_record(std::string_view(body == nullptr ? "" : body, n));
    assert(record.ok()); // open() checked every stored record; appends are our own encodings
    visit(*record);
  }
  sqlite3_finalize(scan);
}

void SqliteJournal::discard_after(uint64_t sequence) {
  if (sequence >= last_) {
    return;
  }
  sqlite3_stmt* del = nullptr;
  check(db_, sqlite3_prepare_v2(db_, "DELETE FROM journal WHERE seq > ?", -1, &del, nullptr),
        "prepare discard");
  sqlite3_bind_int64(del, 1, static_cast<sqlite3_int64>(sequence));
  check(db_, sqlite3_step(del), "discard");
  sqlite3_finalize(del);
  last_ = sequence;
  if (!in_transaction_) {
    return; // autocommit: the delete is durable already
  }
  flush();
}

} // namespace hcesim::live
