// Expectations are what LiteLLM's get_llm_provider(model=name) answers (GLP, see
// ProviderTable.cpp); rows that look surprising say why in their name.
#include "engine/ProviderTable.h"

#include <QTest>

using namespace Qt::StringLiterals;
using litescope::ProviderMatch;
using litescope::ProviderTable;

namespace {

void addColumns() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("found");
    QTest::addColumn<QString>("provider");
    QTest::addColumn<QString>("model");
}

void expectMatch(const char* row, const QString& name, const QString& provider,
                 const QString& model) {
    QTest::newRow(row) << name << true << provider << model;
}

// Bare names keep their spelling.
void expectBare(const char* row, const QString& name, const QString& provider) {
    expectMatch(row, name, provider, name);
}

void expectNone(const char* row, const QString& name) {
    QTest::newRow(row) << name << false << QString() << QString();
}

void compare(const ProviderTable& table) {
    QFETCH(QString, name);
    QFETCH(bool, found);
    QFETCH(QString, provider);
    QFETCH(QString, model);

    const std::optional<ProviderMatch> match = table.infer(name);
    QCOMPARE(match.has_value(), found);
    if (match) {
        QCOMPARE(match->provider, provider);
        QCOMPARE(match->model, model);
    }
}

const QString kReplicateId = QString(64, u'a');

} // namespace

class TstProviderTable : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void prefixes_data();
    void prefixes() { compare(ProviderTable()); }
    void unknownPrefixes_data();
    void unknownPrefixes() { compare(ProviderTable()); }
    void bareNames_data();
    void bareNames() { compare(ProviderTable()); }
    void unknownBareNames_data();
    void unknownBareNames() { compare(ProviderTable()); }
    void hostile_data();
    void hostile() { compare(ProviderTable()); }
    void extras_data();
    void extras();
    void knownProviders_data();
    void knownProviders();
    void manyNames();
};

