package org.chatcorpus.bench.redact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.ToIntFunction;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.pipeline.redact.NameRedactor;
import org.chatcorpus.pipeline.redact.RedactStage;

/**
 * Person-name finding speed on real chat messages: the trained model (NameRedactor, the default)
 * vs the gazetteer recogniser it replaced (GazetteerNameFinder), same messages, same run, one
 * thread and two. Messages: every turn of HH-RLHF harmless-base test (chosen), the ShareGPT-format
 * FastChat sample and MT-bench, from ../shared/data.
 * With a third argument (a release shard or folder, e.g. one 200k-conversation shard of the
 * generated 1M release) it also times the redact stage itself on those conversations: NAME_n
 * numbering per conversation, as curate runs it, vs the same loop over the gazetteer recogniser.
 * Usage: NameBench [SHARED_DATA_DIR] [REPEATS] [RELEASE_SHARD]
 */
public final class NameBench {
    public static void main(String[] args) throws Exception {
        Path shared = Path.of(args.length > 0 ? args[0] : "../shared/data");
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        List<String> messages = new ArrayList<>();
        for (String f : List.of("hh-rlhf-harmless-base-test.jsonl.gz", "fastchat-dummy-conversation.json")) {
            for (Conversation c : new DatasetReader(List.of(shared.resolve(f).toString()), null).readAll(Quarantine.counting())) {
                for (Message m : c.conversation()) {
                    messages.add(m.content());
                }
            }
        }
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(shared.resolve("mt-bench-questions.jsonl"))) {
            for (JsonNode t : json.readTree(line).get("turns")) {
                messages.add(t.asText());
            }
        }
        long chars = messages.stream().mapToLong(String::length).sum();
        System.out.printf(Locale.ROOT, "%,d real chat messages, %,.0f characters on average; %d cores%n", messages.size(),
                (double) chars / messages.size(), Runtime.getRuntime().availableProcessors());
        NameRedactor model = new NameRedactor();
        GazetteerNameFinder gazetteer = new GazetteerNameFinder();
        ToIntFunction<String> ours = t -> model.find(t).size();
        ToIntFunction<String> peer = t -> gazetteer.find(t).size();
        System.out.printf(Locale.ROOT, "%-22s %12s %14s %14s%n", "finder", "names found", "msg/s 1 thread", "msg/s 2 threads");
        double[] o = measure(ours, messages, repeats);
        double[] p = measure(peer, messages, repeats);
        System.out.printf(Locale.ROOT, "%-22s %,12.0f %,14.0f %,14.0f%n", "trained model", o[0], o[1], o[2]);
        System.out.printf(Locale.ROOT, "%-22s %,12.0f %,14.0f %,14.0f%n", "gazetteer (before)", p[0], p[1], p[2]);
        System.out.printf(Locale.ROOT, "model / gazetteer speed: %.2fx (1 thread), %.2fx (2 threads)%n", o[1] / p[1], o[2] / p[2]);
        if (args.length > 2) {
            List<Conversation> convs = new DatasetReader(List.of(args[2]), null).readAll(Quarantine.counting());
            System.out.printf(Locale.ROOT, "redact stage over %,d conversations of %s (%,d messages)%n", convs.size(), args[2],
                    convs.stream().mapToLong(c -> c.conversation().size()).sum());
            RedactStage stage = new RedactStage();
            ToIntFunction<String> oursConv = i -> stage.process(convs.get(Integer.parseInt(i))).changed() ? 1 : 0;
            ToIntFunction<String> peerConv = i -> {
                Conversation c = convs.get(Integer.parseInt(i));
                Map<String, String> tags = new LinkedHashMap<>();
                int changed = 0;
                for (Message m : c.conversation()) {
                    changed |= gazetteer.redact(m.content(), tags).equals(m.content()) ? 0 : 1;
                }
                return changed;
            };
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < convs.size(); i++) {
                ids.add(Integer.toString(i));
            }
            double[] oc = measure(oursConv, ids, 2);
            double[] pc = measure(peerConv, ids, 2);
            System.out.printf(Locale.ROOT, "%-22s %12s %14s %14s%n", "redact stage", "conv changed", "conv/s 1 thread", "conv/s 2 threads");
            System.out.printf(Locale.ROOT, "%-22s %,12.0f %,14.0f %,14.0f%n", "trained model", oc[0], oc[1], oc[2]);
            System.out.printf(Locale.ROOT, "%-22s %,12.0f %,14.0f %,14.0f%n", "gazetteer (before)", pc[0], pc[1], pc[2]);
            System.out.printf(Locale.ROOT, "model / gazetteer speed: %.2fx (1 thread), %.2fx (2 threads)%n", oc[1] / pc[1], oc[2] / pc[2]);
        }
    }

    /** {names found in one pass, messages/s on one thread, messages/s on two}; a warm-up pass first, best of the timed repeats. */
    private static double[] measure(ToIntFunction<String> finder, List<String> messages, int repeats) throws Exception {
        long found = 0;
        for (String m : messages) {
            found += finder.applyAsInt(m);
        }
        double one = 0;
        double two = 0;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int r = 0; r < repeats; r++) {
                long t0 = System.nanoTime();
                long sink = 0;
                for (String m : messages) {
                    sink += finder.applyAsInt(m);
                }
                one = Math.max(one, messages.size() / ((System.nanoTime() - t0) / 1e9));
                t0 = System.nanoTime();
                int half = messages.size() / 2;
                Future<Long> a = pool.submit(() -> run(finder, messages.subList(0, half)));
                Future<Long> b = pool.submit(() -> run(finder, messages.subList(half, messages.size())));
                sink += a.get() + b.get();
                two = Math.max(two, messages.size() / ((System.nanoTime() - t0) / 1e9));
                if (sink < 0) {
                    throw new IllegalStateException();
                }
            }
        } finally {
            pool.shutdown();
        }
        return new double[] {found, one, two};
    }

    private static long run(ToIntFunction<String> finder, List<String> part) {
        long n = 0;
        for (String m : part) {
            n += finder.applyAsInt(m);
        }
        return n;
    }
}
