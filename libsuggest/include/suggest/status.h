// Copyright libsuggest authors.
//
// Status and StatusOr<T>: errors are values in libsuggest. No exception ever
// leaves a public function; every fallible call returns one of these.
//
//   suggest::StatusOr<suggest::Model> model = suggest::Model::Load("models");
//   if (!model.ok()) { std::cerr << model.status().ToString(); return 1; }
//
// Codes use the canonical numbering (as in absl/gRPC) so the C ABI can pin the
// same values.

#ifndef LIBSUGGEST_INCLUDE_SUGGEST_STATUS_H_
#define LIBSUGGEST_INCLUDE_SUGGEST_STATUS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "suggest/export.h"

namespace suggest {

enum class StatusCode : int {
  kOk = 0,
  kCancelled = 1,
  kUnknown = 2,
  kInvalidArgument = 3,
  kNotFound = 5,
  kResourceExhausted = 8,
  kFailedPrecondition = 9,
  kOutOfRange = 11,
  kUnimplemented = 12,
  kInternal = 13,
  kDataLoss = 15,
};

// Short lower-case name of a code ("invalid_argument").
SUGGEST_API const char* StatusCodeName(StatusCode code);

// A success or an error: code, human-readable message, and two optional
// details used by the output layer:
//   kind():   a stable machine-readable error kind ("invalid_utf8",
//             "note_too_large", "empty_note", "rule_file", ...), empty if none;
//   offset(): a byte offset into the caller's input the error refers to, or -1.
class [[nodiscard]] SUGGEST_CLASS_API Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message, std::string kind = {},
         int64_t offset = -1)
      : code_(code),
        message_(std::move(message)),
        kind_(std::move(kind)),
        offset_(offset) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::string& kind() const { return kind_; }
  int64_t offset() const { return offset_; }

  // "invalid_argument: message" (or "ok").
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string kind_;
  int64_t offset_ = -1;
};

inline Status InvalidArgument(std::string msg, std::string kind = {},
                              int64_t offset = -1) {
  return Status(StatusCode::kInvalidArgument, std::move(msg), std::move(kind),
                offset);
}
inline Status NotFound(std::string msg) {
  return Status(StatusCode::kNotFound, std::move(msg));
}
inline Status Internal(std::string msg) {
  return Status(StatusCode::kInternal, std::move(msg));
}

// Either a T or a non-OK Status. Accessing value() of an error is a bug
// (checked by assert in debug builds).
template <class T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(const T& value) : v_(value) {}                 // NOLINT
  StatusOr(T&& value) : v_(std::move(value)) {}           // NOLINT
  StatusOr(Status status) : v_(std::move(status)) {       // NOLINT
    if (std::get<Status>(v_).ok())
      v_ = Status(StatusCode::kInternal, "StatusOr built from OK status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  // A reference, so status().message() stays valid as long as this object.
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(v_);
  }

  const T& value() const& { return std::get<T>(v_); }
  T& value() & { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  std::variant<Status, T> v_;
};

}  // namespace suggest

#endif  // LIBSUGGEST_INCLUDE_SUGGEST_STATUS_H_
