# Sourced by run-demo.sh and test.sh: installs the Debian 12 packages litescope needs, only those
# that are missing, so a second run costs nothing. Works as root and, through sudo, as a user.

LITESCOPE_PACKAGES=(
    g++ cmake ninja-build ccache pkgconf dpkg-dev file clang-format
    qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
    qt6-charts-dev libqt6opengl6-dev qcoro-qt6-dev qtkeychain-qt6-dev
    libpqxx-dev libpq-dev postgresql-15 postgresql-common libyaml-cpp-dev rapidjson-dev
    libbenchmark-dev time openssl libssl3
    xvfb xauth x11-utils libgl1-mesa-dri fonts-dejavu-core
)

litescope_install_deps() {
    local missing=()
    local package
    for package in "${LITESCOPE_PACKAGES[@]}"; do
        if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
            missing+=("$package")
        fi
    done
    if [ ${#missing[@]} -eq 0 ]; then
        return 0
    fi
    echo "Installing missing packages: ${missing[*]}"
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        if ! command -v sudo >/dev/null 2>&1; then
            echo "error: these packages are missing and sudo is not available; as root run:" >&2
            echo "  apt-get install -y --no-install-recommends ${missing[*]}" >&2
            return 1
        fi
        sudo=(sudo)
    fi
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# Configures (once) and builds the default preset into build/.
litescope_build() {
    local root=$1
    if [ ! -f "$root/build/build.ninja" ]; then
        cmake --preset default -S "$root" >/dev/null
    fi
    cmake --build "$root/build" --parallel "$(nproc)"
}