void TstProviderTable::prefixes_data() {
    addColumns();
    expectMatch("openai", u"openai/gpt-4o"_s, u"openai"_s, u"gpt-4o"_s);
    expectMatch("bedrock cross-region", u"bedrock/us.anthropic.claude-3-5-sonnet-20240620-v1:0"_s,
                u"bedrock"_s, u"us.anthropic.claude-3-5-sonnet-20240620-v1:0"_s);
    expectMatch("bedrock invoke route",
                u"bedrock/invoke/anthropic.claude-3-5-sonnet-20240620-v1:0"_s, u"bedrock"_s,
                u"invoke/anthropic.claude-3-5-sonnet-20240620-v1:0"_s);
    expectMatch("split at first slash", u"hosted_vllm/meta-llama/Llama-3-8b"_s, u"hosted_vllm"_s,
                u"meta-llama/Llama-3-8b"_s);
    expectMatch("fireworks account", u"fireworks_ai/accounts/my-test-1234"_s, u"fireworks_ai"_s,
                u"accounts/my-test-1234"_s);
    expectMatch("llamafile", u"llamafile/mistralai/mistral-7b-instruct-v0.2"_s, u"llamafile"_s,
                u"mistralai/mistral-7b-instruct-v0.2"_s);
    expectMatch("azure", u"azure/gpt-4o"_s, u"azure"_s, u"gpt-4o"_s);
    expectMatch("azure o1", u"azure/o1-mini"_s, u"azure"_s, u"o1-mini"_s);
    expectMatch("anthropic", u"anthropic/claude-3-5-sonnet-20240620"_s, u"anthropic"_s,
                u"claude-3-5-sonnet-20240620"_s);
    expectMatch("vertex_ai", u"vertex_ai/gemini-1.5-pro"_s, u"vertex_ai"_s, u"gemini-1.5-pro"_s);
    expectMatch("vertex_ai_beta", u"vertex_ai_beta/gemini-2.5-pro"_s, u"vertex_ai_beta"_s,
                u"gemini-2.5-pro"_s);
    expectMatch("gemini", u"gemini/gemini-2.5-pro"_s, u"gemini"_s, u"gemini-2.5-pro"_s);
    expectMatch("mistral", u"mistral/mistral-large-latest"_s, u"mistral"_s,
                u"mistral-large-latest"_s);
    expectMatch("deepseek", u"deepseek/deepseek-chat"_s, u"deepseek"_s, u"deepseek-chat"_s);
    expectMatch("groq", u"groq/llama-3.1-8b-instant"_s, u"groq"_s, u"llama-3.1-8b-instant"_s);
    expectMatch("together_ai", u"together_ai/meta-llama/Llama-3-70b"_s, u"together_ai"_s,
                u"meta-llama/Llama-3-70b"_s);
    expectMatch("ollama_chat", u"ollama_chat/llama3"_s, u"ollama_chat"_s, u"llama3"_s);
    expectMatch("openrouter", u"openrouter/anthropic/claude-3.5-sonnet"_s, u"openrouter"_s,
                u"anthropic/claude-3.5-sonnet"_s);
    expectMatch("huggingface", u"huggingface/bigcode/starcoder"_s, u"huggingface"_s,
                u"bigcode/starcoder"_s);
    expectMatch("sagemaker", u"sagemaker/my-endpoint"_s, u"sagemaker"_s, u"my-endpoint"_s);
    expectMatch("xai", u"xai/grok-2"_s, u"xai"_s, u"grok-2"_s);
    expectMatch("perplexity", u"perplexity/sonar"_s, u"perplexity"_s, u"sonar"_s);
    expectMatch("databricks", u"databricks/dbrx"_s, u"databricks"_s, u"dbrx"_s);
    expectMatch("watsonx", u"watsonx/ibm/granite-13b"_s, u"watsonx"_s, u"ibm/granite-13b"_s);
    expectMatch("watsonx_text", u"watsonx_text/watson-text-to-speech"_s, u"watsonx_text"_s,
                u"watson-text-to-speech"_s);
    expectMatch("jina_ai", u"jina_ai/jina-embeddings-v3"_s, u"jina_ai"_s, u"jina-embeddings-v3"_s);
    expectMatch("text-completion-openai", u"text-completion-openai/gpt-3.5-turbo-instruct"_s,
                u"text-completion-openai"_s, u"gpt-3.5-turbo-instruct"_s);
    expectMatch("hyphenated slug", u"nano-gpt/some-model"_s, u"nano-gpt"_s, u"some-model"_s);
    expectMatch("json registry slug", u"veniceai/venice-uncensored"_s, u"veniceai"_s,
                u"venice-uncensored"_s);
    expectMatch("provider wildcard itself", u"openai/*"_s, u"openai"_s, u"*"_s);
    expectMatch("cohere keeps completion models", u"cohere/command"_s, u"cohere"_s, u"command"_s);
    expectMatch("cohere chat model rerouted", u"cohere/command-r-plus"_s, u"cohere_chat"_s,
                u"command-r-plus"_s);
    expectMatch("cohere_chat", u"cohere_chat/command-r"_s, u"cohere_chat"_s, u"command-r"_s);
    expectMatch("anthropic text model rerouted", u"anthropic/claude-2"_s, u"anthropic_text"_s,
                u"claude-2"_s);
    expectMatch("anthropic instant rerouted", u"anthropic/claude-instant-1"_s, u"anthropic_text"_s,
                u"claude-instant-1"_s);
    expectMatch("azure cohere model keeps prefix under openai", u"azure/command-r-plus"_s,
                u"openai"_s, u"azure/command-r-plus"_s);
    expectMatch("azure mistral model keeps prefix under openai", u"azure/mistral-large-latest"_s,
                u"openai"_s, u"azure/mistral-large-latest"_s);
    expectMatch("azure_ai openai model goes to azure", u"azure_ai/gpt-4o"_s, u"azure"_s,
                u"gpt-4o"_s);
    expectMatch("azure_ai nested openai model", u"azure_ai/team/gpt-4o-mini"_s, u"azure"_s,
                u"team/gpt-4o-mini"_s);
    expectMatch("azure_ai other model", u"azure_ai/mistral-large-2407"_s, u"azure_ai"_s,
                u"mistral-large-2407"_s);
    expectMatch("azure_ai unlisted openai-like", u"azure_ai/gpt-4o-global-standard"_s,
                u"azure_ai"_s, u"gpt-4o-global-standard"_s);
    expectMatch("ai21 chat model rerouted", u"ai21/jamba-1.5-large"_s, u"ai21_chat"_s,
                u"jamba-1.5-large"_s);
    expectMatch("ai21 completion model stays", u"ai21/j2-ultra"_s, u"ai21"_s, u"j2-ultra"_s);
    expectMatch("chatgpt provider", u"chatgpt/gpt-5"_s, u"chatgpt"_s, u"gpt-5"_s);
    expectMatch("amazon_nova provider", u"amazon_nova/nova-pro-v1"_s, u"amazon_nova"_s,
                u"nova-pro-v1"_s);
}

