// Copyright libsuggest authors.
#include "batch_input.h"

#include <array>
#include <spdlog/spdlog.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <system_error>
#include <vector>

#include "batch_io.h"

namespace suggest::tools {
namespace {

namespace fs = std::filesystem;

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

uint64_t FileSize(const std::string& path) {
  std::error_code ec;
  auto n = fs::file_size(path, ec);
  return ec ? 0 : static_cast<uint64_t>(n);
}

// Owns an ifstream for a path, or borrows std::cin for "-".
class Stream {
 public:
  bool Open(const std::string& path) {
    if (path == "-") {
      in_ = &std::cin;
      return true;
    }
    file_.open(path, std::ios::binary);
    in_ = &file_;
    return static_cast<bool>(file_);
  }
  std::istream& in() { return *in_; }

 private:
  std::ifstream file_;
  std::istream* in_ = nullptr;
};

// The longest input record (a JSONL line, a CSV row) kept in memory for a
// note limit: a note of `limit` bytes written as JSON takes at most 6 bytes
// per byte (\u0000), plus room for the id and other keys. A longer record is
// read to its end without being stored and becomes a note_too_large error
// record, so a 16 GB line from a pipe never fills memory (issue 19 item 2).
uint64_t RecordCap(uint64_t max_note_bytes) {
  const uint64_t limit = std::min<uint64_t>(max_note_bytes == 0 ? kMaxNoteBytesCeiling
                                                                : max_note_bytes,
                                            kMaxNoteBytesCeiling);
  return 6 * limit + (64u << 10);
}

Status RecordTooLarge(uint64_t line_no, uint64_t cap) {
  spdlog::warn("line {}: record longer than {} bytes", line_no, cap);
  return Status(StatusCode::kInvalidArgument,
                "line " + std::to_string(line_no) + ": record longer than " +
                    std::to_string(cap) +
                    " bytes (6 x --max-note-bytes + 64 KiB); reading skipped to its end",
                "note_too_large");
}

// ---- JSONL (issue 18 items 1 and 3) ----------------------------------------
//
// Lines are read with read(2) into one buffer and parsed where they lie (no
// copy per line). A line longer than StreamLineBytes() is not held whole: it
// is streamed (LongLine below). Its top-level "text" string is decoded on
// the fly into the note, up to the note limit and then only counted, and
// the rest of the line (every other key and value, with "text":"") is kept
// as a reduced line that goes through ParseJsonlRecord as usual. So the
// record comes out exactly as the whole line would have given it, except
// that a note over --max-note-bytes is refused while reading (the error
// Model::Analyze would give it, with its exact size and the record's id),
// and memory stays bounded by the limit, not the line.

// The decoding of one JSON string's body (after its opening quote), fed in
// pieces, with nlohmann::json's rules: escapes \" \\ \/ \b \f \n \r \t and
// \uXXXX (surrogate pairs joined; a lone surrogate is an error), UTF-8
// checked as RFC 3629 says, a raw control byte is an error. Bytes beyond
// `limit` are counted in size() but not kept (over() is then true).
class JsonStringSink {
 public:
  void Reset(uint64_t limit) {
    limit_ = limit;
    pieces_.clear();
    size_ = 0;
    over_ = false;
    bad_ = false;
    done_ = false;
    state_ = kNormal;
    utf8_left_ = 0;
    high_ = 0;
    skip_escaped_ = false;
  }

