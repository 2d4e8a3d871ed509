package org.chatcorpus.preference;

import org.chatcorpus.core.text.PromptKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.chatcorpus.battles.Battle;
import org.chatcorpus.battles.BattleMessage;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;

/**
 * Pairs of conversations from a release whose first user prompt is the same under
 * {@link PromptKey} and whose models differ: unlabeled battles, the raw material for pseudo-labels.
 *
 * <p>Two passes over the input so that a million conversations never sit in memory: the first
 * keeps a 64-bit hash of each prompt key and the model; only conversations in a group with two or
 * more models are read again. Within a group, conversations are taken in input order and pairs
 * (i, j), i before j, are taken in order, skipping same-model pairs and model pairs already taken,
 * up to {@code maxPerPrompt}. Which one is side A is a coin from the two conversation ids, so A is
 * not always the earlier one. When the two conversations' user turns differ after the first, both
 * are cut to their first exchange, so the pair answers one prompt as a Kaggle row assumes. The
 * pair's id is a stable number from the two conversation ids. Same input, same pairs.
 */
public final class PairMiner {
    private final int maxPerPrompt;

    public PairMiner(int maxPerPrompt) {
        this.maxPerPrompt = maxPerPrompt;
    }

    /** The pairs, and what the mining saw. */
    public record Result(List<Battle> pairs, long conversations, long withoutPrompt, long groups) {
    }

    public Result mine(DatasetReader input, Quarantine quarantine) throws IOException {
        // Pass 1: a hash of each conversation's prompt key and its model.
        long[] keys = new long[1 << 16];
        int[] models = new int[1 << 16];
        Map<String, Integer> modelIds = new HashMap<>();
        int[] n = {0};
        long[] withoutPrompt = {0};
        long[][] keysRef = {keys};
        int[][] modelsRef = {models};
        input.read(c -> {
            String key = PromptKey.normalize(c.firstPrompt());
            int i = n[0]++;
            if (i == keysRef[0].length) {
                keysRef[0] = Arrays.copyOf(keysRef[0], i * 2);
                modelsRef[0] = Arrays.copyOf(modelsRef[0], i * 2);
            }
            if (key.isEmpty() || !hasAnswer(c)) {
                withoutPrompt[0]++;
                keysRef[0][i] = 0;
                modelsRef[0][i] = -1;
            } else {
                keysRef[0][i] = hash(key);
                modelsRef[0][i] = modelIds.computeIfAbsent(c.model(), m -> modelIds.size());
            }
        }, quarantine, false);
        keys = keysRef[0];
        models = modelsRef[0];
        int total = n[0];
        Map<Long, Set<Integer>> modelsPerKey = new HashMap<>();
        for (int i = 0; i < total; i++) {
            if (models[i] >= 0) {
                modelsPerKey.computeIfAbsent(keys[i], k -> new HashSet<>(2)).add(models[i]);
            }
        }
        BitSet wanted = new BitSet(total);
        for (int i = 0; i < total; i++) {
            if (models[i] >= 0 && modelsPerKey.get(keys[i]).size() > 1) {
                wanted.set(i);
            }
        }
        modelsPerKey.clear();
        // Pass 2: the wanted conversations, grouped by their exact key (a hash collision splits here).
        Map<String, List<Conversation>> groups = new LinkedHashMap<>();
        int[] index = {0};
        input.read(c -> {
            if (wanted.get(index[0]++)) {
                groups.computeIfAbsent(PromptKey.normalize(c.firstPrompt()), k -> new ArrayList<>()).add(c);
            }
        }, Quarantine.counting(), false); // everything bad was quarantined in pass 1
        List<Battle> pairs = new ArrayList<>();
        long groupCount = 0;
        for (List<Conversation> g : groups.values()) {
            int before = pairs.size();
            pair(g, pairs);
            if (pairs.size() > before) {
                groupCount++;
            }
        }
        return new Result(pairs, total, withoutPrompt[0], groupCount);
    }

    private void pair(List<Conversation> group, List<Battle> out) {
        Set<String> taken = new HashSet<>();
        int made = 0;
        for (int i = 0; i < group.size() && made < maxPerPrompt; i++) {
            for (int j = i + 1; j < group.size() && made < maxPerPrompt; j++) {
                Conversation x = group.get(i);
                Conversation y = group.get(j);
                if (x.model().equals(y.model())) {
                    continue;
                }
                String modelPair = x.model().compareTo(y.model()) < 0 ? x.model() + "\n" + y.model() : y.model() + "\n" + x.model();
                if (!taken.add(modelPair)) {
                    continue;
                }
                long id = hash(x.conversationId() + "\n" + y.conversationId()) & Long.MAX_VALUE;
                boolean swap = (id & 1) == 1;
                out.add(battle(Long.toString(id), swap ? y : x, swap ? x : y));
                made++;
            }
        }
    }

    private static Battle battle(String id, Conversation a, Conversation b) {
        List<Message> ma = a.conversation();
        List<Message> mb = b.conversation();
        if (!userTurns(ma).equals(userTurns(mb))) {
            ma = firstExchange(ma);
            mb = firstExchange(mb);
        }
        return new Battle(id, a.model(), b.model(), null, "", BattleMessage.of(ma), BattleMessage.of(mb),
                userTurns(ma).size(), true, a.language(), Double.NaN, Map.of());
    }

    private static List<String> userTurns(List<Message> messages) {
        List<String> out = new ArrayList<>();
        for (Message m : messages) {
            if (m.isUser()) {
                out.add(PromptKey.normalize(m.content()));
            }
        }
        return out;
    }

    private static List<Message> firstExchange(List<Message> messages) {
        List<Message> out = new ArrayList<>(2);
        for (Message m : messages) {
            if (out.isEmpty() && m.isUser()) {
                out.add(m);
            } else if (!out.isEmpty() && m.isAssistant()) {
                out.add(m);
                break;
            }
        }
        return out;
    }

    private static boolean hasAnswer(Conversation c) {
        boolean user = false;
        for (Message m : c.conversation()) {
            if (m.isUser()) {
                user = true;
            } else if (user && m.isAssistant()) {
                return true;
            }
        }
        return false;
    }

    /** 64-bit FNV-1a over UTF-8: stable across runs and JVMs, unlike String.hashCode's 32 bits. */
    static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
