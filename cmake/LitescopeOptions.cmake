# One INTERFACE target carries the language level, the warnings and Qt's safety defines, so every
# library, executable and test is built the same way.
add_library(litescope_options INTERFACE)
add_library(litescope::options ALIAS litescope_options)

target_compile_features(litescope_options INTERFACE cxx_std_20)
target_compile_options(litescope_options INTERFACE
    -Wall -Wextra -Wpedantic -Werror
    -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
    -Wnull-dereference -Wformat=2 -Wimplicit-fallthrough)
target_compile_definitions(litescope_options INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CAST_FROM_BYTEARRAY
    QT_NO_CONTEXTLESS_CONNECT
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_NO_URL_CAST_FROM_STRING
    QT_USE_QSTRINGBUILDER
    QT_STRICT_ITERATORS
    QT_NO_KEYWORDS)

if(LITESCOPE_SANITIZE)
    target_compile_options(litescope_options INTERFACE
        -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_link_options(litescope_options INTERFACE -fsanitize=address,undefined)
endif()
