// Offline answer to LiteLLM's get_llm_provider(model=name), called with no other argument.
//
// The rules follow the order of litellm/litellm_core_utils/get_llm_provider_logic.py (GLP, read at
// 001a933c1c90b218cff873c8849ae192bf456cda and in its newest form found, which adds the Claude
// name pattern, the JSON provider registry and a few prefix rules): special prefixes first
// (azure/, cohere/, anthropic/), then "<provider>/<rest>", then lookups of the whole name in the
// model lists LiteLLM builds from model_prices_and_context_window.json, in GLP's order.
//
// The model lists are NOT copied: this is a curated, hand-written approximation. Each provider's
// list is written as a few *families* (anchored regular expressions) that cover the names real
// proxies use. They are deliberately narrow: a family must not catch aliases an administrator may
// give a deployment ("claude-sonnet", "claude-alias", "gpt4"), because LiteLLM raises for those
// and the access decision then differs.
//
// Not modelled: the api_base / api_key arguments (the access check passes none), a proxy's
// USE_LITELLM_PROXY and LITELLM_CUSTOM_PROVIDERS environment, and github_copilot's device login
// (a proxy without Copilot credentials may make GLP raise for "github_copilot/...").
//
// How to extend:
//  - a single model name LiteLLM knows but the families miss (or a private one the proxy's own
//    cost map adds): put it in the workspace's `model_providers`; it is looked up exactly, before
//    the families, for names whose prefix is not a provider;
//  - a whole new family: add an anchored pattern to the provider's function below, keeping GLP's
//    order (it decides between overlapping lists) and a test row in tests/tst_providertable.cpp;
//  - a new provider: add it to kProviderNames (LiteLLM's LlmProviders enum plus the slugs of
//    litellm/llms/openai_like/providers.json).
#include "engine/ProviderTable.h"

#include <QRegularExpression>
#include <QSet>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace litescope {

