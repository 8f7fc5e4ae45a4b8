// Copyright libsuggest authors.
//
// stderr of the `suggest` CLI: log lines as `suggest: LEVEL: message` (no
// timestamp at the default level; a UTC time in front from --log-level info
// down, for nohup/cron logs), and one updating status line on a terminal
// (the batch progress). A log line written while the status line is shown
// clears it first and draws it again below, so a warning never ends up glued
// to the progress text (issue 17 item 4).

#ifndef LIBSUGGEST_TOOLS_CONSOLE_H_
#define LIBSUGGEST_TOOLS_CONSOLE_H_

#include <string>

namespace suggest::tools {

// Installs the default spdlog logger "suggest" writing to stderr through the
// status-line-aware sink, at `level` (spdlog level name).
void SetUpConsoleLogging(const std::string& level);

// True when stderr is a terminal.
bool StderrIsTty();

// Terminal only: shows `line` as the status line (replacing the previous one).
void SetStatusLine(const std::string& line);
// Ends the status line: the last text stays, followed by a newline.
void EndStatusLine();

// One whole line on stderr (a newline is added), written under the same lock
// as log lines and the status line.
void PrintLine(const std::string& line);

}  // namespace suggest::tools

#endif  // LIBSUGGEST_TOOLS_CONSOLE_H_
