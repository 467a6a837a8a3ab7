# `cpack`: a Debian package of the plugin (cmake/Install.cmake's files under /usr), a release
# tarball (the same files, relative to the prefix) and, for that tarball, a krew manifest with its
# real sha256 (cmake/KrewManifest.cmake, run by CPack once the packages are built):
#
#   cpack --config build/release/CPackConfig.cmake -B dist
#     dist/kubectl-nova-rollouts_<version>_<arch>.deb
#     dist/kubectl-nova-rollouts-v<version>-linux-<arch>.tar.gz
#     dist/nova-rollouts.yaml
set(NOVA_RELEASE_BASE_URL "" CACHE STRING
    "Where the release tarball is published: the krew manifest's uri is this URL, a '/' and the \
tarball's name. Empty: a placeholder (https://example.com/...) that the release process replaces")
set(NOVA_PACKAGE_MAINTAINER "kubectl-nova-rollouts developers <kubectl-nova-rollouts@example.com>"
    CACHE STRING "The Maintainer field of the Debian package")

# krew's (Go's) names of this platform.
string(TOLOWER "${CMAKE_SYSTEM_NAME}" nova_os)
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
    set(nova_arch amd64)
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64)$")
    set(nova_arch arm64)
else()
    string(TOLOWER "${CMAKE_SYSTEM_PROCESSOR}" nova_arch)
endif()

set(CPACK_PACKAGE_NAME kubectl-nova-rollouts)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "kubectl-nova-rollouts developers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "kubectl plugin for Argo Rollouts canaries across Elotl Nova clusters")
set(CPACK_PACKAGE_DESCRIPTION
    "kubectl nova-rollouts shows and drives Argo Rollouts on an Elotl Nova
multi-cluster control plane: what kubectl argo rollouts does for canary
rollouts, plus the replicas and pods of every workload cluster, JSON and YAML
output, and exit codes made for CI. Man pages and shell completion (also
through kubectl's own) included.")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_GENERATOR "DEB;TGZ")
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/packages)
# Packages ship no debug information, whatever the build type.
set(CPACK_STRIP_FILES ON)
set(CPACK_SOURCE_IGNORE_FILES "/build/;/\\\\.git/")

# Debian: installed under /usr; Depends computed from the binary by dpkg-shlibdeps.
set(CPACK_DEBIAN_PACKAGE_NAME kubectl-nova-rollouts)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${NOVA_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "bash-completion")
# CPack puts CPACK_PACKAGE_DESCRIPTION_SUMMARY on the first line of Description: itself.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}")

# The release tarball: bin/, share/ at its top, for krew or to unpack into a prefix.
# (The .deb keeps Debian's name: CPACK_DEBIAN_FILE_NAME.)
set(CPACK_PACKAGE_FILE_NAME "kubectl-nova-rollouts-v${PROJECT_VERSION}-${nova_os}-${nova_arch}")
set(CPACK_INCLUDE_TOPLEVEL_DIRECTORY OFF)

# Read by cmake/KrewManifest.cmake.
if(NOVA_RELEASE_BASE_URL)
    set(CPACK_NOVA_RELEASE_BASE_URL "${NOVA_RELEASE_BASE_URL}")
else()
    set(CPACK_NOVA_RELEASE_BASE_URL
        "https://example.com/kubectl-nova-rollouts/releases/download/v${PROJECT_VERSION}")
endif()
set(CPACK_NOVA_KREW_TEMPLATE ${PROJECT_SOURCE_DIR}/packaging/krew/nova-rollouts.yaml.in)
set(CPACK_NOVA_KREW_OS ${nova_os})
set(CPACK_NOVA_KREW_ARCH ${nova_arch})
set(CPACK_POST_BUILD_SCRIPTS ${PROJECT_SOURCE_DIR}/cmake/KrewManifest.cmake)

include(CPack)
