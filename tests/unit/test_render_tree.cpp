#include "lib/render/tree.hpp"

#include <catch2/catch.hpp>

using nova::render::TreeNode;

TEST_CASE("tree prefixes and alignment", "[render]") {
    TreeNode root{"R root", "Root", "+ ok", "1d", "", {}};
    TreeNode first{"A a", "Kind", "+ ok", "2h", "info", {}};
    first.children.push_back({"x x1", "Leaf", "+ ok", "3m", "", {}});
    first.children.push_back({"x x2", "Leaf", "+ ok", "3m", "i", {}});
    TreeNode second{"B b", "Kind", "+ ok", "2h", "", {}};
    second.children.push_back({"y y1", "Leaf", "- no", "5s", "", {}});
    root.children = {first, second};

    CHECK(render_tree_table(root) == "NAME        KIND  STATUS  AGE  INFO\n"
                                     "R root      Root  + ok    1d   \n"
                                     "\u251c\u2500\u2500A a      Kind  + ok    2h   info\n"
                                     "\u2502  \u251c\u2500\u2500x x1  Leaf  + ok    3m   \n"
                                     "\u2502  \u2514\u2500\u2500x x2  Leaf  + ok    3m   i\n"
                                     "\u2514\u2500\u2500B b      Kind  + ok    2h   \n"
                                     "   \u2514\u2500\u2500y y1  Leaf  - no    5s   \n");
}

TEST_CASE("a lone root is the header and one row", "[render]") {
    CHECK(render_tree_table(TreeNode{"R r", "Root", "? x", "7d", "", {}}) ==
          "NAME  KIND  STATUS  AGE  INFO\n"
          "R r   Root  ? x     7d   \n");
}
