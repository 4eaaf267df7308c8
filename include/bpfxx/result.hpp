// bpfxx::Result<T>: a value or an Error, with std::expected's member names.
//
// g++ 12 has no <expected> in C++20 mode, so bpfxx owns this small type.
// It is [[nodiscard]]: a failure cannot be dropped silently. value() on an
// error throws BadResultAccess, so exception-minded callers write one call.
//
// Thread safety: as the contained value.
#pragma once

#include <bpfxx/error.hpp>

#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

namespace bpfxx {

template <typename T>
class [[nodiscard]] Result {
  static_assert(!std::is_reference_v<T>, "Result<T&> is not supported");
  static_assert(!std::is_same_v<std::remove_cv_t<T>, Error>, "Result<Error> is ambiguous");

 public:
  using value_type = T;

  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit on purpose
  template <typename U = T,
            typename = std::enable_if_t<std::is_constructible_v<T, U&&> &&
                                        !std::is_same_v<std::decay_t<U>, Result> &&
                                        !std::is_same_v<std::decay_t<U>, Error>>>
  Result(U&& value) : v_(std::in_place_index<0>, std::forward<U>(value)) {}  // NOLINT

  bool has_value() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  T& operator*() & noexcept { return *std::get_if<0>(&v_); }
  const T& operator*() const& noexcept { return *std::get_if<0>(&v_); }
  T&& operator*() && noexcept { return std::move(*std::get_if<0>(&v_)); }
  T* operator->() noexcept { return std::get_if<0>(&v_); }
  const T* operator->() const noexcept { return std::get_if<0>(&v_); }

  T& value() & {
    check();
    return **this;
  }
  const T& value() const& {
    check();
    return **this;
  }
  T&& value() && {
    check();
    return std::move(**this);
  }
  template <typename U>
  T value_or(U&& fallback) const& {
    return has_value() ? **this : static_cast<T>(std::forward<U>(fallback));
  }

  const Error& error() const& noexcept { return *std::get_if<1>(&v_); }
  Error&& error() && noexcept { return std::move(*std::get_if<1>(&v_)); }

 private:
  void check() const {
    if (!has_value()) throw BadResultAccess(error());
  }
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  using value_type = void;
  Result() = default;
  Result(Error error) : e_(std::move(error)) {}  // NOLINT: implicit on purpose

  bool has_value() const noexcept { return !e_.has_value(); }
  explicit operator bool() const noexcept { return has_value(); }
  void value() const {
    if (e_) throw BadResultAccess(*e_);
  }
  const Error& error() const& noexcept { return *e_; }
  Error&& error() && noexcept { return std::move(*e_); }

 private:
  std::optional<Error> e_;
};

}  // namespace bpfxx

#define BPFXX_CONCAT_INNER_(a, b) a##b
#define BPFXX_CONCAT_(a, b) BPFXX_CONCAT_INNER_(a, b)

// Propagates an error from a Result-returning expression.
#define BPFXX_TRY(expr)                                   \
  do {                                                    \
    auto&& bpfxx_try_result_ = (expr);                    \
    if (!bpfxx_try_result_.has_value())                   \
      return std::move(bpfxx_try_result_).error();        \
  } while (0)

// Declares or assigns `var` from a Result, propagating its error.
// Usage: BPFXX_TRY_ASSIGN(auto fd, sys::map_create(...));
#define BPFXX_TRY_ASSIGN(var, expr) \
  BPFXX_TRY_ASSIGN_IMPL_(BPFXX_CONCAT_(bpfxx_try_, __LINE__), var, expr)
#define BPFXX_TRY_ASSIGN_IMPL_(tmp, var, expr) \
  auto tmp = (expr);                           \
  if (!tmp.has_value()) return std::move(tmp).error(); \
  var = std::move(*tmp)
