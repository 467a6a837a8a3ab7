#include "lib/core/json_parse.hpp"

#include "lib/core/error.hpp"
#include "lib/core/text.hpp"

#include <set>
#include <string>
#include <utility>
#include <vector>

namespace nova::core {

namespace {

using nlohmann::json;

// Throws when objects and arrays nest deeper than `max_depth`. A scan of the bytes, cheaper
// than the parse itself; exact for valid JSON (strings and their escapes are skipped), and
// invalid JSON fails the parse that follows anyway.
void check_depth(std::string_view text, std::size_t max_depth) {
    std::size_t depth = 0;
    std::size_t line = 1;
    std::size_t line_start = 0;
    bool in_string = false;
    bool escaped = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                in_string = false;
            }
            continue;
        }
        switch (c) {
        case '"':
            in_string = true;
            break;
        case '\n':
            ++line;
            line_start = i + 1;
            break;
        case '{':
        case '[':
            if (++depth > max_depth) {
                throw Error("line " + std::to_string(line) + ", column " +
                            std::to_string(i - line_start + 1) + ": nested deeper than " +
                            std::to_string(max_depth) + " levels");
            }
            break;
        case '}':
        case ']':
            if (depth > 0) {
                --depth;
            }
            break;
        default:
            break;
        }
    }
}

// Where the parser is, for naming the object a duplicate key is in: one frame per open object
// or array.
struct Frame {
    bool array = false;
    long index = -1;            // an array: the element being read
    std::string key;            // an object: the key being read
    std::set<std::string> keys; // an object: the keys read so far
};

std::string path_of(const std::vector<Frame>& frames) {
    std::string path;
    // The last frame is the object the duplicate is in; the others lead to it.
    for (std::size_t i = 0; i + 1 < frames.size(); ++i) {
        if (frames[i].array) {
            path += "[" + std::to_string(frames[i].index) + "]";
        } else {
            path += (path.empty() ? "" : ".") + frames[i].key;
        }
    }
    return path;
}

json parse_rejecting_duplicates(std::string_view text) {
    std::vector<Frame> frames;
    const auto element_begins = [&frames]() {
        if (!frames.empty() && frames.back().array) {
            ++frames.back().index;
        }
    };
    const json::parser_callback_t callback = [&](int /*depth*/, json::parse_event_t event,
                                                 json& parsed) {
        switch (event) {
        case json::parse_event_t::object_start:
        case json::parse_event_t::array_start:
            element_begins();
            frames.push_back(Frame{event == json::parse_event_t::array_start, -1, {}, {}});
            break;
        case json::parse_event_t::key: {
            Frame& frame = frames.back();
            const std::string& key = parsed.get_ref<const std::string&>();
            if (!frame.keys.insert(key).second) {
                const std::string path = path_of(frames);
                throw Error(
                    "duplicate key " + quote(key) +
                    (path.empty() ? std::string(" at the top level") : " in " + one_line(path)));
            }
            frame.key = key;
            break;
        }
        case json::parse_event_t::value:
            element_begins();
            break;
        case json::parse_event_t::object_end:
        case json::parse_event_t::array_end:
            frames.pop_back();
            break;
        }
        return true;
    };
    return json::parse(text.begin(), text.end(), callback);
}

} // namespace

json parse_json(std::string_view text, const JsonParseOptions& options) {
    check_depth(text, options.max_depth);
    try {
        return options.reject_duplicate_keys ? parse_rejecting_duplicates(text) : json::parse(text);
    } catch (const json::exception& error) {
        // "[json.exception.parse_error.101] parse error at line 2, column 3: ..." without the tag.
        std::string what = error.what();
        const auto start = what.find("] ");
        throw Error(start == std::string::npos ? what : what.substr(start + 2));
    }
}

} // namespace nova::core
