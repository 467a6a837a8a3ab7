#pragma once

#include <string>
#include <vector>

namespace nova::render {

// One row of argo's NAME/KIND/STATUS/AGE/INFO tree and the rows under it. Cells are final text
// (colour included); the tree prefixes are added when the table is rendered, so a later layer
// can insert rows (per-cluster ones, say) anywhere before that.
struct TreeNode {
    std::string name;   // icon, space, name: "⧉ canary-demo-65fb5ffc84"
    std::string kind;   // "ReplicaSet"; empty for a revision row
    std::string status; // icon, space, status: "✔ Healthy"
    std::string age;
    std::string info;
    std::vector<TreeNode> children;
};

// The table of `root` and its descendants: the header row, then one row per node, children
// prefixed with ├── / └── and │ continuation as argo draws them (§4.3), aligned by TabWriter.
std::string render_tree_table(const TreeNode& root);

} // namespace nova::render
