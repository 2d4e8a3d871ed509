package org.chatcorpus.bench.moderation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.llm.ChatClient;
import org.chatcorpus.llm.ModelCalls;
import org.chatcorpus.pipeline.moderation.EmbeddingModerationTrainer;
import org.chatcorpus.pipeline.moderation.LabeledText;
import org.chatcorpus.pipeline.moderation.LocalModerator;
import org.chatcorpus.pipeline.moderation.ModerationTrainer;
import org.chatcorpus.pipeline.moderation.TrainingData;
import org.chatcorpus.usecases.safety.Moderator;
import org.chatcorpus.usecases.safety.Moderators;

/**
 * The moderators side by side on OpenAI's moderation samples: flagged F1 from 5-fold cross-validation
 * on the same folds (n-gram, static-embedding and transformer-embedding models), conversations
 * flagged among MT-bench's 80 questions and the 500 ShareGPT conversations beside the samples (none
 * of which any model or threshold saw), and messages per second judging all samples on
 * two threads (the models as curate runs them: one batch per thread), over the samples (a third
 * toxic, long) and over the ShareGPT messages (ordinary chat), plus an LLM moderator through
 * a loopback endpoint that answers at once (so the figure is our client's cost, not a model's).
 *
 * <p>Usage: bench/run.sh org.chatcorpus.bench.moderation.ModeratorsBench ../shared/data/openai-moderation-dev.jsonl.gz
 */
public final class ModeratorsBench {
    private ModeratorsBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dev = Path.of(args[0]);
        List<LabeledText> data = TrainingData.read(dev, Quarantine.counting());
        List<String> texts = data.stream().map(LabeledText::text).toList();
        System.out.printf(Locale.ROOT, "%,d samples from %s; load average at start %s%n", data.size(), dev,
                Files.readString(Path.of("/proc/loadavg")).strip());

        List<List<String>> mtBench = mtBench(dev.resolveSibling("mt-bench-questions.jsonl"));
        List<List<String>> shareGpt = shareGpt(dev.resolveSibling("fastchat-dummy-conversation.json"));
        Path dir = Files.createTempDirectory("moderators-bench");
        Path ngram = dir.resolve("ngram.model");
        ModerationTrainer.train(List.of(dev), 0.2, 42, Quarantine.counting()).model().save(ngram);
        List<String> rows = new ArrayList<>();
        rows.add(row("n-gram (5-fold)", ModerationTrainer.crossValidate(data, 42), LocalModerator.load(ngram), texts, mtBench, shareGpt));
        record Variant(String name, String embedder, boolean secondOpinion) {
        }
        for (Variant v : List.of(new Variant("static screen alone", "static", false), new Variant("static + MiniLM 2nd opinion", "static", true),
                new Variant("MiniLM int8 on all", "minilm-q", false))) {
            // The saved model carries its own 5-fold metrics, computed on the same folds as the n-gram model's.
            Path emb = dir.resolve(v.embedder() + v.secondOpinion() + ".model");
            EmbeddingModerationTrainer.Result r = EmbeddingModerationTrainer.train(List.of(dev), v.embedder(), v.secondOpinion(), 42, Quarantine.counting());
            r.model().save(emb);
            rows.add(row(v.name(), r.cvMetrics(), LocalModerator.load(emb), texts, mtBench, shareGpt));
        }
        System.out.printf(Locale.ROOT, "%-30s %9s %9s %9s %8s %9s %12s %12s%n", "moderator (5-fold)", "precision", "recall", "flag F1", "MT-bench",
                "ShareGPT", "msg/s (dev)", "msg/s (chat)");
        rows.forEach(System.out::println);

        HttpServer judge = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        judge.setExecutor(Executors.newFixedThreadPool(8));
        byte[] reply = "{\"choices\":[{\"index\":0,\"finish_reason\":\"stop\",\"message\":{\"role\":\"assistant\",\"content\":\"{\\\"flagged\\\": false, \\\"categories\\\": []}\"}}]}"
                .getBytes(StandardCharsets.UTF_8);
        judge.createContext("/v1/chat/completions", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, reply.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(reply);
            }
        });
        judge.start();
        try (ModelCalls calls = new ModelCalls(ChatClient.forBatch(), null, 8, 0)) {
            Moderator llm = Moderators.open("llm=judge@http://127.0.0.1:" + judge.getAddress().getPort() + "/v1", false, System.getenv(), calls);
            long t0 = System.nanoTime();
            llm.judge(texts);
            double llmRate = texts.size() / ((System.nanoTime() - t0) / 1e9);
            System.out.printf(Locale.ROOT, "%-34s %9s %9s %9s %12.0f%n", "LLM via loopback (8 in flight)", "–", "–", "–", llmRate);
        } finally {
            judge.stop(0);
        }
    }

    /** One table row: cross-validated flagged P/R/F1, conversations flagged (any message) of each ordinary set, messages/s. */
    private static String row(String name, ObjectNode cv, LocalModerator model, List<String> texts, List<List<String>> mtBench,
            List<List<String>> shareGpt) throws Exception {
        var f = cv.get("flagged");
        double rate = rate(model::moderate, texts);
        List<String> chat = new ArrayList<>();
        shareGpt.forEach(chat::addAll);
        double chatRate = rate(model::moderate, chat);
        return String.format(Locale.ROOT, "%-30s %9.3f %9.3f %9.3f %8s %9s %12.0f %12.0f", name, f.get("precision").asDouble(),
                f.get("recall").asDouble(), f.get("f1").asDouble(), flagged(model, mtBench) + "/" + mtBench.size(),
                flagged(model, shareGpt) + "/" + shareGpt.size(), rate, chatRate);
    }

    private static int flagged(LocalModerator model, List<List<String>> conversations) {
        int n = 0;
        for (List<String> c : conversations) {
            n += model.moderate(c).stream().anyMatch(org.chatcorpus.core.model.Moderation::flagged) ? 1 : 0;
        }
        return n;
    }

    private static List<List<String>> mtBench(Path file) throws java.io.IOException {
        List<List<String>> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            List<String> turns = new ArrayList<>();
            new ObjectMapper().readTree(line).get("turns").forEach(t -> turns.add(t.asText()));
            out.add(turns);
        }
        return out;
    }

    private static List<List<String>> shareGpt(Path file) throws java.io.IOException {
        List<List<String>> out = new ArrayList<>();
        for (var c : new org.chatcorpus.core.io.DatasetReader(List.of(file.toString()), "sharegpt").readAll(Quarantine.counting())) {
            out.add(c.conversation().stream().map(org.chatcorpus.core.model.Message::content).toList());
        }
        return out;
    }

    /** Messages per second judging all texts in batches of 64, on two threads, after one warm-up pass over all of them (the JIT's). */
    private static double rate(Function<List<String>, ?> moderate, List<String> texts) throws Exception {
        moderate.apply(texts);
        List<List<String>> batches = new ArrayList<>();
        for (int i = 0; i < texts.size(); i += 64) {
            batches.add(texts.subList(i, Math.min(texts.size(), i + 64)));
        }
        var pool = Executors.newFixedThreadPool(2);
        long t0 = System.nanoTime();
        List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
        for (List<String> b : batches) {
            fs.add(pool.submit(() -> moderate.apply(b)));
        }
        for (var f : fs) {
            f.get();
        }
        double s = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        return texts.size() / s;
    }
}
