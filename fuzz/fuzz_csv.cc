// Fuzzes the GTFS CSV reader (CsvTable::parse) on raw bytes against a plain reference splitter
// written from RFC 4180 and the reader's documented extras (BOM, CR/CRLF/LF line ends, blank lines
// skipped, header names trimmed of spaces): both must agree on success, every field and every
// row's line; a table written back with every field quoted must read back the same.
#include "fuzz_check.h"
#include "hce/fare/csv_reader.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

using namespace hcesim;
using hcesim::fare::CsvTable;

namespace {

struct Record {
  uint32_t line = 0;
  std::vector<std::string> fields;
};

// The reference: records with their first line, or nullopt when a quote is malformed/unclosed.
std::optional<std::vector<Record>> split(std::string_view s) {
  if (s.substr(0, 3) == "\xEF\xBB\xBF") {
    s.remove_prefix(3);
  }
  std::vector<Record> out;
  size_t i = 0;
  uint32_t line = 1;
  while (i < s.size()) {
    Record r{line, {}};
    for (;;) {
      std::string f;
      if (i < s.size() && s[i] == '"') {
        size_t close = ++i;
        for (;; ++close) {
          if (close >= s.size()) {
            return std::nullopt;
          }
          if (s[close] == '"') {
            if (close + 1 < s.size() && s[close + 1] == '"') {
              f += '"';
              ++close;
              continue;
            }
            break;
          }
          line += s[close] == '\n';
          f += s[close];
        }
        i = close + 1;
        if (i < s.size() && s[i] != ',' && s[i] != '\r' && s[i] != '\n') {
          return std::nullopt;
        }
      } else {
        while (i < s.size() && s[i] != ',' && s[i] != '\r' && s[i] != '\n') {
          f += s[i++];
        }
      }
      r.fields.push_back(std::move(f));
      if (i < s.size() && s[i] == ',') {
        ++i;
        continue;
      }
      if (i < s.size()) { // a line end: "\r\n", "\r" or "\n"
        i += (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ? 2 : 1;
        ++line;
      }
      break;
    }
    if (!(r.fields.size() == 1 && r.fields[0].empty())) {
      out.push_back(std::move(r));
    }
  }
  return out;
}

std::string trimmed(std::string h) {
  h.erase(0, h.find_first_not_of(' ') == std::string::npos ? h.size() : h.find_first_not_of(' '));
  h.erase(h.find_last_not_of(' ') + 1);
  return h;
}

std::string quoted(const std::vector<Record>& records) {
  std::string out;
  for (const Record& r : records) {
    for (size_t c = 0; c < r.fields.size(); ++c) {
      out += c ? ",\"" : "\"";
      for (char ch : r.fields[c]) {
        out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
      }
      out += '"';
    }
    out += "\r\n";
  }
  return out;
}

// The table equals the reference records (header first); `check_lines` compares source lines too.
void check_same(const CsvTable& t, const std::vector<Record>& ref, bool check_lines) {
  FUZZ_CHECK(t.rows() + 1 == ref.size(), "row count");
  // column() finds the first column of a name (names trimmed of spaces); the first 64 columns
  // are enough (column() is a linear search, so checking all would be quadratic).
  std::map<std::string, size_t> first;
  for (size_t c = 0; c < ref[0].fields.size() && c < 64; ++c) {
    first.emplace(trimmed(ref[0].fields[c]), c);
  }
  for (const auto& [name, c] : first) {
    FUZZ_CHECK(t.column(name) == c, "header lookup");
  }
  for (size_t r = 0; r < t.rows(); ++r) {
    const Record& rec = ref[r + 1];
    if (check_lines) {
      FUZZ_CHECK(t.line(r) == rec.line, "row line");
    }
    for (size_t c = 0; c < rec.fields.size(); ++c) {
      FUZZ_CHECK(t.field(r, c) == rec.fields[c], "field text");
    }
    FUZZ_CHECK(t.field(r, rec.fields.size()).empty(), "a field past the row's end is empty");
    FUZZ_CHECK(!t.where(r, rec.fields.size() + 3).empty(), "where past the end");
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Result<CsvTable> table = CsvTable::parse(text, "fuzz.txt");
  const std::optional<std::vector<Record>> ref = split(text);
  FUZZ_CHECK(table.ok() == (ref && !ref->empty()), "reader and reference agree on success");
  if (!table) {
    FUZZ_CHECK(table.error().where.rfind("fuzz.txt:", 0) == 0, "errors name file:line:column");
    return 0;
  }
  check_same(*table, *ref, true);
  Result<CsvTable> again = CsvTable::parse(quoted(*ref), "again.txt");
  FUZZ_CHECK(again.ok(), "the table written back reads");
  check_same(*again, *ref, false);
  return 0;
}
