// An aligned text table: a header row and cells padded to the widest entry of
// each column, two spaces apart; the last column is not padded.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bpfxx::cli {

class Table {
 public:
  explicit Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}
  // Rows are cut or padded (with empty cells) to the header's length.
  void add_row(std::vector<std::string> cells);
  bool empty() const noexcept { return rows_.empty(); }
  size_t size() const noexcept { return rows_.size(); }
  // The header and every row, each line starting with `indent`.
  std::string render(std::string_view indent = "  ") const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace bpfxx::cli