  // Feeds up to n bytes; returns how many were used: all of them, or up to
  // and including the closing quote (done() true).
  size_t Feed(const char* p, size_t n) {
    size_t i = 0;
    while (i < n && !done_) {
      const auto c = static_cast<unsigned char>(p[i]);
      switch (state_) {
        case kNormal: {
          size_t j = i;
          while (j < n && kPlainByte[static_cast<unsigned char>(p[j])]) ++j;
          if (j > i) {
            Emit(p + i, j - i);
            i = j;
            continue;
          }
          ++i;
          if (c == '"') {
            done_ = true;
          } else if (c == '\\') {
            state_ = kEscape;
          } else if (c < 0x20) {
            Bad();
          } else {
            StartUtf8(c);
          }
          break;
        }
        case kUtf8:
          ++i;
          if (c < lo_ || c > hi_) {
            Bad();
            break;
          }
          lo_ = 0x80;
          hi_ = 0xBF;
          utf8_[utf8_len_++] = static_cast<char>(c);
          if (--utf8_left_ == 0) {
            Emit(utf8_, utf8_len_);
            state_ = kNormal;
          }
          break;
        case kEscape: {
          ++i;
          char out = 0;
          switch (c) {
            case '"': out = '"'; break;
            case '\\': out = '\\'; break;
            case '/': out = '/'; break;
            case 'b': out = '\b'; break;
            case 'f': out = '\f'; break;
            case 'n': out = '\n'; break;
            case 'r': out = '\r'; break;
            case 't': out = '\t'; break;
            case 'u':
              state_ = kHex;
              hex_ = 0;
              hex_left_ = 4;
              continue;
            default: Bad(); continue;
          }
          Emit(&out, 1);
          state_ = kNormal;
          break;
        }
        case kHex: {
          ++i;
          int v;
          if (c >= '0' && c <= '9') v = c - '0';
          else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
          else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
          else { Bad(); break; }
          hex_ = hex_ * 16 + static_cast<uint32_t>(v);
          if (--hex_left_ > 0) break;
          if (high_ != 0) {  // the second half of a surrogate pair
            if (hex_ < 0xDC00 || hex_ > 0xDFFF) { Bad(); break; }
            EmitCodePoint(0x10000 + ((high_ - 0xD800) << 10) + (hex_ - 0xDC00));
            high_ = 0;
            state_ = kNormal;
          } else if (hex_ >= 0xD800 && hex_ <= 0xDBFF) {
            high_ = hex_;
            state_ = kLowBackslash;
          } else if (hex_ >= 0xDC00 && hex_ <= 0xDFFF) {
            Bad();
          } else {
            EmitCodePoint(hex_);
            state_ = kNormal;
          }
          break;
        }
        case kLowBackslash:
          ++i;
          if (c != '\\') Bad(); else state_ = kLowU;
          break;
        case kLowU:
          ++i;
          if (c != 'u') {
            Bad();
          } else {
            state_ = kHex;
            hex_ = 0;
            hex_left_ = 4;
          }
          break;
        case kBad:
          // Invalid already: only the closing quote matters now (an escaped
          // quote is still skipped, so the line's structure is followed).
          ++i;
          if (skip_escaped_) skip_escaped_ = false;
          else if (c == '\\') skip_escaped_ = true;
          else if (c == '"') done_ = true;
          break;
      }
    }
    return i;
  }

  bool done() const { return done_; }
  bool bad() const { return bad_; }
  bool over() const { return over_; }
  uint64_t size() const { return size_; }
  // The decoded string (when not over()); the sink is empty afterwards.
  std::string TakeText() {
    if (pieces_.size() == 1) {
      std::string one = std::move(pieces_.front());
      pieces_.clear();
      return one;
    }
    std::string text;
    text.reserve(size_);
    for (std::string& piece : pieces_) {
      text += piece;
      std::string().swap(piece);
    }
    pieces_.clear();
    return text;
  }

 private:
  enum State { kNormal, kUtf8, kEscape, kHex, kLowBackslash, kLowU, kBad };

  // Printable ASCII but '"' and '\'.
  static constexpr std::array<bool, 256> kPlainByte = [] {
    std::array<bool, 256> t{};
    for (int c = 0x20; c < 0x80; ++c) t[c] = c != '"' && c != '\\';
    return t;
  }();

  void Bad() {
    bad_ = true;
    state_ = kBad;
    skip_escaped_ = false;
    high_ = 0;
  }

  void StartUtf8(unsigned char c) {
    utf8_len_ = 0;
    utf8_[utf8_len_++] = static_cast<char>(c);
    lo_ = 0x80;
    hi_ = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) utf8_left_ = 1;
    else if (c == 0xE0) { utf8_left_ = 2; lo_ = 0xA0; }
    else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) utf8_left_ = 2;
    else if (c == 0xED) { utf8_left_ = 2; hi_ = 0x9F; }
    else if (c == 0xF0) { utf8_left_ = 3; lo_ = 0x90; }
    else if (c >= 0xF1 && c <= 0xF3) utf8_left_ = 3;
    else if (c == 0xF4) { utf8_left_ = 3; hi_ = 0x8F; }
    else { Bad(); return; }
    state_ = kUtf8;
  }

  // The note is kept in pieces of kPiece bytes, joined once it is known to
  // fit: a string grown by doubling would hold 1.5 x the limit (old and new
  // buffer) just before a refusal.
  static constexpr size_t kPiece = 1u << 20;
  void Emit(const char* p, size_t n) {
    size_ += n;
    if (over_) return;
    if (size_ > limit_) {
      over_ = true;
      std::vector<std::string>().swap(pieces_);
      return;
    }
    while (n > 0) {
      if (pieces_.empty() || pieces_.back().size() == kPiece) {
        pieces_.emplace_back();
        pieces_.back().reserve(std::min<uint64_t>(kPiece, limit_));
      }
      std::string& last = pieces_.back();
      const size_t take = std::min(n, kPiece - last.size());
      last.append(p, take);
      p += take;
      n -= take;
    }
  }

