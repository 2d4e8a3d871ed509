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
 * on the same folds (n-gram and embedding models), and messages per second judging all samples on
 * two threads (the models as curate runs them: one batch per thread), plus an LLM moderator through
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

        ObjectNode ngramCv = ModerationTrainer.crossValidate(data, 42);
        ObjectNode embCv = EmbeddingModerationTrainer.crossValidate(data, "minilm-q", 42);
        Path dir = Files.createTempDirectory("moderators-bench");
        Path ngram = dir.resolve("ngram.model");
        Path emb = dir.resolve("emb.model");
        ModerationTrainer.train(List.of(dev), 0.2, 42, Quarantine.counting()).model().save(ngram);
        EmbeddingModerationTrainer.train(List.of(dev), "minilm-q", 42, Quarantine.counting()).model().save(emb);

        double ngramRate = rate(LocalModerator.load(ngram)::moderate, texts);
        double embRate = rate(LocalModerator.load(emb)::moderate, texts);
        System.out.printf(Locale.ROOT, "%-34s %9s %9s %9s %12s%n", "moderator", "precision", "recall", "flag F1", "messages/s");
        row("n-gram (local, 5-fold)", ngramCv, ngramRate);
        row("embedding minilm-q (local, 5-fold)", embCv, embRate);

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

    private static void row(String name, ObjectNode cv, double rate) {
        var f = cv.get("flagged");
        System.out.printf(Locale.ROOT, "%-34s %9.3f %9.3f %9.3f %12.0f%n", name, f.get("precision").asDouble(), f.get("recall").asDouble(),
                f.get("f1").asDouble(), rate);
    }

    /** Messages per second judging all texts in batches of 64, on two threads, after one warm-up pass over the first 128. */
    private static double rate(Function<List<String>, ?> moderate, List<String> texts) throws Exception {
        moderate.apply(texts.subList(0, Math.min(128, texts.size())));
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
