package org.chatcorpus.usecases.judge.hardprompts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.text.Utf16;
import org.chatcorpus.llm.ModelCalls;
import org.chatcorpus.llm.ModelEndpoint;
import org.chatcorpus.report.TopicAssignments;
import org.chatcorpus.usecases.judge.JudgeClient;
import org.chatcorpus.usecases.judge.JudgePrompt;
import org.chatcorpus.usecases.judge.JudgePrompts;
import org.chatcorpus.usecases.judge.JudgeReplies;
import org.chatcorpus.usecases.judge.Judgment;

/**
 * Challenging prompts, as the LMSYS-Chat-1M paper (section 4.4) and Arena-Hard choose them: every
 * distinct first user prompt (compared after trimming, collapsing whitespace and lower-casing) is
 * scored by each judge, with the paper's 1–10 rubric or as the number of Arena-Hard's seven criteria
 * it meets; the prompts every judge scores at or above the threshold are kept, optionally the K
 * best per topic cluster of a report's {@code topics.parquet} (category {@code cluster-N}; with a cap,
 * prompts the report did not sample are left out and counted). Writes {@code question.jsonl} in
 * MT-bench's question format (so mt-bench can run on it), {@code scores.parquet} with every score,
 * and {@code errors.jsonl} with the judgments that gave no score.
 */
public final class HardPrompts {
    /** How prompts are scored, and the default threshold of each. */
    public enum Criteria {
        PAPER(JudgePrompts.PROMPT_SCORE_PAPER, 9, r -> JudgeReplies.scoreValue(r, 1, 10)),
        ARENA_HARD(JudgePrompts.PROMPT_CRITERIA_ARENA_HARD, 6, JudgeReplies::criteriaMet);

        final String prompt;
        final double defaultThreshold;
        final Function<String, java.util.Optional<Double>> reader;

        Criteria(String prompt, double defaultThreshold, Function<String, java.util.Optional<Double>> reader) {
            this.prompt = prompt;
            this.defaultThreshold = defaultThreshold;
            this.reader = reader;
        }

        public double defaultThreshold() {
            return defaultThreshold;
        }
    }

    /**
     * @param threshold  minimum score from every judge; null for the criteria's default (9 of 10, 6 of 7)
     * @param perCluster keep at most this many per topic cluster (0: no cap); needs {@code topics}
     * @param topics     a report's topics.parquet, or null
     */
    public record Options(List<String> inputs, List<ModelEndpoint> judges, Path out, Double threshold, int perCluster,
                          Path topics, Criteria criteria) {
        public Options {
            inputs = List.copyOf(inputs);
            judges = List.copyOf(judges);
            if (judges.isEmpty()) {
                throw new IllegalArgumentException("give at least one --judge MODEL@URL");
            }
            if (judges.stream().map(ModelEndpoint::name).distinct().count() != judges.size()) {
                throw new IllegalArgumentException("two --judge options name the same model; each judge must differ");
            }
            if (perCluster < 0) {
                throw new IllegalArgumentException("--per-cluster must be 0 or more");
            }
            if (perCluster > 0 && topics == null) {
                throw new IllegalArgumentException("--per-cluster needs --topics REPORT_DIR/topics.parquet (run `chatcorpus report --topics K` first)");
            }
        }

        double effectiveThreshold() {
            return threshold != null ? threshold : criteria.defaultThreshold;
        }
    }

    /** Counts of a run. */
    public record Result(long conversations, int prompts, int scores, int errors, int passed, int kept, int unclustered) {
    }

    /** A prompt longer than this is cut before a judge sees it (the rest says little about difficulty, and costs). */
    static final int MAX_PROMPT_CHARS = 16_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Prompt(String conversationId, String text) {
    }

    private record Job(Prompt prompt, ModelEndpoint judge) {
    }

    private HardPrompts() {
    }

