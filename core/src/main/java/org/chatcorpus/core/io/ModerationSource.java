package org.chatcorpus.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who filled a release's {@code openai_moderation} column, as its {@code provenance.json} records
 * it ({@code tools.moderation}, written by curate's moderation stage), in the words the report's and
 * the explorer's safety views show: "moderation by local model m.model (flagged F1 0.912, 5-fold,
 * trained on labeled.jsonl)" when a local model tagged it, else "OpenAI moderation" (the endpoint,
 * or tags that came with the data). A release tagged by a local model must never pass for one
 * tagged by OpenAI just because the column keeps OpenAI's name.
 *
 * <p>The provenance is looked for beside each input file and one folder up (a release's
 * {@code data/train-*.parquet}). Several inputs with different sources give every label, sorted.
 */
public record ModerationSource(String label, String detail, boolean local) {
    public static final String OPENAI = "OpenAI moderation";
    private static final Pattern LOCAL = Pattern.compile("local model (.+?) sha256=[0-9a-fA-F]+: (.*)", Pattern.DOTALL);
    private static final Pattern F1 = Pattern.compile("flagged F1 ([0-9.]+) \\(([^)]*)\\)");
    private static final Pattern TRAINED_ON = Pattern.compile(" trained on (.+?)(?:;|$)");

    /** Tags that came with the data or from OpenAI's endpoint. */
    public static ModerationSource openAi(String detail) {
        return new ModerationSource(OPENAI, detail, false);
    }

    /** The source of the inputs' tags; "OpenAI moderation" when no provenance names a local model. */
    public static ModerationSource of(List<String> inputs) {
        Set<Path> provenances = new TreeSet<>();
        try {
            for (Path f : InputFiles.expand(inputs)) {
                Path dir = f.toAbsolutePath().getParent();
                for (int up = 0; up < 2 && dir != null; up++, dir = dir.getParent()) {
                    if (Files.isRegularFile(dir.resolve("provenance.json"))) {
                        provenances.add(dir.resolve("provenance.json"));
                        break;
                    }
                }
            }
        } catch (IOException e) {
            return openAi("the inputs' own openai_moderation tags (no provenance.json found)");
        }
        Set<ModerationSource> found = new LinkedHashSet<>();
        for (Path p : provenances) {
            found.add(fromProvenance(p));
        }
        if (found.isEmpty()) {
            return openAi("the inputs' own openai_moderation tags (no provenance.json found)");
        }
        if (found.size() == 1) {
            return found.iterator().next();
        }
        Set<String> labels = new TreeSet<>();
        Set<String> details = new TreeSet<>();
        boolean local = false;
        for (ModerationSource s : found) {
            labels.add(s.label());
            details.add(s.detail());
            local |= s.local();
        }
        return new ModerationSource(String.join("; ", labels), String.join("; ", details), local);
    }

    /** The source a release's provenance.json records; an unreadable file counts as no record. */
    public static ModerationSource fromProvenance(Path provenance) {
        JsonNode tools;
        try {
            tools = new ObjectMapper().readTree(provenance.toFile()).path("tools");
        } catch (IOException e) {
            return openAi("the inputs' own openai_moderation tags (" + provenance.getFileName() + " unreadable)");
        }
        String tool = tools.path("moderation").asText("");
        if (tool.startsWith("local model")) {
            return new ModerationSource(localLabel(tool), tool, true);
        }
        if (!tool.isEmpty()) {
            return openAi(tool);
        }
        return openAi("the inputs' own openai_moderation tags (curate added none)");
    }

    /**
     * "moderation by local model NAME (flagged F1 x, how, trained on FILES)" from curate's record
     * "local model NAME sha256=…: KIND trained on FILES; flagged F1 x (how)"; the record as it is when
     * it reads otherwise.
     */
    static String localLabel(String tool) {
        Matcher m = LOCAL.matcher(tool);
        if (!m.matches()) {
            return "moderation by " + tool;
        }
        String describe = m.group(2);
        StringBuilder facts = new StringBuilder();
        Matcher f1 = F1.matcher(describe);
        if (f1.find()) {
            facts.append("flagged F1 ").append(f1.group(1)).append(", ").append(f1.group(2));
        }
        Matcher on = TRAINED_ON.matcher(describe);
        if (on.find()) {
            facts.append(facts.length() == 0 ? "" : ", ").append("trained on ").append(on.group(1).strip());
        }
        return "moderation by local model " + m.group(1) + (facts.length() == 0 ? "" : " (" + facts + ")");
    }
}