void TstProviderTable::unknownPrefixes_data() {
    addColumns();
    expectNone("near miss bedrockz", u"bedrockz/x"_s);
    expectNone("bedrockz claude", u"bedrockz/anthropic.claude-3-5-sonnet-20240620"_s);
    expectNone("near miss openaiz", u"openaiz/gpt-4o-mini"_s);
    expectNone("hugging face org", u"meta-llama/Llama-3"_s);
    expectNone("case matters", u"OpenAI/gpt-4o"_s);
    expectNone("space in prefix", u"openai /gpt-4o"_s);
    expectNone("leading slash", u"/gpt-4o"_s);
    expectNone("unknown org with known model", u"acme/gpt-4o"_s);
    expectNone("bare provider name", u"openai"_s);
    expectNone("bare provider name mistral", u"mistral"_s);
    expectNone("bare provider name chatgpt", u"chatgpt"_s);
    expectNone("bare provider name amazon_nova", u"amazon_nova"_s);
    expectNone("json slug without model", u"veniceai"_s);
    // Names GLP still finds although their prefix is no provider.
    expectBare("fine-tune anywhere in name", u"acme/ft:gpt-4o-2024-08-06:acme::abc123"_s,
               u"openai"_s);
    expectBare("priced image size", u"256-x-256/dall-e-2"_s, u"openai"_s);
    expectBare("priced image quality", u"hd/1024-x-1024/dall-e-3"_s, u"openai"_s);
    expectBare("replicate version id", u"meta/llama-2-70b-chat:"_s + kReplicateId, u"replicate"_s);
    expectBare("petals list", u"petals-team/StableBeluga2"_s, u"petals"_s);
    expectBare("amazon_nova kept prefix", u"amazon_nova-lite"_s, u"amazon_nova"_s);
    expectBare("gpt-image anything", u"gpt-image-1/foo"_s, u"openai"_s);
}

