#pragma once

#include <chrono>
#include <iosfwd>
#include <string>
#include <string_view>

namespace nova::cli {

// SIGINT and SIGTERM end watches and waits cleanly while this lives: the first asks every
// kube::Client to stop (async-signal-safe), so the command unwinds, restores the terminal and
// exits through the normal path; a second one restores the cursor and colours and exits at once
// (130), for a stuck network call. The previous handlers come back on destruction.
class StopSignals {
public:
    StopSignals();
    ~StopSignals();
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;
};

// The watch display. On a terminal each frame is drawn in place: cursor home, every line
// overwritten and cleared to its end, then the rest of the screen cleared; no full clear, so
// nothing flickers and the scrollback is not filled. The cursor is hidden while drawing and
// shown again (colours reset) by finish() or the destructor.
//
// Elsewhere (a pipe, a CI log) there is nothing to redraw: each frame that differs from the
// previous one is appended, after a blank line.
class LiveScreen {
public:
    LiveScreen(std::ostream& out, bool terminal);
    ~LiveScreen();
    LiveScreen(const LiveScreen&) = delete;
    LiveScreen& operator=(const LiveScreen&) = delete;

    void draw(const std::string& frame);
    // Leaves the terminal clean, the last frame on screen. Idempotent.
    void finish();

    [[nodiscard]] bool terminal() const { return m_terminal; }

private:
    std::ostream& m_out;
    bool m_terminal;
    bool m_drawn = false;
    bool m_finished = false;
    std::string m_last;
};

// What LiveScreen writes for `frame` over the previous one on a terminal of `rows` lines (0:
// unknown): home, each line followed by clear-to-end-of-line, then clear to the end of the
// screen. A frame taller than the terminal is cut so the screen never scrolls, which would
// break the next redraw. Pure, for tests.
std::string redraw_sequence(std::string_view frame, int rows);

// The terminal's height, 0 when stdout is not a terminal or it cannot tell.
int terminal_rows();

} // namespace nova::cli
