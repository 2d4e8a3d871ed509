package org.chatcorpus.usecases.judge.instruct;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.InputFiles;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.io.Readers;
import org.chatcorpus.core.io.json.FastChatLogReader;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.core.text.Utf16;
import org.chatcorpus.pipeline.language.FastTextLanguageId;
import org.chatcorpus.pipeline.language.LanguageStage;

/**
 * Instruction-tuning subsets of the LMSYS-Chat-1M paper (section 4.3): HighQuality, the
 * conversations answered by strong models (by default, as the paper, the OpenAI and Anthropic
 * models present: names starting with "gpt-" or "claude"), and Upvote, the conversations whose
 * answer won an Arena vote (FastChat logs: the voted state of upvote events and the winning side of
 * leftvote/rightvote events, read by core's FastChat log reader; the last state of a conversation
 * wins). Then: conversations without an answer are dropped, an optional language filter, and exact
 * duplicates (same messages) are dropped. Written as ShareGPT JSON ({@code train.json}, FastChat's
 * trainer) or OpenAI chat JSONL ({@code train.jsonl}, HF TRL and fine-tuning APIs), with
 * {@code manifest.json}.
 */
public final class InstructExport {
    public enum Subset { HIGHQUALITY, UPVOTE }

    public enum Format { SHAREGPT, OPENAI }

    /**
     * @param models   HighQuality's models (null: the OpenAI and Anthropic models present)
     * @param language keep only this language (English name, as the dataset's language column); null for all
     */
    public record Options(List<String> inputs, Subset subset, Path out, Format format, List<String> models, String language, boolean dedup) {
        public Options {
            inputs = List.copyOf(inputs);
            models = models == null ? null : List.copyOf(models);
        }
    }

    /** What was exported and what was dropped, by reason. */
    public record Result(long read, long exported, Map<String, Long> models, Map<String, Long> dropped, Path file) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private InstructExport() {
    }