void TstProviderTable::bareNames_data() {
    addColumns();
    expectBare("gpt-4o", u"gpt-4o"_s, u"openai"_s);
    expectBare("gpt-4.1", u"gpt-4.1"_s, u"openai"_s);
    expectBare("gpt-4.1-nano", u"gpt-4.1-nano"_s, u"openai"_s);
    expectBare("gpt-4o-mini", u"gpt-4o-mini"_s, u"openai"_s);
    expectBare("gpt-4o dated", u"gpt-4o-2024-08-06"_s, u"openai"_s);
    expectBare("gpt-4", u"gpt-4"_s, u"openai"_s);
    expectBare("gpt-4-turbo", u"gpt-4-turbo"_s, u"openai"_s);
    expectBare("gpt-5", u"gpt-5"_s, u"openai"_s);
    expectBare("gpt-5-mini", u"gpt-5-mini"_s, u"openai"_s);
    expectBare("gpt-3.5-turbo", u"gpt-3.5-turbo"_s, u"openai"_s);
    expectBare("gpt-3.5-turbo snapshot", u"gpt-3.5-turbo-0125"_s, u"openai"_s);
    expectBare("gpt-4 preview snapshot", u"gpt-4-1106-preview"_s, u"openai"_s);
    expectBare("gpt-4o-mini dated", u"gpt-4o-mini-2024-07-18"_s, u"openai"_s);
    expectBare("gpt-4o realtime", u"gpt-4o-realtime-preview-2024-12-17"_s, u"openai"_s);
    expectBare("gpt-5.1 codex", u"gpt-5.1-codex-max"_s, u"openai"_s);
    expectBare("o3 deep research", u"o3-deep-research"_s, u"openai"_s);
    expectBare("o1 dated", u"o1-2024-12-17"_s, u"openai"_s);
    expectBare("gpt-3.5-turbo-16k", u"gpt-3.5-turbo-16k"_s, u"openai"_s);
    expectBare("o1", u"o1"_s, u"openai"_s);
    expectBare("o1-mini", u"o1-mini"_s, u"openai"_s);
    expectBare("o3", u"o3"_s, u"openai"_s);
    expectBare("o3-mini", u"o3-mini"_s, u"openai"_s);
    expectBare("o4-mini", u"o4-mini"_s, u"openai"_s);
    expectBare("chatgpt-4o-latest", u"chatgpt-4o-latest"_s, u"openai"_s);
    expectBare("text-embedding-3-small", u"text-embedding-3-small"_s, u"openai"_s);
    expectBare("text-embedding-ada-002", u"text-embedding-ada-002"_s, u"openai"_s);
    expectBare("dall-e-3", u"dall-e-3"_s, u"openai"_s);
    expectBare("gpt-image-1", u"gpt-image-1"_s, u"openai"_s);
    expectBare("whisper-1", u"whisper-1"_s, u"openai"_s);
    expectBare("tts-1-hd", u"tts-1-hd"_s, u"openai"_s);
    expectBare("sora-2", u"sora-2"_s, u"openai"_s);
    expectBare("fine-tune", u"ft:gpt-3.5-turbo-0125:acme::abc"_s, u"openai"_s);
    expectBare("catch-all star", u"*"_s, u"openai"_s);
    expectBare("instruct is text completion", u"gpt-3.5-turbo-instruct"_s,
               u"text-completion-openai"_s);
    expectBare("instruct dated", u"gpt-3.5-turbo-instruct-0914"_s, u"text-completion-openai"_s);
    expectBare("davinci-002", u"davinci-002"_s, u"text-completion-openai"_s);
    expectBare("claude-3-5-sonnet", u"claude-3-5-sonnet-20240620"_s, u"anthropic"_s);
    expectBare("claude-3-opus", u"claude-3-opus-20240229"_s, u"anthropic"_s);
    expectBare("claude-3-5-sonnet-latest", u"claude-3-5-sonnet-latest"_s, u"anthropic"_s);
    expectBare("claude-3-7-sonnet", u"claude-3-7-sonnet-20250219"_s, u"anthropic"_s);
    expectBare("claude-4-opus", u"claude-4-opus-20250514"_s, u"anthropic"_s);
    expectBare("claude-sonnet-4", u"claude-sonnet-4-20250514"_s, u"anthropic"_s);
    expectBare("claude-opus-4-1", u"claude-opus-4-1"_s, u"anthropic"_s);
    expectBare("claude-sonnet-4-5 dated", u"claude-sonnet-4-5-20250929"_s, u"anthropic"_s);
    expectBare("future claude by pattern", u"claude-opus-4-7"_s, u"anthropic"_s);
    expectBare("claude pattern ignores case", u"Claude-Opus-4-7"_s, u"anthropic"_s);
    expectBare("claude-2 is a text model", u"claude-2"_s, u"anthropic_text"_s);
    expectBare("claude-instant-1 is a text model", u"claude-instant-1"_s, u"anthropic_text"_s);
    expectBare("claude-2.1 is chat", u"claude-2.1"_s, u"anthropic"_s);
    expectBare("bedrock cross-region", u"us.anthropic.claude-3-5-sonnet-20240620-v1:0"_s,
               u"bedrock"_s);
    expectBare("bedrock eu", u"eu.anthropic.claude-3-5-sonnet-20240620-v1:0"_s, u"bedrock"_s);
    expectBare("bedrock apac", u"apac.amazon.nova-pro-v1:0"_s, u"bedrock"_s);
    expectBare("bedrock anthropic", u"anthropic.claude-3-5-sonnet-20240620-v1:0"_s, u"bedrock"_s);
    expectBare("bedrock claude v2", u"anthropic.claude-v2:1"_s, u"bedrock"_s);
    expectBare("bedrock nova", u"amazon.nova-lite-v1:0"_s, u"bedrock"_s);
    expectBare("bedrock nova micro", u"amazon.nova-micro-v1:0"_s, u"bedrock"_s);
    expectBare("bedrock titan embed", u"amazon.titan-embed-text-v2:0"_s, u"bedrock"_s);
    expectBare("bedrock llama", u"meta.llama3-70b-instruct-v1:0"_s, u"bedrock"_s);
    expectBare("bedrock mistral", u"mistral.mistral-large-2402-v1:0"_s, u"bedrock"_s);
    expectBare("bedrock cohere", u"cohere.command-r-v1:0"_s, u"bedrock"_s);
    expectBare("bedrock ai21", u"ai21.jamba-1-5-large-v1:0"_s, u"bedrock"_s);
    expectBare("bedrock gpt-oss", u"openai.gpt-oss-120b-1:0"_s, u"bedrock"_s);
    expectBare("gemini-1.5-pro is vertex", u"gemini-1.5-pro"_s, u"vertex_ai"_s);
    expectBare("gemini-2.5-pro is vertex", u"gemini-2.5-pro"_s, u"vertex_ai"_s);
    expectBare("gemini-2.0-flash", u"gemini-2.0-flash-001"_s, u"vertex_ai"_s);
    expectBare("gemini-pro", u"gemini-pro"_s, u"vertex_ai"_s);
    expectBare("gemini preview", u"gemini-2.5-flash-lite-preview-06-17"_s, u"vertex_ai"_s);
    expectBare("gemini latest", u"gemini-flash-latest"_s, u"vertex_ai"_s);
    expectBare("gemini embedding", u"gemini-embedding-001"_s, u"vertex_ai"_s);
    expectBare("palm chat", u"chat-bison@002"_s, u"vertex_ai"_s);
    expectBare("vertex embedding", u"text-embedding-004"_s, u"vertex_ai"_s);
    expectBare("vertex gecko", u"textembedding-gecko@003"_s, u"vertex_ai"_s);
    expectBare("vertex image", u"imagegeneration@006"_s, u"vertex_ai"_s);
    expectBare("imagen", u"imagen-3.0-generate-002"_s, u"vertex_ai"_s);
    expectBare("command-r is cohere_chat", u"command-r"_s, u"cohere_chat"_s);
    expectBare("command-r-plus", u"command-r-plus-08-2024"_s, u"cohere_chat"_s);
    expectBare("command-a", u"command-a-03-2025"_s, u"cohere_chat"_s);
    expectBare("command is cohere", u"command"_s, u"cohere"_s);
    expectBare("cohere embed", u"embed-english-v3.0"_s, u"cohere"_s);
    expectBare("cohere rerank", u"rerank-v3.5"_s, u"cohere"_s);
    expectBare("jamba", u"jamba-1.5-large"_s, u"ai21_chat"_s);
    expectBare("j2 also ai21_chat", u"j2-ultra"_s, u"ai21_chat"_s);
    expectBare("aleph alpha", u"luminous-base"_s, u"aleph_alpha"_s);
    expectBare("baseten id", u"q841o8w"_s, u"baseten"_s);
    expectBare("nlp_cloud", u"chatdolphin"_s, u"nlp_cloud"_s);
}