  void EmitCodePoint(uint32_t cp) {
    char b[4];
    size_t n;
    if (cp < 0x80) { b[0] = static_cast<char>(cp); n = 1; }
    else if (cp < 0x800) {
      b[0] = static_cast<char>(0xC0 | (cp >> 6));
      b[1] = static_cast<char>(0x80 | (cp & 0x3F));
      n = 2;
    } else if (cp < 0x10000) {
      b[0] = static_cast<char>(0xE0 | (cp >> 12));
      b[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      b[2] = static_cast<char>(0x80 | (cp & 0x3F));
      n = 3;
    } else {
      b[0] = static_cast<char>(0xF0 | (cp >> 18));
      b[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      b[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      b[3] = static_cast<char>(0x80 | (cp & 0x3F));
      n = 4;
    }
    Emit(b, n);
  }

  uint64_t limit_ = 0;
  std::vector<std::string> pieces_;
  uint64_t size_ = 0;
  bool over_ = false, bad_ = false, done_ = false, skip_escaped_ = false;
  State state_ = kNormal;
  uint32_t hex_ = 0, high_ = 0;
  int hex_left_ = 0;
  char utf8_[4] = {};
  size_t utf8_len_ = 0;
  int utf8_left_ = 0;
  unsigned char lo_ = 0x80, hi_ = 0xBF;  // the next continuation byte's range
};

// One long JSONL line, fed in pieces: the top-level "text" string goes to a
// JsonStringSink, every other byte to the reduced line (up to `cap` bytes).
// Only the structure needed to find that string is followed (strings,
// nesting, keys at depth 1); validity is left to the JSON parser that reads
// the reduced line, which is valid exactly when the line is, since a valid
// string body was replaced by an empty one (an invalid one marks the line).
class LongLine {
 public:
  LongLine(uint64_t cap, uint64_t limit) : cap_(cap), limit_(limit) {}

  void Feed(const char* p, size_t n) {
    size_t i = 0;
    while (i < n) {
      if (in_text_) {
        i += sink_.Feed(p + i, n - i);
        if (sink_.done()) {
          in_text_ = false;
          saw_text_ = true;
          if (sink_.bad()) text_bad_ = true;
          Keep('"');
        }
        continue;
      }
      const char c = p[i++];
      Keep(c);
      if (in_str_) {
        if (str_esc_) {
          str_esc_ = false;
        } else if (c == '\\') {
          str_esc_ = true;
        } else if (c == '"') {
          in_str_ = false;
          if (str_is_key_) key_is_text_ = KeyIsText();
          continue;
        }
        if (str_is_key_ && key_raw_.size() < 32) key_raw_.push_back(c);
        continue;
      }
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
      const bool value_start = depth_ == 1 && text_value_next_;
      text_value_next_ = false;
      switch (c) {
        case '"':
          if (value_start) {  // "text": "...
            in_text_ = true;
            sink_.Reset(limit_);
            break;
          }
          in_str_ = true;
          str_is_key_ = depth_ == 1 && object_ && expect_key_;
          expect_key_ = false;
          key_raw_.clear();
          break;
        case ':':
          if (depth_ == 1 && key_is_text_) text_value_next_ = true;
          key_is_text_ = false;
          break;
        case ',':
          if (depth_ == 1) expect_key_ = true;
          key_is_text_ = false;
          break;
        case '{':
        case '[':
          if (++depth_ == 1) {
            object_ = c == '{';
            expect_key_ = object_;
          }
          break;
        case '}':
        case ']':
          --depth_;
          break;
        default:
          key_is_text_ = false;
          break;
      }
    }
  }

  // The record, once the whole line was fed; false for a blank line.
  bool Finish(uint64_t line_no, BatchRecord* rec) {
    if (reduced_over_) {
      rec->id.clear();
      rec->text.clear();
      rec->ClearFields();
      rec->error = RecordTooLarge(line_no, cap_);
      return true;
    }
    if (text_bad_) {
      rec->ClearFields();
      BadRecord("", line_no, "not a JSON object (or invalid JSON / invalid UTF-8)", rec);
      return true;
    }
    if (!ParseJsonlRecord(reduced_, line_no, rec)) return false;
    if (rec->error || !saw_text_) return true;
    if (sink_.over()) {
      rec->text.clear();
      rec->error = NoteTooLarge(sink_.size(), limit_);
      spdlog::warn("note {} failed: {}", LogSafe(rec->id), rec->error->ToString());
    } else {
      rec->text = sink_.TakeText();
    }
    return true;
  }

 private:
  void Keep(char c) {
    if (reduced_over_) return;
    if (reduced_.size() >= cap_) {
      reduced_over_ = true;
      std::string().swap(reduced_);
      return;
    }
    reduced_.push_back(c);
  }

  // The key just read (its raw bytes, escapes and all) decodes to "text".
  bool KeyIsText() {
    JsonStringSink key;
    key.Reset(32);
    key_raw_.push_back('"');
    key.Feed(key_raw_.data(), key_raw_.size());
    return key.done() && !key.bad() && key.TakeText() == "text";
  }

  uint64_t cap_, limit_;
  std::string reduced_;
  bool reduced_over_ = false;
  JsonStringSink sink_;
  bool in_text_ = false, saw_text_ = false, text_bad_ = false;
  bool in_str_ = false, str_esc_ = false, str_is_key_ = false;
  std::string key_raw_;
  bool key_is_text_ = false, text_value_next_ = false;
  bool expect_key_ = false, object_ = false;
  int64_t depth_ = 0;
};

// Lines longer than this are streamed (LongLine); shorter ones are parsed
// in the read buffer. SUGGEST_BATCH_STREAM_LINE_BYTES overrides it for the
// tests, which stream every line to compare both ways.
size_t StreamLineBytes(uint64_t cap) {
  size_t n = 512u << 10;
  if (const char* env = std::getenv("SUGGEST_BATCH_STREAM_LINE_BYTES")) {
    const long long v = std::atoll(env);
    if (v > 0) n = static_cast<size_t>(v);
  }
  return static_cast<size_t>(std::min<uint64_t>(n, cap));
}

class JsonlSource : public RecordSource {
 public:
  JsonlSource(int fd, bool owned, uint64_t total, uint64_t max_note_bytes)
      : fd_(fd), owned_(owned), total_(total), cap_(RecordCap(max_note_bytes)),
        limit_(NoteLimit(max_note_bytes)), stream_bytes_(StreamLineBytes(cap_)) {
    buf_.resize(std::max<size_t>(1u << 20, 2 * stream_bytes_));
    struct stat st {};
    regular_ = fstat(fd_, &st) == 0 && S_ISREG(st.st_mode);
  }
  ~JsonlSource() override {
    if (owned_) close(fd_);
  }

  bool Next(BatchRecord* rec, bool skip) override {
    (void)skip;
    for (;;) {
      const char* start = buf_.data() + pos_;
      const size_t avail = end_ - pos_;
      const void* nl = avail > 0 ? std::memchr(start, '\n', avail) : nullptr;
      if (nl != nullptr || (eof_ && avail > 0)) {
        const size_t len = nl != nullptr ? static_cast<const char*>(nl) - start : avail;
        const size_t used = nl != nullptr ? len + 1 : len;
        pos_ += used;
        consumed_ += used;
        ++line_no_;
        if (len > stream_bytes_) {
          LongLine long_line(cap_, limit_);
          long_line.Feed(start, len);
          if (long_line.Finish(line_no_, rec)) return true;
          continue;
        }
        const std::string_view line(start, len);
        if (defer_) {
          // Blank lines are skipped here, as ParseJsonlRecord would.
          std::string_view trimmed = line;
          if (!trimmed.empty() && trimmed.back() == '\r') trimmed.remove_suffix(1);
          if (trimmed.find_first_not_of(" \t") == std::string_view::npos) continue;
          rec->text.assign(line.data(), line.size());
          rec->raw_line_no = line_no_;
          return true;
        }
        if (ParseJsonlRecord(line, line_no_, rec)) return true;
        continue;
      }
      if (eof_) return false;
      if (avail > stream_bytes_) {
        if (StreamLine(rec)) return true;
        continue;
      }
      Fill();
    }
  }
  uint64_t Consumed() const override { return consumed_; }
  uint64_t Total() const override { return total_; }
  bool Failed() const override { return failed_; }
  bool MoreBuffered() const override {
    return regular_ || eof_ || std::memchr(buf_.data() + pos_, '\n', end_ - pos_) != nullptr;
  }
  void DeferParsing(bool defer) override { defer_ = defer; }
  void Complete(BatchRecord* rec) const override {
    if (rec->raw_line_no == 0) return;
    const uint64_t line_no = rec->raw_line_no;
    rec->raw_line_no = 0;
    std::string line = std::move(rec->text);
    rec->text.clear();
    ParseJsonlRecordInPlace(&line, line_no, rec);  // a blank line was never deferred
  }

 private:
  static uint64_t NoteLimit(uint64_t max_note_bytes) {
    return max_note_bytes == 0 ? kMaxNoteBytesCeiling
                               : std::min<uint64_t>(max_note_bytes, kMaxNoteBytesCeiling);
  }

  // Moves the unread bytes to the front and reads more (sets eof_ at the end
  // of input or on a read error, which also sets failed_).
  void Fill() {
    if (pos_ > 0) {
      std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
      end_ -= pos_;
      pos_ = 0;
    }
    for (;;) {
      const ssize_t got = read(fd_, buf_.data() + end_, buf_.size() - end_);
      if (got > 0) {
        end_ += static_cast<size_t>(got);
        return;
      }
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) {
        spdlog::error("read error on JSONL input: {}", std::strerror(errno));
        failed_ = true;
      }
      eof_ = true;
      return;
    }
  }

  // The current line is longer than stream_bytes_: stream it to its end.
  bool StreamLine(BatchRecord* rec) {
    LongLine long_line(cap_, limit_);
    ++line_no_;
    for (;;) {
      const char* start = buf_.data() + pos_;
      const size_t avail = end_ - pos_;
      const void* nl = std::memchr(start, '\n', avail);
      const size_t len = nl != nullptr ? static_cast<const char*>(nl) - start : avail;
      long_line.Feed(start, len);
      const size_t used = nl != nullptr ? len + 1 : len;
      pos_ += used;
      consumed_ += used;
      if (nl != nullptr) break;
      if (eof_) break;
      Fill();
      if (eof_ && pos_ == end_) break;
    }
    return long_line.Finish(line_no_, rec);
  }

  int fd_;
  bool owned_;
  uint64_t total_;
  uint64_t cap_;
  uint64_t limit_;
  size_t stream_bytes_;
  std::vector<char> buf_;
  size_t pos_ = 0, end_ = 0;
  bool eof_ = false, failed_ = false, regular_ = false, defer_ = false;
  uint64_t line_no_ = 0;
  uint64_t consumed_ = 0;
};

// RFC 4180: fields separated by ',', records by CRLF or LF, a field in double
// quotes may hold ',', newlines and doubled quotes. A malformed record (a
// quote inside an unquoted field, text after a closing quote, an unterminated
// quote, a wrong field count) is reported and parsing goes on.
class CsvSource : public RecordSource {
 public:
  CsvSource(std::unique_ptr<Stream> s, uint64_t total, uint64_t max_note_bytes)
      : s_(std::move(s)), total_(total), cap_(RecordCap(max_note_bytes)) {}

  // Reads the header; false (with *error) if a column is missing.
  bool ReadHeader(const std::string& id_col, const std::string& text_col,
                  const std::string& setting_col, std::string* error) {
    std::vector<std::string> fields;
    std::string problem;
    uint64_t line = 0;
    bool have_row = false;
    try {
      have_row = ReadRow(&fields, &problem, &line);
    } catch (const std::exception& e) {
      *error = std::string("cannot read CSV input: ") + e.what();
      failed_ = true;
      return false;
    }
    if (!have_row) {
      *error = "CSV input is empty (no header row)";
      return false;
    }
    if (!fields.empty() && fields[0].compare(0, 3, "\xEF\xBB\xBF") == 0) {
      fields[0].erase(0, 3);  // UTF-8 byte order mark
    }
    ncols_ = fields.size();
    for (size_t i = 0; i < fields.size(); ++i) {
      if (fields[i] == id_col && id_idx_ < 0) id_idx_ = static_cast<int>(i);
      if (fields[i] == text_col && text_idx_ < 0) text_idx_ = static_cast<int>(i);
      if (fields[i] == setting_col && setting_idx_ < 0) setting_idx_ = static_cast<int>(i);
      for (size_t f = 0; f < kFieldColumns.size(); ++f)
        if (fields[i] == kFieldColumns[f].first && field_idx_[f] < 0)
          field_idx_[f] = static_cast<int>(i);
    }
    if (id_idx_ < 0 || text_idx_ < 0) {
      // The hint names the columns there are and the flag that picks one.
      std::string have;
      for (size_t i = 0; i < fields.size() && i < 50; ++i)
        have += (i ? ", " : "") + LogSafe(fields[i].substr(0, 80));
      if (fields.size() > 50) have += ", ...";
      *error = "CSV header has no column named \"" + (id_idx_ < 0 ? id_col : text_col) +
               "\"; its columns are: " + (have.empty() ? "(none)" : have) +
               ". Name the " + (id_idx_ < 0 ? "id column with --id-column" : "text column with --text-column") +
               " NAME";
      return false;
    }
    return true;
  }

  bool Next(BatchRecord* rec, bool skip) override {
    (void)skip;
    // libstdc++'s filebuf throws on a read error (EIO); it ends the input
    // like a stream error, with exit code 4.
    try {
      return NextRow(rec);
    } catch (const std::exception& e) {
      spdlog::error("read error on CSV input: {}", e.what());
      failed_ = true;
      return false;
    }
  }
  uint64_t Consumed() const override { return consumed_; }
  uint64_t Total() const override { return total_; }
  bool Failed() const override { return failed_ || s_->in().bad(); }
  // A regular file never keeps a reader waiting; a pipe may, unless bytes
  // are already buffered (perhaps not a whole row: good enough to decide
  // whether to hand a block over now).
  bool MoreBuffered() const override {
    return regular_ || pending_pos_ < pending_.size() || s_->in().rdbuf()->in_avail() > 0;
  }
  void set_regular(bool regular) { regular_ = regular; }

 private:
  bool NextRow(BatchRecord* rec) {
    std::vector<std::string> fields;
    std::string problem;
    uint64_t line = 0;
    while (ReadRow(&fields, &problem, &line)) {
      if (!row_too_long_ && problem.empty() && fields.size() == 1 && fields[0].empty())
        continue;  // blank line
      ++row_no_;
      rec->error.reset();
      rec->ClearFields();
      rec->id = static_cast<size_t>(id_idx_) < fields.size() ? fields[id_idx_] : "";
      if (row_too_long_) {
        rec->id.clear();  // cut off with the rest of the row
        rec->text.clear();
        rec->error = RecordTooLarge(line, cap_);
        return true;
      }
      if (problem.empty() && fields.size() != ncols_) {
        problem = "has " + std::to_string(fields.size()) + " fields, the header has " +
                  std::to_string(ncols_);
      }
      if (!problem.empty()) {
        BadRecord(rec->id, line, "row " + std::to_string(row_no_) + ": " + problem, rec);
        return true;
      }
      rec->text = std::move(fields[text_idx_]);
      // An empty cell: no setting of its own (the --setting flag applies).
      if (setting_idx_ >= 0 && !fields[setting_idx_].empty())
        SetRecordSetting(fields[setting_idx_], line, rec);
      // The input field columns likewise (Analyze checks the values).
      for (size_t f = 0; f < kFieldColumns.size(); ++f)
        if (field_idx_[f] >= 0 && !fields[field_idx_[f]].empty())
          rec->*kFieldColumns[f].second = std::move(fields[field_idx_[f]]);
      return true;
    }
    return false;
  }

  // Bytes come from `pending_` (the lines after an unterminated quote, read
  // again) before the stream. Every byte of the current row is kept in
  // `raw_` (up to the record cap) so that such lines can be read again.
  int Get() {
    int c;
    if (pending_pos_ < pending_.size()) {
      c = static_cast<unsigned char>(pending_[pending_pos_++]);
    } else {
      c = s_->in().rdbuf()->sbumpc();
      if (c == std::char_traits<char>::eof()) return c;
      ++consumed_;
    }
    if (c == '\n') ++line_;
    if (raw_.size() < cap_) raw_.push_back(static_cast<char>(c));
    return c;
  }
  int Peek() {
    if (pending_pos_ < pending_.size()) return static_cast<unsigned char>(pending_[pending_pos_]);
    return s_->in().rdbuf()->sgetc();
  }

  // An unterminated quote ran to the end of the input: the row is reported,
  // and reading resumes at the line after the one where the quote opened,
  // so the rows after a stray quote are not lost (docs/batch.md). Needs the
  // row's bytes: a row longer than the record cap is only reported.
  bool ResumeAfterUnterminatedQuote() {
    if (raw_.size() >= cap_ || quote_at_ > raw_.size()) return false;
    const size_t nl = raw_.find('\n', quote_at_);
    if (nl == std::string::npos || nl + 1 >= raw_.size()) return false;
    std::string rest = raw_.substr(nl + 1);
    pending_.swap(rest);
    pending_pos_ = 0;
    line_ = quote_line_ + 1;
    return true;
  }

  // One record; false at end of input. *line = the line the record starts on.
  bool ReadRow(std::vector<std::string>* fields, std::string* problem, uint64_t* line) {
    constexpr int kEof = std::char_traits<char>::eof();
    fields->clear();
    problem->clear();
    *line = line_ + 1;
    raw_.clear();
    row_too_long_ = false;
    if (pending_pos_ >= pending_.size() && !pending_.empty()) {
      pending_.clear();
      pending_.shrink_to_fit();
      pending_pos_ = 0;
    }
    if (Peek() == kEof) return false;
    uint64_t row_bytes = 0;
    std::string field;
    bool quoted = false;       // inside quotes
    bool was_quoted = false;   // this field started with a quote
    bool after_quote = false;  // the closing quote was seen
    for (;;) {
      int c = Get();
      if (c == kEof) {
        if (quoted && problem->empty()) {
          *problem = "unterminated quoted field";
          if (ResumeAfterUnterminatedQuote()) {
            *problem += "; reading resumes on the line after the quote";
            // The fields read so far are cut at the quote's line.
            field.clear();
          }
        }
        fields->push_back(std::move(field));
        return true;
      }
      // A row longer than the cap is read to its end without being stored.
      if (++row_bytes > cap_) {
        if (!row_too_long_) {
          row_too_long_ = true;
          field.clear();
          field.shrink_to_fit();
          fields->clear();
        }
        if (quoted) {
          if (c == '"') {
            if (Peek() == '"') Get(); else { quoted = false; after_quote = true; }
          }
          continue;
        }
        if (c == '\n' || (c == '\r' && Peek() == '\n')) {
          if (c == '\r') Get();
          fields->push_back(std::string());
          return true;
        }
        if (c == '"' && !was_quoted) quoted = was_quoted = true;
        if (c == ',') was_quoted = after_quote = false;
        continue;
      }
      if (quoted) {
        if (c == '"') {
          if (Peek() == '"') {
            Get();
            field.push_back('"');
          } else {
            quoted = false;
            after_quote = true;
          }
        } else {
          field.push_back(static_cast<char>(c));
        }
        continue;
      }
      if (c == ',') {
        fields->push_back(std::move(field));
        field.clear();
        was_quoted = after_quote = false;
        continue;
      }
      if (c == '\n' || (c == '\r' && Peek() == '\n')) {
        if (c == '\r') Get();
        fields->push_back(std::move(field));
        return true;
      }
      if (c == '"' && field.empty() && !was_quoted) {
        quoted = was_quoted = true;
        quote_at_ = raw_.size();  // just after the quote
        quote_line_ = line_;      // lines ended before it
        continue;
      }
      if (problem->empty()) {
        if (after_quote) {
          *problem = "text after a closing quote in field " + std::to_string(fields->size() + 1);
        } else if (c == '"') {
          *problem = "quote inside an unquoted field " + std::to_string(fields->size() + 1);
        }
      }
      field.push_back(static_cast<char>(c));
    }
  }

  std::unique_ptr<Stream> s_;
  uint64_t total_;
  uint64_t consumed_ = 0;
  uint64_t line_ = 0;
  uint64_t row_no_ = 0;  // data rows after the header
  uint64_t cap_;
  std::string raw_;            // the current row's bytes (up to cap_)
  std::string pending_;        // bytes to read again before the stream
  size_t pending_pos_ = 0;
  size_t quote_at_ = 0;        // raw_ offset after the last opening quote
  uint64_t quote_line_ = 0;    // line_ when it opened
  bool row_too_long_ = false;
  size_t ncols_ = 0;
  int id_idx_ = -1;
  int text_idx_ = -1;
  int setting_idx_ = -1;  // optional column
  // Optional columns date_of_service, patient_id, encounter_id.
  static constexpr std::array<std::pair<const char*, std::optional<std::string> BatchRecord::*>, 3>
      kFieldColumns = {{{"date_of_service", &BatchRecord::date_of_service},
                        {"patient_id", &BatchRecord::patient_id},
                        {"encounter_id", &BatchRecord::encounter_id}}};
  std::array<int, 3> field_idx_ = {-1, -1, -1};
  bool failed_ = false;
  bool regular_ = false;
};

// A folder of .txt files, recursively, sorted by relative path.
class DirSource : public RecordSource {
 public:
  DirSource(std::string root, uint64_t max_bytes) : root_(std::move(root)), max_bytes_(max_bytes) {}

  bool Scan(std::string* error) {
    std::error_code ec;
    fs::recursive_directory_iterator it(root_, fs::directory_options::skip_permission_denied,
                                        ec);
    if (ec) {
      *error = "cannot list " + root_ + ": " + ec.message();
      return false;
    }
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) break;
      const fs::directory_entry& e = *it;
      std::error_code dec;
      if (e.is_directory(dec)) continue;  // directories (even named *.txt) are walked
      const std::string name = e.path().filename().string();
      if (!EndsWith(name, ".txt")) continue;
      ids_.push_back(e.path().lexically_relative(root_).generic_string());
    }
    if (ec) {
      *error = "cannot list " + root_ + ": " + ec.message();
      return false;
    }
    std::sort(ids_.begin(), ids_.end());
    return true;
  }

