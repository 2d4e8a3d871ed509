package org.chatcorpus.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.chatcorpus.core.text.Utf16;

/**
 * OpenAI's moderation endpoint ({@code POST {base}/moderations} with {@code {"model", "input": [texts]}})
 * over the same HTTP client, retries and error texts as chat completions ({@link ChatClient}). It
 * returns each input's {@code results[i]} object as sent; what the categories mean is the caller's.
 */
public final class ModerationClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ChatClient client;

    /** @param client whose HTTP client, timeout and retry policy the calls use */
    public ModerationClient(ChatClient client) {
        this.client = client;
    }

    /**
     * Moderates a batch of texts in one request.
     *
     * @param baseUrl the API base, e.g. https://api.openai.com/v1
     * @param apiKey  sent as a bearer token (a value, not a variable name), or null
     * @return one result object per input, in input order
     * @throws ModelError if the call failed after the client's retries, or the answer has not one result per input
     */
    public List<JsonNode> moderate(String baseUrl, String apiKey, String model, List<String> inputs) throws ModelError {
        ModelEndpoint endpoint = new ModelEndpoint(model, baseUrl, model, null, 0.0, 0);
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model);
        ArrayNode in = body.putArray("input");
        inputs.forEach(t -> in.add(Utf16.scrub(t)));
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
        return client.postJson(endpoint, "/moderations", apiKey, bytes, answer -> results(endpoint, answer, inputs.size()));
    }

    private static List<JsonNode> results(ModelEndpoint endpoint, byte[] answer, int expected) throws ModelError {
        JsonNode results;
        try {
            results = JSON.readTree(answer).path("results");
        } catch (IOException e) {
            throw new ModelError("moderation model " + endpoint.name() + " answered with a body that is not JSON", 200, true, e);
        }
        if (!results.isArray() || results.size() != expected) {
            throw new ModelError("moderation model " + endpoint.name() + " returned " + results.size() + " results for "
                    + expected + " inputs", 200, false, null);
        }
        List<JsonNode> out = new ArrayList<>(expected);
        results.forEach(out::add);
        return out;
    }
}