void TstProviderTable::unknownBareNames_data() {
    addColumns();
    expectNone("claude-sonnet alias", u"claude-sonnet"_s);
    expectNone("claude-alias", u"claude-alias"_s);
    expectNone("claude-3", u"claude-3"_s);
    expectNone("claude-3-5-sonnet undated", u"claude-3-5-sonnet"_s);
    expectNone("claude-sonnet-4 single number", u"claude-sonnet-4"_s);
    expectNone("not-on-proxy", u"not-on-proxy"_s);
    expectNone("gpt4", u"gpt4"_s);
    expectNone("my-model", u"my-model"_s);
    expectNone("azure deployment spelling", u"gpt-35-turbo"_s);
    expectNone("open-weight gpt", u"gpt-oss-120b"_s);
    expectNone("deployment alias on a gpt name", u"gpt-4o-global-standard"_s);
    expectNone("team alias on a gpt name", u"gpt-4o-team-a"_s);
    expectNone("alias on a gemini name", u"gemini-1.5-pro-eu-only"_s);
    expectNone("o2", u"o2"_s);
    expectNone("o1 without dash", u"o1x"_s);
    expectNone("gemini alone", u"gemini"_s);
    expectNone("gemini version only", u"gemini-1.5"_s);
    expectNone("bedrock id without version", u"anthropic.claude-3-5-sonnet-20240620"_s);
    expectNone("bedrock-like unknown vendor", u"acme.model-v1:0"_s);
    expectNone("text-embedding unknown", u"text-embedding-999"_s);
    expectNone("command-r typo", u"command-rr"_s);
    // GLP has no bare lookup for Mistral or DeepSeek: only "mistral/..." and "deepseek/..." work.
    expectNone("mistral bare raises", u"mistral-large-latest"_s);
    expectNone("deepseek bare raises", u"deepseek-chat"_s);
    expectNone("llama", u"llama3"_s);
}

