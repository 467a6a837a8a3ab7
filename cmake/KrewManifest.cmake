# Run by CPack after each generator (CPACK_POST_BUILD_SCRIPTS, see cmake/Packaging.cmake): when
# the generator made the release tarball, writes the krew manifest for it next to it, with the
# tarball's real sha256. krew wants the manifest named after the plugin: nova-rollouts.yaml.
# CPack hands over the tarball where it made it (_CPack_Packages/...), before copying it to
# CPACK_PACKAGE_DIRECTORY, where the manifest goes.
foreach(package IN LISTS CPACK_PACKAGE_FILES)
    if(NOT package MATCHES "\\.tar\\.gz$")
        continue()
    endif()
    file(SHA256 "${package}" KREW_SHA256)
    get_filename_component(archive "${package}" NAME)
    set(KREW_VERSION "v${CPACK_PACKAGE_VERSION}")
    set(KREW_URI "${CPACK_NOVA_RELEASE_BASE_URL}/${archive}")
    set(KREW_OS "${CPACK_NOVA_KREW_OS}")
    set(KREW_ARCH "${CPACK_NOVA_KREW_ARCH}")
    configure_file("${CPACK_NOVA_KREW_TEMPLATE}" "${CPACK_PACKAGE_DIRECTORY}/nova-rollouts.yaml" @ONLY)
    message(STATUS "CPack: - krew manifest: ${CPACK_PACKAGE_DIRECTORY}/nova-rollouts.yaml generated.")
endforeach()
