#include "hce/random_source.h"
#include "hce/token/aes_cmac.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace hcesim::hce;

namespace {

std::vector<uint8_t> hex(const std::string& s) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i + 1 < s.size(); i += 2) {
    out.push_back(static_cast<uint8_t>(std::stoi(s.substr(i, 2), nullptr, 16)));
  }
  return out;
}

Key128 key_of(const std::string& s) {
  Key128 k{};
  const auto b = hex(s);
  std::copy(b.begin(), b.end(), k.begin());
  return k;
}

Mac128 mac_of(const std::string& s) {
  return key_of(s);
}

const std::string kRfcKey = "2b7e151628aed2a6abf7158809cf4f3c";
const std::string kRfcMessage = "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
                                "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";

struct Vector {
  size_t length;
  std::string mac;
};
// RFC 4493 §4, examples 1-4.
const Vector kVectors[] = {{0, "bb1d6929e95937287fa37d129b756746"},
                           {16, "070a16b46b4d4144f79bdd9dd04a287c"},
                           {40, "dfa66747de9ae63030ca32611497c827"},
                           {64, "51f0bebf7e3b9d92fc49741779363cfe"}};

} // namespace

TEST(AesCmac, MatchesRfc4493Vectors) {
  AesCmac cmac(key_of(kRfcKey));
  const auto msg = hex(kRfcMessage);
  for (const auto& v : kVectors) {
    const std::span<const uint8_t> data(msg.data(), v.length);
    EXPECT_EQ(cmac.mac(data), mac_of(v.mac)) << "length " << v.length;
  }
}

TEST(AesCmac, ReferenceEvpMacMatchesRfc4493Vectors) {
  const auto msg = hex(kRfcMessage);
  for (const auto& v : kVectors) {
    EXPECT_EQ(cmac_reference(key_of(kRfcKey), std::span<const uint8_t>(msg.data(), v.length)),
              mac_of(v.mac))
        << "length " << v.length;
  }
}

TEST(AesCmac, AgreesWithEvpMacOnRandomKeysAndInputsAfterRekeying) {
  SeededRandomSource random(42);
  Key128 key{};
  random.fill(key.data(), key.size());
  AesCmac cmac(key);
  for (int i = 0; i < 600; ++i) {
    if (i % 3 == 0) {
      random.fill(key.data(), key.size());
      cmac.rekey(key);
    }
    // Lengths cross every block boundary and the 256-byte chunking.
    std::vector<uint8_t> data(static_cast<size_t>(i) % 530);
    random.fill(data.data(), data.size());
    ASSERT_EQ(cmac.mac(data), cmac_reference(key, data)) << "iteration " << i;
  }
}

TEST(AesCmac, MacEqualComparesEveryByte) {
  Mac128 a{};
  Mac128 b{};
  EXPECT_TRUE(mac_equal(a, b));
  b[15] = 1;
  EXPECT_FALSE(mac_equal(a, b));
}