void TstProviderTable::hostile_data() {
    addColumns();
    expectNone("empty", QString());
    expectNone("empty string", u""_s);
    expectNone("slash", u"/"_s);
    expectNone("two slashes", u"//"_s);
    expectNone("colon", u":"_s);
    expectNone("space", u" "_s);
    expectNone("leading space", u" gpt-4o"_s);
    expectNone("trailing newline on list name", u"gpt-4o\n"_s);
    expectNone("nul inside", u"gpt-4o"_s + QChar(u'\0'));
    expectMatch("provider with empty model", u"openai/"_s, u"openai"_s, QString());
    expectMatch("provider with slash model", u"openai//x"_s, u"openai"_s, u"/x"_s);
    expectMatch("provider with unicode model", u"openai/gpt-4o\U0001F600"_s, u"openai"_s,
                u"gpt-4o\U0001F600"_s);
    expectNone("unicode prefix", u"\U0001F600/gpt-4o"_s);
    expectNone("accented model", u"gpt-4o\u00e9"_s);
    expectNone("fullwidth model", u"\uff47\uff50\uff54-4o"_s);
    expectNone("cyrillic lookalike", u"g\u0440t-4o"_s);
    // Python's \d and `$` inside LiteLLM's Claude pattern.
    expectBare("claude pattern takes arabic-indic digits", u"claude-opus-\u0664-\u0665"_s,
               u"anthropic"_s);
    expectBare("claude pattern takes a final newline", u"claude-opus-4-1\n"_s, u"anthropic"_s);
    expectNone("claude pattern rejects two newlines", u"claude-opus-4-1\n\n"_s);
    expectNone("very long", QString(100000, u'a'));
    expectNone("very long with slash", QString(50000, u'a') + u"/"_s + QString(50000, u'b'));
    expectMatch("very long model under provider", u"openai/"_s + QString(100000, u'x'), u"openai"_s,
                QString(100000, u'x'));
    expectBare("replicate id counted in code points",
               u"x:"_s + QString(u"\U0001F600"_s).repeated(64), u"replicate"_s);
    expectNone("long colon name without replicate id", QString(70, u'a') + u":b"_s);
    // GLP tries Replicate before Bedrock, so a padded Bedrock id longer than 64 is lost.
    expectNone("long bedrock-like id",
               u"us.anthropic.claude-3-5-sonnet-20240620-with-an-extra-long-suffix-v1:0"_s);
    expectNone("only colons", QString(100, u':'));
}

