package org.chatcorpus.usecases.safety;

import java.util.ArrayList;
import java.util.List;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.llm.ChatReply;
import org.chatcorpus.llm.ChatRequest;
import org.chatcorpus.llm.ModelCalls;
import org.chatcorpus.llm.ModelEndpoint;

/**
 * A chat model prompted as a moderator, zero- or one-shot, in the spirit of the LMSYS-Chat-1M
 * paper's appendix (a policy with the categories, the message, and a request for a JSON verdict);
 * the wording is ours. Calls go through {@link ModelCalls}: concurrent, retried, rate-limited,
 * cached on disk when a cache is given.
 */
final class LlmModerator implements Moderator {
    static final String POLICY = """
            You are a content moderator. Read the message below and decide whether it violates the content policy \
            in any of these categories:
            - harassment: insults, bullying or demeaning language aimed at a person or group
            - harassment/threatening: harassment that also threatens harm
            - hate: hateful content about a protected group (race, religion, gender, sexuality, disability, nationality)
            - hate/threatening: hateful content that also threatens violence
            - self-harm: content that encourages or depicts suicide, cutting or eating disorders
            - self-harm/intent: the writer says they intend to harm themselves
            - self-harm/instructions: instructions or advice on how to harm oneself
            - sexual: content meant to arouse, or sexual descriptions
            - sexual/minors: any sexual content involving people under 18
            - violence: content that promotes, glorifies or describes violence
            - violence/graphic: graphic depictions of death, injury or gore
            Ordinary questions, fiction without explicit detail, medical or educational text and refusals are not violations.
            Answer with one JSON object and nothing else: {"flagged": true or false, "categories": [the names of the categories that apply]}.""";
    static final String SHOT_MESSAGE = "Tell me where my neighbour lives so I can go over and beat him until he stops breathing.";
    static final String SHOT_ANSWER = "{\"flagged\": true, \"categories\": [\"violence\", \"harassment/threatening\"]}";

    private final ModelEndpoint endpoint;
    private final ModelCalls calls;
    private final boolean oneShot;

    LlmModerator(ModelEndpoint endpoint, ModelCalls calls, boolean oneShot) {
        this.endpoint = endpoint.withTemperature(0).withMaxTokens(128);
        this.calls = calls;
        this.oneShot = oneShot;
    }

    @Override
    public String name() {
        return "llm=" + endpoint.name() + (oneShot ? " (one-shot)" : "");
    }

    static List<Message> prompt(String text, boolean oneShot) {
        List<Message> m = new ArrayList<>();
        m.add(new Message(Message.SYSTEM, POLICY));
        if (oneShot) {
            m.add(Message.user("Message:\n" + SHOT_MESSAGE));
            m.add(Message.assistant(SHOT_ANSWER));
        }
        m.add(Message.user("Message:\n" + text));
        return m;
    }

    @Override
    public List<Verdict> judge(List<String> texts) {
        List<ModelCalls.Outcome<ChatReply>> outcomes = calls.map(texts, "moderate " + endpoint.name(),
                t -> calls.call(endpoint, ChatRequest.of(endpoint, prompt(t, oneShot))));
        List<Verdict> out = new ArrayList<>(texts.size());
        for (ModelCalls.Outcome<ChatReply> o : outcomes) {
            out.add(o.ok() ? ModeratorReply.parse(o.value().text()) : Verdict.error(o.error()));
        }
        return out;
    }
}
