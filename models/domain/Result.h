#pragma once

#include <QString>

#include <utility>
#include <variant>

namespace litescope {

// What went wrong, in words an administrator can act on. `kind` lets callers react (retry on a
// lost connection, show a merge view on a conflict) without parsing the message.
enum class ErrorKind {
    InvalidInput,     // malformed file, bad argument, a value LiteLLM would refuse
    NotFound,         // a team, user, key or file that does not exist
    Conflict,         // someone else changed the row since it was read
    PermissionDenied, // read-only connection, refused credentials
    ConnectionLost,   // the database or proxy went away; the next call reconnects
    Unsupported,      // the proxy's schema or API is too old for this operation
    Io,               // reading or writing a local file failed
    ServerError,      // the proxy answered with a server error (HTTP 5xx) or an unreadable reply
    Cancelled,        // the caller cancelled the operation; nothing was written
};

struct Error {
    ErrorKind kind = ErrorKind::InvalidInput;
    QString message;

    static Error invalid(QString message) { return {ErrorKind::InvalidInput, std::move(message)}; }
    static Error notFound(QString message) { return {ErrorKind::NotFound, std::move(message)}; }
    static Error io(QString message) { return {ErrorKind::Io, std::move(message)}; }
};

// A value or the reason there is none. Small on purpose: C++20 has no std::expected yet.
template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value)
        : m_state(std::in_place_index<0>, std::move(value)) {}
    Result(Error error)
        : m_state(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_state.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<0>(m_state); }
    const T& value() const& { return std::get<0>(m_state); }
    T&& value() && { return std::get<0>(std::move(m_state)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const { return std::get<1>(m_state); }

private:
    std::variant<T, Error> m_state;
};

// For operations that produce nothing but can fail.
struct Done {};
using Status = Result<Done>;

} // namespace litescope
