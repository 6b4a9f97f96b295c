#include "hce/fare/csv_reader.h"

#include <charconv>
#include <fstream>
#include <sstream>

namespace hcesim::fare {

Result<CsvTable> CsvTable::read(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return Error{file.string(), "cannot open file"};
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  return parse(buf.str(), file.filename().string());
}

Result<CsvTable> CsvTable::parse(std::string_view text, std::string name) {
  CsvTable t;
  t.name_ = std::move(name);
  if (text.substr(0, 3) == "\xEF\xBB\xBF") {
    text.remove_prefix(3);
  }
  t.text_.reserve(text.size());
  size_t i = 0;
  uint32_t line = 1;
  size_t line_start = 0;
  bool header_done = false;
  std::vector<Field> row_fields;
  while (i < text.size()) {
    // One record.
    const uint32_t record_line = line;
    row_fields.clear();
    bool end_of_record = false;
    while (!end_of_record) {
      Field f;
      f.offset = static_cast<uint32_t>(t.text_.size());
      f.char_column = static_cast<uint32_t>(i - line_start + 1);
      if (i < text.size() && text[i] == '"') {
        const uint32_t quote_line = line;
        const uint32_t quote_col = f.char_column;
        ++i;
        bool closed = false;
        while (i < text.size()) {
          char c = text[i];
          if (c == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              t.text_.push_back('"');
              i += 2;
              continue;
            }
            ++i;
            closed = true;
            break;
          }
          if (c == '\n') {
            ++line;
            line_start = i + 1;
          }
          t.text_.push_back(c);
          ++i;
        }
        if (!closed) {
          return Error{t.name_ + ":" + std::to_string(quote_line) + ":" + std::to_string(quote_col),
                       "quoted field is never closed"};
        }
        if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          return Error{t.name_ + ":" + std::to_string(line) + ":" +
                           std::to_string(i - line_start + 1),
                       "unexpected character after a closing quote; expected , or end of line"};
        }
      } else {
        while (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          t.text_.push_back(text[i]);
          ++i;
        }
      }
      f.size = static_cast<uint32_t>(t.text_.size() - f.offset);
      row_fields.push_back(f);
      if (i >= text.size()) {
        end_of_record = true;
      } else if (text[i] == ',') {
        ++i;
      } else {
        if (text[i] == '\r') {
          ++i;
        }
        if (i < text.size() && text[i] == '\n') {
          ++i;
        }
        ++line;
        line_start = i;
        end_of_record = true;
      }
    }
    const bool blank = row_fields.size() == 1 && row_fields[0].size == 0;
    if (blank) {
      continue;
    }
    if (!header_done) {
      for (const Field& f : row_fields) {
        std::string h(t.text_.data() + f.offset, f.size);
        // Some writers pad header names with spaces.
        while (!h.empty() && h.back() == ' ') {
          h.pop_back();
        }
        while (!h.empty() && h.front() == ' ') {
          h.erase(h.begin());
        }
        t.header_.push_back(std::move(h));
      }
      t.text_.clear();
      header_done = true;
      continue;
    }
    Row r;
    r.line = record_line;
    r.first = static_cast<uint32_t>(t.fields_.size());
    r.count = static_cast<uint32_t>(row_fields.size());
    t.fields_.insert(t.fields_.end(), row_fields.begin(), row_fields.end());
    t.rows_.push_back(r);
  }
  if (!header_done) {
    return Error{t.name_ + ":1:1", "file is empty; expected a header line"};
  }
  return t;
}

std::optional<size_t> CsvTable::column(std::string_view header) const {
  for (size_t c = 0; c < header_.size(); ++c) {
    if (header_[c] == header) {
      return c;
    }
  }
  return std::nullopt;
}

Result<size_t> CsvTable::require_column(std::string_view header) const {
  if (auto c = column(header)) {
    return *c;
  }
  return Error{name_ + ":1", "required column \"" + std::string(header) + "\" is missing"};
}

std::string_view CsvTable::field(size_t row, size_t column) const {
  const Row& r = rows_[row];
  if (column >= r.count) {
    return {};
  }
  const Field& f = fields_[r.first + column];
  return std::string_view(text_.data() + f.offset, f.size);
}

std::string_view CsvTable::field(size_t row, std::optional<size_t> column) const {
  return column ? field(row, *column) : std::string_view();
}

std::string CsvTable::where(size_t row, size_t column) const {
  const Row& r = rows_[row];
  uint32_t col = 1;
  if (column < r.count) {
    col = fields_[r.first + column].char_column;
  } else if (r.count > 0) {
    const Field& last = fields_[r.first + r.count - 1];
    col = last.char_column + last.size;
  }
  return name_ + ":" + std::to_string(r.line) + ":" + std::to_string(col);
}

std::string CsvTable::where(size_t row) const {
  return name_ + ":" + std::to_string(rows_[row].line);
}

Error CsvTable::error(size_t row, size_t column, const std::string& what) const {
  std::string col_name = column < header_.size() ? header_[column] : "column";
  return Error{where(row, column), col_name + ": " + what};
}

Result<int64_t> parse_int(std::string_view text) {
  int64_t v = 0;
  const char* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ec != std::errc() || p != end) {
    return Error{"", "expected an integer, found \"" + std::string(text) + "\""};
  }
  return v;
}

} // namespace hcesim::fare
