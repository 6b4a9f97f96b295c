#pragma once
// CsvTable: one CSV file (RFC 4180 as real GTFS feeds write it) read whole, with a header that
// maps column names to positions, so columns may come in any order and unknown ones are ignored.
// Copes with a UTF-8 byte-order mark, quoted fields (embedded commas, quotes, newlines), CRLF and a
// missing final newline. Every error names file:line:column.
#include "base/error.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hcesim::fare {

class CsvTable {
public:
  //! Reads and splits a whole file; a malformed quote is an error at its line and column.
  static Result<CsvTable> read(const std::filesystem::path& file);
  //! Splits text already in memory; `name` is what errors call the file.
  static Result<CsvTable> parse(std::string_view text, std::string name);

  const std::string& name() const { return name_; }
  //! Number of data rows (the header is not a row).
  size_t rows() const { return rows_.size(); }
  //! Number of columns in the header.
  size_t columns() const { return header_.size(); }
  //! Number of fields a row has (RFC 4180: the header's; writers sometimes cut trailing ones).
  size_t fields(size_t row) const { return rows_[row].count; }
  //! Position of a column, or nullopt when the header lacks it.
  std::optional<size_t> column(std::string_view header) const;
  //! Position of a column the caller cannot do without: else an error naming the file.
  Result<size_t> require_column(std::string_view header) const;
  //! A field; "" when the row is shorter than the header (trailing empty fields are often cut).
  std::string_view field(size_t row, size_t column) const;
  //! A field of an optional column: "" when the column is absent.
  std::string_view field(size_t row, std::optional<size_t> column) const;
  //! The source line a row starts on (1-based, the header is line 1).
  uint32_t line(size_t row) const { return rows_[row].line; }
  //! "file:line:column" for a field (column = 1-based character position of the field's start).
  std::string where(size_t row, size_t column) const;
  //! "file:line" for a whole row.
  std::string where(size_t row) const;
  //! An error at a field, naming the column: "stops.txt:12:40: parent_station: <what>".
  Error error(size_t row, size_t column, const std::string& what) const;

private:
  struct Row {
    uint32_t line = 0;
    uint32_t first = 0; //!< index of the row's first field in fields_
    uint32_t count = 0;
  };
  struct Field {
    uint32_t offset = 0; //!< into text_
    uint32_t size = 0;
    uint32_t char_column = 0;
  };
  std::string name_;
  std::vector<std::string> header_;
  std::string text_; //!< every field's unquoted text, back to back
  std::vector<Field> fields_;
  std::vector<Row> rows_;
};

//! Parses a non-negative or negative decimal integer field exactly; errors name the field.
Result<int64_t> parse_int(std::string_view text);

} // namespace hcesim::fare