    public static Result run(Options o, JudgeClient client, Quarantine quarantine) throws IOException {
        List<Conversation> conversations = new DatasetReader(o.inputs(), null).readAll(quarantine);
        List<Prompt> prompts = distinctFirstPrompts(conversations);
        Files.createDirectories(o.out());
        List<Job> jobs = new ArrayList<>();
        for (Prompt p : prompts) {
            for (ModelEndpoint j : o.judges()) {
                jobs.add(new Job(p, j));
            }
        }
        JudgePrompt prompt = JudgePrompts.get(o.criteria().prompt);
        List<ModelCalls.Outcome<Judgment<Double>>> outcomes = client.map(jobs, "scoring prompts", job ->
                client.judge(job.judge(), prompt, Map.of("prompt", cut(job.prompt().text())), o.criteria().reader));

        List<ScoresParquet.Row> rows = new ArrayList<>();
        List<ObjectNode> errors = new ArrayList<>();
        Map<String, Map<String, Double>> byPrompt = new HashMap<>();
        for (int i = 0; i < jobs.size(); i++) {
            Job job = jobs.get(i);
            ModelCalls.Outcome<Judgment<Double>> out = outcomes.get(i);
            String error = out.ok() ? out.value().error() : out.error();
            if (error == null) {
                double score = out.value().value();
                rows.add(new ScoresParquet.Row(job.prompt().conversationId(), job.prompt().text(), job.judge().name(), score));
                byPrompt.computeIfAbsent(job.prompt().conversationId(), k -> new HashMap<>()).put(job.judge().name(), score);
            } else {
                ObjectNode e = JSON.createObjectNode();
                e.put("conversation_id", job.prompt().conversationId());
                e.put("judge", job.judge().name());
                e.put("error", error);
                errors.add(e);
            }
        }
        rows.sort(Comparator.comparing(ScoresParquet.Row::conversationId).thenComparing(ScoresParquet.Row::judge));
        ScoresParquet.write(o.out().resolve("scores.parquet"), rows);
        writeLines(o.out().resolve("errors.jsonl"), errors);

        // Kept: every judge gave a score at or above the threshold (a judge that gave none does not pass).
        List<Prompt> passed = new ArrayList<>();
        Map<String, Double> mean = new HashMap<>();
        for (Prompt p : prompts) {
            Map<String, Double> s = byPrompt.getOrDefault(p.conversationId(), Map.of());
            if (s.size() == o.judges().size() && s.values().stream().allMatch(v -> v >= o.effectiveThreshold())) {
                passed.add(p);
                mean.put(p.conversationId(), s.values().stream().mapToDouble(Double::doubleValue).average().orElse(0));
            }
        }
        Comparator<Prompt> best = Comparator.comparingDouble((Prompt p) -> -mean.get(p.conversationId())).thenComparing(Prompt::conversationId);
        List<Map.Entry<String, Prompt>> kept = new ArrayList<>();
        int unclustered = 0;
        if (o.topics() != null) {
            Map<String, Integer> clusterOf = clusters(o.topics());
            Map<Integer, List<Prompt>> groups = new TreeMap<>();
            for (Prompt p : passed) {
                Integer c = clusterOf.get(p.conversationId());
                if (c == null) {
                    // The report samples prompts: one it did not cluster can only be kept when clusters are not capped.
                    unclustered++;
                    if (o.perCluster() == 0) {
                        groups.computeIfAbsent(-1, k -> new ArrayList<>()).add(p);
                    }
                } else {
                    groups.computeIfAbsent(c, k -> new ArrayList<>()).add(p);
                }
            }
            for (Map.Entry<Integer, List<Prompt>> g : groups.entrySet()) {
                List<Prompt> ps = new ArrayList<>(g.getValue());
                ps.sort(best);
                int k = o.perCluster() > 0 ? Math.min(o.perCluster(), ps.size()) : ps.size();
                String category = g.getKey() < 0 ? "hard-prompt" : "cluster-" + g.getKey();
                ps.subList(0, k).forEach(p -> kept.add(Map.entry(category, p)));
            }
        } else {
            passed.stream().sorted(best).forEach(p -> kept.add(Map.entry("hard-prompt", p)));
        }
        List<ObjectNode> questions = new ArrayList<>();
        for (int i = 0; i < kept.size(); i++) {
            ObjectNode q = JSON.createObjectNode();
            q.put("question_id", i + 1);
            q.put("category", kept.get(i).getKey());
            q.putArray("turns").add(kept.get(i).getValue().text());
            questions.add(q);
        }
        writeLines(o.out().resolve("question.jsonl"), questions);
        return new Result(conversations.size(), prompts.size(), rows.size(), errors.size(), passed.size(), kept.size(), unclustered);
    }

    /** The first occurrence of each distinct first user prompt, in input order; empty prompts are skipped. */
    private static List<Prompt> distinctFirstPrompts(List<Conversation> conversations) {
        Map<String, Prompt> seen = new LinkedHashMap<>();
        for (Conversation c : conversations) {
            String text = c.firstPrompt();
            String key = normalize(text);
            if (!key.isEmpty()) {
                seen.putIfAbsent(key, new Prompt(c.conversationId(), text));
            }
        }
        return new ArrayList<>(seen.values());
    }

    static String normalize(String prompt) {
        return prompt.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    private static String cut(String prompt) {
        return prompt.length() <= MAX_PROMPT_CHARS ? prompt : prompt.substring(0, MAX_PROMPT_CHARS) + "\n[…]";
    }

    /** Each conversation's cluster: that of its earliest sampled message (the first prompt when it was sampled). */
    private static Map<String, Integer> clusters(Path topics) throws IOException {
        Map<String, TopicAssignments.Row> first = new HashMap<>();
        for (TopicAssignments.Row r : TopicAssignments.read(topics)) {
            first.merge(r.conversationId(), r, (a, b) -> a.messageIndex() <= b.messageIndex() ? a : b);
        }
        Map<String, Integer> out = new HashMap<>();
        first.forEach((id, r) -> out.put(id, r.cluster()));
        return out;
    }

    private static void writeLines(Path file, List<ObjectNode> lines) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (ObjectNode n : lines) {
                w.write(Utf16.scrub(JSON.writeValueAsString(n)));
                w.write('\n');
            }
        }
    }
}
