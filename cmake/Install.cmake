# `cmake --install`: the plugin under both of kubectl's names, kubectl's completion helpers, the
# shell completions and the man pages, each where Debian's tools look (DESIGN.md §2). nova-sim
# and the test tools are not installed.
include(GNUInstallDirs)

# `cmake --install` and cpack install what was built; they never build. cpack's "preinstall"
# step would otherwise build `all` again, relinking binaries that running tests use.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY TRUE)

install(TARGETS kubectl-nova-rollouts RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# Relative symbolic links are made in the build tree and installed as links (install(FILES)
# copies a link as a link), so they stay right under any prefix, DESTDIR or package root.
set(nova_link_dir ${PROJECT_BINARY_DIR}/install-links)
function(nova_install_link name target destination)
    file(MAKE_DIRECTORY ${nova_link_dir}/${destination})
    file(CREATE_LINK ${target} ${nova_link_dir}/${destination}/${name} SYMBOLIC)
    install(FILES ${nova_link_dir}/${destination}/${name} DESTINATION ${destination})
endfunction()

# `kubectl nova-rollouts` runs kubectl-nova_rollouts; `kubectl nova rollouts` runs
# kubectl-nova-rollouts.
nova_install_link(kubectl-nova_rollouts kubectl-nova-rollouts ${CMAKE_INSTALL_BINDIR})

# kubectl (1.26+) completes a plugin's arguments through kubectl_complete-<plugin>; the script
# comes with the shell completions (completions/), when they are there.
set(nova_completions ${PROJECT_SOURCE_DIR}/completions)
if(EXISTS ${nova_completions}/kubectl_complete-nova_rollouts)
    install(PROGRAMS ${nova_completions}/kubectl_complete-nova_rollouts
            DESTINATION ${CMAKE_INSTALL_BINDIR})
    nova_install_link(kubectl_complete-nova-rollouts kubectl_complete-nova_rollouts
                      ${CMAKE_INSTALL_BINDIR})
endif()
if(EXISTS ${nova_completions}/kubectl-nova-rollouts.bash)
    # bash-completion loads completions/<command> on first use.
    install(FILES ${nova_completions}/kubectl-nova-rollouts.bash
            DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
            RENAME kubectl-nova-rollouts)
endif()
# Debian's zsh searches /usr/share/zsh/vendor-completions, where packages put functions, and
# /usr/local/share/zsh/site-functions: an install into /usr/local wants the second.
set(NOVA_ZSH_COMPLETION_DIR ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions CACHE STRING
    "Where the zsh completion function goes, relative to the prefix")
if(EXISTS ${nova_completions}/_kubectl-nova-rollouts)
    install(FILES ${nova_completions}/_kubectl-nova-rollouts
            DESTINATION ${NOVA_ZSH_COMPLETION_DIR})
endif()
if(EXISTS ${nova_completions}/kubectl-nova-rollouts.fish)
    install(FILES ${nova_completions}/kubectl-nova-rollouts.fish
            DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
endif()

# The man pages of man/ (scripts/generate-man), compressed as Debian policy asks (gzip -9n:
# no name or time stamp in the header, so the packages are reproducible).
file(GLOB nova_man_pages CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/man/*.1)
set(nova_man_outputs)
foreach(page ${nova_man_pages})
    get_filename_component(name ${page} NAME)
    set(output ${PROJECT_BINARY_DIR}/man/${name}.gz)
    add_custom_command(OUTPUT ${output}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/man
        COMMAND sh -c "gzip -9 -n -c \"$0\" > \"$1\"" ${page} ${output}
        DEPENDS ${page}
        COMMENT "Compressing man/${name}"
        VERBATIM)
    list(APPEND nova_man_outputs ${output})
endforeach()
add_custom_target(man_pages ALL DEPENDS ${nova_man_outputs})
install(FILES ${nova_man_outputs} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
# `man kubectl-nova_rollouts` finds the page of the name kubectl runs.
nova_install_link(kubectl-nova_rollouts.1.gz kubectl-nova-rollouts.1.gz
                  ${CMAKE_INSTALL_MANDIR}/man1)

# kubectl's completion helpers are documented on the completion page.
if(EXISTS ${nova_completions}/kubectl_complete-nova_rollouts)
    foreach(helper kubectl_complete-nova_rollouts kubectl_complete-nova-rollouts)
        nova_install_link(${helper}.1.gz kubectl-nova-rollouts-completion.1.gz
                          ${CMAKE_INSTALL_MANDIR}/man1)
    endforeach()
endif()

# The licence in Debian's machine-readable form (it names the Apache-2.0 text rather than
# repeating it) and the package's changelog, compressed like the man pages.
install(FILES ${PROJECT_SOURCE_DIR}/packaging/debian/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})
set(nova_changelog ${PROJECT_BINARY_DIR}/doc/changelog.gz)
add_custom_command(OUTPUT ${nova_changelog}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/doc
    COMMAND sh -c "gzip -9 -n -c \"$0\" > \"$1\"" ${PROJECT_SOURCE_DIR}/packaging/debian/changelog
            ${nova_changelog}
    DEPENDS ${PROJECT_SOURCE_DIR}/packaging/debian/changelog
    COMMENT "Compressing packaging/debian/changelog"
    VERBATIM)
add_custom_target(changelog ALL DEPENDS ${nova_changelog})
install(FILES ${nova_changelog} DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
