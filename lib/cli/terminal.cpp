#include "lib/cli/terminal.hpp"

#include "lib/kube/client.hpp"

#include <atomic>
#include <csignal>
#include <ostream>
#include <sys/ioctl.h>
#include <unistd.h>

namespace nova::cli {
namespace {

constexpr std::string_view hide_cursor = "\x1b[?25l";
// Show the cursor and reset colours: what a terminal must look like when we are gone.
constexpr std::string_view restore_terminal = "\x1b[?25h\x1b[0m";

std::atomic<int> g_signals{0};
std::atomic<bool> g_cursor_hidden{false};

extern "C" void on_stop_signal(int /*signal*/) {
    if (g_signals.fetch_add(1) == 0) {
        kube::request_stop();
        return;
    }
    if (g_cursor_hidden.load()) {
        [[maybe_unused]] const auto written =
            ::write(STDOUT_FILENO, restore_terminal.data(), restore_terminal.size());
    }
    ::_exit(130);
}

struct sigaction g_previous_int {};
struct sigaction g_previous_term {};

} // namespace

StopSignals::StopSignals() {
    g_signals.store(0);
    kube::clear_stop_request();
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, &g_previous_int);
    ::sigaction(SIGTERM, &action, &g_previous_term);
}

StopSignals::~StopSignals() {
    ::sigaction(SIGINT, &g_previous_int, nullptr);
    ::sigaction(SIGTERM, &g_previous_term, nullptr);
}

std::string redraw_sequence(std::string_view frame, int rows) {
    std::string out = "\x1b[H";
    int line_count = 0;
    std::size_t start = 0;
    while (start < frame.size()) {
        if (rows > 0 && line_count >= rows - 1) {
            break;
        }
        auto end = frame.find('\n', start);
        if (end == std::string_view::npos) {
            end = frame.size();
        }
        out += frame.substr(start, end - start);
        out += "\x1b[K\n";
        ++line_count;
        start = end + 1;
    }
    out += "\x1b[J";
    return out;
}

int terminal_rows() {
    winsize size{};
    if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) != 0) {
        return 0;
    }
    return size.ws_row;
}

LiveScreen::LiveScreen(std::ostream& out, bool terminal) : m_out(out), m_terminal(terminal) {}

LiveScreen::~LiveScreen() {
    finish();
}

void LiveScreen::draw(const std::string& frame) {
    if (m_finished) {
        return;
    }
    if (!m_terminal) {
        if (frame == m_last) {
            return;
        }
        m_out << (m_drawn ? "\n" : "") << frame << std::flush;
        m_last = frame;
        m_drawn = true;
        return;
    }
    if (!m_drawn) {
        // Once, so the first frame starts on a clean screen; later frames overwrite it.
        m_out << hide_cursor << "\x1b[H\x1b[2J";
        g_cursor_hidden.store(true);
        m_drawn = true;
    }
    m_out << redraw_sequence(frame, terminal_rows()) << std::flush;
    m_last = frame;
}

void LiveScreen::finish() {
    if (m_finished) {
        return;
    }
    m_finished = true;
    if (m_terminal && m_drawn) {
        m_out << restore_terminal << std::flush;
        g_cursor_hidden.store(false);
    }
}

} // namespace nova::cli
