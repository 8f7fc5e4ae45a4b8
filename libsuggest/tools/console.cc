// Copyright libsuggest authors.
#include "console.h"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <mutex>

namespace suggest::tools {
namespace {

// Guards stderr writes of the CLI: log lines, the status line, PrintLine.
std::mutex& ConsoleMutex() {
  static std::mutex mu;
  return mu;
}
std::string& Status() {  // the status line shown now ("" = none)
  static std::string s;
  return s;
}

void WriteRaw(const char* data, size_t n) {
  std::fwrite(data, 1, n, stderr);
}

// Under ConsoleMutex(): clears the status line, writes `text`, draws it again.
void WriteAboveStatus(const std::string& text) {
  std::string& status = Status();
  if (!status.empty()) WriteRaw("\r\033[K", 4);
  WriteRaw(text.data(), text.size());
  if (!status.empty()) WriteRaw(status.data(), status.size());
  std::fflush(stderr);
}

class ConsoleSink : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t buf;
    formatter_->format(msg, buf);
    std::lock_guard<std::mutex> lock(ConsoleMutex());
    WriteAboveStatus(std::string(buf.data(), buf.size()));
  }
  void flush_() override {
    std::lock_guard<std::mutex> lock(ConsoleMutex());
    std::fflush(stderr);
  }
};

}  // namespace

bool StderrIsTty() { return isatty(STDERR_FILENO) != 0; }

void SetUpConsoleLogging(const std::string& level_name) {
  auto sink = std::make_shared<ConsoleSink>();
  auto logger = std::make_shared<spdlog::logger>("suggest", sink);
  const spdlog::level::level_enum level = spdlog::level::from_str(level_name);
  // At info and below a time helps to read a long run's log; at the default
  // (warn) a user error reads `suggest: error: ...`.
  logger->set_pattern(level <= spdlog::level::info ? "%Y-%m-%dT%H:%M:%SZ suggest: %l: %v"
                                                    : "suggest: %l: %v",
                      spdlog::pattern_time_type::utc);
  logger->set_level(level);
  spdlog::set_default_logger(logger);
  spdlog::set_level(level);
}

void SetStatusLine(const std::string& line) {
  std::lock_guard<std::mutex> lock(ConsoleMutex());
  Status() = line;
  WriteRaw("\r\033[K", 4);
  WriteRaw(line.data(), line.size());
  std::fflush(stderr);
}

void EndStatusLine() {
  std::lock_guard<std::mutex> lock(ConsoleMutex());
  if (Status().empty()) return;
  Status().clear();
  WriteRaw("\n", 1);
  std::fflush(stderr);
}

void PrintLine(const std::string& line) {
  std::lock_guard<std::mutex> lock(ConsoleMutex());
  WriteAboveStatus(line + "\n");
}

}  // namespace suggest::tools