  bool Next(BatchRecord* rec, bool skip) override {
    if (next_ >= ids_.size()) return false;
    rec->id = ids_[next_++];
    rec->text.clear();
    rec->error.reset();
    rec->ClearFields();
    if (skip) return true;
    const fs::path path = fs::path(root_) / rec->id;
    auto read_error = [&](const std::string& why) {
      spdlog::warn("cannot read input file {}: {}", LogSafe(rec->id), why);
      rec->text.clear();
      rec->error =
          Status(StatusCode::kNotFound, "cannot read file " + rec->id + ": " + why, "read_error");
    };
    // Only regular files: a FIFO named *.txt would block the run, a device
    // never end. Sizes are known before reading, so a file over the limit is
    // refused without being loaded.
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (ec) {
      read_error(ec.message());
      return true;
    }
    if (!fs::is_regular_file(st)) {
      read_error("not a regular file");
      return true;
    }
    const uint64_t size = fs::file_size(path, ec);
    if (!ec && max_bytes_ > 0 && size > max_bytes_) {
      rec->error = NoteTooLarge(size, max_bytes_);
      spdlog::warn("note {} failed: {}", LogSafe(rec->id), rec->error->ToString());  // as if analysed
      return true;
    }
    std::ifstream in(path, std::ios::binary);
    try {
      if (in) rec->text.assign(std::istreambuf_iterator<char>(in), {});
    } catch (const std::exception& e) {  // libstdc++ throws on a read error
      read_error(e.what());
      return true;
    }
    if (!in || in.bad()) {
      read_error("read failed");
    } else if ((rec->error = Utf16Input(rec->text))) {
      rec->text.clear();
      spdlog::warn("note {} failed: {}", LogSafe(rec->id), rec->error->ToString());  // as if analysed
    }
    return true;
  }
  uint64_t Consumed() const override { return next_; }
  uint64_t Total() const override { return ids_.size(); }

