#pragma once
// The cloud services' journal in SQLite (WAL mode, synchronous=FULL): the live service's durable
// ledger and settlement state. Records go into an open transaction; a CommitPoint commits it (an
// fsync), so an operation is durable before AccountServices returns and the caller acknowledges.
// Grouped mode defers the commit to flush(): the server handles several requests, flushes once,
// then sends all their acknowledgements (group commit). A restart loses only what no commit
// point covered, which AccountServices drops anyway.
#include "base/error.h"
#include "hce/cloud/journal.h"

#include <memory>
#include <string>

struct sqlite3;
struct sqlite3_stmt;

namespace hcesim::live {

class SqliteJournal final : public cloud::Journal {
public:
  //! Opens (or creates) the journal database at `path` and checks every stored record decodes.
  static Result<std::unique_ptr<SqliteJournal>> open(const std::string& path);
  ~SqliteJournal() override;
  SqliteJournal(const SqliteJournal&) = delete;
  SqliteJournal& operator=(const SqliteJournal&) = delete;

  uint64_t append(const cloud::JournalRecord& record) override;
  uint64_t last_sequence() const override { return last_; }
  void replay(uint64_t after,
              const std::function<void(const cloud::JournalRecord&)>& visit) const override;
  void discard_after(uint64_t sequence) override;

  //! Grouped: commit points wait for flush() instead of committing on their own.
  void set_grouped(bool grouped) { grouped_ = grouped; }
  //! Commits the open transaction (durable when this returns).
  void flush();
  //! Transactions committed so far (each one fsync).
  uint64_t commits() const { return commits_; }

private:
  explicit SqliteJournal(sqlite3* db) : db_(db) {}
  void exec(const char* sql);
  void begin_if_needed();

  sqlite3* db_;
  sqlite3_stmt* insert_ = nullptr;
  uint64_t last_ = 0;
  bool in_transaction_ = false;
  bool grouped_ = false;
  uint64_t commits_ = 0;
};

} // namespace hcesim::live
