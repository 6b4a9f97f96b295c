// CsvTable: the quirks of real GTFS files.
#include "hce/fare/csv_reader.h"

#include <gtest/gtest.h>

using hcesim::fare::CsvTable;

TEST(CsvTable, ReadsColumnsByNameInAnyOrder) {
  auto t = CsvTable::parse("b,a\n2,1\n4,3\n", "x.txt");
  ASSERT_TRUE(t) << t.error().to_string();
  ASSERT_EQ(t->rows(), 2u);
  EXPECT_EQ(t->field(0, *t->column("a")), "1");
  EXPECT_EQ(t->field(1, *t->column("b")), "4");
  EXPECT_FALSE(t->column("c").has_value());
}

TEST(CsvTable, SkipsAByteOrderMarkAndToleratesAMissingFinalNewline) {
  auto t = CsvTable::parse("\xEF\xBB\xBFid,name\n1,x", "x.txt");
  ASSERT_TRUE(t);
  ASSERT_TRUE(t->column("id").has_value());
  ASSERT_EQ(t->rows(), 1u);
  EXPECT_EQ(t->field(0, 1), "x");
}

TEST(CsvTable, UnquotesFieldsWithCommasQuotesAndNewlines) {
  auto t = CsvTable::parse("id,name\r\n1,\"a, \"\"b\"\"\nc\"\r\n2,d\r\n", "x.txt");
  ASSERT_TRUE(t) << t.error().to_string();
  ASSERT_EQ(t->rows(), 2u);
  EXPECT_EQ(t->field(0, 1), "a, \"b\"\nc");
  EXPECT_EQ(t->line(1), 4u); // the quoted newline moved the second row down a line
  EXPECT_EQ(t->field(1, 1), "d");
}

TEST(CsvTable, ShortRowsReadAsEmptyFields) {
  auto t = CsvTable::parse("a,b,c\n1\n", "x.txt");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->field(0, 2), "");
}

TEST(CsvTable, AnUnclosedQuoteIsAnErrorAtItsLineAndColumn) {
  auto t = CsvTable::parse("a,b\n1,2\n3,\"oops\n", "stops.txt");
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().where, "stops.txt:3:3");
}

TEST(CsvTable, FieldErrorsNameFileLineColumnAndHeader) {
  auto t = CsvTable::parse("id,price\nF1,abc\n", "fare_attributes.txt");
  ASSERT_TRUE(t);
  auto e = t->error(0, 1, "bad");
  EXPECT_EQ(e.to_string(), "fare_attributes.txt:2:4: price: bad");
  auto missing = t->require_column("currency_type");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().where, "fare_attributes.txt:1");
}