 private:
  std::string root_;
  uint64_t max_bytes_;
  std::vector<std::string> ids_;
  size_t next_ = 0;
};

}  // namespace

std::unique_ptr<RecordSource> OpenRecordSource(const InputSpec& spec, std::string* error,
                                               bool* usage) {
  *usage = false;
  std::error_code ec;
  if (spec.path != "-" && fs::is_directory(spec.path, ec)) {
    auto dir = std::make_unique<DirSource>(spec.path, spec.max_note_bytes);
    if (!dir->Scan(error)) return nullptr;
    return dir;
  }
  const uint64_t total = spec.path == "-" ? 0 : FileSize(spec.path);
  const bool csv = spec.format == "csv" || (spec.format.empty() && EndsWith(spec.path, ".csv"));
  if (!csv) {
    int fd = STDIN_FILENO;
    if (spec.path != "-") {
      do {
        fd = open(spec.path.c_str(), O_RDONLY | O_CLOEXEC);
      } while (fd < 0 && errno == EINTR);
      if (fd < 0) {
        *error = "cannot open input " + spec.path;
        return nullptr;
      }
    }
    return std::make_unique<JsonlSource>(fd, spec.path != "-", total, spec.max_note_bytes);
  }
  auto stream = std::make_unique<Stream>();
  if (!stream->Open(spec.path)) {
    *error = "cannot open input " + spec.path;
    return nullptr;
  }
  auto src = std::make_unique<CsvSource>(std::move(stream), total, spec.max_note_bytes);
  {
    struct stat st {};
    const bool ok = spec.path == "-" ? fstat(STDIN_FILENO, &st) == 0
                                     : stat(spec.path.c_str(), &st) == 0;
    src->set_regular(ok && S_ISREG(st.st_mode));
  }
  if (!src->ReadHeader(spec.id_column, spec.text_column, spec.setting_column, error)) {
    *usage = true;
    return nullptr;
  }
  return src;
}

}  // namespace suggest::tools