namespace {

// LiteLLM's provider_list: the LlmProviders enum (litellm/types/utils.py) and the JSON registry's
// slugs, which GLP consumes as prefixes the same way.
constexpr QStringView kProviderNames[] = {
    u"a2a",
    u"a2a_agent",
    u"ai21",
    u"ai21_chat",
    u"aiml",
    u"aiohttp_openai",
    u"amazon_nova",
    u"anthropic",
    u"anthropic_text",
    u"apertis",
    u"assemblyai",
    u"auto_router",
    u"aws_polly",
    u"azure",
    u"azure_ai",
    u"azure_text",
    u"baseten",
    u"bedrock",
    u"bytez",
    u"cerebras",
    u"chatgpt",
    u"chutes",
    u"clarifai",
    u"cloudflare",
    u"codestral",
    u"cohere",
    u"cohere_chat",
    u"cometapi",
    u"compactifai",
    u"cursor",
    u"custom",
    u"custom_openai",
    u"dashscope",
    u"databricks",
    u"datarobot",
    u"deepgram",
    u"deepinfra",
    u"deepseek",
    u"docker_model_runner",
    u"dotprompt",
    u"elevenlabs",
    u"empower",
    u"fal_ai",
    u"featherless_ai",
    u"fireworks_ai",
    u"friendliai",
    u"galadriel",
    u"gemini",
    u"gemini_cli",
    u"gigachat",
    u"github",
    u"github_copilot",
    u"gradient_ai",
    u"groq",
    u"helicone",
    u"heroku",
    u"hosted_vllm",
    u"huggingface",
    u"humanloop",
    u"hyperbolic",
    u"infinity",
    u"jina_ai",
    u"lambda_ai",
    u"langfuse",
    u"langgraph",
    u"lemonade",
    u"litellm_agent",
    u"litellm_proxy",
    u"llamafile",
    u"lm_studio",
    u"manus",
    u"maritalk",
    u"meta_llama",
    u"milvus",
    u"minimax",
    u"mistral",
    u"moonshot",
    u"morph",
    u"nano-gpt",
    u"nebius",
    u"nlp_cloud",
    u"novita",
    u"nscale",
    u"nvidia_nim",
    u"oci",
    u"ollama",
    u"ollama_chat",
    u"oobabooga",
    u"openai",
    u"openai_like",
    u"openrouter",
    u"ovhcloud",
    u"perplexity",
    u"petals",
    u"pg_vector",
    u"poe",
    u"predibase",
    u"publicai",
    u"ragflow",
    u"recraft",
    u"replicate",
    u"runwayml",
    u"s3_vectors",
    u"sagemaker",
    u"sagemaker_chat",
    u"sambanova",
    u"sap",
    u"snowflake",
    u"stability",
    u"synthetic",
    u"text-completion-codestral",
    u"text-completion-openai",
    u"together_ai",
    u"topaz",
    u"triton",
    u"v0",
    u"veniceai",
    u"vercel_ai_gateway",
    u"vertex_ai",
    u"vertex_ai_beta",
    u"vllm",
    u"volcengine",
    u"voyage",
    u"wandb",
    u"watsonx",
    u"watsonx_text",
    u"xai",
    u"xiaomi_mimo",
    u"xinference",
    u"zai",
};

// GLP treats "<model>:<id>" longer than this as a Replicate version id when the id has this length.
constexpr qsizetype kReplicateIdLength = 64;

// The last rules of GLP's lookup chain: bare names starting with these keep their prefix.
constexpr QStringView kKeptPrefixes[][2] = {
    {u"bytez/", u"bytez"},       {u"lemonade/", u"lemonade"}, {u"heroku/", u"heroku"},
    {u"cometapi/", u"cometapi"}, {u"oci/", u"oci"},           {u"compactifai/", u"compactifai"},
    {u"ovhcloud/", u"ovhcloud"}, {u"clarifai/", u"clarifai"}, {u"amazon_nova", u"amazon_nova"},
    {u"sap/", u"sap"},
};

const QSet<QStringView>& providerSet() {
    static const QSet<QStringView> set(std::begin(kProviderNames), std::end(kProviderNames));
    return set;
}

// Joins alternatives into one anchored, case-sensitive expression: LiteLLM's lists are looked up
// with `in`, so a family must match the whole name and nothing around it.
QRegularExpression family(const QStringList& alternatives) {
    QRegularExpression re(QRegularExpression::anchoredPattern(alternatives.join(u'|')));
    re.optimize();
    return re;
}

bool matches(const QRegularExpression& re, QStringView name) {
    return re.match(name).hasMatch();
}

// open_ai_chat_completion_models: every cost-map entry of provider "openai" (chat, embeddings,
// audio, moderation, priced image sizes), fine-tune placeholders excepted.
bool isOpenAiListed(QStringView name) {
    static const QRegularExpression re = [] {
        // Only suffixes OpenAI ships (tiers, modalities, snapshots, dates), so that a deployment
        // alias such as "gpt-4o-global-standard" is not taken for an OpenAI model.
        const QString suffix =
            uR"((?:-(?:mini|nano|turbo|preview|audio|realtime|search|api|transcribe|diarize|tts|)"
            uR"(vision|chat|latest|pro|codex|max|deep|research|16k|32k|\d{2}|\d{4}))*)"_s;
        return family({
            uR"(gpt-4(?:o|\.\d+)?)"_s + suffix,
            uR"(gpt-5(?:\.\d+)?)"_s + suffix,
            uR"(gpt-3\.5-turbo)"_s + suffix, // -instruct is text-completion-openai's
            uR"((?:o1|o3|o4-mini))"_s + suffix,
            uR"((?:chatgpt-4o|gpt-realtime|gpt-audio))"_s + suffix,
            uR"(codex-mini-latest|computer-use-preview(?:-\d{4}-\d{2}-\d{2})?)"_s,
            uR"(text-embedding-3-(?:small|large)|text-embedding-ada-002(?:-v2)?)"_s,
            uR"(whisper-1|tts-1(?:-hd)?(?:-\d{4})?)"_s,
            uR"(omni-moderation-(?:latest|\d{4}-\d{2}-\d{2}))"_s,
            uR"(text-moderation-(?:latest|stable|\d{3}))"_s,
            uR"(sora-2(?:-pro)?)"_s,
            uR"((?:(?:hd|standard|low|medium|high)/)?\d+-x-\d+/(?:dall-e-[23]|gpt-image-1(?:-mini)?))"_s,
        });
    }();
    return matches(re, name);
}

// open_ai_text_completion_models.
bool isOpenAiTextListed(QStringView name) {
    static const QRegularExpression re = family({
        uR"(gpt-3\.5-turbo-instruct(?:-0914)?)"_s,
        uR"((?:ft:)?(?:babbage|davinci)-002)"_s,
    });
    return matches(re, name);
}

bool isAnthropicListed(QStringView name) {
    static const QRegularExpression re = family({
        uR"(claude-instant-1(?:\.2)?|claude-2(?:\.[01])?)"_s,
        // claude-3-opus-20240229, claude-3-5-sonnet-latest, claude-4-sonnet-20250514
        uR"(claude-\d(?:-\d)?-(?:opus|sonnet|haiku)-(?:\d{8}|latest))"_s,
    });
    return matches(re, name);
}

// AnthropicTextConfig._is_anthropic_text_model.
bool isAnthropicText(QStringView name) {
    return name == u"claude-2" || name == u"claude-instant-1";
}

// GLP's _matches_claude_model_pattern, kept as LiteLLM writes it (Python's re: `$` also matches
// before a final newline, \d is any Unicode decimal digit, case-insensitive) because it decides
// for names no cost map has yet (claude-opus-4-7).
bool matchesClaudePattern(QStringView name) {
    static const QRegularExpression re = [] {
        QRegularExpression r(uR"(^claude-[a-z]+-\d+-\d+(?:-\d{8})?$)"_s,
                             QRegularExpression::CaseInsensitiveOption |
                                 QRegularExpression::UseUnicodePropertiesOption);
        r.optimize();
        return r;
    }();
    return matches(re, name);
}

// cohere_models + cohere_embedding_models: completion, embedding and rerank models.
bool isCohereListed(QStringView name) {
    static const QRegularExpression re = family({
        uR"(command(?:-nightly)?)"_s,
        uR"(embed-(?:english|multilingual)(?:-light)?-v[23]\.0|embed-v4\.0)"_s,
        uR"(rerank-(?:english|multilingual)-v[23]\.0|rerank-v3\.5)"_s,
    });
    return matches(re, name);
}

bool isCohereChatListed(QStringView name) {
    static const QRegularExpression re = family({
        uR"(command-r(?:-plus)?(?:-\d{2}-\d{4})?)"_s,
        uR"(command-r7b-\d{2}-\d{4})"_s,
        uR"(command-a-(?:[a-z]+-)?\d{2}-\d{4})"_s,
        uR"(command-light)"_s,
    });
    return matches(re, name);
}

// mistral_chat_models holds "mistral/<name>"; GLP asks it about Azure deployments only.
bool isMistralListed(QStringView name) {
    static const QRegularExpression re = family({
        uR"(mistral-(?:tiny|small|medium|large|embed|saba)(?:-(?:latest|\d{4}))?)"_s,
        uR"(open-(?:mistral-7b|mixtral-8x7b|mixtral-8x22b|mistral-nemo(?:-2407)?|codestral-mamba))"_s,
        uR"(codestral(?:-mamba)?-(?:latest|\d{4}))"_s,
        uR"(pixtral-12b-2409|pixtral-large-(?:latest|\d{4}))"_s,
        uR"((?:devstral|magistral)-(?:small|medium)-(?:latest|\d{4})|ministral-[38]b-(?:latest|\d{4}))"_s,
    });
    return matches(re, name);
}

// The vertex_* lists GLP consults: Gemini and PaLM language models, embeddings, images, video.
// The cost map files bare "gemini-…" names under Vertex AI ("gemini/…" is the Gemini API).
bool isVertexListed(QStringView name) {
    static const QRegularExpression re = family({
        uR"(gemini-(?:\d+(?:\.\d+)?-(?:pro|flash|ultra)|pro|ultra|flash|exp|embedding))"
        uR"((?:-(?:lite|preview|latest|exp|thinking|image|generation|tts|native|audio|vision|\d+))*)"_s,
        uR"((?:chat|text|code|codechat)-(?:bison|unicorn|gecko)(?:-?32k)?(?:@(?:\d{3}|latest)|-latest)?)"_s,
        uR"(text-embedding-(?:004|005|preview-0409|large-exp-03-07))"_s,
        uR"(text-multilingual-embedding-(?:002|preview-0409))"_s,
        uR"(textembedding-gecko(?:-multilingual)?(?:@\d{3})?|multimodalembedding(?:@001)?)"_s,
        uR"(imagegeneration@\d{3}|imagen-\d+\.\d+-[a-z0-9-]+|veo-\d+\.\d+-[a-z0-9-]+)"_s,
        uR"(medlm-(?:medium|large))"_s,
    });
    return matches(re, name);
}

// ai21_chat_models; GLP also sends the older ai21_models to ai21_chat when named bare.
bool isAi21ChatListed(QStringView name) {
    static const QRegularExpression re = family({
        uR"(jamba-(?:instruct|1\.5|1\.5-(?:large|mini)(?:@001)?|(?:large|mini)-1\.[5-7]))"_s,
    });
    return matches(re, name);
}

bool isAi21Listed(QStringView name) {
    static const QRegularExpression re = family({uR"(j2-(?:ultra|mid|light))"_s});
    return matches(re, name) || isAi21ChatListed(name);
}

// bedrock_models + bedrock_converse_models + bedrock_embedding_models: Bedrock model ids, with or
// without a cross-region inference prefix, always ending in a version ("-v1:0", "-v2", "-1:0").
bool isBedrockListed(QStringView name) {
    static const QRegularExpression re = family({
        uR"((?:(?:us|eu|apac|jp|au|ca|us-gov|global)\.)?)"
        uR"((?:anthropic|amazon|meta|mistral|cohere|ai21|deepseek|writer|stability|qwen|openai|twelvelabs)\.)"
        uR"([a-z0-9][a-z0-9.-]*(?:-v\d+(?::\d+)?|-\d+:\d+))"_s,
    });
    return matches(re, name);
}

// Lists GLP still carries by hand (aleph_alpha, baseten, nlp_cloud, petals).
std::optional<QString> smallListProvider(QStringView name) {
    static const QRegularExpression alephAlpha =
        family({uR"(luminous-(?:base|extended|supreme)(?:-control)?)"_s});
    if (matches(alephAlpha, name))
        return u"aleph_alpha"_s;
    if (name == u"qvv0xeq" || name == u"q841o8w" || name == u"31dxrj3")
        return u"baseten"_s;
    if (name == u"dolphin" || name == u"chatdolphin")
        return u"nlp_cloud"_s;
    if (name == u"petals-team/StableBeluga2")
        return u"petals"_s;
    return std::nullopt;
}

// _is_azure_openai_model: azure_ai/<openai model> is re-routed to Azure OpenAI.
bool isAzureOpenAiModel(QStringView model) {
    const qsizetype slash = model.indexOf(u'/');
    const QStringView name = slash < 0 ? model : model.mid(slash + 1);
    return isOpenAiListed(name) || isOpenAiTextListed(name);
}

// Python's len(): Replicate's id length is counted in code points, not UTF-16 units.
qsizetype codePointCount(QStringView s) {
    qsizetype n = 0;
    for (const QChar c : s) {
        if (!c.isLowSurrogate())
            ++n;
    }
    return n;
}

ProviderMatch makeMatch(QStringView provider, QStringView model) {
    return ProviderMatch{provider.toString(), model.toString()};
}

} // namespace

