package org.chatcorpus.server.arena;

import java.util.Objects;

/**
 * How to reach one model over OpenAI-compatible chat completions.
 *
 * @param name        the name users and logs see, e.g. "vicuna-13b"
 * @param baseUrl     e.g. "http://127.0.0.1:8000/v1" (vLLM, Ollama, llama.cpp server, OpenAI)
 * @param model       the model id the endpoint expects (defaults to name)
 * @param apiKeyEnv   environment variable holding the API key, or null for none
 * @param temperature sampling temperature; when omitted, 0.7, the default of FastChat's web server
 *                    (gradio_web_server.py's temperature slider), not 0
 * @param maxTokens   answer length cap
 * @param template    the FastChat conversation template whose state is logged: null (ours, offset 0) or "one_shot"
 */
public record ModelEndpoint(String name, String baseUrl, String model, String apiKeyEnv, Double temperature, int maxTokens,
        String template) {
    public ModelEndpoint(String name, String baseUrl, String model, String apiKeyEnv, Double temperature, int maxTokens) {
        this(name, baseUrl, model, apiKeyEnv, temperature, maxTokens, null);
    }

    public ModelEndpoint {
        ConversationTemplate.named(template); // fails early, naming the template, when it is unknown
        Objects.requireNonNull(name, "model name");
        Objects.requireNonNull(baseUrl, "base_url of model " + name);
        model = model == null || model.isBlank() ? name : model;
        temperature = temperature == null || temperature < 0 ? 0.7 : temperature;
        maxTokens = maxTokens <= 0 ? 1024 : maxTokens;
    }

    public ConversationTemplate conversationTemplate() {
        return ConversationTemplate.named(template);
    }

    public String apiKey() {
        return apiKeyEnv == null ? null : System.getenv(apiKeyEnv);
    }
}