    public static Result run(Options o, Quarantine quarantine) throws IOException {
        List<Conversation> candidates = o.subset() == Subset.UPVOTE ? upvoted(o.inputs(), quarantine)
                : new DatasetReader(o.inputs(), null).readAll(quarantine);
        long read = candidates.size();
        Map<String, Long> dropped = new TreeMap<>();
        if (o.subset() == Subset.HIGHQUALITY) {
            Predicate<String> strong = o.models() != null ? Set.copyOf(o.models())::contains : InstructExport::openAiOrAnthropic;
            candidates = keep(candidates, c -> strong.test(c.model()), "not_a_listed_model", dropped);
        }
        candidates = keep(candidates, InstructExport::hasAnswer, "no_answer", dropped);
        if (o.language() != null) {
            candidates = keep(candidates, c -> o.language().equalsIgnoreCase(languageOf(c)), "language", dropped);
        }
        if (o.dedup()) {
            Set<List<Message>> seen = new HashSet<>();
            candidates = keep(candidates, c -> seen.add(c.conversation()), "duplicate", dropped);
        }
        Map<String, Long> models = new TreeMap<>();
        candidates.forEach(c -> models.merge(c.model(), 1L, Long::sum));
        Files.createDirectories(o.out());
        Path file = o.format() == Format.SHAREGPT ? writeShareGpt(o.out().resolve("train.json"), candidates)
                : writeOpenAi(o.out().resolve("train.jsonl"), candidates);
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("subset", o.subset().name().toLowerCase(Locale.ROOT));
        manifest.put("conversations", candidates.size());
        ObjectNode m = manifest.putObject("models");
        models.forEach((k, v) -> m.put(Utf16.scrub(k), v));
        Files.writeString(o.out().resolve("manifest.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(manifest) + "\n");
        return new Result(read, candidates.size(), models, dropped, file);
    }

    /** The paper's default HighQuality models: OpenAI's GPT and Anthropic's Claude models. */
    static boolean openAiOrAnthropic(String model) {
        String m = model.toLowerCase(Locale.ROOT);
        return m.startsWith("gpt-") || m.startsWith("claude");
    }

    private static boolean hasAnswer(Conversation c) {
        return c.conversation().stream().anyMatch(Message::isUser) && c.conversation().stream().anyMatch(x -> x.isAssistant() && !x.content().isBlank());
    }

    private static String languageOf(Conversation c) {
        return c.language().isEmpty() ? FastTextLanguageId.detect(c.firstPrompt(), LanguageStage.DEFAULT_MIN_CONFIDENCE) : c.language();
    }

    private static List<Conversation> keep(List<Conversation> in, Predicate<Conversation> test, String reason, Map<String, Long> dropped) {
        List<Conversation> out = new ArrayList<>(in.size());
        for (Conversation c : in) {
            if (test.test(c)) {
                out.add(c);
            } else {
                dropped.merge(reason, 1L, Long::sum);
            }
        }
        return out;
    }

    /**
     * The conversations users voted for, from FastChat logs. A conversation voted several times is
     * kept once, with its latest state; order is by time, then id, so the output does not depend on
     * which vote came first in the files.
     */
    static List<Conversation> upvoted(List<String> inputs, Quarantine quarantine) throws IOException {
        List<Path> files = InputFiles.expand(inputs);
        for (Readers.Group g : Readers.group(files, null, quarantine)) {
            if (!g.reader().format().equals("fastchat-log")) {
                throw new IllegalArgumentException("--subset upvote reads votes from FastChat logs (*-conv.json); "
                        + g.files().get(0) + " is " + g.reader().format());
            }
        }
        Map<String, Conversation> latest = new HashMap<>();
        // One pass per vote type; lines that are not JSON would be reported by each pass, so only the first reports them.
        Quarantine once = new FirstReportOnly(quarantine);
        for (String type : List.of("upvote", "leftvote", "rightvote")) {
            for (Conversation c : new FastChatLogReader(type).clean(files, once).conversations()) {
                latest.merge(c.conversationId(), c, (a, b) -> time(b) >= time(a) ? b : a);
            }
        }
        List<Conversation> out = new ArrayList<>(latest.values());
        out.sort(Comparator.comparingDouble(InstructExport::time).thenComparing(Conversation::conversationId));
        return out;
    }

    private static double time(Conversation c) {
        return c.tstamp() == null ? 0 : c.tstamp();
    }

    /** Passes each (file, location, reason) on once. */
    private static final class FirstReportOnly implements Quarantine {
        private final Quarantine target;
        private final Set<String> seen = new HashSet<>();

        FirstReportOnly(Quarantine target) {
            this.target = target;
        }

        @Override
        public synchronized void reject(org.chatcorpus.core.io.QuarantinedRecord r) {
            if (seen.add(r.source() + "\0" + r.location() + "\0" + r.reason())) {
                target.reject(r);
            }
        }

        @Override
        public long count() {
            return target.count();
        }
    }

    private static Path writeShareGpt(Path file, List<Conversation> conversations) throws IOException {
        try (OutputStream os = Files.newOutputStream(file); JsonGenerator g = JSON.getFactory().createGenerator(os)) {
            g.useDefaultPrettyPrinter();
            g.writeStartArray();
            for (Conversation c : conversations) {
                g.writeStartObject();
                g.writeStringField("id", Utf16.scrub(c.conversationId()));
                g.writeStringField("model", Utf16.scrub(c.model()));
                g.writeArrayFieldStart("conversations");
                for (Message m : c.conversation()) {
                    g.writeStartObject();
                    g.writeStringField("from", m.isUser() ? "human" : m.isAssistant() ? "gpt" : m.role());
                    g.writeStringField("value", Utf16.scrub(m.content()));
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeRaw('\n');
        }
        return file;
    }

    private static Path writeOpenAi(Path file, List<Conversation> conversations) throws IOException {
        try (OutputStream os = Files.newOutputStream(file)) {
            for (Conversation c : conversations) {
                ObjectNode line = JSON.createObjectNode();
                var msgs = line.putArray("messages");
                for (Message m : c.conversation()) {
                    msgs.addObject().put("role", m.role()).put("content", Utf16.scrub(m.content()));
                }
                os.write(JSON.writeValueAsBytes(line));
                os.write('\n');
            }
        }
        return file;
    }
}
