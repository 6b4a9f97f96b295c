#include "live/cloud_keys.h"

#include <openssl/rand.h>

#include <array>
#include <filesystem>
#include <fstream>

namespace hcesim::live {
namespace {

constexpr size_t kFileBytes = 5 * 16;

std::array<hce::Key128*, 5> fields(CloudKeys& k) {
  return {&k.auth_master, &k.validator_master, &k.issuer_master, &k.device_master, &k.denylist};
}

} // namespace

Result<CloudKeys> load_keys(const std::string& dir) {
  const std::string path = dir + "/keys.bin";
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Error{path, "cannot read the key file"};
  }
  std::array<char, kFileBytes + 1> buf{};
  in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
  const auto got = static_cast<size_t>(in.gcount());
  if (got != kFileBytes) {
    return Error{path, "key file must be " + std::to_string(kFileBytes) + " bytes, found " +
                           (got > kFileBytes ? "more" : std::to_string(got))};
  }
  const std::string bytes(buf.data(), kFileBytes);
  CloudKeys keys;
  size_t at = 0;
  for (hce::Key128* k : fields(keys)) {
    for (uint8_t& b : *k) {
      b = static_cast<uint8_t>(bytes[at++]);
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
    bytes.append(reinterpret_cast<const char*>(k->data()), k->size());
  }
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) {
      return Error{tmp, "cannot write the key file"};
    }
  }
  std::filesystem::rename(tmp, path);
  return keys;
}

} // namespace hcesim::live
