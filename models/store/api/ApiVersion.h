#pragma once

#include <QString>

#include <optional>

namespace litescope::api {

// A LiteLLM release as /health/readiness reports it ("1.83.14", "v1.96.0-stable").
struct LiteLLMVersion {
    int major = 0;
    int minor = 0;
    int patch = 0;

    static std::optional<LiteLLMVersion> parse(const QString& text);

    // Per-member allowed_models and default_team_member_models arrived in v1.83.14.
    bool hasMemberScopes() const { return !(*this < LiteLLMVersion{1, 83, 14}); }

    friend bool operator<(const LiteLLMVersion& a, const LiteLLMVersion& b) {
        if (a.major != b.major)
            return a.major < b.major;
        if (a.minor != b.minor)
            return a.minor < b.minor;
        return a.patch < b.patch;
    }
};

} // namespace litescope::api
