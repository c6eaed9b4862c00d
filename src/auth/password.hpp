#pragma once

// Passwords and secrets: argon2id hashing (libsodium) with a cap on how many
// hashes run at once (each takes 64 MiB), the password policy, random tokens,
// and SHA-256 of tokens (only the hash of a session or bearer token is
// stored). No database and no HTTP here.

#include <cstdint>
#include <memory>
#include <optional>
#include <semaphore>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace xzzf::auth {

// Thread-safe. `fast` selects the cheapest parameters, for the test suite
// only (testing.fast_hashing); verification follows whatever parameters the
// stored hash names.
class PasswordHasher {
 public:
  PasswordHasher(int max_concurrent, bool fast);

  [[nodiscard]] Result<std::string> hash(std::string_view password) const;
  [[nodiscard]] bool verify(std::string_view stored_hash, std::string_view password) const;
  // Does a hash use other parameters than new hashes get?
  [[nodiscard]] bool needs_rehash(std::string_view stored_hash) const;
  // Spends the time of one verification, for unknown users (no timing oracle).
  void waste_one_verification(std::string_view password) const;

 private:
  mutable std::counting_semaphore<64> slots_;
  unsigned long long opslimit_;
  std::size_t memlimit_;
  std::string dummy_hash_;
};

struct PasswordPolicy {
  int min_length = 12;
};

// ≥ min_length characters, 3 of 4 classes (lower, upper, digit, other), not
// the user name, not the current password. The error's message says what is
// missing.
[[nodiscard]] Result<void> check_password_policy(const PasswordPolicy& policy,
                                                 std::string_view password,
                                                 std::string_view username,
                                                 std::optional<std::string_view> current = {});

// A random password satisfying any policy with min_length <= 16.
[[nodiscard]] std::string generate_password();
// `bytes` random bytes, base64url without padding.
[[nodiscard]] std::string random_token(std::size_t bytes = 32);
// Lower-case hex SHA-256.
[[nodiscard]] std::string sha256_hex(std::string_view data);
// Constant-time equality (different lengths are simply unequal).
[[nodiscard]] bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace xzzf::auth
