#pragma once
// The journal: append-only storage of every state change, written before the change is
// acknowledged to anyone. The simulator keeps it in memory; the live service puts SQLite behind
// the same interface.
#include "hce/cloud/journal_record.h"

#include <cstdint>
#include <deque>
#include <functional>

namespace hcesim::cloud {

class Journal {
public:
  virtual ~Journal() = default;
  //! Stores the record durably and returns its sequence (1, 2, 3 …); returns only once stored.
  virtual uint64_t append(const JournalRecord& record) = 0;
  //! The sequence of the last record stored (0 when empty).
  virtual uint64_t last_sequence() const = 0;
  //! Calls `visit` with every record after sequence `after`, in order.
  virtual void replay(uint64_t after,
                      const std::function<void(const JournalRecord&)>& visit) const = 0;
  //! Drops the records after `sequence` (a restart's incomplete tail).
  virtual void discard_after(uint64_t sequence) = 0;
};

//! A journal held in memory (the simulator's; its content survives a restart of the services).
class InMemoryJournal final : public Journal {
public:
  uint64_t append(const JournalRecord& record) override;
  uint64_t last_sequence() const override { return forgotten_ + records_.size(); }
  void replay(uint64_t after,
              const std::function<void(const JournalRecord&)>& visit) const override;
  void discard_after(uint64_t sequence) override;
  //! Frees the records up to `sequence`, which a snapshot covers (sequences stay as they were;
  //! a replay must start after it). Keeps a long simulation's memory bounded.
  void forget_through(uint64_t sequence);
  const std::deque<JournalRecord>& records() const { return records_; }

private:
  std::deque<JournalRecord> records_; //!< a deque: appending never moves what is stored
  uint64_t forgotten_ = 0;            //!< records freed before records_.front()
};

//! Where services send state changes: the owner journals each record, then applies it.
class ChangeLog {
public:
  virtual ~ChangeLog() = default;
  virtual void commit(const JournalRecord& record) = 0;
  //! Marks what was committed so far as one consistent state (before talking to the outside).
  virtual void sync() = 0;

protected:
  ChangeLog() = default;
  ChangeLog(const ChangeLog&) = default;
  ChangeLog& operator=(const ChangeLog&) = default;
};

} // namespace hcesim::cloud