ProviderTable::ProviderTable() = default;

ProviderTable::ProviderTable(const StringMap& extraModelProviders)
    : m_extra(extraModelProviders) {}

bool ProviderTable::isKnownProvider(const QString& provider) const {
    return providerSet().contains(QStringView(provider));
}

std::optional<ProviderMatch> ProviderTable::infer(const QString& requestedModel) const {
    const QStringView name(requestedModel);
    const qsizetype slash = name.indexOf(u'/');
    const QStringView prefix = slash < 0 ? name : name.left(slash);
    const QStringView rest = slash < 0 ? QStringView() : name.mid(slash + 1);

    if (slash >= 0) {
        // Azure AI Studio also serves Cohere and Mistral models; GLP hands those back untouched,
        // as OpenAI-compatible calls, so "openai/*" covers "azure/command-r".
        if (prefix == u"azure" && (isCohereChatListed(rest) || isMistralListed(rest)))
            return makeMatch(u"openai", name);
        if (prefix == u"cohere" && isCohereChatListed(rest))
            return makeMatch(u"cohere_chat", rest);
        if (prefix == u"anthropic" && isAnthropicText(rest))
            return makeMatch(u"anthropic_text", rest);
    }

    if (providerSet().contains(prefix)) {
        // A bare provider name ("mistral") makes GLP index past the end of split("/") and raise.
        if (slash < 0)
            return std::nullopt;
        if (prefix == u"azure_ai" && isAzureOpenAiModel(rest))
            return makeMatch(u"azure", rest);
        if (prefix == u"ai21" && isAi21ChatListed(rest))
            return makeMatch(u"ai21_chat", rest);
        return makeMatch(prefix, rest);
    }

    // From here on GLP looks the whole name up, slashes included, and keeps it as the model.
    if (const auto it = m_extra.constFind(requestedModel);
        it != m_extra.cend() && !it.value().isEmpty())
        return ProviderMatch{it.value(), requestedModel};

    if (isOpenAiListed(name) || name.contains(u"ft:gpt-3.5-turbo") || name.contains(u"ft:gpt-4") ||
        name == u"dall-e-2" || name == u"dall-e-3" || name.startsWith(u"gpt-image"))
        return makeMatch(u"openai", name);
    if (isOpenAiTextListed(name))
        return makeMatch(u"text-completion-openai", name);
    if (isAnthropicListed(name))
        return makeMatch(isAnthropicText(name) ? u"anthropic_text" : u"anthropic", name);
    if (matchesClaudePattern(name))
        return makeMatch(u"anthropic", name);
    if (isCohereListed(name))
        return makeMatch(u"cohere", name);
    if (isCohereChatListed(name))
        return makeMatch(u"cohere_chat", name);
    // GLP's elif chain stops here for any long name with a colon: a Bedrock id padded past 64
    // code points is not looked up as Bedrock any more.
    if (name.contains(u':') && codePointCount(name) > kReplicateIdLength) {
        const qsizetype first = name.indexOf(u':');
        const qsizetype second = name.indexOf(u':', first + 1);
        const QStringView id =
            second < 0 ? name.mid(first + 1) : name.mid(first + 1, second - first - 1);
        if (codePointCount(id) == kReplicateIdLength)
            return makeMatch(u"replicate", name);
        return std::nullopt;
    }
    if (isVertexListed(name))
        return makeMatch(u"vertex_ai", name);
    if (isAi21Listed(name))
        return makeMatch(u"ai21_chat", name);
    if (const std::optional<QString> provider = smallListProvider(name))
        return ProviderMatch{*provider, requestedModel};
    if (isBedrockListed(name))
        return makeMatch(u"bedrock", name);
    // The router's catch-all deployment "*" is sent to OpenAI, so GLP accepts "*" itself.
    if (name == u"*")
        return makeMatch(u"openai", name);
    for (const auto& [start, provider] : kKeptPrefixes) {
        if (name.startsWith(start))
            return makeMatch(provider, name);
    }
    return std::nullopt;
}

} // namespace litescope
