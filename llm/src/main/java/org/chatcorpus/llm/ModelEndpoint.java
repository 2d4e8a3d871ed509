package org.chatcorpus.llm;

import java.util.Objects;

/**
 * How to reach one model over OpenAI-compatible chat completions.
 *
 * @param name        the name users, logs and reports see, e.g. "vicuna-13b"
 * @param baseUrl     the API base, e.g. "http://127.0.0.1:8000/v1" (vLLM, Ollama, llama.cpp, OpenAI)
 * @param model       the model id the endpoint expects (defaults to name)
 * @param apiKeyEnv   environment variable holding the API key, or null for none
 * @param temperature sampling temperature; when omitted (null) or negative, 0.7, the default of
 *                    FastChat's web server (gradio_web_server.py's temperature slider), not 0
 * @param maxTokens   answer length cap (1024 when not positive)
 * @param template    the FastChat conversation template the Arena logs this model's state with:
 *                    null (ours, offset 0) or "one_shot"; other callers leave it null
 */
public record ModelEndpoint(String name, String baseUrl, String model, String apiKeyEnv, Double temperature, int maxTokens,
        String template) {
    /** The environment variable a key is read from unless a spec or config names another. */
    public static final String DEFAULT_KEY_ENV = "OPENAI_API_KEY";

    public ModelEndpoint {
        Objects.requireNonNull(name, "model name");
        Objects.requireNonNull(baseUrl, "base_url of model " + name);
        model = model == null || model.isBlank() ? name : model;
        temperature = temperature == null || temperature < 0 ? 0.7 : temperature;
        maxTokens = maxTokens <= 0 ? 1024 : maxTokens;
    }

    /** An endpoint without a conversation template (every caller but the Arena's config). */
    public ModelEndpoint(String name, String baseUrl, String model, String apiKeyEnv, Double temperature, int maxTokens) {
        this(name, baseUrl, model, apiKeyEnv, temperature, maxTokens, null);
    }

    public String apiKey() {
        return apiKeyEnv == null ? null : System.getenv(apiKeyEnv);
    }

    /** The same endpoint with another sampling temperature (judges use 0). */
    public ModelEndpoint withTemperature(double t) {
        return new ModelEndpoint(name, baseUrl, model, apiKeyEnv, t, maxTokens, template);
    }

    /** The same endpoint with another answer length cap. */
    public ModelEndpoint withMaxTokens(int n) {
        return new ModelEndpoint(name, baseUrl, model, apiKeyEnv, temperature, n, template);
    }

    /**
     * A model to answer, as given on the command line: {@code NAME=URL} (NAME is also the model id
     * sent) or {@code NAME=ID@URL} when they differ. The key comes from {@code OPENAI_API_KEY}.
     *
     * @throws IllegalArgumentException with a message for people when the spec has another shape
     */
    public static ModelEndpoint parseModel(String spec) {
        int eq = spec == null ? -1 : spec.indexOf('=');
        if (eq <= 0 || eq == spec.length() - 1) {
            throw new IllegalArgumentException("model '" + spec + "' should be NAME=URL or NAME=ID@URL, e.g. vicuna-13b=http://127.0.0.1:8000/v1");
        }
        String name = spec.substring(0, eq);
        String rest = spec.substring(eq + 1);
        String id = name;
        int at = idSeparator(rest);
        if (at > 0) {
            id = rest.substring(0, at);
            rest = rest.substring(at + 1);
        }
        return new ModelEndpoint(name, checkedUrl(rest, spec), id, DEFAULT_KEY_ENV, -1.0, 0);
    }

    /**
     * A judge or moderator model: {@code MODEL@URL}, MODEL being the model id sent and the name
     * reports use. The key comes from {@code keyEnv} (OPENAI_API_KEY when null).
     */
    public static ModelEndpoint parseJudge(String spec, String keyEnv) {
        int at = spec == null ? -1 : idSeparator(spec);
        if (at <= 0 || at == spec.length() - 1) {
            throw new IllegalArgumentException("judge '" + spec + "' should be MODEL@URL, e.g. gpt-4@https://api.openai.com/v1");
        }
        String id = spec.substring(0, at);
        return new ModelEndpoint(id, checkedUrl(spec.substring(at + 1), spec), id,
                keyEnv == null ? DEFAULT_KEY_ENV : keyEnv, 0.0, 2048);
    }

    /** The '@' before the URL: the last one before "://" (an id may not hold "://", a URL may hold '@' in userinfo only after it). */
    private static int idSeparator(String s) {
        int scheme = s.indexOf("://");
        String head = scheme < 0 ? s : s.substring(0, scheme);
        return head.lastIndexOf('@');
    }

    private static String checkedUrl(String url, String spec) {
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new IllegalArgumentException("in '" + spec + "': '" + url + "' is not an http:// or https:// API base such as http://127.0.0.1:8000/v1");
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
