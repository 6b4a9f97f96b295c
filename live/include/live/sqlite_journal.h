#pragma once
// The cloud services' journal in SQLite (WAL mode, synchronous=FULL): the live service's durable
// ledger and settlement state. Records go into an open transaction; a CommitPoint commits it (an
// fsync), so an operation is durable before AccountServices returns and the caller acknowledges.
// Grouped mode defers the commit to flush(): the server handles several requests, flushes once,
// then sends all their acknowledgements (group commit). A restart loses only what no commit
// point covered, which AccountServices drops anyway.
#include "base/error.h"
#include "base/time.h"
#include "hce/cloud/journal.h"

#include <atomic>
#include <memory>
#include <string>
#include <vector>

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

  //! What the request layer keeps across restarts for one principal (outside the services'
  //! journal): its last accepted request counter (the replay check) and, for a device, the times
  //! of its token requests the issuer's hourly rate limit remembers.
  struct PrincipalRow {
    int kind = 0;
    uint64_t principal = 0;
    uint64_t counter = 0;
    uint64_t account = 0;       //!< devices: the account of the token requests
    std::vector<Time> requests; //!< devices: token request times, oldest first
  };

  //! Records appended but not yet written: one group commit's worth.
  struct Group {
    uint64_t first = 0;                   //!< sequence of records.front()
    std::vector<std::string> records;     //!< encoded
    std::vector<PrincipalRow> principals; //!< rows stored in the same transaction
  };
  //! Pipelined mode (after the services loaded): append() only encodes and stages the record;
  //! seal() hands the staged records over and write() stores them in one transaction. seal() and
  //! append() run on the services' thread, write() on one committing thread, so the next group is
  //! handled while the previous one is being made durable. Replay and discard are load-time only.
  void set_pipelined(bool pipelined);
  Group seal();
  //! Writes and commits a sealed group (durable when this returns); groups in seal order.
  void write(const Group& group);
  //! Every principal row stored (at start-up, before the services run).
  std::vector<PrincipalRow> load_principals() const;

private:
  explicit SqliteJournal(sqlite3* db) : db_(db) {}
  void exec(const char* sql);
  void begin_if_needed();

  sqlite3* db_;
  sqlite3_stmt* insert_ = nullptr;
  sqlite3_stmt* upsert_principal_ = nullptr;
  uint64_t last_ = 0;
  bool in_transaction_ = false;
  bool grouped_ = false;
  bool pipelined_ = false;
  Group staged_;
  std::atomic<uint64_t> commits_ = 0;
};

} // namespace hcesim::live
