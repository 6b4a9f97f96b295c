#pragma once
// MPI for `hcesim run` under mpirun: initialised only when the process was launched by an MPI
// launcher (Open MPI's or PMIx's environment), so a plain run never touches MPI; finalised at
// scope end. Without MPI in the build, or a single process, it is one rank of one.
namespace hcesim::study {

class MpiSession {
public:
  MpiSession();
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }
  //! Several ranks: work is spread over them.
  bool spread() const { return size_ > 1; }
  //! Any thread may call MPI (one at a time): worker ranks then run --jobs threads.
  bool threads_may_call() const { return serialized_; }

private:
  bool initialised_ = false;
  bool serialized_ = false;
  int rank_ = 0;
  int size_ = 1;
};

} // namespace hcesim::study
