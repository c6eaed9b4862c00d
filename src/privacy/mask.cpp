#include "privacy/mask.hpp"

#include <array>
#include <cstddef>

namespace xzzf::privacy {
namespace {

bool digit(char c) {
  return c >= '0' && c <= '9';
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool leap(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int number(std::string_view digits) {
  int n = 0;
  for (char c : digits) n = n * 10 + (c - '0');
  return n;
}

}  // namespace

bool valid_id_number(std::string_view id) {
  if (id.size() != 18) return false;
  for (std::size_t i = 0; i < 17; ++i) {
    if (!digit(id[i])) return false;
  }
  const int year = number(id.substr(6, 4));
  const int month = number(id.substr(10, 2));
  const int day = number(id.substr(12, 2));
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (year < 1900 || month < 1 || month > 12 || day < 1) return false;
  const int days = kDays[static_cast<std::size_t>(month - 1)] + (month == 2 && leap(year) ? 1 : 0);
  if (day > days) return false;
  return id[17] == id_check_character(id.substr(0, 17));
}

char id_check_character(std::string_view first17) {
  static constexpr std::array<int, 17> kWeights = {7, 9, 10, 5,  8, 4, 2, 1, 6,
                                                   3, 7, 9,  10, 5, 8, 4, 2};
  int sum = 0;
  for (std::size_t i = 0; i < 17 && i < first17.size(); ++i) {
    sum += (first17[i] - '0') * kWeights[i];
  }
  static constexpr std::string_view kCheck = "10X98765432";
  return kCheck[static_cast<std::size_t>(sum % 11)];
}

std::string normalize_id_number(std::string_view id) {
  std::string out(trimmed(id));
  for (char& c : out) {
    if (c == 'x') c = 'X';
  }
  return out;
}

std::string mask_id_number(std::string_view id) {
  if (id.size() == 18)
    return std::string(id.substr(0, 6)) + "********" + std::string(id.substr(14));
  if (id.size() <= 2) return std::string(id.size(), '*');
  return std::string(id.size() - 2, '*') + std::string(id.substr(id.size() - 2));
}

bool valid_phone(std::string_view phone) {
  if (!phone.empty() && phone[0] == '1') {
    // A mobile number: 11 digits, nothing else.
    if (phone.size() != 11) return false;
    for (char c : phone) {
      if (!digit(c)) return false;
    }
    return true;
  }
  if (phone.size() < 7 || phone.size() > 20) return false;
  int hyphens = 0;
  for (std::size_t i = 0; i < phone.size(); ++i) {
    if (phone[i] == '-') {
      if (i == 0 || i + 1 == phone.size() || ++hyphens > 2) return false;
    } else if (!digit(phone[i])) {
      return false;
    }
  }
  return true;
}

std::string mask_phone(std::string_view phone) {
  if (phone.size() <= 5) return std::string(phone.size(), '*');
  const std::size_t tail = phone.size() == 11 ? 4 : 2;
  return std::string(phone.substr(0, 3)) + std::string(phone.size() - 3 - tail, '*') +
         std::string(phone.substr(phone.size() - tail));
}

}  // namespace xzzf::privacy