void TstProviderTable::extras_data() {
    addColumns();
    expectBare("extra bare name", u"my-finetune-x"_s, u"openai"_s);
    expectBare("extra overrides family", u"gpt-4o"_s, u"azure"_s);
    expectBare("extra gives unknown alias a provider", u"claude-sonnet"_s, u"anthropic"_s);
    expectBare("extra with slash and unknown prefix", u"corp/model"_s, u"hosted_vllm"_s);
    expectBare("extra can name mistral models", u"mistral-large-latest"_s, u"mistral"_s);
    expectBare("families still apply", u"gpt-4o-mini"_s, u"openai"_s);
    expectMatch("prefix wins over extra", u"openai/gpt-4o"_s, u"openai"_s, u"gpt-4o"_s);
    expectNone("bare provider name still raises", u"openai"_s);
    expectNone("empty provider ignored", u"empty-x"_s);
    expectNone("extras are exact", u"my-finetune-x-2"_s);
}

void TstProviderTable::extras() {
    const litescope::StringMap extra{
        {u"my-finetune-x"_s, u"openai"_s},
        {u"gpt-4o"_s, u"azure"_s},
        {u"claude-sonnet"_s, u"anthropic"_s},
        {u"corp/model"_s, u"hosted_vllm"_s},
        {u"mistral-large-latest"_s, u"mistral"_s},
        {u"openai/gpt-4o"_s, u"custom"_s},
        {u"openai"_s, u"custom"_s},
        {u"empty-x"_s, QString()},
    };
    compare(ProviderTable(extra));
    // The built-in table knows none of them.
    QVERIFY(!ProviderTable().infer(u"my-finetune-x"_s));
}

void TstProviderTable::knownProviders_data() {
    QTest::addColumn<QString>("provider");
    QTest::addColumn<bool>("known");
    for (const char* p : {"openai",      "azure",          "azure_ai",
                          "anthropic",   "anthropic_text", "bedrock",
                          "vertex_ai",   "vertex_ai_beta", "gemini",
                          "cohere",      "cohere_chat",    "mistral",
                          "groq",        "together_ai",    "hosted_vllm",
                          "ollama",      "ollama_chat",    "openrouter",
                          "huggingface", "sagemaker",      "deepseek",
                          "xai",         "fireworks_ai",   "perplexity",
                          "databricks",  "watsonx",        "text-completion-openai",
                          "nano-gpt",    "veniceai",       "litellm_proxy"})
        QTest::newRow(p) << QString::fromLatin1(p) << true;
    for (const char* p : {"", "OpenAI", "bedrockz", "openaiz", "openai/", " openai", "meta-llama",
                          "bedrock_converse", "claude"})
        QTest::newRow(*p ? p : "empty") << QString::fromLatin1(p) << false;
}

void TstProviderTable::knownProviders() {
    QFETCH(QString, provider);
    QFETCH(bool, known);
    QCOMPARE(ProviderTable().isKnownProvider(provider), known);
}

void TstProviderTable::manyNames() {
    // Workspace loading infers every model name once; thousands of names must stay cheap and the
    // answers must not depend on call order.
    const ProviderTable table;
    int hits = 0;
    for (int i = 0; i < 5000; ++i) {
        const QString suffix = QString::number(1000 + i); // a snapshot-like number
        hits += table.infer(u"gpt-4o-"_s + suffix).has_value();
        hits += table.infer(u"unknown-model-"_s + suffix).has_value();
        hits += table.infer(u"openai/model-"_s + suffix).has_value();
        hits += table.infer(u"vendor/model-"_s + suffix).has_value();
    }
    QCOMPARE(hits, 10000);
    QCOMPARE(table.infer(u"gpt-4o"_s), (ProviderMatch{u"openai"_s, u"gpt-4o"_s}));
}

QTEST_GUILESS_MAIN(TstProviderTable)
#include "tst_providertable.moc"
