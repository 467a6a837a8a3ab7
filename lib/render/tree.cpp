#include "lib/render/tree.hpp"

#include "lib/render/tab_writer.hpp"

namespace nova::render {

namespace {

void write_row(TabWriter& writer, const std::string& prefix, const TreeNode& node) {
    writer.write(prefix + node.name + '\t' + node.kind + '\t' + node.status + '\t' + node.age +
                 '\t' + node.info + '\n');
}

void write_children(TabWriter& writer, const TreeNode& node, const std::string& sub_prefix) {
    for (std::size_t i = 0; i < node.children.size(); ++i) {
        const bool last = i + 1 == node.children.size();
        const auto& child = node.children[i];
        write_row(writer, sub_prefix + (last ? "\u2514\u2500\u2500" : "\u251c\u2500\u2500"), child);
        write_children(writer, child, sub_prefix + (last ? "   " : "\u2502  "));
    }
}

} // namespace

std::string render_tree_table(const TreeNode& root) {
    TabWriter writer;
    writer.write("NAME\tKIND\tSTATUS\tAGE\tINFO\n");
    write_row(writer, "", root);
    write_children(writer, root, "");
    return writer.flush();
}

} // namespace nova::render
