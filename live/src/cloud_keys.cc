#include "live/cloud_keys.h"

#include "live/request_auth.h"

#include <fcntl.h>
#include <openssl/rand.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>

namespace hcesim::live {
namespace {

constexpr size_t kFileBytes = 5 * 16;

std::array<hce::Key128*, 5> fields(CloudKeys& k) {
  return {&k.auth_master, &k.validator_master, &k.issuer_master, &k.device_master, &k.denylist};
}

//! Writes `bytes` to `path` (owner read/write only) through a synced temporary file and a rename,
//! so a crash leaves the old file or the whole new one.
Result<void> write_secret(const std::string& path, const std::string& bytes) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Error{tmp, "cannot create the key file"};
  }
  const bool ok = ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()) &&
                  ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) {
    return Error{tmp, "cannot write the key file"};
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    return Error{path, "cannot rename the key file into place: " + ec.message()};
  }
  return {};
}

//! Reads exactly `n` bytes from `path`.
Result<std::string> read_exactly(const std::string& path, size_t n) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Error{path, "cannot read the key file"};
  }
  std::string buf(n + 1, '\0');
  in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
  const auto got = static_cast<size_t>(in.gcount());
  if (got != n) {
    return Error{path, "key file must be " + std::to_string(n) + " bytes, found " +
                           (got > n ? "more" : std::to_string(got))};
  }
  buf.resize(n);
  return buf;
}

} // namespace

std::string key_bytes(const hce::Key128& key) {
  return {reinterpret_cast<const char*>(key.data()), key.size()};
}

Result<hce::Key128> key_from_bytes(const std::string& bytes, const std::string& what) {
  hce::Key128 k{};
  if (bytes.size() != k.size()) {
    return Error{what, "a key must be 16 bytes, found " + std::to_string(bytes.size())};
  }
  std::copy(bytes.begin(), bytes.end(), k.begin());
  return k;
}

Result<CloudKeys> load_keys(const std::string& dir) {
  auto bytes = read_exactly(dir + "/keys.bin", kFileBytes);
  if (!bytes.ok()) {
    return bytes.error();
  }
  CloudKeys keys;
  size_t at = 0;
  for (hce::Key128* k : fields(keys)) {
    for (uint8_t& b : *k) {
      b = static_cast<uint8_t>((*bytes)[at++]);
    }
  }
  return keys;
}

Result<CloudKeys> load_or_create_keys(const std::string& dir) {
  const std::string path = dir + "/keys.bin";
  if (std::filesystem::exists(path)) {
    return load_keys(dir);
  }
  CloudKeys keys;
  std::string bytes;
  for (hce::Key128* k : fields(keys)) {
    if (RAND_bytes(k->data(), static_cast<int>(k->size())) != 1) {
      return Error{path, "OpenSSL RAND_bytes failed"};
    }
    bytes += key_bytes(*k);
  }
  if (auto w = write_secret(path, bytes); !w.ok()) {
    return w.error();
  }
  return keys;
}

Result<void> write_operator_key(const std::string& dir, const CloudKeys& keys) {
  const std::string path = dir + "/operator.key";
  if (std::filesystem::exists(path)) {
    return {};
  }
  return write_secret(path,
                      key_bytes(principal_key(keys.auth_master, proto::PRINCIPAL_OPERATOR, 0)));
}

Result<hce::Key128> load_operator_key(const std::string& path) {
  auto bytes = read_exactly(path, 16);
  if (!bytes.ok()) {
    return bytes.error();
  }
  return key_from_bytes(*bytes, path);
}

} // namespace hcesim::live
