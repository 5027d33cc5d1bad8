#pragma once

#include "domain/Workspace.h"

#include <QHash>
#include <QString>

#include <optional>

namespace litescope {

// The provider LiteLLM's get_llm_provider() would infer for a *requested* model name, and the
// name with the provider prefix stripped ("openai/gpt-4o" -> {"openai", "gpt-4o"};
// "claude-3-5-sonnet-20240620" -> {"anthropic", "claude-3-5-sonnet-20240620"}). Like LiteLLM's, the
// model may still hold a slash: names found by lookup are returned whole ("azure/command-r" ->
// {"openai", "azure/command-r"}), and only the first slash of a provider prefix is consumed.
struct ProviderMatch {
    QString provider;
    QString model;
    bool operator==(const ProviderMatch&) const = default;
};

// LiteLLM's provider prefixes and well-known model families, extended by a workspace's
// `model_providers`. Used for provider wildcards: an allow-list entry "openai/*" grants a bare
// "gpt-4o" because LiteLLM infers "openai/gpt-4o" from it.
class ProviderTable {
public:
    // Built-in knowledge only.
    ProviderTable();
    // Built-in knowledge plus a workspace's `model_providers` (bare model name -> provider), which
    // win over the built-in families.
    explicit ProviderTable(const StringMap& extraModelProviders);

    // nullopt where get_llm_provider() would raise (unknown bare names, unknown prefixes).
    std::optional<ProviderMatch> infer(const QString& requestedModel) const;

    bool isKnownProvider(const QString& provider) const;

private:
    StringMap m_extra;
};

} // namespace litescope
